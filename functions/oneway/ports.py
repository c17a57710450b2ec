"""The ports: what the use cases need from the outside world.

Adapters implement these Protocols (``adapters/``); handlers and the local
stack choose which ones at cold start. Nothing here imports boto3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from .config import Settings
from .domain.base import Model
from .domain.keys import MediaRef, TakeRef
from .domain.languages import DEFAULT as DEFAULT_LANGUAGE
from .domain.languages import Language
from .domain.models import (
    Application,
    Assignment,
    AuditEvent,
    BankQuestion,
    Candidate,
    CandidateFile,
    CandidateStatus,
    Delivery,
    Entity,
    ErasureMarker,
    FollowUpRound,
    Interview,
    InterviewDraft,
    InterviewTemplate,
    JobKind,
    JobStatus,
    Mail,
    Member,
    Organization,
    OutboxMessage,
    Page,
    QuestionMedia,
    Rating,
    Reminder,
    Share,
    Take,
    Webhook,
)


class Writes(Protocol):
    """The unit of work every aggregate shares (one DynamoDB transaction): a state change and the outbox
    messages it causes commit together or not at all. Saves are conditional on ``version``: a new entity
    (version 0) must not exist yet, any other must still have the version it was read with; else the whole
    save raises ``StaleWrite`` and writes nothing."""

    def save(self, *entities: Entity, counters: dict[tuple[str, str], dict[str, int]] | None = None) -> None:
        """Save entities atomically, each only if its version is unchanged, and
        add ``counters`` ({(org_id, interview_id): {name: delta}}) in the same write."""

    def delete_item(self, entity: Entity) -> None: ...


class OrganizationStore(Protocol):
    """Organizations and their members."""

    def get_organization(self, org_id: str) -> Organization | None: ...
    def get_member(self, user_id: str) -> Member | None: ...
    def list_members(self, org_id: str, limit: int = 500) -> list[Member]: ...


class InterviewStore(Protocol):
    """Interviews, their counters and question videos, and the organization's question bank and templates."""

    def get_interview(self, org_id: str, interview_id: str) -> Interview | None: ...
    def find_interview_by_apply_slug(self, slug: str) -> Interview | None:
        """The interview whose public apply link has this slug (open or closed)."""
    def get_application(self, org_id: str, interview_id: str, email_key: str) -> Application | None:
        """Someone's application through the interview's apply link, by their address's hash (consistent read)."""
    def list_interviews(self, org_id: str, cursor: str | None, limit: int) -> Page[Interview]:
        """Newest first; ``next_cursor`` continues the list (a cursor of another organization is refused)."""
    def get_counters(self, org_id: str, interview_id: str) -> dict[str, int]: ...
    def get_counters_many(self, org_id: str, interview_ids: list[str]) -> dict[str, dict[str, int]]:
        """The counters of several interviews in one batch read (a list page's worth), by interview id."""
    def next_deadline(self, org_id: str, interview_id: str, after: datetime) -> datetime | None:
        """The soonest deadline after ``after`` of a candidate still to answer (one index query, one item read)."""
    def get_question_media(self, org_id: str, interview_id: str, media_id: str) -> QuestionMedia | None: ...
    def list_question_media(self, org_id: str, interview_id: str, limit: int = 200) -> list[QuestionMedia]: ...
    def get_follow_up_media(self, org_id: str, candidate_id: str, media_id: str) -> QuestionMedia | None:
        """A follow-up question's video, in its candidate's partition."""
    def list_loose_question_media(self, created_before: datetime, limit: int) -> list[QuestionMedia]:
        """Question videos made before ``created_before`` that no save has attached to a question (a sparse index)."""
    def list_bank(self, org_id: str, limit: int = 500) -> list[BankQuestion]: ...
    def get_bank_question(self, org_id: str, question_id: str) -> BankQuestion | None: ...
    def list_templates(self, org_id: str, limit: int = 200) -> list[InterviewTemplate]:
        """The organization's own interview templates (the built-in ones live in the code)."""
    def get_template(self, org_id: str, template_id: str) -> InterviewTemplate | None: ...
    def get_draft(self, org_id: str, interview_id: str) -> InterviewDraft | None:
        """The draft of an interview not saved yet (consistent read; it may be past ``expires_at``, the TTL lags)."""


class CandidateStore(Protocol):
    """Candidates and their partition (takes, text answers, reviews, reminders); media still processing."""

    def get_candidate(self, org_id: str, candidate_id: str) -> Candidate | None: ...
    def find_candidate_by_token(self, token_hash: str) -> Candidate | None: ...
    def list_candidates(
        self, org_id: str, interview_id: str, status: CandidateStatus | None, cursor: str | None, limit: int
    ) -> Page[Candidate]:
        """By status, then by invitation time; ``next_cursor`` continues the list."""
    def get_candidate_file(self, org_id: str, candidate_id: str) -> CandidateFile | None: ...
    def get_take(self, ref: TakeRef) -> Take | None: ...
    def get_take_and_interview(self, ref: TakeRef) -> tuple[Take | None, Interview | None]:
        """Both in one request (consistent reads)."""
    def list_processing_takes(self, started_before: datetime, limit: int) -> list[Take | QuestionMedia]:
        """Takes and question videos still processing since before ``started_before`` (a sparse index)."""
    def get_reminder(self, org_id: str, candidate_id: str) -> Reminder | None: ...
    def list_follow_ups(self, org_id: str, candidate_id: str) -> list[FollowUpRound]:
        """The candidate's follow-up rounds, by number (consistent read)."""
    def list_due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Reminders due at or before ``now``, earliest first (an index keyed by due time)."""


class ErasureStore(Protocol):
    """Retention and erasure."""

    def list_due_for_erasure(self, day: date, limit: int) -> list[tuple[str, str]]:
        """(org_id, candidate_id) of candidates whose retention ends on ``day``."""
    def get_erasure(self, org_id: str, candidate_id: str) -> ErasureMarker | None:
        """The marker an erased candidate leaves (ids only, until its TTL)."""
    def list_due_sweeps(self, now: datetime, limit: int) -> list[ErasureMarker]:
        """Erasure markers whose sweep is due at or before ``now``, earliest first (a sparse index)."""
    def delete_candidate(self, org_id: str, candidate_id: str) -> int:
        """Delete every item of the candidate; return how many."""
    def candidate_items(self, org_id: str, candidate_id: str) -> list[dict[str, Any]]:
        """Every stored item of one candidate, as stored (for an access request)."""


class ReviewStore(Protocol):
    """What reviewers keep beside their reviews: ratings (for agreement) and assignments."""

    def list_ratings(self, org_id: str, interview_id: str, limit: int = 5000) -> list[Rating]:
        """Every reviewer's scores per candidate of one interview (kept on write, for agreement)."""
    def list_assignments(self, org_id: str, reviewer_id: str, limit: int = 500) -> list[Assignment]: ...


class ShareStore(Protocol):
    """Share links."""

    def find_share_by_token(self, token_hash: str) -> Share | None: ...
    def list_shares_by(self, org_id: str, user_id: str, limit: int = 1000) -> list[Share]:
        """The share links one member made (every candidate), revoked ones included."""


class AuditStore(Protocol):
    """The audit log (append only) and the rate counters."""

    def append_audit(self, event: AuditEvent) -> None: ...
    def list_audit(self, org_id: str, month: str, limit: int) -> list[AuditEvent]: ...
    def audit_page(
        self, org_id: str, month: str, *, actor: str | None = None, action: str | None = None, cursor: str | None = None, limit: int = 100
    ) -> Page[AuditEvent]:
        """One page of a month of the audit log, newest first, filtered by actor and by action (or action family)."""
    def add_count(self, name: str, window: str, expires_at: datetime) -> int:
        """Add one to a rate counter (kept until ``expires_at``); return its new value."""


class SearchStore(Protocol):
    """The transcript index."""

    def put_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words: set[str]) -> None:
        """Index ``words`` of one answer's transcript (search by transcript words)."""
    def delete_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words: set[str]) -> None: ...
    def find_postings(self, org_id: str, interview_id: str, word: str, limit: int) -> list[tuple[str, str]]:
        """(candidate_id, question_id) of the answers whose transcript has ``word``."""


class OutboxStore(Protocol):
    """Outbox messages, webhooks and their deliveries."""

    def list_webhooks(self, org_id: str) -> list[Webhook]: ...
    def get_webhook(self, org_id: str, webhook_id: str) -> Webhook | None: ...
    def list_deliveries(self, org_id: str, webhook_id: str, limit: int = 20) -> list[Delivery]: ...
    def list_due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose next attempt is due (a sparse index: bounded)."""
    def get_message(self, org_id: str, message_id: str, candidate_id: str | None = None) -> OutboxMessage | None:
        """An outbox message, read consistently (``candidate_id``: the candidate it is about, if any)."""
    def list_candidate_messages(self, org_id: str, candidate_id: str, limit: int = 50) -> list[OutboxMessage]:
        """The emails and events about one candidate, newest first."""
    def list_due_messages(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Outbox messages not yet carried out whose next try is due (a sparse index: bounded)."""


class Store(
    Writes,
    OrganizationStore,
    InterviewStore,
    CandidateStore,
    ErasureStore,
    ReviewStore,
    ShareStore,
    AuditStore,
    SearchStore,
    OutboxStore,
    Protocol,
):
    """Oneway's state: every aggregate's store behind one ``save``, so a change of any aggregate commits with
    its outbox messages. Adapters: ``adapters/dynamo`` (one table), ``adapters/memory`` (in memory, for tests).
    A use case that needs less may annotate the narrower port (``CandidateStore``, ``Writes`` ...)."""


class UploadPart(Model):
    part_number: int
    url: str


class StoredPart(Model):
    part_number: int
    etag: str
    size: int


class ObjectInfo(Model):
    key: str
    size: int
    etag: str
    content_type: str | None = None
    head: bytes = b""  # the first bytes, to check the real media type


class Objects(Protocol):
    """Object storage (S3): presigned multipart uploads, downloads, deletion."""

    def create_multipart_upload(self, key: str, content_type: str) -> str: ...
    def presign_parts(self, key: str, upload_id: str, parts: Mapping[int, int]) -> list[UploadPart]:
        """A PUT URL for each part ({part number: its exact length}); the length is signed into the URL."""

    def presign_probe(self, key: str, length: int) -> str:
        """A PUT URL for exactly ``length`` bytes at ``key`` of the uploads bucket (the device check's uplink probe)."""
        ...

    def list_parts(self, key: str, upload_id: str) -> list[StoredPart]: ...
    def complete_multipart_upload(self, key: str, upload_id: str, parts: Sequence[tuple[int, str]]) -> str: ...
    def abort_multipart_upload(self, key: str, upload_id: str) -> None: ...
    def inspect_upload(self, key: str) -> ObjectInfo | None: ...
    def presign_download(self, key: str, *, save_as: str | None = None) -> str:
        """A URL that reads a media object for a short while; ``save_as``: the browser saves it under that name."""
    def read_media_json(self, key: str) -> Any: ...
    def delete_prefix(self, prefix: str) -> int:
        """Delete every object and every version under ``prefix`` in both buckets."""

    def delete_upload(self, key: str) -> int:
        """Delete every version of one uploaded object (a refused recording); return how many."""

    def copy_media(self, source_prefix: str, target_prefix: str) -> int:
        """Copy the current renditions under ``source_prefix`` (media bucket) to ``target_prefix``; return how many."""

    def export_objects(self, prefix: str) -> list[tuple[str, str, int, str]]:
        """(bucket "uploads"|"media", key, size, presigned download URL) of every current object under ``prefix``."""

    def presign_upload(self, key: str, content_type: str, length: int, seconds: int) -> str:
        """A PUT URL for one small object of the uploads bucket, for ``seconds``: its type and exact length signed in."""

    def read_upload(self, key: str, limit: int) -> bytes | None:
        """The first ``limit + 1`` bytes at most of an object of the uploads bucket (more than ``limit``: the object is
        larger); None when there is no such object."""

    def put_media(self, key: str, body: bytes, content_type: str) -> None:
        """Write one object of the media bucket."""

    def read_media(self, key: str) -> bytes | None:
        """One object of the media bucket, whole (a small one); None when there is no such object."""

    def delete_media(self, key: str) -> int:
        """Delete every version of one object of the media bucket; return how many."""


class TranscodeRequest(Model):
    ref: MediaRef
    input_bucket: str
    input_key: str
    output_bucket: str
    output_prefix: str
    idempotency_token: str
    # A sound-only answer: the audio-only rendition alone (no MP4, no poster).
    audio_only: bool = False


class TranscribeRequest(TranscodeRequest):
    transcript_key: str
    # The interview's language: a Transcribe language code, or "auto" to identify it.
    language: Language = DEFAULT_LANGUAGE


class JobState(Model):
    job_id: str
    kind: JobKind
    status: JobStatus
    ref: MediaRef | None = None
    error: str | None = None
    video_key: str | None = None
    poster_key: str | None = None
    audio_key: str | None = None  # the audio-only rendition (blind review)
    duration_seconds: float | None = None
    transcript_key: str | None = None
    captions_key: str | None = None


class Media(Protocol):
    """Transcoding: an H.264/AAC MP4 (at most 864x486, moov first), an audio-only AAC rendition and a poster."""

    def start_transcode(self, request: TranscodeRequest) -> str: ...
    def job_state(self, job_id: str) -> JobState: ...
    def cancel_transcode(self, job_id: str) -> None:
        """Stop a job for good (its recording was erased); a job already finished or gone is left as it is."""


class Speech(Protocol):
    """Transcription: a transcript (Transcribe's JSON shape) and WebVTT captions."""

    def start_transcription(self, request: TranscribeRequest) -> str: ...
    def job_state(self, job_id: str) -> JobState: ...
    def delete_transcription(self, job_id: str) -> bool:
        """Forget a finished job (its recording was erased). False while it still runs: a running
        transcription cannot be stopped, only deleted once it ends; True once it is gone."""


class JobRequests(Protocol):
    """Asks the function that starts media jobs (on_upload) to start a recording's pending jobs."""

    def request_jobs(self, upload_key: str) -> None: ...


class Mailer(Protocol):
    """Sends one email (SES). Raises ``InvalidInput`` for an address that can never be mailed,
    ``EmailUnavailable`` when the service refuses for now (the sandbox, paused sending, the quota)."""

    def send(self, mail: Mail) -> None: ...


class Events(Protocol):
    """Domain events for other systems (EventBridge). Raises when the bus did not take the event."""

    def publish(self, detail_type: str, detail: dict[str, Any]) -> None: ...


class DeadLetters(Protocol):
    """Where the deliver function leaves a note of an outbox message it gave up on (an alarmed queue)."""

    def put(self, note: dict[str, Any]) -> None: ...


class HttpPoster(Protocol):
    """Outgoing HTTP for webhooks."""

    def resolve(self, host: str) -> list[str]:
        """The addresses of ``host`` (raise OSError when it has none)."""

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST a body to a URL whose host resolves to acceptable addresses only (domain/webhook_targets.py),
        connecting to the address checked; the status code. Raises on a refused address or a network error."""


class Directory(Protocol):
    """Member accounts (the Cognito user pool)."""

    def create_user(self, email: str) -> tuple[str, str | None]:
        """Create an account with a temporary password; return (user id, the password if the caller must send it)."""

    def has_totp(self, user_id: str) -> bool:
        """Whether the account signs in with a TOTP code (an authenticator app) as its second factor."""

    def reset_totp(self, user_id: str) -> None:
        """Turn TOTP off for the account (a lost device): it signs in with its password until it sets TOTP up again."""

    def find_user(self, email: str) -> str | None:
        """The user id of the account that signs in with this address, if there is one."""

    def reset_password(self, user_id: str) -> str | None:
        """Void the account's password. An account that has chosen one gets a code by email from the user pool and
        chooses a new password with it (the forgot-password flow); an account still on its temporary password
        gets a new temporary password: returned if the caller must send it (as ``create_user``)."""

    def sign_out_everywhere(self, user_id: str) -> None:
        """End every session of the account: its refresh tokens stop working (an account already gone: nothing)."""

    def disable_user(self, user_id: str) -> None:
        """Refuse the account's sign-ins from now on (an account already gone: nothing)."""

    def delete_user(self, user_id: str) -> None:
        """Delete the account; its address may be invited again, as a new account (already gone: nothing)."""


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass
class Ports:
    """Everything a use case may reach, chosen once by the caller."""

    settings: Settings
    store: Store
    objects: Objects
    media: Media
    speech: Speech
    clock: Clock
    # Side effects outside Oneway: only the deliver function has them (service/delivery.py); every other
    # use case writes an outbox message in the transaction of its change instead (service/outbox.py).
    mailer: Mailer | None = None
    events: Events | None = None
    dead_letters: DeadLetters | None = None
    directory: Directory | None = None  # only the API's function manages accounts
    http: HttpPoster | None = None  # webhooks: addresses checked at creation; POSTs by the deliver function only
    job_requests: JobRequests | None = None  # retries: None starts the jobs in the caller's own process
