"""Speech on Amazon Transcribe.

A job writes the transcript JSON to ``keys.transcript_key(ref)`` in the media
bucket and the WebVTT subtitles beside it: Transcribe names them after the
transcript, ``.json`` replaced by ``.vtt`` (``keys.captions_key``).

The job name carries the stack and the take, so an EventBridge "Transcribe
Job State Change" event (which holds little more than the name) says which
answer it belongs to, and jobs of other stacks on the same bus are ignored.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..config import Settings
from ..domain.errors import Busy
from ..domain.keys import MediaRef, captions_key, ref_from_ids, ref_ids, transcript_key
from ..domain.languages import AUTO, AUTO_CANDIDATES
from ..domain.models import JobKind, JobStatus
from ..ports import JobState, TranscribeRequest

DETAIL_TYPE = "Transcribe Job State Change"
# StartTranscriptionJob's "try again later": LimitExceededException ("too many requests or your input file
# is too long"; Oneway's recordings are far below Transcribe's 4 hours and 2 GB), or throttling
# (API_StartTranscriptionJob.html#API_StartTranscriptionJob_Errors, limits-guidelines.html).
BUSY = {"LimitExceededException", "ThrottlingException", "TooManyRequestsException"}
MEDIA_FORMATS = {"mp3", "mp4", "wav", "flac", "ogg", "amr", "webm", "m4a"}
_EXTENSION_FORMATS = {"mov": "mp4", "mkv": "webm", "oga": "ogg", "opus": "ogg"}
_HASH = re.compile(r"^[0-9a-f]{8}$")


def job_name(stack_prefix: str, ref: MediaRef, idempotency_token: str) -> str:
    """``{stack}.{org}.{interview}.{candidate}.{question}.{take}.{8 hex of the token}`` for a take,
    ``{stack}.{org}.{interview}.{media}.{8 hex}`` for a question video.

    Ids never contain dots (nor does the stack prefix), so the name splits back into its parts.
    """
    digest = hashlib.sha256(idempotency_token.encode()).hexdigest()[:8]
    return ".".join([stack_prefix, *ref_ids(ref), digest])


def parse_job_name(name: str, stack_prefix: str) -> MediaRef | None:
    """The take or question video of a job name built by ``job_name`` for this stack, else None."""
    if not name.startswith(f"{stack_prefix}."):
        return None
    *ids, digest = name.removeprefix(f"{stack_prefix}.").split(".")
    if not _HASH.match(digest):
        return None
    return ref_from_ids(ids)


def media_format(key: str) -> str:
    """Transcribe's MediaFormat for an uploaded recording, from its extension (webm by default)."""
    ext = key.rsplit(".", 1)[-1].lower() if "." in key.rsplit("/", 1)[-1] else ""
    ext = _EXTENSION_FORMATS.get(ext, ext)
    return ext if ext in MEDIA_FORMATS else "webm"


def language_settings(language: str) -> dict[str, Any]:
    """The request's language: one code, or identification of the recording's one language among
    Oneway's candidates (StartTranscriptionJob takes exactly one of LanguageCode, IdentifyLanguage,
    IdentifyMultipleLanguages; LanguageOptions, two or more codes, only with identification)."""
    if language == AUTO:
        return {"IdentifyLanguage": True, "LanguageOptions": list(AUTO_CANDIDATES)}
    return {"LanguageCode": language}


def job_request(request: TranscribeRequest, settings: Settings) -> dict[str, Any]:
    """The StartTranscriptionJob request for one take."""
    return {
        "TranscriptionJobName": job_name(settings.stack_prefix, request.ref, request.idempotency_token),
        **language_settings(request.language),
        "MediaFormat": media_format(request.input_key),
        "Media": {"MediaFileUri": f"s3://{request.input_bucket}/{request.input_key}"},
        "OutputBucketName": request.output_bucket,
        "OutputKey": request.transcript_key,
        "Subtitles": {"Formats": ["vtt"], "OutputStartIndex": 1},
    }


def _finished(name: str, ref: MediaRef | None, status: str | None, reason: str | None) -> JobState | None:
    base = {"job_id": name, "kind": JobKind.speech, "ref": ref}
    if status == "COMPLETED":
        keys = {"transcript_key": transcript_key(ref), "captions_key": captions_key(ref)} if ref else {}
        return JobState(**base, status=JobStatus.complete, **keys)
    if status == "FAILED":
        return JobState(**base, status=JobStatus.failed, error=reason or "the transcription failed")
    if status in ("QUEUED", "IN_PROGRESS"):
        return JobState(**base, status=JobStatus.running)
    return None


def parse_event(event: dict[str, Any], stack_prefix: str) -> JobState | None:
    """The state of a finished job from a "Transcribe Job State Change" event.

    None for other events and for jobs that this stack did not name.
    """
    if event.get("source") != "aws.transcribe" or event.get("detail-type") != DETAIL_TYPE:
        return None
    detail = event.get("detail") or {}
    name = detail.get("TranscriptionJobName") or ""
    ref = parse_job_name(name, stack_prefix)
    if ref is None:
        return None
    state = _finished(name, ref, detail.get("TranscriptionJobStatus"), detail.get("FailureReason"))
    return state if state is not None and state.status != JobStatus.running else None


class TranscribeSpeech:
    """``Speech`` on Transcribe; the client comes in so tests can use moto."""

    def __init__(self, client: Any, settings: Settings):
        self.client = client
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: Settings) -> TranscribeSpeech:
        import boto3

        return cls(boto3.client("transcribe", region_name=settings.region), settings)

    def start_transcription(self, request: TranscribeRequest) -> str:
        job = job_request(request, self.settings)
        try:
            self.client.start_transcription_job(**job)
        except self.client.exceptions.ConflictException:
            pass  # the same name: this take's job was started already
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in BUSY:
                raise Busy(f"Transcribe cannot start the job yet: {error}", "transcribe_busy") from error
            raise
        return job["TranscriptionJobName"]

    def job_state(self, job_id: str) -> JobState:
        job = self.client.get_transcription_job(TranscriptionJobName=job_id)["TranscriptionJob"]
        ref = parse_job_name(job_id, self.settings.stack_prefix)
        state = _finished(job_id, ref, job.get("TranscriptionJobStatus"), job.get("FailureReason"))
        return state or JobState(job_id=job_id, kind=JobKind.speech, status=JobStatus.running, ref=ref)

    def delete_transcription(self, job_id: str) -> bool:
        """DeleteTranscriptionJob. It refuses a job "in a non-terminal state (such as IN PROGRESS)", and one
        that does not exist, with the same BadRequestException
        (https://docs.aws.amazon.com/transcribe/latest/APIReference/API_DeleteTranscriptionJob.html):
        GetTranscriptionJob then tells them apart. False while the job runs (it cannot be stopped)."""
        try:
            self.client.delete_transcription_job(TranscriptionJobName=job_id)
            return True
        except self.client.exceptions.BadRequestException:
            pass
        try:
            status = self.client.get_transcription_job(TranscriptionJobName=job_id)["TranscriptionJob"].get("TranscriptionJobStatus")
        except self.client.exceptions.NotFoundException:
            return True  # gone already
        if status in ("QUEUED", "IN_PROGRESS"):
            return False
        self.client.delete_transcription_job(TranscriptionJobName=job_id)  # it ended in between
        return True

    def parse_event(self, event: dict[str, Any]) -> JobState | None:
        return parse_event(event, self.settings.stack_prefix)
