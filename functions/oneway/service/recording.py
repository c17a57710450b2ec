"""The candidate's side: session, consent, takes, uploads, text answers, finishing."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

from ..domain import keys
from ..domain.errors import Conflict, InvalidInput, NotFound, StaleWrite, TooLarge, Unauthorized
from ..domain.languages import candidate_locale
from ..domain.models import (
    AccommodationKind,
    AnswerForm,
    Candidate,
    CandidateStatus,
    Interview,
    MailTopic,
    QuestionKind,
    Take,
    TakeStatus,
    TextAnswer,
)
from ..domain.tokens import hash_token, new_id
from ..ports import Ports
from . import first_then, invitations, notifications, outbox, pipeline, question_media, retry_stale, stats
from .limits import MAX_PARTS, recording_limit
from .notice import notice
from .views import (
    AccommodationRequest,
    AccommodationView,
    CompleteUpload,
    FeedbackInput,
    PartUrl,
    PartUrls,
    SessionInterview,
    SessionQuestion,
    SessionView,
    StatusView,
    StoredPartView,
    TakeInput,
    TakeView,
    UplinkProbe,
    UploadRequest,
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
        ),
        deadline=c.expires_at,
        consent_required=c.consent_at is None,
        locale=locale,
        notice=notice(org_name, org.retention_days if org else p.settings.retention_days, locale),
        notice_version=p.settings.notice_version,
        practice_question=interview.practice_question,
        status=shown_status(interview, c),
        decision=c.decision if interview.share_decision_with_candidate else None,
        allow_audio_answers=interview.allow_audio_answers,
        estimated_minutes=notifications.estimated_minutes(interview, c),
        time_multiplier=c.time_multiplier,
        accommodations=[invitations.accommodation_view(a) for a in c.accommodations],
        questions=[
            SessionQuestion(
                question_id=q.question_id,
                # A granted written alternative turns a video question into a written one for this candidate.
                kind=QuestionKind.text if c.answers_in_writing(q) else q.kind,
                prompt=q.prompt if c.answers_in_writing(q) else None,
                think_seconds=c.seconds(q.think_seconds),
                answer_seconds=c.seconds(q.answer_seconds),
                max_takes=q.max_takes,
                takes_used=c.progress[q.question_id].takes_used if q.question_id in c.progress else 0,
                answered=c.progress[q.question_id].answered if q.question_id in c.progress else False,
                has_video=bool(q.media_id) and not c.answers_in_writing(q),
                refused=c.progress[q.question_id].refused if q.question_id in c.progress else None,
            )
            for q in interview.questions
        ],
    )


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
    question = interview.question(question_id)
    if cmd.form == AnswerForm.audio and not interview.allow_audio_answers:
        # Checked before the take is counted: the candidate may choose another form and start again.
        raise Conflict("this interview asks for video answers; choose the reduced quality instead", "audio_not_allowed")
    current = _current(p, c)

    def attempt() -> TakeView:
        cand = current()
        now = p.clock.now()
        left = cand.start_take(question, now)
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
    return shown.model_copy(update=question_media.urls(p, interview, question.media_id))


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


def begin_upload(p: Ports, c: Candidate, question_id: str, take_id: str, req: UploadRequest) -> UploadTicket:
    c.check_answering(p.clock.now())  # as authenticating the request read it (consistently)
    take, interview = p.store.get_take_and_interview(_take_ref(c, question_id, take_id))
    if take is None:
        raise NotFound("no such take", "take_not_found")
    if interview is None:
        raise NotFound("this interview no longer exists", "interview_not_found")
    limit = recording_limit(p, c.seconds(interview.question(question_id).answer_seconds), take.form)
    if req.size > limit:
        shape = {AnswerForm.audio: "a sound-only answer", AnswerForm.reduced: "a reduced-quality answer"}.get(take.form, "an answer")
        raise TooLarge(
            f"this recording is {req.size / 2**20:.1f} MiB; {shape} to this question may be at most {limit / 2**20:.1f} MiB",
            "recording_too_large",
        )
    part_size = p.settings.part_size
    count = math.ceil(req.size / part_size)
    if count > MAX_PARTS:
        raise TooLarge("the recording has too many parts", "recording_too_large")
    key = keys.recording_key(take.ref, req.content_type, audio=take.form == AnswerForm.audio)
    quota = upload_quota(p, c, interview)
    _check_quota(c, take, req.size, quota)  # before anything is created; checked again when saving
    upload_id = p.objects.create_multipart_upload(key, req.content_type)
    current = _current(p, c)
    stored_take = first_then(take, lambda: _take(p, c, question_id, take_id))

    def record() -> tuple[Take, tuple[str, str] | None]:
        cand, fresh = current(), stored_take()
        _check_quota(cand, fresh, req.size, quota)
        replaced: tuple[str, str] | None = None
        if fresh.status == TakeStatus.uploading and fresh.upload_id and fresh.upload_key:
            replaced = (fresh.upload_key, fresh.upload_id)
        restarted = replaced is not None
        # A restarted upload's declaration is replaced by this one.
        cand.upload_bytes += req.size - ((fresh.size or 0) if restarted else 0)
        fresh.begin_upload(key, upload_id, req.content_type, req.size, p.clock.now())
        p.store.save(cand, fresh)
        return fresh, replaced

    try:
        fresh, replaced = retry_stale(record)
    except (TooLarge, Conflict):
        p.objects.abort_multipart_upload(key, upload_id)
        raise
    if replaced is not None:
        # A fresh start replaces an unfinished upload of the same take.
        p.objects.abort_multipart_upload(*replaced)
    # Each part's exact length is signed into its URL: S3 refuses a part of any other length.
    parts = p.objects.presign_parts(key, upload_id, fresh.part_lengths(part_size, range(1, count + 1)))
    return UploadTicket(
        upload_id=upload_id, part_size=part_size, parts=[PartUrl(part_number=u.part_number, url=u.url) for u in parts]
    )


PROBE_BYTES = 256 * 1024  # enough to time a slow uplink in a second or two, small enough for a fast one


def uplink_probe(p: Ports, c: Candidate) -> UplinkProbe:
    """A throwaway object for the device check to time the uplink through the path recordings take (a presigned
    PUT to the uploads bucket). Its key is the server's; the bucket's lifecycle deletes it within a day."""
    c.check_answering(p.clock.now())
    key = keys.probe_key(c.org_id, c.candidate_id, new_id())
    return UplinkProbe(url=p.objects.presign_probe(key, PROBE_BYTES), bytes=PROBE_BYTES)


def upload_quota(p: Ports, c: Candidate, interview: Interview) -> int:
    """The most bytes a candidate's uploads may hold at once: one full-length answer to each video question."""
    return sum(recording_limit(p, c.seconds(q.answer_seconds)) for q in interview.questions if not c.answers_in_writing(q))


def _check_quota(c: Candidate, take: Take, size: int, quota: int) -> None:
    held = c.upload_bytes - ((take.size or 0) if take.status == TakeStatus.uploading else 0)
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


def refresh_parts(p: Ports, c: Candidate, question_id: str, take_id: str, part_numbers: list[int]) -> PartUrls:
    take = _uploading(p, c, question_id, take_id)
    highest = math.ceil((take.size or 0) / p.settings.part_size)
    if any(n > highest for n in part_numbers):
        raise InvalidInput(f"this upload has parts 1 to {highest}", "bad_part_number")
    key, upload_id = take.upload_key, take.upload_id
    assert key and upload_id  # _uploading returns a take with both
    urls = p.objects.presign_parts(key, upload_id, take.part_lengths(p.settings.part_size, sorted(set(part_numbers))))
    return PartUrls(parts=[PartUrl(part_number=u.part_number, url=u.url) for u in urls])


def upload_state(p: Ports, c: Candidate, question_id: str, take_id: str) -> UploadState:
    take = _take(p, c, question_id, take_id)
    parts = []
    if take.status == TakeStatus.uploading and take.upload_id and take.upload_key:
        parts = [StoredPartView(**s.model_dump()) for s in p.objects.list_parts(take.upload_key, take.upload_id)]
    return UploadState(upload_id=take.upload_id, part_size=p.settings.part_size, size=take.size, parts=parts)


def complete_upload(p: Ports, c: Candidate, question_id: str, take_id: str, cmd: CompleteUpload) -> StatusView:
    take = _take(p, c, question_id, take_id)
    if take.status not in (TakeStatus.uploading, TakeStatus.uploaded) or not take.upload_id or not take.upload_key:
        raise Conflict("this take has no upload in progress", "no_upload")
    numbers = [part.part_number for part in cmd.parts]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("each part may be listed once", "duplicate_part")

    # Record the choice first: the object's S3 event may arrive before this call returns.
    current = _current(p, c)
    stored_take = first_then(take, lambda: _take(p, c, question_id, take_id))

    def record() -> None:
        cand = current()
        cand.check_answering(p.clock.now())
        fresh_take = stored_take()
        first = not cand.progress.get(question_id) or not cand.progress[question_id].answered
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
    question = interview.question(question_id)

    def attempt() -> StatusView:
        cand = _fresh(p, c)
        first = not cand.progress.get(question_id) or not cand.progress[question_id].answered
        cand.answer_text(question, p.clock.now())
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
            mail = notifications.accommodation_mail(interview, cand, cmd.kind, cmd.note, creator.email)
            told.append(outbox.mail(p, c.org_id, MailTopic.accommodation, mail, candidate_id=c.candidate_id))
        p.store.save(cand, *told)
        return invitations.accommodation_view(req)

    return retry_stale(attempt)
