"""The candidate experience on moto, with a clock the test controls: reminders, resend, extend,
revoke, extra time, accommodations, the per-answer upload bound and the status after finishing."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache

import pytest
from moto.ses.models import ses_backends

from oneway.adapters.dynamo import GSI_TOKEN
from oneway.domain.models import Role
from oneway.handlers import api, candidate_api, deps, recruiter_api
from oneway.handlers.scheduled import TASKS
from oneway.service import identity
from tests.support.events import call

INTERVIEW = {
    "title": "Support engineer",
    "description": "A short interview.",
    "questions": [
        {"prompt": "Tell us about a hard problem", "kind": "video", "thinkSeconds": 10, "answerSeconds": 60, "maxTakes": 2},
        {"prompt": "Why this role?", "kind": "text", "thinkSeconds": 0, "answerSeconds": 120, "maxTakes": 1},
    ],
    "deadlineDays": 3,
}


@pytest.fixture
def http(ports, monkeypatch, outbox):
    """The real handlers, on the test's clock; the deliver function sends what they leave in the outbox."""
    monkeypatch.setitem(DELIVER, "drain", outbox.drain)
    @cache  # as deps.ports is: the aws fixture clears the cache on teardown
    def fixed():
        return ports

    for module in (candidate_api, recruiter_api, deps):
        monkeypatch.setattr(module, "ports", fixed)
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    identity.create_organization(ports, "Globex", org_id="globex")
    identity.add_member(ports, "globex", "bob", "bob@globex.test", Role.recruiter)

    def do(method, path, body=None, **kw):
        return call(api.lambda_handler, method, path, body, **kw)

    return do


DELIVER: dict = {}


def mails(to: str | None = None):
    """The emails sent so far (the deliver function first hands over what waits in the outbox)."""
    DELIVER["drain"]()
    sent = ses_backends["123456789012"]["us-east-1"].sent_messages
    return [m for m in sent if to is None or to in m.destinations["ToAddresses"]]


def invite(http, *, zone: str | None = None, email: str = "ada@x.test"):
    status, made = http("POST", "/api/interviews", INTERVIEW, sub="alice")
    assert status == 201, made
    person = {"name": "Ada", "email": email} | ({"timeZone": zone} if zone else {})
    status, inv = http("POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [person]}, sub="alice")
    assert status == 201, inv
    item = inv["items"][0]
    return made["interviewId"], item["candidateId"], item["inviteUrl"].split("#t=")[1]


def test_the_invitation_names_org_interview_duration_deadline_in_the_candidates_zone_and_what_to_prepare(http):
    invite(http, zone="Europe/Berlin")
    body = mails("ada@x.test")[-1].body
    # Invited at 12:00 UTC on 25 November, three days to answer: 13:00 in Berlin on the 28th.
    assert "Acme" in body and "Support engineer" in body and "about 10 minutes" in body
    assert "Saturday 28 November 2026, 13:00 (Europe/Berlin)" in body
    assert "quiet place" in body and "/c/#t=" in body
    invite(http, email="alan@x.test")
    assert "Saturday 28 November 2026, 12:00 (UTC)" in mails("alan@x.test")[-1].body
    status, _err = http("POST", "/api/interviews/x/invitations", {"candidates": [{"name": "A", "email": "a@x.test", "timeZone": "Mars/Olympus"}]}, sub="alice")
    assert status in (400, 404)


def test_reminders_go_out_once_per_slot_before_the_deadline_and_never_after_completion(http, ports, clock):
    _, _, _token = invite(http)
    _grace_interview, grace_id, done_token = invite(http, email="grace@x.test")
    before = len(mails())
    remind = TASKS["reminders"]

    assert remind(ports) == 0  # nothing is due at invitation time
    clock.advance(hours=24, minutes=1)  # 47h59m before the deadline: the 48-hour slot
    assert remind(ports) == 2
    assert remind(ports) == 0  # never twice for the same slot
    assert all("Reminder" in m.subject for m in mails()[before:])

    # Grace finishes; only Ada hears again at the 24-hour slot.
    assert http("POST", "/api/c/consent", {"accepted": True}, token=done_token)[0] == 200
    http("POST", "/api/c/questions/q2/text", {"text": "Because."}, token=done_token)
    # Grace answers the video question in writing (a granted alternative), then finishes.
    status, acc = http("POST", "/api/c/accommodations", {"kind": "text_instead_of_video", "note": "no camera"}, token=done_token)
    assert status == 201 and acc["state"] == "requested"
    status, st = http("POST", f"/api/candidates/{grace_id}/accommodations/{acc['requestId']}", {"decision": "grant"}, sub="alice")
    assert status == 200 and st["textInsteadOfVideo"]
    assert http("POST", "/api/c/questions/q1/text", {"text": "In writing."}, token=done_token)[0] == 200
    assert http("POST", "/api/c/complete", token=done_token)[0] == 200

    clock.advance(hours=24)
    sent_before = len(mails())
    assert remind(ports) == 1
    assert [m.destinations["ToAddresses"] for m in mails()[sent_before:]] == [["ada@x.test"]]
    clock.advance(hours=30)  # past the deadline: nothing more
    assert remind(ports) == 0
    status, st = http("GET", f"/api/candidates/{grace_id}/invitation", sub="alice")
    assert st["nextReminderAt"] is None


def test_a_reminder_task_that_missed_both_slots_sends_one_email(http, ports, clock):
    invite(http)
    clock.advance(hours=60)
    assert TASKS["reminders"](ports) == 1
    clock.advance(hours=5)
    assert TASKS["reminders"](ports) == 0


def test_resend_issues_a_fresh_link_and_the_old_one_stops_working(http):
    _, cid, token = invite(http)
    assert http("GET", "/api/c/session", token=token)[0] == 200  # a warm function knows where this link leads
    status, again = http("POST", f"/api/candidates/{cid}/invitation/resend", sub="alice")
    assert status == 200 and again["inviteUrl"] in mails("ada@x.test")[-1].body
    fresh = again["inviteUrl"].split("#t=")[1]
    assert fresh != token
    assert http("GET", "/api/c/session", token=token)[0] == 401
    assert http("GET", "/api/c/session", token=fresh)[0] == 200
    # Another organization cannot touch it.
    assert http("POST", f"/api/candidates/{cid}/invitation/resend", sub="bob")[0] == 404


def test_a_resend_reinstates_a_revoked_link_with_its_reminders(http, ports, clock):
    _, cid, _token = invite(http)
    http("POST", f"/api/candidates/{cid}/invitation/revoke", sub="alice")
    clock.advance(hours=25)
    assert TASKS["reminders"](ports) == 0  # revoked: no reminder, the slot is spent
    status, again = http("POST", f"/api/candidates/{cid}/invitation/resend", sub="alice")
    assert status == 200 and http("GET", "/api/c/session", token=again["inviteUrl"].split("#t=")[1])[0] == 200
    st = http("GET", f"/api/candidates/{cid}/invitation", sub="alice")[1]
    assert not st["revoked"] and st["nextReminderAt"] == "2026-11-27T12:00:00Z"  # the 24-hour slot, still ahead
    clock.advance(hours=24)
    assert TASKS["reminders"](ports) == 1


def test_a_revoked_link_answers_like_an_unknown_one(http):
    _, cid, token = invite(http)
    assert http("GET", "/api/c/session", token=token)[0] == 200
    status, st = http("POST", f"/api/candidates/{cid}/invitation/revoke", sub="alice")
    assert status == 200 and st["revoked"] and st["nextReminderAt"] is None
    unknown = http("GET", "/api/c/session", token="z" * 43)
    assert http("GET", "/api/c/session", token=token) == unknown == (401, {"message": "this interview link is not valid", "code": "invalid_token"})


def test_a_warm_function_asks_the_token_index_once_per_link_and_still_reads_the_candidate_each_time(http, ports):
    _, cid, token = invite(http)
    reads: list[str] = []
    ports.store._db.meta.events.register("before-parameter-build.dynamodb", lambda model, params, **_: reads.append(f"{model.name} {params.get('IndexName', '')}".strip()))
    for _ in range(3):
        assert http("GET", "/api/c/session", token=token)[0] == 200
    assert reads.count(f"Query {GSI_TOKEN}") == 1
    assert reads.count("GetItem") >= 3  # the candidate itself, read (consistently) on every call
    assert http("DELETE", f"/api/candidates/{cid}", sub="alice")[0] == 200  # erased: the remembered link leads nowhere at once
    assert http("GET", "/api/c/session", token=token) == (401, {"message": "this interview link is not valid", "code": "invalid_token"})


def test_extending_the_deadline_reopens_the_link_reschedules_reminders_and_tells_the_candidate(http, ports, clock):
    _, cid, token = invite(http, zone="America/New_York")
    clock.advance(days=4)
    # After the deadline nothing can be answered: 410 from the deadline check, or the token's
    # own expiry (answered like an unknown token) where the token layer checks it first.
    status, err = http("POST", "/api/c/consent", {"accepted": True}, token=token)
    assert (status, err["code"]) in ((410, "deadline_passed"), (401, "invalid_token"))
    new = (clock.now() + timedelta(days=3)).isoformat()
    assert http("PUT", f"/api/candidates/{cid}/invitation/deadline", {"expiresAt": "2020-01-01T00:00:00Z"}, sub="alice")[0] == 400
    status, st = http("PUT", f"/api/candidates/{cid}/invitation/deadline", {"expiresAt": new}, sub="alice")
    assert status == 200 and st["nextReminderAt"] == (clock.now() + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert "more time" in mails("ada@x.test")[-1].subject and "(America/New_York)" in mails("ada@x.test")[-1].body
    assert http("POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200


def test_extra_time_multiplies_what_the_browser_is_told_and_the_upload_bound(http):
    _, cid, token = invite(http)
    http("POST", "/api/c/consent", {"accepted": True}, token=token)
    status, st = http("PUT", f"/api/candidates/{cid}/invitation/time-multiplier", {"multiplier": 1.5}, sub="alice")
    assert status == 200 and st["timeMultiplier"] == 1.5
    session = http("GET", "/api/c/session", token=token)[1]
    assert (session["questions"][0]["thinkSeconds"], session["questions"][0]["answerSeconds"]) == (15, 90)
    status, take = http("POST", "/api/c/questions/q1/takes", token=token)
    assert status == 201 and (take["thinkSeconds"], take["answerSeconds"]) == (15, 90)
    # 90 s at 8 Mbit/s is 90 MB (plus slack): more is refused with a clear 413.
    path = f"/api/c/questions/q1/takes/{take['takeId']}/upload"
    status, err = http("POST", path, {"contentType": "video/webm", "size": 100 * 2**20}, token=token)
    assert status == 413 and err["code"] == "recording_too_large" and "at most" in err["message"]
    assert http("POST", path, {"contentType": "video/webm", "size": 80 * 2**20}, token=token)[0] == 200


def test_accommodations_are_asked_for_and_granted_or_declined(http):
    interview_id, cid, token = invite(http)
    http("POST", "/api/c/consent", {"accepted": True}, token=token)
    status, extra = http("POST", "/api/c/accommodations", {"kind": "extra_time", "note": "dyslexia"}, token=token)
    assert status == 201
    asked = mails("alice@acme.test")[-1]  # the interview's owner hears of it
    assert "Ada" in asked.subject and "more time" in asked.body and "dyslexia" in asked.body
    assert http("POST", "/api/c/accommodations", {"kind": "extra_time"}, token=token)[0] == 409  # one open request per kind
    _, text = http("POST", "/api/c/accommodations", {"kind": "text_instead_of_video"}, token=token)
    status, st = http("GET", f"/api/candidates/{cid}/invitation", sub="alice")
    assert [a["state"] for a in st["accommodations"]] == ["requested", "requested"]
    listed = http("GET", f"/api/interviews/{interview_id}/candidates", sub="alice")[1]["items"]
    assert [c["pendingAccommodations"] for c in listed] == [2]

    status, st = http("POST", f"/api/candidates/{cid}/accommodations/{extra['requestId']}", {"decision": "grant", "multiplier": 2}, sub="alice")
    assert status == 200 and st["timeMultiplier"] == 2
    status, st = http("POST", f"/api/candidates/{cid}/accommodations/{text['requestId']}", {"decision": "decline"}, sub="alice")
    assert status == 200 and not st["textInsteadOfVideo"]
    assert http("POST", f"/api/candidates/{cid}/accommodations/{text['requestId']}", {"decision": "grant"}, sub="alice")[0] == 409
    assert http("POST", f"/api/candidates/{cid}/accommodations/{text['requestId']}", {"decision": "grant"}, sub="bob")[0] == 404

    session = http("GET", "/api/c/session", token=token)[1]
    assert session["questions"][0]["answerSeconds"] == 120 and session["questions"][0]["kind"] == "video"
    assert [a["state"] for a in session["accommodations"]] == ["granted", "declined"]
    assert http("POST", "/api/c/questions/q1/text", {"text": "no"}, token=token)[0] == 400  # declined: still a video question


def test_a_granted_written_alternative_turns_video_questions_into_written_ones(http):
    _interview_id, cid, token = invite(http)
    http("POST", "/api/c/consent", {"accepted": True}, token=token)
    _, req = http("POST", "/api/c/accommodations", {"kind": "text_instead_of_video"}, token=token)
    http("POST", f"/api/candidates/{cid}/accommodations/{req['requestId']}", {"decision": "grant"}, sub="alice")
    session = http("GET", "/api/c/session", token=token)[1]
    assert session["questions"][0]["kind"] == "text" and session["questions"][0]["prompt"] == "Tell us about a hard problem"
    assert http("POST", "/api/c/questions/q1/takes", token=token)[0] == 400
    assert http("POST", "/api/c/questions/q1/text", {"text": "My answer in writing."}, token=token)[0] == 200
    assert http("POST", "/api/c/questions/q2/text", {"text": "Because."}, token=token)[0] == 200
    assert http("POST", "/api/c/complete", token=token)[0] == 200
    detail = http("GET", f"/api/candidates/{cid}", sub="alice")[1]
    assert detail["answers"][0]["text"] == "My answer in writing."
    assert detail["status"] == "ready"  # nothing waits for a video


def test_after_finishing_the_link_shows_the_status_and_the_decision_only_when_shared(http):
    interview_id, cid, token = invite(http)
    http("POST", "/api/c/consent", {"accepted": True}, token=token)
    _, req = http("POST", "/api/c/accommodations", {"kind": "text_instead_of_video"}, token=token)
    http("POST", f"/api/candidates/{cid}/accommodations/{req['requestId']}", {"decision": "grant"}, sub="alice")
    http("POST", "/api/c/questions/q1/text", {"text": "A."}, token=token)
    http("POST", "/api/c/questions/q2/text", {"text": "B."}, token=token)
    http("POST", "/api/c/complete", token=token)
    assert http("GET", "/api/c/session", token=token)[1]["status"] == "ready"
    status, _ = http("POST", f"/api/candidates/{cid}/decision", {"decision": "advance", "note": "Strong."}, sub="alice")
    assert status == 200
    session = http("GET", "/api/c/session", token=token)[1]
    assert session["status"] == "reviewed" and session["decision"] is None and "advance" not in json.dumps(session)
    status, st = http("PUT", f"/api/interviews/{interview_id}/candidate-settings", {"shareDecisionWithCandidate": True}, sub="alice")
    assert status == 200 and st == {"shareDecisionWithCandidate": True}
    session = http("GET", "/api/c/session", token=token)[1]
    assert session["status"] == "advanced" and session["decision"] == "advance"
    assert http("PUT", f"/api/interviews/{interview_id}/candidate-settings", {"shareDecisionWithCandidate": True}, sub="bob")[0] == 404


def test_consent_is_recorded_with_the_notice_version_and_time(http, ports, clock):
    _, cid, token = invite(http)
    session = http("GET", "/api/c/session", token=token)[1]
    assert session["consentRequired"] and "automated" in session["notice"] and "kept for" in session["notice"]
    assert session["estimatedMinutes"] == 10
    clock.advance(minutes=5)
    http("POST", "/api/c/consent", {"accepted": True}, token=token)
    cand = ports.store.get_candidate("acme", cid)
    assert cand.consent_at == clock.now() and cand.notice_version == ports.settings.notice_version


def test_the_session_speaks_the_interviews_language_and_the_browsers_for_auto(http):
    def session_of(language: str, accept: str | None = None):
        status, made = http("POST", "/api/interviews", INTERVIEW | {"language": language}, sub="alice")
        assert status == 201, made
        status, inv = http("POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Ada", "email": "ada@x.test"}]}, sub="alice")
        token = inv["items"][0]["inviteUrl"].split("#t=")[1]
        return http("GET", "/api/c/session", token=token, headers={"Accept-Language": accept} if accept else None)[1]

    # Given an interview in Spanish, whatever the browser asks for: the app and the notice are in Spanish.
    spanish = session_of("es-ES", "en-US,en;q=0.9")
    assert spanish["locale"] == "es" and "Acme verá y escuchará" in spanish["notice"] and "reconocimiento automático" in spanish["notice"]
    assert session_of("fr-CA")["locale"] == "fr" and session_of("de-DE")["locale"] == "de"
    # Given answers in any language: the browser's first language the app is written in, else English.
    assert session_of("auto", "it-IT,de;q=0.8")["locale"] == "de"
    assert session_of("auto")["locale"] == "en" and "automated" in session_of("pt-BR", "pt-BR")["notice"]


def test_the_recruiter_routes_are_in_the_openapi_document(http):
    doc = http("GET", "/api/openapi.json")[1]
    for path in (
        "/api/candidates/{candidateId}/invitation/resend",
        "/api/candidates/{candidateId}/invitation/revoke",
        "/api/candidates/{candidateId}/invitation/deadline",
        "/api/candidates/{candidateId}/invitation/time-multiplier",
        "/api/candidates/{candidateId}/accommodations/{requestId}",
        "/api/interviews/{interviewId}/candidate-settings",
        "/api/c/accommodations",
    ):
        assert path in doc["paths"], path
