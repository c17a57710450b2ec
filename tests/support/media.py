"""Real media files made on the spot for tests (PyAV), like a browser's recording."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def make_webm(path: Path, seconds: float = 3.0, size: tuple[int, int] = (640, 480), fps: int = 30, tone_hz: float = 440.0) -> Path:
    """A VP8/Opus WebM with moving colour bars and a tone."""
    width, height = size
    with av.open(str(path), "w", format="webm") as out:
        video = out.add_stream("libvpx", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"deadline": "realtime", "cpu-used": "8"}
        audio = out.add_stream("libopus", rate=48000)
        audio.layout = "mono"
        frames = int(seconds * fps)
        for i in range(frames):
            img = np.zeros((height, width, 3), dtype=np.uint8)
            shift = (i * 8) % width
            for band, colour in enumerate([(230, 60, 60), (60, 200, 90), (60, 90, 230), (240, 220, 80)]):
                x0 = (band * width // 4 + shift) % width
                img[:, x0 : min(width, x0 + width // 4)] = colour
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        samples_per_frame = 960
        total = int(seconds * 48000)
        for start in range(0, total, samples_per_frame):
            t = (np.arange(start, start + samples_per_frame) / 48000.0).astype(np.float32)
            pcm = (0.2 * np.sin(2 * math.pi * tone_hz * t)).astype(np.float32).reshape(1, -1)
            sound = av.AudioFrame.from_ndarray(pcm, format="flt", layout="mono")
            sound.sample_rate = 48000
            sound.pts = start
            sound.time_base = Fraction(1, 48000)
            for packet in audio.encode(sound):
                out.mux(packet)
        for packet in audio.encode():
            out.mux(packet)
    return path
