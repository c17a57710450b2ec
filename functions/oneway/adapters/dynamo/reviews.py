"""Reviewers' ratings and assignments (the reviews themselves live in the candidate's partition)."""

from __future__ import annotations

from ...domain.models import Assignment, Rating
from .table import Table


class Reviews(Table):
    def list_ratings(self, org_id: str, interview_id: str, limit: int = 5000) -> list[Rating]:
        return self._owner_partition(f"ORG#{org_id}#INTERVIEW#{interview_id}#RATINGS", Rating, limit)

    def list_assignments(self, org_id: str, reviewer_id: str, limit: int = 500) -> list[Assignment]:
        return self._owner_partition(f"ORG#{org_id}#REVIEWER#{reviewer_id}", Assignment, limit)
