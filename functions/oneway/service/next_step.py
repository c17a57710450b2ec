"""The next-step email: what an advanced candidate may get, in the organization's words, with the interview's
scheduling link.

The organization keeps one template (subject and message, edited by admins; Oneway's default words until then)
with the placeholders below. The interview sets the link (``scheduling_url``, https). Without a link, a line of the
message that holds ``{link}`` is left out, so one template serves interviews with and without a link. The email is
an outbox message saved with the decision (review.decide), never sent inline.
"""

from __future__ import annotations

import re

from ..domain.errors import InvalidInput
from ..domain.models import Candidate, Interview, Mail, Organization

PLACEHOLDERS = ("candidate", "interview", "organization", "link")
DEFAULT_SUBJECT = "{organization}: the next step for {interview}"
DEFAULT_MESSAGE = (
    "Hello {candidate},\n\n"
    "Thank you for your video interview for \"{interview}\". We would like you to take the next step with us.\n\n"
    "Please choose a time that suits you here: {link}\n\n"
    "We look forward to speaking with you.\n\n"
    "{organization}"
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check_template(text: str, field: str) -> None:
    """Only the known placeholders, spelled exactly: a typo would reach candidates as it is."""
    unknown = sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
    if unknown:
        raise InvalidInput(
            f"{field}: unknown placeholder {', '.join('{' + u + '}' for u in unknown)}; use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}",
            "unknown_placeholder",
        )


def subject(org: Organization | None) -> str:
    return (org.next_step_subject if org else None) or DEFAULT_SUBJECT


def message(org: Organization | None) -> str:
    return (org.next_step_message if org else None) or DEFAULT_MESSAGE


def _fill(text: str, values: dict[str, str]) -> str:
    # Replaced one by one (never str.format): a brace a candidate's name or a title holds stays as written.
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def next_step_mail(org: Organization | None, interview: Interview, candidate: Candidate) -> Mail:
    link = interview.scheduling_url or ""
    values = {
        "candidate": candidate.name,
        "interview": interview.title,
        "organization": org.name if org else "The hiring team",
        "link": link,
    }
    body = message(org)
    if not link:
        body = "\n".join(line for line in body.split("\n") if "{link}" not in line)
        body = re.sub(r"\n{3,}", "\n\n", body)
    title = _fill(subject(org), values).replace("\n", " ").strip()
    return Mail(to=candidate.email, subject=title[:200], text=_fill(body, values).strip() + "\n")
