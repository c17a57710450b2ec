"""Figure: reviewer throughput by keyboard alone, in headless Chromium.

Ten candidates answered a one-question interview (a 5 s 720p recording each, processed by the
local pipeline, so all are ready). Signed in as the recruiter, the browser opens the first one and
then, for each candidate, presses only keys, as the page's shortcuts offer them: play (Space), speed
up to 2x (s, only while it is not 2x already: the speed stays from one candidate to the next), score
two criteria (a digit each), save the review (r), decide (a: advance) and type a one-line reason,
record it (Enter), next candidate (n).

Counted: the key presses per candidate, the reason's characters apart. Timed: the app's own time,
from each key press to the page's answer to it (the video playing, the rate changed, the score
checked, the save's request answered and shown, the next candidate's first frame); the video's own
playing time and the typing are not in it. Each wait includes a round trip of Playwright's protocol
(a few ms), so the figure slightly overstates the app. Like the "Review" figure, the stack runs in
its own process, with moto answering the API's DynamoDB and S3 calls.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.support.stack import ROOT, start_stack

from .flows import HttpCall, create_interview, invite, upload, wait_ready
from .media import recording
from .report import Goal, Row, median
from .review import CHROMIUM, FLAGS

CANDIDATES = 10
REASON = "Clear answer, good depth"
INTERVIEW = {
    "title": "Keyboard review",
    "questions": [{"prompt": "Tell us about a system you built", "kind": "video", "thinkSeconds": 10, "answerSeconds": 120, "maxTakes": 2}],
    "rubric": [{"name": "Communication"}, {"name": "Depth"}],
    "deadlineDays": 14,
}
KEY_GOAL = Goal(of="value", op="<=", target=8)
TIME_GOAL = Goal(of="value", op="<=", target=0.5, unit="s")

# The video on the page now: playing, at which rate, and the address it plays.
VIDEO = "() => { const v = document.querySelector('[data-testid=answer-video] video, video'); return v && {paused: v.paused, rate: v.playbackRate, src: v.currentSrc, ready: v.readyState} }"


def ready_candidates(call: HttpCall, video: bytes) -> list[str]:
    iid = create_interview(call, INTERVIEW)["interviewId"]
    people = invite(call, iid, CANDIDATES)
    for person in people:
        call("POST", "/api/c/consent", {"accepted": True}, token=person.token)
        take = call("POST", "/api/c/questions/q1/takes", token=person.token, expect=201)["takeId"]
        upload(call, person.token, "q1", take, video)
        call("POST", "/api/c/complete", token=person.token)
    for person in people:
        wait_ready(call, person.candidate_id, 600)
    return [p.candidate_id for p in people]


def waited(spans: list[tuple[float, float]]) -> float:
    """The time covered by some span (requests in parallel are waited for once)."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(spans):
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


class Reviewer:
    """Presses keys, counts them, and times the page's answer to each: the whole wait, and the part of it
    spent waiting on the stack's servers (from a request sent to its answer's first byte, as the browser's
    Resource Timing has it), which is the app's own time's complement."""

    def __init__(self, page):
        self.page = page
        self.keys = 0
        self.wait = 0.0  # the reviewer's whole wait
        self.server = 0.0  # the part of it the servers took
        self.by_key: dict[str, float] = {}
        self._spans: list[tuple[float, float]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        t = request.timing  # milliseconds: startTime since the epoch, the rest from it (-1: not known)
        if t["requestStart"] >= 0 and t["responseStart"] >= t["requestStart"]:
            self._spans.append(((t["startTime"] + t["requestStart"]) / 1000, (t["startTime"] + t["responseStart"]) / 1000))

    @property
    def app(self) -> float:
        return self.wait - self.server

    def press(self, key: str, answered) -> None:
        self._spans = []
        started, wall = time.perf_counter(), time.time()
        self.page.keyboard.press(key)
        answered()
        spent, ended = time.perf_counter() - started, time.time()
        self.page.evaluate("0")  # the events of requests finished by now are delivered
        server = min(spent, waited([(max(a, wall), min(b, ended)) for a, b in self._spans if b > wall and a < ended]))
        self.wait += spent
        self.server += server
        self.by_key[key] = self.by_key.get(key, 0.0) + spent - server
        self.keys += 1

    def close(self) -> None:
        self.page.remove_listener("requestfinished", self._finished)

    def video(self) -> dict:
        return self.page.evaluate(VIDEO) or {}


def review_one(r: Reviewer, page) -> None:
    r.press(" ", lambda: page.wait_for_function(f"({VIDEO})()?.paused === false"))
    while r.video().get("rate") != 2:
        rate = r.video().get("rate")
        r.press("s", lambda rate=rate: page.wait_for_function(f"({VIDEO})()?.rate !== {rate}"))
    r.press("4", lambda: page.locator("input[name=score-0]:checked").wait_for(state="attached"))
    r.press("3", lambda: page.locator("input[name=score-1]:checked").wait_for(state="attached"))
    # The saves are timed to what the reviewer sees: the request answered, then the page's status or decision.
    r.press("r", lambda: page.get_by_test_id("review-form").get_by_role("status").filter(has_text="Review saved").wait_for())
    r.press("a", lambda: page.wait_for_function("document.activeElement?.id === 'decision-note'"))
    page.keyboard.type(REASON)  # the reason: neither counted nor timed
    r.press("Enter", lambda: page.get_by_test_id("decision-form").get_by_role("status").filter(has_text="Decision recorded").wait_for())
    page.get_by_test_id("current-decision").filter(has_text=REASON).wait_for()  # the decision on the page: checked, not timed


def run() -> list[Row]:
    from playwright.sync_api import sync_playwright

    site = ROOT / "web" / "dist"
    if not (site / "index.html").exists():
        raise RuntimeError("the review site is not built: run `make web` (make bench does)")
    video = recording(seconds=5, width=1280, height=720).read_bytes()
    keys: list[int] = []  # per candidate: keys pressed
    app: list[float] = []  # per candidate: the app's seconds
    wait: list[float] = []  # per candidate: the whole wait, the servers' time in it
    server: list[float] = []
    by_key: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="oneway-bench-review-keys-") as tmp:
        stack = start_stack(Path(tmp) / "stack", site_dir=site, reconcile_every=60)
        try:
            call = HttpCall(stack.url, stack.sign_in())
            ids = ready_candidates(call, video)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, "--autoplay-policy=no-user-gesture-required"])
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.goto(stack.url)
                page.get_by_label("Email").fill(stack.email)
                page.get_by_label("Password").fill(stack.password)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_test_id("org-name").wait_for()
                page.goto(f"{stack.url}/#/candidates/{ids[0]}")
                page.wait_for_function(f"({VIDEO})()?.ready >= 2")
                seen = set()
                for i in range(CANDIDATES):
                    r = Reviewer(page)
                    seen.add(page.evaluate("location.hash"))
                    review_one(r, page)
                    if i < CANDIDATES - 1:
                        before = r.video().get("src")
                        r.press("n", lambda before=before: page.wait_for_function(
                            f"(() => {{ const v = ({VIDEO})(); return v && v.src !== {before!r} && v.ready >= 2 }})()"))
                    r.close()
                    keys.append(r.keys)
                    app.append(r.app)
                    wait.append(r.wait)
                    server.append(r.server)
                    for k, v in r.by_key.items():
                        by_key.setdefault(k, []).append(v)
                browser.close()
            if len(seen) != CANDIDATES:
                raise RuntimeError(f"the next-candidate key visited {len(seen)} distinct candidates, not {CANDIDATES}")
        finally:
            stack.stop()
    per_candidate = sum(keys) / len(keys)
    return [
        Row(
            figure="Review by keyboard: keys per candidate, beyond the reason (10 ready candidates, headless Chromium)",
            value=round(per_candidate, 1),
            unit="keys",
            shown=f"{per_candidate:.1f} keys",
            goal=KEY_GOAL,
            note=("Space, s (until 2x; the speed stays between candidates), two digits, r, a, the reason, Enter, n; "
                  f"per candidate: {', '.join(map(str, keys))}"),
            details={"keys": keys},
        ),
        Row(
            figure="Review by keyboard: the app's time per candidate, video time excluded",
            value=round(median(app), 3),
            unit="s",
            goal=TIME_GOAL,
            note=("from each key press to the page's answer (playing, rate, score, the review's and the decision's saves "
                  "answered and shown, the next candidate's first frame), less the time the local stack's servers took to "
                  "answer (request sent to first byte: the local gateway with moto behind it stands for API Gateway, Lambda "
                  "and DynamoDB, and moto is the slow part; the Warm API figures show it); medians over the candidates; "
                  f"each: {', '.join(f'{x:.2f}' for x in app)} s; by key (median s): "
                  + ", ".join(f"{'Space' if k == ' ' else k} {median(v):.2f}" for k, v in by_key.items())
                  + "; includes Playwright's round trips"),
            details={"app_seconds": [round(x, 3) for x in app], "by_key_seconds": {k: [round(x, 3) for x in v] for k, v in by_key.items()}},
        ),
        Row(
            figure="Review by keyboard: the reviewer's whole wait per candidate, the local stack's answers included",
            value=round(median(wait), 3),
            unit="s",
            note=(f"each: {', '.join(f'{x:.2f}' for x in wait)} s, of which the servers: "
                  f"{', '.join(f'{x:.2f}' for x in server)} s (the review's save, the decision's, the next candidate's page and video)"),
            details={"wait_seconds": [round(x, 3) for x in wait], "server_seconds": [round(x, 3) for x in server]},
        ),
    ]


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
