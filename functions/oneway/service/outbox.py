"""Side effects as outbox messages: written in the transaction of the state change they follow.

A use case never sends an email, publishes an event or calls a webhook itself. It adds an
``OutboxMessage`` to the entities it saves (``p.store.save(candidate, outbox.mail(...))``): the change
and the promise of its side effect commit together or not at all. The deliver function carries the
message out after the commit (service/delivery.py): the table's stream hands it over within a second,
and a message the stream missed is due for the scheduled retries ``FIRST_TRY_GRACE`` after it was made.

So a request answers for its own change only: an email refused, an event bus or a webhook down, a
slow receiver neither fail nor slow it, and nothing it promised is lost when it stops after the save.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..domain.models import EmailState, Mail, MailTopic, OutboxKind, OutboxMessage, OutboxStatus
from ..domain.tokens import new_id
from ..ports import Ports

if TYPE_CHECKING:  # the API's views load when a route needs them, not with the pipeline's functions
    from .views import EmailStatusView

# The stream hands a new message to the deliver function within seconds; should that fail (the function
# down, its records expired), the scheduled retries take the message this long after it was made.
FIRST_TRY_GRACE = timedelta(minutes=2)
# How long a message's state is kept once made (the table's TTL removes it after): the candidate's page
# shows its emails' states for the life of an invitation, and retries are over within hours.
KEPT = timedelta(days=120)


def _message(p: Ports, org_id: str, kind: OutboxKind, topic: str, candidate_id: str | None, **content: Any) -> OutboxMessage:
    now = p.clock.now()
    return OutboxMessage(
        org_id=org_id,
        message_id=new_id(),
        candidate_id=candidate_id,
        kind=kind,
        topic=topic,
        created_at=now,
        next_attempt_at=now + FIRST_TRY_GRACE,
        expires_at=now + KEPT,
        **content,
    )


def mail(p: Ports, org_id: str, topic: MailTopic, message: Mail, *, candidate_id: str | None = None) -> OutboxMessage:
    """An email to send after the commit. ``candidate_id``: the candidate it is about (their page shows its state)."""
    return _message(p, org_id, OutboxKind.mail, topic, candidate_id, mail=message)


def event(p: Ports, detail_type: str, detail: dict[str, Any], *, candidate_id: str | None = None) -> OutboxMessage:
    """A domain event to publish after the commit, on EventBridge and to the organization's webhooks
    that subscribe to it. ``detail`` names the organization (``orgId``)."""
    return _message(p, detail["orgId"], OutboxKind.event, detail_type, candidate_id, detail=detail)


# The emails that go to the candidate (the others about them go to members: "ready", "accommodation").
TO_CANDIDATE = (MailTopic.invitation, MailTopic.reminder, MailTopic.deadline, MailTopic.next_step, MailTopic.follow_up, MailTopic.rejected)


def email_views(messages: list[OutboxMessage]) -> list[EmailStatusView]:
    """The state of each email to the candidate, newest first: what the recruiter sees on the candidate's page."""
    from .views import EmailStatusView

    def state(m: OutboxMessage) -> EmailState:
        if m.status == OutboxStatus.pending:
            return EmailState.retrying if m.last_error else EmailState.pending
        return EmailState(m.status.value)

    return [
        EmailStatusView(
            message_id=m.message_id,
            kind=MailTopic(m.topic),
            status=state(m),
            attempts=m.attempts,
            last_error=m.last_error,
            created_at=m.created_at,
            sent_at=m.done_at if m.status == OutboxStatus.sent else None,
        )
        for m in sorted(messages, key=lambda m: m.message_id, reverse=True)
        if m.kind == OutboxKind.mail and m.topic in TO_CANDIDATE
    ]
