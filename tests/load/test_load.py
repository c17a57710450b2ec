"""Load: 100 concurrent candidates x 3 video answers through the local stack.

Each candidate opens the session, consents, and for each question starts a take,
uploads a real WebM clip through presigned multipart URLs and completes it, then
submits the interview; the pipeline (S3 events, local transcoder and recognizer)
must make every answer ready. Asserted: 0 lost answers, 0 5xx. Printed: p50 and
p95 latency of the API calls and of the part uploads, and how long the pipeline
took. Heavy: `make test-heavy` (and `make test`).

The stack runs the API in API_WORKERS worker processes (`--api-workers`), as Lambda runs
concurrent requests in separate instances; with 100 clients on a 2-core machine the
latencies printed here still include queueing for those instances and for the one
embedded AWS process.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.support.client import token_from, wait_for
from tests.support.media import make_webm
from tests.support.stack import start_stack

pytestmark = [pytest.mark.heavy, pytest.mark.timeout(720)]

API_WORKERS = 4
CANDIDATES = 100
QUESTIONS = 3
INTERVIEW: dict[str, Any] = {
    "title": "Load",
    "questions": [
        {"prompt": f"Question {i + 1}", "kind": "video", "thinkSeconds": 0, "answerSeconds": 10, "maxTakes": 1} for i in range(QUESTIONS)
    ],
    "rubric": [{"name": "Clarity"}],
    "deadlineDays": 1,
    "practiceQuestion": False,
}


class Recorder:
    """Latency and status of every request, by kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.server_errors: list[str] = []

    def request(self, send: Callable[..., requests.Response], kind: str, method: str, url: str, **kw: Any) -> requests.Response:
        """``send`` is a session's request method, or requests.request (a connection of its own, no session headers)."""
        started = time.perf_counter()
        r = send(method, url, timeout=300, **kw)
        took = time.perf_counter() - started
        with self.lock:
            self.latency[kind].append(took)
            if r.status_code >= 500:
                self.server_errors.append(f"{method} {url}: {r.status_code} {r.text[:200]}")
        return r


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    s = start_stack(tmp_path_factory.mktemp("load-stack"), reconcile_every=10, env={"ONEWAY_API_WORKERS": str(API_WORKERS)})
    yield s
    s.stop()


def candidate_run(base: str, token: str, clip: bytes, rec: Recorder) -> list[str]:
    """One candidate from the link to the submitted interview; returns what went wrong."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    problems = []

    def api(kind, method, path, json=None, expect=200):
        r = rec.request(http.request, kind, method, f"{base}{path}", json=json)
        if r.status_code != expect:
            problems.append(f"{method} {path}: {r.status_code} {r.text[:200]}")
            return None
        return r.json()

    session = api("session", "GET", "/api/c/session")
    api("consent", "POST", "/api/c/consent", {"accepted": True})
    for q in (session or {}).get("questions", []):
        qid = q["questionId"]
        take = api("start take", "POST", f"/api/c/questions/{qid}/takes", expect=201)
        if take is None:
            continue
        path = f"/api/c/questions/{qid}/takes/{take['takeId']}"
        ticket = api("begin upload", "POST", f"{path}/upload", {"contentType": "video/webm", "size": len(clip)})
        if ticket is None:
            continue
        parts = []
        for part in ticket["parts"]:
            n, size = part["partNumber"], ticket["partSize"]
            put = rec.request(requests.request, "S3 part PUT", "PUT", part["url"], data=clip[(n - 1) * size : n * size])
            if put.status_code != 200:
                problems.append(f"PUT part: {put.status_code}")
            parts.append({"partNumber": n, "etag": put.headers.get("ETag", "")})
        api("complete upload", "POST", f"{path}/complete", {"parts": parts})
    api("submit", "POST", "/api/c/complete")
    return problems


def test_100_candidates_3_answers_each(stack, tmp_path):
    clip = make_webm(tmp_path / "clip.webm", seconds=1, size=(160, 120), fps=15).read_bytes()
    rec = Recorder()
    recruiter = requests.Session()
    recruiter.headers["Authorization"] = f"Bearer {stack.sign_in()}"
    made = recruiter.post(f"{stack.url}/api/interviews", json=INTERVIEW, timeout=30).json()
    iid = made["interviewId"]
    people = [{"name": f"Candidate {i}", "email": f"load{i}@example.com"} for i in range(CANDIDATES)]
    invited = recruiter.post(f"{stack.url}/api/interviews/{iid}/invitations", json={"candidates": people, "sendEmail": False}, timeout=60)
    assert invited.status_code == 201, invited.text
    tokens = [token_from(i["inviteUrl"]) for i in invited.json()["items"]]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CANDIDATES) as pool:
        problems = [p for result in pool.map(lambda t: candidate_run(stack.url, t, clip, rec), tokens) for p in result]
    answered = time.monotonic() - started
    assert not rec.server_errors, rec.server_errors[:10]
    assert not problems, problems[:10]

    def ready() -> int:
        total, cursor = 0, None
        while True:
            page = rec.request(
                recruiter.request, "recruiter list", "GET", f"{stack.url}/api/interviews/{iid}/candidates",
                params={"status": "ready", "limit": 100, **({"cursor": cursor} if cursor else {})},
            ).json()
            total += len(page["items"])
            cursor = page.get("nextCursor")
            if not cursor:
                return total

    try:
        wait_for(lambda: ready() == CANDIDATES, timeout=240, every=3, what="every candidate ready")
    finally:
        processed = time.monotonic() - started
        lines = [f"\nload: {CANDIDATES} candidates x {QUESTIONS} answers; answering took {answered:.1f} s, until all ready {processed:.1f} s"]
        everything = [x for kind, xs in rec.latency.items() if kind not in ("S3 part PUT", "recruiter list") for x in xs]
        for kind, xs in [("all candidate API calls", everything), *sorted(rec.latency.items())]:
            lines.append(f"  {kind:>24}: n={len(xs):4d}  p50={percentile(xs, 50) * 1000:7.1f} ms  p95={percentile(xs, 95) * 1000:7.1f} ms")
        print("\n".join(lines))

    # Nothing lost: every answer of every candidate is ready, with its video and transcript state.
    lost = []
    for item in invited.json()["items"]:
        detail = recruiter.get(f"{stack.url}/api/candidates/{item['candidateId']}", timeout=30).json()
        for answer in detail["answers"]:
            if answer["status"] != "ready" or not answer.get("videoUrl"):
                lost.append((item["candidateId"], answer["questionId"], answer["status"]))
    assert lost == [] and len(invited.json()["items"]) * QUESTIONS == CANDIDATES * QUESTIONS
    assert not rec.server_errors
