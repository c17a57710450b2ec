"""The candidate's side: session, consent, takes, uploads, text answers, finishing."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import Any

from ..domain import keys, screening
from ..domain.errors import Conflict, InvalidInput, NotFound, StaleWrite, TooLarge, Unauthorized
from ..domain.languages import candidate_locale
from ..domain.models import (
    AccommodationKind,
    AnswerForm,
    Candidate,
    CandidateStatus,
    FollowUpRound,
    Interview,
    MailTopic,
    Question,
    QuestionKind,
    QuestionProgress,
    ScreeningValue,
    Take,
    TakeStatus,
    TextAnswer,
    is_follow_up_id,
)
from ..domain.tokens import hash_token, new_id
from ..ports import Ports
from . import (
    branding,
    first_then,
    follow_ups,
    invitations,
    notifications,
    outbox,
    pipeline,
    question_media,
    retry_stale,
    stats,
)
from .limits import MAX_PARTS, recording_limit
from .notice import notice
from .views import (
    AccommodationRequest,
    AccommodationView,
    CompleteUpload,
    FeedbackInput,
    PartsRequest,
    PartUrl,
    PartUrls,
    ScreeningInput,
    SessionInterview,
    SessionQuestion,
    SessionView,
    StatusView,
    StoredPartView,
    TakeInput,
    TakeUploadRequest,
    TakeView,
    UplinkProbe,
    UploadState,
    UploadTicket,
    VideoLinks,
)


def authenticate(p: Ports, token: str | None) -> Candidate:
    """One answer for unknown, malformed and erased tokens: nothing to tell them apart."""
    if not token or len(token) > 128:
        raise Unauthorized("this interview link is not valid", "invalid_token")
    candidate = p.store.find_candidate_by_token(hash_token(token))
    if candidate is None:
        raise Unauthorized("this interview link is not valid", "invalid_token")
    return candidate


def _interview(p: Ports, c: Candidate) -> Interview:
    interview = p.store.get_interview(c.org_id, c.interview_id)
    if interview is None:
        raise NotFound("this interview no longer exists", "interview_not_found")
    return interview


def _question(p: Ports, c: Candidate, interview: Interview, question_id: str) -> tuple[Question, FollowUpRound | None]:
    """A question of the interview, or one of the candidate's follow-up questions and its round."""
    if is_follow_up_id(question_id):
        found = follow_ups.find_question(p, c, question_id)
        if found is None:
            raise InvalidInput(f"no question {question_id} in this interview", "unknown_question")
        return found
    return interview.question(question_id), None


def session(p: Ports, c: Candidate, accept_language: str | None = None) -> SessionView:
    """``accept_language``: the browser's Accept-Language, for an interview in a language the app is not written in."""
    if not c.submitted:
        c.check_open(p.clock.now())  # an unfinished interview past its deadline: 410, the page says why
    interview = _interview(p, c)
    if c.opened_at is None:  # the funnel's "opened": counted once, on the first visit
        c.opened_at = p.clock.now()
        with contextlib.suppress(StaleWrite):  # a parallel first visit counted it
            p.store.save(c, counters={(c.org_id, c.interview_id): {"opened": 1}})
    org = p.store.get_organization(c.org_id)
    org_name = org.name if org else ""
    locale = candidate_locale(interview.language, accept_language)
    return SessionView(
        candidate_name=c.name,
        interview=SessionInterview(
            title=interview.title,
            description=interview.description,
            org_name=org_name,
            welcome=interview.welcome,
            intro_video=_greeting(p, interview, interview.intro_media_id),
            closing_video=_greeting(p, interview, interview.closing_media_id),
            brand=branding.brand_view(p, org),
        ),
        deadline=c.expires_at,
        consent_required=c.consent_at is None,
        locale=locale,
        notice=notice(org_name, org.retention_days if org else p.settings.retention_days, locale),
        notice_version=p.settings.notice_version,
        practice_question=interview.practice_question,
        status=shown_status(interview, c),
        decision=c.decision if interview.share_decision_with_candidate else None,
        follow_ups=follow_ups.session_follow_ups(p, c),
        allow_audio_answers=interview.allow_audio_answers,
        estimated_minutes=notifications.estimated_minutes(interview, c),
        time_multiplier=c.time_multiplier,
        accommodations=[invitations.accommodation_view(a) for a in c.accommodations],
        live_upload=p.settings.live_uploads,
        questions=[
            SessionQuestion(
                question_id=q.question_id,
                # A granted written alternative turns a video question into a written one for this candidate.
                kind=QuestionKind.text if c.answers_in_writing(q) else q.kind,
                prompt=q.prompt if c.answers_in_writing(q) or q.screening else None,
                think_seconds=c.seconds(q.think_seconds),
                answer_seconds=c.seconds(q.answer_seconds),
                max_takes=q.max_takes,
                takes_used=c.progress[q.question_id].takes_used if q.question_id in c.progress else 0,
                answered=c.progress[q.question_id].answered if q.question_id in c.progress else False,
                has_video=bool(q.media_id) and not c.answers_in_writing(q),
                refused=c.progress[q.question_id].refused if q.question_id in c.progress else None,
                **_screening_form(q),
            )
            for q in interview.questions
        ],
    )


def _screening_form(q: Question) -> dict[str, Any]:
    """What a screening question's form offers the candidate: never its preferred answer."""
    if not q.screening:
        return {}
    return {"screening": True, "options": q.options, "multiple": q.multiple, "number_min": q.number_min, "number_max": q.number_max, "unit": q.unit}


_DECIDED = (CandidateStatus.advanced, CandidateStatus.held, CandidateStatus.rejected)


def shown_status(interview: Interview, c: Candidate) -> CandidateStatus:
    """What the candidate may see: a decision only when the organization shares it, else "under review"."""
    if c.status in _DECIDED and not interview.share_decision_with_candidate:
        return CandidateStatus.reviewed
    return c.status


def _fresh(p: Ports, c: Candidate) -> Candidate:
    current = p.store.get_candidate(c.org_id, c.candidate_id)
    if current is None:
        raise Unauthorized("this interview link is not valid", "invalid_token")
    return current


def _current(p: Ports, c: Candidate) -> Callable[[], Candidate]:
    """The candidate as authenticating the request read it, then the stored one."""
    return first_then(c, lambda: _fresh(p, c))


def give_consent(p: Ports, c: Candidate) -> StatusView:
    def attempt() -> StatusView:
        cand = _fresh(p, c)
        first = cand.consent_at is None
        cand.give_consent(p.clock.now(), p.settings.notice_version)
        p.store.save(cand, counters={(cand.org_id, cand.interview_id): {"started": 1}} if first else None)
        return StatusView(status=cand.status)

    return retry_stale(attempt)


def start_take(p: Ports, c: Candidate, question_id: str, cmd: TakeInput | None = None) -> TakeView:
    """``cmd``: the form the candidate chose for this take (standard when none is said)."""
    cmd = cmd or TakeInput()
    interview = _interview(p, c)
    question, asked = _question(p, c, interview, question_id)
    if cmd.form == AnswerForm.audio and not interview.allow_audio_answers:
        # Checked before the take is counted: the candidate may choose another form and start again.
        raise Conflict("this interview asks for video answers; choose the reduced quality instead", "audio_not_allowed")
    current = _current(p, c)

    def attempt() -> TakeView:
        cand = current()
        now = p.clock.now()
        left = cand.start_take(question, now, asked)
        take = Take(
            org_id=cand.org_id,
            interview_id=cand.interview_id,
            candidate_id=cand.candidate_id,
            question_id=question_id,
            take_id=new_id(),
            created_at=now,
            # What the browser is told below: the server later compares the recording with it.
            think_seconds=cand.seconds(question.think_seconds),
            answer_seconds=cand.seconds(question.answer_seconds),
            form=cmd.form,
            uplink_kbps=cmd.uplink_kbps,
        )
        p.store.save(cand, take)
        return TakeView(
            take_id=take.take_id,
            form=take.form,
            prompt=question.prompt,
            think_seconds=cand.seconds(question.think_seconds),
            answer_seconds=cand.seconds(question.answer_seconds),
            takes_left=left,
        )

    shown = retry_stale(attempt)
    # The question video is revealed with the prompt, never before a take starts.
    # A follow-up question's video is the candidate's own (in their partition), an interview question's the interview's.
    owner = c.candidate_id if asked is not None else None
    return shown.model_copy(update=question_media.urls(p, interview, question.media_id, owner))


def _greeting(p: Ports, interview: Interview, media_id: str | None) -> VideoLinks | None:
    """The recruiter's welcome or closing video, once ready (a video not ready shows nothing)."""
    links = question_media.urls(p, interview, media_id)
    return VideoLinks(**links) if links.get("video_url") else None


def _take_ref(c: Candidate, question_id: str, take_id: str) -> keys.TakeRef:
    return keys.TakeRef(
        org_id=c.org_id, interview_id=c.interview_id, candidate_id=c.candidate_id, question_id=question_id, take_id=take_id
    )


def _take(p: Ports, c: Candidate, question_id: str, take_id: str) -> Take:
    take = p.store.get_take(_take_ref(c, question_id, take_id))
    if take is None:
        raise NotFound("no such take", "take_not_found")
    return take


def begin_upload(p: Ports, c: Candidate, question_id: str, take_id: str, req: TakeUploadRequest) -> UploadTicket:
    """Start a take's multipart upload: of a finished recording (its size known), or of one still being recorded
    (``live``: declared at the answer's bound until its final size comes with its last part, in parts of
    ``live_part_size`` sent as it grows). One upload is open per question: a take's upload aborts another take's."""
    if not req.live and req.size is None:
        raise InvalidInput("the size of a finished recording is required", "size_required")
    if req.live and req.size is not None:
        raise InvalidInput("a recording still being recorded has no size yet", "size_not_known_yet")
    take, interview = p.store.get_take_and_interview(_take_ref(c, question_id, take_id))
    if interview is None:
        raise NotFound("this interview no longer exists", "interview_not_found")
    question, asked = _question(p, c, interview, question_id)
    c.check_answering_in(p.clock.now(), asked)  # as authenticating the request read it (consistently)
    if take is None:
        raise NotFound("no such take", "take_not_found")
    limit = recording_limit(p, c.seconds(question.answer_seconds), take.form)
    size = limit if req.live else (req.size or 0)
    _check_size(size, limit, take.form)
    part_size = p.settings.live_part_size if req.live else p.settings.part_size
    count = math.ceil(size / part_size)
    if count > MAX_PARTS:
        raise TooLarge("the recording has too many parts", "recording_too_large")
    key = keys.recording_key(take.ref, req.content_type, audio=take.form == AnswerForm.audio)
    quota = upload_quota(p, c, interview, p.store.list_follow_ups(c.org_id, c.candidate_id) if asked else [])
    other = _other_open_take(p, c, question_id, take_id)
    _check_quota(c, take, size, quota, other)  # before anything is created; checked again when saving
    upload_id = p.objects.create_multipart_upload(key, req.content_type)
    current = _current(p, c)
    stored_take = first_then(take, lambda: _take(p, c, question_id, take_id))

    def record() -> tuple[Take, list[tuple[str, str]]]:
        cand, fresh = current(), stored_take()
        earlier = _other_open_take(p, cand, question_id, take_id)
        _check_quota(cand, fresh, size, quota, earlier)
        replaced: list[tuple[str, str]] = []
        if fresh.status == TakeStatus.uploading and fresh.upload_id and fresh.upload_key:
            replaced.append((fresh.upload_key, fresh.upload_id))
        # A restarted upload's declaration is replaced by this one.
        cand.upload_bytes += size - ((fresh.size or 0) if replaced else 0)
        changed: list[Take] = [fresh]
        if earlier is not None:
            # Another take of this question was being uploaded (discarded while its upload was open, or its tab
            # closed mid-recording): this take is the candidate's now, the other's upload goes.
            cand.upload_bytes = max(0, cand.upload_bytes - (earlier.size or 0))
            dropped = earlier.cancel_upload()
            if dropped:
                replaced.append(dropped)
            changed.append(earlier)
        live_size = part_size if req.live else None
        fresh.begin_upload(key, upload_id, req.content_type, size, p.clock.now(), part_size=live_size, live=req.live)
        cand.progress.setdefault(question_id, QuestionProgress()).open_take = take_id
        p.store.save(cand, *changed)
        return fresh, replaced

    try:
        fresh, replaced = retry_stale(record)
    except (TooLarge, Conflict):
        p.objects.abort_multipart_upload(key, upload_id)
        raise
    for dropped in replaced:
        # A fresh start replaces an unfinished upload of the same take, or of a take given up.
        p.objects.abort_multipart_upload(*dropped)
    # Each part's exact length is signed into its URL: S3 refuses a part of any other length. While recording,
    # every part but the last is ``part_size`` long: all of them are signed now (no request per part), and the
    # last one once its length is known (POST .../upload/parts with the final size).
    numbers = range(1, count + (0 if req.live else 1))
    parts = p.objects.presign_parts(key, upload_id, fresh.part_lengths(part_size, numbers))
    return UploadTicket(
        upload_id=upload_id, part_size=part_size, parts=[PartUrl(part_number=u.part_number, url=u.url) for u in parts]
    )


def _check_size(size: int, limit: int, form: AnswerForm | None = None) -> None:
    if size > limit:
        shape = {AnswerForm.audio: "a sound-only answer", AnswerForm.reduced: "a reduced-quality answer"}.get(form, "an answer") if form else "an answer"
        raise TooLarge(
            f"this recording is {size / 2**20:.1f} MiB; {shape} to this question may be at most {limit / 2**20:.1f} MiB",
            "recording_too_large",
        )



PROBE_BYTES = 256 * 1024  # enough to time a slow uplink in a second or two, small enough for a fast one


def uplink_probe(p: Ports, c: Candidate) -> UplinkProbe:
    """A throwaway object for the device check to time the uplink through the path recordings take (a presigned
    PUT to the uploads bucket). Its key is the server's; the bucket's lifecycle deletes it within a day."""
    c.check_answering(p.clock.now())
    key = keys.probe_key(c.org_id, c.candidate_id, new_id())
    return UplinkProbe(url=p.objects.presign_probe(key, PROBE_BYTES), bytes=PROBE_BYTES)




def _other_open_take(p: Ports, c: Candidate, question_id: str, take_id: str) -> Take | None:
    """Another take of this question whose upload is open, if any."""
    progress = c.progress.get(question_id)
    if progress is None or not progress.open_take or progress.open_take == take_id:
        return None
    other = p.store.get_take(_take_ref(c, question_id, progress.open_take))
    return other if other is not None and other.status == TakeStatus.uploading else None


def abort_upload(p: Ports, c: Candidate, question_id: str, take_id: str) -> StatusView:
    """A discarded take: its unfinished upload goes (S3 drops the parts it holds) and its bytes count no more.
    The take stays used. Nothing left to abort (aborted already, or never begun): the same answer. An upload
    nobody aborts (a page gone for good) is stopped by the uploads bucket's lifecycle rule a day after it began
    (infra/oneway_infra/storage.py; https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html)."""
    take = _take(p, c, question_id, take_id)
    if take.status not in (TakeStatus.recording, TakeStatus.uploading):
        raise Conflict("this take is already sent", "already_uploaded")
    current = _current(p, c)
    stored_take = first_then(take, lambda: _take(p, c, question_id, take_id))

    def record() -> tuple[str, str] | None:
        cand, fresh = current(), stored_take()
        if fresh.status != TakeStatus.uploading:
            return None
        cand.upload_bytes = max(0, cand.upload_bytes - (fresh.size or 0))
        progress = cand.progress.get(question_id)
        if progress is not None and progress.open_take == take_id:
            progress.open_take = None
        dropped = fresh.cancel_upload()
        p.store.save(cand, fresh)
        return dropped

    dropped = retry_stale(record)
    if dropped:
        p.objects.abort_multipart_upload(*dropped)
    return StatusView(status="aborted")


def upload_quota(p: Ports, c: Candidate, interview: Interview, rounds: list[FollowUpRound] | None = None) -> int:
    """The most bytes a candidate's uploads may hold at once: one full-length answer to each video question,
    the follow-up questions asked of them included."""
    questions = [*interview.questions, *(q for r in rounds or [] for q in r.questions)]
    return sum(recording_limit(p, c.seconds(q.answer_seconds)) for q in questions if not c.answers_in_writing(q) and not q.screening)


def _check_quota(c: Candidate, take: Take, size: int, quota: int, replaced: Take | None = None) -> None:
    """``replaced``: another take whose upload this one's replaces (its bytes are released)."""
    held = c.upload_bytes - ((take.size or 0) if take.status == TakeStatus.uploading else 0)
    held -= (replaced.size or 0) if replaced is not None else 0
    if held + size > quota:
        raise TooLarge(
            f"your recordings would take {(held + size) / 2**20:.1f} MiB; this interview allows {quota / 2**20:.1f} MiB in all",
            "upload_quota_exceeded",
        )


def _uploading(p: Ports, c: Candidate, question_id: str, take_id: str) -> Take:
    take = _take(p, c, question_id, take_id)
    if take.status != TakeStatus.uploading or not take.upload_id or not take.upload_key:
        raise Conflict("this take has no upload in progress", "no_upload")
    return take


def refresh_parts(p: Ports, c: Candidate, question_id: str, take_id: str, req: PartsRequest) -> PartUrls:
    """Fresh part URLs (an expired one, a resumed upload). With ``size``, the recording's final size is declared
    first: a take uploaded while it was recorded gets its last part's URL at that part's length."""
    take = _uploading(p, c, question_id, take_id)
    part_size = take.part_size or p.settings.part_size
    if req.size is not None and req.size != take.size:
        take = _declare_size(p, c, question_id, take_id, take, req.size, part_size)
    highest = math.ceil((take.size or 0) / part_size)
    if any(n > highest for n in req.part_numbers):
        raise InvalidInput(f"this upload has parts 1 to {highest}", "bad_part_number")
    key, upload_id = take.upload_key, take.upload_id
    assert key and upload_id  # _uploading returns a take with both
    urls = p.objects.presign_parts(key, upload_id, take.part_lengths(part_size, sorted(set(req.part_numbers))))
    return PartUrls(parts=[PartUrl(part_number=u.part_number, url=u.url) for u in urls])


def _declare_size(p: Ports, c: Candidate, question_id: str, take_id: str, take: Take, size: int, part_size: int) -> Take:
    interview = _interview(p, c)
    question, asked = _question(p, c, interview, question_id)
    _check_size(size, recording_limit(p, c.seconds(question.answer_seconds), take.form), take.form)
    if math.ceil(size / part_size) > MAX_PARTS:
        raise TooLarge("the recording has too many parts", "recording_too_large")
    quota = upload_quota(p, c, interview, p.store.list_follow_ups(c.org_id, c.candidate_id) if asked else [])
    current = _current(p, c)
    stored_take = first_then(take, lambda: _take(p, c, question_id, take_id))

    def record() -> Take:
        cand, fresh = current(), stored_take()
        _check_quota(cand, fresh, size, quota)
        cand.upload_bytes = max(0, cand.upload_bytes + fresh.declare_size(size, p.clock.now()))
        p.store.save(cand, fresh)
        return fresh

    return retry_stale(record)


def upload_state(p: Ports, c: Candidate, question_id: str, take_id: str) -> UploadState:
    take = _take(p, c, question_id, take_id)
    parts = []
    if take.status == TakeStatus.uploading and take.upload_id and take.upload_key:
        parts = [StoredPartView(**s.model_dump()) for s in p.objects.list_parts(take.upload_key, take.upload_id)]
    return UploadState(
        upload_id=take.upload_id,
        part_size=take.part_size or p.settings.part_size,
        size=take.size,
        parts=parts,
        live=take.live and take.status == TakeStatus.uploading,
    )


def complete_upload(p: Ports, c: Candidate, question_id: str, take_id: str, cmd: CompleteUpload) -> StatusView:
    take = _take(p, c, question_id, take_id)
    if take.status not in (TakeStatus.uploading, TakeStatus.uploaded) or not take.upload_id or not take.upload_key:
        raise Conflict("this take has no upload in progress", "no_upload")
    numbers = [part.part_number for part in cmd.parts]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("each part may be listed once", "duplicate_part")

    asked = follow_ups.find_question(p, c, question_id) if is_follow_up_id(question_id) else None
    # Record the choice first: the object's S3 event may arrive before this call returns.
    current = _current(p, c)
    stored_take = first_then(take, lambda: _take(p, c, question_id, take_id))

    def record() -> None:
        cand = current()
        cand.check_answering_in(p.clock.now(), asked[1] if asked else None)
        fresh_take = stored_take()
        # Follow-up answers are counted apart (follow_ups.py), never in the interview's per-question figures.
        first = not asked and (not cand.progress.get(question_id) or not cand.progress[question_id].answered)
        if fresh_take.status == TakeStatus.uploading:
            fresh_take.mark_uploaded(p.clock.now())
            cand.submit_take(question_id, take_id)
            p.store.save(
                cand, fresh_take, counters={(cand.org_id, cand.interview_id): {f"answered.{question_id}": 1}} if first else None
            )

    retry_stale(record)
    p.objects.complete_multipart_upload(take.upload_key, take.upload_id, [(x.part_number, x.etag) for x in cmd.parts])
    return StatusView(status="processing")


def answer_text(p: Ports, c: Candidate, question_id: str, text: str) -> StatusView:
    interview = _interview(p, c)
    question, asked = _question(p, c, interview, question_id)

    def attempt() -> StatusView:
        cand = _fresh(p, c)
        first = not asked and (not cand.progress.get(question_id) or not cand.progress[question_id].answered)
        cand.answer_text(question, p.clock.now(), asked)
        answer = TextAnswer(
            org_id=cand.org_id,
            interview_id=cand.interview_id,
            candidate_id=cand.candidate_id,
            question_id=question_id,
            text=text,
            answered_at=p.clock.now(),
        )
        p.store.save(cand, answer, counters={(cand.org_id, cand.interview_id): {f"answered.{question_id}": 1}} if first else None)
        return StatusView(status="ready")

    return retry_stale(attempt)


def answer_screening(p: Ports, c: Candidate, question_id: str, cmd: ScreeningInput) -> StatusView:
    """Save a screening answer like a written one, and whether it missed the preferred answer: the candidate is
    flagged for the reviewers (the interview counts flagged candidates); nothing is rejected. The candidate is told
    nothing of the rule."""
    interview = _interview(p, c)
    question = interview.question(question_id)
    if not question.screening:
        raise InvalidInput("this question is not a screening question", "not_a_screening_question")
    value = ScreeningValue(yes=cmd.yes, choices=cmd.choices, number=cmd.number)
    screening.check_answer(question, value)
    missed = screening.misses_rule(question, value)

    def attempt() -> StatusView:
        cand = _fresh(p, c)
        first = not cand.progress.get(question_id) or not cand.progress[question_id].answered
        moved = cand.answer_screening(interview, question, missed, p.clock.now())
        answer = TextAnswer(
            org_id=cand.org_id,
            interview_id=cand.interview_id,
            candidate_id=cand.candidate_id,
            question_id=question_id,
            text=screening.in_words(question, value),
            screening=value,
            missed_rule=missed,
            answered_at=p.clock.now(),
        )
        if not first:  # a changed answer (before submitting) replaces the stored one
            stored = p.store.get_candidate_file(cand.org_id, cand.candidate_id)
            held = stored.text(question_id) if stored else None
            answer.version = held.version if held else 0
        counts = {**({f"answered.{question_id}": 1} if first else {}), **({"flagged": moved} if moved else {})}
        p.store.save(cand, answer, counters={(cand.org_id, cand.interview_id): counts} if counts else None)
        return StatusView(status="ready")

    return retry_stale(attempt)


def complete_interview(p: Ports, c: Candidate) -> StatusView:
    interview = _interview(p, c)

    def attempt() -> Candidate:
        cand, now = _fresh(p, c), p.clock.now()
        cand.complete(interview, now)
        ids = {"orgId": cand.org_id, "interviewId": cand.interview_id, "candidateId": cand.candidate_id}
        p.store.save(
            cand,
            *notifications.stop_waiting(p, cand),
            outbox.event(p, "candidate.completed", ids, candidate_id=cand.candidate_id),
            counters={(cand.org_id, cand.interview_id): {"completed": 1, stats.duration_bucket("complete", cand.consent_at or cand.invited_at, now): 1}},
        )
        return cand

    cand = retry_stale(attempt)
    pipeline.settle_candidate(p, cand.org_id, cand.candidate_id)
    return StatusView(status=cand.status)


def complete_follow_ups(p: Ports, c: Candidate) -> StatusView:
    return follow_ups.complete(p, c)


def give_feedback(p: Ports, c: Candidate, cmd: FeedbackInput) -> StatusView:
    def attempt() -> StatusView:
        cand = _fresh(p, c)
        if not cand.submitted:
            raise Conflict("feedback comes after the interview is submitted", "not_submitted")
        first = cand.feedback_rating is None
        old = cand.feedback_rating or 0
        cand.feedback_rating, cand.feedback_comment = cmd.rating, cmd.comment
        counters = {"feedback.count": 1 if first else 0, "feedback.sum": cmd.rating - old}
        counters[f"feedback.rating.{cmd.rating}"] = 1
        if old:
            counters[f"feedback.rating.{old}"] = counters.get(f"feedback.rating.{old}", 0) - 1
        # Fairness and convenience: optional each; a second sending replaces the first's (counted once).
        for name in ("fairness", "convenience"):
            new, before = getattr(cmd, name), getattr(cand, f"feedback_{name}")
            if new is None:
                continue
            if before is None:
                counters[f"feedback.{name}.count"] = 1
            counters[f"feedback.{name}.sum"] = new - (before or 0)
            counters[f"feedback.{name}.{new}"] = counters.get(f"feedback.{name}.{new}", 0) + 1
            if before is not None:
                counters[f"feedback.{name}.{before}"] = counters.get(f"feedback.{name}.{before}", 0) - 1
            setattr(cand, f"feedback_{name}", new)
        p.store.save(cand, counters={(cand.org_id, cand.interview_id): counters})
        return StatusView(status="thanks")

    return retry_stale(attempt)


def ask_accommodation(p: Ports, c: Candidate, cmd: AccommodationRequest) -> AccommodationView:
    """Extra time or a written alternative to video: the organization grants or declines it."""

    interview = _interview(p, c)
    creator = p.store.get_member(interview.created_by)

    def attempt() -> AccommodationView:
        cand = _fresh(p, c)
        req = invitations.request_accommodation(cand, AccommodationKind(cmd.kind), cmd.note, p.clock.now())
        ids = {"orgId": c.org_id, "interviewId": c.interview_id, "candidateId": c.candidate_id}
        told = [outbox.event(p, "candidate.accommodation_requested", {**ids, "kind": cmd.kind}, candidate_id=c.candidate_id)]
        if creator is not None:
            mail = notifications.accommodation_mail(p, interview, cand, cmd.kind, cmd.note, creator.email)
            told.append(outbox.mail(p, c.org_id, MailTopic.accommodation, mail, candidate_id=c.candidate_id))
        p.store.save(cand, *told)
        return invitations.accommodation_view(req)

    return retry_stale(attempt)
