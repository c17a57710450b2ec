"""Reviewing a candidate: watching, scoring, deciding."""

from __future__ import annotations

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.models import Actor, CandidateFile, Interview, QuestionKind, Review, StepState, TakeStatus
from ..ports import Ports
from . import audit, interviews, retry_stale
from .views import AnswerView, CandidateDetail, DecisionInput, DecisionView, ReviewInput, ReviewView, RubricView

_ANSWER_STATUS = {
    TakeStatus.recording: "uploading",
    TakeStatus.uploading: "uploading",
    TakeStatus.uploaded: "processing",
    TakeStatus.processing: "processing",
    TakeStatus.ready: "ready",
    TakeStatus.failed: "failed",
}


def _file(p: Ports, actor: Actor, candidate_id: str) -> CandidateFile:
    file = p.store.get_candidate_file(actor.org_id, candidate_id)
    if file is None:
        raise NotFound("no such candidate", "candidate_not_found")
    return file


def _answers(p: Ports, file: CandidateFile, interview: Interview) -> list[AnswerView]:
    answers = []
    for q in interview.questions:
        base = dict(question_id=q.question_id, prompt=q.prompt, kind=q.kind)
        if q.kind == QuestionKind.text:
            text = file.text(q.question_id)
            answers.append(AnswerView(**base, status="ready" if text else "pending", text=text.text if text else None))
            continue
        take = file.submitted_take(q.question_id)
        if take is None:
            answers.append(AnswerView(**base, status="pending"))
            continue
        url = p.objects.presign_download
        answers.append(
            AnswerView(
                **base,
                status=_ANSWER_STATUS[take.status],
                video_url=url(take.video_key) if take.video_key else None,
                poster_url=url(take.poster_key) if take.poster_key else None,
                captions_url=url(take.captions_key) if take.captions_key else None,
                transcript=take.transcript,
                transcript_available=None if take.speech in (None, StepState.pending) else take.speech == StepState.done,
                duration_seconds=take.duration_seconds,
                failure=take.failure,
            )
        )
    return answers


def candidate_detail(p: Ports, actor: Actor, candidate_id: str) -> CandidateDetail:
    file = _file(p, actor, candidate_id)
    c = file.candidate
    interview = interviews.load(p, actor, c.interview_id)
    audit.record(p, actor.org_id, actor.user_id, "candidate.viewed", candidate_id)
    return CandidateDetail(
        candidate_id=c.candidate_id,
        interview_id=c.interview_id,
        interview_title=interview.title,
        name=c.name,
        email=c.email,
        status=c.status,
        invited_at=c.invited_at,
        expires_at=c.expires_at,
        completed_at=c.completed_at,
        rubric=[RubricView(**r.model_dump()) for r in interview.rubric],
        answers=_answers(p, file, interview),
        reviews=[
            ReviewView(
                reviewer_id=r.reviewer_id,
                reviewer_email=r.reviewer_email,
                scores=r.scores,
                comment=r.comment,
                recommendation=r.recommendation,
                submitted_at=r.submitted_at,
            )
            for r in file.reviews
        ],
        decision=DecisionView(decision=c.decision, note=c.decision_note, decided_by=c.decided_by or "", decided_at=c.decided_at)
        if c.decision and c.decided_at
        else None,
    )


def submit_review(p: Ports, actor: Actor, candidate_id: str, cmd: ReviewInput) -> ReviewView:
    file = _file(p, actor, candidate_id)
    if not file.candidate.submitted:
        raise Conflict("the candidate has not submitted the interview yet", "not_submitted")
    interview = interviews.load(p, actor, file.candidate.interview_id)
    names = {r.name for r in interview.rubric}
    unknown = set(cmd.scores) - names
    if unknown:
        raise InvalidInput(f"not in this interview's rubric: {', '.join(sorted(unknown))}", "unknown_rubric_item")
    existing = next((r for r in file.reviews if r.reviewer_id == actor.user_id), None)
    review = Review(
        org_id=actor.org_id,
        candidate_id=candidate_id,
        reviewer_id=actor.user_id,
        reviewer_email=actor.email,
        scores=cmd.scores,
        comment=cmd.comment,
        recommendation=cmd.recommendation,
        submitted_at=p.clock.now(),
        version=existing.version if existing else 0,
    )

    def attempt() -> None:
        cand = p.store.get_candidate(actor.org_id, candidate_id)
        was = cand.status
        cand.mark_reviewed()
        p.store.save(review, *([cand] if cand.status != was else []))

    retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "candidate.reviewed", candidate_id)
    return ReviewView(**review.model_dump(exclude={"org_id", "candidate_id", "version"}))


def decide(p: Ports, actor: Actor, candidate_id: str, cmd: DecisionInput) -> DecisionView:
    actor.require(*interviews.MANAGERS)

    def attempt():
        cand = p.store.get_candidate(actor.org_id, candidate_id)
        if cand is None:
            raise NotFound("no such candidate", "candidate_not_found")
        first = cand.decision is None
        counters = {f"decision.{cmd.decision.value}": 1}
        if first:
            counters["decided"] = 1
        else:
            counters[f"decision.{cand.decision.value}"] = counters.get(f"decision.{cand.decision.value}", 0) - 1
        cand.decide(cmd.decision, cmd.note, actor.user_id, p.clock.now())
        p.store.save(cand, counters={(cand.org_id, cand.interview_id): counters})
        return cand

    cand = retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "candidate.decided", candidate_id, decision=cmd.decision.value)
    p.events.publish(
        "candidate.decided",
        {"orgId": cand.org_id, "interviewId": cand.interview_id, "candidateId": candidate_id, "decision": cmd.decision.value},
    )
    return DecisionView(decision=cand.decision, note=cand.decision_note, decided_by=actor.user_id, decided_at=cand.decided_at)
