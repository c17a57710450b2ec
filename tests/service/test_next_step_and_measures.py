"""The next stage and the article's measures, on the in-memory ports: advancing a candidate sends the organization's
advance email (its "advance" template) with the interview's scheduling link (an outbox message saved with the decision, audited with it);
analytics show candidates screened per member per day beside the article's figures, fairness and convenience
ratings, and the follow-up rate (none asked yet: 0 of the submitted); the analytics CSV carries them all."""

from __future__ import annotations

import csv
import io
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


def submitted_with_tokens() -> tuple[str, list[str], list[str]]:
    iid = ok("POST", "/api/interviews", INTERVIEW, expect=201)["interviewId"]
    people = [{"name": n, "email": f"{n.lower()}@x.test"} for n in ("Ada", "Alan")]
    items = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": people}, expect=201)["items"]
    tokens = [i["inviteUrl"].split("#t=")[1] for i in items]
    for token in tokens:
        assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
        for q in ("q1", "q2"):
            assert call(h, "POST", f"/api/c/questions/{q}/text", {"text": "An answer."}, token=token)[0] in (200, 201)
        assert call(h, "POST", "/api/c/complete", token=token)[0] == 200
    return iid, [i["candidateId"] for i in items], tokens


def test_analytics_screened_per_member_per_day_fairness_convenience_and_no_follow_up_rate(org, ports):  # noqa: F811
    iid, (ada, alan), tokens = submitted_with_tokens()
    # Fairness and convenience from the done page (optional; a second sending replaces the first).
    assert call(h, "POST", "/api/c/feedback", {"rating": 4, "fairness": 3, "convenience": 5}, token=tokens[0])[0] == 200
    assert call(h, "POST", "/api/c/feedback", {"rating": 4, "fairness": 5, "convenience": 5}, token=tokens[0])[0] == 200
    assert call(h, "POST", "/api/c/feedback", {"rating": 3, "fairness": 2}, token=tokens[1])[0] == 200
    assert call(h, "POST", "/api/c/feedback", {"rating": 3, "fairness": 6}, token=tokens[1])[0] == 422
    # Alice reviews both and decides one (one candidate screened once each); Ann decides without reviewing.
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 4}})
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {"Clarity": 3}})
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "hold", "note": "Later"})
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "advance", "note": "Yes"}, sub="ann")
    a = ok("GET", f"/api/interviews/{iid}/analytics")
    s = a["screening"]
    assert (s["referenceLive"], s["referenceAsync"]) == (5, 15)
    members = {m["memberEmail"]: (m["candidates"], m["days"], m["perDay"]) for m in s["members"]}
    assert members == {"alice@acme.test": (2, 1, 2.0), "ann@acme.test": (1, 1, 1.0)}
    assert s["perDay"] == 1.5
    assert a["fairness"] == {"count": 2, "average": 3.5, "counts": [0, 1, 0, 0, 1]}
    assert a["convenience"] == {"count": 1, "average": 5.0, "counts": [0, 0, 0, 0, 1]}
    assert a["followUps"]["available"] is True and a["followUps"]["rate"] == 0.0 and a["followUps"]["completion"] is None
    # The CSV carries every figure; reviewers may not export it; the export is audited.
    assert call(h, "GET", f"/api/interviews/{iid}/analytics.csv", sub="rita")[0] == 403
    _status, text = call_raw("GET", f"/api/interviews/{iid}/analytics.csv")
    rows = {(r["section"], r["item"]): r["value"] for r in csv.DictReader(io.StringIO(text))}
    assert rows[("screened_per_day", "reference_live_screening_calls")] == "5"
    assert rows[("screened_per_day", "reference_async")] == "15"
    assert rows[("screened_per_day", "alice@acme.test")] == "2.0"
    assert rows[("fairness", "average")] == "3.5" and rows[("convenience", "rated 5")] == "1"
    assert rows[("drop_off", "question 1")] == "0"
    assert rows[("follow_ups", "rate")] == "0.0" and rows[("follow_ups", "completion")] == ""
    month = ports.clock.now().strftime("%Y-%m")
    assert "analytics.exported" in [e.action for e in ports.store.list_audit("acme", month, 500)]
