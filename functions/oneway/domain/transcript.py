"""Reading transcripts in Amazon Transcribe's JSON shape (local ones share it)."""

from __future__ import annotations

from typing import Any


def transcript_text(doc: dict[str, Any]) -> str:
    """The whole text of a transcript: ``results.transcripts[0].transcript`` ("" if absent)."""
    transcripts = (doc.get("results") or {}).get("transcripts") or []
    if not transcripts:
        return ""
    return (transcripts[0].get("transcript") or "").strip()


def word_times(doc: dict[str, Any]) -> list[tuple[str, float]]:
    """The spoken words of a transcript with the second each starts at (punctuation items have no time)."""
    out = []
    for item in (doc.get("results") or {}).get("items") or []:
        if item.get("type", "pronunciation") != "pronunciation" or item.get("start_time") is None:
            continue
        content = ((item.get("alternatives") or [{}])[0].get("content") or "").strip()
        if content:
            out.append((content, float(item["start_time"])))
    return out
