"""The shapes use cases take and give at the HTTP edge (camelCase on the wire).

One set of models serves the API's validation, its answers and the OpenAPI
document; the stored shapes live in ``domain/models.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.alias_generators import to_camel

from ..domain.images import MAX_LOGO_BYTES
from ..domain.languages import DEFAULT as DEFAULT_LANGUAGE
from ..domain.languages import CandidateLocale, Language
from ..domain.models import (
    FOLLOW_UPS_MAX,
    AccommodationAnswer,
    AccommodationKind,
    AccommodationState,
    AnswerForm,
    AnswerStatus,
    CandidateStatus,
    Decision,
    EmailState,
    FollowUpState,
    InterviewStatus,
    MailTopic,
    MediaStatus,
    QuestionKind,
    Role,
    WebhookDeliveryStatus,
)
from ..domain.timing import OverrunKind

# Whitespace named one by one, so that this pattern means the same in every regex dialect (JSON Schema's, Rust's, Python's).
_NOT_AT_OR_SPACE = r"[^@\s\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_EMAIL = rf"^{_NOT_AT_OR_SPACE}+@{_NOT_AT_OR_SPACE}+\.{_NOT_AT_OR_SPACE}+$"
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=_EMAIL)]
# Text that must say something: its schema asks for a character other than a space, as the stripped value must
# (a schema-valid request is never refused for being blank).
NOT_BLANK = r"\S"
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)]
# Where advanced candidates book the next step: https only, a host with a dot (no credentials, no spaces).
SchedulingUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?([/?#][^\s]*)?$")
]


class View(BaseModel):
    # Built on first use, not at import: a cold start builds only the models its request needs.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, defer_build=True)


class Command(View):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _json_types(cls, data: Any) -> Any:
        """JSON's own types, as the OpenAPI document states them: no 0/1 or "true" for a boolean,
        no string or boolean for a number (pydantic would convert them)."""
        if not isinstance(data, dict):
            return data
        for name, field in cls.model_fields.items():
            key = field.alias or name
            value = data.get(key, data.get(name))
            kinds = set(get_args(field.annotation) or (field.annotation,)) - {type(None)}
            if value is None or not kinds <= {bool, int, float}:
                continue
            if (bool in kinds) != isinstance(value, bool) or not isinstance(value, (bool, int, float)):
                raise ValueError(f"{key} must be a JSON {'boolean' if bool in kinds else 'number'}")
        return data


# -- recruiter side ----------------------------------------------------------
class BrandView(View):
    """How the organization's pages look: its name, accent colour (#rrggbb; Oneway's when it set none) and the public
    address of its logo (None: no logo)."""

    name: str
    accent: str
    logo_url: str | None = None


# An accent colour (#rrggbb); empty: Oneway's own.
Accent = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(#[0-9a-fA-F]{6})?$")]
LOGO_TYPES = Literal["image/png", "image/jpeg", "image/webp"]


class LogoUploadRequest(Command):
    content_type: LOGO_TYPES
    size: int = Field(ge=1, le=MAX_LOGO_BYTES)


class LogoUploadTicket(View):
    """One PUT of the logo's bytes to ``url`` (with this Content-Type, before ``expires_at``), then PUT the upload id
    to /api/organization/logo."""

    upload_id: str
    url: str
    content_type: str
    expires_at: datetime


class LogoInput(Command):
    upload_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]


class MeView(View):
    user_id: str
    email: str
    org_id: str
    org_name: str
    role: Role
    blind: bool = False
    # Two-step verification: whether this account has TOTP on, and whether the organization requires it.
    mfa_enabled: bool = False
    mfa_required: bool = False
    # The organization's look, for the review site's header.
    brand: BrandView | None = None


class OrganizationView(View):
    org_id: str
    name: str
    # Candidates invited from now on keep their data this many days after their deadline.
    retention_days: int
    require_mfa: bool
    # The brand: the accent set by an admin (None: Oneway's), and the look as pages and emails show it.
    accent: str | None = None
    brand: BrandView | None = None


class OrganizationUpdate(Command):
    retention_days: int | None = Field(None, ge=1, le=3650)
    # Buttons carry white text on it: it must have a contrast of 4.5:1 with white (WCAG AA). Empty: Oneway's own.
    accent: Accent | None = None
    require_mfa: bool | None = None


EmailTemplateKind = Literal["invitation", "reminder", "advance", "reject", "ready"]
EmailLanguage = Literal["en", "es", "de", "fr"]


class EmailTemplateView(View):
    """One of the organization's email templates: its words as they will be sent (Oneway's until rewritten)."""

    kind: EmailTemplateKind
    subject: str
    message: str
    custom: bool  # the organization rewrote the subject or the message
    default_subject: str  # Oneway's own words (English; candidates get them in their interview's language)
    default_message: str


class EmailTemplatesView(View):
    templates: list[EmailTemplateView]
    placeholders: list[str]


class EmailTemplateInput(Command):
    # An empty text (or Oneway's words unchanged) puts Oneway's own words back, in every candidate's language.
    subject: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""


class EmailPreviewInput(EmailTemplateInput):
    # The candidate language the preview (or test) is written in; members' emails are English whatever it says.
    language: EmailLanguage = "en"


class EmailPreview(View):
    subject: str
    html: str
    text: str


class EmailTestSent(View):
    to: str
    subject: str


MediaId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


# Hours before the deadline at which reminders go (the builder offers 72, 48, 24 and 12).
ReminderHours = Annotated[list[Annotated[int, Field(ge=1, le=336)]], Field(max_length=4)]
# An interview id the server made (tokens.new_id): 24 hex digits.
DraftId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]


# A screening question's option: shown to the candidate as written.
OptionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)]
NUMBER_LIMIT = 1e12  # a screening number's bound (years, salary, notice days: far below)


class ScreeningRuleSpec(Command):
    """The preferred answer to a screening question: ``expected`` (yes/no), ``acceptable`` options (choice),
    or a ``min``/``max`` range (number). An answer that misses it flags the candidate; none is rejected."""

    expected: bool | None = None
    acceptable: list[OptionText] | None = Field(None, min_length=1, max_length=10)
    min: float | None = Field(None, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT, allow_inf_nan=False)
    max: float | None = Field(None, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT, allow_inf_nan=False)


class QuestionSpec(Command):
    prompt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=NOT_BLANK)]
    kind: QuestionKind = QuestionKind.video
    think_seconds: int = Field(30, ge=0, le=600)
    answer_seconds: int = Field(120, ge=10, le=900)
    max_takes: int = Field(2, ge=1, le=10)
    # A question video recorded for this interview (POST /api/interviews/{id}/question-media); video questions only.
    media_id: MediaId | None = None
    # Screening questions (kinds yes_no, choice, number): a choice question's 2-10 options, one or several chosen;
    # a number question's bounds and unit; the preferred answer. Other kinds leave them out.
    options: list[OptionText] = Field(default_factory=list, max_length=10)
    multiple: bool = False
    number_min: float | None = Field(None, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT, allow_inf_nan=False)
    number_max: float | None = Field(None, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT, allow_inf_nan=False)
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] = ""
    rule: ScreeningRuleSpec | None = None


class RubricSpec(Command):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NOT_BLANK)]
    description: Annotated[str, StringConstraints(max_length=2000)] = ""
    # What a 1, 2, 3, 4 and 5 look like; empty strings for scores left undescribed.
    anchors: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]] = Field(default_factory=list, max_length=5)
    # The one question the item is scored on (its id, "q1" for the first); none: the whole interview.
    question_id: Annotated[str, StringConstraints(max_length=20)] | None = None


class NewInterview(Command):
    title: Name
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    questions: list[QuestionSpec] = Field(min_length=1, max_length=30)
    rubric: list[RubricSpec] = Field(default_factory=list, max_length=20)
    deadline_days: int = Field(14, ge=1, le=90)
    practice_question: bool = True
    blind: bool = False
    # The language answers are transcribed in: a language code, or "auto" to identify each answer's.
    language: Language = DEFAULT_LANGUAGE
    # The recruiter's words on the candidate's welcome page.
    welcome: Annotated[str, StringConstraints(max_length=2000)] = ""
    # The recruiter's videos for the welcome and done pages (question media of this interview; not in templates).
    intro_media_id: MediaId | None = None
    closing_media_id: MediaId | None = None
    # Reminder emails before the deadline: on or off, and at which hours before it (None: the deployment's).
    reminders: bool = True
    reminder_hours: ReminderHours | None = None
    # Where advanced candidates book the next step: the {link} of the next-step email (https).
    scheduling_url: SchedulingUrl | None = None
    # Email rejected candidates (the organization's reject template, in the interview's language): off by default.
    reject_email: bool = False
    # Candidates on a slow connection may answer video questions with sound only (a transcript and captions still follow).
    allow_audio_answers: bool = False
    # A draft's id (POST /api/interviews/drafts), when question videos were uploaded before the first save.
    interview_id: DraftId | None = None


class NewTemplate(NewInterview):
    """An interview's content saved under a name (question videos stay with their interview)."""

    name: Name


class TemplateView(View):
    template_id: str
    name: str
    # Built in: one of Oneway's starting points for common roles (not deletable).
    built_in: bool = False
    title: str
    description: str
    welcome: str
    questions: list[QuestionView]
    rubric: list[RubricView]
    deadline_days: int
    practice_question: bool
    blind: bool
    language: Language
    reminders: bool
    reminder_hours: list[int]
    allow_audio_answers: bool = False


class TemplateList(View):
    items: list[TemplateView]


class DraftView(View):
    interview_id: str


class QuestionMediaView(View):
    """A recruiter's question video: its state, and once ready, presigned links to play it."""

    media_id: str
    status: MediaStatus
    video_url: str | None = None
    poster_url: str | None = None
    captions_url: str | None = None
    transcript: str | None = None
    duration_seconds: float | None = None
    failure: str | None = None


class ScreeningRuleView(View):
    expected: bool | None = None
    acceptable: list[str] | None = None
    min: float | None = None
    max: float | None = None


class QuestionView(View):
    question_id: str
    prompt: str
    kind: QuestionKind
    think_seconds: int
    answer_seconds: int
    max_takes: int
    media_id: str | None = None
    options: list[str] = []
    multiple: bool = False
    number_min: float | None = None
    number_max: float | None = None
    unit: str = ""
    rule: ScreeningRuleView | None = None
    # The video's state and links (on reading one interview; absent in lists).
    media: QuestionMediaView | None = None


class RubricView(View):
    name: str
    description: str = ""
    anchors: list[str] = []
    question_id: str | None = None  # scored on this question alone (None: the whole interview)


class InterviewView(View):
    interview_id: str
    title: str
    description: str
    questions: list[QuestionView]
    rubric: list[RubricView]
    deadline_days: int
    practice_question: bool
    status: InterviewStatus | Literal["archived"]  # archived: out of the working list (archivedAt set), restorable
    blind: bool = False
    language: Language = DEFAULT_LANGUAGE
    created_at: datetime
    # The pipeline at a glance (the interview list): who made it, whether it is archived, and the counts from
    # the interview's write-time counters (never a read of its candidates).
    created_by: str | None = None
    archived: bool = False
    counts: PipelineCounts | None = None
    welcome: str = ""
    reminders: bool = True
    # The hours before the deadline at which reminders go (the deployment's when the interview names none).
    reminder_hours: list[int] = []
    scheduling_url: str | None = None
    reject_email: bool = False
    # Candidates are invited: questions, rubric, practice question and language no longer change (on reading one).
    locked: bool = False
    intro_media_id: str | None = None
    closing_media_id: str | None = None
    # The welcome and closing videos' state and links (on reading one interview).
    intro_video: QuestionMediaView | None = None
    closing_video: QuestionMediaView | None = None
    # The soonest deadline of a candidate still to answer (the interview's deadlines index; None: nobody waits).
    next_deadline: datetime | None = None
    allow_audio_answers: bool = False


class PipelineCounts(View):
    invited: int = 0
    in_progress: int = 0
    awaiting_review: int = 0
    decided: int = 0


class InterviewList(View):
    items: list[InterviewView]
    next_cursor: str | None = None


class Invitee(Command):
    name: Name
    email: Email
    # The candidate's IANA time zone, when known: the email states the deadline in it (else in UTC).
    time_zone: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None


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
    # For a member in blind review: ``name`` is the on-screen label ("Candidate" and a short id), ``email`` empty.
    name: str
    email: str
    status: CandidateStatus
    invited_at: datetime
    expires_at: datetime
    completed_at: datetime | None = None
    decision: Decision | None = None
    # For the candidate list: what waits for the recruiter, and links that no longer work.
    pending_accommodations: int = 0
    revoked: bool = False
    time_multiplier: float = 1.0
    blind: bool = False
    # Reviews so far, whether the viewer has reviewed, the mean of the viewer's scores, and the mean over
    # reviewers (only once the viewer has reviewed or the candidate is decided: independent scoring).
    reviews: int = 0
    reviewed_by_me: bool = False
    my_score: float | None = None
    average_score: float | None = None
    # Screening questions whose answer missed the preferred answer (ids, in the interview's order): a flag, not a verdict.
    screening_missed: list[str] = []


class CandidateList(View):
    items: list[CandidateSummary]
    next_cursor: str | None = None


class SearchMatch(View):
    """Where a searched word was said: the answer, the word as spoken, its second in the recording
    (None when unknown) and the words around it."""

    question_id: str
    word: str | None = None
    seconds: float | None = None
    snippet: str | None = None


class SearchHit(CandidateSummary):
    matches: list[SearchMatch] = []


class SearchResults(View):
    items: list[SearchHit]
    next_cursor: str | None = None


class TimingOverrunView(View):
    # "recording": longer than the answer time; "submission": sent later after the prompt than
    # thinking, answering and watching it back once allow (both with a tolerance of 10 % + 3 s).
    kind: OverrunKind
    allowed_seconds: float
    actual_seconds: float


class AnswerTiming(View):
    """The times a recorded answer was given (extra time included) and what the server saw of it.
    Think and answer times are kept by the candidate's browser; overruns are flagged, never refused."""

    think_seconds: int
    answer_seconds: int
    recording_seconds: float | None = None
    # From the prompt's reveal to the browser's first request to upload the recording.
    seconds_to_upload: float | None = None
    overruns: list[TimingOverrunView] = []


class AnswerView(View):
    question_id: str
    prompt: str
    kind: QuestionKind
    status: AnswerStatus
    text: str | None = None
    video_url: str | None = None
    # Blind review: the answer's sound only, played without its picture; video_url and poster_url stay empty.
    audio_url: str | None = None
    poster_url: str | None = None
    captions_url: str | None = None
    transcript: str | None = None
    transcript_available: bool | None = None
    duration_seconds: float | None = None
    failure: str | None = None
    # Why the candidate's last upload for this question was refused by the checks after upload (and deleted).
    refused: str | None = None
    timing: AnswerTiming | None = None
    # A screening question: the recruiter's preferred answer in words, and whether this answer missed it.
    preferred: str | None = None
    missed_rule: bool | None = None
    # How the answer was recorded (standard, reduced on a slow connection, or sound only), and the uplink the
    # candidate's device check measured: shown beside the answer so nobody is judged on picture quality.
    form: AnswerForm | None = None
    uplink_kbps: int | None = None
    # Set on the answers to follow-up questions, which come after the interview's own answers, round by round.
    follow_up: FollowUpMark | None = None


class FollowUpMark(View):
    """An answer to a follow-up question: which round asked it, and when."""

    round: int
    asked_at: datetime
    # The video of the question, when it came as one: shown beside the answer.
    question_video: QuestionMediaView | None = None


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


class EmailStatusView(View):
    """An email to the candidate (invitation, reminder, new deadline) and where it is: sent after the change that
    made it, retried when the email service refuses it for now, failed when it refused it for good or every try failed."""

    message_id: str
    kind: MailTopic  # invitation, reminder, deadline, next_step or rejected: the emails to the candidate
    status: EmailState
    attempts: int
    last_error: str | None = None  # what failed, in a few words (never the service's own text)
    created_at: datetime
    sent_at: datetime | None = None


class CandidateDetail(View):
    candidate_id: str
    interview_id: str
    interview_title: str
    # Empty in blind review: the API never sends a blind reviewer the candidate's name or email.
    name: str | None
    email: str | None
    blind: bool = False
    label: str  # what to call the candidate on screen: the name, or "Candidate" and a short id in blind review
    status: CandidateStatus
    invited_at: datetime
    expires_at: datetime
    completed_at: datetime | None = None
    rubric: list[RubricView]
    answers: list[AnswerView]
    reviews: list[ReviewView]
    # Independent scoring: others' reviews are sent only once the caller has submitted their own.
    hidden_reviews: int = 0
    decision: DecisionView | None = None
    assigned_reviewers: list[str] = []
    # The emails sent to the candidate, newest first (for those who manage the invitation; empty in blind review).
    emails: list[EmailStatusView] = []
    # Notes pinned to moments of the answers: the caller's own, and others' under the rule of the reviews.
    notes: list[NoteView] = []
    # The interview's scheduling link (for managers): advancing sends the next-step email by default when set.
    scheduling_url: str | None = None
    # The interview emails a rejected candidate (managers see it on the decision form; the email goes once).
    reject_email: bool = False
    # Guests' opinions through share links, apart from members' reviews, under the same rule (independent scoring).
    guest_opinions: list[GuestOpinionView] = []
    hidden_guest_opinions: int = 0
    # Rounds of follow-up questions, by number; whether the caller may ask a new round now.
    follow_ups: list[FollowUpRoundView] = []
    can_ask_follow_ups: bool = False


class FollowUpQuestionSpec(Command):
    prompt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=NOT_BLANK)]
    # A follow-up is answered on video or in writing (screening questions belong to the interview itself).
    kind: Literal["video", "text"] = "video"
    # Unset: the interview's (its longest think and answer times, its most takes).
    think_seconds: int | None = Field(None, ge=0, le=600)
    answer_seconds: int | None = Field(None, ge=10, le=900)
    max_takes: int | None = Field(None, ge=1, le=10)
    # A video of the question (a follow-up video uploaded for this candidate, ready): the candidate watches it first.
    media_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None


class AskFollowUps(Command):
    questions: list[FollowUpQuestionSpec] = Field(min_length=1, max_length=FOLLOW_UPS_MAX)
    deadline_days: int = Field(5, ge=1, le=30)


class FollowUpQuestionView(View):
    question_id: str
    prompt: str
    kind: QuestionKind
    think_seconds: int
    answer_seconds: int
    max_takes: int
    answered: bool
    # The video of the question, when it came as one (links presigned, short-lived).
    media: QuestionMediaView | None = None


class FollowUpRoundView(View):
    number: int
    state: FollowUpState
    questions: list[FollowUpQuestionView]
    answered: int  # questions answered so far
    asked_by: str  # a member's user id
    asked_at: datetime
    due_at: datetime
    answered_at: datetime | None = None
    cancelled_by: str | None = None
    cancelled_at: datetime | None = None


class ReviewInput(Command):
    scores: dict[str, Annotated[int, Field(ge=1, le=5)]]
    comment: Annotated[str, StringConstraints(max_length=5000)] | None = None
    recommendation: Decision | None = None


class BulkAction(Command):
    """One action on chosen candidates: a decision (with its one reason), a reminder, a new link, more days
    before the deadline, or a reviewer assigned."""

    action: Literal["advance", "hold", "reject", "remind", "resend", "extend", "assign"]
    candidate_ids: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=64)]], Field(min_length=1, max_length=100)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] | None = None
    days: Annotated[int, Field(ge=1, le=90)] | None = None
    reviewer_id: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    # advance only: send each candidate the next-step email (None: when the interview has a scheduling link).
    send_next_step: bool | None = None


class BulkItemResult(View):
    candidate_id: str
    ok: bool
    error: str | None = None
    message: str | None = None


class BulkResult(View):
    action: str
    done: int
    items: list[BulkItemResult]


class NoteInput(Command):
    question_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    seconds: Annotated[float, Field(ge=0, le=24 * 3600)]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=NOT_BLANK)]


class NoteView(View):
    note_id: str
    question_id: str
    seconds: float
    text: str
    author_id: str
    author_email: str
    created_at: datetime


class DecisionInput(Command):
    decision: Decision
    # A decision needs its reason.
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=NOT_BLANK)]
    # advance only: send the organization's next-step email, in the decision's own save (an outbox message).
    # None: send it when the interview has a scheduling link and the candidate was not advanced already.
    send_next_step: bool | None = None


class ShareInput(Command):
    # How long the link works: from one minute to 30 days (72 hours unless said otherwise).
    minutes: int = Field(72 * 60, ge=1, le=30 * 24 * 60)


class ShareView(View):
    share_id: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    views: int = 0


class ShareCreated(ShareView):
    url: str  # shown once: only the token's hash is stored


class ShareList(View):
    items: list[ShareView]


class SharedCandidate(View):
    """What a share link shows: no email, and no name or picture if the interview is blind. The guest may add
    their opinion (scores on the rubric, a comment) once the candidate has submitted."""

    share_id: str
    org_name: str
    interview_title: str
    label: str
    blind: bool
    status: CandidateStatus
    completed_at: datetime | None = None
    expires_at: datetime
    answers: list[AnswerView]
    rubric: list[RubricView] = []
    accepts_opinions: bool = False  # the candidate has submitted: guests may score and comment
    brand: BrandView | None = None  # the organization's logo and accent colour


GuestName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=r"^[^\x00-\x1f<>]*[^\s<>][^\x00-\x1f<>]*$")]


class GuestOpinionInput(Command):
    """A guest's opinion through a share link: their name (given once on the page), scores, a comment."""

    guest_name: GuestName
    # The secret the first save under this name returned: needed to revise the opinion.
    guest_secret: Annotated[str, StringConstraints(min_length=20, max_length=100)] | None = None
    scores: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(default_factory=dict, max_length=50)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    recommendation: Decision | None = None


class GuestOpinionView(View):
    guest_name: str
    label: str  # how the team sees who wrote it: "<name> (guest)"
    scores: dict[str, int]
    comment: str | None = None
    recommendation: Decision | None = None
    submitted_at: datetime
    updated_at: datetime


class GuestOpinionSaved(GuestOpinionView):
    guest_secret: str | None = None  # returned once, by the first save under a name: the guest's browser keeps it


class BankQuestionView(QuestionView):
    created_at: datetime


class BankQuestionList(View):
    items: list[BankQuestionView]


class WebhookInput(Command):
    url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^https://[^\s]+$|^http://(127\.0\.0\.1|localhost)(:\d+)?(/[^\s]*)?$")]
    events: list[str] = Field(min_length=1, max_length=10)


class DeliveryView(View):
    delivery_id: str
    event: str
    status: WebhookDeliveryStatus
    attempts: int
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime


class WebhookView(View):
    webhook_id: str
    url: str
    events: list[str]
    created_at: datetime
    recent: list[DeliveryView] = []


class WebhookCreated(WebhookView):
    secret: str  # shown once: sign-checking key for the receiver


class WebhookList(View):
    items: list[WebhookView]


class AssignmentInput(Command):
    reviewer_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class AssignmentView(View):
    interview_id: str
    candidate_id: str
    reviewer_id: str
    assigned_at: datetime


class AssignmentList(View):
    items: list[AssignmentView]


class MemberView(View):
    user_id: str
    email: str
    role: Role
    blind: bool
    created_at: datetime
    mfa_enabled: bool = False


class MemberList(View):
    items: list[MemberView]


class MemberInvite(Command):
    email: Email
    role: Role = Role.reviewer


class MemberUpdate(Command):
    role: Role | None = None
    blind: bool | None = None


class MemberRemoved(View):
    """A member removed: signed out everywhere, their account disabled and deleted, their assignments dropped and
    their share links revoked; their reviews and the audit log still name them (by id)."""

    user_id: str
    status: Literal["removed"] = "removed"
    assignments_dropped: int
    shares_revoked: int


class FunnelView(View):
    invited: int
    opened: int = 0
    started: int
    completed: int
    ready: int
    decided: int


class QuestionStats(View):
    question_id: str
    prompt: str
    answered: int
    drop_off: int


class ScoreDistribution(View):
    name: str
    question_id: str | None = None  # a rubric item scored on one question
    counts: list[int]  # how many scores of 1, 2, 3, 4 and 5


class ReviewerThroughput(View):
    reviewer_id: str
    reviewer_email: str
    per_day: dict[str, int]  # yyyy-mm-dd -> candidates reviewed


class MemberScreening(View):
    member_id: str
    member_email: str
    candidates: int  # candidates this member screened (first reviewed, or decided without reviewing)
    days: int  # days on which they screened at least one
    per_day: float  # candidates / days
    by_day: dict[str, int]  # yyyy-mm-dd -> candidates screened


class ScreeningView(View):
    """Candidates screened per recruiter per day, beside the figures of the article Oneway grew from: about 5 a day
    with live screening calls, 15 with asynchronous interviews. From per-member per-day counters kept on write."""

    reference_live: int = 5
    reference_async: int = 15
    per_day: float | None  # the members' mean of their own per-day figures; None before anyone screened
    members: list[MemberScreening] = []


class RatingSummary(View):
    count: int
    average: float | None
    counts: list[int]  # how many ratings of 1, 2, 3, 4 and 5


class FollowUpView(View):
    """Follow-up questions, counted apart from the interview's questions (never in the per-question drop-off)."""

    available: bool = True
    rate: float | None = None  # candidates asked follow-up questions over candidates who submitted (None: none submitted)
    note: str = "candidates asked follow-up questions over candidates who submitted"
    candidates_asked: int = 0
    submitted: int = 0
    rounds: int = 0  # rounds of follow-up questions sent
    rounds_answered: int = 0
    rounds_cancelled: int = 0
    completion: float | None = None  # rounds answered over rounds sent and not cancelled (None: none)


class AgreementView(View):
    metric: str
    alpha: float | None  # Krippendorff's alpha; None when no candidate has two reviews (undefined)
    shared_candidates: int  # candidates scored by two reviewers or more
    reviewers: int


class AnalyticsView(View):
    interview_id: str
    funnel: FunnelView
    completion_rate: float | None
    questions: list[QuestionStats]
    decisions: dict[str, int]
    feedback_count: int
    feedback_average: float | None
    feedback_ratings: list[int] = []  # how many ratings of 1..5
    median_minutes_to_complete: float | None = None
    median_hours_to_decision: float | None = None
    scores: list[ScoreDistribution] = []  # decided candidates only, so no score shows before its reviewers are done
    agreement: AgreementView | None = None
    throughput: list[ReviewerThroughput] = []
    screening: ScreeningView | None = None
    # Candidates' optional ratings of the interview's fairness and convenience (the done page).
    fairness: RatingSummary | None = None
    convenience: RatingSummary | None = None
    follow_ups: FollowUpView = FollowUpView()
    # Candidates flagged by a screening answer that missed the preferred answer (flagged, never rejected).
    flagged: int = 0


# -- candidate side ----------------------------------------------------------
class VideoLinks(View):
    """A ready video the candidate watches: presigned links to it, its poster and its captions."""

    video_url: str
    poster_url: str | None = None
    captions_url: str | None = None


class SessionInterview(View):
    title: str
    description: str
    org_name: str
    # The recruiter's own welcome words (content of the interview, shown as written).
    welcome: str = ""
    # The recruiter's welcome video (welcome page) and closing video (done page), captioned; None: none.
    intro_video: VideoLinks | None = None
    closing_video: VideoLinks | None = None
    # The organization's logo and accent colour.
    brand: BrandView | None = None


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
    # The question comes as a video (with captions); it plays when a take starts, before the think time.
    has_video: bool = False
    # Why the last recording sent for this question could not be used (it was deleted). With a take left the
    # question is open again; without, it stays answered and the organization sees the reason.
    refused: str | None = None
    # A screening question (yes_no, choice, number): what the form offers. The preferred answer is never sent.
    screening: bool = False
    options: list[str] = []
    multiple: bool = False
    number_min: float | None = None
    number_max: float | None = None
    unit: str = ""


class SessionView(View):
    candidate_name: str
    interview: SessionInterview
    deadline: datetime
    consent_required: bool
    # The language the candidate app shows this interview in, and the notice's: the interview's
    # language when the app is written in it, else the browser's first that it is, else English.
    locale: CandidateLocale
    notice: str
    notice_version: str
    practice_question: bool
    status: CandidateStatus
    questions: list[SessionQuestion]
    # Timing that adapts and the candidate's own requests; think and answer times above already include the multiplier.
    estimated_minutes: int = 0
    time_multiplier: float = 1.0
    accommodations: list[AccommodationView] = []
    # After finishing: the decision, only when the organization shares it.
    decision: Decision | None = None
    # Follow-up questions waiting for the candidate's answers (after they submitted), through the same link.
    follow_ups: SessionFollowUps | None = None
    # Takes are uploaded while they are recorded (else after, whole).
    live_upload: bool = True
    # The device check may offer a sound-only answer on a slow connection.
    allow_audio_answers: bool = False


class SessionFollowUps(View):
    number: int
    due_at: datetime
    questions: list[SessionQuestion]


class ConsentInput(Command):
    accepted: Literal[True]


class TakeInput(Command):
    """How the candidate will record this take (the device check's offer, or their own choice)."""

    form: AnswerForm = AnswerForm.standard
    # The uplink the device check measured, in kbit/s (none: not measured).
    uplink_kbps: int | None = Field(None, ge=0, le=10_000_000)


class UplinkProbe(View):
    """Where the device check sends a few hundred KB to time the uplink: a presigned PUT of exactly ``bytes``
    bytes to a throwaway object (the uploads bucket's lifecycle deletes it)."""

    url: str
    bytes: int


class TakeView(View):
    take_id: str
    form: AnswerForm = AnswerForm.standard
    prompt: str
    think_seconds: int
    answer_seconds: int
    takes_left: int
    # The recruiter's question video (presigned, short-lived), revealed with the prompt.
    video_url: str | None = None
    poster_url: str | None = None
    captions_url: str | None = None


class UploadRequest(Command):
    content_type: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    size: int = Field(gt=0)


class TakeUploadRequest(Command):
    """A candidate's take: a finished recording (its size), or one still being recorded (``live``)."""

    content_type: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    # The recording's size; none while it is still being recorded (``live``): its final size comes with its last part.
    size: int | None = Field(default=None, gt=0)
    # Upload while recording: parts of ``partSize`` as the recording grows, the last one signed once its size is known.
    live: bool = False

    # A finished recording comes with its size, a live one without (recording.begin_upload refuses either
    # way round with 400: a rule between two fields, which the schema does not state).


class PartUrl(View):
    part_number: int
    url: str


class UploadTicket(View):
    upload_id: str
    part_size: int
    parts: list[PartUrl]


class QuestionMediaTicket(UploadTicket):
    """A question video's upload: an answer's ticket, with the video's id."""

    media_id: str


class PartsRequest(Command):
    part_numbers: list[Annotated[int, Field(ge=1, le=10000)]] = Field(min_length=1, max_length=1000)
    # The recording's final size, once known (a take uploaded while it was recorded): the last part's URL binds it.
    size: int | None = Field(default=None, gt=0)


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
    # Begun while the recording was made (its parts are ``partSize`` long, its size known once declared).
    live: bool = False


class CompletedPart(Command):
    part_number: int = Field(ge=1, le=10000)
    etag: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class CompleteUpload(Command):
    parts: list[CompletedPart] = Field(min_length=1, max_length=10000)


class StatusView(View):
    status: str


class RetryView(View):
    """A failed answer sent through processing again, from its kept recording."""

    question_id: str
    status: Literal["processing"]
    attempt: int  # 1 for the first retry


class TextInput(Command):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000, pattern=NOT_BLANK)]


class ScreeningInput(Command):
    """An answer to a screening question: ``yes`` (yes/no), ``choices`` (multiple choice), or ``number``."""

    yes: bool | None = None
    choices: list[OptionText] | None = Field(None, min_length=1, max_length=10)
    number: float | None = Field(None, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT, allow_inf_nan=False)


class FeedbackInput(Command):
    rating: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None
    # Optional: how fair, and how convenient, the candidate found the interview (1-5).
    fairness: int | None = Field(None, ge=1, le=5)
    convenience: int | None = Field(None, ge=1, le=5)


# -- invitations and accommodations (recruiter and candidate) ------------------
class AccommodationView(View):
    request_id: str
    kind: AccommodationKind
    note: str = ""
    state: AccommodationState
    requested_at: datetime
    decided_at: datetime | None = None
    multiplier: float | None = None


class AccommodationRequest(Command):
    kind: AccommodationKind
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


class AccommodationDecision(Command):
    decision: AccommodationAnswer
    # For extra time: the multiplier it grants (1.5 when not given).
    multiplier: float | None = Field(None, ge=1.0, le=4.0)


class TimeMultiplierInput(Command):
    multiplier: float = Field(ge=1.0, le=4.0)


class DeadlineInput(Command):
    expires_at: datetime
    notify: bool = True


class InvitationStatusView(View):
    candidate_id: str
    status: CandidateStatus
    expires_at: datetime
    revoked: bool
    time_zone: str | None = None
    time_multiplier: float
    text_instead_of_video: bool
    accommodations: list[AccommodationView]
    next_reminder_at: datetime | None = None
    reminders_sent: list[int] = []
    emails: list[EmailStatusView] = []  # the invitation, reminders and new deadlines sent to the candidate, newest first


class CandidateSettings(Command):
    share_decision_with_candidate: bool


class CandidateSettingsView(View):
    share_decision_with_candidate: bool


# -- privacy: access requests and the audit log ---------------------------------
class ExportedObject(View):
    bucket: Literal["uploads", "media"]
    key: str
    size: int
    url: str  # a presigned download, valid for ``urlExpiresInSeconds``


class CandidateExport(View):
    """Everything Oneway stores about one candidate: every item, and every object with a download link."""

    candidate_id: str
    exported_at: datetime
    url_expires_in_seconds: int
    items: list[dict[str, object]]
    objects: list[ExportedObject]


class AnswerDownload(View):
    """One answer's video to save: a presigned URL that downloads it under ``filename``."""

    url: str
    filename: str
    url_expires_in_seconds: int


class CopiedAnswer(View):
    question_id: str
    prompt: str
    kind: QuestionKind
    text: str | None = None  # a written answer
    transcript: str | None = None
    # The answer's video to save (presigned, valid for ``urlExpiresInSeconds``); None while it is being prepared.
    video_url: str | None = None
    video_filename: str | None = None
    ready: bool
    follow_up: bool = False  # an answer to a follow-up question (after the interview's)


class CandidateCopy(View):
    """A candidate's own copy of their answers: what they wrote and said, and their videos to save."""

    interview_title: str
    org_name: str
    made_at: datetime
    url_expires_in_seconds: int
    answers: list[CopiedAnswer]


class AuditEntryView(View):
    event_id: str
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, object] = {}


class AuditList(View):
    month: str
    items: list[AuditEntryView]
    next_cursor: str | None = None  # the next page of the same month and filters


# -- self-apply links ----------------------------------------------------------------
class ApplyLinkInput(Command):
    open: bool
    cap: int | None = Field(None, ge=1, le=100_000)


class ApplyLinkView(View):
    enabled: bool  # a link was ever made (its URL stays the same when closed and opened again)
    open: bool
    cap: int
    applied: int  # candidates made through the link (confirmed addresses)
    url: str | None = None


class ApplyPage(View):
    interview_title: str
    org_name: str
    open: bool
    locale: CandidateLocale  # the language the page speaks (the interview's, as the candidate app's session)
    notice: str  # the privacy notice the applicant agrees to
    brand: BrandView | None = None  # the organization's logo and accent colour


class ApplyInput(Command):
    name: Name
    email: Email
    consent: bool  # agreed to the privacy notice


class ApplyAccepted(View):
    email: str
    expires_at: datetime  # when the code stops working


class ApplyConfirm(Command):
    email: Email
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{6}$")]


class ApplyResult(View):
    invite_url: str
