"""The one place that builds and parses S3 object keys.

Keys are made by the server and carry org/interview/candidate/question/take,
so an S3 event alone says which answer it belongs to.
"""

from __future__ import annotations

import re

from .base import Model

from .errors import InvalidInput

CONTENT_TYPES = {
    "video/webm": "webm",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/x-matroska": "mkv",
}

_ID = r"[A-Za-z0-9_-]{1,64}"
_TAKE_KEY = re.compile(
    rf"^org/(?P<org_id>{_ID})/interview/(?P<interview_id>{_ID})/candidate/(?P<candidate_id>{_ID})"
    rf"/question/(?P<question_id>{_ID})/take/(?P<take_id>{_ID})/(?P<name>[A-Za-z0-9_.-]+)$"
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


def candidate_prefix(org_id: str, interview_id: str, candidate_id: str) -> str:
    return f"org/{org_id}/interview/{interview_id}/candidate/{candidate_id}/"


def recording_key(ref: TakeRef, content_type: str) -> str:
    try:
        ext = CONTENT_TYPES[content_type.split(";")[0].strip().lower()]
    except KeyError:
        raise InvalidInput(
            f"content type {content_type!r} is not a supported video type: {', '.join(CONTENT_TYPES)}",
            "unsupported_media_type",
        ) from None
    return f"{ref.prefix}recording.{ext}"


def media_prefix(ref: TakeRef) -> str:
    """Where the renditions, poster, transcript and captions of a take go (media bucket)."""
    return ref.prefix


def transcript_key(ref: TakeRef) -> str:
    return f"{ref.prefix}transcript.json"


def captions_key(ref: TakeRef) -> str:
    # Transcribe writes the subtitles beside the transcript, with the .vtt extension.
    return f"{ref.prefix}transcript.vtt"


def parse_key(key: str) -> TakeRef | None:
    m = _TAKE_KEY.match(key)
    if not m:
        return None
    return TakeRef(**{k: v for k, v in m.groupdict().items() if k != "name"})
