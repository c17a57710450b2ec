"""Outgoing webhooks on moto: signed with HMAC-SHA256, delivered on events, retried with backoff, given up."""

from __future__ import annotations

import dataclasses
import json

import pytest

from oneway.domain.errors import Forbidden, InvalidInput
from oneway.domain.models import Actor, Role
from oneway.service import identity, webhooks
from oneway.service.views import WebhookInput

ANN = Actor(user_id="ann", org_id="acme", email="ann@acme.test", role=Role.admin)
EVENT = {"orgId": "acme", "interviewId": "i1", "candidateId": "c1", "decision": "advance"}


class Receiver:
    """A webhook endpoint that answers the status codes it is given, in turn, and keeps what it got."""

    def __init__(self, *statuses: int):
        self.statuses = list(statuses)
        self.got: list[tuple[str, bytes, dict]] = []

    def post(self, url, body, headers):
        self.got.append((url, body, headers))
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 0:
            raise ConnectionError("connection refused")
        return status


@pytest.fixture
def org(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "ann", "ann@acme.test", Role.admin)


def test_signature_is_hmac_sha256_over_timestamp_and_body():
    header = webhooks.sign("whsec_x", 1_700_000_000, '{"a":1}')
    assert header == "t=1700000000,v1=" + __import__("hmac").new(b"whsec_x", b'1700000000.{"a":1}', "sha256").hexdigest()
    assert webhooks.verify("whsec_x", header, '{"a":1}', now=1_700_000_100)
    assert not webhooks.verify("whsec_x", header, '{"a":2}', now=1_700_000_100)  # tampered body
    assert not webhooks.verify("other", header, '{"a":1}', now=1_700_000_100)  # wrong secret
    assert not webhooks.verify("whsec_x", header, '{"a":1}', now=1_700_001_000)  # too old: a replay


def test_an_event_reaches_a_subscribed_webhook_signed(ports, clock, org):
    rx = Receiver(200)
    p = dataclasses.replace(ports, http=rx)
    made = webhooks.create_webhook(p, ANN, WebhookInput(url="https://hooks.acme.test/oneway", events=["candidate.decided"]))
    assert made.secret.startswith("whsec_") and len(made.secret) > 40
    assert "secret" not in webhooks.list_webhooks(p, ANN).model_dump()["items"][0]  # shown once
    webhooks.emit(p, "candidate.completed", EVENT)  # not subscribed
    webhooks.emit(p, "candidate.decided", EVENT)
    ((url, body, headers),) = rx.got
    assert url == "https://hooks.acme.test/oneway"
    payload = json.loads(body)
    assert payload["type"] == "candidate.decided" and payload["data"] == EVENT
    assert webhooks.verify(made.secret, headers["Oneway-Signature"], body.decode(), now=int(clock.now().timestamp()))
    (d,) = webhooks.list_webhooks(p, ANN).items[0].recent
    assert (d.status, d.attempts) == ("delivered", 1)


def test_failures_are_retried_with_backoff_then_given_up(ports, clock, org):
    rx = Receiver(500, 0, 503)  # then 200
    p = dataclasses.replace(ports, http=rx)
    webhooks.create_webhook(p, ANN, WebhookInput(url="https://hooks.acme.test/x", events=["candidate.ready"]))
    webhooks.emit(p, "candidate.ready", EVENT)
    assert webhooks.retry_due(p) == 0  # not due yet: the first retry waits a minute
    clock.advance(minutes=1)
    assert webhooks.retry_due(p) == 1  # connection refused
    clock.advance(minutes=1)
    assert webhooks.retry_due(p) == 0  # the next one waits two minutes
    clock.advance(minutes=1)
    assert webhooks.retry_due(p) == 1  # 503
    clock.advance(minutes=4)
    assert webhooks.retry_due(p) == 1  # 200
    (d,) = webhooks.list_webhooks(p, ANN).items[0].recent
    assert (d.status, d.attempts, d.next_attempt_at) == ("delivered", 4, None)
    assert len({body for _, body, _ in rx.got}) == 1  # the same delivery each time
    clock.advance(days=1)
    assert webhooks.retry_due(p) == 0

    # An endpoint that never answers: given up after MAX_ATTEMPTS.
    down = Receiver(*[500] * 20)
    p = dataclasses.replace(ports, http=down)
    webhooks.emit(p, "candidate.ready", EVENT)
    for _ in range(webhooks.MAX_ATTEMPTS + 2):
        clock.advance(days=1)
        webhooks.retry_due(p)
    assert len(down.got) == webhooks.MAX_ATTEMPTS
    latest = webhooks.list_webhooks(p, ANN).items[0].recent[0]
    assert (latest.status, latest.last_error) == ("failed", "HTTP 500")


def test_only_admins_manage_webhooks_and_events_are_known(ports, org):
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    alice = Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter)
    with pytest.raises(Forbidden):
        webhooks.create_webhook(ports, alice, WebhookInput(url="https://x.test/", events=["candidate.ready"]))
    with pytest.raises(InvalidInput):
        webhooks.create_webhook(ports, ANN, WebhookInput(url="https://x.test/", events=["candidate.hired"]))
    with pytest.raises(ValueError):
        WebhookInput(url="http://intranet.acme/", events=["candidate.ready"])  # https only (localhost aside)
    made = webhooks.create_webhook(ports, ANN, WebhookInput(url="https://x.test/", events=["candidate.ready"]))
    webhooks.delete_webhook(ports, ANN, made.webhook_id)
    assert webhooks.list_webhooks(ports, ANN).items == []
