"""The audit log (a table of its own, append only) and the rate counters."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from botocore.exceptions import ClientError

from ...domain.models import AuditEvent, Page
from .codec import AUDIT_PAGE, cursor_in, cursor_out, decode, encode
from .keys import LIMIT
from .table import Table

# An audit page reads at most this many times ``limit`` entries to find ``limit`` that match its filters.
AUDIT_PAGE_READS = 10


class Audit(Table):
    def append_audit(self, event: AuditEvent) -> None:
        """Add an entry to the audit table; a put that would replace an existing entry is refused."""
        item = json.loads(event.model_dump_json(), parse_float=Decimal)
        item |= {
            "pk": f"ORG#{event.org_id}#AUDIT#{event.at:%Y-%m}",
            "sk": f"{event.at.isoformat()}#{event.event_id}",
            "type": "AuditEvent",
        }
        self._db.put_item(TableName=self._audit_table(), Item=encode(item), ConditionExpression="attribute_not_exists(pk)")

    def list_audit(self, org_id: str, month: str, limit: int) -> list[AuditEvent]:
        return self.audit_page(org_id, month, limit=limit).items

    def audit_page(
        self, org_id: str, month: str, *, actor: str | None = None, action: str | None = None, cursor: str | None = None, limit: int = 100
    ) -> Page[AuditEvent]:
        """One page of an organization's month, newest first, of the entries by ``actor`` whose action is or
        begins with ``action`` (``member.`` for every member action). Each read asks for no more than the
        entries still wanted, so a page never skips an entry; at most AUDIT_PAGE_READS reads a page."""
        pk = f"ORG#{org_id}#AUDIT#{month}"
        conditions, names, values = [], {}, {":pk": {"S": pk}}
        if actor:
            conditions.append("#actor = :actor")
            names["#actor"], values[":actor"] = "actor", {"S": actor}
        if action:
            conditions.append("(#action = :action OR begins_with(#action, :prefix))")
            names["#action"], values[":action"] = "action", {"S": action}
            values[":prefix"] = {"S": action if action.endswith(".") else f"{action}."}
        filters = {"FilterExpression": " AND ".join(conditions), "ExpressionAttributeNames": names} if conditions else {}
        found: list[AuditEvent] = []
        start = cursor_in(cursor, ("pk", pk))
        for _ in range(AUDIT_PAGE_READS):
            page = self._db.query(
                TableName=self._audit_table(),
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues=values,
                ScanIndexForward=False,
                Limit=limit - len(found),
                **filters,
                **({"ExclusiveStartKey": start} if start else {}),
            )
            found += [AuditEvent.model_validate(decode(i)) for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        return AUDIT_PAGE(items=found, next_cursor=cursor_out(start))

    def move_legacy_audit(self) -> int:
        """Move the audit entries that versions before the audit table kept in the main table into the audit
        table (each put refuses an existing key, so a second run moves nothing twice), deleting each from the
        main table once it is in the audit table. An operator's one-off upgrade step (``oneway admin
        move-audit``): it scans the main table, which no function ever does."""
        moved = 0
        for page in self._db.get_paginator("scan").paginate(
            TableName=self._table,
            FilterExpression="#type = :audit AND begins_with(pk, :org)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={":audit": {"S": "AuditEvent"}, ":org": {"S": "ORG#"}},
        ):
            for item in page["Items"]:
                try:
                    self._db.put_item(TableName=self._audit_table(), Item=item, ConditionExpression="attribute_not_exists(pk)")
                except ClientError as err:
                    if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise
                self._db.delete_item(TableName=self._table, Key={"pk": item["pk"], "sk": item["sk"]})
                moved += 1
        return moved

    def add_count(self, name: str, window: str, expires_at: datetime) -> int:
        answer = self._db.update_item(
            TableName=self._table,
            Key=encode({"pk": f"{LIMIT}#{name}", "sk": window}),
            UpdateExpression="ADD hits :one SET #ttl = :ttl",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":ttl": {"N": str(int(expires_at.timestamp()))}},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["hits"]["N"])
