"""Interviews, their analytics counters, their question videos, and the organization's question bank."""

from __future__ import annotations

from datetime import datetime

from ...domain.models import BankQuestion, Interview, InterviewDraft, InterviewTemplate, Page, QuestionMedia, Reminder
from .codec import INTERVIEW_PAGE, decode
from .keys import GSI_OWNER, QMEDIA_LOOSE, deadlines_pk, utc_iso
from .table import Table


class Interviews(Table):
    def get_interview(self, org_id: str, interview_id: str) -> Interview | None:
        return self._one(f"ORG#{org_id}", f"INTERVIEW#{interview_id}", Interview)

    def list_interviews(self, org_id: str, cursor: str | None, limit: int) -> Page[Interview]:
        pk = f"ORG#{org_id}"
        items, nxt = self._query(
            cursor_key=("pk", pk),
            cursor=cursor,
            limit=limit,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": pk}, ":sk": {"S": "INTERVIEW#"}},
            ScanIndexForward=False,
        )
        return INTERVIEW_PAGE(items=[Interview.model_validate(i) for i in items], next_cursor=nxt)

    def get_counters(self, org_id: str, interview_id: str) -> dict[str, int]:
        item = self._get(f"ORG#{org_id}#INTERVIEW#{interview_id}", "STATS") or {}
        return {k: v for k, v in item.items() if k not in ("pk", "sk")}

    def get_counters_many(self, org_id: str, interview_ids: list[str]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for i in range(0, len(interview_ids), 100):  # BatchGetItem takes up to 100 keys
            keys = [(f"ORG#{org_id}#INTERVIEW#{iid}", "STATS") for iid in interview_ids[i : i + 100]]
            for (pk, _), item in self._get_many(keys).items():
                out[pk.rsplit("#", 1)[1]] = {k: v for k, v in item.items() if k not in ("pk", "sk")}
        return out

    def next_deadline(self, org_id: str, interview_id: str, after: datetime) -> datetime | None:
        # "~" sorts after "#": a deadline at ``after`` itself has passed.
        page = self._db.query(
            TableName=self._table,
            IndexName=GSI_OWNER,
            KeyConditionExpression="gsi2pk = :pk AND gsi2sk > :after",
            ExpressionAttributeValues={":pk": {"S": deadlines_pk(org_id, interview_id)}, ":after": {"S": f"{utc_iso(after)}~"}},
            Limit=1,
        )
        return Reminder.model_validate(decode(page["Items"][0])).deadline if page["Items"] else None

    def get_question_media(self, org_id: str, interview_id: str, media_id: str) -> QuestionMedia | None:
        return self._one(f"ORG#{org_id}#INTERVIEW#{interview_id}", f"QMEDIA#{media_id}", QuestionMedia)

    def list_question_media(self, org_id: str, interview_id: str, limit: int = 200) -> list[QuestionMedia]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}#INTERVIEW#{interview_id}"}, ":sk": {"S": "QMEDIA#"}},
            ConsistentRead=True,
            Limit=limit,
        )
        return [QuestionMedia.model_validate(decode(i)) for i in page["Items"]]

    def list_loose_question_media(self, created_before: datetime, limit: int) -> list[QuestionMedia]:
        return [QuestionMedia.model_validate(i) for i in self._sorted_before(GSI_OWNER, QMEDIA_LOOSE, created_before.isoformat(), limit)]

    def list_bank(self, org_id: str, limit: int = 500) -> list[BankQuestion]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}"}, ":sk": {"S": "BANK#"}},
            Limit=limit,
        )
        return [BankQuestion.model_validate(decode(i)) for i in page["Items"]]

    def get_bank_question(self, org_id: str, question_id: str) -> BankQuestion | None:
        return self._one(f"ORG#{org_id}", f"BANK#{question_id}", BankQuestion)

    def list_templates(self, org_id: str, limit: int = 200) -> list[InterviewTemplate]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}"}, ":sk": {"S": "TEMPLATE#"}},
            Limit=limit,
        )
        return [InterviewTemplate.model_validate(decode(i)) for i in page["Items"]]

    def get_template(self, org_id: str, template_id: str) -> InterviewTemplate | None:
        return self._one(f"ORG#{org_id}", f"TEMPLATE#{template_id}", InterviewTemplate)

    def get_draft(self, org_id: str, interview_id: str) -> InterviewDraft | None:
        return self._one(f"ORG#{org_id}#INTERVIEW#{interview_id}", "DRAFT", InterviewDraft)
