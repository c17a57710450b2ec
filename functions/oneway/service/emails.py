"""Every email Oneway sends, composed in the one layout (service/mail_layout.py) from the words of the catalogs
(service/mail_strings/) and the organization's own templates.

Candidates read their emails in the interview's candidate language (``candidate_locale``: en, es, de or fr, as
the candidate app); members read English. An organization may rewrite the subject and message of five kinds
(``KINDS``): the invitation, the reminder, the two decision emails (advance: the next-step email with the
interview's scheduling link; reject) and "ready for review" (to the interview's owner, naming the candidate). A
rewritten template applies to every language (the organization writes in the language it chooses); a kind it
has not rewritten speaks each candidate's language. The placeholders are ``PLACEHOLDERS``; a template holding
another is refused (422) before it can reach anyone. A line that holds ``{link}`` is left out of an email that
has no link (an interview without a scheduling link), so one template serves both; where ``{link}`` stands,
the HTML shows the button, and without it the button follows the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, Literal, get_args

from ..domain.errors import InvalidTemplate
from ..domain.languages import CandidateLocale, candidate_locale
from ..domain.models import Brand, Candidate, EmailTemplate, FollowUpRound, Interview, Mail, Organization, QuestionKind
from . import mail_layout, mail_strings
from .branding import brand_of
from .mail_strings import member as member_strings

if TYPE_CHECKING:
    from ..ports import Ports

TemplateKind = Literal["invitation", "reminder", "advance", "reject", "ready"]
KINDS: Final[tuple[TemplateKind, ...]] = get_args(TemplateKind)
TO_MEMBERS: Final = frozenset({"ready"})
PLACEHOLDERS: Final = ("candidate", "interview", "organization", "deadline", "link", "minutes", "questions")


def check_template(text: str, field: str) -> None:
    """Only the known placeholders, spelled exactly: a typo would reach candidates as it is."""
    unknown = sorted({m for m in mail_layout.PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
    if unknown:
        raise InvalidTemplate(
            f"{field}: unknown placeholder {', '.join('{' + u + '}' for u in unknown)}; use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}",
            "unknown_placeholder",
        )


def default_template(kind: TemplateKind, locale: CandidateLocale = "en") -> EmailTemplate:
    """Oneway's own words for a kind, in a candidate language (members' kinds in English)."""
    if kind in TO_MEMBERS:
        return EmailTemplate(subject=member_strings.STRINGS[f"{kind}.subject"], message=member_strings.STRINGS[f"{kind}.message"])
    return EmailTemplate(subject=mail_strings.text(locale, f"{kind}.subject"), message=mail_strings.text(locale, f"{kind}.message"))


def custom_template(org: Organization | None, kind: TemplateKind) -> EmailTemplate | None:
    return org.email_templates.get(kind) if org else None


def template_of(org: Organization | None, kind: TemplateKind, locale: CandidateLocale = "en") -> EmailTemplate:
    """The organization's words for a kind where it wrote them (subject and message each), else Oneway's."""
    default = default_template(kind, locale)
    custom = custom_template(org, kind)
    return EmailTemplate(subject=(custom and custom.subject) or default.subject, message=(custom and custom.message) or default.message)


def locale_of(interview: Interview | None) -> CandidateLocale:
    return candidate_locale(interview.language) if interview else "en"


SCREENING_SECONDS = 20  # a yes/no, a choice or a number: a moment to read and click


def estimated_minutes(interview: Interview, candidate: Candidate | None = None) -> int:
    """Think and answer time of every question (a written answer counted twice, a screening question as
    SCREENING_SECONDS), plus setup."""
    m = candidate.time_multiplier if candidate else 1.0
    seconds = sum(
        SCREENING_SECONDS if q.screening else (q.think_seconds + q.answer_seconds * (1 if q.kind == QuestionKind.video else 2)) * m
        for q in interview.questions
    )
    return max(5, round(seconds / 60) + 5)


def count_of_questions(n: int, locale: CandidateLocale) -> str:
    """'1 question', '3 preguntas': the number with its noun, in the reader's language."""
    return mail_strings.text(locale, "questions_one" if n == 1 else "questions_other").format(n=n)


def values_for(
    org: Organization | None, interview: Interview, candidate: Candidate, locale: CandidateLocale, link: str = ""
) -> dict[str, str]:
    """The placeholders' values for one candidate's email."""
    return {
        "candidate": candidate.name,
        "interview": interview.title,
        "organization": org.name if org else mail_strings.text(locale, "organization_fallback"),
        "deadline": mail_layout.when(candidate.expires_at, candidate.time_zone, locale),
        "link": link,
        "minutes": str(estimated_minutes(interview, candidate)),
        "questions": count_of_questions(len(interview.questions), locale),
    }


def _strings(locale: CandidateLocale | None) -> Mapping[str, object]:
    return member_strings.STRINGS if locale is None else mail_strings.CATALOGS[locale]


def compose(
    brand: Brand,
    kind: str,
    to: str,
    template: EmailTemplate,
    values: Mapping[str, str],
    *,
    locale: CandidateLocale | None,
    notes: list[str] | None = None,
    button_url: str | None = None,
) -> Mail:
    """One email in the layout. ``locale`` None: a member's email (English)."""
    strings = _strings(locale)
    words = strings.get(f"{kind}.button")
    url = button_url if button_url is not None else values.get("link", "")
    return mail_layout.render(
        brand,
        mail_layout.Email(
            to=to,
            subject=mail_layout.fill(template.subject or "", values),
            message=template.message or "",
            values=values,
            link_fallback=str(strings["link_fallback"]),
            sent_by=mail_layout.fill(str(strings["sent_by"]), {"organization": brand.name}),
            lang=locale or "en",
            button=(mail_layout.fill(str(words), values), url) if words and url else None,
            notes=[mail_layout.fill(n, values) for n in notes or []],
        ),
    )


def _brand(p: Ports, org: Organization | None, locale: CandidateLocale | None) -> Brand:
    brand = brand_of(p, org)
    if org is None and locale is not None:  # no organization to name: the hiring team, in the reader's language
        brand = brand.model_copy(update={"name": mail_strings.text(locale, "organization_fallback")})
    return brand


# -- to candidates -------------------------------------------------------------------
NOTES: Final[dict[str, tuple[str, ...]]] = {"invitation": ("invitation.prepare", "invitation.personal"), "reminder": ("reminder.footer",)}


def notes_of(kind: str, locale: CandidateLocale) -> list[str]:
    """The fixed lines under a kind's button (how to prepare, the link is personal), in the reader's language."""
    return [mail_strings.text(locale, key) for key in NOTES.get(kind, ())]


def invitation_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate, url: str) -> Mail:
    locale = locale_of(interview)
    return compose(
        _brand(p, org, locale),
        "invitation",
        candidate.email,
        template_of(org, "invitation", locale),
        values_for(org, interview, candidate, locale, url),
        locale=locale,
        notes=notes_of("invitation", locale),
    )


def reminder_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate) -> Mail:
    locale = locale_of(interview)
    return compose(
        _brand(p, org, locale),
        "reminder",
        candidate.email,
        template_of(org, "reminder", locale),
        values_for(org, interview, candidate, locale),
        locale=locale,
        notes=notes_of("reminder", locale),
    )


def _oneways_words(p: Ports, org: Organization | None, candidate: Candidate, kind: str, locale: CandidateLocale, values: Mapping[str, str]) -> Mail:
    """A candidate email that is no organization's template: a fact, in Oneway's words, in the candidate's language."""
    return compose(
        _brand(p, org, locale),
        kind,
        candidate.email,
        EmailTemplate(subject=mail_strings.text(locale, f"{kind}.subject"), message=mail_strings.text(locale, f"{kind}.message")),
        values,
        locale=locale,
        notes=[mail_strings.text(locale, f"{kind}.footer")],
    )


def deadline_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate) -> Mail:
    """A new deadline."""
    locale = locale_of(interview)
    return _oneways_words(p, org, candidate, "deadline", locale, values_for(org, interview, candidate, locale))


def follow_up_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate, r: FollowUpRound) -> Mail:
    """Follow-up questions wait for the candidate: how many, and until when."""
    locale = locale_of(interview)
    values = {
        **values_for(org, interview, candidate, locale),
        "deadline": mail_layout.when(r.due_at, candidate.time_zone, locale),
        "questions": count_of_questions(len(r.questions), locale),
    }
    return _oneways_words(p, org, candidate, "follow_up", locale, values)


def decision_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate, kind: Literal["advance", "reject"]) -> Mail:
    """The advance email (the next step, with the interview's scheduling link as its button) or the reject email."""
    locale = locale_of(interview)
    link = (interview.scheduling_url or "") if kind == "advance" else ""
    return compose(
        _brand(p, org, locale), kind, candidate.email, template_of(org, kind, locale), values_for(org, interview, candidate, locale, link), locale=locale
    )


def code_mail(p: Ports, org: Organization | None, interview: Interview, name: str, email: str, code: str) -> Mail:
    """The one-time code that confirms the address of someone applying through a public link."""
    locale = locale_of(interview)
    values = {"candidate": name, "interview": interview.title, "organization": org.name if org else mail_strings.text(locale, "organization_fallback"), "code": code}
    template = EmailTemplate(subject=mail_strings.text(locale, "apply_code.subject"), message=mail_strings.text(locale, "apply_code.message"))
    return compose(_brand(p, org, locale), "apply_code", email, template, values, locale=locale, notes=[mail_strings.text(locale, "apply_code.footer")])


# -- to members (English) ------------------------------------------------------------
def ready_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate, to: str, url: str) -> Mail:
    """To the interview's owner: this candidate's answers are all ready to review."""
    values = values_for(org, interview, candidate, "en", url)
    return compose(_brand(p, org, None), "ready", to, template_of(org, "ready"), values, locale=None)


def member_mail(p: Ports, org: Organization | None, kind: str, to: str, values: Mapping[str, str], *, url: str, notes: list[str] | None = None) -> Mail:
    """A member email in Oneway's words (member_invitation, member_elsewhere, accommodation)."""
    s = member_strings.STRINGS
    template = EmailTemplate(subject=s[f"{kind}.subject"], message=s[f"{kind}.message"])
    filled = {"organization": org.name if org else s["organization_fallback"], **values}
    return compose(_brand(p, org, None), kind, to, template, filled, locale=None, notes=notes, button_url=url)


def accommodation_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate, kind: str, note: str, to: str, url: str) -> Mail:
    """Tell the interview's owner that a candidate waits for an answer to a request."""
    s = member_strings.STRINGS
    values = {"candidate": candidate.name, "email": candidate.email, "ask": s[f"accommodation.{kind}"], "interview": interview.title, "note": note}
    notes = ([mail_layout.fill(s["accommodation.note"], {"note": note})] if note else []) + [s["accommodation.footer"]]
    return member_mail(p, org, "accommodation", to, values, url=url, notes=notes)


# -- previews and tests --------------------------------------------------------------
def sample(p: Ports, org: Organization | None, kind: TemplateKind, template: EmailTemplate, locale: CandidateLocale, to: str, now: datetime) -> Mail:
    """The template filled with sample values, as an email of this kind would read (the preview, the test send)."""
    locale = "en" if kind in TO_MEMBERS else locale  # members read English, sample values too
    language = {"en": "en-US", "es": "es-ES", "de": "de-DE", "fr": "fr-FR"}[locale]
    interview = Interview.model_validate(
        {"org_id": org.org_id if org else "", "interview_id": "sample", "title": mail_strings.text(locale, "sample.interview"), "created_by": "", "created_at": now, "language": language, "questions": [{"question_id": f"q{i}", "prompt": "A sample question"} for i in (1, 2, 3)], "scheduling_url": "https://calendar.example.com/book/next-step"}
    )
    candidate = Candidate.model_validate(
        {"org_id": interview.org_id, "interview_id": "sample", "candidate_id": "sample", "name": mail_strings.text(locale, "sample.candidate"), "email": to, "token_hash": "", "invited_at": now, "expires_at": (now + timedelta(days=7)).replace(hour=17, minute=0, second=0, microsecond=0), "time_zone": "Europe/Madrid"}
    )
    site = p.settings.site_url.rstrip("/")
    link = {"invitation": f"{site}/c/#t=sample", "advance": interview.scheduling_url or "", "ready": f"{site}/#/candidates/sample"}.get(kind, "")
    mail_locale = None if kind in TO_MEMBERS else locale
    values = values_for(org, interview, candidate, mail_locale or "en", link)
    notes = notes_of(kind, mail_locale) if mail_locale else []
    return compose(_brand(p, org, mail_locale), kind, to, template, values, locale=mail_locale, notes=notes)
