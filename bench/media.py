"""The recordings the media figures use: Chrome-like WebM with real speech, made once and kept.

The video comes from ``tests/fixtures/media/synth.py`` (VP8 + Opus, no
duration in the header, a variable frame rate, as Chrome's MediaRecorder
writes); the sound is espeak-ng reading a text for the whole length, so the
recognizer has real work, as it has with a candidate's answer.
"""

from __future__ import annotations

import array
import subprocess
import tempfile
from pathlib import Path

import av

from tests.fixtures.media.synth import OPUS_RATE, make_webm

CACHE = Path(__file__).resolve().parents[1] / "build" / "bench" / "media"
RECIPE = 2  # bump when the recording changes

TEXT = (
    "I led the team that rebuilt our video pipeline. We moved uploads straight to storage, "
    "so the servers never touched the bytes. Then we split transcoding from transcription, "
    "and ran both as soon as a file arrived. The hardest part was making every step safe to repeat. "
    "We measured each change against the old system before we shipped it, and we wrote down what we learned. "
)


def speech(seconds: float, workdir: Path) -> array.array:
    """``seconds`` of espeak-ng speech as mono 16-bit samples at 48 kHz."""
    wav = workdir / "speech.wav"
    words_needed = int(seconds * 2.6) + 20  # ~150 words a minute
    text = TEXT * (1 + words_needed // len(TEXT.split()))
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), text], check=True, capture_output=True)
    samples = array.array("h")
    with av.open(str(wav)) as src:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=OPUS_RATE)
        for frame in src.decode(audio=0):
            for out in resampler.resample(frame):
                samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
        for out in resampler.resample(None):
            samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
    wanted = int(seconds * OPUS_RATE)
    if len(samples) < wanted:
        samples += array.array("h", bytes(2 * (wanted - len(samples))))
    return samples[:wanted]


def recording(seconds: float = 60, width: int = 1280, height: int = 720, fps: int = 30) -> Path:
    """A Chrome-like WebM recording with speech (cached under build/bench/media/)."""
    path = CACHE / f"answer-{seconds:g}s-{width}x{height}-{fps}fps-r{RECIPE}.webm"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        partial = Path(tmp) / path.name
        make_webm(partial, width=width, height=height, seconds=seconds, fps=fps, audio_samples=speech(seconds, Path(tmp)))
        partial.replace(path)
    return path


def duration(path: Path) -> float:
    """The length of the decoded streams (the header of a live WebM has none)."""
    last = 0.0
    with av.open(str(path)) as src:
        for packet in src.demux():
            if packet.pts is not None and packet.time_base is not None:
                last = max(last, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return last
