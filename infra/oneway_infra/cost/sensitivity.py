"""What moves the figure: the cost per answered minute when one setting changes."""

from __future__ import annotations

import copy
from typing import Any

from .model import estimate
from .settings import mediaconvert_job
from .usage import Usage


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
