"""The languages an interview's answers (and its question videos) are transcribed in.

Codes are Amazon Transcribe's batch language codes. ``auto`` has Transcribe identify the one
language of each recording among ``AUTO_CANDIDATES``: one dialect per language, and no more than
five, as Transcribe's language identification advises. The local recognizer knows English only
(``adapters/local_speech.py``).

The candidate app speaks the interview's language when it is written in it (``candidate_locale``):
the language answers are expected in is the one the candidate reads best at hand.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

AUTO: Final = "auto"
DEFAULT: Language = "en-US"

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

# The languages the candidate app and its privacy notice are written in (web/src/candidate/strings/).
CandidateLocale = Literal["en", "es", "de", "fr"]
CANDIDATE_LOCALES: tuple[CandidateLocale, ...] = get_args(CandidateLocale)
DEFAULT_LOCALE: CandidateLocale = "en"


def candidate_locale(language: str, accept_language: str | None = None) -> CandidateLocale:
    """The language the candidate app speaks for an interview: the interview's own when the app is
    written in it (es-US -> es); otherwise ("auto", or a language the app lacks) the first the
    candidate's browser asks for that the app has; otherwise English."""
    family = language.split("-")[0].lower()
    if family in CANDIDATE_LOCALES:
        return family
    for tag in accepted_languages(accept_language):
        if (wanted := tag.split("-")[0].lower()) in CANDIDATE_LOCALES:
            return wanted
    return DEFAULT_LOCALE


def accepted_languages(header: str | None) -> list[str]:
    """An Accept-Language header's tags, most wanted first (q=0 and malformed weights dropped)."""
    weighted: list[tuple[float, str]] = []
    for item in (header or "").split(",")[:20]:
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and weight > 0:
            weighted.append((weight, tag.strip()))
    return [tag for _, tag in sorted(weighted, key=lambda pair: -pair[0])]
