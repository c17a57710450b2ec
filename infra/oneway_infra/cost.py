"""What Oneway costs on AWS, per answered minute and per interview, from its real settings.

Read from the code, so the estimate moves when a setting does:
  - the MediaConvert outputs: ``job_request`` (functions/oneway/adapters/mediaconvert.py),
    each classified into MediaConvert's Basic or Professional tier and a resolution class;
  - the Transcribe request: ``transcribe.job_request``;
  - what the browser records (size, frame rate, bitrates): web/src/shared/media.ts;
  - the retention period: cdk.json; the multipart part size: functions/oneway/config.py;
  - Lambda memory, lifecycle days, the scheduled function's runs, the web ACL's rules: sizes.py;
  - whether the web ACL is on: cdk.json (context ``waf``).
Prices are AWS on-demand list prices for us-east-1 (``PRICES``, with the date and the page
of each). Usage that no setting fixes (API calls, views, durations) is in ``Usage``.

    python -m oneway_infra.cost            # print the figures
    python -m oneway_infra.cost --write    # regenerate docs/cost.md from them
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import sizes

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT / "functions") not in sys.path:  # the Oneway package, as the Lambda asset holds it
    sys.path.insert(0, str(REPO_ROOT / "functions"))

COST_DOC = REPO_ROOT / "docs" / "cost.md"
RECORDER_SOURCE = REPO_ROOT / "web" / "src" / "shared" / "media.ts"
CDK_JSON = REPO_ROOT / "cdk.json"

TARGET_PER_ANSWERED_MINUTE = 0.05
GIB = 1024**3
SERVICES = ("MediaConvert", "Transcribe", "S3", "Lambda", "API Gateway", "DynamoDB", "CloudFront", "WAF", "SES", "CloudWatch & X-Ray")


# --- prices ------------------------------------------------------------------------------------

PRICES_AS_OF = "2025-06"
PRICE_PAGES = {
    "MediaConvert": "https://aws.amazon.com/mediaconvert/pricing/",
    "Transcribe": "https://aws.amazon.com/transcribe/pricing/",
    "S3": "https://aws.amazon.com/s3/pricing/",
    "Lambda": "https://aws.amazon.com/lambda/pricing/",
    "API Gateway": "https://aws.amazon.com/api-gateway/pricing/",
    "DynamoDB": "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    "CloudFront": "https://aws.amazon.com/cloudfront/pricing/",
    "WAF": "https://aws.amazon.com/waf/pricing/",
    "SES": "https://aws.amazon.com/ses/pricing/",
    "CloudWatch & X-Ray": "https://aws.amazon.com/cloudwatch/pricing/ and https://aws.amazon.com/xray/pricing/",
}


@dataclass(frozen=True)
class Prices:
    """us-east-1 list prices in USD, first volume tier, no free tier (as of ``PRICES_AS_OF``)."""

    # MediaConvert on demand, per output minute (billed per second, at least 10 s per output),
    # AVC at <= 30 fps; more than 30 fps doubles the rate. Professional: AVC single-pass HQ,
    # the least a Professional output costs (multi-pass HQ and add-ons cost more).
    mediaconvert_basic: tuple[tuple[str, float], ...] = (("SD", 0.0075), ("HD", 0.015), ("UHD", 0.030))
    mediaconvert_professional: tuple[tuple[str, float], ...] = (("SD", 0.012), ("HD", 0.024), ("UHD", 0.048))
    mediaconvert_min_seconds: float = 10
    # An output with no video in its container (the audio-only rendition for blind review) is
    # billed by its duration at the audio-only rate, whatever its codec.
    mediaconvert_audio_only: float = 0.0030
    # Transcribe, standard batch (tier 1), per minute of audio, billed per second, 15 s minimum;
    # PII redaction and custom language models cost extra per minute.
    transcribe_per_minute: float = 0.024
    transcribe_pii_redaction_per_minute: float = 0.0024
    transcribe_custom_model_per_minute: float = 0.006
    transcribe_min_seconds: float = 15
    # S3: Standard; Intelligent-Tiering (frequent, infrequent after 30 days, archive instant after 90),
    # its monitoring fee, requests, lifecycle transitions, transfer out to the internet.
    s3_standard_gb_month: float = 0.023
    s3_frequent_gb_month: float = 0.023
    s3_infrequent_gb_month: float = 0.0125
    s3_archive_instant_gb_month: float = 0.004
    s3_monitoring_per_1000_objects_month: float = 0.0025
    s3_put_per_1000: float = 0.005
    s3_get_per_1000: float = 0.0004
    s3_transition_per_1000: float = 0.01
    s3_transfer_out_gb: float = 0.09
    # Lambda on arm64.
    lambda_gb_second: float = 0.0000133334
    lambda_per_million: float = 0.20
    # HTTP API.
    http_api_per_million: float = 1.00
    # DynamoDB on demand, storage and continuous backups (PITR).
    dynamodb_write_per_million: float = 0.625
    dynamodb_read_per_million: float = 0.125
    dynamodb_gb_month: float = 0.25
    dynamodb_pitr_gb_month: float = 0.20
    # CloudFront (North America / Europe: price class 100).
    cloudfront_transfer_out_gb: float = 0.085
    cloudfront_https_per_10000: float = 0.0100
    cloudfront_function_per_million: float = 0.10
    # AWS WAF: each web ACL and each rule per month (prorated by the hour), and every request the web ACL
    # inspects, allowed or blocked; a rate-based rule costs as any rule.
    waf_web_acl_month: float = 5.00
    waf_rule_month: float = 1.00
    waf_per_million: float = 0.60
    # SES, outbound email.
    ses_per_1000: float = 0.10
    # CloudWatch Logs ingestion, X-Ray traces recorded, alarms, dashboards.
    logs_ingest_gb: float = 0.50
    xray_per_million_traces: float = 5.00
    alarm_month: float = 0.10
    dashboard_month: float = 3.00

    def mediaconvert_rate(self, tier: str, resolution: str) -> float:
        return dict(self.mediaconvert_basic if tier == "Basic" else self.mediaconvert_professional)[resolution]


PRICES = Prices()


# --- what no setting fixes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """Assumptions about use, each with its number; docs/cost.md lists them."""

    interview_minutes: float = 10.0  # answered minutes in one interview (per-interview costs spread over them)
    answer_minutes: float = 2.0  # the length of one answer
    views_per_answer: int = 2  # two reviewers each watch every answer once, in full
    candidate_calls_per_answer: int = 5  # start take, upload, complete, session refreshes
    candidate_calls_per_interview: int = 6  # session, consent, complete, feedback, config.json
    reviewer_calls_per_interview: int = 14  # two reviewers: lists, the candidate, review, decision
    site_loads_per_interview: int = 3  # the candidate app once, the review app for two reviewers
    site_bytes_per_load: int = 450_000  # the built web app (JS, CSS, HTML), compressed
    site_requests_per_load: int = 8
    emails_per_interview: int | None = None  # None: the invitation, every reminder (config.py), "ready for review"
    api_seconds: float = 0.15  # warm API call (Lambda duration), public (candidates) or staff (reviewers)
    # The outbox: one message per email and per domain event (completed, ready, decided), each carried out by the
    # deliver function (one invocation each: the stream hands them over as they come) and written, claimed and
    # marked done in the table. The stream's reads by Lambda are free (https://aws.amazon.com/dynamodb/pricing/on-demand/).
    events_per_interview: int = 3
    deliver_seconds: float = 0.2
    writes_per_outbox_message: int = 4  # in its change's transaction (2 units), the try's claim, its outcome
    on_upload_seconds: float = 0.8  # inspect the object, start two jobs
    on_media_event_seconds: float = 0.3  # one per job (video, speech)
    log_bytes_per_invocation: int = 2_000  # structured JSON lines
    writes_per_answer: int = 30  # DynamoDB write units: take, upload, pipeline transitions, counters
    reads_per_answer: int = 60  # DynamoDB read units, reviewers' views included
    writes_per_interview: int = 20  # invitation, consent, reviews, decision, audit entries
    reads_per_interview: int = 60
    table_bytes_per_answer: int = 12_000  # take items, transcript text
    poster_bytes: int = 60_000  # an 864x486 JPEG
    transcript_bytes_per_minute: int = 35_000  # Transcribe JSON with word timings, and WebVTT
    mediaconvert_reads: int = 4  # ranged GETs of the recording, per job
    transcribe_reads: int = 2
    rendition_bps: int | None = None  # the rendition's average bitrate; None: QVBR's ceiling (MaxBitrate + audio)


# --- settings read from the code ------------------------------------------------------------------


@dataclass(frozen=True)
class Recorder:
    """What the candidate app records (web/src/shared/media.ts)."""

    width: int
    height: int
    max_fps: int
    video_bps: int
    audio_bps: int


def _number(pattern: str, text: str, what: str) -> int:
    m = re.search(pattern, text)
    if not m:
        raise ValueError(f"{RECORDER_SOURCE}: cannot find {what} (pattern {pattern!r}); update oneway_infra/cost.py")
    return int(m[1].replace("_", ""))


def recorder(source: Path = RECORDER_SOURCE) -> Recorder:
    text = source.read_text()
    return Recorder(
        width=_number(r"width:\s*\{\s*ideal:\s*([\d_]+)", text, "the camera width"),
        height=_number(r"height:\s*\{\s*ideal:\s*([\d_]+)", text, "the camera height"),
        max_fps=_number(r"frameRate:\s*\{[^}]*max:\s*([\d_]+)", text, "the maximum frame rate"),
        video_bps=_number(r"videoBitsPerSecond:\s*([\d_]+)", text, "videoBitsPerSecond"),
        audio_bps=_number(r"audioBitsPerSecond:\s*([\d_]+)", text, "audioBitsPerSecond"),
    )


def deployed_setting(name: str) -> Any:
    """A setting of functions/oneway/config.py as the deployed functions have it: the stack
    sets no variable for it, so its default (never this machine's environment)."""
    from oneway.config import Settings

    return Settings.model_fields[name].default


def retention_days(cdk_json: Path = CDK_JSON) -> int:
    return int(json.loads(cdk_json.read_text())["context"]["retentionDays"])


def waf_enabled(cdk_json: Path = CDK_JSON) -> bool:
    """Context ``waf`` of cdk.json (on unless false), as the CDK app reads it (constants.as_bool)."""
    value = json.loads(cdk_json.read_text())["context"].get("waf", True)
    return value if isinstance(value, bool) else str(value).strip().lower() not in {"false", "0", "no", "off", ""}


def _sample_requests() -> tuple[Any, Any, Any]:
    from oneway.config import Settings
    from oneway.domain import keys
    from oneway.ports import TranscodeRequest, TranscribeRequest

    ref = keys.TakeRef(org_id="o", interview_id="i", candidate_id="c", question_id="q", take_id="t")
    settings = Settings(mediaconvert_role_arn="arn:aws:iam::000000000000:role/oneway-mediaconvert")
    transcode = TranscodeRequest(
        ref=ref,
        input_bucket=settings.uploads_bucket,
        input_key=keys.recording_key(ref, "video/webm"),
        output_bucket=settings.media_bucket,
        output_prefix=keys.media_prefix(ref),
        idempotency_token="cost-model",
    )
    transcribe = TranscribeRequest(**transcode.model_dump(), transcript_key=keys.transcript_key(ref))
    return settings, transcode, transcribe


def mediaconvert_job() -> dict[str, Any]:
    """The CreateJob request Oneway sends for one take."""
    from oneway.adapters import mediaconvert

    settings, transcode, _ = _sample_requests()
    return mediaconvert.job_request(transcode, settings)


def transcribe_job() -> dict[str, Any]:
    from oneway.adapters import transcribe

    settings, _, request = _sample_requests()
    return transcribe.job_request(request, settings)


# --- MediaConvert tiers ---------------------------------------------------------------------------

BASIC_CODECS = {"H_264", "VP8", "VP9", "FRAME_CAPTURE"}
# Basic: AVC with "speed-optimized or balanced single-pass encoding" (MediaConvert pricing page).
BASIC_QUALITY_TUNING = {"SINGLE_PASS", None}
# Preprocessors beyond static overlays (image inserter) belong to the Professional tier.
BASIC_PREPROCESSORS = {"ImageInserter"}


OUTPUT_NAMES = {"H_264": "MP4 rendition (H.264/AAC)", "FRAME_CAPTURE": "poster (JPEG frame capture)", "AAC": "audio-only rendition (AAC)"}


@dataclass(frozen=True)
class OutputPrice:
    name: str
    codec: str
    width: int
    height: int
    fps: float
    resolution: str  # SD (< 720 lines), HD (720-1080), UHD, or audio
    tier: str  # Basic, Professional, or audio-only
    why: str
    usd_per_minute: float


def _fit(width: int, height: int, box_w: int, box_h: int, behavior: str) -> tuple[int, int]:
    scale = min(box_w / width, box_h / height)
    if behavior == "FIT_NO_UPSCALE":
        scale = min(scale, 1.0)
    return round(width * scale), round(height * scale)


def resolution_class(width: int, height: int) -> str:
    lines = min(width, height)
    return "SD" if lines < 720 else "HD" if lines <= 1080 else "UHD"


def classify_outputs(job: dict[str, Any], source: Recorder, prices: Prices = PRICES) -> list[OutputPrice]:
    """Every output of a CreateJob request: its size for this source, tier, reasons and rate."""
    found = []
    accelerated = (job.get("AccelerationSettings") or {}).get("Mode", "DISABLED") != "DISABLED"
    for group in job["Settings"]["OutputGroups"]:
        for output in group["Outputs"]:
            if "VideoDescription" not in output:
                found.append(_audio_only(output, group, prices))
                continue
            video = output.get("VideoDescription") or {}
            codec_settings = video.get("CodecSettings") or {}
            codec = codec_settings.get("Codec", "")
            specific = next((v for k, v in codec_settings.items() if k.endswith("Settings") and isinstance(v, dict)), {})
            pro = []
            if codec not in BASIC_CODECS:
                pro.append(f"codec {codec}")
            if specific.get("QualityTuningLevel") not in BASIC_QUALITY_TUNING:
                pro.append(f"quality tuning {specific['QualityTuningLevel']}")
            if specific.get("FramerateControl") == "SPECIFIED":
                pro.append("frame-rate conversion")
            if specific.get("FramerateConversionAlgorithm") == "FRAMEFORMER":
                pro.append("FrameFormer")
            extra = set(video.get("VideoPreprocessors") or {}) - BASIC_PREPROCESSORS
            if extra:
                pro.append("preprocessors " + ", ".join(sorted(extra)))
            if any(a.get("AudioNormalizationSettings") for a in output.get("AudioDescriptions") or []):
                pro.append("audio normalization")
            if accelerated:
                pro.append("accelerated transcoding")

            width, height = _fit(
                source.width, source.height, video.get("Width", source.width), video.get("Height", source.height),
                video.get("ScalingBehavior", "DEFAULT"),
            )
            if specific.get("FramerateControl") == "SPECIFIED":
                fps = specific["FramerateNumerator"] / specific["FramerateDenominator"]
            else:  # follows the source
                fps = float(source.max_fps)
            resolution = resolution_class(width, height)
            tier = "Professional" if pro else "Basic"
            rate = prices.mediaconvert_rate(tier, resolution) * (2 if fps > 30 else 1)
            single_pass = "balanced single pass, " if codec == "H_264" else ""
            why = (
                "Professional: " + "; ".join(pro)
                if pro
                else f"Basic: {codec}, {single_pass}the source's frame rate, no acceleration or preprocessors"
            )
            found.append(
                OutputPrice(
                    name=OUTPUT_NAMES.get(codec, f"{group.get('Name', 'output')} ({codec})"),
                    codec=codec, width=width, height=height, fps=fps, resolution=resolution, tier=tier, why=why,
                    usd_per_minute=rate,
                )
            )
    return found


def _audio_only(output: dict[str, Any], group: dict[str, Any], prices: Prices) -> OutputPrice:
    (audio,) = output["AudioDescriptions"]  # MediaConvert: one audio description per audio-only output
    codec = audio["CodecSettings"]["Codec"]
    return OutputPrice(
        name=OUTPUT_NAMES.get(codec, f"{group.get('Name', 'output')} ({codec}, audio only)"),
        codec=codec, width=0, height=0, fps=0, resolution="audio", tier="audio-only",
        why="no video in the container: MediaConvert bills it by the minute at its audio-only rate",
        usd_per_minute=prices.mediaconvert_audio_only,
    )


def _audio_only_bps(job: dict[str, Any]) -> int:
    """The bitrate of the audio-only outputs (0 if the job makes none)."""
    return sum(
        next(iter(v for k, v in a["CodecSettings"].items() if k.endswith("Settings")))["Bitrate"]
        for group in job["Settings"]["OutputGroups"]
        for output in group["Outputs"]
        if "VideoDescription" not in output
        for a in output.get("AudioDescriptions") or []
    )


# --- the estimate --------------------------------------------------------------------------------------


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


def _storage_gib_months(days: float) -> list[tuple[str, float]]:
    """Months an object spends in each Intelligent-Tiering tier when nobody reads it after its first days."""
    tiers = [("frequent", 0, 30), ("infrequent", 30, 90), ("archive instant", 90, math.inf)]
    return [(name, (min(days, end) - start) / 30) for name, start, end in tiers if days > start]


def _tier_price(prices: Prices, tier: str) -> float:
    return {
        "frequent": prices.s3_frequent_gb_month,
        "infrequent": prices.s3_infrequent_gb_month,
        "archive instant": prices.s3_archive_instant_gb_month,
    }[tier]


def monitored(size_bytes: float) -> bool:
    """Whether Intelligent-Tiering takes the object at all: smaller ones are neither transitioned nor monitored."""
    return size_bytes >= sizes.INTELLIGENT_TIERING_MIN_OBJECT_KB * 1024


def object_storage_usd(size_bytes: float, days: float, *, tiered: bool, prices: Prices = PRICES) -> float:
    """One object kept ``days``: in S3 Standard, or moved to Intelligent-Tiering on its first day
    (transition request, monitoring fee, and the tiers it reaches when nobody reads it after its first days)."""
    gib = size_bytes / GIB
    if not (tiered and monitored(size_bytes)):
        return gib * days / 30 * prices.s3_standard_gb_month
    storage = sum(gib * months * _tier_price(prices, tier) for tier, months in _storage_gib_months(days))
    return storage + days / 30 * prices.s3_monitoring_per_1000_objects_month / 1000 + prices.s3_transition_per_1000 / 1000


@dataclass(frozen=True)
class TieringChoice:
    """The storage cost of one stored object of an answer, both ways, and what the bucket does."""

    what: str
    bucket: str
    size_bytes: float
    days: float
    standard_usd: float
    tiered_usd: float
    tiered: bool  # what sizes.INTELLIGENT_TIERING chooses for the bucket

    @property
    def cheaper_is_chosen(self) -> bool:
        return self.tiered == (self.tiered_usd < self.standard_usd)


def _stored_objects(job, source, retention, usage: Usage) -> list[tuple[str, str, float, float]]:
    """(what, bucket, bytes, days kept) for the large objects of one answer."""
    seconds = usage.answer_minutes * 60
    recording = (source.video_bps + source.audio_bps) / 8 * seconds
    rendition = (usage.rendition_bps or _rendition_ceiling(job)) / 8 * seconds
    audio_rendition = _audio_only_bps(job) / 8 * seconds
    recording_days = min(retention, sizes.RECORDING_DAYS) + sizes.UPLOADS_NONCURRENT_VERSION_DAYS
    stored = [("recording", "uploads", recording, recording_days), ("rendition", "media", rendition, retention)]
    if audio_rendition:
        stored.append(("audio-only rendition", "media", audio_rendition, retention))
    return stored


def tiering_choice(
    *, usage: Usage = Usage(), prices: Prices = PRICES, job: dict[str, Any] | None = None,
    source: Recorder | None = None, retention: int | None = None,
) -> list[TieringChoice]:
    """For each large object of an answer: Standard or Intelligent-Tiering, priced, and the bucket's choice."""
    job = job or mediaconvert_job()
    source = source or recorder()
    retention = retention or retention_days()
    return [
        TieringChoice(
            what=what,
            bucket=bucket,
            size_bytes=size,
            days=days,
            standard_usd=object_storage_usd(size, days, tiered=False, prices=prices),
            tiered_usd=object_storage_usd(size, days, tiered=True, prices=prices),
            tiered=sizes.INTELLIGENT_TIERING[bucket],
        )
        for what, bucket, size, days in _stored_objects(job, source, retention, usage)
    ]


def _rendition_ceiling(job: dict[str, Any]) -> int:
    """The MP4's video MaxBitrate plus its audio bitrate, from the job itself."""
    for group in job["Settings"]["OutputGroups"]:
        for output in group["Outputs"]:
            codec = (output.get("VideoDescription") or {}).get("CodecSettings") or {}
            if codec.get("Codec") == "H_264":
                audio = sum(a["CodecSettings"]["AacSettings"]["Bitrate"] for a in output.get("AudioDescriptions") or [])
                return codec["H264Settings"]["MaxBitrate"] + audio
    raise ValueError("the MediaConvert job has no H.264 output")


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
    lines: list[Line] = []

    def add(service: str, item: str, quantity: float, unit: str, usd: float) -> None:
        lines.append(Line(service, item, quantity, unit, usd))

    # MediaConvert: every output, by the second, at least 10 s each.
    outputs = classify_outputs(job, source, p)
    billed_min = answers * max(seconds_each, p.mediaconvert_min_seconds) / 60
    for o in outputs:
        add("MediaConvert", f"{o.name} {o.width}x{o.height} ({o.tier}, {o.resolution})", billed_min, "output min",
            billed_min * o.usd_per_minute)

    # Transcribe: the whole recording, standard batch, and any priced option the request asks for.
    request = transcribe_job()
    billed_min = answers * max(seconds_each, p.transcribe_min_seconds) / 60
    add("Transcribe", "standard batch transcription", billed_min, "audio min", billed_min * p.transcribe_per_minute)
    if request.get("ContentRedaction"):
        add("Transcribe", "PII redaction", billed_min, "audio min", billed_min * p.transcribe_pii_redaction_per_minute)
    if (request.get("ModelSettings") or {}).get("LanguageModelName"):
        add("Transcribe", "custom language model", billed_min, "audio min", billed_min * p.transcribe_custom_model_per_minute)

    # S3: what is stored, for how long, in which storage class or tier; requests; what reviewers download.
    stored = _stored_objects(job, source, retention, u)
    recording, rendition = stored[0][2], stored[1][2]
    audio_rendition = stored[2][2] if len(stored) > 2 else 0
    recording_days = stored[0][3]
    small = u.poster_bytes + u.transcript_bytes_per_minute * seconds_each / 60  # < 128 KB: never tiered
    tiered_objects = 0
    for what, bucket, size, days in stored:
        if not (sizes.INTELLIGENT_TIERING[bucket] and monitored(size)):
            gib_months = answers * size / GIB * days / 30
            add("S3", f"{what} storage, S3 Standard", gib_months, "GB-month", gib_months * p.s3_standard_gb_month)
            continue
        tiered_objects += 1
        for tier, months in _storage_gib_months(days):
            gib_months = answers * size / GIB * months
            add("S3", f"{what} storage, {tier} tier", gib_months, "GB-month", gib_months * _tier_price(p, tier))
        object_months = answers * days / 30
        add("S3", f"{what}: Intelligent-Tiering monitoring", object_months, "object-month",
            object_months * p.s3_monitoring_per_1000_objects_month / 1000)
    gib_months = answers * small / GIB * retention / 30
    add("S3", "poster, transcript, captions storage", gib_months, "GB-month", gib_months * p.s3_standard_gb_month)

    part_size = deployed_setting("part_size")
    puts = answers * (
        2 + math.ceil(recording / part_size)  # candidate's multipart upload
        + 2 + math.ceil(rendition / part_size) + 1  # MediaConvert: the MP4 (multipart) and the poster
        + (1 if audio_rendition else 0)  # and the audio-only rendition
        + 2  # Transcribe: transcript and captions
    )
    gets = answers * (1 + u.mediaconvert_reads + u.transcribe_reads + 1 + u.views_per_answer * 6)
    add("S3", "PUT, POST, LIST requests", puts, "requests", puts * p.s3_put_per_1000 / 1000)
    add("S3", "GET requests", gets, "requests", gets * p.s3_get_per_1000 / 1000)
    transitions = answers * tiered_objects
    add("S3", "lifecycle transitions to Intelligent-Tiering", transitions, "requests",
        transitions * p.s3_transition_per_1000 / 1000)
    out_gib = answers * u.views_per_answer * (rendition + u.poster_bytes) / GIB
    add("S3", "downloads by reviewers (presigned)", out_gib, "GB", out_gib * p.s3_transfer_out_gb)

    # Lambda: every API call (candidates' to the public function, reviewers' to the staff one), the upload check,
    # one media event per job, one outbox message per email and event; requests and GB-seconds.
    candidate_calls = answers * u.candidate_calls_per_answer + interviews * u.candidate_calls_per_interview
    staff_calls = interviews * u.reviewer_calls_per_interview
    api_calls = candidate_calls + staff_calls
    emails_each = u.emails_per_interview or 2 + len(deployed_setting("reminder_hours"))
    messages = interviews * (emails_each + u.events_per_interview)
    memory = sizes.FUNCTION_MEMORY_MB
    invocations = {
        "public_api": (candidate_calls, u.api_seconds),
        "staff_api": (staff_calls, u.api_seconds),
        "on_upload": (answers, u.on_upload_seconds),
        "on_media_event": (answers * 2, u.on_media_event_seconds),
        "deliver": (messages, u.deliver_seconds),
    }
    for name, (count, seconds) in invocations.items():
        gb_s = count * seconds * memory[name] / 1024
        add("Lambda", f"{name}: {count:.3g} invocations", gb_s, "GB-s", gb_s * p.lambda_gb_second + count * p.lambda_per_million / 1e6)

    add("API Gateway", "HTTP API requests", api_calls, "requests", api_calls * p.http_api_per_million / 1e6)

    writes = answers * u.writes_per_answer + interviews * u.writes_per_interview + messages * u.writes_per_outbox_message
    reads = answers * u.reads_per_answer + interviews * u.reads_per_interview
    add("DynamoDB", "write request units", writes, "WRU", writes * p.dynamodb_write_per_million / 1e6)
    add("DynamoDB", "read request units", reads, "RRU", reads * p.dynamodb_read_per_million / 1e6)
    table_gib_months = answers * u.table_bytes_per_answer / GIB * retention / 30
    add("DynamoDB", "storage and point-in-time recovery", table_gib_months, "GB-month",
        table_gib_months * (p.dynamodb_gb_month + p.dynamodb_pitr_gb_month))

    site_requests = interviews * u.site_loads_per_interview * u.site_requests_per_load
    cf_requests = site_requests + api_calls
    cf_gib = (interviews * u.site_loads_per_interview * u.site_bytes_per_load + api_calls * 2_000) / GIB
    add("CloudFront", "HTTPS requests (site and API)", cf_requests, "requests", cf_requests * p.cloudfront_https_per_10000 / 10_000)
    add("CloudFront", "SPA router function", site_requests, "invocations", site_requests * p.cloudfront_function_per_million / 1e6)
    add("CloudFront", "transfer out (site and API)", cf_gib, "GB", cf_gib * p.cloudfront_transfer_out_gb)
    if waf_enabled() if waf is None else waf:
        # The web ACL inspects every request CloudFront receives, the site's files included.
        add("WAF", "requests inspected by the web ACL", cf_requests, "requests", cf_requests * p.waf_per_million / 1e6)

    emails = interviews * emails_each
    add("SES", "emails", emails, "emails", emails * p.ses_per_1000 / 1000)

    all_invocations = sum(count for count, _ in invocations.values())
    logs_gib = all_invocations * u.log_bytes_per_invocation / GIB
    add("CloudWatch & X-Ray", "log ingestion", logs_gib, "GB", logs_gib * p.logs_ingest_gb)
    add("CloudWatch & X-Ray", "traces (every request is sampled at low volume)", all_invocations, "traces",
        all_invocations * p.xray_per_million_traces / 1e6)

    by_service = dict.fromkeys(SERVICES, 0.0)
    for line in lines:
        by_service[line.service] += line.usd
    assumptions = {
        **dict(asdict(u).items()),
        "recorder": asdict(source),
        "retention_days": retention,
        "recording_kept_days": recording_days,
        "rendition_ceiling_bps": _rendition_ceiling(job),
        "part_size": part_size,
        "emails_per_interview": emails_each,
        "region": "us-east-1",
        "prices_as_of": PRICES_AS_OF,
    }
    return CostEstimate(
        answered_minutes=answered_minutes,
        answers=answers,
        total_usd=sum(by_service.values()),
        by_service=by_service,
        lines=lines,
        outputs=outputs,
        assumptions=assumptions,
    )


# --- what moves the figure ----------------------------------------------------------------------------


def _with_h264(job: dict[str, Any], box: tuple[int, int] | None = None, **changes: Any) -> dict[str, Any]:
    job = copy.deepcopy(job)
    for group in job["Settings"]["OutputGroups"]:
        for output in group["Outputs"]:
            video = output.get("VideoDescription") or {}
            codec = video.get("CodecSettings") or {}
            if codec.get("Codec") == "H_264":
                codec["H264Settings"].update(changes)
                if box:
                    video["Width"], video["Height"] = box
    return job


def _without_frame_capture(job: dict[str, Any]) -> dict[str, Any]:
    job = copy.deepcopy(job)
    for group in job["Settings"]["OutputGroups"]:
        group["Outputs"] = [
            o for o in group["Outputs"] if (o.get("VideoDescription") or {}).get("CodecSettings", {}).get("Codec") != "FRAME_CAPTURE"
        ]
    job["Settings"]["OutputGroups"] = [g for g in job["Settings"]["OutputGroups"] if g["Outputs"]]
    return job


def _without_audio_only(job: dict[str, Any]) -> dict[str, Any]:
    job = copy.deepcopy(job)
    for group in job["Settings"]["OutputGroups"]:
        group["Outputs"] = [o for o in group["Outputs"] if "VideoDescription" in o]
    return job


def sensitivity() -> list[tuple[str, float]]:
    """The cost per answered minute when one thing changes."""
    job = mediaconvert_job()
    pro: dict[str, Any] = {"QualityTuningLevel": "SINGLE_PASS_HQ"}
    converted: dict[str, Any] = {"FramerateControl": "SPECIFIED", "FramerateNumerator": 30, "FramerateDenominator": 1,
                 "FramerateConversionAlgorithm": "DUPLICATE_DROP"}
    variants: list[tuple[str, dict[str, Any]]] = [
        ("as configured", {}),
        ("MediaConvert does not bill the poster (frame capture) by the minute", {"job": _without_frame_capture(job)}),
        ("no audio-only rendition (blind review would have only the MP4's sound: its picture reachable)",
         {"job": _without_audio_only(job)}),
        ("the MP4 at 720p (1280x720: HD) with a 1.5 Mbit/s ceiling", {"job": _with_h264(job, (1280, 720), MaxBitrate=1_500_000)}),
        ("renditions average 1 Mbit/s (QVBR below its ceiling)", {"usage": Usage(rendition_bps=1_000_000)}),
        ("3 full views per answer instead of 2", {"usage": Usage(views_per_answer=3)}),
        ("retention 365 days instead of the configured period", {"retention": 365}),
        ("the MP4 with single-pass HQ encoding (Professional tier)", {"job": _with_h264(job, **pro)}),
        ("the MP4 converted to 30 fps (frame-rate conversion: Professional tier)", {"job": _with_h264(job, **converted)}),
    ]
    return [(label, estimate(1.0, **kwargs).total_usd) for label, kwargs in variants]


# --- what an idle deployment costs -----------------------------------------------------------------


# CloudWatch alarms of the stack (observability.py; a template test keeps the two equal).
STACK_ALARMS = 18


def idle_month(
    prices: Prices = PRICES, alarms: int = STACK_ALARMS, dashboards: int = 1, waf: bool | None = None
) -> dict[str, float]:
    """Fixed monthly costs with nobody using Oneway (free tiers ignored)."""
    minutes = 30 * 24 * 60
    runs = minutes / sizes.SCHEDULE_EVERY_MINUTES + 30  # and the daily retention run
    per_run = 0.5 * sizes.FUNCTION_MEMORY_MB["scheduled"] / 1024 * prices.lambda_gb_second + prices.lambda_per_million / 1e6
    # The deliver function's retries, on the same schedule: two queries of what is due (0.2 s).
    retry_runs = minutes / sizes.SCHEDULE_EVERY_MINUTES
    per_retry_run = 0.2 * sizes.FUNCTION_MEMORY_MB["deliver"] / 1024 * prices.lambda_gb_second + prices.lambda_per_million / 1e6
    edge = (
        {"AWS WAF web ACL": prices.waf_web_acl_month, f"AWS WAF rules ({sizes.WAF_RULES})": sizes.WAF_RULES * prices.waf_rule_month}
        if (waf_enabled() if waf is None else waf)
        else {}
    )
    return {
        f"CloudWatch alarms ({alarms})": alarms * prices.alarm_month,
        "CloudWatch dashboard": dashboards * prices.dashboard_month,
        f"scheduled runs: reconciler and reminders every {sizes.SCHEDULE_EVERY_MINUTES} min, "
        "retention daily (Lambda, 0.5 s each)": runs * per_run,
        f"the outbox's retries (emails, events, webhooks) every {sizes.SCHEDULE_EVERY_MINUTES} min (Lambda, 0.2 s each)": retry_runs * per_retry_run,
        "X-Ray traces of the scheduled runs": (runs + retry_runs) * prices.xray_per_million_traces / 1e6,
        **edge,
    }


# --- docs/cost.md ----------------------------------------------------------------------------------------


def _usd(x: float) -> str:
    return f"${x:.4f}" if x >= 0.0001 or x == 0 else f"${x:.6f}"


def markdown(minute: CostEstimate | None = None, interview: CostEstimate | None = None) -> str:
    minute = minute or estimate(1.0)
    interview = interview or estimate(10.0)
    a = minute.assumptions
    rec = a["recorder"]
    out = [
        "# What Oneway costs on AWS",
        "",
        "<!-- Generated by `python -m oneway_infra.cost --write` (make cost-doc); a test checks it is current. -->",
        "",
        f"AWS list prices for us-east-1 as of {PRICES_AS_OF}, on-demand, first volume tier, free tiers ignored.",
        "The model (`infra/oneway_infra/cost.py`) reads Oneway's real settings: the MediaConvert job",
        "(`functions/oneway/adapters/mediaconvert.py`), the Transcribe request (`adapters/transcribe.py`),",
        "what the browser records (`web/src/shared/media.ts`), the retention period (`cdk.json`), the",
        "Lambda memory and lifecycle days (`infra/oneway_infra/sizes.py`). Change one and the figures move.",
        "",
        "## Per answered minute and per 10-minute interview",
        "",
        f"Target: at most ${TARGET_PER_ANSWERED_MINUTE:.2f} per answered minute.",
        "",
        "| service | one answered minute | 10-minute interview |",
        "|---|---:|---:|",
    ]
    for s in SERVICES:
        out.append(f"| {s} | {_usd(minute.by_service[s])} | {_usd(interview.by_service[s])} |")
    out += [
        f"| **total** | **{_usd(minute.total_usd)}** | **{_usd(interview.total_usd)}** |",
        f"| per answered minute | {_usd(minute.per_answered_minute)} | {_usd(interview.per_answered_minute)} |",
        "",
        f"An interview has {a['interview_minutes']:g} answered minutes in answers of {a['answer_minutes']:g} minutes;",
        "its own costs (emails, page loads, reviews) are spread over its minutes. Everything is counted",
        "from the upload to the end of the retention period, reviewers' viewing included.",
        "",
        "## MediaConvert outputs and their pricing tier",
        "",
        f"For a {rec['width']}x{rec['height']} recording at up to {rec['max_fps']} fps (what the candidate app asks the camera for):",
        "",
        "| output | size | frame rate | tier | why | per output minute |",
        "|---|---|---|---|---|---:|",
    ]
    for o in minute.outputs:
        size, rate = (f"{o.width}x{o.height} ({o.resolution})", f"{o.fps:g} fps") if o.resolution != "audio" else ("no video", "-")
        out.append(f"| {o.name} | {size} | {rate} | {o.tier} | {o.why} | ${o.usd_per_minute:.4f} |")
    out += [
        "",
        "MediaConvert's Basic tier covers AVC with speed-optimized or balanced single-pass encoding,",
        "with clipping, stitching and static overlays. Single-pass HQ and multi-pass HQ, accelerated",
        "transcoding, frame-rate conversion, preprocessors (deinterlacer, noise reducer, HDR, Dolby),",
        "audio normalization and the other codecs make an output Professional here. [media.md](media.md)",
        "gives the sources, where the model takes the dearer reading, and which setting keeps each output",
        "Basic. A frame-capture output (the poster) is priced like a video output of its size for the",
        "whole duration: the dearer reading again.",
        "",
        "The audio-only rendition is what blind review plays: the answer's sound in a file of its own, so",
        "that a blind reviewer is never sent a URL of the picture. It costs MediaConvert's audio-only rate",
        "for every answer (a reviewer may be made blind after the answers are processed). The MP4 fits",
        "864x486, in the SD price class, which pays for it within the target; a 720p (HD) MP4 would not:",
        "the table at the end gives both figures.",
        "",
        "## Every line of the 10-minute interview",
        "",
        "| service | item | quantity | cost |",
        "|---|---|---:|---:|",
    ]
    for line in interview.lines:
        out.append(f"| {line.service} | {line.item} | {line.quantity:,.6g} {line.unit} | {_usd(line.usd)} |")
    out += [
        "",
        "## Intelligent-Tiering, object by object",
        "",
        "S3 Intelligent-Tiering moves an object to its Infrequent Access tier after 30 days without access",
        "and to Archive Instant Access after 90; it charges a monitoring fee per object and month, and a",
        "lifecycle rule pays a transition request per object. One answer's large objects, priced both ways",
        "from upload to deletion:",
        "",
        "| object | bucket | size | kept | S3 Standard | Intelligent-Tiering | the bucket uses |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for c in tiering_choice():
        chosen = "Intelligent-Tiering" if c.tiered else "S3 Standard"
        out.append(
            f"| {c.what} | {c.bucket} | {c.size_bytes / 1e6:.1f} MB | {c.days:g} days | ${c.standard_usd:.6f} "
            f"| ${c.tiered_usd:.6f} | {chosen} |"
        )
    out += [
        "",
        "A recording expires when it could first leave the frequent tier (only its noncurrent day would be",
        "spent in the next), so tiering would add the transition and the monitoring for a smaller saving; a",
        "rendition is kept for the retention period and spends most of it in the cheaper tiers. Sources:",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/intelligent-tiering-overview.html and",
        "https://aws.amazon.com/s3/pricing/.",
        "",
        "## Assumptions",
        "",
        (f"- Recording: {rec['video_bps'] / 1e6:g} Mbit/s video + {rec['audio_bps'] / 1e3:g} kbit/s audio "
        f"(the browser's MediaRecorder settings); kept {a['recording_kept_days']} days "
        f"({sizes.RECORDING_DAYS} days, or the retention period if shorter, then "
        f"{sizes.UPLOADS_NONCURRENT_VERSION_DAYS} as a noncurrent version)."),
        (f"- Rendition: sized at its ceiling, {a['rendition_ceiling_bps'] / 1e6:g} Mbit/s (QVBR's maximum bitrate "
        f"plus the audio); QVBR usually spends less on a talking head. Kept for the retention period, "
        f"{a['retention_days']} days (cdk.json)."),
        ("- Storage: renditions in S3 Intelligent-Tiering from the first day, nothing read after the first "
        "30 days (frequent tier 30 days, infrequent to day 90, archive instant access after); recordings "
        "in S3 Standard until they expire (the next section says why). Objects under 128 KB (poster, "
        "transcript, captions) are never tiered: Standard price, no monitoring."),
        f"- Reviewers: {a['views_per_answer']} full views per answer, downloaded from S3 with presigned URLs.",
        (f"- API calls: {a['candidate_calls_per_answer']} per answer and {a['candidate_calls_per_interview']} per "
        f"interview from the candidate, {a['reviewer_calls_per_interview']} per interview from reviewers; "
        f"{a['api_seconds']} s each at {sizes.FUNCTION_MEMORY_MB['public_api']} MB (the public function serves the "
        "candidate, the staff function the reviewers)."),
        (f"- Outbox: one message per email and per event ({a['events_per_interview']} events per interview: completed, "
        f"ready, decided), each {a['deliver_seconds']} s of the deliver function and {a['writes_per_outbox_message']} "
        "write units (its change's transaction, the try, its outcome); the stream's reads by Lambda are free."),
        (f"- Pipeline: on_upload {a['on_upload_seconds']} s, on_media_event {a['on_media_event_seconds']} s per job; "
        f"DynamoDB {a['writes_per_answer']} write and {a['reads_per_answer']} read units per answer, "
        f"{a['writes_per_interview']} and {a['reads_per_interview']} per interview."),
        (f"- Email: {a['emails_per_interview']} per interview (the invitation, reminders "
        f"{' and '.join(map(str, deployed_setting('reminder_hours')))} hours before the deadline, ready for review), "
        "as if every candidate finished late."),
        (f"- Site: {a['site_loads_per_interview']} loads of the web app per interview, "
        f"{a['site_bytes_per_load'] / 1e3:g} kB each."),
        "",
        "## What moves the figure",
        "",
        "| if | per answered minute |",
        "|---|---:|",
        *[f"| {label} | {_usd(usd)} |" for label, usd in sensitivity()],
        "",
        "## What an idle deployment costs per month",
        "",
        "| item | per month |",
        "|---|---:|",
    ]
    idle = idle_month()
    for item, usd in idle.items():
        out.append(f"| {item} | {_usd(usd)} |")
    out += [
        f"| **total** | **{_usd(sum(idle.values()))}** |",
        "",
        *_waf_note(idle),
        "Cognito (Essentials plan) is free up to 10,000 monthly active users; DynamoDB, S3 and Lambda cost",
        "nothing at rest beyond stored bytes. The AWS free tier (for example 1 TB a month out of CloudFront,",
        "100 GB out to the internet, 3 dashboards and 10 alarms) would lower every figure here.",
        "",
        "## Price sources",
        "",
    ]
    out += [f"- {service}: {url}" for service, url in PRICE_PAGES.items()]
    return "\n".join(out) + "\n"


def _waf_note(idle: dict[str, float]) -> list[str]:
    fee = sum(usd for item, usd in idle.items() if item.startswith("AWS WAF"))
    if not fee:
        return [
            "The web ACL is off in this deployment (context `waf`): no per-address rate limit at CloudFront.",
            "",
        ]
    return [
        "The web ACL on CloudFront (context `waf`, on by default: a per-address rate rule, [deploy.md](deploy.md))",
        f"is ${fee:.2f} of this, whatever the traffic, plus ${PRICES.waf_per_million:.2f} per million requests it",
        "inspects (the WAF line above). A deployment that accepts one client address using a whole route's",
        "throttle can turn it off with `-c waf=false`.",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m oneway_infra.cost", description="Oneway's cost per answered minute.")
    ap.add_argument("--write", action="store_true", help=f"rewrite {COST_DOC.relative_to(REPO_ROOT)}")
    args = ap.parse_args(argv)
    if args.write:
        COST_DOC.parent.mkdir(parents=True, exist_ok=True)
        COST_DOC.write_text(markdown())
        print(f"wrote {COST_DOC}")
        return 0
    minute, interview = estimate(1.0), estimate(10.0)
    print(f"{'service':<20} {'answered minute':>16} {'10-min interview':>17}")
    for s in SERVICES:
        print(f"{s:<20} {minute.by_service[s]:>16.5f} {interview.by_service[s]:>17.5f}")
    print(f"{'total':<20} {minute.total_usd:>16.5f} {interview.total_usd:>17.5f}")
    print(f"{'per answered minute':<20} {minute.per_answered_minute:>16.5f} {interview.per_answered_minute:>17.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
