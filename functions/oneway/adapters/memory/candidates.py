"""Candidates and their partition, and the media still processing, in memory."""

from __future__ import annotations

from datetime import datetime

from ...domain.keys import TakeRef
from ...domain.models import (
    Candidate,
    CandidateFile,
    CandidateStatus,
    FollowUpRound,
    Interview,
    Page,
    QuestionMedia,
    Reminder,
    Take,
)
from ..dynamo.codec import CANDIDATE_PAGE, candidate_file, from_item
from ..dynamo.keys import FOLLOW_UP, GSI_DUE, GSI_OWNER, GSI_TOKEN, PROCESSING, REMIND, candidate_pk
from .table import MemoryTable, typed


class Candidates(MemoryTable):
    def get_candidate(self, org_id: str, candidate_id: str) -> Candidate | None:
        return self._one(candidate_pk(org_id, candidate_id), "META", Candidate)

    def find_candidate_by_token(self, token_hash: str) -> Candidate | None:
        hits = self._index(GSI_TOKEN, f"TOKEN#{token_hash}")
        return typed(hits[0], Candidate) if hits else None

    def list_candidates(
        self, org_id: str, interview_id: str, status: CandidateStatus | None, cursor: str | None, limit: int
    ) -> Page[Candidate]:
        pk = f"ORG#{org_id}#INTERVIEW#{interview_id}"
        prefix = f"{status.value}#" if status else ""
        items = self._index(GSI_OWNER, pk, lambda sk: sk.startswith(prefix))
        page, nxt = self._page(items, ("gsi2pk", "gsi2sk", "pk", "sk"), cursor, ("gsi2pk", pk), limit)
        return CANDIDATE_PAGE(items=[Candidate.model_validate(i) for i in page], next_cursor=nxt)

    def get_candidate_file(self, org_id: str, candidate_id: str) -> CandidateFile | None:
        return candidate_file(self._partition(candidate_pk(org_id, candidate_id)))

    def get_take(self, ref: TakeRef) -> Take | None:
        return self._one(candidate_pk(ref.org_id, ref.candidate_id), f"ANSWER#{ref.question_id}#TAKE#{ref.take_id}", Take)

    def get_take_and_interview(self, ref: TakeRef) -> tuple[Take | None, Interview | None]:
        return self.get_take(ref), self._one(f"ORG#{ref.org_id}", f"INTERVIEW#{ref.interview_id}", Interview)

    def list_processing_takes(self, started_before: datetime, limit: int) -> list[Take | QuestionMedia]:
        return [from_item(i) for i in self._sorted_before(GSI_DUE, PROCESSING, started_before.isoformat(), limit)]  # type: ignore[misc]

    def get_reminder(self, org_id: str, candidate_id: str) -> Reminder | None:
        return self._one(candidate_pk(org_id, candidate_id), "REMINDER", Reminder)

    def list_due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        # "~" sorts after "#": every reminder due at or before now.
        return [Reminder.model_validate(i) for i in self._sorted_before(GSI_DUE, REMIND, f"{now.isoformat()}~", limit)]

    def get_follow_up_media(self, org_id: str, candidate_id: str, media_id: str) -> QuestionMedia | None:
        return self._one(candidate_pk(org_id, candidate_id), f"QMEDIA#{media_id}", QuestionMedia)

    def list_follow_ups(self, org_id: str, candidate_id: str) -> list[FollowUpRound]:
        return [FollowUpRound.model_validate(i) for i in self._partition(candidate_pk(org_id, candidate_id), FOLLOW_UP)]
