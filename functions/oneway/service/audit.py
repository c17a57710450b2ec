"""The audit log: who saw and did what. Append-only: no use case or route edits or deletes an entry, and
the table it lives in lets the functions add entries only (infra/oneway_infra/data.py).

An entry names people and things by id (members by user id, candidates by candidate id), never by name
or email, so that it can outlive a candidate's erasure and a member's removal: it records that they
happened without keeping the personal data they removed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import TYPE_CHECKING, Any

from ..domain.cells import spreadsheet_safe
from ..domain.errors import InvalidInput
from ..domain.models import Actor, AuditEvent, Role
from ..domain.tokens import new_id
from ..ports import Ports

if TYPE_CHECKING:  # the API's views load when a route needs them, not with the pipeline's functions
    from .views import AuditEntryView, AuditList

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The CSV export of one month: at most this many entries, read a page at a time.
CSV_MAX_ENTRIES = 20_000
CSV_COLUMNS = ("at", "actor", "action", "target", "detail", "event_id")


def record(p: Ports, org_id: str, actor: str, action: str, target: str, **detail: Any) -> None:
    p.store.append_audit(
        AuditEvent(org_id=org_id, event_id=new_id(), at=p.clock.now(), actor=actor, action=action, target=target, detail=detail)
    )


def change(before: Any, after: Any) -> dict[str, Any]:
    """A detail that says what a value was and what it became."""
    return {"from": before, "to": after}


def _month(p: Ports, month: str | None) -> str:
    month = month or p.clock.now().strftime("%Y-%m")
    if not MONTH.match(month):
        raise InvalidInput("month is YYYY-MM", "bad_month")
    return month


def _entry(e: AuditEvent) -> AuditEntryView:
    from .views import AuditEntryView

    return AuditEntryView(**e.model_dump(include={"event_id", "at", "actor", "action", "target", "detail"}))


def list_month(
    p: Ports,
    actor: Actor,
    month: str | None,
    limit: int,
    *,
    by: str | None = None,
    action: str | None = None,
    cursor: str | None = None,
) -> AuditList:
    """One page of a month of the organization's audit log, newest first (admins only), of the entries by
    member ``by`` and of ``action`` (an action, or a family such as ``member``)."""
    from .views import AuditList

    actor.require(Role.admin)
    month = _month(p, month)
    page = p.store.audit_page(actor.org_id, month, actor=by, action=action, cursor=cursor, limit=limit)
    return AuditList(month=month, items=[_entry(e) for e in page.items], next_cursor=page.next_cursor)


def export_csv(p: Ports, actor: Actor, month: str | None, *, by: str | None = None, action: str | None = None) -> str:
    """A month of the audit log as CSV, newest first as on the page; every cell spreadsheet-safe. Exporting
    the audit log is a bulk export too: it is audited."""
    actor.require(Role.admin)
    month = _month(p, month)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    cursor, rows = None, 0
    while rows < CSV_MAX_ENTRIES:
        page = p.store.audit_page(actor.org_id, month, actor=by, action=action, cursor=cursor, limit=100)
        for e in page.items:
            detail = json.dumps(e.detail, sort_keys=True, separators=(",", ":"), default=str) if e.detail else ""
            w.writerow([spreadsheet_safe(v) for v in (e.at.isoformat(), e.actor, e.action, e.target, detail, e.event_id)])
        rows += len(page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    filters = {k: v for k, v in (("filter_actor", by), ("filter_action", action)) if v}
    record(p, actor.org_id, actor.user_id, "audit.exported", actor.org_id, month=month, rows=rows, **filters)
    return out.getvalue()
