"""The HTTP API's handler on moto: recruiter and candidate routes, errors, tenancy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.service import identity
from tests.support.events import call

INTERVIEW: dict[str, Any] = {
    "title": "Backend engineer",
    "description": "Remote, full time",
    "questions": [
        {"prompt": "Tell us about a system you built", "kind": "video", "thinkSeconds": 10, "answerSeconds": 60, "maxTakes": 2},
        {"prompt": "Why Oneway?", "kind": "text", "thinkSeconds": 0, "answerSeconds": 300, "maxTakes": 1},
    ],
    "rubric": [{"name": "Communication", "description": "clear and structured"}, {"name": "Depth"}],
    "deadlineDays": 7,
}


@pytest.fixture
def org(ports):
    """Two organizations, each with a recruiter."""
    a = identity.create_organization(ports, "Acme", org_id="acme")
    b = identity.create_organization(ports, "Globex", org_id="globex")
    identity.add_member(ports, a.org_id, "alice", "alice@acme.test", Role.recruiter)
    identity.add_member(ports, b.org_id, "bob", "bob@globex.test", Role.recruiter)
    return a


def handler(event, context):
    return api.lambda_handler(event, context)


def create(sub="alice"):
    status, body = call(handler, "POST", "/api/interviews", INTERVIEW, sub=sub)
    assert status == 201, body
    return body


def test_health_and_openapi_need_no_identity(aws):
    assert call(handler, "GET", "/api/health") == (200, {"status": "ok"})
    status, doc = call(handler, "GET", "/api/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.")
    for path in ("/api/interviews", "/api/c/session", "/api/c/questions/{questionId}/takes/{takeId}/upload"):
        assert path in doc["paths"]
    assert "NewInterview" in doc["components"]["schemas"]


def test_the_committed_openapi_document_is_current(aws):
    from pathlib import Path

    committed = json.loads((Path(__file__).parents[2] / "web" / "openapi.json").read_text())
    assert committed == json.loads(api.openapi_document()), "run `make openapi` and commit web/openapi.json"


def test_me_names_the_member_and_organization(org):
    status, me = call(handler, "GET", "/api/me", sub="alice")
    assert status == 200
    assert me == {"userId": "alice", "email": "alice@acme.test", "orgId": "acme", "orgName": "Acme", "role": "recruiter", "blind": False,
                  "mfaEnabled": False, "mfaRequired": False, "brand": {"name": "Acme", "accent": "#0f766e", "logoUrl": None}}


def test_recruiter_routes_need_an_identity_and_a_membership(org):
    status, body = call(handler, "GET", "/api/interviews")
    assert status == 401 and body["code"] == "unauthenticated"
    status, body = call(handler, "GET", "/api/interviews", sub="stranger")
    assert status == 403 and body["code"] == "no_membership"


def test_create_list_and_get_an_interview(org):
    made = create()
    assert made["title"] == "Backend engineer"
    assert [q["questionId"] for q in made["questions"]] == ["q1", "q2"]
    assert made["questions"][0]["thinkSeconds"] == 10
    status, page = call(handler, "GET", "/api/interviews", sub="alice")
    assert status == 200 and [i["interviewId"] for i in page["items"]] == [made["interviewId"]]
    status, got = call(handler, "GET", f"/api/interviews/{made['interviewId']}", sub="alice")
    assert status == 200 and got == made


def test_bad_input_gets_a_clear_error(org):
    bad = {**INTERVIEW, "questions": [{"prompt": "", "kind": "video"}]}
    status, body = call(handler, "POST", "/api/interviews", bad, sub="alice")
    assert status == 422 and body["code"] == "validation_failed" and "prompt" in body["message"]
    status, body = call(handler, "POST", "/api/interviews", {**INTERVIEW, "surprise": 1}, sub="alice")
    assert status == 422
    status, body = call(handler, "GET", "/api/interviews", sub="alice", query={"cursor": "not-a-cursor"})
    assert status == 400 and body["code"] == "bad_cursor"
    status, body = call(handler, "GET", "/api/nowhere", sub="alice")
    assert status == 404 and body["code"] == "route_not_found"


def test_an_interview_names_the_language_its_answers_are_transcribed_in(org, client):
    made = create()
    assert made["language"] == "en-US"  # not given: English (US), as every interview was before the setting
    status, german = call(handler, "POST", "/api/interviews", {**INTERVIEW, "language": "de-DE"}, sub="alice")
    assert (status, german["language"]) == (201, "de-DE")
    iid = german["interviewId"]
    assert call(handler, "GET", f"/api/interviews/{iid}", sub="alice")[1]["language"] == "de-DE"
    status, auto = call(handler, "PUT", f"/api/interviews/{iid}", {**INTERVIEW, "language": "auto"}, sub="alice")
    assert (status, auto["language"]) == (200, "auto")
    status, copy = call(handler, "POST", f"/api/interviews/{iid}/duplicate", sub="alice")
    assert (status, copy["language"]) == (201, "auto")
    for wrong in ("xx-XX", "de", "", None):
        status, body = call(handler, "POST", "/api/interviews", {**INTERVIEW, "language": wrong}, sub="alice")
        assert status == 422 and "language" in body["message"], wrong
    # An interview stored before the setting existed has no such attribute: it reads as English (US).
    client("dynamodb").update_item(
        TableName="oneway",
        Key={"pk": {"S": "ORG#acme"}, "sk": {"S": f"INTERVIEW#{made['interviewId']}"}},
        UpdateExpression="REMOVE #language",
        ExpressionAttributeNames={"#language": "language"},
    )
    assert call(handler, "GET", f"/api/interviews/{made['interviewId']}", sub="alice")[1]["language"] == "en-US"


def test_no_organization_sees_another_organizations_data(org):
    made = create("alice")
    iid = made["interviewId"]
    status, inv = call(handler, "POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@x.test"}]}, sub="alice")
    assert status == 201
    cid = inv["items"][0]["candidateId"]
    for method, path, body in [
        ("GET", f"/api/interviews/{iid}", None),
        ("GET", f"/api/interviews/{iid}/candidates", None),
        ("GET", f"/api/interviews/{iid}/analytics", None),
        ("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Eve", "email": "eve@x.test"}]}),
        ("GET", f"/api/candidates/{cid}", None),
        ("PUT", f"/api/candidates/{cid}/review", {"scores": {"Depth": 5}}),
        ("POST", f"/api/candidates/{cid}/decision", {"decision": "reject", "note": "not a fit"}),
        ("DELETE", f"/api/candidates/{cid}", None),
    ]:
        status, answer = call(handler, method, path, body, sub="bob")
        assert status == 404, (method, path, answer)
    status, page = call(handler, "GET", "/api/interviews", sub="bob")
    assert page["items"] == []
    # ...and Acme's data is intact.
    assert call(handler, "GET", f"/api/candidates/{cid}", sub="alice")[0] == 200


def test_invitations_hold_a_token_shown_once_and_send_an_email(org, client, outbox):
    made = create()
    status, inv = call(
        handler,
        "POST",
        f"/api/interviews/{made['interviewId']}/invitations",
        {"candidates": [{"name": "Ada Lovelace", "email": "Ada@Example.com"}, {"name": "Alan Turing", "email": "alan@example.com"}]},
        sub="alice",
    )
    assert status == 201 and len(inv["items"]) == 2
    first = inv["items"][0]
    assert first["email"] == "ada@example.com"
    token = first["inviteUrl"].split("#t=")[1]
    assert first["inviteUrl"].startswith("http://127.0.0.1:8000/c/#t=") and len(token) >= 43

    from moto.ses.models import ses_backends

    sent = ses_backends["123456789012"]["us-east-1"].sent_messages
    assert len(sent) == 0, "the request sends nothing: its emails wait in the outbox until the commit is done"
    assert outbox.drain() >= 2  # the deliver function, fed by the table's stream
    assert len(sent) == 2
    assert token in sent[0].body and "Acme" in sent[0].subject and "Backend engineer" in sent[0].body

    # Once sent, the token itself is stored nowhere: only its hash (the outbox message keeps its state, not its text).
    items = client("dynamodb").scan(TableName="oneway")["Items"]
    assert token not in json.dumps(items)

    status, page = call(handler, "GET", f"/api/interviews/{made['interviewId']}/candidates", sub="alice")
    assert status == 200 and {c["name"] for c in page["items"]} == {"Ada Lovelace", "Alan Turing"}
    assert {c["status"] for c in page["items"]} == {"invited"}
    status, page = call(handler, "GET", f"/api/interviews/{made['interviewId']}/candidates", sub="alice", query={"status": "completed"})
    assert page["items"] == []
    status, page = call(handler, "GET", f"/api/interviews/{made['interviewId']}/candidates", sub="alice", query={"limit": "1"})
    assert len(page["items"]) == 1 and page["nextCursor"]
    status, rest = call(
        handler, "GET", f"/api/interviews/{made['interviewId']}/candidates", sub="alice", query={"limit": "1", "cursor": page["nextCursor"]}
    )
    assert status == 200 and len(rest["items"]) == 1 and rest["items"][0]["candidateId"] != page["items"][0]["candidateId"]


def test_candidate_routes_refuse_unknown_tokens_alike(org):
    for token in (None, "x" * 43, "not a token at all", "y" * 500):
        status, body = call(handler, "GET", "/api/c/session", token=token)
        assert status == 401 and body == {"message": "this interview link is not valid", "code": "invalid_token"}


def test_the_session_reveals_written_prompts_but_not_video_prompts(org):
    made = create()
    _, inv = call(handler, "POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Ada", "email": "ada@x.test"}]}, sub="alice")
    token = inv["items"][0]["inviteUrl"].split("#t=")[1]
    status, session = call(handler, "GET", "/api/c/session", token=token)
    assert status == 200
    video, text = session["questions"]
    assert video["prompt"] is None and text["prompt"] == "Why Oneway?"
    assert "Tell us about a system" not in json.dumps(session)
