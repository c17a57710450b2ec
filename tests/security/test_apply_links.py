"""Self-apply links through the HTTP API on moto: no candidate without a confirmed address, codes hashed,
short-lived and few tries, rate limits with Retry-After, the cap, closing, slugs not guessable, and the
same answers whether or not an address applied before."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.local.gateway import LambdaContext
from oneway.service import identity
from tests.integration.test_api import INTERVIEW
from tests.support.events import call, http_event

h = api.lambda_handler
CODE = "424242"


def send(method: str, path: str, body=None, *, source: str = "203.0.113.9", **kw) -> tuple[int, dict, dict]:
    event = http_event(method, path, body, **kw)
    event["requestContext"]["http"]["sourceIp"] = source
    answer = h(event, LambdaContext("test"))
    return answer["statusCode"], json.loads(answer.get("body") or "null"), answer.get("headers") or {}


@pytest.fixture
def acme(ports, clock, monkeypatch):
    from oneway.handlers import deps

    monkeypatch.setattr(deps.ports(), "clock", clock)
    monkeypatch.setattr("oneway.service.applying.secrets.randbelow", lambda n: int(CODE))  # the emailed code, known to the test
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    identity.add_member(ports, "acme", "rob", "rob@acme.test", Role.reviewer)
    return ports


@pytest.fixture
def link(acme):
    status, made = call(h, "POST", "/api/interviews", INTERVIEW, sub="alice")
    assert status == 201, made
    iid = made["interviewId"]
    status, opened = call(h, "PUT", f"/api/interviews/{iid}/apply-link", {"open": True, "cap": 2}, sub="alice")
    assert status == 200 and opened["open"] and opened["applied"] == 0, opened
    return iid, opened["url"].rsplit("/", 1)[1]


def items(client) -> list[dict]:
    return client("dynamodb").scan(TableName="oneway")["Items"]


def candidates(client) -> list[dict]:
    return [i for i in items(client) if i.get("type", {}).get("S") == "Candidate"]


def test_only_managers_open_a_link_and_its_slug_is_random_not_the_interview(acme, link):
    iid, slug = link
    assert call(h, "PUT", f"/api/interviews/{iid}/apply-link", {"open": True}, sub="rob")[0] == 403
    assert call(h, "PUT", f"/api/interviews/{iid}/apply-link", {"open": True}, token="x")[0] == 401
    assert len(slug) == 22 and iid not in slug  # 16 bytes = 128 bits, base64url
    other_iid = call(h, "POST", "/api/interviews", INTERVIEW, sub="alice")[1]["interviewId"]
    other = call(h, "PUT", f"/api/interviews/{other_iid}/apply-link", {"open": True}, sub="alice")[1]["url"].rsplit("/", 1)[1]
    assert other != slug
    for guess in (iid, slug[:-1] + ("A" if slug[-1] != "A" else "B"), "x" * 22, "short"):
        status, body, _ = send("GET", f"/api/c/apply/{guess}")
        assert (status, body["code"]) == (404, "apply_link_not_found")
    status, page, _ = send("GET", f"/api/c/apply/{slug}")
    assert status == 200 and set(page) == {"interviewTitle", "orgName", "open", "locale", "notice", "brand"} and page["open"] is True


def test_no_candidate_before_the_code_and_the_code_is_kept_hashed(acme, link, client, clock):
    iid, slug = link
    status, body, _ = send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "ada@x.test", "consent": True})
    assert status == 200 and body["email"] == "ada@x.test", body
    assert candidates(client) == []
    app = next(i for i in items(client) if i.get("type", {}).get("S") == "Application")
    assert CODE not in json.dumps(app) and "ttl" in app  # hashed, and forgotten by the table's TTL
    # Wrong codes: 400 each; the fifth spends the code (410), after which the right one fails too.
    for n in range(5):
        status, body, _ = send("POST", f"/api/c/apply/{slug}/confirm", {"email": "ada@x.test", "code": "000001"})
        assert (status, body["code"]) == ((400, "wrong_code") if n < 4 else (410, "code_expired")), body
    status, body, _ = send("POST", f"/api/c/apply/{slug}/confirm", {"email": "ada@x.test", "code": CODE})
    assert (status, body["code"]) == (410, "code_expired")
    # A new code, 15 minutes later: expired.
    clock.advance(minutes=1)
    assert send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "ada@x.test", "consent": True})[0] == 200
    clock.advance(minutes=15)
    assert send("POST", f"/api/c/apply/{slug}/confirm", {"email": "ada@x.test", "code": CODE})[1]["code"] == "code_expired"
    assert candidates(client) == []
    # A fresh one, in time: the candidate, and their private link works.
    assert send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "ada@x.test", "consent": True})[0] == 200
    status, done, _ = send("POST", f"/api/c/apply/{slug}/confirm", {"email": "ada@x.test", "code": CODE})
    assert status == 200, done
    token = done["inviteUrl"].split("#t=")[1]
    status, session = call(h, "GET", "/api/c/session", token=token)
    assert status == 200 and session["candidateName"] == "Ada"
    assert len(candidates(client)) == 1
    listed = call(h, "GET", f"/api/interviews/{iid}/candidates", sub="alice")[1]["items"]
    assert [c["email"] for c in listed] == ["ada@x.test"]


def test_no_enumeration_the_same_answers_for_a_known_and_an_unknown_address(acme, link, client):
    _, slug = link
    first = send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "ada@x.test", "consent": True})
    send("POST", f"/api/c/apply/{slug}/confirm", {"email": "ada@x.test", "code": CODE})
    again = send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "ada@x.test", "consent": True})
    fresh = send("POST", f"/api/c/apply/{slug}", {"name": "Bob", "email": "bob@x.test", "consent": True})
    assert first[0] == again[0] == fresh[0] == 200 and set(first[1]) == set(again[1]) == set(fresh[1])
    # A wrong code: one answer whether the address applied, was confirmed, or never came.
    answers = {
        json.dumps(send("POST", f"/api/c/apply/{slug}/confirm", {"email": e, "code": "000001"})[:2]) for e in ("ada@x.test", "bob@x.test", "eve@x.test")
    }
    assert len(answers) == 1 and "wrong_code" in answers.pop()
    # The same address confirmed twice: one candidate, its invitation re-sent (a fresh link).
    send("POST", f"/api/c/apply/{slug}/confirm", {"email": "ada@x.test", "code": CODE})
    assert len(candidates(client)) == 1


def test_rate_limits_answer_429_with_retry_after(acme, link, monkeypatch):
    from oneway.handlers import deps

    _, slug = link
    monkeypatch.setattr(deps.ports().settings, "apply_per_source_per_minute", 3)
    for _ in range(3):
        assert send("GET", f"/api/c/apply/{slug}", source="198.51.100.1")[0] == 200
    status, body, headers = send("GET", f"/api/c/apply/{slug}", source="198.51.100.1")
    assert status == 429 and body["code"] == "rate_limited" and 1 <= int(headers["Retry-After"]) <= 61
    # Unknown slugs count too (no free guessing).
    assert send("GET", "/api/c/apply/" + "z" * 22, source="198.51.100.1")[0] == 429
    assert send("GET", f"/api/c/apply/{slug}", source="198.51.100.2")[0] == 200
    # Per interview, whatever the source.
    monkeypatch.setattr(deps.ports().settings, "apply_per_interview_per_minute", 2)
    for i in range(2):
        assert send("POST", f"/api/c/apply/{slug}", {"name": "P", "email": f"p{i}@x.test", "consent": True}, source=f"10.0.0.{i}")[0] == 200
    status, _, headers = send("POST", f"/api/c/apply/{slug}", {"name": "P", "email": "p9@x.test", "consent": True}, source="10.0.0.9")
    assert status == 429 and "Retry-After" in headers


def test_the_cap_409_and_a_closed_link_410(acme, link, client):
    iid, slug = link
    for name in ("a", "b"):
        send("POST", f"/api/c/apply/{slug}", {"name": name, "email": f"{name}@x.test", "consent": True})
        assert send("POST", f"/api/c/apply/{slug}/confirm", {"email": f"{name}@x.test", "code": CODE})[0] == 200
    status, body, _ = send("POST", f"/api/c/apply/{slug}", {"name": "c", "email": "c@x.test", "consent": True})
    assert (status, body["code"]) == (409, "apply_cap_reached")
    assert send("GET", f"/api/c/apply/{slug}")[1]["open"] is False
    assert call(h, "GET", f"/api/interviews/{iid}/apply-link", sub="alice")[1]["applied"] == 2
    call(h, "PUT", f"/api/interviews/{iid}/apply-link", {"open": True, "cap": 5}, sub="alice")
    assert send("POST", f"/api/c/apply/{slug}", {"name": "c", "email": "c@x.test", "consent": True})[0] == 200
    closed = call(h, "PUT", f"/api/interviews/{iid}/apply-link", {"open": False}, sub="alice")[1]
    assert closed["open"] is False
    status, body, _ = send("POST", f"/api/c/apply/{slug}", {"name": "d", "email": "d@x.test", "consent": True})
    assert (status, body["code"]) == (410, "apply_closed")
    status, body, _ = send("POST", f"/api/c/apply/{slug}/confirm", {"email": "c@x.test", "code": CODE})
    assert (status, body["code"]) == (410, "apply_closed")  # a code sent before the close makes nothing after it
    assert len(candidates(client)) == 2
    month = acme.clock.now().strftime("%Y-%m")
    audit = call(h, "GET", "/api/audit", sub="alice")  # recruiters do not read the audit log
    assert audit[0] == 403
    events = [(e.actor, e.action) for e in acme.store.list_audit("acme", month, 100)]
    assert ("alice", "apply_link.opened") in events and ("alice", "apply_link.closed") in events
    assert [a for a, act in events if act == "application.confirmed"] == ["applicant", "applicant"]


def test_consent_and_a_well_formed_code_are_required(acme, link):
    _, slug = link
    status, body, _ = send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "ada@x.test", "consent": False})
    assert (status, body["code"]) == (400, "consent_required")
    assert send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "not-an-address", "consent": True})[0] == 422
    assert send("POST", f"/api/c/apply/{slug}/confirm", {"email": "ada@x.test", "code": "12345"})[0] == 422


def test_a_code_lives_fifteen_minutes(acme, link, clock):
    _, slug = link
    _, body, _ = send("POST", f"/api/c/apply/{slug}", {"name": "Ada", "email": "ada@x.test", "consent": True})
    assert datetime.fromisoformat(body["expiresAt"]) - clock.now() == timedelta(minutes=15)
