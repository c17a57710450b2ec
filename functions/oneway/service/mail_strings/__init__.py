"""The words of Oneway's emails: one catalog per language candidates read (``en``, ``es``, ``de``, ``fr``, the
languages of the candidate app, domain/languages.py) and the English of the emails to members (``member``).

Each candidate catalog holds the same keys (tests/unit/test_mail_layout.py checks it): the default subject and
message of each kind an organization may rewrite (with the placeholders of service/mail_templates.py), the
button's words, the fixed lines around them, and the month and weekday names dates are written with, so that no
text of an email is written in the code that renders it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ...domain.languages import CandidateLocale
from . import de, en, es, fr

CATALOGS: Mapping[CandidateLocale, Mapping[str, object]] = MappingProxyType({"en": en.STRINGS, "es": es.STRINGS, "de": de.STRINGS, "fr": fr.STRINGS})


def text(locale: CandidateLocale, key: str) -> str:
    value = CATALOGS[locale][key]
    assert isinstance(value, str), key
    return value


def names(locale: CandidateLocale, key: str) -> tuple[str, ...]:
    value = CATALOGS[locale][key]
    assert isinstance(value, tuple), key
    return value
