"""Outgoing webhooks per organization: signed with HMAC-SHA256, retried with backoff.

Each event (``candidate.completed``, ``candidate.ready``, ``candidate.decided``) becomes
one Delivery per subscribed webhook, tried at once; a failure (network error or a
non-2xx answer) is retried by the scheduled task after 1, 2, 4 ... minutes, at most
``MAX_ATTEMPTS`` times. Due deliveries are found through a sparse index, so a run
reads only what is due.

Where a webhook may point: https on a public address (``domain/webhook_targets.py``), checked when it
is made and again by every delivery on the address it connects to. What a delivery failed of is stored
and shown in two words ("the endpoint could not be reached", "answered 5xx"): the admin who made the
webhook learns whether it works, not what a network error said about hosts and ports; the exact reason
goes to the function's log, for the operator.

Delivery is ``deliver(p, hook, delivery)``: one attempt, its outcome saved; ``emit`` and ``retry_due``
call it, and so can a queue's consumer.

Signature header ``Oneway-Signature: t=<unix seconds>,v1=<hex>`` where
hex = HMAC-SHA256(secret, f"{t}.{body}"); receivers recompute it and reject old
timestamps (replays). The secret must be usable to sign, so it is stored as it is
(DynamoDB encrypts the table at rest; only Oneway's functions read it), shown once
when the webhook is made and never returned afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from datetime import timedelta
from typing import Any

from ..domain import webhook_targets
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.models import Actor, Delivery, Role, Webhook
from ..domain.tokens import new_id
from ..ports import Ports
from . import audit
from .views import DeliveryView, WebhookCreated, WebhookInput, WebhookList, WebhookView

EVENTS = ("candidate.completed", "candidate.ready", "candidate.decided")
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
HEADER = "Oneway-Signature"
UNREACHABLE = "the endpoint could not be reached"

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
    return WebhookView(webhook_id=w.webhook_id, url=w.url, events=w.events, created_at=w.created_at)


def create_webhook(p: Ports, actor: Actor, cmd: WebhookInput) -> WebhookCreated:
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


def emit(p: Ports, detail_type: str, detail: dict[str, Any]) -> None:
    """Publish a domain event on EventBridge and deliver it to the organization's webhooks."""
    p.events.publish(detail_type, detail)
    org_id = detail.get("orgId")
    if not org_id:
        return
    now = p.clock.now()
    for hook in p.store.list_webhooks(org_id):
        if detail_type not in hook.events:
            continue
        delivery_id = new_id()
        body = json.dumps({"id": delivery_id, "type": detail_type, "createdAt": now.isoformat(), "data": detail}, separators=(",", ":"))
        delivery = Delivery(
            org_id=org_id, webhook_id=hook.webhook_id, delivery_id=delivery_id, event=detail_type, body=body, created_at=now, next_attempt_at=now
        )
        p.store.save(delivery)
        deliver(p, hook, delivery)


def deliver(p: Ports, hook: Webhook, delivery: Delivery) -> None:
    """One attempt to deliver, its outcome saved: delivered, retried later with backoff, or given up."""
    now = p.clock.now()
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
        delivery.status, delivery.next_attempt_at, delivery.last_error = "delivered", None, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at, delivery.last_error = "failed", None, error
    else:
        delivery.next_attempt_at = now + FIRST_RETRY * 2 ** (delivery.attempts - 1)
        delivery.last_error = error
    p.store.save(delivery)


def retry_due(p: Ports, limit: int = 100) -> int:
    """The scheduled task: try every due delivery once more."""
    done = 0
    for delivery in p.store.list_due_deliveries(p.clock.now(), limit):
        hook = p.store.get_webhook(delivery.org_id, delivery.webhook_id)
        if hook is None:  # the webhook was deleted: stop trying
            delivery.status, delivery.next_attempt_at = "failed", None
            delivery.last_error = "the webhook was deleted"
            p.store.save(delivery)
            continue
        deliver(p, hook, delivery)
        done += 1
    return done
