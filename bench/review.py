"""Figure 7, review: from going to the next candidate to that candidate's first video frame.

The local stack runs in its own process with the built review site; two
candidates answered a one-question interview with a 20 s 720p recording,
processed by the local pipeline. Headless Chromium, signed in as the
recruiter, shows candidate A; the clock starts when the page moves to
candidate B (the hash route the review app uses between candidates) and
stops at the ``loadeddata`` event of B's video: its first frame is decoded
(``readyState >= 2``). Then back to A, and so on; medians.

The baseline: the same rendition served as a static file by a plain HTTP
server, in a bare page with one ``<video>`` of the same attributes; the
clock runs from the navigation's start to the same event. The browser's
cache is off for both.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import requests

from tests.support.stack import ROOT, start_stack

from .flows import HttpCall, create_interview, invite, upload, wait_ready
from .media import recording
from .report import Goal, Row, median

RUNS = 6
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ONE_QUESTION = {
    "title": "Review",
    "questions": [{"prompt": "Tell us about a system you built", "kind": "video", "thinkSeconds": 10, "answerSeconds": 120, "maxTakes": 2}],
    "rubric": [{"name": "Communication"}],
    "deadlineDays": 14,
}

# Resolves with the ms from the hash change to the first loadeddata of a <video> that was not on the page before.
NEXT_CANDIDATE = """async (id) => {
  const before = new Set(document.querySelectorAll('video'))
  return await new Promise((resolve) => {
    const start = performance.now()
    const seen = (e) => {
      const v = e.target
      if (v instanceof HTMLVideoElement && !before.has(v) && v.readyState >= 2) {
        document.removeEventListener('loadeddata', seen, true)
        resolve(performance.now() - start)
      }
    }
    document.addEventListener('loadeddata', seen, true)
    location.hash = '#/candidates/' + encodeURIComponent(id)
  })
}"""

BARE = """<!doctype html><html lang=en><meta charset=utf-8><title>bare video</title>
<video controls crossorigin="anonymous" preload="metadata" playsinline src="answer.mp4"
 onloadeddata="window.firstFrame = performance.now()"></video></html>"""


def answered_candidates(call: HttpCall, video: bytes, count: int = 2) -> list[str]:
    iid = create_interview(call, ONE_QUESTION)["interviewId"]
    people = invite(call, iid, count)
    for person in people:
        call("POST", "/api/c/consent", {"accepted": True}, token=person.token)
        take = call("POST", "/api/c/questions/q1/takes", token=person.token, expect=201)["takeId"]
        upload(call, person.token, "q1", take, video)
        call("POST", "/api/c/complete", token=person.token)
    for person in people:
        wait_ready(call, person.candidate_id, 300)
    return [p.candidate_id for p in people]


class StaticSite:
    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def run(runs: int = RUNS) -> list[Row]:
    from playwright.sync_api import sync_playwright

    site = ROOT / "web" / "dist"
    if not (site / "index.html").exists():
        raise RuntimeError("the review site is not built: run `make web` (make bench does)")
    video = recording(seconds=20, width=1280, height=720).read_bytes()
    with tempfile.TemporaryDirectory(prefix="oneway-bench-review-") as tmp:
        stack = start_stack(Path(tmp) / "stack", site_dir=site, reconcile_every=60)
        static = None
        try:
            call = HttpCall(stack.url, stack.sign_in())
            a, b = answered_candidates(call, video)
            rendition = call("GET", f"/api/candidates/{b}")["answers"][0]["videoUrl"]
            bare = Path(tmp) / "bare"
            bare.mkdir()
            (bare / "answer.mp4").write_bytes(requests.get(rendition, timeout=30).content)
            (bare / "index.html").write_text(BARE)
            static = StaticSite(bare)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
                page.goto(stack.url)
                page.get_by_label("Email").fill(stack.email)
                page.get_by_label("Password").fill(stack.password)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_test_id("org-name").wait_for()
                page.goto(f"{stack.url}/#/candidates/{a}")
                page.get_by_test_id("answer-video").wait_for()
                ours, base = [], []
                targets = [b, a] * runs
                page.evaluate(NEXT_CANDIDATE, targets.pop(0))  # warm-up: code paths on both sides
                for i in range(runs):
                    ours.append(page.evaluate(NEXT_CANDIDATE, targets[i]))
                    other = page.context.new_page()
                    other.context.new_cdp_session(other).send("Network.setCacheDisabled", {"cacheDisabled": True})
                    other.goto(f"{static.url}/index.html?run={i}")
                    base.append(other.wait_for_function("window.firstFrame").json_value())
                    other.close()
                browser.close()
        finally:
            if static:
                static.stop()
            stack.stop()
    return [
        Row(
            figure="Review: next candidate to first video frame (headless Chromium)",
            value=round(median(ours) / 1000, 3),
            baseline=round(median(base) / 1000, 3),
            unit="s",
            baseline_label="bare `<video>` page, same file served statically",
            goal=Goal(of="value", op="<=", target=1.0, unit="s"),
            note=(
                "the review app moves between candidates by its hash route (a “next candidate” button would do the same); "
                f"in between: the candidate's API call, the page, the presigned rendition from moto; 20 s 720p answers; "
                f"samples {', '.join(f'{x:.0f}' for x in ours)} ms"
            ),
            details={"samples_ms": [round(x, 1) for x in ours], "baseline_samples_ms": [round(x, 1) for x in base]},
        )
    ]


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
