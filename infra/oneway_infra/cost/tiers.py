"""MediaConvert's outputs of a CreateJob request: each one's size, pricing tier and rate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .prices import PRICES, Prices
from .settings import Recorder

BASIC_CODECS = {"H_264", "VP8", "VP9", "FRAME_CAPTURE"}
# Basic: AVC with "speed-optimized or balanced single-pass encoding" (MediaConvert pricing page).
BASIC_QUALITY_TUNING = {"SINGLE_PASS", None}
# Preprocessors beyond static overlays (image inserter) belong to the Professional tier.
BASIC_PREPROCESSORS = {"ImageInserter"}


OUTPUT_NAMES = {"H_264": "MP4 rendition (H.264/AAC)", "FRAME_CAPTURE": "poster (JPEG frame capture)", "AAC": "audio-only rendition (AAC)"}


@dataclass(frozen=True)
class OutputPrice:
    name: str
    codec: str
    width: int
    height: int
    fps: float
    resolution: str  # SD (< 720 lines), HD (720-1080), UHD, or audio
    tier: str  # Basic, Professional, or audio-only
    why: str
    usd_per_minute: float


def _fit(width: int, height: int, box_w: int, box_h: int, behavior: str) -> tuple[int, int]:
    scale = min(box_w / width, box_h / height)
    if behavior == "FIT_NO_UPSCALE":
        scale = min(scale, 1.0)
    return round(width * scale), round(height * scale)


def resolution_class(width: int, height: int) -> str:
    lines = min(width, height)
    return "SD" if lines < 720 else "HD" if lines <= 1080 else "UHD"


def classify_outputs(job: dict[str, Any], source: Recorder, prices: Prices = PRICES) -> list[OutputPrice]:
    """Every output of a CreateJob request: its size for this source, tier, reasons and rate."""
    found = []
    accelerated = (job.get("AccelerationSettings") or {}).get("Mode", "DISABLED") != "DISABLED"
    for group in job["Settings"]["OutputGroups"]:
        for output in group["Outputs"]:
            if "VideoDescription" not in output:
                found.append(_audio_only(output, group, prices))
                continue
            video = output.get("VideoDescription") or {}
            codec_settings = video.get("CodecSettings") or {}
            codec = codec_settings.get("Codec", "")
            specific = next((v for k, v in codec_settings.items() if k.endswith("Settings") and isinstance(v, dict)), {})
            pro = []
            if codec not in BASIC_CODECS:
                pro.append(f"codec {codec}")
            if specific.get("QualityTuningLevel") not in BASIC_QUALITY_TUNING:
                pro.append(f"quality tuning {specific['QualityTuningLevel']}")
            if specific.get("FramerateControl") == "SPECIFIED":
                pro.append("frame-rate conversion")
            if specific.get("FramerateConversionAlgorithm") == "FRAMEFORMER":
                pro.append("FrameFormer")
            extra = set(video.get("VideoPreprocessors") or {}) - BASIC_PREPROCESSORS
            if extra:
                pro.append("preprocessors " + ", ".join(sorted(extra)))
            if any(a.get("AudioNormalizationSettings") for a in output.get("AudioDescriptions") or []):
                pro.append("audio normalization")
            if accelerated:
                pro.append("accelerated transcoding")

            width, height = _fit(
                source.width, source.height, video.get("Width", source.width), video.get("Height", source.height),
                video.get("ScalingBehavior", "DEFAULT"),
            )
            if specific.get("FramerateControl") == "SPECIFIED":
                fps = specific["FramerateNumerator"] / specific["FramerateDenominator"]
            else:  # follows the source
                fps = float(source.max_fps)
            resolution = resolution_class(width, height)
            tier = "Professional" if pro else "Basic"
            rate = prices.mediaconvert_rate(tier, resolution) * (2 if fps > 30 else 1)
            single_pass = "balanced single pass, " if codec == "H_264" else ""
            why = (
                "Professional: " + "; ".join(pro)
                if pro
                else f"Basic: {codec}, {single_pass}the source's frame rate, no acceleration or preprocessors"
            )
            found.append(
                OutputPrice(
                    name=OUTPUT_NAMES.get(codec, f"{group.get('Name', 'output')} ({codec})"),
                    codec=codec, width=width, height=height, fps=fps, resolution=resolution, tier=tier, why=why,
                    usd_per_minute=rate,
                )
            )
    return found


def _audio_only(output: dict[str, Any], group: dict[str, Any], prices: Prices) -> OutputPrice:
    (audio,) = output["AudioDescriptions"]  # MediaConvert: one audio description per audio-only output
    codec = audio["CodecSettings"]["Codec"]
    return OutputPrice(
        name=OUTPUT_NAMES.get(codec, f"{group.get('Name', 'output')} ({codec}, audio only)"),
        codec=codec, width=0, height=0, fps=0, resolution="audio", tier="audio-only",
        why="no video in the container: MediaConvert bills it by the minute at its audio-only rate",
        usd_per_minute=prices.mediaconvert_audio_only,
    )


def audio_only_bps(job: dict[str, Any]) -> int:
    """The bitrate of the audio-only outputs (0 if the job makes none)."""
    return sum(
        next(iter(v for k, v in a["CodecSettings"].items() if k.endswith("Settings")))["Bitrate"]
        for group in job["Settings"]["OutputGroups"]
        for output in group["Outputs"]
        if "VideoDescription" not in output
        for a in output.get("AudioDescriptions") or []
    )



def rendition_ceiling(job: dict[str, Any]) -> int:
    """The MP4's video MaxBitrate plus its audio bitrate, from the job itself."""
    for group in job["Settings"]["OutputGroups"]:
        for output in group["Outputs"]:
            codec = (output.get("VideoDescription") or {}).get("CodecSettings") or {}
            if codec.get("Codec") == "H_264":
                audio = sum(a["CodecSettings"]["AacSettings"]["Bitrate"] for a in output.get("AudioDescriptions") or [])
                return codec["H264Settings"]["MaxBitrate"] + audio
    raise ValueError("the MediaConvert job has no H.264 output")

