"""Invitation tokens: 256 bits from a CSPRNG, stored only as a hash, dead after the
deadline or revocation, one answer for every bad token, and limited guessing."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import timedelta

import pytest

from oneway.domain import tokens
from oneway.domain.models import LINK_GRACE, Candidate, Role
from oneway.handlers import api
from oneway.service import identity
from tests.integration.test_api import INTERVIEW
from tests.support.events import call

h = api.lambda_handler


def _invite(n: int = 3) -> tuple[str, list[dict]]:
    status, made = call(h, "POST", "/api/interviews", INTERVIEW, sub="alice")
    assert status == 201, made
    people = [{"name": f"Cand {i}", "email": f"c{i}@example.com"} for i in range(n)]
    status, inv = call(h, "POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": people, "sendEmail": True}, sub="alice")
    assert status == 201, inv
    return made["interviewId"], [{**i, "token": i["inviteUrl"].split("#t=")[1]} for i in inv["items"]]


@pytest.fixture
def acme(ports, clock, monkeypatch):
    from oneway.handlers import deps

    monkeypatch.setattr(deps.ports(), "clock", clock)  # the handlers' clock is the test's
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    return ports


def test_a_token_is_256_bits_from_the_csprng(monkeypatch):
    drawn = []
    real = secrets.token_urlsafe  # the module tokens draws from

    def spy(n):
        drawn.append(n)
        return real(n)

    monkeypatch.setattr(secrets, "token_urlsafe", spy)
    made = {tokens.new_token() for _ in range(2000)}
    assert drawn == [32] * 2000, "every token comes from secrets (the OS CSPRNG), 32 bytes at a time"
    assert len(made) == 2000
    for t in list(made)[:50]:
        assert len(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))) * 8 >= 256


def test_only_the_hash_of_a_token_is_stored(acme, client, outbox):
    _, invited = _invite(5)
    raw = [i["token"] for i in invited]
    # Until the deliver function has sent it, an invitation's email (its outbox message) holds the link; no other item does.
    for item in client("dynamodb").scan(TableName="oneway")["Items"]:
        if item.get("type", {}).get("S") != "OutboxMessage":
            assert not any(token in json.dumps(item) for token in raw), item["pk"]
    assert outbox.drain() >= 5
    dump = json.dumps(client("dynamodb").scan(TableName="oneway")["Items"])  # the whole table, once the emails are sent
    for token in raw:
        assert token not in dump
        assert tokens.hash_token(token) in dump  # what the lookup index holds instead
    # Neither does any object in any bucket hold one.
    s3 = client("s3")
    for bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
            assert not any(t.encode() in body for t in raw), obj["Key"]


def test_unknown_expired_and_revoked_tokens_get_one_identical_answer(acme, clock):
    _, (live, late, revoked) = _invite(3)
    assert call(h, "GET", "/api/c/session", token=live["token"])[0] == 200

    answers = {
        "unknown": call(h, "GET", "/api/c/session", token=tokens.new_token()),
        "malformed": call(h, "GET", "/api/c/session", token="x" * 500),
    }
    if "revoked_at" in Candidate.model_fields:  # revocation (recruiter side) stores when the link was revoked
        cand = acme.store.get_candidate("acme", revoked["candidateId"])
        cand.revoked_at = clock.now()
        acme.store.save(cand)
        answers["revoked"] = call(h, "GET", "/api/c/session", token=revoked["token"])
    expiry = acme.store.get_candidate("acme", late["candidateId"]).expires_at
    clock.at = expiry - timedelta(seconds=1)
    assert call(h, "GET", "/api/c/session", token=late["token"])[0] == 200, "valid until the deadline"
    clock.at = expiry
    # Answering closes at the deadline, and the candidate is told why...
    for method, path, body in (("GET", "/api/c/session", None), ("POST", "/api/c/consent", {"accepted": True})):
        status, answer = call(h, method, path, body, token=late["token"])
        assert (status, answer["code"]) == (410, "deadline_passed")
    # ...until the link itself expires a grace week later, and answers like an unknown one.
    clock.at = expiry + LINK_GRACE
    answers["expired"] = call(h, "GET", "/api/c/session", token=late["token"])
    answers["expired write"] = call(h, "POST", "/api/c/consent", {"accepted": True}, token=late["token"])
    assert {json.dumps(a, sort_keys=True) for a in answers.values()} == {
        json.dumps((401, {"message": "this interview link is not valid", "code": "invalid_token"}), sort_keys=True)
    }, answers


def test_failed_lookups_are_limited_per_source_address_and_a_valid_token_is_always_served(acme, ports):
    """Many candidates share one address behind a NAT: junk from one of them must not lock out the rest."""
    _, (live,) = _invite(1)
    limit = ports.settings.token_failures_per_minute
    for _ in range(limit):
        assert call(h, "GET", "/api/c/session", token=tokens.new_token())[0] == 401
    status, body = call(h, "GET", "/api/c/session", token=tokens.new_token())
    assert (status, body["code"]) == (429, "rate_limited")
    # Over the limit a live token is still served, from the same address, for reads and writes alike ...
    assert call(h, "GET", "/api/c/session", token=live["token"])[0] == 200
    assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=live["token"])[0] == 200
    # ... and serving it counts nothing: the next bad guess is refused, the live token served again.
    assert call(h, "GET", "/api/c/session", token=tokens.new_token())[0] == 429
    assert call(h, "GET", "/api/c/session", token=live["token"])[0] == 200
    # Another address guesses on its own count (the local gateway's events come from 127.0.0.1).
    from oneway.local.gateway import LambdaContext
    from tests.support.events import http_event

    event = http_event("GET", "/api/c/session", token=tokens.new_token())
    event["requestContext"]["http"]["sourceIp"] = "203.0.113.7"
    assert h(event, LambdaContext("t"))["statusCode"] == 401
    # The counters expire by TTL and hold no token.
    items = ports.store._db.scan(TableName="oneway", FilterExpression="begins_with(pk, :p)", ExpressionAttributeValues={":p": {"S": "LIMIT#"}})["Items"]
    assert items and all("ttl" in i for i in items)
    assert not any(live["token"] in str(i) for i in items)
    # A minute later the address may guess again.
    ports.clock.advance(minutes=1)
    assert call(h, "GET", "/api/c/session", token=tokens.new_token())[0] == 401


def test_a_request_without_a_token_is_401_and_counts_no_guess(acme, ports):
    for _ in range(ports.settings.token_failures_per_minute + 5):
        status, body = call(h, "GET", "/api/c/session")
        assert (status, body["code"]) == (401, "invalid_token")
