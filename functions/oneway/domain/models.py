"""Oneway's entities and their rules.

These are the stored shapes (snake_case); the HTTP contract has its own
models in ``service/views.py``. Each entity carries ``version`` for
optimistic concurrency: the store saves it only if nobody saved it first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from .base import Model
from .errors import Conflict, Forbidden, Gone, InvalidInput
from .keys import QuestionMediaRef, TakeRef
from .languages import DEFAULT as DEFAULT_LANGUAGE
from .languages import Language


class Entity(Model):
    version: int = 0


class Role(StrEnum):
    admin = "admin"
    recruiter = "recruiter"
    reviewer = "reviewer"


class EmailTemplate(Model):
    """An email's words with placeholders (service/emails.py): None keeps Oneway's own for that part."""

    subject: str | None = None
    message: str | None = None


class Organization(Entity):
    org_id: str
    name: str
    retention_days: int = 180
    created_at: datetime
    # Every member must sign in with a second factor (TOTP) before any recruiter route answers them.
    require_mfa: bool = False
    # The brand (service/branding.py): an accent colour (#rrggbb, None: Oneway's) and a checked logo in the media
    # bucket, its type and version (a new version, a new public address: caches and old emails never mix them).
    accent: str | None = None
    logo_key: str | None = None
    logo_type: str | None = None
    logo_version: str | None = None
    # The organization's own words for its emails (service/emails.py), by kind (invitation, reminder, advance,
    # reject, ready); a kind not here, or a field left None, speaks Oneway's words in the reader's language.
    email_templates: dict[str, EmailTemplate] = {}

    @model_validator(mode="before")
    @classmethod
    def _next_step_is_the_advance_template(cls, data: Any) -> Any:
        """Organizations saved before templates kept their next-step email in two fields: it is the advance template."""
        if isinstance(data, dict) and ("next_step_subject" in data or "next_step_message" in data):
            data = dict(data)
            subject, message = data.pop("next_step_subject", None), data.pop("next_step_message", None)
            templates = dict(data.get("email_templates") or {})
            if (subject or message) and "advance" not in templates:
                templates["advance"] = {"subject": subject, "message": message}
            data["email_templates"] = templates
        return data


class Member(Entity):
    org_id: str
    user_id: str
    email: str
    role: Role = Role.recruiter
    created_at: datetime
    # Blind review for this member: no name, email or picture of candidates, whatever the interview says.
    blind: bool = False
    # TOTP is on for this account, as the user pool said when last asked (never as the browser says).
    mfa_enabled: bool = False


class Actor(Model):
    """A signed-in member, as the verified identity and the member record say."""

    user_id: str
    org_id: str
    email: str
    role: Role
    blind: bool = False
    mfa_enabled: bool = False

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(r.value for r in roles)}", "role_required")


class QuestionKind(StrEnum):
    video = "video"
    text = "text"
    # Screening questions: answered in a form control, checked against the recruiter's preferred answer.
    yes_no = "yes_no"
    choice = "choice"
    number = "number"


SCREENING_KINDS = frozenset({QuestionKind.yes_no, QuestionKind.choice, QuestionKind.number})


class ScreeningRule(Model):
    """The answer the recruiter prefers to a screening question. An answer that misses it flags the
    candidate for the reviewers; it never rejects anyone (domain/screening.py)."""

    expected: bool | None = None  # yes/no: the preferred answer
    acceptable: list[str] | None = None  # choice: the options that meet the rule
    min: float | None = None  # number: the preferred range (either end open)
    max: float | None = None


class ScreeningValue(Model):
    """A candidate's answer to a screening question, as given (one of the three, by the question's kind)."""

    yes: bool | None = None
    choices: list[str] | None = None
    number: float | None = None


class AnswerForm(StrEnum):
    """How a video answer was recorded: the device check measures the uplink and the candidate chooses.
    Reviewers see the form beside the answer, so nobody is judged on picture quality."""

    standard = "standard"  # 720p at the browser's usual bitrate
    reduced = "reduced"  # 360p at a low bitrate, for a slow connection
    audio = "audio"  # sound only, where the interview allows it


class Question(Model):
    question_id: str
    prompt: str = Field(min_length=1, max_length=2000)
    kind: QuestionKind = QuestionKind.video
    think_seconds: int = Field(30, ge=0, le=600)
    answer_seconds: int = Field(120, ge=10, le=900)
    max_takes: int = Field(2, ge=1, le=10)
    # A video of the question recorded by the recruiter (a QuestionMedia of the same interview).
    media_id: str | None = None
    # Screening questions: a choice question's options (one may be chosen, or several with ``multiple``),
    # a number question's bounds and unit, and the preferred answer, if any.
    options: list[str] = []
    multiple: bool = False
    number_min: float | None = None
    number_max: float | None = None
    unit: str = ""
    rule: ScreeningRule | None = None

    @property
    def screening(self) -> bool:
        return self.kind in SCREENING_KINDS


class RubricItem(Model):
    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    # What each score means (a structured interview): anchors[0] describes a 1, anchors[4] a 5.
    anchors: list[str] = []
    # The one question this item is scored on (None: the whole interview). Scored only once that question is answered.
    question_id: str | None = None


def check_rubric(rubric: Iterable[RubricItem], question_ids: Iterable[str]) -> None:
    """A rubric item that applies to one question must name a question of the interview."""
    known = set(question_ids)
    for item in rubric:
        if item.question_id is not None and item.question_id not in known:
            raise InvalidInput(f"rubric item {item.name!r} names no question of this interview: {item.question_id}", "unknown_question")


class ApplyLink(Model):
    """An interview's self-apply link: a random public slug (not the interview id), open or closed, a cap."""

    slug: str
    open: bool = True
    cap: int = 500


class InterviewStatus(StrEnum):
    open = "open"  # candidates may be invited and may answer
    closed = "closed"  # no new invitations, no answers (a closed interview is not reopened)


class Interview(Entity):
    org_id: str
    interview_id: str
    title: str
    description: str = ""
    questions: list[Question]
    rubric: list[RubricItem] = []
    deadline_days: int = 14
    practice_question: bool = True
    # Whether a candidate's status page shows the decision (off: it says "under review").
    share_decision_with_candidate: bool = False
    status: InterviewStatus = InterviewStatus.open
    # Archived: out of the working list (restorable) and closed to new invitations.
    archived_at: datetime | None = None
    # Blind review: reviewers get no name, email or picture of the candidates (audio and transcript only).
    blind: bool = False
    # The language answers and question videos are transcribed in ("auto": identified per recording).
    # Interviews stored before it existed read as English (US), which is what they were transcribed in.
    language: Language = DEFAULT_LANGUAGE
    # The recruiter's own words on the candidate's welcome page (content, not a catalog string).
    welcome: str = ""
    # A human welcome: the recruiter's video on the welcome page, and one on the done page (QuestionMedia of the
    # interview, captioned like question videos).
    intro_media_id: str | None = None
    closing_media_id: str | None = None
    # Reminder emails before each candidate's deadline: on or off, and at which hours before it
    # (None: the deployment's ONEWAY_REMINDER_HOURS, as for interviews stored before the setting).
    reminders: bool = True
    reminder_hours: list[int] | None = None
    # Where an advanced candidate books the next step (https): the {link} of the next-step email.
    scheduling_url: str | None = None
    # The decision email to a rejected candidate (the organization's reject template): off unless the interview
    # turns it on. The advance email follows the scheduling link (service/review.decide).
    reject_email: bool = False
    # A public link for a job ad: people apply themselves (service/applying.py). None until first opened.
    apply: ApplyLink | None = None
    # Candidates on a slow connection may answer video questions with sound only (off: reduced video at most).
    allow_audio_answers: bool = False
    created_by: str
    created_at: datetime

    def media_ids(self) -> set[str]:
        """The videos the interview uses: its questions', its welcome video and its closing video."""
        return {m for m in (*(q.media_id for q in self.questions), self.intro_media_id, self.closing_media_id) if m}

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.question_id == question_id:
                return q
        raise InvalidInput(f"no question {question_id} in this interview", "unknown_question")


class CandidateStatus(StrEnum):
    invited = "invited"
    started = "started"
    completed = "completed"
    ready = "ready"
    reviewed = "reviewed"
    advanced = "advanced"
    held = "held"
    rejected = "rejected"


class Decision(StrEnum):
    advance = "advance"
    hold = "hold"
    reject = "reject"


DECISION_STATUS = {
    Decision.advance: CandidateStatus.advanced,
    Decision.hold: CandidateStatus.held,
    Decision.reject: CandidateStatus.rejected,
}


class AccommodationKind(StrEnum):
    extra_time = "extra_time"
    text_instead_of_video = "text_instead_of_video"


class AccommodationState(StrEnum):
    requested = "requested"
    granted = "granted"
    declined = "declined"


class AccommodationAnswer(StrEnum):
    """What the organization answers to an accommodation request."""

    grant = "grant"
    decline = "decline"


class Accommodation(Model):
    """A candidate's request for adjusted conditions, and the organization's answer."""

    request_id: str
    kind: AccommodationKind
    note: str = ""
    state: AccommodationState = AccommodationState.requested
    requested_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    multiplier: float | None = None  # what an extra-time grant gave


class QuestionProgress(Model):
    takes_used: int = 0
    submitted_take: str | None = None
    answered: bool = False
    # Why the candidate's last upload for this question was refused (not a video, larger than declared).
    refused: str | None = None
    # The take whose upload is open (begun, not completed): one per question. A new take's upload aborts it.
    open_take: str | None = None


class Candidate(Entity):
    org_id: str
    interview_id: str
    candidate_id: str
    name: str
    email: str
    token_hash: str
    status: CandidateStatus = CandidateStatus.invited
    invited_at: datetime
    expires_at: datetime
    opened_at: datetime | None = None
    consent_at: datetime | None = None
    notice_version: str | None = None
    completed_at: datetime | None = None
    ready_at: datetime | None = None
    progress: dict[str, QuestionProgress] = {}
    decision: Decision | None = None
    decision_note: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    feedback_rating: int | None = None
    feedback_comment: str | None = None
    # Two optional ratings (1-5) beside the overall one: was the interview fair, was it convenient.
    feedback_fairness: int | None = None
    feedback_convenience: int | None = None
    # Everything of the candidate is erased on this day (the deadline plus the organization's retention).
    retain_until: date | None = None
    # Timing that adapts: think and answer times are multiplied by this (WCAG 2.2.1).
    time_multiplier: float = 1.0
    # Reviewer id -> the mean of their scores (None: a review without scores); written with each review.
    review_means: dict[str, float | None] = {}
    text_instead_of_video: bool = False
    accommodations: list[Accommodation] = []
    # The IANA zone the invitation and reminders state the deadline in (None: UTC).
    time_zone: str | None = None
    revoked_at: datetime | None = None
    # The declared sizes of the candidate's uploads still held (a restart replaces a take's, a refusal deletes it).
    upload_bytes: int = 0
    # The screening questions whose answer missed the recruiter's preferred answer, in the interview's order:
    # the candidate is flagged for the reviewers (never rejected). Computed by the server as each answer is saved.
    screening_missed: list[str] = []

    def seconds(self, base: int) -> int:
        """A question's think or answer time for this candidate."""
        return math.ceil(base * self.time_multiplier)

    def answers_in_writing(self, question: Question) -> bool:
        """A written answer: a text question, or a video question with a granted written alternative."""
        return question.kind == QuestionKind.text or (question.kind == QuestionKind.video and self.text_instead_of_video)

    @property
    def flagged(self) -> bool:
        return bool(self.screening_missed)

    # -- candidate side -------------------------------------------------
    def link_live(self, now: datetime) -> bool:
        """Does the invitation link still open anything?

        Answering closes at the deadline (410, so the candidate learns why). The link
        itself lives on: a submitted candidate follows their status until retention
        erases them; an unfinished one is told the deadline passed for LINK_GRACE, then
        the link answers like an unknown one. A revoked link is dead at once.
        """
        if self.revoked_at is not None:
            return False
        return self.submitted or now < self.expires_at + LINK_GRACE

    def check_open(self, now: datetime) -> None:
        """Candidate actions are allowed only until the deadline."""
        if now >= self.expires_at:
            raise Gone("this interview's deadline has passed", "deadline_passed")

    def check_answering(self, now: datetime) -> None:
        self.check_open(now)
        if self.consent_at is None:
            raise Conflict("consent is required before answering", "consent_required")
        if self.status != CandidateStatus.invited and self.status != CandidateStatus.started:
            raise Conflict("this interview is already submitted", "already_completed")

    def give_consent(self, now: datetime, notice_version: str) -> None:
        self.check_open(now)
        if self.consent_at is None:
            self.consent_at = now
            self.notice_version = notice_version
        if self.status == CandidateStatus.invited:
            self.status = CandidateStatus.started

    def check_answering_in(self, now: datetime, follow_ups: FollowUpRound | None) -> None:
        """The interview's questions while it is open; a follow-up question while its round waits for answers."""
        if follow_ups is None:
            self.check_answering(now)
        else:
            follow_ups.check_answering(now)

    def start_take(self, question: Question, now: datetime, follow_ups: FollowUpRound | None = None) -> int:
        """Count one more take; return how many are left."""
        self.check_answering_in(now, follow_ups)
        if self.answers_in_writing(question) or question.screening:
            raise InvalidInput("this question takes a written answer" if not question.screening else "this is a screening question", "not_a_video_question")
        p = self.progress.setdefault(question.question_id, QuestionProgress())
        if p.answered:
            raise Conflict("this question is already answered", "already_answered")
        if p.takes_used >= question.max_takes:
            raise Conflict("no take is left for this question", "no_takes_left")
        p.takes_used += 1
        return question.max_takes - p.takes_used

    def submit_take(self, question_id: str, take_id: str) -> None:
        p = self.progress.setdefault(question_id, QuestionProgress())
        p.submitted_take = take_id
        p.answered = True
        p.refused = None
        p.open_take = None

    def refuse_take(self, question: Question, take: Take, reason: str, now: datetime, follow_ups: FollowUpRound | None = None) -> bool:
        """A submitted take's upload was refused (it is deleted). The take stays used: the candidate
        records again only with a take left, while still answering; otherwise the question stays
        answered by the refused take, whose reason the reviewers see. True when the question reopened."""
        self.upload_bytes = max(0, self.upload_bytes - (take.size or 0))
        p = self.progress.setdefault(question.question_id, QuestionProgress())
        if p.submitted_take != take.take_id:
            return False
        p.refused = reason
        if follow_ups is not None:
            still_answering = follow_ups.state == FollowUpState.open and now < follow_ups.due_at
        else:
            still_answering = self.status in (CandidateStatus.invited, CandidateStatus.started) and now < self.expires_at
        if still_answering and p.takes_used < question.max_takes:
            p.submitted_take, p.answered = None, False
            return True
        return False

    def answer_text(self, question: Question, now: datetime, follow_ups: FollowUpRound | None = None) -> None:
        self.check_answering_in(now, follow_ups)
        if not self.answers_in_writing(question):
            raise InvalidInput("this question takes a video answer", "not_a_text_question")
        p = self.progress.setdefault(question.question_id, QuestionProgress())
        p.answered = True

    def answer_screening(self, interview: Interview, question: Question, missed: bool, now: datetime) -> int:
        """Record a screening answer and whether it missed the rule; return how the flag moved (+1 newly flagged,
        -1 no longer flagged, 0 unchanged), for the interview's counter. Nothing else changes: no rejection."""
        self.check_answering(now)
        if not question.screening:
            raise InvalidInput("this question is not a screening question", "not_a_screening_question")
        was = self.flagged
        ids = (set(self.screening_missed) - {question.question_id}) | ({question.question_id} if missed else set())
        self.screening_missed = [q.question_id for q in interview.questions if q.question_id in ids]
        self.progress.setdefault(question.question_id, QuestionProgress()).answered = True
        return int(self.flagged) - int(was)

    def complete(self, interview: Interview, now: datetime) -> None:
        self.check_answering(now)
        missing = [q.question_id for q in interview.questions if not self.progress.get(q.question_id, QuestionProgress()).answered]
        if missing:
            raise Conflict(f"{len(missing)} question(s) still need an answer", "answers_missing")
        self.status = CandidateStatus.completed
        self.completed_at = now

    # -- pipeline and review side ---------------------------------------
    def mark_ready(self, now: datetime) -> bool:
        if self.status != CandidateStatus.completed:
            return False
        self.status = CandidateStatus.ready
        self.ready_at = now
        return True

    def mark_reviewed(self, reviewer_id: str | None = None, scores: dict[str, int] | None = None) -> None:
        if self.status == CandidateStatus.ready:
            self.status = CandidateStatus.reviewed
        if reviewer_id is not None:
            # The write-time aggregate the candidate list reads: who reviewed, and the mean of each one's scores.
            self.review_means = {**self.review_means, reviewer_id: round(sum(scores.values()) / len(scores), 3) if scores else None}

    def average_score(self) -> float | None:
        means = [m for m in self.review_means.values() if m is not None]
        return round(sum(means) / len(means), 2) if means else None

    def decide(self, decision: Decision, note: str | None, by: str, now: datetime) -> None:
        if self.status in (CandidateStatus.invited, CandidateStatus.started):
            raise Conflict("the candidate has not submitted the interview yet", "not_submitted")
        self.decision = decision
        self.decision_note = note
        self.decided_by = by
        self.decided_at = now
        self.status = DECISION_STATUS[decision]

    @property
    def submitted(self) -> bool:
        return self.status not in (CandidateStatus.invited, CandidateStatus.started)


LINK_GRACE = timedelta(days=7)


def deadline(invited_at: datetime, days: int) -> datetime:
    return invited_at + timedelta(days=days)


class TakeStatus(StrEnum):
    recording = "recording"  # the browser holds it; nothing uploaded yet
    uploading = "uploading"
    uploaded = "uploaded"  # S3 holds it; waiting for its ObjectCreated event
    processing = "processing"
    ready = "ready"
    failed = "failed"


class StepState(StrEnum):
    pending = "pending"
    done = "done"
    failed = "failed"


class MediaStatus(StrEnum):
    """A recording's state as the API shows it: a question video's (a recorded answer's is an AnswerStatus)."""

    uploading = "uploading"  # recording or uploading
    processing = "processing"  # uploaded, checked, transcoded, transcribed
    ready = "ready"
    failed = "failed"


class AnswerStatus(StrEnum):
    """An answer as reviewers see it: its recording's state (as MediaStatus), or pending when there is none yet."""

    pending = "pending"  # no answer yet (or, for a written answer, no text)
    uploading = "uploading"
    processing = "processing"
    ready = "ready"
    failed = "failed"


# What a recording's state (a candidate's take, a question video) is called on the wire.
SHOWN_STATUS = {
    TakeStatus.recording: MediaStatus.uploading,
    TakeStatus.uploading: MediaStatus.uploading,
    TakeStatus.uploaded: MediaStatus.processing,
    TakeStatus.processing: MediaStatus.processing,
    TakeStatus.ready: MediaStatus.ready,
    TakeStatus.failed: MediaStatus.failed,
}


class JobKind(StrEnum):
    video = "video"  # the transcode (MediaConvert, or ffmpeg locally)
    speech = "speech"  # the transcription (Transcribe, or the offline recognizer locally)


class JobStatus(StrEnum):
    running = "running"
    complete = "complete"
    failed = "failed"


class Recording(Entity):
    """A recorded video on its way through the pipeline: upload, checks, transcode and transcription.
    A candidate's take and a recruiter's question video go through the same steps."""

    status: TakeStatus = TakeStatus.recording
    created_at: datetime
    upload_key: str | None = None
    upload_id: str | None = None
    content_type: str | None = None
    size: int | None = None
    etag: str | None = None
    processing_since: datetime | None = None
    video: StepState | None = None
    speech: StepState | None = None
    video_job_id: str | None = None
    speech_job_id: str | None = None
    video_key: str | None = None
    poster_key: str | None = None
    # The audio-only rendition; takes processed before it existed have none (blind review then offers the transcript only).
    audio_key: str | None = None
    captions_key: str | None = None
    transcript_key: str | None = None
    transcript: str | None = None
    duration_seconds: float | None = None
    failure: str | None = None
    # Processing runs of the kept recording: 0 for the first, one more for each retry after a failure.
    # Job tokens and names are made from it, so each retry starts new jobs and repeats of one start none.
    attempt: int = 0
    # The stored object was refused by the checks after upload (and deleted): nothing to process or retry.
    refused: bool = False
    # When the browser first asked to upload it (the recording was over) and when it said the upload was complete.
    upload_requested_at: datetime | None = None
    uploaded_at: datetime | None = None
    # The upload's part size when it differs from the settings' (an upload begun while recording); None: theirs.
    part_size: int | None = None
    # The upload began while the recording was made: ``size`` is the answer's bound until the final size is declared.
    live: bool = False

    def begin_upload(
        self,
        key: str,
        upload_id: str,
        content_type: str,
        size: int,
        now: datetime | None = None,
        *,
        part_size: int | None = None,
        live: bool = False,
    ) -> None:
        if self.status not in (TakeStatus.recording, TakeStatus.uploading):
            raise Conflict("this take is already uploaded", "already_uploaded")
        self.status = TakeStatus.uploading
        self.upload_key, self.upload_id = key, upload_id
        self.content_type, self.size = content_type, size
        self.part_size, self.live = part_size, live
        self.failure = None
        # The first request counts: a restarted upload of the same recording does not make it later.
        # An upload begun while recording does not say when the recording ended: its final size's declaration does.
        if not live:
            self.upload_requested_at = self.upload_requested_at or now

    def declare_size(self, size: int, now: datetime | None = None) -> int:
        """The final size of a recording uploaded while it was made; returns the change of the declared bytes."""
        if self.status != TakeStatus.uploading:
            raise Conflict("this take has no upload in progress", "no_upload")
        change = size - (self.size or 0)
        self.size = size
        if self.live:
            self.upload_requested_at = self.upload_requested_at or now
        return change

    def cancel_upload(self) -> tuple[str, str] | None:
        """Drop an unfinished upload (a discarded take): it may be uploaded afresh later. Returns its key and id."""
        if self.status != TakeStatus.uploading:
            return None
        key, upload_id = self.upload_key, self.upload_id
        self.status = TakeStatus.recording
        self.upload_key = self.upload_id = self.content_type = None
        self.size, self.part_size, self.live = None, None, False
        return (key, upload_id) if key and upload_id else None

    def part_lengths(self, part_size: int, numbers: Iterable[int]) -> dict[int, int]:
        """The exact byte length of each of these parts of the declared size: ``part_size``, the last one shorter."""
        size = self.size or 0
        return {n: max(0, min(part_size, size - (n - 1) * part_size)) for n in numbers}

    def mark_uploaded(self, now: datetime | None = None) -> None:
        if self.status not in (TakeStatus.uploading, TakeStatus.uploaded):
            raise Conflict("this take has no upload in progress", "no_upload")
        self.status = TakeStatus.uploaded
        self.uploaded_at = self.uploaded_at or now

    def accepts_upload(self, key: str) -> bool:
        """Is this stored object news for the take? Duplicates and strays are not:
        once processing starts, a repeated or late event for it changes nothing."""
        return key == self.upload_key and self.status in (TakeStatus.uploading, TakeStatus.uploaded)

    def start_processing(self, etag: str, now: datetime) -> None:
        self.etag = etag
        self.status = TakeStatus.processing
        self.processing_since = now
        self.video = StepState.pending
        self.speech = StepState.pending
        self.failure = None

    def record_video(
        self,
        ok: bool,
        *,
        video_key: str | None = None,
        poster_key: str | None = None,
        audio_key: str | None = None,
        duration: float | None = None,
        job_id: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Record the transcode's outcome; False when it changes nothing (a repeat)."""
        if self.status not in (TakeStatus.processing,) or self.video != StepState.pending:
            return False
        if job_id and self.video_job_id and job_id != self.video_job_id:
            return False  # an older job's event
        if ok and not audio_key:
            # Ready means reviewable in blind review too: without the audio-only rendition the step failed.
            ok, error = False, "the transcode made no audio-only rendition"
        if ok:
            self.video = StepState.done
            self.video_key, self.poster_key, self.duration_seconds = video_key, poster_key, duration
            self.audio_key = audio_key
        else:
            self.video = StepState.failed
            self.status = TakeStatus.failed
            self.failure = error or "transcoding failed"
        self._settle()
        return True

    def record_speech(
        self,
        ok: bool,
        *,
        transcript: str | None = None,
        transcript_key: str | None = None,
        captions_key: str | None = None,
        job_id: str | None = None,
        error: str | None = None,
    ) -> bool:
        if self.speech != StepState.pending or self.status not in (TakeStatus.processing, TakeStatus.failed):
            return False
        if job_id and self.speech_job_id and job_id != self.speech_job_id:
            return False
        if ok:
            self.speech = StepState.done
            self.transcript, self.transcript_key, self.captions_key = transcript, transcript_key, captions_key
        else:
            # The video stays reviewable without a transcript.
            self.speech = StepState.failed
        self._settle()
        return True

    def _settle(self) -> None:
        if self.status == TakeStatus.processing and self.video == StepState.done and self.speech != StepState.pending:
            self.status = TakeStatus.ready
            self.processing_since = None

    def can_retry(self) -> bool:
        """A failed media job, not a refused upload: the kept recording can be processed again."""
        return self.status == TakeStatus.failed and self.video == StepState.failed and bool(self.upload_key and self.etag)

    def start_retry(self, now: datetime) -> None:
        """Process the kept recording again: a new attempt. A finished transcript is kept; a failed one is redone."""
        if not self.can_retry():
            raise Conflict("only an answer whose processing failed can be retried", "not_failed")
        self.attempt += 1
        self.status = TakeStatus.processing
        self.processing_since = now
        self.video = StepState.pending
        if self.speech == StepState.failed:
            self.speech = StepState.pending
        self.failure = None

    def quarantine(self, reason: str) -> None:
        self.status = TakeStatus.failed
        self.failure = reason
        self.processing_since = None
        self.refused = True


class Take(Recording):
    org_id: str
    interview_id: str
    candidate_id: str
    question_id: str
    take_id: str
    # The think and answer times this take was given (the candidate's extra time included), as the browser was told.
    think_seconds: int | None = None
    answer_seconds: int | None = None
    # The form the candidate chose before recording, and the uplink the device check measured (kbit/s), if it did.
    form: AnswerForm = AnswerForm.standard
    uplink_kbps: int | None = None

    @property
    def ref(self) -> TakeRef:
        return TakeRef(
            org_id=self.org_id,
            interview_id=self.interview_id,
            candidate_id=self.candidate_id,
            question_id=self.question_id,
            take_id=self.take_id,
        )


class QuestionMedia(Recording):
    """A question video a recruiter recorded in the builder; it belongs to the interview. With ``candidate_id``,
    the video of a follow-up question asked of that candidate alone: it lives (and is erased) with the candidate.
    Its transcode and transcription make the MP4, poster and captions candidates watch."""

    org_id: str
    interview_id: str
    media_id: str
    created_by: str
    candidate_id: str | None = None
    # A question of the interview (or a follow-up round) uses it (a save or the asking said so). Loose ones
    # (recorded, never used) are swept after a day.
    attached: bool = False

    @property
    def ref(self) -> QuestionMediaRef:
        return QuestionMediaRef(org_id=self.org_id, interview_id=self.interview_id, media_id=self.media_id, candidate_id=self.candidate_id)


class Reminder(Entity):
    """When a candidate's next reminder is due (None: no more). One per candidate, in its partition."""

    org_id: str
    interview_id: str
    candidate_id: str
    due_at: datetime | None = None
    slot_hours: int | None = None  # the slot that falls due at due_at (hours before the deadline)
    deadline: datetime  # the deadline the slots were computed from
    sent: list[int] = []  # slots already sent (or skipped) for that deadline
    # The candidate still has to answer (not submitted, link not revoked): the reminder then marks their deadline
    # in the interview's deadlines index, where the interview list finds the next one.
    awaiting: bool = True


class ErasureMarker(Entity):
    """What is left of an erased candidate: ids only, for a while. A media job still running at the
    erasure finds it when its result comes (and deletes its own outputs); the scheduled sweep deletes
    whatever reached the candidate's prefix after the erasure; the table's TTL removes it at ``expires_at``."""

    org_id: str
    interview_id: str
    candidate_id: str
    erased_at: datetime
    expires_at: datetime
    # The next sweep of the candidate's prefix (a sparse index holds the markers with one due); None: no more.
    sweep_at: datetime | None = None
    sweeps: int = 0
    # Jobs to finish off: MediaConvert jobs to cancel, Transcribe jobs to delete once they end ("video:id", "speech:name").
    jobs: list[str] = []


class TextAnswer(Entity):
    org_id: str
    interview_id: str
    candidate_id: str
    question_id: str
    text: str  # for a screening answer: the answer in words ("Yes", "Python, Go", "5 years")
    answered_at: datetime
    # A screening question's answer as given, and whether it missed the preferred answer.
    screening: ScreeningValue | None = None
    missed_rule: bool = False


FOLLOW_UPS_MAX = 3  # questions in one round


class FollowUpState(StrEnum):
    open = "open"  # sent to the candidate, waiting for the answers
    answered = "answered"  # the candidate sent their answers
    cancelled = "cancelled"  # withdrawn by a member before the answers came


class FollowUpRound(Entity):
    """One to three follow-up questions a member asked one candidate after they submitted, with a deadline of
    their own. In the candidate's partition: the answers are takes and text answers there too (keyed by the
    questions' ids, ``f<round>-<n>``), so the pipeline, the reviewers' page and an erasure treat them like the
    interview's. One round waits for answers at a time; rounds are numbered from 1."""

    org_id: str
    interview_id: str
    candidate_id: str
    number: int = Field(ge=1)
    questions: list[Question] = Field(min_length=1, max_length=FOLLOW_UPS_MAX)
    state: FollowUpState = FollowUpState.open
    asked_by: str
    asked_at: datetime
    due_at: datetime
    answered_at: datetime | None = None
    cancelled_by: str | None = None
    cancelled_at: datetime | None = None

    def check_answering(self, now: datetime) -> None:
        if self.state == FollowUpState.cancelled:
            raise Gone("these follow-up questions were withdrawn", "follow_ups_cancelled")
        if self.state == FollowUpState.answered:
            raise Conflict("these follow-up questions are already answered", "already_completed")
        if now >= self.due_at:
            raise Gone("the deadline for these follow-up questions has passed", "deadline_passed")

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.question_id == question_id), None)

    def answered_count(self, candidate: Candidate) -> int:
        return sum(1 for q in self.questions if (p := candidate.progress.get(q.question_id)) is not None and p.answered)

    def complete(self, candidate: Candidate, now: datetime) -> None:
        self.check_answering(now)
        missing = len(self.questions) - self.answered_count(candidate)
        if missing:
            raise Conflict(f"{missing} follow-up question(s) still need an answer", "answers_missing")
        self.state, self.answered_at = FollowUpState.answered, now

    def cancel(self, by: str, now: datetime) -> None:
        if self.state != FollowUpState.open:
            raise Conflict(f"these follow-up questions are {self.state.value}: only ones still waiting can be cancelled", "follow_ups_not_open")
        self.state, self.cancelled_by, self.cancelled_at = FollowUpState.cancelled, by, now


def follow_up_question_id(number: int, n: int) -> str:
    """A follow-up question's id: apart from the interview's (``q1`` ...), unique over the candidate's rounds."""
    return f"f{number}-{n}"


def is_follow_up_id(question_id: str) -> bool:
    return question_id.startswith("f")


class Review(Entity):
    org_id: str
    candidate_id: str
    reviewer_id: str
    reviewer_email: str = ""
    scores: dict[str, int] = {}
    comment: str | None = None
    recommendation: Decision | None = None
    submitted_at: datetime


class TimedNote(Entity):
    """A member's note pinned to a moment of a candidate's answer (seconds into its recording)."""

    org_id: str
    candidate_id: str
    question_id: str
    note_id: str
    author_id: str
    author_email: str = ""
    seconds: float
    text: str
    created_at: datetime


class Assignment(Entity):
    """A reviewer asked to score one candidate; reviewers score only their assigned candidates."""

    org_id: str
    interview_id: str
    candidate_id: str
    reviewer_id: str
    assigned_by: str
    assigned_at: datetime


class Rating(Entity):
    """One reviewer's scores of one candidate, kept per interview for the agreement statistic."""

    org_id: str
    interview_id: str
    candidate_id: str
    reviewer_id: str
    scores: dict[str, int] = {}


class Share(Entity):
    """A read-only link to one candidate for someone without an account; expires, can be revoked.
    Its token (256 bits) is shown once and stored only as a hash, like candidates' tokens."""

    org_id: str
    candidate_id: str
    share_id: str
    token_hash: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    views: int = 0

    def check_usable(self, now: datetime) -> None:
        if self.revoked_at is not None:
            raise Gone("this link was revoked", "link_revoked")
        if now >= self.expires_at:
            raise Gone("this link has expired", "link_expired")


class Application(Entity):
    """Someone applying through an interview's public link, keyed by their address's hash. Until they confirm
    the address with the emailed code, no candidate exists; after, it keeps only which candidate it became
    (no name, no address), so the same address applying again gets its own invitation re-sent."""

    org_id: str
    interview_id: str
    email_key: str  # SHA-256 of the lower-cased address
    name: str = ""
    email: str = ""
    code_salt: str = ""
    code_hash: str = ""  # SHA-256 of salt and code; empty once used or spent
    code_expires_at: datetime | None = None
    attempts: int = 0
    candidate_id: str | None = None
    created_at: datetime
    expires_at: datetime  # the table's TTL removes it after this


class GuestOpinion(Entity):
    """A guest's scores and comment through a share link: someone without an account (a hiring manager) who gave
    a name on the link's page. Kept apart from members' reviews: shown to the team as "<name> (guest)", never
    counted in the members' agreement or score distribution. One per guest name per link (a second save revises it)."""

    org_id: str
    candidate_id: str
    share_id: str
    guest_key: str  # the name as compared: case and spacing folded (one opinion per name per link)
    guest_name: str
    # A guest has no account: their first save gets a secret (kept by their browser, stored here as its hash),
    # and only it revises the opinion, so another holder of the link cannot write under their name.
    secret_hash: str
    scores: dict[str, int] = {}
    comment: str | None = None
    recommendation: Decision | None = None
    submitted_at: datetime
    updated_at: datetime


class BankQuestion(Entity):
    """A question saved for reuse across the organization's interviews."""

    org_id: str
    question_id: str
    prompt: str
    kind: QuestionKind = QuestionKind.video
    think_seconds: int = 30
    answer_seconds: int = 120
    max_takes: int = 2
    options: list[str] = []
    multiple: bool = False
    number_min: float | None = None
    number_max: float | None = None
    unit: str = ""
    rule: ScreeningRule | None = None
    created_by: str
    created_at: datetime


class InterviewDraft(Entity):
    """An interview id handed to a builder before its first save, so that question videos can be uploaded
    under it; only the organization it was made for may use it. The table's TTL removes it at ``expires_at``."""

    org_id: str
    interview_id: str
    created_by: str
    created_at: datetime
    expires_at: datetime


class InterviewTemplate(Entity):
    """An interview saved as a starting point for the organization's next ones: words and settings, no videos."""

    org_id: str
    template_id: str
    name: str
    title: str
    description: str = ""
    welcome: str = ""
    questions: list[Question]
    rubric: list[RubricItem] = []
    deadline_days: int = 14
    practice_question: bool = True
    blind: bool = False
    language: Language = DEFAULT_LANGUAGE
    reminders: bool = True
    reminder_hours: list[int] | None = None
    allow_audio_answers: bool = False
    created_by: str
    created_at: datetime


class Webhook(Entity):
    """An organization's endpoint for events. The signing secret is kept as it is (it must sign every
    delivery): in the table, encrypted at rest, readable only by Oneway's functions; shown once."""

    org_id: str
    webhook_id: str
    url: str
    events: list[str]
    secret: str
    created_by: str
    created_at: datetime


class WebhookDeliveryStatus(StrEnum):
    pending = "pending"  # not yet accepted: waiting for its next attempt
    delivered = "delivered"  # the webhook answered 2xx
    failed = "failed"  # refused for good, or every attempt failed


class Delivery(Entity):
    """One event for one webhook, retried with backoff until it is accepted or attempts run out."""

    org_id: str
    webhook_id: str
    delivery_id: str
    event: str
    body: str
    status: WebhookDeliveryStatus = WebhookDeliveryStatus.pending
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime


class Brand(Model):
    """How an organization's pages and emails look: its name, accent colour (#rrggbb) and the public
    address of its logo (None: no logo). Oneway's own look when the organization sets none."""

    name: str
    accent: str = "#0f766e"
    logo_url: str | None = None


class Mail(Model):
    to: str
    subject: str
    text: str
    html: str | None = None


class OutboxKind(StrEnum):
    mail = "mail"  # one email (SES)
    event = "event"  # one domain event: EventBridge, and the organization's webhooks that subscribe to it


class OutboxStatus(StrEnum):
    pending = "pending"  # not yet carried out (never tried, being tried, or waiting for its next try)
    sent = "sent"
    failed = "failed"  # given up: refused for good, or every try failed


class MailTopic(StrEnum):
    """What an email is for (an outbox message's topic)."""

    invitation = "invitation"  # to the candidate: their link
    reminder = "reminder"  # to the candidate: the deadline draws near
    deadline = "deadline"  # to the candidate: a new deadline
    ready = "ready"  # to the interview's owner: a candidate is ready for review
    accommodation = "accommodation"  # to the interview's creator: a candidate asked for an accommodation
    member_invitation = "member_invitation"  # to a new member: their account
    member_elsewhere = "member_elsewhere"  # to an invited address that has a Oneway account already
    next_step = "next_step"  # to the candidate: advanced, the organization's advance template and scheduling link
    rejected = "rejected"  # to the candidate: rejected, the organization's reject template (when the interview sends it)
    test = "test"  # to a member: a test of one of the organization's templates, sent to themselves
    apply_code = "apply_code"  # to someone applying through a public link: the code that confirms their address
    follow_up = "follow_up"  # to the candidate: a reviewer asks follow-up questions, answered through the same link
    follow_up_answered = "follow_up_answered"  # to the member who asked follow-up questions: the candidate answered them


class EmailState(StrEnum):
    """An email's state as members see it: an outbox message's status, with pending split in two."""

    pending = "pending"  # not tried yet, or being tried
    retrying = "retrying"  # a try failed; the next one is scheduled
    sent = "sent"
    failed = "failed"


class OutboxMessage(Entity):
    """A side effect of a state change, saved in the same transaction as the change and carried out after
    the commit by the deliver function (service/delivery.py): the table's stream hands it over at once,
    and the scheduled retries take whatever is due. Each try starts with a conditional save (``begin_try``),
    so two deliverers never carry out the same message at once, and a message once sent is never tried again.

    A message about a candidate lives in the candidate's partition: the candidate's page shows its state,
    and an erasure takes it along (an email not yet sent to an erased candidate is never sent). Once done,
    the email's content goes (an invitation holds the candidate's link, a bearer secret); the state stays."""

    org_id: str
    message_id: str
    candidate_id: str | None = None
    kind: OutboxKind
    # An email's purpose (invitation, reminder, deadline, ready, accommodation, member_invitation,
    # member_elsewhere), or an event's detail type (candidate.completed ...).
    topic: str
    mail: Mail | None = None
    detail: dict[str, Any] | None = None
    status: OutboxStatus = OutboxStatus.pending
    attempts: int = 0
    # While pending: when the scheduled retries may take it (a sparse index holds it until then).
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime
    done_at: datetime | None = None
    expires_at: datetime  # the table's TTL removes the message (its state) after this

    def begin_try(self, now: datetime, *, first: bool, lease: timedelta) -> bool:
        """Start a try, if this caller may: the stream's first try of a message never tried (``first``),
        or a scheduled try once the message is due. A try that never ends (the function crashed or timed
        out) leaves the message due again when its ``lease`` runs out. Save it (conditionally) before trying."""
        if self.status != OutboxStatus.pending:
            return False
        if first and self.attempts > 0:
            return False  # a duplicate of the stream record, or the stream late after a scheduled try
        if not first and (self.next_attempt_at is None or self.next_attempt_at > now):
            return False
        self.attempts += 1
        self.next_attempt_at = now + lease
        return True

    def succeeded(self, now: datetime) -> None:
        self.status, self.done_at, self.next_attempt_at, self.last_error = OutboxStatus.sent, now, None, None
        self.mail = None

    def try_failed(self, now: datetime, error: str, *, retry_after: timedelta | None) -> None:
        """Retry after ``retry_after``, or give up (None: refused for good, or no try left)."""
        self.last_error = error
        if retry_after is None:
            self.status, self.done_at, self.next_attempt_at = OutboxStatus.failed, now, None
            self.mail = None
        else:
            self.next_attempt_at = now + retry_after


class AuditEvent(Model):
    org_id: str
    event_id: str
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any] = {}


class CandidateFile(Model):
    """A candidate with everything stored under it: read in one query."""

    candidate: Candidate
    takes: list[Take] = []
    texts: list[TextAnswer] = []
    reviews: list[Review] = []
    assignments: list[Assignment] = []
    ratings: list[Rating] = []
    shares: list[Share] = []
    messages: list[OutboxMessage] = []  # emails and events about the candidate, and their state
    notes: list[TimedNote] = []  # members' notes pinned to moments of the answers
    guest_opinions: list[GuestOpinion] = []  # guests' scores and comments through share links
    follow_ups: list[FollowUpRound] = []  # follow-up rounds, by number
    follow_up_media: list[QuestionMedia] = []  # the videos of follow-up questions (asked, or uploaded to ask)

    def open_follow_ups(self) -> FollowUpRound | None:
        return next((r for r in self.follow_ups if r.state == FollowUpState.open), None)

    def assigned(self, reviewer_id: str) -> bool:
        return any(a.reviewer_id == reviewer_id for a in self.assignments)

    def submitted_take(self, question_id: str) -> Take | None:
        p = self.candidate.progress.get(question_id)
        if not p or not p.submitted_take:
            return None
        return next((t for t in self.takes if t.question_id == question_id and t.take_id == p.submitted_take), None)

    def text(self, question_id: str) -> TextAnswer | None:
        return next((t for t in self.texts if t.question_id == question_id), None)

    def all_answers_ready(self, interview: Interview) -> bool:
        for q in interview.questions:
            if self.candidate.answers_in_writing(q) or q.screening:
                if self.text(q.question_id) is None:
                    return False
            else:
                take = self.submitted_take(q.question_id)
                # A refused upload with no take left is final: the reviewers see why it is missing.
                if take is None or not (take.status == TakeStatus.ready or take.refused):
                    return False
        return True


class Page[T](Model):
    items: list[T]
    next_cursor: str | None = None
