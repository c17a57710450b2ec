"""The deliver function's use cases: carry out outbox messages once their state change has committed.

Two ways in, one way through (``_carry_out``):
- ``deliver_new``: the table's stream hands over each new message (handlers/deliver.py); its first try.
- ``retry_due``: the scheduled run takes every message whose next try is due (a sparse index), and
  every webhook delivery due for its own retry (service/webhooks.py).

Each try begins with a conditional save of the message (``OutboxMessage.begin_try``): of two deliverers
holding the same message (a duplicate stream record, the stream and a scheduled run at once) one wins and
the other leaves it alone; a message once sent is never tried again. A try that fails is recorded with
what failed and retried after 1, 2, 4 ... minutes, at most ``MAX_ATTEMPTS`` times; then the message is
failed and a note goes to the dead-letter queue (alarmed). An address SES can never mail fails at once,
without a note: the recruiter sees it on the candidate's page and corrects it.

At least once, not exactly once: a deliverer that stops after SES or EventBridge took the message and
before it records that (a crash, a timeout) leaves the message to be tried again when its lease runs out.
Every other failure (SES, EventBridge or a webhook refusing, unreachable, slow) sends nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from ..domain.errors import EmailUnavailable, InvalidInput, StaleWrite
from ..domain.models import OutboxKind, OutboxMessage, OutboxStatus
from ..ports import Ports
from . import webhooks

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
# A try that has not ended after this long (its deliverer crashed or timed out) may be taken again:
# longer than the deliver function's timeout (infra/oneway_infra/delivery.py).
LEASE = timedelta(minutes=5)

# What a failed try shows to the members who see the message's state: what failed, never the service's
# own text (an SES refusal quotes the recipient's address; the operator finds it in the function's log).
ADDRESS_REFUSED = "the email service refused the address"
EMAIL_REFUSED = "the email service refused the email for now (its sandbox, paused sending or the sending quota)"
EMAIL_FAILED = "the email could not be sent"
EVENT_FAILED = "the event bus did not take the event"

log = logging.getLogger(__name__)

class Outcome(StrEnum):
    """What a try of an outbox message came to."""

    sent = "sent"
    retrying = "retrying"  # failed for now: the scheduled retries take it when it is due
    failed = "failed"  # given up
    skipped = "skipped"  # nothing to do: done already, not due, or another deliverer has it


class _Refused(Exception):
    """A failure that no retry can mend."""


def deliver_new(p: Ports, org_id: str, message_id: str, candidate_id: str | None = None) -> Outcome:
    """The first try of a message the stream handed over; nothing for a duplicate or a late record."""
    return _carry_out(p, org_id, message_id, candidate_id, first=True)


def retry_due(p: Ports, limit: int = 100) -> int:
    """The scheduled run: try every message that is due, then every webhook delivery that is. How many were done."""
    done = 0
    for due in p.store.list_due_messages(p.clock.now(), limit):
        done += _carry_out(p, due.org_id, due.message_id, due.candidate_id, first=False) == Outcome.sent
    return done + webhooks.retry_due(p, limit)


def _carry_out(p: Ports, org_id: str, message_id: str, candidate_id: str | None, *, first: bool) -> Outcome:
    now = p.clock.now()
    message = p.store.get_message(org_id, message_id, candidate_id)  # the item itself: the stream's image may be old
    if message is None or not message.begin_try(now, first=first, lease=LEASE):
        return Outcome.skipped
    try:
        p.store.save(message)  # the claim
    except StaleWrite:
        return Outcome.skipped  # another deliverer began this try
    gave_up = False
    try:
        _perform(p, message)
    except _Refused as err:
        message.try_failed(p.clock.now(), str(err), retry_after=None)
    except Exception as err:  # any failure to carry it out is retried
        log.warning("outbox message %s (%s %s), try %d: %s: %s", message_id, message.kind.value, message.topic, message.attempts, type(err).__name__, err)
        gave_up = message.attempts >= MAX_ATTEMPTS
        message.try_failed(p.clock.now(), _shown(message, err), retry_after=None if gave_up else FIRST_RETRY * 2 ** (message.attempts - 1))
    else:
        message.succeeded(p.clock.now())
    try:
        p.store.save(message)
    except StaleWrite:
        # Its lease ran out during this try and another deliverer took the message: that one records the outcome.
        log.error("outbox message %s: try %d outlived its lease", message_id, message.attempts)
        return Outcome.skipped
    if gave_up:
        _dead_letter(p, message)
    return {OutboxStatus.sent: Outcome.sent, OutboxStatus.failed: Outcome.failed}.get(message.status, Outcome.retrying)


def _perform(p: Ports, message: OutboxMessage) -> None:
    if message.kind == OutboxKind.mail:
        if p.mailer is None or message.mail is None:
            raise RuntimeError("no mailer here, or no email in the message")
        try:
            p.mailer.send(message.mail)
        except InvalidInput as err:
            log.warning("outbox message %s: %s", message.message_id, err.message)
            raise _Refused(ADDRESS_REFUSED) from None
        return
    if p.events is None or message.detail is None:
        raise RuntimeError("no event bus here, or no detail in the message")
    # The webhooks first: each has its own retries (service/webhooks.py), and a try of this message that
    # failed on the bus finds them made already and calls none of them again.
    webhooks.fan_out(p, message)
    p.events.publish(message.topic, message.detail)


def _shown(message: OutboxMessage, err: Exception) -> str:
    if message.kind == OutboxKind.event:
        return EVENT_FAILED
    return EMAIL_REFUSED if isinstance(err, EmailUnavailable) else EMAIL_FAILED


def _dead_letter(p: Ports, message: OutboxMessage) -> None:
    note = {
        "messageId": message.message_id,
        "orgId": message.org_id,
        "candidateId": message.candidate_id,
        "kind": message.kind.value,
        "topic": message.topic,
        "attempts": message.attempts,
        "error": message.last_error,
    }
    if p.dead_letters is None:
        log.error("outbox message given up, and no dead-letter queue here: %s", note)
        return
    p.dead_letters.put(note)
