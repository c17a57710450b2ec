"""Read back the text of a QR code as qrcode.react draws it in SVG (one path of dark runs), to check that the
code on screen says what it should. Byte mode, error correction level L, versions 1 to 5 (one block: no
interleaving), which covers links up to 106 bytes; anything else fails loudly. The mask is not read from the
format bits: each of the eight is tried, and exactly one must give byte mode with the standard padding."""

from __future__ import annotations

import re

# Data codewords of one block at level L, by version (ISO/IEC 18004, table 9).
DATA_CODEWORDS_L = {1: 19, 2: 34, 3: 55, 4: 80, 5: 108}
MASKS = [
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
]


def modules(svg: str) -> list[list[bool]]:
    """The dark modules of the drawing, margin removed."""
    dark: set[tuple[int, int]] = set()
    for x, y, w in re.findall(r"M(\d+)[ ,](\d+) ?h(\d+)v1H\d+z", svg):
        dark |= {(int(x) + k, int(y)) for k in range(int(w))}
    assert dark, "no modules in the drawing"
    margin = min(x for x, _ in dark)
    size = max(x for x, _ in dark) - margin + 1
    return [[(x + margin, y + margin) in dark for x in range(size)] for y in range(size)]


def _reserved(size: int, version: int) -> list[list[bool]]:
    def function(i: int, j: int) -> bool:
        if (i < 9 and j < 9) or (i < 9 and j >= size - 8) or (i >= size - 8 and j < 9):  # finders, separators, format
            return True
        if i == 6 or j == 6:  # timing
            return True
        c = size - 7  # the one alignment pattern of versions 2 to 6
        return version >= 2 and abs(i - c) <= 2 and abs(j - c) <= 2

    return [[function(i, j) for j in range(size)] for i in range(size)]


def _bits(m: list[list[bool]], reserved: list[list[bool]], mask) -> list[int]:
    size, bits, j, upward = len(m), [], len(m) - 1, True
    while j > 0:
        if j == 6:
            j -= 1
        for i in range(size - 1, -1, -1) if upward else range(size):
            for c in (j, j - 1):
                if not reserved[i][c]:
                    bits.append(int(m[i][c] ^ mask(i, c)))
        upward, j = not upward, j - 2
    return bits


def _number(bits: list[int]) -> int:
    return int("".join(map(str, bits)), 2) if bits else 0


def _byte_mode(bits: list[int], data_codewords: int) -> str | None:
    if _number(bits[:4]) != 0b0100:
        return None
    count = _number(bits[4:12])
    end = 12 + 8 * count
    if end > 8 * data_codewords:
        return None
    raw = bytes(_number(bits[12 + 8 * k : 20 + 8 * k]) for k in range(count))
    # Terminator (up to 4 zero bits), zeros to the byte, then the pad codewords 0xEC, 0x11, ... to the end.
    rest = bits[end : 8 * data_codewords]
    zeros = min(len(rest), 4 + (-(end + 4)) % 8) if len(rest) >= 4 else len(rest)
    if any(rest[:zeros]):
        return None
    pads = [_number(rest[k : k + 8]) for k in range(zeros, len(rest), 8)]
    if pads != [(0xEC, 0x11)[k % 2] for k in range(len(pads))]:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode(svg: str) -> str:
    m = modules(svg)
    version = (len(m) - 17) // 4
    assert len(m) == 17 + 4 * version and version in DATA_CODEWORDS_L, f"a {len(m)}-module code: not version 1 to 5"
    reserved = _reserved(len(m), version)
    found = {t for mask in MASKS if (t := _byte_mode(_bits(m, reserved, mask), DATA_CODEWORDS_L[version])) is not None}
    assert len(found) == 1, f"no single reading of the code: {found}"
    return found.pop()
