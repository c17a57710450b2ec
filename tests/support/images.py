"""Small real pictures for the logo's tests, made by ffmpeg's encoders (PyAV): PNG, JPEG, WebP (lossy, lossless,
and lossy with alpha, which is WebP's extended VP8X form)."""

from __future__ import annotations

import io

import av
import numpy as np

FORMS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    "png": ("png", "image2pipe", "rgb24", {}),
    "jpeg": ("mjpeg", "image2pipe", "yuvj420p", {}),
    "webp": ("libwebp", "webp", "yuv420p", {}),
    "webp-lossless": ("libwebp", "webp", "bgra", {"lossless": "1"}),
    "webp-alpha": ("libwebp", "webp", "yuva420p", {}),
}


def picture(form: str = "png", width: int = 64, height: int = 32, colour: tuple[int, int, int] = (15, 118, 110)) -> bytes:
    codec, container, pix_fmt, options = FORMS[form]
    out = io.BytesIO()
    with av.open(out, "w", format=container) as c:
        stream = c.add_stream(codec)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.options = dict(options)
        pixels = np.zeros((height, width, 4), dtype=np.uint8)
        pixels[:, :] = [*colour, 255]
        pixels[: height // 2, : width // 2, 3] = 128  # some transparency, where the form keeps it
        pixels[height // 4 : height * 3 // 4, width // 8 : width * 3 // 8, :3] = 255  # a white mark: a picture, not a plain box
        frame = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format=pix_fmt)
        for packet in [*stream.encode(frame), *stream.encode()]:
            c.mux(packet)
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
