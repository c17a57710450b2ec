"""The interview builder on the in-memory ports: what may change after the first invitation, the welcome
text and the reminder setting (which drives the reminder schedule), templates (saved, built in, scoped to
the organization), and question videos uploaded under a draft's id before the first save."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from oneway.domain.models import Role
from oneway.service import identity, notifications
from tests.service.test_review_fairness import INTERVIEW, h, ok, org  # noqa: F401  (org is a fixture)
from tests.support.events import call

VIDEO: dict[str, Any] = {"title": "Support lead", "questions": [{"prompt": "Tell us about a hard call.", "kind": "video", "thinkSeconds": 15, "answerSeconds": 60}]}


def reminders_to(ports, candidate_id: str) -> int:
    return sum(m.topic == "reminder" for m in ports.store.list_candidate_messages("acme", candidate_id))


def invite(iid: str, email: str = "ada@x.test") -> dict:
    return ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": email}], "sendEmail": False}, expect=201)


def test_after_the_first_invitation_only_what_candidates_do_not_answer_changes(org, ports):  # noqa: F811
    made = ok("POST", "/api/interviews", {**INTERVIEW, "welcome": "Hi, I'm Sam."}, expect=201)
    iid = made["interviewId"]
    assert made["welcome"] == "Hi, I'm Sam." and made["reminders"] is True and made["reminderHours"] == [48, 24]
    assert ok("GET", f"/api/interviews/{iid}")["locked"] is False
    invite(iid)
    assert ok("GET", f"/api/interviews/{iid}")["locked"] is True

    allowed = {**INTERVIEW, "title": "Senior analyst", "description": "New words", "welcome": "Hello!", "deadlineDays": 3,
               "blind": True, "reminders": False, "reminderHours": [24]}
    edited = ok("PUT", f"/api/interviews/{iid}", allowed)
    assert (edited["title"], edited["description"], edited["welcome"], edited["deadlineDays"], edited["blind"]) == ("Senior analyst", "New words", "Hello!", 3, True)
    assert (edited["reminders"], edited["reminderHours"], edited["locked"]) == (False, [24], True)
    changed = [e.detail for e in ports.store.list_audit("acme", ports.clock.now().strftime("%Y-%m"), 200) if e.action == "interview.updated"][-1]["changed"]
    assert changed == sorted(["title", "description", "welcome", "deadline_days", "blind", "reminders", "reminder_hours"])

    for locked in (
        {"questions": [{"prompt": "Another question", "kind": "text"}, INTERVIEW["questions"][1]]},
        {"questions": list(reversed(INTERVIEW["questions"]))},  # a new order is a change too
        {"questions": [{**INTERVIEW["questions"][0], "answerSeconds": 300}, INTERVIEW["questions"][1]]},
        {"rubric": [{"name": "Clarity"}]},
        {"practiceQuestion": False},
        {"language": "de-DE"},
    ):
        status, body = call(h, "PUT", f"/api/interviews/{iid}", {**allowed, **locked}, sub="alice")
        assert (status, body["code"]) == (409, "questions_locked"), locked
    assert ok("GET", f"/api/interviews/{iid}")["questions"][0]["prompt"] == INTERVIEW["questions"][0]["prompt"]


def test_the_welcome_text_reaches_the_candidate_as_written(org):  # noqa: F811
    iid = ok("POST", "/api/interviews", {**INTERVIEW, "welcome": "Hi, I'm Sam from Acme.\nTake your time."}, expect=201)["interviewId"]
    token = invite(iid)["items"][0]["inviteUrl"].split("#t=")[1]
    status, session = call(h, "GET", "/api/c/session", token=token)
    assert status == 200 and session["interview"]["welcome"] == "Hi, I'm Sam from Acme.\nTake your time."


def test_the_interview_reminder_setting_drives_the_schedule(org, ports):  # noqa: F811
    never = ok("POST", "/api/interviews", {**INTERVIEW, "reminders": False}, expect=201)["interviewId"]
    early = ok("POST", "/api/interviews", {**INTERVIEW, "reminderHours": [72]}, expect=201)["interviewId"]
    both = ok("POST", "/api/interviews", INTERVIEW, expect=201)["interviewId"]
    c_never, c_early, c_both = (invite(i, f"{n}@x.test")["items"][0]["candidateId"] for n, i in (("n", never), ("e", early), ("b", both)))

    deadline = ports.store.get_candidate("acme", c_early).expires_at
    assert ports.store.get_reminder("acme", c_early).due_at == (deadline - timedelta(hours=72)).replace(microsecond=0)
    assert ports.store.get_reminder("acme", c_both).slot_hours == 48
    assert ports.store.get_reminder("acme", c_never).slot_hours == 48  # planned, in case they are turned on

    ports.clock.at = deadline - timedelta(hours=71)
    assert notifications.send_reminders(ports) == 1  # the 72-hour one
    assert reminders_to(ports, c_early) == 1 and ports.store.get_reminder("acme", c_early).due_at is None
    # The setting is read when a reminder falls due: turned off after the invitation, nothing goes;
    # turned on after it, the candidates already invited get theirs.
    ok("PUT", f"/api/interviews/{both}", {**INTERVIEW, "reminders": False})
    ok("PUT", f"/api/interviews/{never}", {**INTERVIEW, "reminders": True})
    ports.clock.at = deadline - timedelta(hours=47)
    assert notifications.send_reminders(ports) == 1
    assert (reminders_to(ports, c_never), reminders_to(ports, c_both)) == (1, 0)
    assert ports.store.get_reminder("acme", c_both).slot_hours == 24  # its 48-hour slot passed, unsent


def test_templates_saved_listed_built_in_and_scoped_to_the_organization(org, ports):  # noqa: F811
    listed = ok("GET", "/api/interview-templates")["items"]
    built_in = [x for x in listed if x["builtIn"]]
    assert {x["name"] for x in built_in} >= {"Customer support", "Software engineer", "Sales representative"}
    for x in built_in:  # anchored rubrics, durations from the builder's steps
        assert x["rubric"] and all(len(r["anchors"]) == 5 and all(r["anchors"]) for r in x["rubric"])
        assert all(q["answerSeconds"] in (30, 60, 120, 180, 300) and q["thinkSeconds"] in (0, 15, 30, 60) for q in x["questions"] if q["kind"] == "video")

    body = {**INTERVIEW, "name": "Analyst screen", "welcome": "Welcome!", "reminderHours": [72, 24]}
    saved = ok("POST", "/api/interview-templates", body, expect=201)
    assert (saved["name"], saved["builtIn"], saved["welcome"], saved["reminderHours"]) == ("Analyst screen", False, "Welcome!", [72, 24])
    assert [q["prompt"] for q in saved["questions"]] == [q["prompt"] for q in INTERVIEW["questions"]]
    assert ok("GET", "/api/interview-templates")["items"][0]["templateId"] == saved["templateId"]  # own ones first
    assert "template.saved" in [e.action for e in ports.store.list_audit("acme", ports.clock.now().strftime("%Y-%m"), 200)]

    # Another organization sees only the built-in ones; reviewers neither list nor save.
    other = identity.create_organization(ports, "Other", org_id="other")
    identity.add_member(ports, other.org_id, "olga", "olga@other.test", Role.recruiter)
    assert all(x["builtIn"] for x in ok("GET", "/api/interview-templates", sub="olga")["items"])
    assert call(h, "DELETE", f"/api/interview-templates/{saved['templateId']}", sub="olga")[0] == 404
    assert call(h, "GET", "/api/interview-templates", sub="rita")[0] == 403
    assert call(h, "POST", "/api/interview-templates", body, sub="rita")[0] == 403
    status, refused = call(h, "POST", "/api/interview-templates", {**body, "name": ""}, sub="alice")
    assert (status, refused["code"]) == (422, "validation_failed")

    # Built-in templates stay; the organization's own go.
    assert call(h, "DELETE", f"/api/interview-templates/{built_in[0]['templateId']}", sub="alice")[0] == 404
    ok("DELETE", f"/api/interview-templates/{saved['templateId']}")
    assert all(x["builtIn"] for x in ok("GET", "/api/interview-templates")["items"])


def test_a_question_video_uploaded_before_the_first_save_stays_with_the_interview(org, ports):  # noqa: F811
    draft = ok("POST", "/api/interview-drafts", expect=201)["interviewId"]
    assert ports.store.get_interview("acme", draft) is None and ports.store.get_draft("acme", draft).created_by == "alice"
    ticket = ok("POST", f"/api/interviews/{draft}/question-media", {"contentType": "video/mp4", "size": 5000}, expect=201)
    media = ports.store.get_question_media("acme", draft, ticket["mediaId"])
    assert media is not None and f"/interview/{draft}/question-media/{ticket['mediaId']}/" in media.upload_key
    # Checked like a recording: a type that is no video, a file beyond the bound.
    status, refused = call(h, "POST", f"/api/interviews/{draft}/question-media", {"contentType": "application/pdf", "size": 5000}, sub="alice")
    assert (status, refused["code"]) == (400, "unsupported_media_type")
    status, refused = call(h, "POST", f"/api/interviews/{draft}/question-media", {"contentType": "video/mp4", "size": 10**11}, sub="alice")
    assert (status, refused["code"]) == (413, "recording_too_large")
    # Only a draft made for this organization, by the server; only managers.
    assert call(h, "POST", "/api/interviews/0123456789abcdef01234567/question-media", {"contentType": "video/mp4", "size": 5000}, sub="alice")[0] == 404
    other = identity.create_organization(ports, "Other", org_id="other")
    identity.add_member(ports, other.org_id, "olga", "olga@other.test", Role.recruiter)
    assert call(h, "POST", f"/api/interviews/{draft}/question-media", {"contentType": "video/mp4", "size": 5000}, sub="olga")[0] == 404
    assert call(h, "GET", f"/api/interviews/{draft}/question-media/{ticket['mediaId']}", sub="olga")[0] == 404
    status, refused = call(h, "POST", "/api/interviews", {**VIDEO, "interviewId": draft}, sub="olga")
    assert (status, refused["code"]) == (404, "draft_not_found")
    assert call(h, "POST", f"/api/interviews/{draft}/question-media", {"contentType": "video/mp4", "size": 5000}, sub="rita")[0] == 403
    assert call(h, "POST", "/api/interview-drafts", sub="rita")[0] == 403

    question = {**VIDEO["questions"][0], "mediaId": ticket["mediaId"]}
    made = ok("POST", "/api/interviews", {**VIDEO, "questions": [question], "interviewId": draft}, expect=201)
    assert made["interviewId"] == draft and made["questions"][0]["mediaId"] == ticket["mediaId"]
    assert ports.store.get_question_media("acme", draft, ticket["mediaId"]).attached  # the sweep leaves it
    # A draft's id makes one interview: a second save with it is refused, not merged.
    status, refused = call(h, "POST", "/api/interviews", {**VIDEO, "interviewId": draft}, sub="alice")
    assert (status, refused["code"]) == (409, "stale_write")
    # Without the draft's id, the video is no video of that interview.
    status, refused = call(h, "POST", "/api/interviews", {**VIDEO, "questions": [question]}, sub="alice")
    assert (status, refused["code"]) == (400, "media_not_found")
    # A draft serves a day.
    late = ok("POST", "/api/interview-drafts", expect=201)["interviewId"]
    ports.clock.advance(days=1)
    status, refused = call(h, "POST", "/api/interviews", {**VIDEO, "interviewId": late}, sub="alice")
    assert (status, refused["code"]) == (404, "draft_not_found")
    assert call(h, "POST", f"/api/interviews/{late}/question-media", {"contentType": "video/mp4", "size": 5000}, sub="alice")[0] == 404
