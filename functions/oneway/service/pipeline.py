"""From a stored recording to a reviewable answer.

S3 says an object was created -> ``start_processing`` checks it, moves the
take to processing, and starts the transcription and the transcode at once;
each job's outcome -> ``record_media_result``; when every answer is ready the
candidate is ready for review. Every step is safe to repeat: a duplicate or
late event finds the take's state already moved on and changes nothing.

Starting the two jobs is safe to repeat too, part way included. The take is
processing before any job starts, and each job's id is recorded on it as soon
as the job exists; a repeat (SQS delivers the message again after a failure,
the reconciler asks again) starts only the steps with no job id. Transcribe
goes first: its job name is fixed by the take and attempt, so even a repeat
that never learnt the id gets the same job back. MediaConvert answers a
repeated ClientRequestToken with the first job for one minute only, which is
why its id is recorded the moment CreateJob answers. A service at its quota
or throttling (``Busy``) leaves its step pending, unstarted: the other step
goes on, and the reconciler asks again on its next run.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..domain import keys
from ..domain.errors import Busy, Conflict, NotFound
from ..domain.languages import DEFAULT as DEFAULT_LANGUAGE
from ..domain.models import (
    Actor,
    AnswerForm,
    JobKind,
    JobStatus,
    MailTopic,
    QuestionMedia,
    Role,
    StepState,
    Take,
    TakeStatus,
    is_follow_up_id,
)
from ..domain.transcript import transcript_text
from ..ports import JobState, Media, Ports, Speech, TranscodeRequest, TranscribeRequest
from . import audit, emails, erasure, follow_ups, outbox, question_media, retry_stale, search

if TYPE_CHECKING:  # the API's views load when a route needs them, not with the pipeline's functions
    from .views import RetryView

# Magic bytes of the containers browsers record: WebM/Matroska (EBML) and ISO BMFF (MP4, MOV).
EBML = b"\x1a\x45\xdf\xa3"


class UploadedObject(BaseModel):
    bucket: str
    key: str
    etag: str = ""
    size: int = 0


class NotYet(Conflict):
    """An event arrived before the state it follows; the caller retries it later."""

    code = "not_yet"


def is_video(head: bytes) -> bool:
    """A container browsers record in (WebM/Matroska or ISO BMFF), with picture or sound alone."""
    return head.startswith(EBML) or head[4:8] == b"ftyp"


# A video track in a recording's first bytes: a Matroska CodecID element (0x86, a one-byte size) naming a video
# codec ("V_VP8", "V_VP9", "V_AV1", "V_MPEG4/..."), or an MP4 track's handler box of type 'vide'. Browsers write
# the track list at the start (Chromium's WebM, Safari's fragmented MP4); a file whose moov comes last shows
# none here and is taken as it says (the transcode then makes its sound alone).
_VIDEO_TRACK = re.compile(rb"\x86[\x81-\xff]V_|hdlr.{8}vide", re.DOTALL)


def has_video_track(head: bytes) -> bool:
    return _VIDEO_TRACK.search(head) is not None


class Outcome(StrEnum):
    """What became of an upload (or of a request to start its jobs)."""

    started = "started"  # the jobs of its pending steps started
    deferred = "deferred"  # a service was busy: its step stays pending, to be started later
    ignored = "ignored"  # not a recording this stack awaits (a stray key, a repeat, erased), or nothing left to start
    quarantined = "quarantined"  # refused by the checks: the object is deleted


def start_processing(p: Ports, upload: UploadedObject) -> Outcome:
    ref = keys.parse_media_key(upload.key)  # a candidate's take or a recruiter's question video
    if ref is None or upload.bucket != p.settings.uploads_bucket:
        return Outcome.ignored
    take = _recording(p, ref)
    if take is None:
        # Erased, or a stray key. An upload completed while its candidate was being erased goes too.
        erasure.drop_late_upload(p, ref, upload.key)
        return Outcome.ignored
    if take.refused and take.upload_key == upload.key:
        # Refused already; a repeat (the deletion failed, or a duplicate event) deletes the object again.
        p.objects.delete_upload(upload.key)
        return Outcome.quarantined
    if take.status == TakeStatus.processing and take.upload_key == upload.key:
        # A repeat of an event already handled; if starting its jobs failed part way, this goes on with it.
        return start_pending_jobs(p, take)
    if not take.accepts_upload(upload.key):
        return Outcome.ignored
    info = p.objects.inspect_upload(upload.key)
    if info is None:
        return Outcome.ignored
    if info.size > p.settings.max_upload_bytes:
        quarantine(p, take, f"the recording is larger than {p.settings.max_upload_bytes // 2**20} MiB")
        return Outcome.quarantined
    if take.size is not None and info.size > take.size:
        # The declared size was checked against the answer's limit; part URLs do not bind a part's length.
        quarantine(p, take, f"the recording is larger than declared ({info.size} bytes, not {take.size})")
        return Outcome.quarantined
    audio = isinstance(take, Take) and take.form == AnswerForm.audio
    if not is_video(info.head):
        quarantine(p, take, "the file is not an audio recording" if audio else "the file is not a video recording")
        return Outcome.quarantined
    if audio and has_video_track(info.head):
        # A sound-only answer is judged, stored and priced as one: a file with a picture is not what was declared.
        quarantine(p, take, "the recording holds video, but the answer was declared sound only")
        return Outcome.quarantined

    # Processing first, jobs second: whatever fails after this write, the take says which steps are pending.
    def claim() -> Take | QuestionMedia | None:
        current = _recording(p, ref)
        if current is None or not current.accepts_upload(upload.key):
            return None
        current.start_processing(info.etag, p.clock.now())
        p.store.save(current)
        return current

    claimed = retry_stale(claim)
    return start_pending_jobs(p, claimed) if claimed is not None else Outcome.ignored


def job_token(key: str, etag: str, attempt: int) -> str:
    """The idempotency token of one processing attempt of one stored object: a repeat of the
    same attempt (a crash, a duplicate event or request) starts no second job; a retry does."""
    identity = f"{key}#{etag}" if attempt == 0 else f"{key}#{etag}#{attempt}"
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _requests(p: Ports, take: Take | QuestionMedia) -> tuple[TranscodeRequest, TranscribeRequest]:
    assert take.upload_key and take.etag
    common = {
        "ref": take.ref,
        "input_bucket": p.settings.uploads_bucket,
        "input_key": take.upload_key,
        "output_bucket": p.settings.media_bucket,
        "output_prefix": keys.media_prefix(take.ref),
        "idempotency_token": job_token(take.upload_key, take.etag, take.attempt),
    }
    audio_only = isinstance(take, Take) and take.form == AnswerForm.audio
    interview = p.store.get_interview(take.ref.org_id, take.ref.interview_id)
    language = interview.language if interview is not None else DEFAULT_LANGUAGE
    return TranscodeRequest(**common, audio_only=audio_only), TranscribeRequest(**common, transcript_key=keys.transcript_key(take.ref), language=language)


def retry_processing(p: Ports, actor: Actor, candidate_id: str, question_id: str) -> RetryView:
    """Process a failed answer's kept recording again (a recruiter's action after a media job failed).

    The take moves to the next attempt first, by a version-conditional write, so of two requests
    at once one wins and the other finds it no longer failed (409); only the winner starts jobs.
    """
    from .views import RetryView

    actor.require(Role.admin, Role.recruiter)
    file = p.store.get_candidate_file(actor.org_id, candidate_id)
    if file is None:
        raise NotFound("no such candidate", "candidate_not_found")
    submitted = file.submitted_take(question_id)
    if submitted is None:
        raise Conflict("this question has no recorded answer to process again", "not_failed")

    def claim() -> Take:
        take = p.store.get_take(submitted.ref)
        if take is None:
            raise NotFound("no such candidate", "candidate_not_found")
        redo_speech = take.speech == StepState.failed
        take.start_retry(p.clock.now())
        take.video_job_id = None
        if redo_speech:
            take.speech_job_id = None
        p.store.save(take)
        return take

    take = retry_stale(claim)
    audit.record(p, actor.org_id, actor.user_id, "answer.retried", candidate_id, question=question_id, attempt=take.attempt)
    request_jobs(p, take)
    return RetryView(question_id=question_id, status="processing", attempt=take.attempt)


def request_jobs(p: Ports, take: Take | QuestionMedia) -> None:
    """Have a take's pending jobs started (a claimed retry's, or steps deferred): by on_upload, through
    the uploads queue (the API and the reconciler hold no right to start jobs), or here when no queue
    is configured."""
    if p.job_requests is not None and take.upload_key:
        p.job_requests.request_jobs(take.upload_key)
    else:
        start_pending_jobs(p, take)


def start_requested_jobs(p: Ports, key: str) -> Outcome:
    """A job request from the uploads queue (see ``request_jobs``)."""
    ref = keys.parse_media_key(key)
    take = _recording(p, ref) if ref else None
    if take is None or take.upload_key != key or take.status != TakeStatus.processing:
        return Outcome.ignored  # erased, or finished or failed again meanwhile
    return start_pending_jobs(p, take)


def start_pending_jobs(p: Ports, take: Take | QuestionMedia) -> Outcome:
    """Start the jobs of the take's pending steps that have none yet, recording each job's id the moment
    it exists. Safe to repeat, part way included (see the module's docstring): SQS may deliver a request
    twice, the reconciler sends a lost or deferred one again. A step whose service is ``Busy`` stays
    pending, unstarted ("deferred"); any other failure is raised once the other step has had its turn,
    so the message comes back for the failed step only."""
    speech = take.speech == StepState.pending and not take.speech_job_id
    video = take.video == StepState.pending and not take.video_job_id
    if not (video or speech) or not take.upload_key or not take.etag:
        return Outcome.ignored
    transcode, transcribe = _requests(p, take)
    deferred, failure = False, None
    if speech:
        try:
            _record_job(p, take, JobKind.speech, p.speech.start_transcription(transcribe))
        except Exception as error:
            # A transcript is not worth holding the answer back forever: past the limit the step fails, as a failed job does.
            if _past(p, take, p.settings.speech_start_limit_seconds):
                _fail_speech(p, take)
            elif isinstance(error, Busy):
                deferred = True
            else:
                failure = error
    if video:
        try:
            _record_job(p, take, JobKind.video, p.media.start_transcode(transcode))
        except Busy:
            deferred = True
    if failure is not None:
        raise failure
    return Outcome.deferred if deferred else Outcome.started


def _past(p: Ports, take: Take | QuestionMedia, seconds: int) -> bool:
    since = take.processing_since or take.created_at
    return p.clock.now() - since > timedelta(seconds=seconds)


def _record_job(p: Ports, take: Take | QuestionMedia, kind: JobKind, job_id: str) -> None:
    """Keep a started job's id on the take (its attempt, still processing), unless one is kept already."""

    def record() -> None:
        current = _recording(p, take.ref)
        if current is None or current.attempt != take.attempt or current.status != TakeStatus.processing:
            return
        if kind == JobKind.video and not current.video_job_id:
            current.video_job_id = job_id
        elif kind == JobKind.speech and not current.speech_job_id:
            current.speech_job_id = job_id
        else:
            return
        p.store.save(current)

    retry_stale(record)


def _fail_speech(p: Ports, take: Take | QuestionMedia) -> None:
    def fail() -> Take | QuestionMedia | None:
        current = _recording(p, take.ref)
        if current is None or current.attempt != take.attempt or current.speech_job_id:
            return None
        if not current.record_speech(False):
            return None
        p.store.save(current)
        return current

    failed = retry_stale(fail)
    if isinstance(failed, Take) and failed.status in (TakeStatus.ready, TakeStatus.failed):
        settle_candidate(p, failed.org_id, failed.candidate_id)


def _recording(p: Ports, ref: keys.MediaRef) -> Take | QuestionMedia | None:
    if isinstance(ref, keys.QuestionMediaRef):
        return question_media.load_ref(p, ref)
    return p.store.get_take(ref)


def quarantine(p: Ports, take: Take | QuestionMedia, reason: str) -> None:
    """Keep the object out of review and delete it (every version), and say why. The take stays used:
    a candidate with a take left may record again, one without keeps the refused answer, whose
    reason the reviewers see. Junk buys neither another take nor another look at the prompt."""
    if isinstance(take, QuestionMedia):  # the builder shows the reason; the recruiter records again
        retry_stale(lambda: _fail_question_media(p, take.ref, reason))
    else:
        retry_stale(lambda: _refuse_take(p, take, reason))
    if take.upload_key:
        p.objects.delete_upload(take.upload_key)


def _refuse_take(p: Ports, take: Take, reason: str) -> None:
    current = p.store.get_take(take.ref)
    cand = p.store.get_candidate(take.org_id, take.candidate_id)
    if current is None or cand is None:
        return
    interview = p.store.get_interview(take.org_id, take.interview_id)
    current.quarantine(reason)
    if is_follow_up_id(take.question_id):
        found = follow_ups.find_question(p, cand, take.question_id)
        if found is not None:
            cand.refuse_take(found[0], current, reason, p.clock.now(), found[1])
    elif interview is not None:
        cand.refuse_take(interview.question(take.question_id), current, reason, p.clock.now())
    p.store.save(current, cand)
    if interview is not None and cand.submitted:
        settle_candidate(p, cand.org_id, cand.candidate_id)  # the refused answer is final: review need not wait for it


def _fail_question_media(p: Ports, ref: keys.QuestionMediaRef, reason: str) -> None:
    current = question_media.load_ref(p, ref)
    if current is not None:
        current.quarantine(reason)
        p.store.save(current)


def record_media_result(p: Ports, state: JobState) -> bool:
    """Apply one job's outcome to its take (or question video); False when it changed nothing."""
    ref = state.ref
    if ref is None or state.status == JobStatus.running:
        return False

    gone = False

    def attempt() -> Take | QuestionMedia | None:
        nonlocal gone
        take = _recording(p, ref)
        if take is None:
            gone = True
            return None
        if take.status in (TakeStatus.uploading, TakeStatus.uploaded):
            raise NotYet("the take has not started processing yet")
        ok = state.status == JobStatus.complete
        if state.kind == JobKind.video:
            changed = take.record_video(
                ok,
                video_key=state.video_key,
                poster_key=state.poster_key,
                audio_key=state.audio_key,
                duration=state.duration_seconds,
                job_id=state.job_id,
                error=state.error,
            )
        else:
            transcript = None
            if ok and state.transcript_key:
                transcript = transcript_text(p.objects.read_media_json(state.transcript_key))
            changed = take.record_speech(
                ok,
                transcript=transcript,
                transcript_key=state.transcript_key,
                captions_key=state.captions_key,
                job_id=state.job_id,
                error=state.error,
            )
        if not changed:
            return None
        p.store.save(take)
        return take

    take = retry_stale(attempt)
    if take is None:
        if gone:
            # A job that outlived its candidate's erasure: what it wrote goes too (erasure.py).
            erasure.clean_late_result(p, state)
        return False
    if isinstance(take, QuestionMedia):
        return True  # the interview's own video: no candidate to settle, nothing to index
    if state.kind == JobKind.speech and take.transcript:
        search.index_take(p, take)  # the words of the transcript, for search on the pipeline board
    if take.status in (TakeStatus.ready, TakeStatus.failed):
        settle_candidate(p, take.org_id, take.candidate_id)
    return True


def settle_candidate(p: Ports, org_id: str, candidate_id: str) -> bool:
    """Move a completed candidate to 'ready' once every answer is ready, and tell the reviewers
    (the event and the owner's email go with the change, as outbox messages)."""
    interview = None
    owner = None

    def attempt() -> bool:
        nonlocal interview, owner
        file = p.store.get_candidate_file(org_id, candidate_id)
        if file is None:
            return False
        interview = interview or p.store.get_interview(org_id, file.candidate.interview_id)
        if interview is None or not file.all_answers_ready(interview):
            return False
        if not file.candidate.mark_ready(p.clock.now()):
            return False
        ids = {"orgId": org_id, "interviewId": interview.interview_id, "candidateId": candidate_id}
        told = [outbox.event(p, "candidate.ready", ids, candidate_id=candidate_id)]
        owner = owner or p.store.get_member(interview.created_by)
        if owner is not None:
            url = f"{p.settings.site_url.rstrip('/')}/#/candidates/{candidate_id}"
            mail = emails.ready_mail(p, p.store.get_organization(org_id), interview, file.candidate, owner.email, url)
            told.append(outbox.mail(p, org_id, MailTopic.ready, mail, candidate_id=candidate_id))
        p.store.save(file.candidate, *told, counters={(org_id, interview.interview_id): {"ready": 1}})
        return True

    return retry_stale(attempt)


def reconcile(p: Ports, limit: int = 100) -> int:
    """Finish takes whose job events were lost: ask each pending job for its state."""
    before = p.clock.now() - timedelta(seconds=p.settings.reconcile_after_seconds)
    finished = 0
    for take in p.store.list_processing_takes(before, limit):
        if (take.video == StepState.pending and not take.video_job_id) or (take.speech == StepState.pending and not take.speech_job_id):
            request_jobs(p, take)  # a step deferred (its service was busy), or a retry whose job request was lost
        if take.video == StepState.pending and take.video_job_id:
            finished += record_media_result(p, _ask(p.media, take.video_job_id, JobKind.video, take))
        if take.speech == StepState.pending and take.speech_job_id:
            finished += record_media_result(p, _ask(p.speech, take.speech_job_id, JobKind.speech, take))
    return finished


def _ask(service: Media | Speech, job_id: str, kind: JobKind, take: Take | QuestionMedia) -> JobState:
    try:
        state = service.job_state(job_id)
    except NotFound:
        # The job is gone: fail the step with its reason, so the take settles and can be retried.
        return JobState(job_id=job_id, kind=kind, status=JobStatus.failed, ref=take.ref, error="the media job was lost; retry processing")
    return state if state.ref else state.model_copy(update={"ref": take.ref})
