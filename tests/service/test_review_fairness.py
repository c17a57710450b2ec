"""Review workspace, on the in-memory ports: roles and assignments, independent scoring, blind review,
decisions with reasons, the builder's edit/duplicate/close, analytics from aggregates, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.service import identity
from tests.support.events import call

INTERVIEW: dict[str, Any] = {
    "title": "Analyst",
    "questions": [{"prompt": "Describe a report you built", "kind": "text"}, {"prompt": "Why us?", "kind": "text"}],
    "rubric": [{"name": "Clarity"}, {"name": "Depth"}],
}


def h(event, context):
    return api.lambda_handler(event, context)


def ok(method, path, body=None, sub="alice", expect=200, **kw):
    status, answer = call(h, method, path, body, sub=sub, **kw)
    assert status == expect, (method, path, answer)
    return answer


@pytest.fixture
def org(ports):
    o = identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, o.org_id, "alice", "alice@acme.test", Role.recruiter)
    identity.add_member(ports, o.org_id, "ann", "ann@acme.test", Role.admin)
    identity.add_member(ports, o.org_id, "rita", "rita@acme.test", Role.reviewer)
    identity.add_member(ports, o.org_id, "raj", "raj@acme.test", Role.reviewer)
    return o


def submitted_candidates(interview=INTERVIEW, names=("Ada Lovelace", "Alan Turing")) -> tuple[str, list[str]]:
    iid = ok("POST", "/api/interviews", interview, expect=201)["interviewId"]
    inv = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": n, "email": f"{n.split()[0].lower()}@x.test"} for n in names]}, expect=201)
    ids = []
    for item in inv["items"]:
        token = item["inviteUrl"].split("#t=")[1]
        assert call(h, "GET", "/api/c/session", token=token)[0] == 200
        assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
        for q in ("q1", "q2"):
            assert call(h, "POST", f"/api/c/questions/{q}/text", {"text": "An answer."}, token=token)[0] in (200, 201)
        assert call(h, "POST", "/api/c/complete", token=token)[0] == 200
        assert call(h, "POST", "/api/c/feedback", {"rating": 4}, token=token)[0] == 200
        ids.append(item["candidateId"])
    return iid, ids


def test_reviewers_see_and_score_only_their_assigned_candidates(org):
    iid, (ada, alan) = submitted_candidates()
    # Only managers assign, and only members of the organization.
    assert call(h, "PUT", f"/api/candidates/{ada}/assignments", {"reviewerId": "rita"}, sub="rita")[0] == 403
    assert call(h, "PUT", f"/api/candidates/{ada}/assignments", {"reviewerId": "stranger"}, sub="alice")[0] == 400
    ok("PUT", f"/api/candidates/{ada}/assignments", {"reviewerId": "rita"})
    assert ok("GET", "/api/assignments", sub="rita")["items"][0]["candidateId"] == ada
    assert ok("GET", f"/api/candidates/{ada}")["assignedReviewers"] == ["rita"]
    ok("GET", f"/api/candidates/{ada}", sub="rita")
    assert call(h, "GET", f"/api/candidates/{alan}", sub="rita")[0] == 404
    assert call(h, "PUT", f"/api/candidates/{alan}/review", {"scores": {"Depth": 3}}, sub="rita")[0] == 404
    # Reviewers score; they do not list the pipeline, decide, erase or read analytics.
    for method, path, body in [
        ("GET", f"/api/interviews/{iid}/candidates", None),
        ("POST", f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "good"}),
        ("DELETE", f"/api/candidates/{ada}", None),
        ("GET", f"/api/interviews/{iid}/analytics", None),
        ("POST", "/api/interviews", INTERVIEW),
    ]:
        assert call(h, method, path, body, sub="rita")[0] == 403, path
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Depth": 3}}, sub="rita")
    ok("DELETE", f"/api/candidates/{ada}/assignments/rita")
    assert call(h, "GET", f"/api/candidates/{ada}", sub="rita")[0] == 404


def test_independent_scoring_hides_others_reviews_until_one_submits(org):
    _iid, (ada, _) = submitted_candidates()
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 5, "Depth": 4}, "comment": "sharp"})
    ok("PUT", f"/api/candidates/{ada}/assignments", {"reviewerId": "rita"})
    before = ok("GET", f"/api/candidates/{ada}", sub="rita")
    assert before["reviews"] == [] and before["hiddenReviews"] == 1
    assert "sharp" not in str(before)
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 2, "Depth": 2}}, sub="rita")
    after = ok("GET", f"/api/candidates/{ada}", sub="rita")
    assert {r["reviewerId"] for r in after["reviews"]} == {"alice", "rita"} and after["hiddenReviews"] == 0


def test_blind_review_per_interview_and_per_reviewer_sends_no_name_or_email(org):
    _iid, (ada, _) = submitted_candidates({**INTERVIEW, "blind": True})
    detail = ok("GET", f"/api/candidates/{ada}")
    assert detail["blind"] is True and detail["name"] is None and detail["email"] is None
    assert detail["label"].startswith("Candidate ") and "Ada" not in str(detail) and "ada@" not in str(detail)
    # Per reviewer: an admin turns blind review on for Rita, whatever the interview says.
    _iid2, (ada2, _) = submitted_candidates(INTERVIEW, names=("Grace Hopper", "Edsger Dijkstra"))
    assert ok("GET", f"/api/candidates/{ada2}")["name"] == "Grace Hopper"
    assert call(h, "PATCH", "/api/members/rita", {"blind": True}, sub="alice")[0] == 403
    assert ok("PATCH", "/api/members/rita", {"blind": True}, sub="ann")["blind"] is True
    ok("PUT", f"/api/candidates/{ada2}/assignments", {"reviewerId": "rita"})
    seen = ok("GET", f"/api/candidates/{ada2}", sub="rita")
    assert seen["blind"] and "Grace" not in str(seen) and "grace@" not in str(seen)
    assert ok("GET", "/api/me", sub="rita")["blind"] is True


def test_a_decision_needs_a_reason(org):
    _, (ada, _) = submitted_candidates()
    for note in (None, "", "   "):
        status, body = call(h, "POST", f"/api/candidates/{ada}/decision", {"decision": "reject", "note": note}, sub="alice")
        assert status == 422, body
    assert ok("POST", f"/api/candidates/{ada}/decision", {"decision": "reject", "note": "no SQL depth"})["note"] == "no SQL depth"


def test_edit_until_the_first_invitation_then_duplicate_and_close(org):
    iid = ok("POST", "/api/interviews", INTERVIEW, expect=201)["interviewId"]
    edited = ok("PUT", f"/api/interviews/{iid}", {**INTERVIEW, "title": "Senior analyst", "blind": True})
    assert edited["title"] == "Senior analyst" and edited["blind"] is True
    ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@x.test"}]}, expect=201)
    # The questions are fixed from the first invitation (the builder's own test covers what may still change).
    status, body = call(h, "PUT", f"/api/interviews/{iid}", {**INTERVIEW, "title": "Senior analyst", "questions": INTERVIEW["questions"][:1]}, sub="alice")
    assert status == 409 and body["code"] == "questions_locked"
    copy = ok("POST", f"/api/interviews/{iid}/duplicate", expect=201)
    assert copy["interviewId"] != iid and copy["title"] == "Senior analyst (copy)" and copy["questions"] == edited["questions"]
    assert ok("PUT", f"/api/interviews/{copy['interviewId']}", {**INTERVIEW, "title": "Copy edited"})["title"] == "Copy edited"
    assert ok("POST", f"/api/interviews/{iid}/close")["status"] == "closed"
    status, body = call(h, "POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "B", "email": "b@x.test"}]}, sub="alice")
    assert status == 409 and body["code"] == "interview_closed"


def test_analytics_from_aggregates_and_csv_export(org):
    iid, (ada, alan) = submitted_candidates()
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 5, "Depth": 4}})
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {"Clarity": 2, "Depth": 1}})
    for c in (ada, alan):
        ok("PUT", f"/api/candidates/{c}/assignments", {"reviewerId": "rita"})
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 5, "Depth": 5}}, sub="rita")
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {"Clarity": 2, "Depth": 2}}, sub="rita")
    # An edit moves the score from one bucket to another instead of adding one.
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {"Clarity": 1, "Depth": 2}}, sub="rita")
    # Scores join the distribution when their candidate is decided, all of that candidate's reviews at once.
    assert {s["name"]: s["counts"] for s in ok("GET", f"/api/interviews/{iid}/analytics")["scores"]} == {
        "Clarity": [0] * 5, "Depth": [0] * 5}
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "strong"})
    assert {s["name"]: s["counts"] for s in ok("GET", f"/api/interviews/{iid}/analytics")["scores"]} == {
        "Clarity": [0, 0, 0, 0, 2], "Depth": [0, 0, 0, 1, 1]}
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "reject", "note": "thin"})
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "hold", "note": "second look"})  # no second count
    # An edit after the decision moves the score from one bucket to another instead of adding one.
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {"Clarity": 1, "Depth": 1}}, sub="rita")
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {"Clarity": 1, "Depth": 2}}, sub="rita")

    a = ok("GET", f"/api/interviews/{iid}/analytics")
    assert a["funnel"] == {"invited": 2, "opened": 2, "started": 2, "completed": 2, "ready": 2, "decided": 2}
    assert {s["name"]: s["counts"] for s in a["scores"]} == {"Clarity": [1, 1, 0, 0, 2], "Depth": [1, 1, 0, 1, 1]}
    assert a["feedbackRatings"] == [0, 0, 0, 2, 0] and a["feedbackAverage"] == 4
    assert a["medianMinutesToComplete"] is not None and a["medianHoursToDecision"] is not None
    # Units (candidate, item) with values: (5,5) (4,5) (2,1) (1,2) -> interval alpha 0.892 by hand.
    from oneway.service.agreement import alpha

    by_hand = alpha([[5, 5], [4, 5], [2, 1], [1, 2]])
    assert by_hand is not None
    assert a["agreement"] == {"metric": "interval", "alpha": round(by_hand, 3), "sharedCandidates": 2, "reviewers": 2}
    assert a["agreement"]["alpha"] > 0.8
    assert {t["reviewerEmail"]: sum(t["perDay"].values()) for t in a["throughput"]} == {"alice@acme.test": 2, "rita@acme.test": 2}

    _status, text = call_raw("GET", f"/api/interviews/{iid}/candidates.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_name = {r["name"]: r for r in rows}
    assert by_name["Ada Lovelace"]["Clarity"] == "5.00" and by_name["Ada Lovelace"]["Depth"] == "4.50"
    assert by_name["Ada Lovelace"]["decision"] == "advance" and by_name["Ada Lovelace"]["decision_note"] == "strong"
    assert by_name["Alan Turing"]["reviews"] == "2" and by_name["Alan Turing"]["decision"] == "hold"


def test_a_manager_who_has_not_scored_sees_no_scores_in_analytics_or_csv(org):
    """Independent scoring has no side door: a manager who has not scored a candidate learns
    nothing of others' scores from the CSV or the score distribution until the decision."""
    iid, (ada, alan) = submitted_candidates()
    for c in (ada, alan):
        ok("PUT", f"/api/candidates/{c}/assignments", {"reviewerId": "rita"})
        ok("PUT", f"/api/candidates/{c}/review", {"scores": {"Clarity": 4, "Depth": 3}}, sub="rita")
    assert all(s["counts"] == [0] * 5 for s in ok("GET", f"/api/interviews/{iid}/analytics", sub="ann")["scores"])
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(call_raw("GET", f"/api/interviews/{iid}/candidates.csv", sub="ann")[1]))}
    assert [(r["reviews"], r["Clarity"], r["Depth"]) for r in rows.values()] == [("1", "", "")] * 2
    assert ok("GET", f"/api/candidates/{ada}", sub="ann")["hiddenReviews"] == 1
    # Once Ann has scored Ada, Ada's means appear to her; Alan's stay blank until he is decided.
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 2, "Depth": 5}}, sub="ann")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(call_raw("GET", f"/api/interviews/{iid}/candidates.csv", sub="ann")[1]))}
    assert (rows["Ada Lovelace"]["Clarity"], rows["Ada Lovelace"]["Depth"]) == ("3.00", "4.00")
    assert (rows["Alan Turing"]["Clarity"], rows["Alan Turing"]["Depth"]) == ("", "")
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "advance", "note": "reviewer's case"}, sub="ann")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(call_raw("GET", f"/api/interviews/{iid}/candidates.csv", sub="ann")[1]))}
    assert (rows["Alan Turing"]["Clarity"], rows["Alan Turing"]["Depth"]) == ("4.00", "3.00")
    detail = ok("GET", f"/api/candidates/{alan}", sub="ann")
    assert detail["hiddenReviews"] == 0 and [r["scores"] for r in detail["reviews"]] == [{"Clarity": 4, "Depth": 3}]
    assert {s["name"]: s["counts"] for s in ok("GET", f"/api/interviews/{iid}/analytics", sub="ann")["scores"]} == {
        "Clarity": [0, 0, 0, 1, 0], "Depth": [0, 0, 1, 0, 0]}


def call_raw(method, path, sub="alice"):
    from oneway.local.gateway import LambdaContext
    from tests.support.events import http_event

    answer = h(http_event(method, path, sub=sub), LambdaContext("test"))
    assert answer["statusCode"] == 200 and answer["headers"]["Content-Type"].startswith("text/csv")
    return answer["statusCode"], answer["body"]


def test_members_are_listed_and_only_admins_change_roles(org):
    members = ok("GET", "/api/members")["items"]
    assert [m["email"] for m in members] == ["alice@acme.test", "ann@acme.test", "raj@acme.test", "rita@acme.test"]
    assert call(h, "GET", "/api/members", sub="rita")[0] == 403
    assert ok("PATCH", "/api/members/raj", {"role": "recruiter"}, sub="ann")["role"] == "recruiter"
    status, body = call(h, "PATCH", "/api/members/ann", {"role": "reviewer"}, sub="ann")
    assert status == 409 and body["code"] == "own_role"


def test_the_question_bank_is_shared_across_the_organization(org):
    made = ok("POST", "/api/question-bank", {"prompt": "Tell us about a conflict you resolved.", "kind": "video", "answerSeconds": 90}, expect=201)
    assert made["answerSeconds"] == 90 and made["questionId"]
    ok("POST", "/api/question-bank", {"prompt": "Any questions for us?", "kind": "text"}, expect=201)
    bank = ok("GET", "/api/question-bank", sub="ann")["items"]  # another member of the organization sees it
    assert [q["prompt"] for q in bank] == ["Any questions for us?", "Tell us about a conflict you resolved."]
    assert call(h, "GET", "/api/question-bank", sub="rita")[0] == 403
    ok("DELETE", f"/api/question-bank/{made['questionId']}")
    assert [q["prompt"] for q in ok("GET", "/api/question-bank")["items"]] == ["Any questions for us?"]
