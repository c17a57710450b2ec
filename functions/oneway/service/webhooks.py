"""Outgoing webhooks per organization: signed with HMAC-SHA256, retried with backoff.

Each event (``candidate.completed``, ``candidate.ready``, ``candidate.decided``) is an outbox
message, saved with the change it follows (service/outbox.py); the deliver function makes one
Delivery per subscribed webhook and tries it at once (``fan_out``); a failure (network error or a
non-2xx answer) is retried by the deliver function's scheduled run after 1, 2, 4 ... minutes, at
most ``MAX_ATTEMPTS`` times. Due deliveries are found through a sparse index, so a run reads only
what is due. No request and no pipeline function calls a webhook.

Where a webhook may point: https on a public address (``domain/webhook_targets.py``), checked when it
is made and again by every delivery on the address it connects to. What a delivery failed of is stored
and shown in two words ("the endpoint could not be reached", "answered 5xx"): the admin who made the
webhook learns whether it works, not what a network error said about hosts and ports; the exact reason
goes to the function's log, for the operator.

Delivery is ``deliver(p, hook, delivery)``: one attempt, its outcome saved; ``fan_out`` and ``retry_due``
call it, both in the deliver function.

Signature header ``Oneway-Signature: t=<unix seconds>,v1=<hex>`` where
hex = HMAC-SHA256(secret, f"{t}.{body}"); receivers recompute it and reject old
timestamps (replays). The secret must be usable to sign, so it is stored as it is
(DynamoDB encrypts the table at rest; only Oneway's functions read it), shown once
when the webhook is made and never returned afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from ..domain import webhook_targets
from ..domain.errors import Conflict, InvalidInput, NotFound, StaleWrite
from ..domain.models import Actor, Delivery, OutboxMessage, Role, Webhook, WebhookDeliveryStatus
from ..domain.tokens import new_id
from ..ports import Ports
from . import audit

if TYPE_CHECKING:  # the API's views load when a route needs them, not with the deliver function's work
    from .views import WebhookCreated, WebhookInput, WebhookList, WebhookView

EVENTS = ("candidate.completed", "candidate.ready", "candidate.decided")
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
HEADER = "Oneway-Signature"
UNREACHABLE = "the endpoint could not be reached"
# An attempt that has not ended after this long (its deliverer stopped) is due again: longer than the
# deliver function's timeout.
CLAIM = timedelta(minutes=5)

log = logging.getLogger(__name__)


def sign(secret: str, timestamp: int, body: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: str, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (documented and tested here): recompute, compare in constant time, check the age."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    return abs(now - t) <= tolerance and hmac.compare_digest(sign(secret, t, body), header)


def shown_error(error: str | None) -> str | None:
    """A delivery's error as the admin sees it: the two generic answers only (an older delivery may have
    stored a network error's own text, which said more about hosts and ports than an admin may learn)."""
    if error is None or error == UNREACHABLE or error == "the webhook was deleted":
        return error
    if error.startswith(("answered ", "HTTP ")) and error.split()[-1][:1].isdigit():
        return f"answered {error.split()[-1][0]}xx"
    return UNREACHABLE


def _view(w: Webhook) -> WebhookView:
    from .views import WebhookView

    return WebhookView(webhook_id=w.webhook_id, url=w.url, events=w.events, created_at=w.created_at)


def create_webhook(p: Ports, actor: Actor, cmd: WebhookInput) -> WebhookCreated:
    from .views import WebhookCreated

    actor.require(Role.admin)
    unknown = set(cmd.events) - set(EVENTS)
    if unknown:
        raise InvalidInput(f"unknown events: {', '.join(sorted(unknown))}", "unknown_event")
    _check_target(p, cmd.url)
    hook = Webhook(
        org_id=actor.org_id,
        webhook_id=new_id(),
        url=cmd.url,
        events=sorted(set(cmd.events)),
        secret="whsec_" + secrets.token_urlsafe(32),
        created_by=actor.user_id,
        created_at=p.clock.now(),
    )
    p.store.save(hook)
    audit.record(p, actor.org_id, actor.user_id, "webhook.created", hook.webhook_id, url=hook.url)
    return WebhookCreated(**_view(hook).model_dump(), secret=hook.secret)


def _check_target(p: Ports, url: str) -> None:
    """Refuse a URL that is not https on a public host, with one answer whatever the reason."""
    if p.http is None:
        raise Conflict("outgoing webhooks are not available here", "webhooks_unavailable")
    loopback = p.settings.webhooks_to_loopback
    target = webhook_targets.parse(url, loopback=loopback)
    try:
        webhook_targets.check(p.http.resolve(target.host), loopback=loopback)
    except (OSError, UnicodeError, webhook_targets.TargetRefused) as err:
        log.info("webhook URL refused: %s", err)
        raise InvalidInput(webhook_targets.REFUSED, "webhook_url_refused") from None


def list_webhooks(p: Ports, actor: Actor) -> WebhookList:
    from .views import DeliveryView, WebhookList, WebhookView

    actor.require(Role.admin)
    items = []
    for w in p.store.list_webhooks(actor.org_id):
        recent = [
            DeliveryView(**d.model_dump(include=set(DeliveryView.model_fields)) | {"last_error": shown_error(d.last_error)})
            for d in p.store.list_deliveries(actor.org_id, w.webhook_id, 5)
        ]
        items.append(WebhookView(**_view(w).model_dump(exclude={"recent"}), recent=recent))
    return WebhookList(items=items)


def delete_webhook(p: Ports, actor: Actor, webhook_id: str) -> None:
    actor.require(Role.admin)
    hook = p.store.get_webhook(actor.org_id, webhook_id)
    if hook is None:
        raise NotFound("no such webhook", "webhook_not_found")
    p.store.delete_item(hook)
    audit.record(p, actor.org_id, actor.user_id, "webhook.deleted", webhook_id)


def fan_out(p: Ports, message: OutboxMessage) -> int:
    """The deliveries of one event (an outbox message) to the organization's webhooks that subscribe to it,
    each made once and tried at once. A delivery's id follows from the message and the webhook, so a message
    tried again (the event bus failed) finds its deliveries made and leaves them to their own retries.
    Returns how many it made."""
    made = 0
    for hook in p.store.list_webhooks(message.org_id):
        if message.topic not in hook.events:
            continue
        delivery_id = message.message_id[:12] + hashlib.sha256(f"{message.message_id}:{hook.webhook_id}".encode()).hexdigest()[:12]
        body = json.dumps(
            {"id": delivery_id, "type": message.topic, "createdAt": message.created_at.isoformat(), "data": message.detail},
            separators=(",", ":"),
        )
        now = p.clock.now()
        delivery = Delivery(
            org_id=message.org_id, webhook_id=hook.webhook_id, delivery_id=delivery_id, event=message.topic, body=body,
            created_at=now, next_attempt_at=now + CLAIM,  # made claimed: its first try is this one
        )
        try:
            p.store.save(delivery)  # made once: a second save of a new delivery with this id is refused
        except StaleWrite:
            continue
        made += 1
        deliver(p, hook, delivery, claimed=True)
    return made


def deliver(p: Ports, hook: Webhook, delivery: Delivery, *, claimed: bool = False) -> None:
    """One attempt to deliver, its outcome saved: delivered, retried later with backoff, or given up.
    The attempt is claimed first (a conditional save), so two deliverers never post the same delivery at once;
    one that has changed since it was read (or listed from the index) is left to the next run."""
    now = p.clock.now()
    if not claimed:
        delivery.next_attempt_at = now + CLAIM
        try:
            p.store.save(delivery)
        except StaleWrite:
            return
    error = None
    if p.http is None:
        error = UNREACHABLE
    else:
        headers = {"Content-Type": "application/json", HEADER: sign(hook.secret, int(now.timestamp()), delivery.body), "User-Agent": "Oneway-Webhooks/1"}
        try:
            status = p.http.post(hook.url, delivery.body.encode(), headers)
            if not 200 <= status < 300:
                error = f"answered {status // 100}xx"
        except Exception as err:  # any failure to reach it (refused address, DNS, TCP, TLS, timeout) is retried
            log.warning("webhook %s delivery %s: %s: %s", hook.webhook_id, delivery.delivery_id, type(err).__name__, err)
            error = UNREACHABLE
    delivery.attempts += 1
    if error is None:
        delivery.status, delivery.next_attempt_at, delivery.last_error = WebhookDeliveryStatus.delivered, None, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at, delivery.last_error = WebhookDeliveryStatus.failed, None, error
    else:
        delivery.next_attempt_at = now + FIRST_RETRY * 2 ** (delivery.attempts - 1)
        delivery.last_error = error
    p.store.save(delivery)


def retry_due(p: Ports, limit: int = 100) -> int:
    """The deliver function's scheduled run: try every due delivery once more."""
    done = 0
    for delivery in p.store.list_due_deliveries(p.clock.now(), limit):
        hook = p.store.get_webhook(delivery.org_id, delivery.webhook_id)
        if hook is None:  # the webhook was deleted: stop trying
            delivery.status, delivery.next_attempt_at = WebhookDeliveryStatus.failed, None
            delivery.last_error = "the webhook was deleted"
            with contextlib.suppress(StaleWrite):  # changed since it was listed: the next run sees it as it is
                p.store.save(delivery)
            continue
        deliver(p, hook, delivery)
        done += 1
    return done
