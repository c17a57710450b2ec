"""The outbox (side effects saved with their state change, carried out by the deliver function), webhooks and
their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...domain.models import Delivery, OutboxMessage, Webhook
from .codec import decode
from .keys import GSI_DUE, OUTBOX_DUE, WEBHOOK_DUE, candidate_pk, outbox_pk
from .table import Table

# The stream records the deliver function is given (a Lambda event filter, infra/oneway_infra/delivery.py; the
# local stack's poller applies it too): new outbox messages only, not the table's every write.
# https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
OUTBOX_STREAM_FILTER: dict[str, Any] = {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"type": {"S": ["OutboxMessage"]}}}}
# How the stream's records reach it: in batches of this many, a failing batch retried this many times (split in half
# each time) before its failed record's place goes to the dead-letter queue. The messages' own retries come after.
OUTBOX_STREAM_BATCH_SIZE = 10
OUTBOX_STREAM_RETRIES = 3


class Outbox(Table):
    def list_webhooks(self, org_id: str) -> list[Webhook]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}"}, ":sk": {"S": "WEBHOOK#"}},
            ConsistentRead=True,
        )
        return [Webhook.model_validate(decode(i)) for i in page["Items"]]

    def get_webhook(self, org_id: str, webhook_id: str) -> Webhook | None:
        return self._one(f"ORG#{org_id}", f"WEBHOOK#{webhook_id}", Webhook)

    def list_deliveries(self, org_id: str, webhook_id: str, limit: int = 20) -> list[Delivery]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}#WEBHOOK#{webhook_id}"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [Delivery.model_validate(decode(i)) for i in page["Items"]]

    def list_due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        # "~" sorts after "#": every delivery due at or before now.
        return [Delivery.model_validate(i) for i in self._sorted_before(GSI_DUE, WEBHOOK_DUE, f"{now.isoformat()}~", limit)]

    def get_message(self, org_id: str, message_id: str, candidate_id: str | None = None) -> OutboxMessage | None:
        return self._one(outbox_pk(org_id, message_id, candidate_id), f"OUTBOX#{message_id}", OutboxMessage)

    def list_candidate_messages(self, org_id: str, candidate_id: str, limit: int = 50) -> list[OutboxMessage]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": candidate_pk(org_id, candidate_id)}, ":sk": {"S": "OUTBOX#"}},
            ConsistentRead=True,
            ScanIndexForward=False,  # ids sort by creation time: newest first
            Limit=limit,
        )
        return [OutboxMessage.model_validate(decode(i)) for i in page["Items"]]

    def list_due_messages(self, now: datetime, limit: int) -> list[OutboxMessage]:
        # "~" sorts after "#": every message due at or before now.
        return [OutboxMessage.model_validate(i) for i in self._sorted_before(GSI_DUE, OUTBOX_DUE, f"{now.isoformat()}~", limit)]
