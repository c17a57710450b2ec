"""Reading transcripts in Amazon Transcribe's JSON shape (local ones share it)."""

from __future__ import annotations

from typing import Any


def transcript_text(doc: dict[str, Any]) -> str:
    """The whole text of a transcript: ``results.transcripts[0].transcript`` ("" if absent)."""
    transcripts = (doc.get("results") or {}).get("transcripts") or []
    if not transcripts:
        return ""
    return (transcripts[0].get("transcript") or "").strip()
