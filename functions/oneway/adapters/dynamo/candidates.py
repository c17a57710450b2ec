"""Candidates and everything in their partition: takes, text answers, reminders; the media still processing."""

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
from .codec import CANDIDATE_PAGE, candidate_file, decode, from_item, typed
from .keys import FOLLOW_UP, GSI_DUE, GSI_OWNER, PROCESSING, REMIND, candidate_pk
from .table import Table

TOKEN_OWNERS_KEPT = 10_000  # about 1 MB of a warm function's memory


class Candidates(Table):
    def get_candidate(self, org_id: str, candidate_id: str) -> Candidate | None:
        return self._one(candidate_pk(org_id, candidate_id), "META", Candidate)

    def find_candidate_by_token(self, token_hash: str) -> Candidate | None:
        owner = self._token_owners.get(token_hash)
        if owner is None:
            hit = self._token_hit(f"TOKEN#{token_hash}")
            if hit is None:
                return None
            owner = (hit["org_id"], hit["candidate_id"])
        # Read the item itself for its current state (a new or revoked token, or an erasure, counts at once).
        current = self.get_candidate(*owner)
        if current is None or current.token_hash != token_hash:
            self._token_owners.pop(token_hash, None)
            return None
        if len(self._token_owners) >= TOKEN_OWNERS_KEPT:
            self._token_owners.pop(next(iter(self._token_owners)))  # the oldest
        self._token_owners[token_hash] = owner
        return current

    def list_candidates(
        self, org_id: str, interview_id: str, status: CandidateStatus | None, cursor: str | None, limit: int
    ) -> Page[Candidate]:
        pk = f"ORG#{org_id}#INTERVIEW#{interview_id}"
        cond, values = "gsi2pk = :pk", {":pk": {"S": pk}}
        if status:
            cond += " AND begins_with(gsi2sk, :st)"
            values[":st"] = {"S": f"{status.value}#"}
        items, nxt = self._query(
            cursor_key=("gsi2pk", pk),
            cursor=cursor,
            limit=limit,
            IndexName=GSI_OWNER,
            KeyConditionExpression=cond,
            ExpressionAttributeValues=values,
        )
        return CANDIDATE_PAGE(items=[Candidate.model_validate(i) for i in items], next_cursor=nxt)

    def get_candidate_file(self, org_id: str, candidate_id: str) -> CandidateFile | None:
        items: list[dict] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": candidate_pk(org_id, candidate_id)}},
            ConsistentRead=True,
        ):
            items += [decode(i) for i in page["Items"]]
        return candidate_file(items)

    def get_take(self, ref: TakeRef) -> Take | None:
        return self._one(candidate_pk(ref.org_id, ref.candidate_id), f"ANSWER#{ref.question_id}#TAKE#{ref.take_id}", Take)

    def get_take_and_interview(self, ref: TakeRef) -> tuple[Take | None, Interview | None]:
        take_key = (candidate_pk(ref.org_id, ref.candidate_id), f"ANSWER#{ref.question_id}#TAKE#{ref.take_id}")
        interview_key = (f"ORG#{ref.org_id}", f"INTERVIEW#{ref.interview_id}")
        items = self._get_many([take_key, interview_key])
        return typed(items.get(take_key), Take), typed(items.get(interview_key), Interview)

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
        # A candidate has a few rounds (one waits at a time): one page of one partition, read consistently.
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": candidate_pk(org_id, candidate_id)}, ":sk": {"S": FOLLOW_UP}},
            ConsistentRead=True,
        )
        return [FollowUpRound.model_validate(decode(i)) for i in page["Items"]]
