"""Follow-up questions: after a candidate submitted, a member who may review them asks one to three more
questions of that candidate alone; the candidate answers them through the same link, with the same recorder,
limits and upload path, before a deadline of their own.

A round (``FollowUpRound``) lives in the candidate's partition, and its answers are takes and text answers
there like any other (keyed by the questions' ids, ``f<round>-<n>``): the pipeline processes them, the
reviewers' page shows them after the interview's answers marked as follow-ups, and an erasure takes them along.
The candidate's link needs nothing new: a submitted candidate's link lives until retention erases them (or it is
revoked), so the email only says to use it; the token stays a hash, the address stays with the outbox.

Rubric scoring stays on the interview's questions (an item scored on one question names one of them); the
overall scores, comments and timed notes cover the follow-up answers too. Analytics count follow-ups apart:
``followup.*`` counters, never the per-question ``answered.*`` ones.
"""

from __future__ import annotations

from datetime import timedelta

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.models import (
    SHOWN_STATUS,
    Actor,
    Candidate,
    CandidateFile,
    FollowUpRound,
    FollowUpState,
    Interview,
    Mail,
    MailTopic,
    Question,
    QuestionKind,
    QuestionMedia,
    TakeStatus,
    follow_up_question_id,
)
from ..ports import Ports
from . import audit, emails, interviews, outbox, question_media, retry_stale
from .access import candidate_file
from .views import (
    AskFollowUps,
    FollowUpQuestionView,
    FollowUpRoundView,
    QuestionMediaView,
    SessionFollowUps,
    SessionQuestion,
    StatusView,
)


def _defaults(interview: Interview) -> tuple[int, int, int]:
    """The interview's limits for a follow-up that sets none: its longest think and answer times, its most takes."""
    qs = interview.questions
    return max(q.think_seconds for q in qs), max(q.answer_seconds for q in qs), max(q.max_takes for q in qs)


def why_not(candidate: Candidate, rounds: list[FollowUpRound]) -> Conflict | None:
    """Why a new round cannot be asked now (None: it can)."""
    if not candidate.submitted:
        return Conflict("follow-up questions come after the candidate submitted the interview", "not_submitted")
    if candidate.decision is not None:
        return Conflict("the candidate is decided: follow-up questions come before a decision", "already_decided")
    if candidate.revoked_at is not None:
        return Conflict("the candidate's link is revoked", "link_revoked")
    if any(r.state == FollowUpState.open for r in rounds):
        return Conflict("follow-up questions are already waiting for this candidate's answers; cancel them first", "follow_ups_open")
    return None


def ask(p: Ports, actor: Actor, candidate_id: str, cmd: AskFollowUps) -> FollowUpRoundView:
    """Any member who may review the candidate (an admin, a recruiter, an assigned reviewer) may ask; in blind
    review too: the email goes to the candidate from the outbox, and nothing of the address comes back."""
    file = candidate_file(p, actor, candidate_id)
    interview = interviews.load(p, actor, file.candidate.interview_id)
    think, answer, takes = _defaults(interview)
    videos = _check_videos(p, actor, candidate_id, cmd)
    org = p.store.get_organization(actor.org_id)
    retention = org.retention_days if org else p.settings.retention_days

    def attempt() -> FollowUpRound:
        cand = p.store.get_candidate(actor.org_id, candidate_id)
        if cand is None:
            raise NotFound("no such candidate", "candidate_not_found")
        rounds = p.store.list_follow_ups(actor.org_id, candidate_id)
        refused = why_not(cand, rounds)
        if refused is not None:
            raise refused
        now = p.clock.now()
        number = max((r.number for r in rounds), default=0) + 1
        r = FollowUpRound(
            org_id=cand.org_id,
            interview_id=cand.interview_id,
            candidate_id=candidate_id,
            number=number,
            questions=[
                Question(
                    question_id=follow_up_question_id(number, i),
                    prompt=q.prompt,
                    kind=QuestionKind(q.kind),
                    think_seconds=think if q.think_seconds is None else q.think_seconds,
                    answer_seconds=answer if q.answer_seconds is None else q.answer_seconds,
                    max_takes=takes if q.max_takes is None else q.max_takes,
                    media_id=q.media_id,
                )
                for i, q in enumerate(cmd.questions, start=1)
            ],
            asked_by=actor.user_id,
            asked_at=now,
            due_at=now + timedelta(days=cmd.deadline_days),
        )
        # The answers are kept the organization's retention period after the follow-ups' deadline at least.
        keep = (r.due_at + timedelta(days=retention)).date()
        if cand.retain_until is None or cand.retain_until < keep:
            cand.retain_until = keep
        mail = outbox.mail(p, cand.org_id, MailTopic.follow_up, emails.follow_up_mail(p, org, interview, cand, r), candidate_id=candidate_id)
        counters = {"followup.rounds": 1, "followup.candidates": 0 if rounds else 1}
        # The candidate is saved too (its version checked): two members asking at once make one round, not two.
        # The round's videos are attached with it (read again: each is saved with its version checked).
        attached = [m for m in (p.store.get_follow_up_media(cand.org_id, candidate_id, v.media_id) for v in videos) if m is not None]
        for m in attached:
            m.attached = True
        p.store.save(cand, r, mail, *attached, counters={(cand.org_id, cand.interview_id): counters})
        return r

    r = retry_stale(attempt)
    audit.record(
        p, actor.org_id, actor.user_id, "followup.asked", candidate_id,
        round=r.number, questions=len(r.questions), videos=len(videos), due_at=r.due_at.isoformat(),
    )
    return round_view(p, r, file.candidate, videos)


def _check_videos(p: Ports, actor: Actor, candidate_id: str, cmd: AskFollowUps) -> list[QuestionMedia]:
    """Each video a round names is one uploaded for this candidate, on a video question, and ready to play: the
    candidate is emailed at once, so a video still processing would leave them a question without it."""
    videos: list[QuestionMedia] = []
    for i, q in enumerate(cmd.questions, start=1):
        if not q.media_id:
            continue
        if q.kind != QuestionKind.video:
            raise InvalidInput(f"question {i}: only a video question can come as a video", "media_on_text_question")
        if q.media_id in {v.media_id for v in videos}:
            raise InvalidInput(f"question {i}: each question needs a video of its own", "media_reused")
        media = p.store.get_follow_up_media(actor.org_id, candidate_id, q.media_id)
        if media is None or media.attached:
            raise InvalidInput(f"question {i}: no such video for this candidate's follow-up questions", "media_not_found")
        if media.status == TakeStatus.failed:
            raise Conflict(f"question {i}: the video could not be processed ({media.failure}); record it again", "media_failed")
        if media.status != TakeStatus.ready:
            raise Conflict(f"question {i}: the video is still {SHOWN_STATUS[media.status]}; ask once it is ready", "media_not_ready")
        videos.append(media)
    return videos


def cancel(p: Ports, actor: Actor, candidate_id: str, number: str) -> FollowUpRoundView:
    """Withdraw a round still waiting for its answers; the candidate's link then shows nothing to answer."""
    file = candidate_file(p, actor, candidate_id)
    if not number.isdigit() or len(number) > 4:
        raise NotFound("no such follow-up questions", "follow_ups_not_found")

    def attempt() -> FollowUpRound:
        r = next((x for x in p.store.list_follow_ups(actor.org_id, candidate_id) if x.number == int(number)), None)
        if r is None:
            raise NotFound("no such follow-up questions", "follow_ups_not_found")
        r.cancel(actor.user_id, p.clock.now())
        p.store.save(r, counters={(r.org_id, r.interview_id): {"followup.cancelled": 1}})
        return r

    r = retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "followup.cancelled", candidate_id, round=r.number)
    return round_view(p, r, file.candidate, file.follow_up_media)


def round_view(p: Ports, r: FollowUpRound, candidate: Candidate, media: list[QuestionMedia]) -> FollowUpRoundView:
    """``media``: the candidate's follow-up videos (those the round's questions name are shown)."""
    by_id = {m.media_id: m for m in media}

    def video(q: Question) -> QuestionMediaView | None:
        found = by_id.get(q.media_id) if q.media_id else None
        return question_media.view(p, found) if found else None

    def done(q: Question) -> bool:
        progress = candidate.progress.get(q.question_id)
        return progress is not None and progress.answered

    return FollowUpRoundView(
        number=r.number,
        state=r.state,
        questions=[
            FollowUpQuestionView(
                question_id=q.question_id, prompt=q.prompt, kind=q.kind, think_seconds=q.think_seconds,
                answer_seconds=q.answer_seconds, max_takes=q.max_takes, answered=done(q), media=video(q),
            )
            for q in r.questions
        ],
        answered=r.answered_count(candidate),
        asked_by=r.asked_by,
        asked_at=r.asked_at,
        due_at=r.due_at,
        answered_at=r.answered_at,
        cancelled_by=r.cancelled_by,
        cancelled_at=r.cancelled_at,
    )


def detail(p: Ports, file: CandidateFile) -> tuple[list[FollowUpRoundView], bool]:
    """The candidate page's rounds, and whether a new one may be asked now."""
    rounds = [round_view(p, r, file.candidate, file.follow_up_media) for r in file.follow_ups]
    return rounds, why_not(file.candidate, file.follow_ups) is None


# -- the candidate's side ---------------------------------------------------------
def session_follow_ups(p: Ports, c: Candidate) -> SessionFollowUps | None:
    """The round waiting for the candidate's answers (None: none, or its deadline passed)."""
    if not c.submitted:
        return None
    r = next((x for x in p.store.list_follow_ups(c.org_id, c.candidate_id) if x.state == FollowUpState.open), None)
    if r is None or p.clock.now() >= r.due_at:
        return None

    def progress(q: Question) -> tuple[int, bool, str | None]:
        x = c.progress.get(q.question_id)
        return (x.takes_used, x.answered, x.refused) if x else (0, False, None)

    return SessionFollowUps(
        number=r.number,
        due_at=r.due_at,
        questions=[
            SessionQuestion(
                question_id=q.question_id,
                kind=QuestionKind.text if c.answers_in_writing(q) else q.kind,
                prompt=q.prompt if c.answers_in_writing(q) else None,
                think_seconds=c.seconds(q.think_seconds),
                answer_seconds=c.seconds(q.answer_seconds),
                max_takes=q.max_takes,
                takes_used=progress(q)[0],
                answered=progress(q)[1],
                refused=progress(q)[2],
                has_video=bool(q.media_id) and not c.answers_in_writing(q),
            )
            for q in r.questions
        ],
    )


def find_question(p: Ports, c: Candidate, question_id: str) -> tuple[Question, FollowUpRound] | None:
    """A follow-up question of the candidate's, and its round (None: no such question)."""
    for r in p.store.list_follow_ups(c.org_id, c.candidate_id):
        q = r.question(question_id)
        if q is not None:
            return q, r
    return None


def answered_mail(p: Ports, interview: Interview, r: FollowUpRound, to: str) -> Mail:
    """To the member who asked: the answers are in (no name of the candidate: the page shows what its reader may see)."""
    url = f"{p.settings.site_url.rstrip('/')}/#/candidates/{r.candidate_id}"
    org = p.store.get_organization(r.org_id)
    return emails.member_mail(p, org, "follow_up_answered", to, {"interview": interview.title, "count": str(len(r.questions))}, url=url)


def complete(p: Ports, c: Candidate) -> StatusView:
    """The candidate sends their answers to the round waiting for them (every question answered)."""

    interview = p.store.get_interview(c.org_id, c.interview_id)

    def attempt() -> FollowUpRound:
        cand = p.store.get_candidate(c.org_id, c.candidate_id) or c
        r = next((x for x in p.store.list_follow_ups(c.org_id, c.candidate_id) if x.state == FollowUpState.open), None)
        if r is None:
            raise Conflict("no follow-up questions are waiting for your answers", "no_follow_ups")
        r.complete(cand, p.clock.now())
        told = []
        asker = p.store.get_member(r.asked_by)
        if asker is not None and asker.org_id == r.org_id and interview is not None:
            told.append(outbox.mail(p, r.org_id, MailTopic.follow_up_answered, answered_mail(p, interview, r, asker.email), candidate_id=r.candidate_id))
        p.store.save(r, *told, counters={(r.org_id, r.interview_id): {"followup.answered": 1}})
        return r

    r = retry_stale(attempt)
    audit.record(p, c.org_id, f"candidate:{c.candidate_id}", "followup.answered", c.candidate_id, round=r.number, questions=len(r.questions))
    return StatusView(status="answered")
