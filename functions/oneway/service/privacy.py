"""Erasure on request and retention."""

from __future__ import annotations

from datetime import timedelta

from ..domain import keys
from ..domain.errors import NotFound
from ..domain.models import Actor
from ..ports import Ports
from . import audit, interviews


SYSTEM = "oneway:retention"
CATCH_UP_DAYS = 14  # a retention run also covers days missed while it did not run


def erase_candidate(p: Ports, actor: Actor, candidate_id: str) -> dict[str, int]:
    """Erasure on request: every object version and every item of one candidate."""
    actor.require(*interviews.MANAGERS)
    return _erase(p, actor.org_id, candidate_id, actor.user_id, "request")


def _erase(p: Ports, org_id: str, candidate_id: str, by: str, why: str) -> dict[str, int]:
    cand = p.store.get_candidate(org_id, candidate_id)
    if cand is None:
        raise NotFound("no such candidate", "candidate_not_found")
    objects = p.objects.delete_prefix(keys.candidate_prefix(cand.org_id, cand.interview_id, cand.candidate_id))
    items = p.store.delete_candidate(cand.org_id, cand.candidate_id)
    audit.record(p, org_id, by, "candidate.erased", candidate_id, objects=objects, items=items, reason=why)
    return {"objects": objects, "items": items}


def apply_retention(p: Ports, limit: int = 500) -> int:
    """Erase the candidates whose retention period has ended (today and the days before)."""
    today = p.clock.now().date()
    erased = 0
    for back in range(CATCH_UP_DAYS, -1, -1):
        for org_id, candidate_id in p.store.list_due_for_erasure(today - timedelta(days=back), limit - erased):
            try:
                _erase(p, org_id, candidate_id, SYSTEM, "retention")
                erased += 1
            except NotFound:
                continue
            if erased >= limit:
                return erased
    return erased
