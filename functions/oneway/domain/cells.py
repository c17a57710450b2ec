"""Cells of a CSV file that people open in spreadsheet programs."""

from __future__ import annotations

# A cell that starts with one of these is read as a formula (or, after a tab or a carriage return, may be
# taken apart into one) by Excel, LibreOffice and Google Sheets: a leading quote keeps it text.
# https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a cell no spreadsheet program runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
