"""The organization's emails, on the in-memory ports: admins read and rewrite the templates (an unknown placeholder
refused with 422 naming it), preview them rendered from sample values in each language, send themselves a test
(their own address only, rate-limited, audited; others 403); the reject email goes only for interviews that turn it
on, with the decision, shown on the candidate's emails and audited with it; the ready-for-review email names the
candidate."""

from __future__ import annotations

from typing import Any

from oneway.domain.models import MailTopic, OutboxKind
from oneway.service import email_settings
from tests.service.test_review_fairness import INTERVIEW, h, ok, org, submitted_candidates  # noqa: F401  (org is a fixture)
from tests.support.events import call


def mails(ports, topic: MailTopic, candidate_id: str | None = None) -> list[Any]:
    if candidate_id:
        messages = ports.store.list_candidate_messages("acme", candidate_id)
    else:
        messages = list(ports.store.list_due_messages(ports.clock.now().replace(year=2100), 500))
    return [m.mail for m in messages if m.kind == OutboxKind.mail and m.topic == topic]


def audit(ports, action: str) -> list[dict]:
    month = ports.clock.now().strftime("%Y-%m")
    return [e.detail for e in ports.store.list_audit("acme", month, 500) if e.action == action]


def test_admins_read_and_rewrite_the_templates_and_unknown_placeholders_are_refused(org, ports):  # noqa: F811
    listed = ok("GET", "/api/organization/emails", sub="ann")
    assert [t["kind"] for t in listed["templates"]] == ["invitation", "reminder", "advance", "reject", "ready"]
    assert {"candidate", "interview", "deadline", "link", "organization"} <= set(listed["placeholders"])
    for who in ("alice", "rita"):
        assert call(h, "GET", "/api/organization/emails", sub=who)[0] == 403
        assert call(h, "PUT", "/api/organization/emails/invitation", {"subject": "x"}, sub=who)[0] == 403
    status, body = call(h, "PUT", "/api/organization/emails/invitation", {"subject": "Hi {first_name}", "message": "{candidat}, {link}"}, sub="ann")
    assert status == 422 and body["code"] == "unknown_placeholder"
    assert "{first_name}" in body["message"] and "{candidat}" in body["message"]
    assert call(h, "PUT", "/api/organization/emails/welcome", {"subject": "x"}, sub="ann")[0] == 404
    saved = ok("PUT", "/api/organization/emails/invitation", {"subject": "{organization} would like to meet you, {candidate}", "message": ""}, sub="ann")
    assert saved["custom"] is True and saved["message"] == saved["defaultMessage"]
    # The invitation now goes with the organization's subject (in a Spanish interview too: its words apply to every
    # language) and Oneway's message in Spanish.
    iid = ok("POST", "/api/interviews", {**INTERVIEW, "language": "es-ES"}, expect=201)["interviewId"]
    (item,) = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada <script>x</script>", "email": "ada@x.test"}]}, expect=201)["items"]
    (mail,) = mails(ports, MailTopic.invitation, item["candidateId"])
    assert mail.subject == "Acme would like to meet you, Ada <script>x</script>"
    assert mail.text.startswith("Hola, Ada <script>x</script>:") and "Empezar la entrevista: " + item["inviteUrl"] in mail.text
    assert mail.html and "<script>" not in mail.html and "Ada &lt;script&gt;x&lt;/script&gt;" in mail.html
    assert [d["kind"] for d in audit(ports, "organization.email_template_updated")] == ["invitation"]


def test_the_preview_is_rendered_by_the_server_in_the_language_asked_for(org, ports):  # noqa: F811
    spanish = ok("POST", "/api/organization/emails/invitation/preview", {"language": "es"}, sub="ann")
    # Sample values in the language too (a candidate and an interview title).
    assert spanish["subject"] == "Acme: tu entrevista en vídeo para Atención al cliente"
    assert "Empezar la entrevista" in spanish["html"] and spanish["text"].startswith("Hola, Lucía Ejemplo:")
    mine = ok("POST", "/api/organization/emails/reject/preview", {"subject": "About {interview}", "message": "Dear {candidate}, no.", "language": "de"}, sub="ann")
    assert mine["subject"] == "About Kundenservice" and mine["text"].startswith("Dear Alex Beispiel, no.")
    assert "data-button" not in mine["html"]  # a reject email has no link, so no button
    ready = ok("POST", "/api/organization/emails/ready/preview", {"language": "fr"}, sub="ann")
    assert ready["subject"] == "Ready for review: Alex Sample for Customer support specialist"  # members read English
    status, body = call(h, "POST", "/api/organization/emails/advance/preview", {"message": "{when}"}, sub="ann")
    assert (status, body["code"]) == (422, "unknown_placeholder")
    assert call(h, "POST", "/api/organization/emails/advance/preview", {}, sub="alice")[0] == 403
    assert mails(ports, MailTopic.test) == []  # a preview sends nothing


def test_a_test_goes_to_the_admin_only_rate_limited_and_audited(org, ports):  # noqa: F811
    assert call(h, "POST", "/api/organization/emails/invitation/test", {}, sub="alice")[0] == 403
    for _ in range(email_settings.TESTS_PER_HOUR):
        sent = ok("POST", "/api/organization/emails/invitation/test", {"language": "fr", "subject": "{candidate}, bonjour"}, sub="ann", expect=202)
        assert sent == {"to": "ann@acme.test", "subject": "[Test] Camille Exemple, bonjour"}
    status, body = call(h, "POST", "/api/organization/emails/invitation/test", {}, sub="ann")
    assert (status, body["code"]) == (429, "rate_limited")
    tests = mails(ports, MailTopic.test)
    assert len(tests) == email_settings.TESTS_PER_HOUR and {m.to for m in tests} == {"ann@acme.test"}
    assert tests[0].html and "Commencer l’entretien" in tests[0].html
    assert [(d["kind"], d["language"]) for d in audit(ports, "organization.email_test_sent")] == [("invitation", "fr")] * email_settings.TESTS_PER_HOUR


def test_the_reject_email_goes_only_when_the_interview_turns_it_on(org, ports):  # noqa: F811
    _iid, (ada, alan) = submitted_candidates()
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "reject", "note": "Not now"})
    assert mails(ports, MailTopic.rejected, ada) == []
    french = {**INTERVIEW, "title": "Engineer", "rejectEmail": True, "language": "fr-FR"}
    iid, (grace, kath) = submitted_candidates(french, names=("Grace Hopper", "Katherine Johnson"))
    assert ok("GET", f"/api/interviews/{iid}")["rejectEmail"] is True
    assert ok("GET", f"/api/candidates/{grace}")["rejectEmail"] is True  # the decision form says the email will go
    assert ok("GET", f"/api/candidates/{ada}")["rejectEmail"] is False
    ok("POST", f"/api/candidates/{grace}/decision", {"decision": "reject", "note": "Another profile"})
    (mail,) = mails(ports, MailTopic.rejected, grace)
    assert mail.subject == "Acme : votre candidature pour Engineer" and mail.text.startswith("Bonjour Grace Hopper,") and mail.html
    assert [(e["kind"], e["status"]) for e in ok("GET", f"/api/candidates/{grace}")["emails"] if e["kind"] == "rejected"] == [("rejected", "pending")]
    # Rejected again: not sent twice. Held: nothing.
    ok("POST", f"/api/candidates/{grace}/decision", {"decision": "reject", "note": "Still no"})
    ok("POST", f"/api/candidates/{kath}/decision", {"decision": "hold", "note": "Later"})
    assert len(mails(ports, MailTopic.rejected, grace)) == 1 and mails(ports, MailTopic.rejected, kath) == []
    decided = sorted((d["decision"], d.get("reject_email")) for d in audit(ports, "candidate.decided"))
    assert decided == [("hold", None), ("reject", False), ("reject", False), ("reject", True)]
    # Turned off again in the builder: no more reject emails for it.
    ok("PUT", f"/api/interviews/{iid}", {**french, "rejectEmail": False})
    ok("POST", f"/api/candidates/{kath}/decision", {"decision": "reject", "note": "No"})
    assert mails(ports, MailTopic.rejected, kath) == []
    del alan


def test_the_ready_for_review_email_names_the_candidate(org, ports):  # noqa: F811
    _iid, (ada, _alan) = submitted_candidates()
    (mail,) = mails(ports, MailTopic.ready, ada)
    assert mail.to == "alice@acme.test" and mail.subject == "Ready for review: Ada Lovelace for Analyst"
    assert mail.html and f"/#/candidates/{ada}" in mail.html and "Review Ada Lovelace" in mail.html
