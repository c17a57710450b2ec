"""Outgoing webhooks, on the in-memory ports: signed with HMAC-SHA256, delivered on events, retried with backoff, given up."""

from __future__ import annotations

import dataclasses
import json

import pytest
from pydantic import ValidationError

from oneway.domain.errors import Forbidden, InvalidInput
from oneway.domain.models import Actor, Role
from oneway.service import identity, outbox, webhooks
from oneway.service.views import WebhookInput

ANN = Actor(user_id="ann", org_id="acme", email="ann@acme.test", role=Role.admin)
EVENT = {"orgId": "acme", "interviewId": "i1", "candidateId": "c1", "decision": "advance"}


class Receiver:
    """A webhook endpoint that answers the status codes it is given, in turn, and keeps what it got.
    Its host names resolve to ``addresses`` (public unless a test says otherwise)."""

    def __init__(self, *statuses: int, addresses: tuple[str, ...] = ("93.184.216.34",)):
        self.statuses = list(statuses)
        self.addresses = list(addresses)
        self.got: list[tuple[str, bytes, dict]] = []

    def resolve(self, host):
        if not self.addresses:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return self.addresses

    def post(self, url, body, headers):
        self.got.append((url, body, headers))
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 0:
            raise ConnectionError("[Errno 111] Connection refused: 10.0.0.7:6379")
        return status


def emit(p, detail_type: str, detail: dict) -> int:
    """What the deliver function does with an event's outbox message: one delivery per subscribed webhook,
    tried at once (tests/security/test_outbox_faults.py runs it through the stream)."""
    return webhooks.fan_out(p, outbox.event(p, detail_type, detail))


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
    emit(p, "candidate.completed", EVENT)  # not subscribed
    emit(p, "candidate.decided", EVENT)
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
    emit(p, "candidate.ready", EVENT)
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
    emit(p, "candidate.ready", EVENT)
    for _ in range(webhooks.MAX_ATTEMPTS + 2):
        clock.advance(days=1)
        webhooks.retry_due(p)
    assert len(down.got) == webhooks.MAX_ATTEMPTS
    # Both deliveries are listed (ids sort by the millisecond they were made: these two may share one).
    recent = webhooks.list_webhooks(p, ANN).items[0].recent
    assert sorted((d.status, d.attempts, d.last_error) for d in recent) == [
        ("delivered", 4, None), ("failed", webhooks.MAX_ATTEMPTS, "answered 5xx")
    ]


def test_only_admins_manage_webhooks_and_events_are_known(ports, org):
    ports = dataclasses.replace(ports, http=Receiver())
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    alice = Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter)
    with pytest.raises(Forbidden):
        webhooks.create_webhook(ports, alice, WebhookInput(url="https://x.test/", events=["candidate.ready"]))
    with pytest.raises(InvalidInput):
        webhooks.create_webhook(ports, ANN, WebhookInput(url="https://x.test/", events=["candidate.hired"]))
    with pytest.raises(ValidationError, match="String should match pattern"):
        WebhookInput(url="http://intranet.acme/", events=["candidate.ready"])  # https only (localhost aside)
    made = webhooks.create_webhook(ports, ANN, WebhookInput(url="https://x.test/", events=["candidate.ready"]))
    webhooks.delete_webhook(ports, ANN, made.webhook_id)
    assert webhooks.list_webhooks(ports, ANN).items == []


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("https://169.254.169.254/latest/meta-data/", ("169.254.169.254",)),  # the instance metadata service
        ("https://[::1]/", ("::1",)),
        ("https://10.0.0.7:6379/", ("10.0.0.7",)),
        ("https://metadata.acme.test/", ("169.254.169.254",)),  # a public-looking name for an internal address
        ("https://intranet.acme.test/", ("93.184.216.34", "10.0.0.7")),  # one internal answer among public ones
        ("https://[::ffff:192.168.0.1]/", ("::ffff:192.168.0.1",)),
        ("https://nowhere.acme.test/", ()),  # no such name: the same answer as an internal one
        ("http://localhost/", ("127.0.0.1",)),  # http, and loopback, outside the local stack
    ],
)
def test_a_webhook_to_an_internal_or_unknown_host_is_refused_with_one_answer(ports, org, url, addresses):
    p = dataclasses.replace(ports, http=Receiver(addresses=addresses))
    with pytest.raises(InvalidInput) as refused:
        webhooks.create_webhook(p, ANN, WebhookInput(url=url, events=["candidate.ready"]))
    assert (refused.value.code, refused.value.message) == ("webhook_url_refused", "the webhook URL must be an https address on a public host")
    assert webhooks.list_webhooks(p, ANN).items == []


def test_a_delivery_failure_is_stored_and_shown_in_generic_words(ports, clock, org):
    """Not the network error's text: it would tell the admin which internal hosts and ports answer."""
    rx = Receiver(0, 404, 503)
    p = dataclasses.replace(ports, http=rx)
    webhooks.create_webhook(p, ANN, WebhookInput(url="https://hooks.acme.test/x", events=["candidate.ready"]))
    seen = []
    emit(p, "candidate.ready", EVENT)
    for _ in range(3):
        (d,) = webhooks.list_webhooks(p, ANN).items[0].recent
        seen.append(d.last_error)
        clock.advance(days=1)
        webhooks.retry_due(p)
    assert seen == ["the endpoint could not be reached", "answered 4xx", "answered 5xx"]
    stored = [d.last_error for d in p.store.list_deliveries("acme", webhooks.list_webhooks(p, ANN).items[0].webhook_id)]
    assert "10.0.0.7" not in str(stored) and "Errno" not in str(stored)


def test_a_refused_address_at_delivery_is_an_unreachable_endpoint(ports, clock, org):
    """The name was public when the webhook was made and points inside later: the delivery is refused by
    the poster (tests/unit/test_webhook_targets.py) and the admin reads the generic answer."""
    from oneway.domain.webhook_targets import TargetRefused

    class Rebound(Receiver):
        def post(self, url, body, headers):
            raise TargetRefused("169.254.169.254 is link-local")

    p = dataclasses.replace(ports, http=Rebound())
    webhooks.create_webhook(p, ANN, WebhookInput(url="https://hooks.acme.test/x", events=["candidate.ready"]))
    emit(p, "candidate.ready", EVENT)
    (d,) = webhooks.list_webhooks(p, ANN).items[0].recent
    assert (d.status, d.last_error) == ("pending", "the endpoint could not be reached")


def test_an_older_delivery_error_is_shown_generic_too(ports, org):
    from oneway.domain.models import Delivery

    p = dataclasses.replace(ports, http=Receiver())
    made = webhooks.create_webhook(p, ANN, WebhookInput(url="https://hooks.acme.test/x", events=["candidate.ready"]))
    old = Delivery(
        org_id="acme", webhook_id=made.webhook_id, delivery_id="old", event="candidate.ready", body="{}",
        created_at=p.clock.now(), status="failed", attempts=8, last_error="URLError: <urlopen error [Errno 111] Connection refused>",
    )
    p.store.save(old)
    (d,) = webhooks.list_webhooks(p, ANN).items[0].recent
    assert d.last_error == "the endpoint could not be reached"
    assert webhooks.shown_error("HTTP 502") == "answered 5xx"
