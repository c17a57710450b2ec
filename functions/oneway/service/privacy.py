"""Erasure on request and retention."""

from __future__ import annotations

from ..domain import keys
from ..domain.errors import NotFound
from ..domain.models import Actor
from ..ports import Ports
from . import audit, interviews


def erase_candidate(p: Ports, actor: Actor, candidate_id: str) -> dict[str, int]:
    """Delete every object version and every item of one candidate."""
    actor.require(*interviews.MANAGERS)
    cand = p.store.get_candidate(actor.org_id, candidate_id)
    if cand is None:
        raise NotFound("no such candidate", "candidate_not_found")
    objects = p.objects.delete_prefix(keys.candidate_prefix(cand.org_id, cand.interview_id, cand.candidate_id))
    items = p.store.delete_candidate(cand.org_id, cand.candidate_id)
    audit.record(p, actor.org_id, actor.user_id, "candidate.erased", candidate_id, objects=objects, items=items)
    return {"objects": objects, "items": items}
