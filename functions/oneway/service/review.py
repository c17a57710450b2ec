"""Reviewing a candidate: watching, scoring, deciding."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..domain import screening, timing
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.models import (
    SHOWN_STATUS,
    Actor,
    AnswerForm,
    AnswerStatus,
    Assignment,
    Candidate,
    CandidateFile,
    Decision,
    FollowUpRound,
    FollowUpState,
    GuestOpinion,
    Interview,
    MailTopic,
    Question,
    QuestionKind,
    Rating,
    Review,
    Role,
    StepState,
    Take,
    TimedNote,
)
from ..ports import Ports
from . import access, audit, emails, follow_ups, interviews, outbox, question_media, retry_stale, stats
from .views import (
    AnswerTiming,
    AnswerView,
    AssignmentInput,
    AssignmentList,
    AssignmentView,
    CandidateDetail,
    DecisionInput,
    DecisionView,
    FollowUpMark,
    GuestOpinionView,
    NoteView,
    ReviewInput,
    ReviewView,
    RubricView,
    TimingOverrunView,
)

# Reviewers see and score only the candidates assigned to them.
candidate_file = access.candidate_file


def is_blind(actor: Actor, interview: Interview) -> bool:
    return interview.blind or actor.blind


def require_sighted(actor: Actor) -> None:
    """A share link, an export or a fresh invitation link would show a member in blind review the candidate."""
    if actor.blind:
        raise Forbidden(
            "blind review is on for your account: links, exports and invitation links would show the candidate", "blind_review"
        )


def blind_label(candidate_id: str) -> str:
    # The id's last characters are random (its first ones are a timestamp, shared by a batch of invitations).
    return f"Candidate {candidate_id[-6:].upper()}"


def answered(file: CandidateFile, question_id: str) -> bool:
    """Has the candidate sent an answer to this question (a written one, or a submitted take)?"""
    return file.text(question_id) is not None or file.submitted_take(question_id) is not None


def answer_views(p: Ports, file: CandidateFile, interview: Interview, blind: bool = False) -> list[AnswerView]:
    """The interview's answers in order, then the answers to follow-up questions, round by round (a cancelled
    round's none), each marked as a follow-up."""
    answers = [_answer_view(p, file, q, blind) for q in interview.questions]
    for r in file.follow_ups:
        if r.state == FollowUpState.cancelled:
            continue
        answers += [_answer_view(p, file, q, blind, _follow_up_mark(p, file, r, q)) for q in r.questions]
    return answers


def _follow_up_mark(p: Ports, file: CandidateFile, r: FollowUpRound, q: Question) -> FollowUpMark:
    """Which round asked the question, and its video (when it came as one), shown beside the answer."""
    video = next((m for m in file.follow_up_media if m.media_id == q.media_id), None) if q.media_id else None
    return FollowUpMark(round=r.number, asked_at=r.asked_at, question_video=question_media.view(p, video) if video else None)


def _answer_view(p: Ports, file: CandidateFile, q: Question, blind: bool, follow_up: FollowUpMark | None = None) -> AnswerView:
    base: dict[str, Any] = {"question_id": q.question_id, "prompt": q.prompt, "kind": q.kind, "follow_up": follow_up}
    if q.screening:
        # Not identifying: a screening answer shows in blind review too, with the flag when it missed the rule.
        given = file.text(q.question_id)
        return AnswerView(
            **base,
            status=AnswerStatus.ready if given else AnswerStatus.pending,
            text=given.text if given else None,
            preferred=screening.rule_in_words(q),
            missed_rule=given.missed_rule if given else None,
        )
    # A written answer to a video question: the candidate was granted a written alternative.
    if q.kind == QuestionKind.text or file.text(q.question_id) is not None:
        text = file.text(q.question_id)
        return AnswerView(**base, status=AnswerStatus.ready if text else AnswerStatus.pending, text=text.text if text else None)
    progress = file.candidate.progress.get(q.question_id)
    base["refused"] = progress.refused if progress else None
    take = file.submitted_take(q.question_id)
    if take is None:
        return AnswerView(**base, status=AnswerStatus.pending)
    url = p.objects.presign_download
    return AnswerView(
        **base,
        status=AnswerStatus(SHOWN_STATUS[take.status]),
        # Blind review sends no picture, nor any URL of one: no poster, no MP4, only the audio-only
        # rendition (answers processed before it existed have none: their transcript stands alone).
        video_url=url(take.video_key) if take.video_key and not blind else None,
        # A sound-only answer plays its audio-only rendition for everyone (it has no MP4 or poster).
        audio_url=url(take.audio_key) if take.audio_key and (blind or take.form == AnswerForm.audio) else None,
        poster_url=url(take.poster_key) if take.poster_key and not blind else None,
        captions_url=url(take.captions_key) if take.captions_key else None,
        transcript=take.transcript,
        transcript_available=None if take.speech in (None, StepState.pending) else take.speech == StepState.done,
        duration_seconds=take.duration_seconds,
        failure=take.failure,
        timing=answer_timing(file.candidate, q, take),
        form=take.form,
        uplink_kbps=take.uplink_kbps,
    )


def answer_timing(candidate: Candidate, question: Question, take: Take) -> AnswerTiming | None:
    """The times the take was given and what the server saw: its length and when it was sent."""
    if take.refused:
        return None
    # Takes started before the times were kept on them: the candidate's times as they are now.
    think = take.think_seconds if take.think_seconds is not None else candidate.seconds(question.think_seconds)
    answer = take.answer_seconds if take.answer_seconds is not None else candidate.seconds(question.answer_seconds)
    sent = take.upload_requested_at or take.uploaded_at
    found = timing.overruns(
        think_seconds=think,
        answer_seconds=answer,
        duration_seconds=take.duration_seconds,
        started_at=take.created_at,
        upload_requested_at=sent,
    )
    return AnswerTiming(
        think_seconds=think,
        answer_seconds=answer,
        recording_seconds=take.duration_seconds,
        seconds_to_upload=round((sent - take.created_at).total_seconds(), 1) if sent else None,
        overruns=[TimingOverrunView(**o.model_dump()) for o in found],
    )


def sees_scores(user_id: str, candidate: Candidate, reviewers: Iterable[Review | Rating]) -> bool:
    """Independent scoring: others' scores of a candidate reach a member only once they have
    submitted their own, or once the candidate is decided (scoring is over). The review page,
    the CSV export and the analytics' score distribution all keep to this rule."""
    return candidate.decision is not None or any(r.reviewer_id == user_id for r in reviewers)


def visible_notes(actor: Actor, file: CandidateFile) -> list[NoteView]:
    """Notes pinned to moments of the answers (service/notes.py): the caller's own, and others' under the rule
    of the reviews (independent scoring)."""
    others = sees_scores(actor.user_id, file.candidate, file.reviews)
    return [note_view(n) for n in file.notes if n.author_id == actor.user_id or others]


def note_view(n: TimedNote) -> NoteView:
    return NoteView(**n.model_dump(include={"note_id", "question_id", "seconds", "text", "author_id", "author_email", "created_at"}))


def guest_opinion_view(g: GuestOpinion) -> GuestOpinionView:
    return GuestOpinionView(
        guest_name=g.guest_name,
        label=f"{g.guest_name} (guest)",
        scores=g.scores,
        comment=g.comment,
        recommendation=g.recommendation,
        submitted_at=g.submitted_at,
        updated_at=g.updated_at,
    )


def _score_counters(scores: dict[str, int], sign: int) -> dict[str, int]:
    return {f"score.{name}.{score}": sign for name, score in scores.items()}


def _add(total: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    for k, v in more.items():
        total[k] = total.get(k, 0) + v
    return total


def _review_view(r: Review) -> ReviewView:
    return ReviewView(**r.model_dump(exclude={"org_id", "candidate_id", "version"}))


def candidate_detail(p: Ports, actor: Actor, candidate_id: str) -> CandidateDetail:
    file = candidate_file(p, actor, candidate_id)
    c = file.candidate
    interview = interviews.load(p, actor, c.interview_id)
    blind = is_blind(actor, interview)
    audit.record(p, actor.org_id, actor.user_id, "candidate.viewed", candidate_id, blind=blind)
    sees = sees_scores(actor.user_id, c, file.reviews)
    visible = file.reviews if sees else []
    rounds, can_ask = follow_ups.detail(p, file)
    guests = file.guest_opinions if sees else []
    return CandidateDetail(
        candidate_id=c.candidate_id,
        interview_id=c.interview_id,
        interview_title=interview.title,
        name=None if blind else c.name,
        email=None if blind else c.email,
        blind=blind,
        label=blind_label(c.candidate_id) if blind else c.name,
        status=c.status,
        invited_at=c.invited_at,
        expires_at=c.expires_at,
        completed_at=c.completed_at,
        rubric=[RubricView(**r.model_dump()) for r in interview.rubric],
        answers=answer_views(p, file, interview, blind),
        reviews=[_review_view(r) for r in visible],
        hidden_reviews=len(file.reviews) - len(visible),
        decision=DecisionView(decision=c.decision, note=c.decision_note, decided_by=c.decided_by or "", decided_at=c.decided_at)
        if c.decision and c.decided_at
        else None,
        assigned_reviewers=[a.reviewer_id for a in file.assignments],
        emails=outbox.email_views(file.messages) if actor.role in interviews.MANAGERS and not blind else [],
        notes=visible_notes(actor, file),
        scheduling_url=interview.scheduling_url if actor.role in interviews.MANAGERS else None,
        reject_email=interview.reject_email and actor.role in interviews.MANAGERS,
        guest_opinions=[guest_opinion_view(g) for g in guests],
        hidden_guest_opinions=len(file.guest_opinions) - len(guests),
        follow_ups=rounds,
        can_ask_follow_ups=can_ask,
    )


def submit_review(p: Ports, actor: Actor, candidate_id: str, cmd: ReviewInput) -> ReviewView:
    file = candidate_file(p, actor, candidate_id)
    if not file.candidate.submitted:
        raise Conflict("the candidate has not submitted the interview yet", "not_submitted")
    interview = interviews.load(p, actor, file.candidate.interview_id)
    names = {r.name for r in interview.rubric}
    unknown = set(cmd.scores) - names
    if unknown:
        raise InvalidInput(f"not in this interview's rubric: {', '.join(sorted(unknown))}", "unknown_rubric_item")
    # An item scored on one question is scored on that question's answer: none to score without one.
    unanswered = sorted(r.name for r in interview.rubric if r.name in cmd.scores and r.question_id and not answered(file, r.question_id))
    if unanswered:
        raise Conflict(f"scored on a question the candidate has not answered: {', '.join(unanswered)}", "question_not_answered")
    existing = next((r for r in file.reviews if r.reviewer_id == actor.user_id), None)
    now = p.clock.now()
    review = Review(
        org_id=actor.org_id,
        candidate_id=candidate_id,
        reviewer_id=actor.user_id,
        reviewer_email=actor.email,
        scores=cmd.scores,
        comment=cmd.comment,
        recommendation=cmd.recommendation,
        submitted_at=now,
        version=existing.version if existing else 0,
    )
    # The rating (the scores again, indexed by interview) feeds the agreement statistic; saved with the review.
    rating = Rating(
        org_id=actor.org_id,
        interview_id=file.candidate.interview_id,
        candidate_id=candidate_id,
        reviewer_id=actor.user_id,
        scores=cmd.scores,
        version=next((r.version for r in file.ratings if r.reviewer_id == actor.user_id), 0),
    )
    def attempt() -> None:
        cand = p.store.get_candidate(actor.org_id, candidate_id)
        if cand is None:  # erased since the review was read
            raise NotFound("no such candidate", "candidate_not_found")
        counters: dict[str, int] = {}
        if not existing:
            counters[f"reviewed.{actor.user_id}.{now:%Y-%m-%d}"] = 1  # throughput: first reviews per reviewer per day
            # Screened per member per day (analytics.screening): one candidate once, by review or by a decision alone.
            if not (cand.decision is not None and cand.decided_by == actor.user_id):
                counters[screened_key(actor.user_id, now)] = 1
        # The score distribution counts decided candidates only (see sees_scores); before the
        # decision, decide() adds every review's scores at once.
        if cand.decision is not None:
            _add(counters, _score_counters(cmd.scores, +1))
            if existing:
                _add(counters, _score_counters(existing.scores, -1))
        cand.mark_reviewed(actor.user_id, cmd.scores)
        # The candidate is always written (its version checked), so a decision made meanwhile
        # sends this review round again instead of leaving its scores out of the distribution.
        p.store.save(review, rating, cand, counters={(actor.org_id, cand.interview_id): counters})

    retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "candidate.reviewed", candidate_id)
    return _review_view(review)


def screened_key(user_id: str, at: datetime) -> str:
    return f"screened.{user_id}.{at:%Y-%m-%d}"


def decide(p: Ports, actor: Actor, candidate_id: str, cmd: DecisionInput) -> DecisionView:
    actor.require(*interviews.MANAGERS)
    if cmd.send_next_step and cmd.decision != Decision.advance:
        # Emails for hold and reject are another matter (their own templates); this one follows an advance only.
        raise InvalidInput("the next-step email goes with an advance only", "next_step_advance_only")
    sent = False

    def attempt() -> Candidate:
        nonlocal sent
        file = p.store.get_candidate_file(actor.org_id, candidate_id)
        if file is None:
            raise NotFound("no such candidate", "candidate_not_found")
        cand = file.candidate
        previous = cand.decision
        now = p.clock.now()
        counters = {f"decision.{cmd.decision.value}": 1}
        if previous is None:
            counters["decided"] = 1
            counters[stats.duration_bucket("decide", cand.invited_at, now)] = 1
            for r in file.reviews:  # the candidate's scores join the distribution now
                _add(counters, _score_counters(r.scores, +1))
            if not any(r.reviewer_id == actor.user_id for r in file.reviews):
                counters[screened_key(actor.user_id, now)] = 1
        else:
            counters[f"decision.{previous.value}"] = counters.get(f"decision.{previous.value}", 0) - 1
        interview = p.store.get_interview(cand.org_id, cand.interview_id)
        wanted = cmd.send_next_step
        if wanted is None:  # the default: when there is a link to send, and not twice for one advance
            wanted = cmd.decision == Decision.advance and previous != Decision.advance and bool(interview and interview.scheduling_url)
        cand.decide(cmd.decision, cmd.note, actor.user_id, now)
        decided = outbox.event(
            p,
            "candidate.decided",
            {"orgId": cand.org_id, "interviewId": cand.interview_id, "candidateId": candidate_id, "decision": cmd.decision.value},
            candidate_id=candidate_id,
        )
        mail = []
        if wanted and interview is not None:
            text = emails.decision_mail(p, p.store.get_organization(cand.org_id), interview, cand, "advance")
            mail.append(outbox.mail(p, cand.org_id, MailTopic.next_step, text, candidate_id=candidate_id))
        # The reject email: only when the interview sends it, once per rejection (not again for a rejection repeated).
        rejecting = cmd.decision == Decision.reject and previous != Decision.reject
        if rejecting and interview is not None and interview.reject_email:
            text = emails.decision_mail(p, p.store.get_organization(cand.org_id), interview, cand, "reject")
            mail.append(outbox.mail(p, cand.org_id, MailTopic.rejected, text, candidate_id=candidate_id))
        p.store.save(cand, decided, *mail, counters={(cand.org_id, cand.interview_id): counters})
        sent = bool(mail)
        return cand

    cand = retry_stale(attempt)
    detail: dict[str, Any] = {"decision": cmd.decision.value, "next_step_email": sent and cmd.decision == Decision.advance}
    if cmd.decision == Decision.reject:
        detail["reject_email"] = sent
    audit.record(p, actor.org_id, actor.user_id, "candidate.decided", candidate_id, **detail)
    return DecisionView(decision=cand.decision, note=cand.decision_note, decided_by=actor.user_id, decided_at=cand.decided_at)


def assign(p: Ports, actor: Actor, candidate_id: str, cmd: AssignmentInput) -> AssignmentView:
    actor.require(*interviews.MANAGERS)
    file = candidate_file(p, actor, candidate_id)
    member = p.store.get_member(cmd.reviewer_id)
    if member is None or member.org_id != actor.org_id:
        raise InvalidInput("no such member in this organization", "unknown_member")
    existing = next((a for a in file.assignments if a.reviewer_id == cmd.reviewer_id), None)
    a = existing or Assignment(
        org_id=actor.org_id,
        interview_id=file.candidate.interview_id,
        candidate_id=candidate_id,
        reviewer_id=cmd.reviewer_id,
        assigned_by=actor.user_id,
        assigned_at=p.clock.now(),
    )
    if existing is None:
        p.store.save(a)
        audit.record(p, actor.org_id, actor.user_id, "candidate.assigned", candidate_id, reviewer=cmd.reviewer_id)
    return _assignment_view(a)


def unassign(p: Ports, actor: Actor, candidate_id: str, reviewer_id: str) -> None:
    actor.require(*interviews.MANAGERS)
    file = candidate_file(p, actor, candidate_id)
    for a in file.assignments:
        if a.reviewer_id == reviewer_id:
            p.store.delete_item(a)
            audit.record(p, actor.org_id, actor.user_id, "candidate.unassigned", candidate_id, reviewer=reviewer_id)


def my_assignments(p: Ports, actor: Actor) -> AssignmentList:
    return AssignmentList(items=[_assignment_view(a) for a in p.store.list_assignments(actor.org_id, actor.user_id)])


def _assignment_view(a: Assignment) -> AssignmentView:
    return AssignmentView(interview_id=a.interview_id, candidate_id=a.candidate_id, reviewer_id=a.reviewer_id, assigned_at=a.assigned_at)


def require_not_reviewer(actor: Actor) -> None:
    if actor.role == Role.reviewer:
        raise Forbidden("reviewers see only the candidates assigned to them", "role_required")
