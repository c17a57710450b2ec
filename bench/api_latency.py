"""Figure 2, warm API latency: the five hottest routes through the local gateway, against a no-op handler.

The figure is the time Oneway adds to a call: the whole call through the
gateway less the time spent waiting on AWS calls (botocore's before-call to
after-call), because moto stands in for DynamoDB and S3 at its own speed (it
scans a table linearly for every query); that wait and the whole call are
shown beside it. moto runs in a process of its own, as AWS runs outside the
function: in-process, its threads' leftover work after each answer held the
GIL while the handler being timed waited for it. The event pump and media
worker stop once the reviewed candidate is ready, and the DynamoDB meter
prices requests after the call, not inside it. The hottest routes, by how often the apps call them: the reviewer opens a
candidate (``GET /api/candidates/{id}``, again every 10 s while answers are
processing) and pages an interview's candidates; the candidate app loads its
session on every visit and, for every take, starts it and asks for its
upload URLs. Each call runs through the real gateway and handler on the
embedded moto server (a warm function: the same process, after warm-up
calls); the baseline sends the same request through the same gateway (JWT
check included) to a handler that does nothing. The two take turns; medians
of 60 calls after 3 warm-up calls. The DynamoDB requests of each call are counted with a
botocore hook on the function's DynamoDB client.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .flows import answer_all, create_interview, invite, take_path, wait_ready
from .harness import Harness, local_stack
from .media import recording
from .report import Goal, Row, median, timed

RUNS = 60
WARMUP = 3
GOAL = Goal(of="ratio", op="<=", target=3.0)
UPLOAD_SIZE = 20 * 1024 * 1024  # a 2-minute answer at Chrome's 720p bitrate is ~40 MB; 20 MB is 3 parts


# A candidate's open uploads are bounded in all (one full-length answer per video question): a few per candidate.
UPLOADS_PER_CANDIDATE = 6


def _fresh_takes(h: Harness, tokens: list[str], count: int) -> list[tuple[str, str, str]]:
    """``count`` new takes (token, question, take) from candidates with takes left, a few each."""
    made: list[tuple[str, str, str]] = []
    for token in tokens:
        mine = 0
        for question in ("q1", "q2"):
            while len(made) < count and mine < UPLOADS_PER_CANDIDATE:
                answer = h.call.send("POST", f"/api/c/questions/{question}/takes", token=token)
                if answer.status_code != 201:
                    break
                made.append((token, question, answer.json()["takeId"]))
                mine += 1
    if len(made) < count:
        raise RuntimeError(f"only {len(made)} takes could be made")
    return made


def run(runs: int = RUNS) -> list[Row]:
    with local_stack(workers=True, aws_process=True) as h:
        interview = create_interview(h.call)
        iid = interview["interviewId"]
        people = invite(h.call, iid, 60)
        # One candidate who answered everything and is ready for review (processed by the local workers).
        reviewed = people[0]
        answer_all(h.call, reviewed.token, recording(seconds=3, width=640, height=360).read_bytes())
        wait_ready(h.call, reviewed.candidate_id, 120)
        h.stop_workers()  # no call below needs them: their polling would only compete with the handler timed
        candidates = [p.token for p in people[1:5 + -(-(runs + WARMUP) // UPLOADS_PER_CANDIDATE)]]
        for candidate in candidates:
            h.call("POST", "/api/c/consent", {"accepted": True}, token=candidate)
        # Each of these candidates may start 10 takes of each video question.
        take_slots = iter([(token, q) for token in candidates[:4] for q in ("q1", "q2") for _ in range(10)])
        upload_takes = iter(_fresh_takes(h, candidates[4:], runs + WARMUP))
        # (label, request maker): a maker returns (method, path, body, candidate token or None).
        routes: list[tuple[str, Callable[[], tuple[str, str, Any, str | None]]]] = [
            ("GET /api/candidates/{id}", lambda: ("GET", f"/api/candidates/{reviewed.candidate_id}", None, None)),
            ("GET /api/interviews/{id}/candidates", lambda: ("GET", f"/api/interviews/{iid}/candidates?limit=50", None, None)),
            ("GET /api/c/session", lambda: ("GET", "/api/c/session", None, candidates[0])),
            ("POST /api/c/questions/{q}/takes", _next_take(take_slots)),
            ("POST /api/c/.../takes/{t}/upload", _next_upload(upload_takes)),
        ]
        rows = []
        for label, make in routes:
            total, own, waits, noop, calls = [], [], [], [], []
            for i in range(WARMUP + runs):
                method, path, body, token = make()
                h.meter.reset()
                seconds = timed(functools.partial(h.call, method, path, body, token=token, expect=_expected(method, path)))
                call = h.meter.summary()
                base = timed(functools.partial(h.noop, method, path, body, token=token, expect=200))
                if i >= WARMUP:
                    calls.append(call)
                    total.append(seconds * 1000)
                    waits.append(call["aws_seconds"] * 1000)
                    own.append((seconds - call["aws_seconds"]) * 1000)
                    noop.append(base * 1000)
            requests = sorted({c["requests"] for c in calls})
            ops, others = calls[-1]["operations"], calls[-1]["other_aws"]
            mine, wait, whole, base = median(own), median(waits), median(total), median(noop)
            rows.append(
                Row(
                    figure=f"Warm API: {label} ({_count(requests)} DynamoDB requests)",
                    value=round(mine, 2),
                    shown=f"{mine:.1f} ms (+ {wait:.1f} ms waiting on moto)",
                    baseline=round(base, 2),
                    unit="ms",
                    baseline_label="no-op handler",
                    goal=GOAL,
                    note=(
                        f"{', '.join(f'{n} {op}' for op, n in ops.items())}"
                        + (f", and {', '.join(others)}" if others else "")
                        + f"; the whole call with moto's time: {whole:.1f} ms ({whole / base:.0f}x the no-op)"
                    ),
                    details={
                        "requests": requests,
                        "operations": ops,
                        "other_aws": others,
                        "rcu": calls[-1]["rcu"],
                        "wcu": calls[-1]["wcu"],
                        "total_ms": round(whole, 2),
                        "aws_wait_ms": round(wait, 2),
                        "own_samples_ms": [round(x, 2) for x in own],
                        "baseline_samples_ms": [round(x, 2) for x in noop],
                    },
                )
            )
        return rows


def _count(values: list[int]) -> str:
    return str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}"


def _expected(method: str, path: str) -> int:
    return 201 if method == "POST" and path.endswith("/takes") else 200


def _next_take(takes) -> Callable[[], tuple[str, str, Any, str | None]]:
    def make():
        token, question = next(takes)
        return "POST", f"/api/c/questions/{question}/takes", None, token

    return make


def _next_upload(takes) -> Callable[[], tuple[str, str, Any, str | None]]:
    def make():
        token, question, take = next(takes)
        return "POST", f"{take_path(question, take)}/upload", {"contentType": "video/webm", "size": UPLOAD_SIZE}, token

    return make


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
