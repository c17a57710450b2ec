"""Colours an organization may brand its pages with: ``#rrggbb``, dark enough that white text on it stays readable.

Contrast as WCAG 2.2 defines it (relative luminance, https://www.w3.org/TR/WCAG22/#dfn-relative-luminance;
contrast ratio, https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio); level AA asks 4.5:1 for body text
(success criterion 1.4.3), and the accent is the background of buttons with white labels.
"""

from __future__ import annotations

import re

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# Oneway's own accent (teal 700): 5.5:1 with white.
DEFAULT_ACCENT = "#0f766e"
AA_NORMAL_TEXT = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def contrast_with_white(colour: str) -> float:
    return contrast(colour, "#ffffff")
