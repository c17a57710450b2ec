"""What an uploaded picture really is: PNG, JPEG or WebP by its first bytes, and its width and height read
from its own headers (no image library in the functions). Anything else (SVG, which can carry script; GIF;
a renamed file) is no picture here.

Formats: PNG's IHDR chunk (https://www.w3.org/TR/png-3/#11IHDR); JPEG's start-of-frame segment (ITU-T T.81,
B.2.2); WebP's VP8, VP8L and VP8X chunks (RFC 9649, sections 2.5 to 2.7).
"""

from __future__ import annotations

import struct
from enum import StrEnum

from .base import Model

# An organization's logo: at most this many bytes, and this many pixels wide and high.
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 1024


class ImageType(StrEnum):
    png = "image/png"
    jpeg = "image/jpeg"
    webp = "image/webp"


class ImageInfo(Model, frozen=True):
    type: ImageType
    width: int
    height: int


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (every coding: baseline, progressive, lossless, arithmetic); C4, C8 and CC are not frames.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# Markers that stand alone (no length): TEM and the restart markers.
_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def sniff(data: bytes) -> ImageInfo | None:
    """The picture's type and size in pixels, or None when the bytes are no PNG, JPEG or WebP whose size can be read."""
    try:
        if data.startswith(PNG_SIGNATURE):
            return _png(data)
        if data.startswith(b"\xff\xd8\xff"):
            return _jpeg(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except (struct.error, IndexError):  # cut short inside a header
        return None
    return None


def _sized(kind: ImageType, width: int, height: int) -> ImageInfo | None:
    return ImageInfo(type=kind, width=width, height=height) if width > 0 and height > 0 else None


def _png(data: bytes) -> ImageInfo | None:
    # The first chunk must be IHDR (13 bytes of data): width and height, 4 bytes each, big-endian.
    length, name = struct.unpack(">I4s", data[8:16])
    if name != b"IHDR" or length != 13:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return _sized(ImageType.png, width, height)


def _jpeg(data: bytes) -> ImageInfo | None:
    at = 2
    while at < len(data):
        if data[at] != 0xFF:
            return None
        while data[at] == 0xFF:  # fill bytes before a marker
            at += 1
        marker = data[at]
        at += 1
        if marker in _STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the scan began: no frame header before it
            return None
        (length,) = struct.unpack(">H", data[at : at + 2])
        if length < 2:
            return None
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 3 : at + 7])
            return _sized(ImageType.jpeg, width, height)
        at += length
    return None


def _webp(data: bytes) -> ImageInfo | None:
    chunk = data[12:16]
    body = data[20:]
    if chunk == b"VP8 ":
        # A key frame: 3 bytes of frame tag, the start code 9d 01 2a, then 14-bit width and height (2 bits of scale).
        if body[3:6] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", body[6:10])
        return _sized(ImageType.webp, width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L":
        # The signature 0x2f, then 14 bits of width - 1 and 14 bits of height - 1, little-endian.
        if body[0] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", body[1:5])
        return _sized(ImageType.webp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        # Flags (1 byte), 3 reserved, then the canvas's width - 1 and height - 1 in 24 bits each, little-endian.
        if len(body) < 10:
            return None
        width = int.from_bytes(body[4:7], "little") + 1
        height = int.from_bytes(body[7:10], "little") + 1
        return _sized(ImageType.webp, width, height)
    return None
