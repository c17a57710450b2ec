"""S3 storage of an answer's objects: S3 Standard or Intelligent-Tiering, priced both ways."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .. import sizes
from .prices import GIB, PRICES, Prices
from .settings import Recorder, mediaconvert_job, recorder, retention_days
from .tiers import audio_only_bps, rendition_ceiling
from .usage import Usage


def storage_gib_months(days: float) -> list[tuple[str, float]]:
    """Months an object spends in each Intelligent-Tiering tier when nobody reads it after its first days."""
    tiers = [("frequent", 0, 30), ("infrequent", 30, 90), ("archive instant", 90, math.inf)]
    return [(name, (min(days, end) - start) / 30) for name, start, end in tiers if days > start]


def tier_price(prices: Prices, tier: str) -> float:
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
    storage = sum(gib * months * tier_price(prices, tier) for tier, months in storage_gib_months(days))
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


def stored_objects(job, source, retention, usage: Usage) -> list[tuple[str, str, float, float]]:
    """(what, bucket, bytes, days kept) for the large objects of one answer."""
    seconds = usage.answer_minutes * 60
    recording = (source.video_bps + source.audio_bps) / 8 * seconds
    rendition = (usage.rendition_bps or rendition_ceiling(job)) / 8 * seconds
    audio_rendition = audio_only_bps(job) / 8 * seconds
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
        for what, bucket, size, days in stored_objects(job, source, retention, usage)
    ]

