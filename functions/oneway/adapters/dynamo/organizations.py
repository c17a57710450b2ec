"""Organizations and their members."""

from __future__ import annotations

from ...domain.models import Member, Organization
from .table import Table


class Organizations(Table):
    def get_organization(self, org_id: str) -> Organization | None:
        return self._one(f"ORG#{org_id}", "META", Organization)

    def get_member(self, user_id: str) -> Member | None:
        return self._one(f"USER#{user_id}", "META", Member)

    def list_members(self, org_id: str, limit: int = 500) -> list[Member]:
        return self._owner_partition(f"ORG#{org_id}#MEMBERS", Member, limit)
