"""Upload bounds shared by candidates' answers (recording.py) and question videos (question_media.py)."""

from __future__ import annotations

from ..ports import Ports

MAX_PARTS = 10_000  # S3's most parts in one multipart upload
SLACK_BYTES = 4 * 2**20  # container headers and a recorder that overshoots its time limit a little


def recording_limit(p: Ports, answer_seconds: int) -> int:
    """The most bytes one answer may have: its time at a generous bitrate, never above the global cap."""
    bound = answer_seconds * p.settings.max_recording_bits_per_second // 8 + SLACK_BYTES
    return min(p.settings.max_upload_bytes, bound)
