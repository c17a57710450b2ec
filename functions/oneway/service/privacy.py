"""Erasure on request and retention."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..domain import keys
from ..domain.errors import NotFound
from ..domain.models import Actor
from ..ports import Ports
from . import audit, erasure, interviews, question_media, review, search

if TYPE_CHECKING:  # the API's views load when a route needs them, not with the pipeline's functions
    from .views import CandidateExport

SYSTEM = "oneway:retention"
# Key attributes and the token hash say nothing about the person; the rest of every item is theirs.
_INTERNAL = {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", "version", "ttl", "token_hash", "secret_hash"}
CATCH_UP_DAYS = 14  # a retention run also covers days missed while it did not run


def erase_candidate(p: Ports, actor: Actor, candidate_id: str) -> dict[str, int]:
    """Erasure on request: every object version and every item of one candidate."""
    actor.require(*interviews.MANAGERS)
    return _erase(p, actor.org_id, candidate_id, actor.user_id, "request")


def export_candidate(p: Ports, actor: Actor, candidate_id: str) -> CandidateExport:
    """An access request: every item stored about the candidate, and a download link for every object."""
    from .views import CandidateExport, ExportedObject

    actor.require(*interviews.MANAGERS)
    review.require_sighted(actor)
    cand = p.store.get_candidate(actor.org_id, candidate_id)
    if cand is None:
        raise NotFound("no such candidate", "candidate_not_found")
    items = [{k: v for k, v in item.items() if k not in _INTERNAL} for item in p.store.candidate_items(cand.org_id, cand.candidate_id)]
    found = p.objects.export_objects(keys.candidate_prefix(cand.org_id, cand.interview_id, cand.candidate_id))
    audit.record(p, actor.org_id, actor.user_id, "candidate.exported", candidate_id, items=len(items), objects=len(found))
    return CandidateExport(
        candidate_id=candidate_id,
        exported_at=p.clock.now(),
        url_expires_in_seconds=p.settings.download_seconds,
        items=items,
        objects=[ExportedObject(bucket=b, key=k, size=n, url=u) for b, k, n, u in found],
    )


def _erase(p: Ports, org_id: str, candidate_id: str, by: str, why: str) -> dict[str, int]:
    file = p.store.get_candidate_file(org_id, candidate_id)
    if file is None:
        raise NotFound("no such candidate", "candidate_not_found")
    cand = file.candidate
    # First the marker (and the running jobs canceled), then the items, then the objects: a job result
    # that comes before the items go is recorded and its outputs deleted with the rest; one that comes
    # after finds no take but the marker, and deletes its outputs itself (erasure.py).
    erasure.mark(p, file)
    search.forget_candidate(p, file)  # the transcript index lives outside the candidate's partition
    items = p.store.delete_candidate(cand.org_id, cand.candidate_id)
    objects = p.objects.delete_prefix(keys.candidate_prefix(cand.org_id, cand.interview_id, cand.candidate_id))
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
    question_media.sweep_loose(p)  # question videos recorded in a builder and never saved
    return erased
