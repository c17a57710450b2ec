"""The one email layout and the catalogs it speaks from: HTML with a text alternative, the organization's name and
logo, one button in its accent colour with its link as short text beneath, every value escaped, placeholders
filled one by one (an unknown one refused), the four candidate languages with the same keys and their own dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest

from oneway.domain.errors import InvalidTemplate
from oneway.domain.models import Brand, Candidate, EmailTemplate, Interview, Organization
from oneway.service import emails, mail_layout, mail_strings

P: Any = SimpleNamespace(settings=SimpleNamespace(site_url="https://oneway.example.com"))  # what the emails read of Ports
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
URL = "https://oneway.example.com/c/#t=" + "x" * 60


def interview(language: str = "en-US", **kw) -> Interview:
    return Interview.model_validate(
        {"org_id": "o", "interview_id": "i", "title": "Analyst", "created_by": "u", "created_at": NOW, "language": language,
         "questions": [{"question_id": "q1", "prompt": "Why?"}, {"question_id": "q2", "prompt": "How?"}], **kw}
    )


def candidate(name: str = "Ada Lovelace", zone: str | None = "Europe/Berlin") -> Candidate:
    return Candidate(org_id="o", interview_id="i", candidate_id="c", name=name, email="ada@x.test", token_hash="", invited_at=NOW,
                     expires_at=datetime(2026, 12, 4, 16, tzinfo=UTC), time_zone=zone)


ORG = Organization(org_id="o", name="Acme", created_at=NOW)


class Parts(HTMLParser):
    """The HTML's links, images, scripts and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.images: list[dict[str, str | None]] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str | None) -> Parts:
    assert html
    parts = Parts()
    parts.feed(html)
    return parts


def test_the_invitation_is_html_with_one_button_and_a_text_alternative():
    mail = emails.invitation_mail(P, ORG, interview(), candidate(), URL)
    assert mail.subject == "Acme: your video interview for Analyst"
    parts = parse(mail.html)
    buttons = [a for a in parts.links if "data-button" in a]
    assert len(buttons) == 1 and buttons[0]["href"] == URL and 'bgcolor="#0f766e"' in (mail.html or "")
    # The link again, as short text, for clients that block buttons: the same address, never the raw 90 characters.
    (fallback,) = [a for a in parts.links if "data-button" not in a]
    assert fallback["href"] == URL
    assert "Start the interview" in "".join(parts.text)
    html = mail.html or ""
    assert re.search(r">oneway\.example\.com/c/#t=x+…<", html) and URL not in "".join(parts.text)
    assert 'role="presentation"' in html and "<style" not in html  # tables and inline styles only
    # The text alternative says it all in the same order, with the full link.
    assert mail.text.startswith("Hello Ada Lovelace,\n\nAcme invites you to a video interview for \"Analyst\".")
    assert f"Start the interview: {URL}" in mail.text
    assert "Friday 4 December 2026, 17:00 (Europe/Berlin)" in mail.text and "The interview has 2 questions and takes about" in mail.text
    assert mail.text.index("Start the interview") < mail.text.index("To prepare") < mail.text.index("This link is personal")


def test_the_brand_shows_its_logo_and_accent_and_a_light_accent_gets_dark_words(monkeypatch):
    monkeypatch.setattr(emails, "brand_of", lambda p, org: Brand(name="Acme", accent="#ffd60a", logo_url="https://media.example.com/logo.png"))
    mail = emails.invitation_mail(P, ORG, interview(), candidate(), URL)
    (img,) = parse(mail.html).images
    assert (img["src"], img["alt"]) == ("https://media.example.com/logo.png", "Acme")
    assert 'bgcolor="#ffd60a"' in (mail.html or "") and "color:#111111" in (mail.html or "")
    # An accent that is not a colour never reaches the HTML; a logo address that is not http(s) neither.
    monkeypatch.setattr(emails, "brand_of", lambda p, org: Brand(name="Acme", accent='red;"><script>', logo_url="javascript:alert(1)"))
    mail = emails.invitation_mail(P, ORG, interview(), candidate(), URL)
    parts = parse(mail.html)
    assert parts.images == [] and parts.scripts == 0 and mail_layout.DEFAULT_ACCENT in (mail.html or "")


def test_every_value_is_escaped_in_the_html():
    evil = Organization(org_id="o", name='Acme "<img src=x onerror=alert(1)>', created_at=NOW)
    mail = emails.invitation_mail(P, evil, interview(title="<b>Analyst</b>"), candidate("<script>alert(1)</script>"), URL)
    parts = parse(mail.html)
    assert parts.scripts == 0 and parts.images == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (mail.html or "") and "<b>Analyst</b>" not in (mail.html or "")
    assert "<script>alert(1)</script>" in "".join(parts.text)  # shown as written, never run
    assert "Hello <script>alert(1)</script>," in mail.text  # the text part is text


def test_placeholders_are_filled_once_and_unknown_ones_refused():
    assert mail_layout.fill("{candidate} {link} {nope}", {"candidate": "Ada {link}", "link": "L"}) == "Ada {link} L {nope}"
    with pytest.raises(InvalidTemplate) as refused:
        emails.check_template("Hi {name}, see {link} and {Candidate}", "message")
    assert refused.value.status == 422 and refused.value.code == "unknown_placeholder"
    assert "{name}" in refused.value.message and "{Candidate}" in refused.value.message
    for name in emails.PLACEHOLDERS:
        emails.check_template("{" + name + "}", "message")


def test_the_button_stands_where_the_template_puts_the_link_and_a_line_without_one_is_left_out():
    org = ORG.model_copy(update={"email_templates": {"advance": EmailTemplate(message="Hi {candidate}.\n\nBook here: {link}\n\nBye.")}})
    with_link = emails.decision_mail(P, org, interview(scheduling_url="https://cal.example.com/b"), candidate(), "advance")
    html = with_link.html or ""
    assert html.index("Book here:") < html.index("data-button") < html.index("Bye.")
    assert with_link.text.startswith("Hi Ada Lovelace.\n\nBook here: https://cal.example.com/b\n\nBye.\n\n-- \n")
    without = emails.decision_mail(P, org, interview(), candidate(), "advance")
    assert "Book here" not in without.text and "data-button" not in (without.html or "") and "\n\n\n" not in without.text


def test_every_candidate_catalog_has_exactly_the_english_keys_and_kinds():
    english = mail_strings.CATALOGS["en"]
    for locale, catalog in mail_strings.CATALOGS.items():
        assert set(catalog) == set(english), locale
        assert len(catalog["months"]) == 12 and len(catalog["weekdays"]) == 7, locale  # type: ignore[arg-type]
        for key, value in catalog.items():
            if isinstance(value, str):
                # The same placeholders as English: a translation never drops nor invents one.
                assert set(re.findall(r"\{(\w+)\}", value)) == set(re.findall(r"\{(\w+)\}", str(english[key]))), (locale, key)
    for kind in emails.KINDS:
        if kind not in emails.TO_MEMBERS:
            for locale in mail_strings.CATALOGS:
                t = emails.default_template(kind, locale)
                emails.check_template(t.subject or "", kind)
                emails.check_template(t.message or "", kind)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en-US", ("Friday 4 December 2026, 17:00 (Europe/Berlin)", "Start the interview", "Hello Ada")),
        ("es-ES", ("viernes, 4 de diciembre de 2026, 17:00 (Europe/Berlin)", "Empezar la entrevista", "Hola, Ada")),
        ("de-DE", ("Freitag, 4. Dezember 2026, 17:00 Uhr (Europe/Berlin)", "Interview starten", "Hallo Ada")),
        ("fr-CA", ("vendredi 4 décembre 2026, 17:00 (Europe/Berlin)", "Commencer l’entretien", "Bonjour Ada")),
        ("it-IT", ("Friday 4 December 2026", "Start the interview", "Hello Ada")),  # no Italian catalog: English
    ],
)
def test_candidate_emails_speak_the_interviews_language_with_its_dates(language, words):
    mail = emails.invitation_mail(P, ORG, interview(language), candidate(), URL)
    for w in words:
        assert w in mail.text and w in (mail.html or "").replace("&#x27;", "'"), (language, w)
    assert f'lang="{language[:2] if language != "it-IT" else "en"}"' in (mail.html or "")


def test_a_date_in_utc_when_the_zone_is_unknown():
    assert mail_layout.when(datetime(2026, 3, 1, 8, tzinfo=UTC), None, "de") == "Sonntag, 1. März 2026, 08:00 Uhr (UTC)"
    assert mail_layout.when(datetime(2026, 8, 10, 8, tzinfo=UTC), "America/New_York", "fr") == "lundi 10 août 2026, 04:00 (America/New_York)"


def test_an_organizations_own_words_apply_to_every_language_and_member_emails_stay_english():
    org = ORG.model_copy(update={"email_templates": {"invitation": EmailTemplate(subject="Acme wants you, {candidate}")}})
    spanish = emails.invitation_mail(P, org, interview("es-ES"), candidate(), URL)
    assert spanish.subject == "Acme wants you, Ada Lovelace" and spanish.text.startswith("Hola, Ada Lovelace:")  # the message is still Oneway's, in Spanish
    ready = emails.ready_mail(P, ORG, interview("es-ES"), candidate(), "owner@acme.test", "https://oneway.example.com/#/candidates/c")
    assert ready.subject == "Ready for review: Ada Lovelace for Analyst" and "Review Ada Lovelace: https://oneway.example.com/#/candidates/c" in ready.text
