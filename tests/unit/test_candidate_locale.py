"""Which language the candidate app speaks for an interview, and the privacy notice in each."""

from __future__ import annotations

import pytest

from oneway.domain.languages import CANDIDATE_LOCALES, LANGUAGES, accepted_languages, candidate_locale
from oneway.service.notice import NOTICES, notice


@pytest.mark.parametrize(
    ("language", "locale"),
    [("en-US", "en"), ("en-GB", "en"), ("es-ES", "es"), ("es-US", "es"), ("de-DE", "de"), ("fr-FR", "fr"), ("fr-CA", "fr")],
)
def test_an_interview_in_a_language_the_app_is_written_in_is_shown_in_it_whatever_the_browser(language, locale):
    assert candidate_locale(language) == locale
    assert candidate_locale(language, "de-DE,de;q=0.9") == locale


def test_auto_and_languages_the_app_lacks_follow_the_browser_then_english():
    # Given an interview whose answers may be in any language, or in one the app is not written in
    assert candidate_locale("auto", "fr-CH, fr;q=0.9, en;q=0.8") == "fr"
    assert candidate_locale("it-IT", "it-IT,it;q=0.9,es;q=0.8") == "es"
    assert candidate_locale("pt-BR", "pt-BR") == "en"
    assert candidate_locale("auto", None) == "en"
    assert candidate_locale("nl-NL", "") == "en"


def test_accept_language_is_read_by_weight_and_survives_junk():
    assert accepted_languages("en;q=0.5, de-AT;q=0.8, fr") == ["fr", "de-AT", "en"]
    assert accepted_languages("es;q=0, *;q=0.1, de;q=abc, ,fr") == ["fr"]
    assert candidate_locale("auto", "es;q=0, de;q=0.2") == "de"


def test_every_language_of_an_interview_maps_to_a_locale_the_app_has():
    assert {candidate_locale(code) for code in LANGUAGES} <= set(CANDIDATE_LOCALES)


@pytest.mark.parametrize("locale", CANDIDATE_LOCALES)
def test_the_notice_names_the_organization_twice_and_the_retention_in_every_language(locale):
    text = notice("Acme", 90, locale)
    assert text.count("Acme") == 2 and "90" in text
    assert notice("Acme", 1, locale) != notice("Acme", 2, locale).replace("2", "1")  # one day is singular


def test_each_language_has_its_own_notice():
    assert set(NOTICES) == set(CANDIDATE_LOCALES)
    assert len({notice("Acme", 30, locale) for locale in CANDIDATE_LOCALES}) == len(CANDIDATE_LOCALES)
    assert "kept for 30 days" in notice("Acme", 30, "en") and "30 días" in notice("Acme", 30, "es")
