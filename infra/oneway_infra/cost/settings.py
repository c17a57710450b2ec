"""Oneway's settings as the code has them: the recorder (TypeScript), cdk.json, config.py and the
MediaConvert and Transcribe requests the adapters build."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT / "functions") not in sys.path:  # the Oneway package, as the Lambda asset holds it
    sys.path.insert(0, str(REPO_ROOT / "functions"))

RECORDER_SOURCE = REPO_ROOT / "web" / "src" / "shared" / "media.ts"
CDK_JSON = REPO_ROOT / "cdk.json"



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
        raise ValueError(f"{RECORDER_SOURCE}: cannot find {what} (pattern {pattern!r}); update oneway_infra/cost/settings.py")
    return int(m[1].replace("_", ""))


def recorder(source: Path = RECORDER_SOURCE) -> Recorder:
    text = source.read_text()
    return Recorder(
        width=_number(r"width:\s*\{\s*ideal:\s*([\d_]+)", text, "the camera width"),
        height=_number(r"height:\s*\{\s*ideal:\s*([\d_]+)", text, "the camera height"),
        max_fps=_number(r"frameRate:\s*\{[^}]*max:\s*([\d_]+)", text, "the maximum frame rate"),
        video_bps=_number(r"STANDARD_VIDEO_BPS\s*=\s*([\d_]+)", text, "STANDARD_VIDEO_BPS"),
        audio_bps=_number(r"STANDARD_AUDIO_BPS\s*=\s*([\d_]+)", text, "STANDARD_AUDIO_BPS"),
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
