"""The shapes use cases take and give at the HTTP edge (camelCase on the wire).

One set of models serves the API's validation, its answers and the OpenAPI
document; the stored shapes live in ``domain/models.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from ..domain.models import CandidateStatus, Decision, QuestionKind, Role

Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class View(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Command(View):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# -- recruiter side ----------------------------------------------------------
class MeView(View):
    user_id: str
    email: str
    org_id: str
    org_name: str
    role: Role


class QuestionSpec(Command):
    prompt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    kind: QuestionKind = QuestionKind.video
    think_seconds: int = Field(30, ge=0, le=600)
    answer_seconds: int = Field(120, ge=10, le=900)
    max_takes: int = Field(2, ge=1, le=10)


class RubricSpec(Command):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    description: Annotated[str, StringConstraints(max_length=2000)] = ""


class NewInterview(Command):
    title: Name
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    questions: list[QuestionSpec] = Field(min_length=1, max_length=30)
    rubric: list[RubricSpec] = Field(default_factory=list, max_length=20)
    deadline_days: int = Field(14, ge=1, le=90)
    practice_question: bool = True


class QuestionView(View):
    question_id: str
    prompt: str
    kind: QuestionKind
    think_seconds: int
    answer_seconds: int
    max_takes: int


class RubricView(View):
    name: str
    description: str = ""


class InterviewView(View):
    interview_id: str
    title: str
    description: str
    questions: list[QuestionView]
    rubric: list[RubricView]
    deadline_days: int
    practice_question: bool
    status: str
    created_at: datetime


class InterviewList(View):
    items: list[InterviewView]
    next_cursor: str | None = None


class Invitee(Command):
    name: Name
    email: Email


class InviteCandidates(Command):
    candidates: list[Invitee] = Field(min_length=1, max_length=100)
    send_email: bool = True


class InvitationView(View):
    candidate_id: str
    name: str
    email: str
    invite_url: str


class InvitationList(View):
    items: list[InvitationView]


class CandidateSummary(View):
    candidate_id: str
    interview_id: str
    name: str
    email: str
    status: CandidateStatus
    invited_at: datetime
    expires_at: datetime
    completed_at: datetime | None = None
    decision: Decision | None = None


class CandidateList(View):
    items: list[CandidateSummary]
    next_cursor: str | None = None


AnswerStatus = Literal["pending", "uploading", "processing", "ready", "failed"]


class AnswerView(View):
    question_id: str
    prompt: str
    kind: QuestionKind
    status: AnswerStatus
    text: str | None = None
    video_url: str | None = None
    poster_url: str | None = None
    captions_url: str | None = None
    transcript: str | None = None
    transcript_available: bool | None = None
    duration_seconds: float | None = None
    failure: str | None = None


class ReviewView(View):
    reviewer_id: str
    reviewer_email: str
    scores: dict[str, int]
    comment: str | None = None
    recommendation: Decision | None = None
    submitted_at: datetime


class DecisionView(View):
    decision: Decision
    note: str | None = None
    decided_by: str
    decided_at: datetime


class CandidateDetail(View):
    candidate_id: str
    interview_id: str
    interview_title: str
    name: str
    email: str
    status: CandidateStatus
    invited_at: datetime
    expires_at: datetime
    completed_at: datetime | None = None
    rubric: list[RubricView]
    answers: list[AnswerView]
    reviews: list[ReviewView]
    decision: DecisionView | None = None


class ReviewInput(Command):
    scores: dict[str, Annotated[int, Field(ge=1, le=5)]]
    comment: Annotated[str, StringConstraints(max_length=5000)] | None = None
    recommendation: Decision | None = None


class DecisionInput(Command):
    decision: Decision
    note: Annotated[str, StringConstraints(max_length=5000)] | None = None


class FunnelView(View):
    invited: int
    started: int
    completed: int
    ready: int
    decided: int


class QuestionStats(View):
    question_id: str
    prompt: str
    answered: int
    drop_off: int


class AnalyticsView(View):
    interview_id: str
    funnel: FunnelView
    completion_rate: float | None
    questions: list[QuestionStats]
    decisions: dict[str, int]
    feedback_count: int
    feedback_average: float | None


# -- candidate side ----------------------------------------------------------
class SessionInterview(View):
    title: str
    description: str
    org_name: str


class SessionQuestion(View):
    question_id: str
    kind: QuestionKind
    # Written questions show their prompt up front; a video question's is revealed when a take starts.
    prompt: str | None = None
    think_seconds: int
    answer_seconds: int
    max_takes: int
    takes_used: int
    answered: bool


class SessionView(View):
    candidate_name: str
    interview: SessionInterview
    deadline: datetime
    consent_required: bool
    notice: str
    notice_version: str
    practice_question: bool
    status: CandidateStatus
    questions: list[SessionQuestion]


class ConsentInput(Command):
    accepted: Literal[True]


class TakeView(View):
    take_id: str
    prompt: str
    think_seconds: int
    answer_seconds: int
    takes_left: int


class UploadRequest(Command):
    content_type: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    size: int = Field(gt=0)


class PartUrl(View):
    part_number: int
    url: str


class UploadTicket(View):
    upload_id: str
    part_size: int
    parts: list[PartUrl]


class PartsRequest(Command):
    part_numbers: list[Annotated[int, Field(ge=1, le=10000)]] = Field(min_length=1, max_length=1000)


class PartUrls(View):
    parts: list[PartUrl]


class StoredPartView(View):
    part_number: int
    etag: str
    size: int


class UploadState(View):
    upload_id: str | None
    part_size: int
    size: int | None
    parts: list[StoredPartView]


class CompletedPart(Command):
    part_number: int = Field(ge=1, le=10000)
    etag: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class CompleteUpload(Command):
    parts: list[CompletedPart] = Field(min_length=1, max_length=10000)


class StatusView(View):
    status: str


class TextInput(Command):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]


class FeedbackInput(Command):
    rating: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None
