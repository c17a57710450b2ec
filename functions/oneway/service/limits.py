"""Upload bounds shared by candidates' answers (recording.py) and question videos (question_media.py)."""

from __future__ import annotations

from ..domain.models import AnswerForm
from ..ports import Ports

MAX_PARTS = 10_000  # S3's most parts in one multipart upload
SLACK_BYTES = 4 * 2**20  # container headers and a recorder that overshoots its time limit a little


# The generous bitrate of each lighter form: the browser records reduced video at 360p and about 450 kbit/s
# (web/src/candidate/quality.ts), and sound alone as 48 kbit/s Opus; four times that leaves room for overshoot.
FORM_BITS_PER_SECOND = {AnswerForm.reduced: 2_000_000, AnswerForm.audio: 256_000}
AUDIO_SLACK_BYTES = 2**20


def recording_limit(p: Ports, answer_seconds: int, form: AnswerForm = AnswerForm.standard) -> int:
    """The most bytes one answer may have: its time at a generous bitrate for its form, never above the global cap."""
    bits = min(p.settings.max_recording_bits_per_second, FORM_BITS_PER_SECOND.get(form, p.settings.max_recording_bits_per_second))
    slack = AUDIO_SLACK_BYTES if form == AnswerForm.audio else SLACK_BYTES
    return min(p.settings.max_upload_bytes, answer_seconds * bits // 8 + slack)
