"""The logo's checks without an image library: type by magic bytes and width and height from the headers, on real
pictures made by ffmpeg's encoders; and the accent's contrast with white as WCAG defines it."""

from __future__ import annotations

import struct

import pytest

from oneway.domain.colours import contrast, contrast_with_white
from oneway.domain.images import ImageType, sniff
from tests.support.images import GIF, SVG, picture


@pytest.mark.parametrize(
    ("form", "kind"),
    [("png", ImageType.png), ("jpeg", ImageType.jpeg), ("webp", ImageType.webp), ("webp-lossless", ImageType.webp), ("webp-alpha", ImageType.webp)],
)
@pytest.mark.parametrize(("width", "height"), [(1, 1), (37, 21), (300, 17), (1024, 1024), (1500, 9)])
def test_type_and_size_come_from_the_pictures_own_headers(form, kind, width, height):
    info = sniff(picture(form, width, height))
    assert info is not None and (info.type, info.width, info.height) == (kind, width, height)


def test_a_jpeg_with_metadata_before_its_frame_is_read_past_it():
    jpeg = picture("jpeg", 40, 30)
    # An APP1 segment (EXIF-like) and fill bytes inserted after SOI: the frame header still gives the size.
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + 100) + b"Exif\x00\x00" + bytes(94)
    info = sniff(jpeg[:2] + app1 + b"\xff\xff" + jpeg[2:])
    assert info is not None and (info.width, info.height) == (40, 30)


@pytest.mark.parametrize(
    "data",
    [
        SVG,
        b'<?xml version="1.0"?>' + SVG,
        GIF,
        b"",
        b"\x89PNG\r\n\x1a\n",  # a signature and nothing else
        b"\xff\xd8\xff\xd9",  # a JPEG that ends before any frame
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",  # cut inside the chunk
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.7\n",
    ],
)
def test_anything_else_is_no_picture(data):
    assert sniff(data) is None


def test_pictures_cut_inside_their_headers_are_no_pictures():
    for form in ("png", "jpeg", "webp", "webp-lossless", "webp-alpha"):
        data = picture(form, 20, 20)
        for cut in (3, 10, 15, 20, 23):  # all cut before the width and height are whole
            assert sniff(data[:cut]) is None, (form, cut)


def test_a_png_whose_first_chunk_is_not_its_header_is_refused():
    data = bytearray(picture("png", 8, 8))
    data[12:16] = b"tEXt"
    assert sniff(bytes(data)) is None


def test_zero_sized_pictures_are_refused():
    data = bytearray(picture("png", 8, 8))
    data[16:20] = b"\x00\x00\x00\x00"
    assert sniff(bytes(data)) is None


def test_contrast_follows_wcag():
    assert contrast_with_white("#ffffff") == pytest.approx(1)
    assert contrast_with_white("#000000") == pytest.approx(21)
    assert contrast("#000000", "#ffffff") == contrast("#ffffff", "#000000")
    # The classic AA boundary: #767676 passes 4.5:1 with white, #777777 does not.
    assert contrast_with_white("#767676") >= 4.5 > contrast_with_white("#777777")
    assert contrast_with_white("#0F766E") == pytest.approx(contrast_with_white("#0f766e"))
