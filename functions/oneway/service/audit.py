"""The audit log: who saw and did what. Append-only; no use case edits it."""

from __future__ import annotations

from typing import Any

from ..domain.models import AuditEvent
from ..domain.tokens import new_id
from ..ports import Ports


def record(p: Ports, org_id: str, actor: str, action: str, target: str, **detail: Any) -> None:
    p.store.append_audit(
        AuditEvent(org_id=org_id, event_id=new_id(), at=p.clock.now(), actor=actor, action=action, target=target, detail=detail)
    )
