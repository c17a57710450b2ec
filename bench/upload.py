"""Figure 5, upload: presigned multipart as the candidate app drives it, against one direct put_object.

The local stack runs in its own process (``python -m oneway.local``, as `make dev` starts it, but
saving its state at exit only) and this process plays the browser. Oneway's way, as the candidate
app sends a take it just recorded: ask the API for the upload (``POST .../upload``: every part's
URL at once), PUT the parts straight to S3, as many at a time as the app's uploader sends
(``PARALLEL_PARTS``, read from web/src/candidate/upload.ts; the part size is the server's, from its
answer), then ``POST .../complete``. The baseline sends the same bytes to the same moto endpoint
with one boto3 ``put_object``. Throughput is the file's size over the whole time, API calls
included; medians of interleaved runs, each side first in turn.

Then network cuts: while the parts are on their way, every connection drops at once, at nine
points of the upload. Each upload resumes as the app does: it asks which parts S3 holds (``GET
.../upload``), fresh URLs for the others, sends only those and completes. Every byte put on the
wire is counted; the figure is the worst case; each object S3 ends up with must equal the file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path

from tests.support.stack import start_stack

from .flows import (
    PARALLEL_PARTS,
    Call,
    HttpCall,
    Invitee,
    Wire,
    complete,
    create_interview,
    invite,
    send_parts,
    take_path,
    upload,
)
from .report import Goal, Row, median, timed

SIZE = 48 * 1024 * 1024
RUNS = 15  # a shared machine is noisy: more pairs steady the medians
CUTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # where the network drops: the share of the file sent


def resume(call: Call, token: str, question: str, take: str, data: bytes, wire: Wire) -> None:
    path = take_path(question, take)
    state = call("GET", f"{path}/upload", token=token)
    part_size = state["partSize"]
    stored = {p["partNumber"]: p["etag"] for p in state["parts"] if p["size"] == len(data[(p["partNumber"] - 1) * part_size : p["partNumber"] * part_size])}
    count = -(-len(data) // part_size)
    missing = [n for n in range(1, count + 1) if n not in stored]
    fresh = call("POST", f"{path}/upload/parts", {"partNumbers": missing}, token=token)
    etags = stored | send_parts(wire, {p["partNumber"]: p["url"] for p in fresh["parts"]}, data, part_size)
    assert len(etags) == count, "parts are still missing after the resume"
    complete(call, token, question, take, etags)


def run(runs: int = RUNS) -> list[Row]:
    import boto3

    from oneway.config import Settings

    settings = Settings()
    data = b"\x1a\x45\xdf\xa3" + os.urandom(SIZE - 4)  # WebM's magic bytes: kept after upload (a refused file is deleted)
    with tempfile.TemporaryDirectory(prefix="oneway-bench-upload-") as tmp:
        # The stack saves its state at exit only: a periodic save writes each new 48 MiB object to disk, a
        # burst that would land on whichever side happens to run then.
        stack = start_stack(Path(tmp) / "stack", save_every=0)
        try:
            call = HttpCall(stack.url, stack.sign_in())
            s3 = boto3.client("s3", endpoint_url=stack.aws_endpoint, region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local")
            iid = create_interview(call)["interviewId"]
            people = invite(call, iid, runs + len(CUTS) + 2)
            for person in people:
                call("POST", "/api/c/consent", {"accepted": True}, token=person.token)
            # A completed upload answers its question: every upload gets a question nobody answered yet.
            slots = iter([(person, q) for person in people for q in ("q1", "q2")])

            def new_take() -> tuple[Invitee, str, str]:
                person, question = next(slots)
                return person, question, call("POST", f"/api/c/questions/{question}/takes", token=person.token, expect=201)["takeId"]

            counter = iter(range(1000))

            phases: list[tuple[float, float, float]] = []  # ticket, parts, complete (s)

            def oneway() -> float:
                person, question, take = new_take()
                path, wire = take_path(question, take), Wire()
                t0 = time.perf_counter()
                ticket = call("POST", f"{path}/upload", {"contentType": "video/webm", "size": SIZE}, token=person.token)
                t1 = time.perf_counter()
                etags = send_parts(wire, {p["partNumber"]: p["url"] for p in ticket["parts"]}, data, ticket["partSize"])
                t2 = time.perf_counter()
                complete(call, person.token, question, take, etags)
                t3 = time.perf_counter()
                assert wire.sent == SIZE and len(etags) == len(ticket["parts"]) and ticket["partSize"] == settings.part_size
                phases.append((t1 - t0, t2 - t1, t3 - t2))
                return SIZE / (t3 - t0) / 1e6

            def direct() -> float:
                key = f"bench/direct-{next(counter)}.webm"
                return SIZE / timed(lambda: s3.put_object(Bucket=settings.uploads_bucket, Key=key, Body=data, ContentType="video/webm")) / 1e6

            oneway(), direct()  # warm-up: connections, code paths
            phases.clear()
            ours, base = [], []
            for i in range(runs):  # in turn first, so neither side always runs in the other's wake
                if i % 2:
                    base.append(direct())
                    ours.append(oneway())
                else:
                    ours.append(oneway())
                    base.append(direct())

            resent, intact = [], True
            for share in CUTS:
                person, question, take = new_take()
                wire = Wire(cut_after=int(SIZE * share))
                upload(call, person.token, question, take, data, wire)
                wire.cut_after, wire.down = None, threading.Event()  # the network is back
                resume(call, person.token, question, take, data, wire)
                resent.append(wire.sent - SIZE)
                key = next(o["Key"] for o in s3.list_objects_v2(Bucket=settings.uploads_bucket).get("Contents", []) if take in o["Key"])
                stored = s3.get_object(Bucket=settings.uploads_bucket, Key=key)["Body"].read()
                intact &= hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()
        finally:
            stack.stop()
    part = settings.part_size
    at_a_time = "one" if PARALLEL_PARTS == 1 else str(PARALLEL_PARTS)
    worst = max(resent)
    ticket_s, parts_s, complete_s = (median(ph[i] for ph in phases) for i in range(3))
    return [
        Row(
            figure=f"Upload: presigned multipart, {SIZE // 2**20} MiB in {-(-SIZE // part)} parts ({at_a_time} at a time)",
            value=round(median(ours), 1),
            baseline=round(median(base), 1),
            unit="MB/s",
            baseline_label="one put_object",
            goal=Goal(of="ratio", op=">=", target=0.8),
            note=(
                f"median of the {len(ours)} pairs' own ratios {median(o / b for o, b in zip(ours, base, strict=True)):.2f}x; "
                f"the API calls are inside the time: median {ticket_s:.2f} s for the part URLs, {parts_s:.2f} s for the parts "
                f"({SIZE / parts_s / 1e6:.0f} MB/s), {complete_s:.2f} s for POST .../complete (the API's writes, then the local "
                "S3 joining the parts into one object)"
            ),
            details={
                "samples_mb_s": [round(x, 1) for x in ours],
                "baseline_samples_mb_s": [round(x, 1) for x in base],
                "phases_s": [[round(x, 3) for x in ph] for ph in phases],
            },
        ),
        Row(
            figure="Upload: bytes sent again after a network cut (worst case)",
            value=round(worst / 2**20, 2),
            unit="MiB",
            baseline=part / 2**20,
            baseline_shown=f"{part / 2**20:g} MiB",
            baseline_label="one part",
            goal=Goal(of="value", op="<=", target=part / 2**20, unit="MiB"),
            outcome="reported" if intact else "error",
            note=(
                f"cuts after {', '.join(f'{c:.0%}' for c in CUTS)} of the file sent re-sent "
                f"{', '.join(f'{r / 2**20:.1f}' for r in resent)} MiB: the part{'s' if PARALLEL_PARTS > 1 else ''} in flight "
                f"({at_a_time} at a time) {'are' if PARALLEL_PARTS > 1 else 'is'} sent again whole, "
                f"the parts S3 held are not; every stored object {'equals' if intact else 'does NOT equal'} the file"
            ),
            details={"resent_bytes": resent, "cuts": list(CUTS), "file_bytes": SIZE, "part_bytes": part, "intact": intact},
        ),
    ]


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
