"""The next stage and the article's measures, on the in-memory ports: advancing a candidate sends the organization's
advance email (its "advance" template) with the interview's scheduling link (an outbox message saved with the decision, audited with it);
analytics show candidates screened per member per day beside the article's figures, fairness and convenience
ratings, and say that a follow-up rate is not available; the analytics CSV carries them all."""

from __future__ import annotations

from typing import Any

from oneway.domain.models import MailTopic, OutboxKind
from oneway.service import emails
from tests.service.test_review_fairness import INTERVIEW, call_raw, h, ok, org, submitted_candidates  # noqa: F401  (org is a fixture)
from tests.support.events import call

LINK = "https://cal.example.com/acme/next?src=oneway"


def with_link(link: str | None = LINK) -> dict[str, Any]:
    return {**INTERVIEW, "schedulingUrl": link}


def next_step_mails(ports, candidate_id: str) -> list[Any]:
    return [
        m.mail
        for m in ports.store.list_candidate_messages("acme", candidate_id)
        if m.kind == OutboxKind.mail and m.topic == MailTopic.next_step
    ]


def test_the_scheduling_link_is_https_only(org):  # noqa: F811
    for bad in ("http://cal.example.com/x", "javascript:alert(1)", "https://", "https://cal example.com", "ftp://cal.example.com"):
        status, body = call(h, "POST", "/api/interviews", with_link(bad), sub="alice")
        assert status == 422, (bad, body)
    made = ok("POST", "/api/interviews", with_link(), expect=201)
    assert made["schedulingUrl"] == LINK
    # Edited away, and back: the audit names the field.
    edited = ok("PUT", f"/api/interviews/{made['interviewId']}", with_link(None))
    assert edited["schedulingUrl"] is None


def test_advancing_sends_the_next_step_email_with_the_link_in_the_decisions_save(org, ports):  # noqa: F811
    _iid, (ada, alan) = submitted_candidates(with_link())
    detail = ok("GET", f"/api/candidates/{ada}")
    assert detail["schedulingUrl"] == LINK
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "Strong answers"})
    (mail,) = next_step_mails(ports, ada)
    assert mail.to == "ada@x.test"
    assert mail.subject == "Acme: the next step for Analyst"
    assert "Hello Ada Lovelace" in mail.text and LINK in mail.text and "{" not in mail.text
    # HTML too: the link is the button, where the template put {link}.
    assert mail.html and mail.html.count(f'href="{LINK}"') == 2 and "data-button" in mail.html
    # Shown on the candidate's emails, pending until the deliver function sends it.
    assert [(e["kind"], e["status"]) for e in ok("GET", f"/api/candidates/{ada}")["emails"] if e["kind"] == "next_step"] == [("next_step", "pending")]
    # Advanced again: not sent twice unless asked; asked, it goes again.
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "Still strong"})
    assert len(next_step_mails(ports, ada)) == 1
    # Unticked: no email.
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "advance", "note": "Good", "sendNextStep": False})
    assert next_step_mails(ports, alan) == []
    # Hold and reject send nothing, and cannot be asked to.
    status, body = call(h, "POST", f"/api/candidates/{alan}/decision", {"decision": "reject", "note": "No", "sendNextStep": True}, sub="alice")
    assert (status, body["code"]) == (400, "next_step_advance_only")
    month = ports.clock.now().strftime("%Y-%m")
    decided = [e for e in ports.store.list_audit("acme", month, 500) if e.action == "candidate.decided"]
    assert sorted(e.detail.get("next_step_email") for e in decided) == [False, False, True]


def test_without_a_link_the_email_is_off_by_default_and_leaves_the_link_line_out(org, ports):  # noqa: F811
    _iid, (ada, alan) = submitted_candidates(with_link(None))
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "Good"})
    assert next_step_mails(ports, ada) == []
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "advance", "note": "Good", "sendNextStep": True})
    (mail,) = next_step_mails(ports, alan)
    assert "choose a time" not in mail.text and "\n\n\n" not in mail.text and "Alan Turing" in mail.text


def test_admins_write_the_organizations_advance_template(org, ports):  # noqa: F811
    assert call(h, "GET", "/api/organization/emails", sub="alice")[0] == 403
    current = {t["kind"]: t for t in ok("GET", "/api/organization/emails", sub="ann")["templates"]}
    default = emails.default_template("advance")
    assert (current["advance"]["message"], current["advance"]["custom"]) == (default.message, False)
    status, body = call(h, "PUT", "/api/organization/emails/advance", {"message": "Hi {name}, book: {link}"}, sub="ann")
    assert (status, body["code"]) == (422, "unknown_placeholder") and "{name}" in body["message"]
    assert call(h, "PUT", "/api/organization/emails/advance", {"message": "Hi"}, sub="alice")[0] == 403
    saved = ok("PUT", "/api/organization/emails/advance", {"subject": "{organization} x {candidate}", "message": "Dear {candidate}, {interview}: {link}"}, sub="ann")
    assert saved["custom"] is True
    iid, (ada, _alan) = submitted_candidates(with_link(), names=("Ada {link} Lovelace", "Alan Turing"))
    bulk = ok("POST", f"/api/interviews/{iid}/candidates/bulk", {"action": "advance", "candidateIds": [ada], "note": "Good"})
    assert bulk["done"] == 1
    (mail,) = next_step_mails(ports, ada)
    # A brace in a candidate's name stays as written (values are never read as placeholders).
    assert mail.subject == "Acme x Ada {link} Lovelace"
    assert mail.text.startswith(f"Dear Ada {{link}} Lovelace, Analyst: {LINK}\n\n-- \n")
    # An empty text puts the default back; the audit names the change, not the words.
    back = ok("PUT", "/api/organization/emails/advance", {"subject": "", "message": ""}, sub="ann")
    assert (back["subject"], back["custom"]) == (default.subject, False)
    month = ports.clock.now().strftime("%Y-%m")
    updates = [e.detail for e in ports.store.list_audit("acme", month, 500) if e.action == "organization.email_template_updated"]
    assert len(updates) == 2 and all("Dear" not in str(d) for d in updates)
    assert sorted((d["kind"], d["custom"]) for d in updates) == [("advance", False), ("advance", True)]


def test_an_organization_saved_with_the_old_next_step_fields_reads_them_as_its_advance_template():
    from datetime import UTC, datetime

    from oneway.domain.models import Organization

    old = Organization.model_validate({"org_id": "o", "name": "Acme", "created_at": datetime.now(UTC), "next_step_subject": None, "next_step_message": "Book: {link}"})
    assert old.email_templates["advance"].message == "Book: {link}" and old.email_templates["advance"].subject is None
    assert "next_step_message" not in old.model_dump()
    assert Organization.model_validate({"org_id": "o", "name": "Acme", "created_at": datetime.now(UTC), "next_step_subject": None, "next_step_message": None}).email_templates == {}
