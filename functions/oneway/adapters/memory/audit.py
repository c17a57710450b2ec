"""The audit log (append only) and the rate counters, in memory."""

from __future__ import annotations

import copy
import json
from datetime import datetime

from ...domain.errors import StaleWrite
from ...domain.models import AuditEvent, Page
from ..dynamo.audit import AUDIT_PAGE_READS
from ..dynamo.codec import AUDIT_PAGE
from ..dynamo.keys import LIMIT
from .table import MemoryTable, cursor_in, cursor_out


class Audit(MemoryTable):
    def append_audit(self, event: AuditEvent) -> None:
        item = json.loads(event.model_dump_json()) | {
            "pk": f"ORG#{event.org_id}#AUDIT#{event.at:%Y-%m}",
            "sk": f"{event.at.isoformat()}#{event.event_id}",
            "type": "AuditEvent",
        }
        with self._lock:
            if (item["pk"], item["sk"]) in self._audit_items:  # the table's condition: an entry is never replaced
                raise StaleWrite("an audit entry is never replaced")
            self._audit_items[(item["pk"], item["sk"])] = item

    def list_audit(self, org_id: str, month: str, limit: int) -> list[AuditEvent]:
        return self.audit_page(org_id, month, limit=limit).items

    def audit_page(
        self, org_id: str, month: str, *, actor: str | None = None, action: str | None = None, cursor: str | None = None, limit: int = 100
    ) -> Page[AuditEvent]:
        """As the DynamoDB adapter reads it: at most AUDIT_PAGE_READS reads, each of the entries still wanted,
        the filters applied to what each read evaluated."""
        pk = f"ORG#{org_id}#AUDIT#{month}"
        with self._lock:
            entries = sorted((copy.deepcopy(i) for (p, _), i in self._audit_items.items() if p == pk), key=lambda i: i["sk"], reverse=True)
        prefix = action if action and action.endswith(".") else f"{action}."

        def wanted(i: dict) -> bool:
            return (not actor or i.get("actor") == actor) and (not action or i.get("action") == action or i.get("action", "").startswith(prefix))

        start = cursor_in(cursor, ("pk", pk))
        if start is not None:
            entries = [i for i in entries if i["sk"] < start.get("sk", "")]
        found: list[AuditEvent] = []
        last = None
        for _ in range(AUDIT_PAGE_READS):
            read, entries = entries[: limit - len(found)], entries[limit - len(found) :]
            found += [AuditEvent.model_validate(i) for i in read if wanted(i)]
            last = read[-1] if read and entries else None
            if last is None or len(found) >= limit:
                break
        return AUDIT_PAGE(items=found, next_cursor=cursor_out(last, ("pk", "sk")) if last else None)

    def add_count(self, name: str, window: str, expires_at: datetime) -> int:
        key = (f"{LIMIT}#{name}", window)
        with self._lock:
            item = self._items.setdefault(key, {"pk": key[0], "sk": key[1], "hits": 0})
            item["hits"] += 1
            item["ttl"] = int(expires_at.timestamp())
            return item["hits"]
