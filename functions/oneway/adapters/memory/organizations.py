"""Organizations and their members, in memory."""

from __future__ import annotations

from ...domain.models import Member, Organization
from ..dynamo.keys import GSI_OWNER
from .table import MemoryTable


class Organizations(MemoryTable):
    def get_organization(self, org_id: str) -> Organization | None:
        return self._one(f"ORG#{org_id}", "META", Organization)

    def get_member(self, user_id: str) -> Member | None:
        return self._one(f"USER#{user_id}", "META", Member)

    def list_members(self, org_id: str, limit: int = 500) -> list[Member]:
        return [Member.model_validate(i) for i in self._index(GSI_OWNER, f"ORG#{org_id}#MEMBERS")[:limit]]
