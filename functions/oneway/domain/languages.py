"""The languages an interview's answers (and its question videos) are transcribed in.

Codes are Amazon Transcribe's batch language codes. ``auto`` has Transcribe identify the one
language of each recording among ``AUTO_CANDIDATES``: one dialect per language, and no more than
five, as Transcribe's language identification advises. The local recognizer knows English only
(``adapters/local_speech.py``).
"""

from __future__ import annotations

from typing import Literal, get_args

AUTO = "auto"
DEFAULT = "en-US"

Language = Literal[
    "auto",
    "en-US",
    "en-GB",
    "es-ES",
    "es-US",
    "fr-FR",
    "fr-CA",
    "de-DE",
    "it-IT",
    "nl-NL",
    "pt-BR",
    "pt-PT",
]
LANGUAGES: tuple[str, ...] = tuple(code for code in get_args(Language) if code != AUTO)
# What automatic identification chooses among: the most asked-for language of each of five families.
AUTO_CANDIDATES: tuple[str, ...] = ("en-US", "es-ES", "fr-FR", "de-DE", "pt-BR")
