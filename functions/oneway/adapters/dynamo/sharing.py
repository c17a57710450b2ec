"""Share links: found by their token's hash, listed by the member who made them."""

from __future__ import annotations

from ...domain.models import Share
from .keys import candidate_pk
from .table import Table


class Sharing(Table):
    def find_share_by_token(self, token_hash: str) -> Share | None:
        hit = self._token_hit(f"SHARE#{token_hash}")
        if hit is None:
            return None
        # Read the item itself (a revocation must count at once).
        current = self._one(candidate_pk(hit["org_id"], hit["candidate_id"]), f"SHARE#{hit['share_id']}", Share)
        return current if current and current.token_hash == token_hash else None

    def list_shares_by(self, org_id: str, user_id: str, limit: int = 1000) -> list[Share]:
        return self._owner_partition(f"ORG#{org_id}#SHARES_BY#{user_id}", Share, limit)
