"""Interviews, counters, question videos and the question bank, in memory."""

from __future__ import annotations

from datetime import datetime

from ...domain.models import BankQuestion, Interview, InterviewDraft, InterviewTemplate, Page, QuestionMedia, Reminder
from ..dynamo.codec import INTERVIEW_PAGE
from ..dynamo.keys import GSI_OWNER, QMEDIA_LOOSE, deadlines_pk, utc_iso
from .table import MemoryTable


class Interviews(MemoryTable):
    def get_interview(self, org_id: str, interview_id: str) -> Interview | None:
        return self._one(f"ORG#{org_id}", f"INTERVIEW#{interview_id}", Interview)

    def list_interviews(self, org_id: str, cursor: str | None, limit: int) -> Page[Interview]:
        pk = f"ORG#{org_id}"
        items = self._partition(pk, "INTERVIEW#", newest_first=True)
        page, nxt = self._page(items, ("pk", "sk"), cursor, ("pk", pk), limit, newest_first=True)
        return INTERVIEW_PAGE(items=[Interview.model_validate(i) for i in page], next_cursor=nxt)

    def get_counters(self, org_id: str, interview_id: str) -> dict[str, int]:
        item = self._get(f"ORG#{org_id}#INTERVIEW#{interview_id}", "STATS") or {}
        return {k: v for k, v in item.items() if k not in ("pk", "sk")}

    def get_counters_many(self, org_id: str, interview_ids: list[str]) -> dict[str, dict[str, int]]:
        found = {iid: self._get(f"ORG#{org_id}#INTERVIEW#{iid}", "STATS") for iid in interview_ids}
        return {iid: {k: v for k, v in item.items() if k not in ("pk", "sk")} for iid, item in found.items() if item}

    def next_deadline(self, org_id: str, interview_id: str, after: datetime) -> datetime | None:
        # "~" sorts after "#": a deadline at ``after`` itself has passed.
        hits = self._index(GSI_OWNER, deadlines_pk(org_id, interview_id), lambda sk: sk > f"{utc_iso(after)}~")[:1]
        return Reminder.model_validate(hits[0]).deadline if hits else None

    def get_question_media(self, org_id: str, interview_id: str, media_id: str) -> QuestionMedia | None:
        return self._one(f"ORG#{org_id}#INTERVIEW#{interview_id}", f"QMEDIA#{media_id}", QuestionMedia)

    def list_question_media(self, org_id: str, interview_id: str, limit: int = 200) -> list[QuestionMedia]:
        items = self._partition(f"ORG#{org_id}#INTERVIEW#{interview_id}", "QMEDIA#")[:limit]
        return [QuestionMedia.model_validate(i) for i in items]

    def list_loose_question_media(self, created_before: datetime, limit: int) -> list[QuestionMedia]:
        return [QuestionMedia.model_validate(i) for i in self._sorted_before(GSI_OWNER, QMEDIA_LOOSE, created_before.isoformat(), limit)]

    def list_bank(self, org_id: str, limit: int = 500) -> list[BankQuestion]:
        return [BankQuestion.model_validate(i) for i in self._partition(f"ORG#{org_id}", "BANK#")[:limit]]

    def get_bank_question(self, org_id: str, question_id: str) -> BankQuestion | None:
        return self._one(f"ORG#{org_id}", f"BANK#{question_id}", BankQuestion)

    def list_templates(self, org_id: str, limit: int = 200) -> list[InterviewTemplate]:
        return [InterviewTemplate.model_validate(i) for i in self._partition(f"ORG#{org_id}", "TEMPLATE#")[:limit]]

    def get_template(self, org_id: str, template_id: str) -> InterviewTemplate | None:
        return self._one(f"ORG#{org_id}", f"TEMPLATE#{template_id}", InterviewTemplate)

    def get_draft(self, org_id: str, interview_id: str) -> InterviewDraft | None:
        return self._one(f"ORG#{org_id}#INTERVIEW#{interview_id}", "DRAFT", InterviewDraft)
