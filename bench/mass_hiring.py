"""Figure: a mass-hiring day, simulated. 10,000 candidates each record three 2-minute answers within
one hour; a discrete-event model replays the hour's arrivals through Oneway's path on AWS with each
quota as a parameter, and reports when the last answer is ready, how many requests were throttled and
retried, and whether any answer was lost (not ready when the model stops, a day later).

The policies are Oneway's own, read from the code: the candidate routes' stage throttle
(infra/oneway_infra/sizes.py), the candidate app's backoff on 429 (web/src/shared/api.ts), the SDK's
retries (functions/oneway/handlers/deps.py), on_upload's SQS batch size and concurrency and
on_media_event's reserved concurrency (infra/oneway_infra/constants.py), the reconciler's schedule,
age and page (sizes.py, config.py, service/pipeline.py). The quotas are AWS's defaults, each with its
source in docs/scale.md; where AWS documents no figure (MediaConvert's and Transcribe's speed, the
MediaConvert queue's default concurrency, SES's production rate) the model says so and takes the
assumption written beside the parameter. The same job-time model gives docs/media.md's time to ready.
Deterministic (one seed); no AWS, no network.
"""

from __future__ import annotations

import ast
import heapq
import inspect
import random
import re
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

from .report import Goal, Row

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = 10_000
ANSWERS = 3
ANSWER_SECONDS = 120
HOUR = 3600
HORIZON = 24 * HOUR  # an answer not ready a day later counts as lost
GOAL_SECONDS = 2 * HOUR
# The rush's cohort: finishing candidates a minute at the deadline's peak (docs/scale.md), for the throttle's size.
RUSH_COHORT = 2000


def _constants() -> dict[str, int]:
    """Integer constants of infra/oneway_infra/constants.py, read without importing the CDK."""
    tree = ast.parse((ROOT / "infra" / "oneway_infra" / "constants.py").read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def _read(path: Path, pattern: str) -> str:
    """The first group of ``pattern`` in the file at ``path``: a setting the simulation takes from the code."""
    match = re.search(pattern, path.read_text())
    if match is None:
        raise RuntimeError(f"{path.relative_to(ROOT)} no longer matches {pattern!r}")
    return match.group(1)


def _backoff_ceilings() -> list[float]:
    numbers = _read(ROOT / "web" / "src" / "shared" / "api.ts", r"BACKOFF_CEILINGS_MS = \[([^\]]*)\]")
    return [int(n) / 1000 for n in numbers.split(",")]


def _sdk_attempts() -> int:
    return int(_read(ROOT / "functions" / "oneway" / "handlers" / "deps.py", r'"max_attempts": (\d+)'))


@dataclass(frozen=True)
class Quotas:
    """AWS's defaults (docs/scale.md gives each one's page) and the assumptions where AWS gives none."""

    api_rate: float  # the candidate routes' stage throttle, requests/s (Oneway's setting, under the account's 10,000)
    api_burst: float
    transcribe_concurrent: int = 250  # concurrent batch transcription jobs
    transcribe_start_tps: float = 25  # StartTranscriptionJob requests per second
    mediaconvert_concurrent: int = 20  # the Default on-demand queue's concurrent jobs: ASSUMED (region-dependent, see docs/scale.md)
    mediaconvert_create_tps: float = 20  # CreateJob requests per second: ASSUMED
    ses_rate: float = 14  # emails per second out of the sandbox: ASSUMED (AWS: "varies based on your use case")
    lambda_account: int = 1000  # concurrent executions per Region


@dataclass(frozen=True)
class Policy:
    """Oneway's own parameters, read from the code."""

    backoff_ceilings: list[float]
    sdk_attempts: int
    upload_concurrency: int
    upload_batch: int
    media_event_concurrency: int
    reconcile_every: float
    reconcile_after: float
    reconcile_page: int
    requests_per_answer: int
    requests_per_finish: int

    @classmethod
    def from_code(cls) -> Policy:
        sys.path.insert(0, str(ROOT / "infra"))
        from oneway.config import Settings
        from oneway.service import pipeline
        from oneway_infra import sizes  # plain numbers, no CDK

        c = _constants()
        return cls(
            backoff_ceilings=_backoff_ceilings(),
            sdk_attempts=_sdk_attempts(),
            upload_concurrency=c["UPLOAD_MAX_CONCURRENCY"],
            upload_batch=c["UPLOAD_BATCH_SIZE"],
            media_event_concurrency=c["ON_MEDIA_EVENT_RESERVED_CONCURRENCY"],
            reconcile_every=sizes.SCHEDULE_EVERY_MINUTES * 60,
            reconcile_after=Settings.model_fields["reconcile_after_seconds"].default,
            reconcile_page=inspect.signature(pipeline.reconcile).parameters["limit"].default,
            requests_per_answer=sizes.REQUESTS_PER_ANSWER,
            requests_per_finish=sizes.REQUESTS_PER_FINISH,
        )


# Job times: AWS documents no speed for either service (docs/media.md, "Time to ready on AWS").
# ASSUMED: a fixed start (queueing inside the service, reading the input) plus a share of the media's length.
MEDIACONVERT_START, MEDIACONVERT_PER_SECOND = 20.0, 0.5  # an H.264 MP4 and a poster from a 720p recording
TRANSCRIBE_START, TRANSCRIBE_PER_SECOND = 20.0, 0.25
# The event path's hops (AWS: "typically ... in seconds" for S3 notifications; the rest ASSUMED).
S3_TO_SQS = 1.0
EVENTBRIDGE_TO_LAMBDA = 0.5
ON_UPLOAD_PER_RECORD = 0.25  # DynamoDB reads and writes, two job starts
ON_MEDIA_EVENT_SECONDS = 0.15
API_CALL_SECONDS = 0.05
UPLOAD_SECONDS = 12.0  # a 2-minute answer (~15 MB) on a 10 Mbit/s uplink
THINK_SECONDS = 30.0  # between answers
APP_RETRY_AFTER = 30.0  # the app's own retry once fetchWithBackoff gives up


def mediaconvert_seconds(media: float) -> float:
    return MEDIACONVERT_START + MEDIACONVERT_PER_SECOND * media


def transcribe_seconds(media: float) -> float:
    return TRANSCRIBE_START + TRANSCRIBE_PER_SECOND * media


def time_to_ready(media: float, *, upload_seconds: float = 0.0) -> dict[str, float]:
    """Seconds from the upload's completion to ready for one answer on an idle account: the event
    path's hops, the two jobs side by side, the slower one's event back."""
    start = S3_TO_SQS + ON_UPLOAD_PER_RECORD
    jobs = max(mediaconvert_seconds(media), transcribe_seconds(media))
    back = EVENTBRIDGE_TO_LAMBDA + ON_MEDIA_EVENT_SECONDS
    return {"start": start, "mediaconvert": mediaconvert_seconds(media), "transcribe": transcribe_seconds(media),
            "back": back, "total": upload_seconds + start + jobs + back}


class Bucket:
    """A token bucket (API Gateway's throttle, a service's TPS)."""

    def __init__(self, rate: float, burst: float):
        self.rate, self.burst, self.tokens, self.at = rate, burst, burst, 0.0

    def take(self, now: float) -> bool:
        # Callers may ask slightly out of order (a batch's calls are planned ahead): refill forward only.
        if now > self.at:
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class Take:
    id: int
    submitted: float
    video: str = "new"  # new, deferred, queued, done
    speech: str = "new"
    since: float = 0.0
    ready: float | None = None
    events_left: int = 2


@dataclass
class Counts:
    api_calls: int = 0
    api_throttled: int = 0
    app_gave_up: int = 0
    transcribe_throttled: int = 0
    transcribe_limit: int = 0
    transcribe_deferred: int = 0
    transcribe_restarted: int = 0
    mediaconvert_throttled: int = 0
    mediaconvert_deferred: int = 0
    media_event_throttled: int = 0
    reconcile_runs: int = 0
    ses_throttled: int = 0
    emails_given_up: int = 0
    counter_writes_peak: int = 0
    mediaconvert_wait_max: float = 0.0
    extra: dict = field(default_factory=dict)


def arrivals(rng: random.Random, candidates: int = CANDIDATES) -> list[float]:
    """Each candidate's start: half spread over the hour, half in its last 20 minutes (a deadline's rush);
    all three answers sent within the hour."""
    span = ANSWERS * (ANSWER_SECONDS + THINK_SECONDS) + UPLOAD_SECONDS
    latest = HOUR - span
    return sorted(rng.uniform(0, latest) if i % 2 else rng.uniform(latest - 1200, latest) for i in range(candidates))


def simulate(q: Quotas, p: Policy, seed: int = 17, candidates: int = CANDIDATES) -> tuple[list[Take], Counts]:
    rng = random.Random(seed)
    clock = 0.0
    events: list[tuple[float, int, str, tuple]] = []
    seq = 0

    def at(t: float, kind: str, *args) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, seq, kind, args))

    c = Counts()
    api = Bucket(q.api_rate, q.api_burst)
    start_tps = Bucket(q.transcribe_start_tps, q.transcribe_start_tps)
    create_tps = Bucket(q.mediaconvert_create_tps, q.mediaconvert_create_tps)
    ses = Bucket(q.ses_rate, q.ses_rate)
    takes: list[Take] = []
    uploads: deque[int] = deque()
    upload_busy = 0
    transcribing = 0
    mc_running = 0
    mc_queue: deque[tuple[int, float]] = deque()  # (take, queued at)
    event_busy = 0
    counter_writes: dict[int, int] = {}

    for start in arrivals(rng, candidates):
        for k in range(ANSWERS):
            done = start + (k + 1) * ANSWER_SECONDS + k * THINK_SECONDS
            t = Take(id=len(takes), submitted=done)
            takes.append(t)
            at(done, "calls", t.id, p.requests_per_answer, 0, "upload")
        at(start + ANSWERS * (ANSWER_SECONDS + THINK_SECONDS) + UPLOAD_SECONDS, "calls", -1, p.requests_per_finish, 0, "finish")
    at(p.reconcile_every, "reconcile")

    def write_counter(now: float) -> None:
        counter_writes[int(now)] = counter_writes.get(int(now), 0) + 1

    def sdk_call(bucket: Bucket, now: float, busy: bool) -> tuple[bool, float, int, int]:
        """One AWS call under the SDK's standard retries: (done, seconds spent, throttles, quota refusals)."""
        spent, throttles, refused = 0.0, 0, 0
        for attempt in range(p.sdk_attempts):
            if not bucket.take(now + spent):
                throttles += 1
            elif busy:
                refused += 1
            else:
                return True, spent, throttles, refused
            spent += rng.uniform(0, min(20.0, 2.0**attempt))  # botocore's standard mode: full jitter, 20 s cap
        return False, spent, throttles, refused

    def start_jobs(take: Take, now: float) -> float:
        nonlocal transcribing, mc_running
        spent = 0.0
        if take.speech in ("new", "deferred"):
            ok, s, th, lim = sdk_call(start_tps, now, transcribing >= q.transcribe_concurrent)
            c.transcribe_throttled += th
            c.transcribe_limit += lim
            spent += s
            if ok:
                if take.speech == "deferred":
                    c.transcribe_restarted += 1
                take.speech = "queued"
                transcribing += 1
                at(now + spent + transcribe_seconds(ANSWER_SECONDS), "job_done", take.id, "speech")
            else:
                take.speech = "deferred"
                c.transcribe_deferred += 1
        if take.video in ("new", "deferred"):
            ok, s, th, _ = sdk_call(create_tps, now + spent, False)
            c.mediaconvert_throttled += th
            spent += s
            if ok:
                take.video = "queued"
                mc_queue.append((take.id, now + spent))
                pump_mediaconvert(now + spent)
            else:
                take.video = "deferred"
                c.mediaconvert_deferred += 1
        return spent

    def pump_mediaconvert(now: float) -> None:
        nonlocal mc_running
        while mc_running < q.mediaconvert_concurrent and mc_queue:
            tid, queued = mc_queue.popleft()
            c.mediaconvert_wait_max = max(c.mediaconvert_wait_max, now - queued)
            mc_running += 1
            at(now + mediaconvert_seconds(ANSWER_SECONDS), "job_done", tid, "video")

    def pump_uploads(now: float) -> None:
        nonlocal upload_busy
        while upload_busy < p.upload_concurrency and uploads:
            batch = [uploads.popleft() for _ in range(min(p.upload_batch, len(uploads)))]
            upload_busy += 1
            at(now, "upload_record", batch)

    def upload_record(batch: list[int], now: float) -> None:
        """One record of an on_upload batch; the batch's next record when this one is done."""
        nonlocal upload_busy
        if not batch:
            upload_busy -= 1
            pump_uploads(now)
            return
        take = takes[batch[0]]
        if take.since == 0.0:
            take.since = now
            write_counter(now)
        spent = ON_UPLOAD_PER_RECORD + start_jobs(take, now)
        at(now + spent, "upload_record", batch[1:])

    while events:
        clock, _, kind, args = heapq.heappop(events)
        if clock > HORIZON:
            break
        if kind == "calls":
            tid, left, attempt, then = args
            c.api_calls += 1
            if not api.take(clock):
                c.api_throttled += 1
                if attempt < len(p.backoff_ceilings):
                    at(clock + rng.uniform(0, p.backoff_ceilings[attempt]), "calls", tid, left, attempt + 1, then)
                else:
                    c.app_gave_up += 1
                    at(clock + APP_RETRY_AFTER, "calls", tid, left, 0, then)
            elif left > 1:
                at(clock + API_CALL_SECONDS, "calls", tid, left - 1, 0, then)
            elif then == "upload":
                at(clock + API_CALL_SECONDS + UPLOAD_SECONDS + S3_TO_SQS, "queued", tid)
            else:  # the candidate finished: the counter item, and one email through the outbox
                write_counter(clock)
                at(clock + 1.0, "email", 0)
        elif kind == "queued":
            uploads.append(args[0])
            pump_uploads(clock)
        elif kind == "upload_record":
            upload_record(args[0], clock)
        elif kind == "job_done":
            tid, step = args
            if step == "speech":
                transcribing -= 1
            else:
                mc_running -= 1
                pump_mediaconvert(clock)
            at(clock + EVENTBRIDGE_TO_LAMBDA, "media_event", tid, step, 0)
        elif kind == "media_event":
            tid, step, tries = args
            if event_busy >= p.media_event_concurrency:
                # Throttled: Lambda keeps the event and retries, from 1 s doubling to 5 minutes, for 6 hours.
                c.media_event_throttled += 1
                at(clock + min(300.0, 2.0**tries), "media_event", tid, step, tries + 1)
            else:
                event_busy += 1
                at(clock + ON_MEDIA_EVENT_SECONDS, "media_event_done", tid, step)
        elif kind == "media_event_done":
            tid, step = args
            event_busy -= 1
            take = takes[tid]
            setattr(take, step, "done")
            if take.video == "done" and take.speech == "done":
                take.ready = clock
                write_counter(clock)
        elif kind == "reconcile":
            # The oldest processing takes, a page of them; each deferred step is asked of on_upload again.
            c.reconcile_runs += 1
            due = [t for t in takes if t.ready is None and 0 < t.since < clock - p.reconcile_after]
            due.sort(key=lambda t: t.since)
            for take in due[: p.reconcile_page]:
                if "deferred" in (take.speech, take.video):
                    at(clock + S3_TO_SQS, "queued", take.id)
            if any(t.ready is None for t in takes):
                at(clock + p.reconcile_every, "reconcile")
        elif kind == "email":
            tries = args[0]
            if ses.take(clock):
                continue
            c.ses_throttled += 1
            if tries >= 8:  # the outbox's tries (1, 2, 4 ... minutes): then a dead letter, and an alarm
                c.emails_given_up += 1
            else:
                at(clock + 60.0 * 2**tries, "email", tries + 1)
    c.counter_writes_peak = max(counter_writes.values(), default=0)
    return takes, c


def summary(takes: list[Take], c: Counts) -> dict:
    ready = [t.ready for t in takes if t.ready is not None]
    waits = sorted(t.ready - t.submitted for t in takes if t.ready is not None)
    return {
        "answers": len(takes),
        "ready": len(ready),
        "lost": len(takes) - len(ready),
        "last_ready_s": round(max(ready), 0) if ready else None,
        "median_wait_s": round(waits[len(waits) // 2], 0) if waits else None,
        "p99_wait_s": round(waits[int(len(waits) * 0.99)], 0) if waits else None,
        **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in vars(c).items() if k != "extra"},
    }


def _hm(seconds: float) -> str:
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d} min"


def run() -> list[Row]:
    sys.path.insert(0, str(ROOT / "infra"))
    from oneway_infra import sizes

    policy = Policy.from_code()
    rate, burst = sizes.candidate_throttle()
    defaults = Quotas(api_rate=rate, api_burst=burst)
    # What docs/scale.md says to raise for a day like this one: the MediaConvert queue's and Transcribe's
    # concurrent jobs (AWS quotas), and the candidate routes' throttle (Oneway's, sized for the rush).
    rush_rate, rush_burst = sizes.candidate_throttle(cohort=RUSH_COHORT)
    raised = replace(defaults, mediaconvert_concurrent=400, transcribe_concurrent=1000, api_rate=rush_rate, api_burst=rush_burst)
    rows = []
    raised_label = f"MediaConvert queue 400 and Transcribe 1,000 concurrent jobs, candidate routes {rush_rate}/s"
    for label, quotas in (("default quotas", defaults), (raised_label, raised)):
        s = summary(*simulate(quotas, policy))
        last = s["last_ready_s"] or float(HORIZON)
        rows.append(
            Row(
                figure=f"Mass-hiring day: last answer ready, 10,000 candidates × 3 answers in an hour ({label})",
                value=round(last / 3600, 2),
                unit="h",
                shown=_hm(last) if not s["lost"] else f"over a day ({s['lost']:,} answers still queued at 24 h)",
                baseline=1.0,
                baseline_label="the hour of arrivals",
                baseline_shown="1 h",
                goal=Goal(of="value", op="<=", target=GOAL_SECONDS / 3600, unit="h"),
                note=(f"{s['api_throttled']:,} of {s['api_calls']:,} API calls throttled (429) and retried by the app; "
                      f"StartTranscriptionJob {s['transcribe_throttled']:,} throttled, {s['transcribe_limit']:,} past the concurrent-job quota "
                      f"({s['transcribe_deferred']:,} deferred, {s['transcribe_restarted']:,} started again by the reconciler); "
                      f"{s['media_event_throttled']:,} job events throttled and retried by Lambda; "
                      f"longest wait in the MediaConvert queue {_hm(s['mediaconvert_wait_max'])}; "
                      f"median wait from send to ready {s['median_wait_s']:.0f} s, 99th percentile {s['p99_wait_s']:.0f} s; "
                      f"the interview's counter item peaks at {s['counter_writes_peak']} writes/s (the partition's limit: 1,000 WCU/s); "
                      f"emails: {s['ses_throttled']:,} throttled by SES, {s['emails_given_up']} given up; "
                      f"job times and the MediaConvert queue's default are assumptions (docs/scale.md)"),
                details={"quotas": vars(quotas), "policy": dict(vars(policy)), **s},
            )
        )
    d = rows[0].details
    dropped = d["emails_given_up"]  # the model's only way to drop work: an email past the outbox's tries
    rows.append(Row(
        figure="Mass-hiring day: answers or emails lost, default quotas",
        value=float(dropped),
        unit="",
        shown=str(dropped),
        goal=Goal(of="value", op="<=", target=0),
        note=(f"nothing is dropped: a throttled call is retried, a deferred job started again by the reconciler, and a job past "
              f"the MediaConvert queue's concurrency waits in the queue; at default quotas {d['lost']:,} answers are still "
              f"waiting there a day later (late, not lost)"),
    ))
    return rows


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
