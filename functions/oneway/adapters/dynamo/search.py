"""The transcript index: one item per (word, candidate, question)."""

from __future__ import annotations

from typing import Any

from .codec import encode
from .table import Table


class Search(Table):
    def _postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words, request: str) -> None:
        keys = [
            {"pk": f"ORG#{org_id}#INTERVIEW#{interview_id}#WORD#{w}", "sk": f"{candidate_id}#{question_id}"} for w in sorted(words)
        ]
        for i in range(0, len(keys), 25):
            batch = [
                {"PutRequest": {"Item": encode({**k, "type": "Posting", "candidate_id": candidate_id})}}
                if request == "put"
                else {"DeleteRequest": {"Key": encode(k)}}
                for k in keys[i : i + 25]
            ]
            pending: dict[str, Any] | None = {self._table: batch}
            while pending:
                pending = self._db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None

    def put_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words) -> None:
        self._postings(org_id, interview_id, candidate_id, question_id, words, "put")

    def delete_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words) -> None:
        self._postings(org_id, interview_id, candidate_id, question_id, words, "delete")

    def find_postings(self, org_id: str, interview_id: str, word: str, limit: int) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}#INTERVIEW#{interview_id}#WORD#{word}"}},
            ProjectionExpression="sk",
        ):
            out += [tuple(i["sk"]["S"].rsplit("#", 1)) for i in page["Items"]]
            if len(out) >= limit:
                break
        return out[:limit]
