"""The answer that `oneway smoke` uploads: ``sample-answer.webm`` beside this module.

A few seconds of VP9 + Opus WebM shaped like Chromium's MediaRecorder output
(no duration in the header, millisecond timestamps), whose sound track says
``SCRIPT`` in espeak-ng's voice, so that Transcribe on AWS and the local
recognizer both have words to find. The file is committed; this module
regenerates it (espeak-ng and the local extra's PyAV):

    python -m oneway.cli.sample_answer
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

SCRIPT = (
    "Hello, my name is Ada. I built a data pipeline that processed video interviews for many teams, "
    "and I would like to work with you."
)
PATH = Path(__file__).with_name("sample-answer.webm")
CONTENT_TYPE = "video/webm"

RATE = 48_000  # Opus in WebM runs at 48 kHz
WIDTH, HEIGHT, FPS = 640, 360, 15
PAD_SECONDS = 0.5


def read() -> bytes:
    return PATH.read_bytes()


def _speech(text: str) -> list:
    """espeak-ng's voice saying ``text``, as 48 kHz mono s16 frames."""
    import av

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-s", "140", "-w", str(wav), text], check=True, capture_output=True)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        with av.open(str(wav)) as source:
            frames = [out for frame in source.decode(audio=0) for out in resampler.resample(frame)]
        return frames + list(resampler.resample(None))


def _picture(i: int):
    """A grey field with a bar sweeping across it and a band changing shade: motion for the encoder and the poster."""
    import av

    frame = av.VideoFrame(WIDTH, HEIGHT, "yuv420p")
    x = (i * 12) % WIDTH
    plain = bytes([110]) * x + bytes([235]) * min(60, WIDTH - x) + bytes([110]) * max(0, WIDTH - x - 60)
    band = bytes([40 + (i * 3) % 180]) * WIDTH
    for index, (plane, fill) in enumerate(zip(frame.planes, (0, 90, 160), strict=False)):  # the luma plane's fill is unused
        pad = b"\0" * (plane.line_size - plane.width)
        if index == 0:
            rows = [band if HEIGHT // 3 <= r < HEIGHT // 3 + 40 else plain for r in range(plane.height)]
            plane.update(b"".join(row + pad for row in rows))
        else:
            plane.update((bytes([fill]) * plane.width + pad) * plane.height)
    return frame


def make(path: Path = PATH, text: str = SCRIPT) -> Path:
    import av

    speech = _speech(text)
    pad = int(PAD_SECONDS * RATE)
    samples = pad + sum(f.samples for f in speech) + pad
    seconds = samples / RATE

    out = av.open(str(path), mode="w", format="webm", options={"live": "1"})  # live: no duration, as Chromium writes
    video = out.add_stream("libvpx-vp9", rate=FPS)
    video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    video.codec_context.time_base = Fraction(1, 1000)
    video.options = {"deadline": "realtime", "cpu-used": "8", "b": "250k"}
    audio = out.add_stream("libopus", rate=RATE)
    audio.layout = "mono"
    audio.bit_rate = 48_000

    for i in range(int(seconds * FPS)):
        frame = _picture(i)
        frame.pts, frame.time_base = round(i * 1000 / FPS), Fraction(1, 1000)
        for packet in video.encode(frame):
            out.mux(packet)
    for packet in video.encode(None):
        out.mux(packet)

    def silence(start: int) -> av.AudioFrame:
        frame = av.AudioFrame(format="s16", layout="mono", samples=pad)
        frame.planes[0].update(bytes(frame.planes[0].buffer_size))
        frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
        return frame

    at = 0
    for frame in [silence(0), *speech, silence(samples - pad)]:
        frame.pts, frame.time_base, frame.sample_rate = at, Fraction(1, RATE), RATE
        at += frame.samples
        for packet in audio.encode(frame):
            out.mux(packet)
    for packet in audio.encode(None):
        out.mux(packet)
    out.close()
    return path


def main() -> int:
    path = make(Path(sys.argv[1]) if len(sys.argv) > 1 else PATH)
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
