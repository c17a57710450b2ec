"""The one place that builds and parses S3 object keys.

Keys are made by the server and carry org/interview/candidate/question/take,
so an S3 event alone says which answer it belongs to. A question video that a
recruiter records belongs to the interview, not to a candidate: its keys carry
org/interview/question-media/id, so erasing a candidate never touches it. A follow-up question's video
is asked of one candidate alone: its keys sit under that candidate's prefix
(org/interview/candidate/question-media/id), so erasing the candidate takes it along.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import Model
from .errors import InvalidInput

CONTENT_TYPES = {
    "video/webm": "webm",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/x-matroska": "mkv",
}
# An audio-only answer: what browsers' MediaRecorder makes of a microphone alone (Chromium and Firefox: WebM
# with Opus; Safari: MP4 with AAC). Both are in MediaConvert's audio-only input table (tests/support/media_rules.py).
AUDIO_CONTENT_TYPES = {
    "audio/webm": "webm",
    "audio/mp4": "mp4",
}

_ID = r"[A-Za-z0-9_-]{1,64}"
_TAKE_KEY = re.compile(
    rf"^org/(?P<org_id>{_ID})/interview/(?P<interview_id>{_ID})/candidate/(?P<candidate_id>{_ID})"
    rf"/question/(?P<question_id>{_ID})/take/(?P<take_id>{_ID})/(?P<name>[A-Za-z0-9_.-]+)$"
)
_QUESTION_MEDIA_KEY = re.compile(
    rf"^org/(?P<org_id>{_ID})/interview/(?P<interview_id>{_ID})(?:/candidate/(?P<candidate_id>{_ID}))?"
    rf"/question-media/(?P<media_id>{_ID})/(?P<name>[A-Za-z0-9_.-]+)$"
)


class TakeRef(Model, frozen=True):
    org_id: str
    interview_id: str
    candidate_id: str
    question_id: str
    take_id: str

    @property
    def prefix(self) -> str:
        return f"{candidate_prefix(self.org_id, self.interview_id, self.candidate_id)}question/{self.question_id}/take/{self.take_id}/"


class QuestionMediaRef(Model, frozen=True):
    """A question video recorded by a member (one per recording; a question points at it): an interview's,
    or, with ``candidate_id``, a follow-up question's, asked of that candidate alone."""

    org_id: str
    interview_id: str
    media_id: str
    candidate_id: str | None = None

    @property
    def prefix(self) -> str:
        if self.candidate_id:
            return f"{candidate_prefix(self.org_id, self.interview_id, self.candidate_id)}question-media/{self.media_id}/"
        return f"{question_media_prefix(self.org_id, self.interview_id)}{self.media_id}/"


# What the pipeline processes: a candidate's take or a recruiter's question video.
MediaRef = TakeRef | QuestionMediaRef


def question_media_prefix(org_id: str, interview_id: str) -> str:
    """Every question video of one interview (both buckets)."""
    return f"org/{org_id}/interview/{interview_id}/question-media/"


def ref_ids(ref: MediaRef) -> list[str]:
    """The ids of a ref in order, for job names: five for a take, three for a question video, four for a
    follow-up question's video (org, interview, candidate, media)."""
    if isinstance(ref, QuestionMediaRef):
        if ref.candidate_id:
            return [ref.org_id, ref.interview_id, ref.candidate_id, ref.media_id]
        return [ref.org_id, ref.interview_id, ref.media_id]
    return [ref.org_id, ref.interview_id, ref.candidate_id, ref.question_id, ref.take_id]


def ref_from_ids(ids: Sequence[str]) -> MediaRef | None:
    """``ref_ids`` read back; None for anything else."""
    if not all(ids) or any(not re.fullmatch(_ID, i) for i in ids):
        return None
    if len(ids) == 5:
        return TakeRef(org_id=ids[0], interview_id=ids[1], candidate_id=ids[2], question_id=ids[3], take_id=ids[4])
    if len(ids) == 4:
        return QuestionMediaRef(org_id=ids[0], interview_id=ids[1], candidate_id=ids[2], media_id=ids[3])
    if len(ids) == 3:
        return QuestionMediaRef(org_id=ids[0], interview_id=ids[1], media_id=ids[2])
    return None


def candidate_prefix(org_id: str, interview_id: str, candidate_id: str) -> str:
    return f"org/{org_id}/interview/{interview_id}/candidate/{candidate_id}/"


def recording_key(ref: MediaRef, content_type: str, *, audio: bool = False) -> str:
    """``audio``: an audio-only answer, whose type is one of AUDIO_CONTENT_TYPES (and no video type)."""
    types = AUDIO_CONTENT_TYPES if audio else CONTENT_TYPES
    try:
        ext = types[content_type.split(";")[0].strip().lower()]
    except KeyError:
        kind = "audio" if audio else "video"
        raise InvalidInput(
            f"content type {content_type!r} is not a supported {kind} type: {', '.join(types)}",
            "unsupported_media_type",
        ) from None
    return f"{ref.prefix}recording.{ext}"


PROBE_PREFIX = "probe/"


def probe_key(org_id: str, candidate_id: str, probe_id: str) -> str:
    """A device check's uplink probe: random bytes under a prefix of their own, outside org/ (no upload
    notification, no recording), which the uploads bucket's lifecycle empties within a day."""
    return f"{PROBE_PREFIX}{org_id}/{candidate_id}/{probe_id}"


def media_prefix(ref: MediaRef) -> str:
    """Where the renditions, poster, transcript and captions of a take go (media bucket)."""
    return ref.prefix


def audio_key(ref: TakeRef) -> str:
    """The audio-only rendition (AAC in an MP4 container): what blind review plays, with no picture to reach."""
    return f"{ref.prefix}recording-audio.m4a"


def transcript_key(ref: MediaRef) -> str:
    return f"{ref.prefix}transcript.json"


def captions_key(ref: MediaRef) -> str:
    # Transcribe writes the subtitles beside the transcript, with the .vtt extension.
    return f"{ref.prefix}transcript.vtt"


def parse_key(key: str) -> TakeRef | None:
    m = _TAKE_KEY.match(key)
    if not m:
        return None
    return TakeRef(**{k: v for k, v in m.groupdict().items() if k != "name"})


def parse_question_media_key(key: str) -> QuestionMediaRef | None:
    m = _QUESTION_MEDIA_KEY.match(key)
    if not m:
        return None
    return QuestionMediaRef(**{k: v for k, v in m.groupdict().items() if k != "name" and v is not None})


def parse_media_key(key: str) -> MediaRef | None:
    """The take or the question video an uploaded object belongs to (None: neither)."""
    return parse_key(key) or parse_question_media_key(key)


def brand_prefix(org_id: str) -> str:
    """An organization's brand: its logo (media bucket) and logo uploads not yet checked (uploads bucket)."""
    return f"org/{org_id}/brand/"


def logo_upload_key(org_id: str, upload_id: str) -> str:
    """Where an admin's browser puts a logo (uploads bucket) until the API has checked it. No take or question
    video matches it, so the upload pipeline leaves it alone."""
    return f"{brand_prefix(org_id)}upload/{upload_id}"


LOGO_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


def logo_key(org_id: str, version: str, content_type: str) -> str:
    """A checked logo (media bucket): one key per version, so a new logo never reuses an old one's address."""
    return f"{brand_prefix(org_id)}logo-{version}.{LOGO_EXTENSIONS[content_type]}"
