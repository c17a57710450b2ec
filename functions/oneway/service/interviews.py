"""Building interviews."""

from __future__ import annotations

from ..domain.models import Actor, Interview, InterviewStatus, Question, RubricItem, check_rubric
from ..domain.tokens import new_id
from ..ports import Ports
from . import audit, question_media

# The access rules, re-exported for the modules above (`X as X` marks a re-export).
from .access import MANAGERS as MANAGERS
from .access import check_editable as check_editable
from .access import check_open as check_open
from .access import load as load
from .access import load_managed as load_managed
from .views import (
    InterviewList,
    InterviewView,
    NewInterview,
    PipelineCounts,
    QuestionMediaView,
    QuestionView,
    RubricView,
)

# What an edit may change (the audit log names the fields that changed, not their text).
EDITED = {"title", "description", "questions", "rubric", "deadline_days", "practice_question", "blind", "language"}


def create_interview(p: Ports, actor: Actor, cmd: NewInterview) -> InterviewView:
    actor.require(*MANAGERS)
    question_media.check_questions(p, actor.org_id, None, cmd.questions)  # videos are recorded into a saved interview
    _check_rubric(cmd)
    interview = Interview(
        org_id=actor.org_id,
        interview_id=new_id(),
        title=cmd.title,
        description=cmd.description,
        questions=[Question(question_id=f"q{i + 1}", **q.model_dump()) for i, q in enumerate(cmd.questions)],
        rubric=[RubricItem(**r.model_dump()) for r in cmd.rubric],
        deadline_days=cmd.deadline_days,
        practice_question=cmd.practice_question,
        blind=cmd.blind,
        language=cmd.language,
        created_by=actor.user_id,
        created_at=p.clock.now(),
    )
    p.store.save(interview)
    audit.record(p, actor.org_id, actor.user_id, "interview.created", interview.interview_id, blind=interview.blind)
    return view(interview)


def _check_rubric(cmd: NewInterview) -> None:
    """Questions are numbered by their place (q1, q2, ...): a rubric item names one of the command's."""
    check_rubric([RubricItem(**r.model_dump()) for r in cmd.rubric], (f"q{n + 1}" for n in range(len(cmd.questions))))


def get_interview(p: Ports, actor: Actor, interview_id: str) -> InterviewView:
    return view(load(p, actor, interview_id), p)


def list_interviews(p: Ports, actor: Actor, cursor: str | None, limit: int) -> InterviewList:
    page = p.store.list_interviews(actor.org_id, cursor, limit)
    counters = p.store.get_counters_many(actor.org_id, [i.interview_id for i in page.items]) if page.items else {}
    now = p.clock.now()
    items = [
        view(i).model_copy(
            update={
                "counts": pipeline_counts(counters.get(i.interview_id, {})),
                "next_deadline": p.store.next_deadline(actor.org_id, i.interview_id, now),
            }
        )
        for i in page.items
    ]
    return InterviewList(items=items, next_cursor=page.next_cursor)


def pipeline_counts(n: dict[str, int]) -> PipelineCounts:
    """Invited, in progress (started, not submitted), awaiting review (submitted, not decided), decided."""
    invited, started, completed, decided = (int(n.get(k, 0)) for k in ("invited", "started", "completed", "decided"))
    return PipelineCounts(invited=invited, in_progress=max(0, started - completed), awaiting_review=max(0, completed - decided), decided=decided)


def set_archived(p: Ports, actor: Actor, interview_id: str, archived: bool) -> InterviewView:
    """Archive (out of the working list, closed to new invitations) or restore an interview; audited."""
    actor.require(*MANAGERS)
    interview = load(p, actor, interview_id)
    if (interview.archived_at is not None) != archived:
        interview.archived_at = p.clock.now() if archived else None
        p.store.save(interview)
        audit.record(p, actor.org_id, actor.user_id, "interview.archived" if archived else "interview.restored", interview_id)
    return view(interview)


def view(interview: Interview, p: Ports | None = None) -> InterviewView:
    """The interview; with ``p``, each question video's state and links too (one read per video)."""

    def media(q: Question) -> QuestionMediaView | None:
        found = p.store.get_question_media(interview.org_id, interview.interview_id, q.media_id) if p and q.media_id else None
        return question_media.view(p, found) if p and found else None

    return InterviewView(
        interview_id=interview.interview_id,
        title=interview.title,
        description=interview.description,
        questions=[QuestionView(**q.model_dump(), media=media(q)) for q in interview.questions],
        rubric=[RubricView(**r.model_dump()) for r in interview.rubric],
        deadline_days=interview.deadline_days,
        practice_question=interview.practice_question,
        status="archived" if interview.archived_at else interview.status,
        blind=interview.blind,
        language=interview.language,
        created_at=interview.created_at,
        created_by=interview.created_by,
        archived=interview.archived_at is not None,
    )


def update_interview(p: Ports, actor: Actor, interview_id: str, cmd: NewInterview) -> InterviewView:
    """Edit an interview until its first invitation (after that, candidates may be answering it)."""
    actor.require(*MANAGERS)
    interview = load(p, actor, interview_id)
    check_editable(p, interview)
    question_media.check_questions(p, actor.org_id, interview_id, cmd.questions)
    _check_rubric(cmd)
    before = interview.model_dump(include=EDITED)
    interview.title, interview.description = cmd.title, cmd.description
    interview.questions = [Question(question_id=f"q{i + 1}", **q.model_dump()) for i, q in enumerate(cmd.questions)]
    interview.rubric = [RubricItem(**r.model_dump()) for r in cmd.rubric]
    interview.deadline_days, interview.practice_question, interview.blind = cmd.deadline_days, cmd.practice_question, cmd.blind
    interview.language = cmd.language
    p.store.save(interview)
    after = interview.model_dump(include=EDITED)
    changed = sorted(name for name in EDITED if before[name] != after[name])
    detail = {"changed": changed, **({"blind": audit.change(before["blind"], after["blind"])} if "blind" in changed else {})}
    audit.record(p, actor.org_id, actor.user_id, "interview.updated", interview_id, **detail)
    question_media.settle(p, interview)  # videos re-recorded or removed: no object outlives its use
    return view(interview, p)


def duplicate_interview(p: Ports, actor: Actor, interview_id: str) -> InterviewView:
    actor.require(*MANAGERS)
    source = load(p, actor, interview_id)
    copy = source.model_copy(
        update={"interview_id": new_id(), "title": f"{source.title} (copy)"[:200], "status": InterviewStatus.open, "created_by": actor.user_id, "created_at": p.clock.now(), "version": 0},
        deep=True,
    )
    p.store.save(copy, *question_media.copy_to(p, source, copy))
    audit.record(p, actor.org_id, actor.user_id, "interview.duplicated", copy.interview_id, source=source.interview_id)
    return view(copy, p)


def close_interview(p: Ports, actor: Actor, interview_id: str) -> InterviewView:
    """A closed interview takes no new invitations; invited candidates can still finish."""
    actor.require(*MANAGERS)
    interview = load(p, actor, interview_id)
    if interview.status != InterviewStatus.closed:
        interview.status = InterviewStatus.closed
        p.store.save(interview)
        audit.record(p, actor.org_id, actor.user_id, "interview.closed", interview_id)
    return view(interview)
