"""The estimate: what answered minutes cost, service by service and line by line."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import sizes
from .prices import GIB, PRICES, PRICES_AS_OF, Prices
from .settings import (
    Recorder,
    deployed_setting,
    mediaconvert_job,
    recorder,
    retention_days,
    transcribe_job,
    waf_enabled,
)
from .storage import monitored, storage_gib_months, stored_objects, tier_price
from .tiers import OutputPrice, classify_outputs, rendition_ceiling
from .usage import Usage

TARGET_PER_ANSWERED_MINUTE = 0.05
SERVICES = ("MediaConvert", "Transcribe", "S3", "Lambda", "API Gateway", "DynamoDB", "CloudFront", "WAF", "SES", "CloudWatch & X-Ray")


@dataclass(frozen=True)
class Line:
    service: str
    item: str
    quantity: float
    unit: str
    usd: float


@dataclass(frozen=True)
class CostEstimate:
    answered_minutes: float
    answers: float
    total_usd: float
    by_service: dict[str, float]
    lines: list[Line]
    outputs: list[OutputPrice]
    assumptions: dict[str, Any] = field(default_factory=dict)

    @property
    def per_answered_minute(self) -> float:
        return self.total_usd / self.answered_minutes


def estimate(
    answered_minutes: float = 1.0,
    *,
    usage: Usage = Usage(),
    prices: Prices = PRICES,
    job: dict[str, Any] | None = None,
    source: Recorder | None = None,
    retention: int | None = None,
    waf: bool | None = None,
) -> CostEstimate:
    """What ``answered_minutes`` of answers cost, from the upload to the end of the retention
    period: answers of ``usage.answer_minutes`` in interviews of ``usage.interview_minutes``,
    each watched by the reviewers. Per-interview costs (emails, page loads, reviews) are
    spread over the interview's minutes, so ``estimate(1.0)`` is the cost per answered
    minute and ``estimate(10.0)`` that of a 10-minute interview.
    """
    if answered_minutes <= 0:
        raise ValueError("answered_minutes must be positive")
    job = job or mediaconvert_job()
    source = source or recorder()
    retention = retention or retention_days()
    u, p = usage, prices
    answers = answered_minutes / u.answer_minutes
    interviews = answered_minutes / u.interview_minutes
    seconds_each = u.answer_minutes * 60
    lines = _Lines()

    outputs = classify_outputs(job, source, p)
    _mediaconvert(lines, outputs, answers, seconds_each, p)
    _transcribe(lines, answers, seconds_each, p)
    stored = stored_objects(job, source, retention, u)
    part_size = deployed_setting("part_size")
    _s3(lines, stored, answers, seconds_each, retention, part_size, u, p)
    calls = _Calls.of(answers, interviews, u)
    invocations = _lambda(lines, calls, answers, u, p)
    lines.add("API Gateway", "HTTP API requests", calls.api, "requests", calls.api * p.http_api_per_million / 1e6)
    _dynamodb(lines, answers, interviews, calls.messages, retention, u, p)
    _cloudfront(lines, interviews, calls.api, waf_enabled() if waf is None else waf, u, p)
    emails = interviews * calls.emails_each
    lines.add("SES", "emails", emails, "emails", emails * p.ses_per_1000 / 1000)
    _monitoring(lines, invocations, u, p)

    by_service = dict.fromkeys(SERVICES, 0.0)
    for line in lines:
        by_service[line.service] += line.usd
    assumptions = {
        **dict(asdict(u).items()),
        "recorder": asdict(source),
        "retention_days": retention,
        "recording_kept_days": stored[0][3],
        "rendition_ceiling_bps": rendition_ceiling(job),
        "part_size": part_size,
        "emails_per_interview": calls.emails_each,
        "region": "us-east-1",
        "prices_as_of": PRICES_AS_OF,
    }
    return CostEstimate(
        answered_minutes=answered_minutes,
        answers=answers,
        total_usd=sum(by_service.values()),
        by_service=by_service,
        lines=list(lines),
        outputs=outputs,
        assumptions=assumptions,
    )


class _Lines(list[Line]):
    def add(self, service: str, item: str, quantity: float, unit: str, usd: float) -> None:
        self.append(Line(service, item, quantity, unit, usd))


@dataclass(frozen=True)
class _Calls:
    """API calls (candidates' to the public function, reviewers' to the staff one) and outbox messages."""

    candidate: float
    staff: float
    emails_each: int
    messages: float

    @property
    def api(self) -> float:
        return self.candidate + self.staff

    @classmethod
    def of(cls, answers: float, interviews: float, u: Usage) -> _Calls:
        emails_each = u.emails_per_interview or 2 + len(deployed_setting("reminder_hours"))
        return cls(
            candidate=answers * u.candidate_calls_per_answer + interviews * u.candidate_calls_per_interview,
            staff=interviews * u.reviewer_calls_per_interview,
            emails_each=emails_each,
            messages=interviews * (emails_each + u.events_per_interview),
        )


def _mediaconvert(lines: _Lines, outputs: list[OutputPrice], answers: float, seconds_each: float, p: Prices) -> None:
    """Every output, by the second, at least 10 s each."""
    billed_min = answers * max(seconds_each, p.mediaconvert_min_seconds) / 60
    for o in outputs:
        lines.add("MediaConvert", f"{o.name} {o.width}x{o.height} ({o.tier}, {o.resolution})", billed_min, "output min",
                  billed_min * o.usd_per_minute)


def _transcribe(lines: _Lines, answers: float, seconds_each: float, p: Prices) -> None:
    """The whole recording, standard batch, and any priced option the request asks for."""
    request = transcribe_job()
    billed_min = answers * max(seconds_each, p.transcribe_min_seconds) / 60
    lines.add("Transcribe", "standard batch transcription", billed_min, "audio min", billed_min * p.transcribe_per_minute)
    if request.get("ContentRedaction"):
        lines.add("Transcribe", "PII redaction", billed_min, "audio min", billed_min * p.transcribe_pii_redaction_per_minute)
    if (request.get("ModelSettings") or {}).get("LanguageModelName"):
        lines.add("Transcribe", "custom language model", billed_min, "audio min", billed_min * p.transcribe_custom_model_per_minute)


def _s3(
    lines: _Lines, stored: list[tuple[str, str, float, float]], answers: float, seconds_each: float, retention: int,
    part_size: int, u: Usage, p: Prices,
) -> None:
    """What is stored, for how long, in which storage class or tier; requests; what reviewers download."""
    recording, rendition = stored[0][2], stored[1][2]
    audio_rendition = stored[2][2] if len(stored) > 2 else 0
    small = u.poster_bytes + u.transcript_bytes_per_minute * seconds_each / 60  # < 128 KB: never tiered
    tiered_objects = 0
    for what, bucket, size, days in stored:
        if not (sizes.INTELLIGENT_TIERING[bucket] and monitored(size)):
            gib_months = answers * size / GIB * days / 30
            lines.add("S3", f"{what} storage, S3 Standard", gib_months, "GB-month", gib_months * p.s3_standard_gb_month)
            continue
        tiered_objects += 1
        for tier, months in storage_gib_months(days):
            gib_months = answers * size / GIB * months
            lines.add("S3", f"{what} storage, {tier} tier", gib_months, "GB-month", gib_months * tier_price(p, tier))
        object_months = answers * days / 30
        lines.add("S3", f"{what}: Intelligent-Tiering monitoring", object_months, "object-month",
                  object_months * p.s3_monitoring_per_1000_objects_month / 1000)
    gib_months = answers * small / GIB * retention / 30
    lines.add("S3", "poster, transcript, captions storage", gib_months, "GB-month", gib_months * p.s3_standard_gb_month)

    puts = answers * (
        2 + math.ceil(recording / part_size)  # candidate's multipart upload
        + 2 + math.ceil(rendition / part_size) + 1  # MediaConvert: the MP4 (multipart) and the poster
        + (1 if audio_rendition else 0)  # and the audio-only rendition
        + 2  # Transcribe: transcript and captions
    )
    gets = answers * (1 + u.mediaconvert_reads + u.transcribe_reads + 1 + u.views_per_answer * 6)
    lines.add("S3", "PUT, POST, LIST requests", puts, "requests", puts * p.s3_put_per_1000 / 1000)
    lines.add("S3", "GET requests", gets, "requests", gets * p.s3_get_per_1000 / 1000)
    transitions = answers * tiered_objects
    lines.add("S3", "lifecycle transitions to Intelligent-Tiering", transitions, "requests",
              transitions * p.s3_transition_per_1000 / 1000)
    out_gib = answers * u.views_per_answer * (rendition + u.poster_bytes) / GIB
    lines.add("S3", "downloads by reviewers (presigned)", out_gib, "GB", out_gib * p.s3_transfer_out_gb)


def _lambda(lines: _Lines, calls: _Calls, answers: float, u: Usage, p: Prices) -> dict[str, tuple[float, float]]:
    """Every API call, the upload check, one media event per job, one outbox message per email and event:
    requests and GB-seconds. Returns each function's (invocations, seconds each)."""
    memory = sizes.FUNCTION_MEMORY_MB
    invocations = {
        "public_api": (calls.candidate, u.api_seconds),
        "staff_api": (calls.staff, u.api_seconds),
        "on_upload": (answers, u.on_upload_seconds),
        "on_media_event": (answers * 2, u.on_media_event_seconds),
        "deliver": (calls.messages, u.deliver_seconds),
    }
    for name, (count, seconds) in invocations.items():
        gb_s = count * seconds * memory[name] / 1024
        lines.add("Lambda", f"{name}: {count:.3g} invocations", gb_s, "GB-s", gb_s * p.lambda_gb_second + count * p.lambda_per_million / 1e6)
    return invocations


def _dynamodb(lines: _Lines, answers: float, interviews: float, messages: float, retention: int, u: Usage, p: Prices) -> None:
    writes = answers * u.writes_per_answer + interviews * u.writes_per_interview + messages * u.writes_per_outbox_message
    reads = answers * u.reads_per_answer + interviews * u.reads_per_interview
    lines.add("DynamoDB", "write request units", writes, "WRU", writes * p.dynamodb_write_per_million / 1e6)
    lines.add("DynamoDB", "read request units", reads, "RRU", reads * p.dynamodb_read_per_million / 1e6)
    table_gib_months = answers * u.table_bytes_per_answer / GIB * retention / 30
    lines.add("DynamoDB", "storage and point-in-time recovery", table_gib_months, "GB-month",
              table_gib_months * (p.dynamodb_gb_month + p.dynamodb_pitr_gb_month))


def _cloudfront(lines: _Lines, interviews: float, api_calls: float, waf: bool, u: Usage, p: Prices) -> None:
    """The site's files and the API through CloudFront, and the web ACL that inspects them when it is on."""
    site_requests = interviews * u.site_loads_per_interview * u.site_requests_per_load
    cf_requests = site_requests + api_calls
    cf_gib = (interviews * u.site_loads_per_interview * u.site_bytes_per_load + api_calls * 2_000) / GIB
    lines.add("CloudFront", "HTTPS requests (site and API)", cf_requests, "requests", cf_requests * p.cloudfront_https_per_10000 / 10_000)
    lines.add("CloudFront", "SPA router function", site_requests, "invocations", site_requests * p.cloudfront_function_per_million / 1e6)
    lines.add("CloudFront", "transfer out (site and API)", cf_gib, "GB", cf_gib * p.cloudfront_transfer_out_gb)
    if waf:
        # The web ACL inspects every request CloudFront receives, the site's files included.
        lines.add("WAF", "requests inspected by the web ACL", cf_requests, "requests", cf_requests * p.waf_per_million / 1e6)


def _monitoring(lines: _Lines, invocations: dict[str, tuple[float, float]], u: Usage, p: Prices) -> None:
    all_invocations = sum(count for count, _ in invocations.values())
    logs_gib = all_invocations * u.log_bytes_per_invocation / GIB
    lines.add("CloudWatch & X-Ray", "log ingestion", logs_gib, "GB", logs_gib * p.logs_ingest_gb)
    lines.add("CloudWatch & X-Ray", "traces (every request is sampled at low volume)", all_invocations, "traces",
              all_invocations * p.xray_per_million_traces / 1e6)
