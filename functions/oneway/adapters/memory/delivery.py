"""Outbox messages, webhooks and their deliveries, in memory."""

from __future__ import annotations

from datetime import datetime

from ...domain.models import Delivery, OutboxMessage, Webhook
from ..dynamo.keys import GSI_DUE, OUTBOX_DUE, WEBHOOK_DUE, candidate_pk, outbox_pk
from .table import MemoryTable


class Outbox(MemoryTable):
    def list_webhooks(self, org_id: str) -> list[Webhook]:
        return [Webhook.model_validate(i) for i in self._partition(f"ORG#{org_id}", "WEBHOOK#")]

    def get_webhook(self, org_id: str, webhook_id: str) -> Webhook | None:
        return self._one(f"ORG#{org_id}", f"WEBHOOK#{webhook_id}", Webhook)

    def list_deliveries(self, org_id: str, webhook_id: str, limit: int = 20) -> list[Delivery]:
        items = self._partition(f"ORG#{org_id}#WEBHOOK#{webhook_id}", newest_first=True)[:limit]
        return [Delivery.model_validate(i) for i in items]

    def list_due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        return [Delivery.model_validate(i) for i in self._sorted_before(GSI_DUE, WEBHOOK_DUE, f"{now.isoformat()}~", limit)]

    def get_message(self, org_id: str, message_id: str, candidate_id: str | None = None) -> OutboxMessage | None:
        return self._one(outbox_pk(org_id, message_id, candidate_id), f"OUTBOX#{message_id}", OutboxMessage)

    def list_candidate_messages(self, org_id: str, candidate_id: str, limit: int = 50) -> list[OutboxMessage]:
        items = self._partition(candidate_pk(org_id, candidate_id), "OUTBOX#", newest_first=True)[:limit]
        return [OutboxMessage.model_validate(i) for i in items]

    def list_due_messages(self, now: datetime, limit: int) -> list[OutboxMessage]:
        return [OutboxMessage.model_validate(i) for i in self._sorted_before(GSI_DUE, OUTBOX_DUE, f"{now.isoformat()}~", limit)]
