"""Did an answer keep to its time? The browser enforces think and answer times; the server only checks.

A recording's length comes from the transcode, the take's moments from the server's clock: when the
prompt was revealed (the take started) and when the browser first asked to upload the recording. An
overrun is flagged to reviewers, never refused: a person decides what it means.

The tolerance is 10 % of the time allowed plus 3 seconds. The recorder stops on a timer in the
browser, but its last chunk is flushed after the stop, a variable-rate recording re-timed to a
constant frame rate gains up to a frame, and the audio track may end an AAC frame after the video:
a second or two on any answer (the 3 s), and a drift that grows with the length (the 10 %). A real
overrun, a low-bitrate recording that ran on or a prompt read long before recording, is far beyond it.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum

from .base import Model

TOLERANCE_SHARE = 0.10
TOLERANCE_SECONDS = 3.0


def tolerated(allowed_seconds: float) -> float:
    """The most seconds that still count as keeping to ``allowed_seconds``."""
    return allowed_seconds * (1 + TOLERANCE_SHARE) + TOLERANCE_SECONDS


class OverrunKind(StrEnum):
    recording = "recording"  # the recording is longer than the answer time
    # The recording was sent later after the prompt than thinking, answering and watching it back once allow.
    submission = "submission"


class Overrun(Model):
    kind: OverrunKind
    allowed_seconds: float
    actual_seconds: float


def overruns(
    *,
    think_seconds: int,
    answer_seconds: int,
    duration_seconds: float | None,
    started_at: datetime,
    upload_requested_at: datetime | None,
) -> list[Overrun]:
    """The overruns of one recorded answer (empty when it kept to its times, or nothing can be told yet)."""
    found: list[Overrun] = []
    if duration_seconds is not None and duration_seconds > tolerated(answer_seconds):
        found.append(Overrun(kind=OverrunKind.recording, allowed_seconds=answer_seconds, actual_seconds=round(duration_seconds, 1)))
    if upload_requested_at is not None:
        elapsed = (upload_requested_at - started_at).total_seconds()
        # Thinking, recording (at most the answer time), then watching the recording back once before sending it.
        review = min(duration_seconds, answer_seconds) if duration_seconds is not None else answer_seconds
        allowed = think_seconds + answer_seconds + math.ceil(review)
        if elapsed > tolerated(allowed):
            found.append(Overrun(kind=OverrunKind.submission, allowed_seconds=allowed, actual_seconds=round(elapsed, 1)))
    return found
