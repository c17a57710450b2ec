"""Retention and erasure: a candidate's items, the markers erasures leave, an organization's items."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ...domain.models import ErasureMarker
from .keys import GSI_DUE, GSI_OWNER, RETAIN, SWEEP, candidate_pk
from .table import Table


class Erasure(Table):
    def candidate_items(self, org_id: str, candidate_id: str) -> list[dict[str, Any]]:
        return self._partition(candidate_pk(org_id, candidate_id))

    def delete_candidate(self, org_id: str, candidate_id: str) -> int:
        return self._delete_keys(self._partition(candidate_pk(org_id, candidate_id), keys_only=True))

    def list_due_for_erasure(self, day: date, limit: int) -> list[tuple[str, str]]:
        page = self._db.query(
            TableName=self._table,
            IndexName=GSI_DUE,
            KeyConditionExpression="gsi3pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"{RETAIN}#{day.isoformat()}"}},
            ProjectionExpression="org_id, candidate_id",
            Limit=limit,
        )
        return [(i["org_id"]["S"], i["candidate_id"]["S"]) for i in page["Items"]]

    def get_erasure(self, org_id: str, candidate_id: str) -> ErasureMarker | None:
        return self._one(f"ORG#{org_id}#ERASED#{candidate_id}", "ERASURE", ErasureMarker)

    def list_due_sweeps(self, now: datetime, limit: int) -> list[ErasureMarker]:
        # "~" sorts after "#": every sweep due at or before now.
        return [ErasureMarker.model_validate(i) for i in self._sorted_before(GSI_DUE, SWEEP, f"{now.isoformat()}~", limit)]

    def organization_items(self, org_id: str, since: date, until: date) -> list[dict[str, Any]]:
        """Every item of an organization in this table: its partition, each interview's and webhook's, its
        candidates', its members, and the audit months from ``since`` to ``until`` that versions before the audit
        table kept here. A candidate's word postings are not among them: they go with the candidate's erasure
        (``service/privacy.py``), which comes first. The audit table is not read: its entries (ids only) outlive
        the organization, as they outlive an erased candidate."""
        org = f"ORG#{org_id}"
        items = self._partition(org)
        for item in list(items):
            kind, _, ident = item["sk"].partition("#")
            if kind == "INTERVIEW":
                items += self._partition(f"{org}#INTERVIEW#{ident}")
                for candidate in self._index_partition(GSI_OWNER, f"{org}#INTERVIEW#{ident}"):
                    items += self._partition(candidate_pk(org_id, candidate["candidate_id"]))
            elif kind == "WEBHOOK":
                items += self._partition(f"{org}#WEBHOOK#{ident}")
        items += self._index_partition(GSI_OWNER, f"{org}#MEMBERS")
        month = date(since.year, since.month, 1)
        while month <= until:
            items += self._partition(f"{org}#AUDIT#{month:%Y-%m}")
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return items

    def delete_organization(self, org_id: str, since: date, until: date) -> int:
        """Delete ``organization_items``; returns how many there were."""
        keys = {(i["pk"], i["sk"]) for i in self.organization_items(org_id, since, until)}
        return self._delete_keys([{"pk": pk, "sk": sk} for pk, sk in sorted(keys)])
