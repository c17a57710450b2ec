"""Follow-up questions, on the in-memory ports: a member who may review a submitted, undecided candidate asks one
to three questions of them alone; the candidate is emailed (an outbox message), answers through the same link with
the same limits, and the answers join the candidate's page after the interview's, marked as follow-ups. One round
waits at a time; a round not answered can be cancelled; blind review holds; another organization finds nothing;
asking, answering and cancelling are audited; analytics count follow-ups apart."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from oneway.domain.models import MailTopic, OutboxKind, Role
from oneway.service import identity, pipeline
from tests.service.test_review_fairness import INTERVIEW, call_raw, h, ok, org, submitted_candidates  # noqa: F401  (org is a fixture)
from tests.support.events import call

TWO = {"questions": [{"prompt": "Which report are you proudest of?", "kind": "text"}, {"prompt": "Walk us through its numbers", "answerSeconds": 60}]}


def follow_up_mails(ports, candidate_id: str):
    return [m.mail for m in ports.store.list_candidate_messages("acme", candidate_id) if m.kind == OutboxKind.mail and m.topic == MailTopic.follow_up]


def actions(ports) -> list[tuple[str, str, dict]]:
    month = ports.clock.now().strftime("%Y-%m")
    return sorted(((e.action, e.actor, e.detail) for e in ports.store.list_audit("acme", month, 500) if e.action.startswith("followup.")), key=lambda x: (x[0], x[1], str(x[2])))


def send_video(token: str, question_id: str, take_id: str) -> str:
    """Upload a (one-part) recording of a take the way the browser does; the object's key."""
    take_path = f"/api/c/questions/{question_id}/takes/{take_id}"
    status, ticket = call(h, "POST", f"{take_path}/upload", {"contentType": "video/webm", "size": 1000}, token=token)
    assert status == 200 and len(ticket["parts"]) == 1, ticket
    status, _ = call(h, "POST", f"{take_path}/complete", {"parts": [{"partNumber": 1, "etag": "e1"}]}, token=token)
    assert status == 200
    return ticket["parts"][0]["url"].split("/uploads/", 1)[1].split("?", 1)[0]


def invite_and_submit(names=("Ada Lovelace", "Alan Turing"), interview=INTERVIEW) -> tuple[str, list[tuple[str, str]]]:
    """Like submitted_candidates, keeping each candidate's link: (interview id, [(candidate id, token)])."""
    iid = ok("POST", "/api/interviews", interview, expect=201)["interviewId"]
    people = [{"name": n, "email": f"{n.split()[0].lower()}@x.test"} for n in names]
    inv = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": people}, expect=201)
    out = []
    for item in inv["items"]:
        token = item["inviteUrl"].split("#t=")[1]
        assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
        for q in ("q1", "q2"):
            assert call(h, "POST", f"/api/c/questions/{q}/text", {"text": "An answer."}, token=token)[0] == 200
        assert call(h, "POST", "/api/c/complete", token=token)[0] == 200
        out.append((item["candidateId"], token))
    return iid, out


def test_asked_after_submission_answered_through_the_same_link_and_shown_as_follow_ups(org, ports):  # noqa: F811
    iid, [(ada, token), (alan, _)] = invite_and_submit()
    # One to three questions, each saying something.
    bad: dict[str, Any]
    for bad in ({"questions": []}, {"questions": [{"prompt": "x"}] * 4}, {"questions": [{"prompt": "   "}]}, {**TWO, "deadlineDays": 0}):
        status, body = call(h, "POST", f"/api/candidates/{ada}/follow-ups", bad, sub="alice")
        assert status == 422, (bad, body)
    asked = ok("POST", f"/api/candidates/{ada}/follow-ups", TWO, expect=201)
    assert asked["number"] == 1 and asked["state"] == "open" and asked["answered"] == 0 and asked["askedBy"] == "alice"
    # Unset limits are the interview's; the deadline is five days by default.
    q1, q2 = asked["questions"]
    assert (q1["questionId"], q1["kind"], q1["thinkSeconds"], q1["answerSeconds"], q1["maxTakes"]) == ("f1-1", "text", 30, 120, 2)
    assert (q2["questionId"], q2["kind"], q2["answerSeconds"]) == ("f1-2", "video", 60)
    assert asked["dueAt"].startswith((ports.clock.now() + timedelta(days=5)).date().isoformat())
    # One round at a time.
    status, body = call(h, "POST", f"/api/candidates/{ada}/follow-ups", TWO, sub="ann")
    assert (status, body["code"]) == (409, "follow_ups_open")
    # The candidate is emailed through the outbox: their address, the deadline, the link they have (no token in it).
    (mail,) = follow_up_mails(ports, ada)
    assert mail.to == "ada@x.test" and mail.subject == "Acme: follow-up questions about your video interview"
    assert "2 questions as a follow-up" in mail.text and mail.html and "link from your invitation email" in mail.text and token not in mail.text
    assert [e["kind"] for e in ok("GET", f"/api/candidates/{ada}")["emails"]].count("follow_up") == 1

    # The same link shows them: the written one's prompt up front, the video one's when a take starts.
    status, session = call(h, "GET", "/api/c/session", token=token)
    assert status == 200 and session["status"] == "ready"
    fu = session["followUps"]
    assert fu["number"] == 1 and [(q["questionId"], q["prompt"], q["answered"]) for q in fu["questions"]] == [
        ("f1-1", "Which report are you proudest of?", False), ("f1-2", None, False)
    ]
    # Not sendable before every question is answered.
    status, body = call(h, "POST", "/api/c/follow-ups/complete", token=token)
    assert (status, body["code"]) == (409, "answers_missing")
    assert call(h, "POST", "/api/c/questions/f1-1/text", {"text": "The churn report."}, token=token)[0] == 200
    status, take = call(h, "POST", "/api/c/questions/f1-2/takes", token=token)
    assert status == 201 and take["prompt"] == "Walk us through its numbers" and take["answerSeconds"] == 60 and take["takesLeft"] == 1
    # The same upload limits: a 60-second answer's bound, not the interview's 120 seconds.
    status, body = call(h, "POST", f"/api/c/questions/f1-2/takes/{take['takeId']}/upload", {"contentType": "video/webm", "size": 400 * 2**20}, token=token)
    assert (status, body["code"]) == (413, "recording_too_large")
    key = send_video(token, "f1-2", take["takeId"])
    assert f"org/acme/interview/{iid}/candidate/{ada}/question/f1-2/take/{take['takeId']}/recording.webm" == key
    # The same pipeline: this upload holds no video, so it is refused, and with a take left the question opens again.
    assert pipeline.start_processing(ports, pipeline.UploadedObject(bucket=ports.settings.uploads_bucket, key=key)) == pipeline.Outcome.quarantined
    reopened = call(h, "GET", "/api/c/session", token=token)[1]["followUps"]["questions"][1]
    assert (reopened["answered"], reopened["takesUsed"], reopened["refused"]) == (False, 1, "the file is not a video recording")
    status, take = call(h, "POST", "/api/c/questions/f1-2/takes", token=token)
    assert status == 201 and take["takesLeft"] == 0
    send_video(token, "f1-2", take["takeId"])
    assert call(h, "POST", "/api/c/follow-ups/complete", token=token) == (200, {"status": "answered"})
    assert call(h, "POST", "/api/c/follow-ups/complete", token=token)[1]["code"] == "no_follow_ups"
    # The member who asked is told (an email through the outbox, no name of the candidate in it).
    (told,) = [m.mail for m in ports.store.list_candidate_messages("acme", ada) if m.topic == MailTopic.follow_up_answered]
    assert told.to == "alice@acme.test" and told.subject == "Follow-up questions answered: Analyst"
    assert f"/#/candidates/{ada}" in told.text and "Ada" not in told.text
    assert call(h, "GET", "/api/c/session", token=token)[1]["followUps"] is None
    # The interview's questions stay closed to the submitted candidate.
    assert call(h, "POST", "/api/c/questions/q1/text", {"text": "again"}, token=token)[1]["code"] == "already_completed"

    # Every reviewer's page: the interview's answers, then the follow-ups, marked with their round.
    detail = ok("GET", f"/api/candidates/{ada}")
    assert [(a["questionId"], (a["followUp"] or {}).get("round")) for a in detail["answers"]] == [("q1", None), ("q2", None), ("f1-1", 1), ("f1-2", 1)]
    assert detail["answers"][2]["text"] == "The churn report." and detail["answers"][3]["status"] == "processing"
    (shown,) = detail["followUps"]
    assert shown["state"] == "answered" and shown["answered"] == 2 and detail["canAskFollowUps"] is True
    # The candidate's own copy holds the follow-up answers too; a manager's download names the follow-up.
    copy = call(h, "GET", "/api/c/copy", token=token)[1]
    assert [(a["questionId"], a["text"], a["followUp"]) for a in copy["answers"]][1:] == [
        ("q2", "An answer.", False), ("f1-1", "The churn report.", True), ("f1-2", None, True)
    ]
    file = ports.store.get_candidate_file("acme", ada)
    kept = file.submitted_take("f1-2")
    kept.video_key = f"{kept.ref.prefix}recording.mp4"
    ports.store.save(kept)
    download = ok("POST", f"/api/candidates/{ada}/answers/f1-2/download")
    assert download["filename"].endswith("follow-up-1-2.mp4"), download
    # Timed notes work on a follow-up answer; scoring stays the interview's rubric.
    ok("POST", f"/api/candidates/{ada}/notes", {"questionId": "f1-2", "seconds": 1.5, "text": "Clear numbers"}, expect=201)
    assert call(h, "POST", f"/api/candidates/{ada}/notes", {"questionId": "f9-1", "seconds": 1, "text": "x"}, sub="alice")[0] == 400

    # Analytics: one of two submitted candidates asked, its round answered; drop-off counts only the interview's questions.
    a = ok("GET", f"/api/interviews/{iid}/analytics")
    fu = a["followUps"]
    assert (fu["rate"], fu["candidatesAsked"], fu["submitted"], fu["rounds"], fu["roundsAnswered"], fu["completion"]) == (0.5, 1, 2, 1, 1, 1.0)
    assert [(q["questionId"], q["answered"], q["dropOff"]) for q in a["questions"]] == [("q1", 2, 0), ("q2", 2, 0)]
    _status, text = call_raw("GET", f"/api/interviews/{iid}/analytics.csv")
    rows = {(r["section"], r["item"]): r["value"] for r in csv.DictReader(io.StringIO(text))}
    assert (rows[("follow_ups", "rate")], rows[("follow_ups", "rounds_answered")], rows[("follow_ups", "completion")]) == ("0.5", "1", "1.0")
    assert [(x[0], x[1], x[2]["round"]) for x in actions(ports)] == [("followup.answered", f"candidate:{ada}", 1), ("followup.asked", "alice", 1)]
    assert alan  # the other candidate was never asked


def test_only_between_submission_and_decision_and_a_waiting_round_can_be_cancelled(org, ports):  # noqa: F811
    iid = ok("POST", "/api/interviews", INTERVIEW, expect=201)["interviewId"]
    inv = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Bo", "email": "bo@x.test"}]}, expect=201)
    bo = inv["items"][0]["candidateId"]
    status, body = call(h, "POST", f"/api/candidates/{bo}/follow-ups", TWO, sub="alice")
    assert (status, body["code"]) == (409, "not_submitted")
    assert ok("GET", f"/api/candidates/{bo}")["canAskFollowUps"] is False

    _, [(ada, token), (alan, _)] = invite_and_submit()
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "reject", "note": "No"})
    status, body = call(h, "POST", f"/api/candidates/{alan}/follow-ups", TWO, sub="alice")
    assert (status, body["code"]) == (409, "already_decided")

    ok("POST", f"/api/candidates/{ada}/follow-ups", TWO, expect=201)
    for bad in ("2", "abc", "00001x"):
        assert call(h, "POST", f"/api/candidates/{ada}/follow-ups/{bad}/cancel", sub="alice")[0] == 404
    cancelled = ok("POST", f"/api/candidates/{ada}/follow-ups/1/cancel", sub="ann")
    assert cancelled["state"] == "cancelled" and cancelled["cancelledBy"] == "ann"
    assert call(h, "POST", f"/api/candidates/{ada}/follow-ups/1/cancel", sub="alice")[1]["code"] == "follow_ups_not_open"
    # The link shows nothing to answer; an answer to a withdrawn question is refused.
    assert call(h, "GET", "/api/c/session", token=token)[1]["followUps"] is None
    status, body = call(h, "POST", "/api/c/questions/f1-1/text", {"text": "late"}, token=token)
    assert (status, body["code"]) == (410, "follow_ups_cancelled")
    assert call(h, "POST", "/api/c/questions/f7-1/text", {"text": "x"}, token=token)[1]["code"] == "unknown_question"
    # A new round after a cancelled one: number 2, its own question ids; the cancelled round's answers are not shown.
    second = ok("POST", f"/api/candidates/{ada}/follow-ups", {"questions": [{"prompt": "One more thing?", "kind": "text"}]}, expect=201)
    assert second["number"] == 2 and second["questions"][0]["questionId"] == "f2-1"
    detail = ok("GET", f"/api/candidates/{ada}")
    assert [a["questionId"] for a in detail["answers"]] == ["q1", "q2", "f2-1"] and [r["state"] for r in detail["followUps"]] == ["cancelled", "open"]

    # Past the round's deadline: nothing to answer, and answers are refused.
    ports.clock.advance(days=5, seconds=1)
    assert call(h, "GET", "/api/c/session", token=token)[1]["followUps"] is None
    status, body = call(h, "POST", "/api/c/questions/f2-1/text", {"text": "late"}, token=token)
    assert (status, body["code"]) == (410, "deadline_passed")
    # The decision after follow-ups: none may be asked after it.
    ok("POST", f"/api/candidates/{ada}/follow-ups/2/cancel")
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "hold", "note": "Later"})
    assert call(h, "POST", f"/api/candidates/{ada}/follow-ups", TWO, sub="alice")[1]["code"] == "already_decided"
    assert sorted(x[0] for x in actions(ports)) == ["followup.asked", "followup.asked", "followup.cancelled", "followup.cancelled"]
    a = ok("GET", f"/api/interviews/{iid}/analytics")  # Bo's interview: nothing asked there
    assert a["followUps"]["candidatesAsked"] == 0 and a["followUps"]["rate"] is None  # nobody submitted there


def test_reviewers_assigned_only_blind_review_holds_and_another_organization_finds_nothing(org, ports):  # noqa: F811
    _, [(ada, token), (alan, _)] = invite_and_submit(interview={**INTERVIEW, "blind": True})
    # A reviewer asks only of a candidate assigned to them.
    assert call(h, "POST", f"/api/candidates/{ada}/follow-ups", TWO, sub="rita")[0] == 404
    ok("PUT", f"/api/candidates/{ada}/assignments", {"reviewerId": "rita"})
    asked = ok("POST", f"/api/candidates/{ada}/follow-ups", TWO, sub="rita", expect=201)
    seen = ok("GET", f"/api/candidates/{ada}", sub="rita")
    for text in (str(asked), str(seen)):
        assert "Ada" not in text and "ada@x.test" not in text
    assert seen["followUps"][0]["state"] == "open" and seen["emails"] == []
    # The email still reaches the candidate (the outbox holds the address; no member was shown it).
    assert follow_up_mails(ports, ada)[0].to == "ada@x.test"
    # Another organization: the candidate does not exist for its members.
    identity.create_organization(ports, "Globex", org_id="globex")
    identity.add_member(ports, "globex", "gus", "gus@globex.test", Role.admin)
    assert call(h, "POST", f"/api/candidates/{ada}/follow-ups", TWO, sub="gus")[0] == 404
    assert call(h, "POST", f"/api/candidates/{ada}/follow-ups/1/cancel", sub="gus")[0] == 404
    assert call(h, "GET", "/api/c/session", token=token)[1]["followUps"]["number"] == 1
    assert alan
