"""The transcript index, in memory."""

from __future__ import annotations

from .table import MemoryTable


class Search(MemoryTable):
    @staticmethod
    def _posting(org_id: str, interview_id: str, candidate_id: str, question_id: str, word: str) -> tuple[str, str]:
        return f"ORG#{org_id}#INTERVIEW#{interview_id}#WORD#{word}", f"{candidate_id}#{question_id}"

    def put_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words) -> None:
        with self._lock:
            for w in words:
                pk, sk = self._posting(org_id, interview_id, candidate_id, question_id, w)
                self._items[(pk, sk)] = {"pk": pk, "sk": sk, "type": "Posting", "candidate_id": candidate_id}

    def delete_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words) -> None:
        with self._lock:
            for w in words:
                self._items.pop(self._posting(org_id, interview_id, candidate_id, question_id, w), None)

    def find_postings(self, org_id: str, interview_id: str, word: str, limit: int) -> list[tuple[str, str]]:
        items = self._partition(f"ORG#{org_id}#INTERVIEW#{interview_id}#WORD#{word}")[:limit]
        return [tuple(i["sk"].rsplit("#", 1)) for i in items]
