"""Cells of a CSV file that people open in spreadsheet programs."""

from __future__ import annotations

# A cell that starts with one of these, even after leading spaces, is read as a formula (or, after a tab
# or a carriage return, may be taken apart into one) by Excel, LibreOffice and Google Sheets; ASVS 5.0
# 1.2.10 adds the NUL character. A leading quote keeps the cell text.
# https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a cell no spreadsheet program runs as a formula."""
    return "'" + text if text.lstrip(" ")[:1] in FORMULA_STARTS else text
