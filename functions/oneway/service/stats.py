"""Aggregates kept on write in an interview's counters (the STATS item), read back in O(1).

Durations go into a log-scale histogram: counter ``<name>.<b>`` with
b = floor(STEPS * log2(1 + seconds)); STEPS = 8 keeps every bucket within about
9% of its values, so a median read from it is within about 5% of the true one,
and an interview's histogram stays a few dozen counters whatever its size.
"""

from __future__ import annotations

import math
from datetime import datetime

STEPS = 8


def duration_bucket(name: str, start: datetime, end: datetime) -> str:
    seconds = max(0.0, (end - start).total_seconds())
    return f"{name}.{math.floor(STEPS * math.log2(1 + seconds))}"


def histogram(counters: dict[str, int], name: str) -> dict[int, int]:
    prefix = f"{name}."
    out: dict[int, int] = {}
    for key, count in counters.items():
        if key.startswith(prefix) and key[len(prefix) :].isdigit() and count > 0:
            out[int(key[len(prefix) :])] = count
    return out


def median_seconds(hist: dict[int, int]) -> float | None:
    """The median of a duration histogram: the middle of the bucket holding it."""
    total = sum(hist.values())
    if not total:
        return None
    seen = 0
    for b in sorted(hist):
        seen += hist[b]
        if seen * 2 >= total:
            return 2 ** ((b + 0.5) / STEPS) - 1
    return None  # unreachable
