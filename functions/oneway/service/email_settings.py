"""Admins rewrite the organization's email templates, preview them and send themselves a test.

Five kinds (service/emails.py): the invitation, the reminder, the advance and reject decision emails, and "ready
for review". A template holds a subject and a message with placeholders; an unknown placeholder is refused with
422 and its name, before it is saved, previewed or sent. An empty text, or Oneway's own words unchanged, puts
Oneway's words back (which speak each candidate's language; the organization's own apply to every language).

The preview is rendered by the server from sample values, exactly as the email would be sent (HTML and text);
the review site shows the HTML in a sandboxed frame. A test goes to the signed-in admin's own address only,
through the outbox like any email, at most ``TESTS_PER_HOUR`` an hour per member, and is audited. A saved
change is audited too, by kind and part, never by its words.
"""

from __future__ import annotations

from datetime import timedelta

from ..domain.errors import NotFound, TooManyRequests
from ..domain.models import Actor, EmailTemplate, Mail, MailTopic, Organization, Role
from ..ports import Ports
from . import audit, emails, outbox
from .mail_strings import member as member_strings
from .views import (
    EmailPreview,
    EmailPreviewInput,
    EmailTemplateInput,
    EmailTemplatesView,
    EmailTemplateView,
    EmailTestSent,
)

TESTS_PER_HOUR = 5


def _org(p: Ports, actor: Actor) -> Organization:
    actor.require(Role.admin)
    org = p.store.get_organization(actor.org_id)
    if org is None:
        raise NotFound("no such organization", "organization_not_found")
    return org


def _kind(kind: str) -> emails.TemplateKind:
    if kind not in emails.KINDS:
        raise NotFound(f"no email template {kind!r}; the templates are {', '.join(emails.KINDS)}", "template_not_found")
    return kind


def _view(org: Organization, kind: emails.TemplateKind) -> EmailTemplateView:
    default = emails.default_template(kind)
    now = emails.template_of(org, kind)
    return EmailTemplateView(
        kind=kind,
        subject=now.subject or "",
        message=now.message or "",
        custom=emails.custom_template(org, kind) is not None,
        default_subject=default.subject or "",
        default_message=default.message or "",
    )


def list_templates(p: Ports, actor: Actor) -> EmailTemplatesView:
    org = _org(p, actor)
    return EmailTemplatesView(templates=[_view(org, k) for k in emails.KINDS], placeholders=list(emails.PLACEHOLDERS))


def _checked(kind: emails.TemplateKind, cmd: EmailTemplateInput) -> EmailTemplate:
    """The command's words as a template to store: each part None where it is empty or Oneway's own (English)."""
    emails.check_template(f"{cmd.subject}\n{cmd.message}", f"the {kind} email")
    default = emails.default_template(kind)
    return EmailTemplate(
        subject=cmd.subject if cmd.subject and cmd.subject != default.subject else None,
        message=cmd.message if cmd.message and cmd.message != default.message else None,
    )


def save_template(p: Ports, actor: Actor, kind: str, cmd: EmailTemplateInput) -> EmailTemplateView:
    org = _org(p, actor)
    k = _kind(kind)
    wanted = _checked(k, cmd)
    before = org.email_templates.get(k) or EmailTemplate()
    if wanted != before:
        templates = {name: t for name, t in org.email_templates.items() if name != k}
        if wanted.subject or wanted.message:
            templates[k] = wanted
        org.email_templates = templates
        p.store.save(org)
        # The audit names what changed (and whether it is now the organization's own words), not the words.
        changed = [part for part in ("subject", "message") if getattr(wanted, part) != getattr(before, part)]
        audit.record(p, org.org_id, actor.user_id, "organization.email_template_updated", org.org_id, kind=k, parts=changed, custom=k in templates)
    return _view(org, k)


def _filled(p: Ports, actor: Actor, org: Organization, kind: emails.TemplateKind, cmd: EmailPreviewInput) -> Mail:
    """The words asked about, filled with sample values; a part left empty (or Oneway's words unchanged) reads as
    Oneway's words do in the language asked for."""
    chosen = _checked(kind, cmd)
    fallback = emails.default_template(kind, cmd.language)
    template = EmailTemplate(subject=chosen.subject or fallback.subject, message=chosen.message or fallback.message)
    return emails.sample(p, org, kind, template, cmd.language, actor.email, p.clock.now())


def preview(p: Ports, actor: Actor, kind: str, cmd: EmailPreviewInput) -> EmailPreview:
    """The template as it would be sent, filled with sample values: HTML and text."""
    org = _org(p, actor)
    mail = _filled(p, actor, org, _kind(kind), cmd)
    return EmailPreview(subject=mail.subject, html=mail.html or "", text=mail.text)


def send_test(p: Ports, actor: Actor, kind: str, cmd: EmailPreviewInput) -> EmailTestSent:
    """The preview, sent to the signed-in admin's own address (never anyone else's), rate-limited and audited."""
    org = _org(p, actor)
    k = _kind(kind)
    mail = _filled(p, actor, org, k, cmd)
    now = p.clock.now()
    if p.store.add_count(f"email-tests#{actor.user_id}", now.strftime("%Y-%m-%dT%H"), now + timedelta(hours=2)) > TESTS_PER_HOUR:
        raise TooManyRequests(f"at most {TESTS_PER_HOUR} test emails an hour; try again later", "rate_limited", retry_after=3600 - now.minute * 60)
    mail = mail.model_copy(update={"subject": member_strings.STRINGS["test.subject"] + mail.subject})
    p.store.save(outbox.mail(p, org.org_id, MailTopic.test, mail))
    audit.record(p, org.org_id, actor.user_id, "organization.email_test_sent", org.org_id, kind=k, language=cmd.language)
    return EmailTestSent(to=actor.email, subject=mail.subject)
