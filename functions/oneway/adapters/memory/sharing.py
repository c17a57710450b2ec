"""Share links, in memory."""

from __future__ import annotations

from ...domain.models import Share
from ..dynamo.keys import GSI_OWNER, GSI_TOKEN
from .table import MemoryTable, typed


class Sharing(MemoryTable):
    def find_share_by_token(self, token_hash: str) -> Share | None:
        hits = self._index(GSI_TOKEN, f"SHARE#{token_hash}")
        return typed(hits[0], Share) if hits else None

    def list_shares_by(self, org_id: str, user_id: str, limit: int = 1000) -> list[Share]:
        return [Share.model_validate(i) for i in self._index(GSI_OWNER, f"ORG#{org_id}#SHARES_BY#{user_id}")[:limit]]
