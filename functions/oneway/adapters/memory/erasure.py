"""Retention and erasure, in memory."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ...domain.models import ErasureMarker
from ..dynamo.keys import GSI_DUE, RETAIN, SWEEP, candidate_pk
from .table import MemoryTable


class Erasure(MemoryTable):
    def list_due_for_erasure(self, day: date, limit: int) -> list[tuple[str, str]]:
        return [(i["org_id"], i["candidate_id"]) for i in self._index(GSI_DUE, f"{RETAIN}#{day.isoformat()}")[:limit]]

    def get_erasure(self, org_id: str, candidate_id: str) -> ErasureMarker | None:
        return self._one(f"ORG#{org_id}#ERASED#{candidate_id}", "ERASURE", ErasureMarker)

    def list_due_sweeps(self, now: datetime, limit: int) -> list[ErasureMarker]:
        return [ErasureMarker.model_validate(i) for i in self._sorted_before(GSI_DUE, SWEEP, f"{now.isoformat()}~", limit)]

    def candidate_items(self, org_id: str, candidate_id: str) -> list[dict[str, Any]]:
        return self._partition(candidate_pk(org_id, candidate_id))

    def delete_candidate(self, org_id: str, candidate_id: str) -> int:
        pk = candidate_pk(org_id, candidate_id)
        with self._lock:
            gone = [k for k in self._items if k[0] == pk]
            for k in gone:
                del self._items[k]
        return len(gone)
