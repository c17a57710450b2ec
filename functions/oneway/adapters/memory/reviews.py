"""Ratings and assignments, in memory."""

from __future__ import annotations

from ...domain.models import Assignment, Rating
from ..dynamo.keys import GSI_OWNER
from .table import MemoryTable


class Reviews(MemoryTable):
    def list_ratings(self, org_id: str, interview_id: str, limit: int = 5000) -> list[Rating]:
        return [Rating.model_validate(i) for i in self._index(GSI_OWNER, f"ORG#{org_id}#INTERVIEW#{interview_id}#RATINGS")[:limit]]

    def list_assignments(self, org_id: str, reviewer_id: str, limit: int = 500) -> list[Assignment]:
        return [Assignment.model_validate(i) for i in self._index(GSI_OWNER, f"ORG#{org_id}#REVIEWER#{reviewer_id}")[:limit]]
