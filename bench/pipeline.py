"""Figure 4, the local pipeline: from upload-complete to a ready answer, for a 60 s 720p recording.

Oneway's way: the local stack in its own process (``python -m oneway.local``):
the candidate uploads a Chrome-like 60 s 720p WebM with speech through the
API and presigned multipart; the clock starts when ``POST .../complete``
returns and stops when ``GET /api/candidates/{id}`` shows the answer ready
(video transcoded, transcript and captions recorded), asked once a second
(more often, the polling itself would take CPU from the work it waits for).
In between: the S3 event, the queue, ``on_upload``, the media worker's
download, the transcode and the recognition, the uploads of the outputs,
the job events and ``on_media_event``.

The baseline runs the same two operations on the same file from the local
disk, in a fresh process, with nothing around them: ``transcode`` and
``recognize`` on two threads at once, as the worker runs them (its video
and speech jobs have a thread each). Runs take turns, each side first in
turn; medians of five. Peak memory is the peak resident set of each process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.stack import start_stack

from .flows import HttpCall, create_interview, invite, upload, wait_until
from .media import duration, recording
from .report import Goal, Row, median

RUNS = 5  # about a minute a pair
GOAL = Goal(of="ratio", op="<=", target=1.1)
ONE_QUESTION = {
    "title": "Pipeline",
    "questions": [{"prompt": "Tell us about a system you built", "kind": "video", "thinkSeconds": 10, "answerSeconds": 120, "maxTakes": 2}],
    "deadlineDays": 14,
}

_DIRECT = """
import json, resource, sys, tempfile, threading, time
from oneway.adapters.local_media import transcode
from oneway.adapters.local_speech import _shared_decoder, recognize
src = sys.argv[1]
_shared_decoder()  # the model loads once per process; the worker's is loaded already
with tempfile.TemporaryDirectory() as tmp:
    start = time.perf_counter()
    video = threading.Thread(target=transcode, args=(src, tmp + "/out.mp4", tmp + "/poster.jpg"))
    video.start()
    recognize(src, "direct")
    video.join()
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def direct(path: Path) -> dict:
    """The two operations alone, in a fresh process (its imports and model loading not timed)."""
    out = subprocess.run([sys.executable, "-c", _DIRECT, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run(runs: int = RUNS) -> list[Row]:
    video = recording(seconds=60, width=1280, height=720)
    data = video.read_bytes()
    with tempfile.TemporaryDirectory(prefix="oneway-bench-pipeline-") as tmp:
        stack = start_stack(Path(tmp) / "stack", reconcile_every=60)
        try:
            call = HttpCall(stack.url, stack.sign_in())
            iid = create_interview(call, ONE_QUESTION)["interviewId"]
            people = invite(call, iid, runs + 1)
            idle_rss = rss_kb(stack.process.pid)

            def oneway(person, data: bytes = data) -> float:
                call("POST", "/api/c/consent", {"accepted": True}, token=person.token)
                take = call("POST", "/api/c/questions/q1/takes", token=person.token, expect=201)["takeId"]
                upload(call, person.token, "q1", take, data)  # returns when POST .../complete has answered
                start = time.perf_counter()

                def answer_ready():
                    answers = call("GET", f"/api/candidates/{person.candidate_id}")["answers"]
                    if any(a["status"] == "failed" for a in answers):
                        raise RuntimeError(f"the pipeline failed: {answers}")
                    return all(a["status"] == "ready" for a in answers)

                wait_until(answer_ready, timeout=600, every=1.0, what="the answer to be ready")
                return time.perf_counter() - start

            # Warm-up with a short recording: the worker's first job imports PyAV and loads the
            # recognizer's model, which the direct run does before its clock starts.
            oneway(people[-1], recording(seconds=3, width=640, height=360).read_bytes())
            ours, base, base_rss = [], [], []
            for i, person in enumerate(people[:runs]):  # each side first in turn: neither always runs in the other's wake
                if i % 2:
                    d = direct(video)
                    ours.append(oneway(person))
                else:
                    ours.append(oneway(person))
                    d = direct(video)
                base.append(d["seconds"])
                base_rss.append(d["peak_rss_kb"])
            stack_peak = peak_rss_kb(stack.process.pid)
        finally:
            stack.stop()
    seconds = duration(video)
    return [
        Row(
            figure=f"Local pipeline: upload-complete to ready, {seconds:.0f} s 720p WebM",
            value=round(median(ours), 2),
            baseline=round(median(base), 2),
            unit="s",
            baseline_label="transcode ∥ recognize, run directly",
            goal=GOAL,
            note=(
                f"{len(data) / 1e6:.1f} MB VP8/Opus recording with speech; the baseline runs both operations at once on two threads, as the worker does "
                f"(samples: Oneway {', '.join(f'{x:.1f}' for x in ours)} s; direct {', '.join(f'{x:.1f}' for x in base)} s)"
            ),
            details={"samples_s": [round(x, 2) for x in ours], "baseline_samples_s": [round(x, 2) for x in base], "video_bytes": len(data)},
        ),
        Row(
            figure="Local pipeline: peak memory (RSS)",
            value=round(stack_peak / 1024),
            baseline=round(max(base_rss) / 1024),
            unit="MB",
            baseline_label="the direct run's process",
            note=(
                f"the whole local stack's process (moto, gateway, pump, worker): {idle_rss / 1024:.0f} MB before the first job, "
                f"{stack_peak / 1024:.0f} MB at its peak"
            ),
            details={"stack_idle_rss_mb": round(idle_rss / 1024), "stack_peak_rss_mb": round(stack_peak / 1024), "direct_peak_rss_mb": [round(x / 1024) for x in base_rss]},
        ),
    ]


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
