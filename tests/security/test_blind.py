"""Blind review per member holds in every view: no candidate's name, email or picture reaches a
member in blind review, through any staff route of the resolver's table, a share link they made,
or an export; they may not make share links, exports or fresh invitation links at all."""

from __future__ import annotations

import json

import pytest

from oneway.domain.models import Role, StepState, TakeStatus
from oneway.handlers import api
from oneway.service import identity, search
from tests.security.routes import query_params, request_body, routes
from tests.security.test_authorization import call as matrix_call

h = api.lambda_handler


def call(handler, method, path, body=None, **kw):
    """An answer as JSON, or as text (the CSV)."""
    return matrix_call(handler, method, path, body, **kw)
INTERVIEW = {
    "title": "Analyst",
    "questions": [{"prompt": "Tell us about a report", "kind": "video"}, {"prompt": "Why us?", "kind": "text"}],
    "rubric": [{"name": "Clarity"}],
}
NAME, EMAIL = "Ada Lovelace", "ada.lovelace@x.test"
PICTURE = ("recording.mp4", "poster.jpg")


def ok(method, path, body=None, sub="alice", expect=200, **kw):
    status, answer = call(h, method, path, body, sub=sub, **kw)
    assert status == expect, (method, path, status, answer)
    return answer


@pytest.fixture
def ports(memory_ports):
    """The use cases on the in-memory ports (no moto): what is checked here is the service's, not the adapters'."""
    return memory_ports


@pytest.fixture
def world(ports):
    """Acme: Alice (recruiter) and Ann (admin) see candidates; Bea (admin) and Bob (recruiter) are in blind review.
    Ada answered the video question (ready, with its MP4, poster, audio and captions) and the written one."""
    identity.create_organization(ports, "Acme", org_id="acme")
    for sub, role, blind in (("alice", Role.recruiter, False), ("ann", Role.admin, False), ("bea", Role.admin, True), ("bob", Role.recruiter, True)):
        member = identity.add_member(ports, "acme", sub, f"{sub}@acme.test", role)
        member.blind = blind
        ports.store.save(member)
    iid = ok("POST", "/api/interviews", INTERVIEW, expect=201)["interviewId"]
    item = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": NAME, "email": EMAIL}], "sendEmail": False}, expect=201)["items"][0]
    token, cid = item["inviteUrl"].split("#t=")[1], item["candidateId"]
    assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
    status, take = call(h, "POST", "/api/c/questions/q1/takes", token=token)
    assert status == 201, take
    assert call(h, "POST", "/api/c/questions/q2/text", {"text": "Because."}, token=token)[0] in (200, 201)
    # The video answer, processed (what the pipeline records once MediaConvert and Transcribe are done).
    file = ports.store.get_candidate_file("acme", cid)
    t = next(x for x in file.takes if x.take_id == take["takeId"])
    prefix = t.ref.prefix
    t.status, t.video, t.speech = TakeStatus.ready, StepState.done, StepState.done
    t.video_key, t.poster_key = f"{prefix}recording.mp4", f"{prefix}poster.jpg"
    t.audio_key, t.captions_key = f"{prefix}recording-audio.m4a", f"{prefix}transcript.vtt"
    t.transcript, t.duration_seconds = "I built a quarterly revenue report.", 42.0
    cand = file.candidate
    cand.progress["q1"].submitted_take, cand.progress["q1"].answered = t.take_id, True
    ports.store.save(t, cand)
    search.index_take(ports, t)
    ok("PUT", f"/api/candidates/{cid}/review", {"scores": {"Clarity": 4}}, expect=409)  # not submitted yet: fine
    return {"interviewId": iid, "candidateId": cid, "takeId": t.take_id, "questionId": "q1", "token": token}


def identity_in(body) -> list[str]:
    text = json.dumps(body) if not isinstance(body, str) else body
    return [s for s in (NAME, "Ada", EMAIL, "ada.lovelace", *PICTURE) if s in text]


def test_a_sighted_member_sees_the_candidate(world):
    iid, cid = world["interviewId"], world["candidateId"]
    listed = ok("GET", f"/api/interviews/{iid}/candidates")["items"][0]
    assert (listed["name"], listed["email"], listed["blind"]) == (NAME, EMAIL, False)
    assert ok("GET", f"/api/interviews/{iid}/search", query={"q": "revenue"})["items"][0]["name"] == NAME
    assert NAME in call(h, "GET", f"/api/interviews/{iid}/candidates.csv", sub="alice")[1]
    detail = ok("GET", f"/api/candidates/{cid}")
    assert detail["name"] == NAME and detail["answers"][0]["videoUrl"] and detail["answers"][0]["posterUrl"]


@pytest.mark.parametrize("blind", ["bea", "bob"])
def test_no_staff_route_shows_a_blind_member_the_candidate(world, blind):
    """Every staff route of the table, called by a member in blind review with the world's ids: no 2xx answer
    holds the candidate's name, email or a URL of their picture. Erasure and member removal are left out
    (they answer nothing about the candidate and would end the world)."""
    ids = {**world, "userId": blind, "reviewerId": "alice", "mediaId": "none", "requestId": "none", "shareId": "none", "webhookId": "none"}
    staff = [r for r in routes() if "cognito" in r.schemes and r.key not in ("DELETE /api/candidates/<candidateId>", "DELETE /api/members/<userId>")]
    staff.sort(key=lambda r: r.method != "GET")  # reads first, then the writes
    leaks, served = [], 0
    for route in staff:
        status, body = call(h, route.method, route.url(ids), request_body(route), sub=blind, query=query_params(route) or None)
        if route.key == "GET /api/interviews/<interviewId>/search":
            status, body = call(h, "GET", route.url(ids), sub=blind, query={"q": "revenue"})
        if 200 <= status < 300:
            served += 1
            if found := identity_in(body):
                leaks.append(f"{route.key}: {found} in {json.dumps(body)[:300]}")
    assert served > 15
    assert not leaks, "\n".join(leaks)


def test_the_candidate_list_search_and_csv_show_a_label_to_a_blind_member(world):
    iid = world["interviewId"]
    listed = ok("GET", f"/api/interviews/{iid}/candidates", sub="bob")["items"][0]
    assert listed["blind"] is True and listed["email"] == "" and listed["name"].startswith("Candidate ")
    found = ok("GET", f"/api/interviews/{iid}/search", sub="bob", query={"q": "revenue"})["items"]
    assert [c["name"] for c in found] == [listed["name"]] and found[0]["email"] == ""
    status, text = call(h, "GET", f"/api/interviews/{iid}/candidates.csv", sub="bob")
    assert status == 200
    text = json.dumps(text)
    assert not identity_in(text) and listed["name"] in text


def test_a_blind_member_may_not_share_export_or_resend_a_link(world):
    cid = world["candidateId"]
    for method, path, body in (
        ("POST", f"/api/candidates/{cid}/shares", {"minutes": 60}),
        ("GET", f"/api/candidates/{cid}/export", None),
        ("POST", f"/api/candidates/{cid}/invitation/resend", None),
    ):
        for blind in ("bea", "bob"):
            status, answer = call(h, method, path, body, sub=blind)
            assert (status, answer["code"]) == (403, "blind_review"), (blind, path, answer)
        assert call(h, method, path, body, sub="alice")[0] in (200, 201), path


def test_a_link_made_before_its_maker_went_blind_shows_no_more_than_they_may_see(world, ports):
    cid = world["candidateId"]
    made = ok("POST", f"/api/candidates/{cid}/shares", {"minutes": 60}, expect=201)
    link = made["url"].split("#/share/")[1]
    seen = call(h, "GET", "/api/share/candidate", token=link)[1]
    assert seen["label"] == NAME and seen["answers"][0]["videoUrl"]
    ok("PATCH", "/api/members/alice", {"blind": True}, sub="ann")
    status, seen = call(h, "GET", "/api/share/candidate", token=link)
    assert status == 200 and seen["blind"] is True and not identity_in(seen)
    answer = seen["answers"][0]
    assert answer["videoUrl"] is None and answer["posterUrl"] is None and "recording-audio.m4a" in answer["audioUrl"]
