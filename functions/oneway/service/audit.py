"""The audit log: who saw and did what. Append-only: no use case or route edits or deletes an entry."""

from __future__ import annotations

import re
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.models import Actor, AuditEvent, Role
from ..domain.tokens import new_id
from ..ports import Ports
from .views import AuditEntryView, AuditList

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def record(p: Ports, org_id: str, actor: str, action: str, target: str, **detail: Any) -> None:
    p.store.append_audit(
        AuditEvent(org_id=org_id, event_id=new_id(), at=p.clock.now(), actor=actor, action=action, target=target, detail=detail)
    )


def list_month(p: Ports, actor: Actor, month: str | None, limit: int) -> AuditList:
    """One month of the organization's audit log, newest first (admins only)."""
    actor.require(Role.admin)
    month = month or p.clock.now().strftime("%Y-%m")
    if not MONTH.match(month):
        raise InvalidInput("month is YYYY-MM", "bad_month")
    events = p.store.list_audit(actor.org_id, month, limit)
    return AuditList(
        month=month,
        items=[AuditEntryView(**e.model_dump(include={"event_id", "at", "actor", "action", "target", "detail"})) for e in events],
    )
