"""Building interviews."""

from __future__ import annotations

from typing import Any

from ..domain import screening
from ..domain.errors import Conflict
from ..domain.models import Actor, Interview, InterviewDraft, InterviewStatus, Question, RubricItem, check_rubric
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
    DraftView,
    InterviewList,
    InterviewView,
    NewInterview,
    PipelineCounts,
    QuestionMediaView,
    QuestionView,
    RubricView,
)

# What an edit may change (the audit log names the fields that changed, not their text).
EDITED = {
    "title", "description", "welcome", "questions", "rubric", "deadline_days", "practice_question", "blind", "language",
    "reminders", "reminder_hours", "intro_media_id", "closing_media_id", "scheduling_url",
    "reject_email",
    "allow_audio_answers",
}
# What changes what candidates answer, or how their answers are scored: fixed from the first invitation.
LOCKED = {"questions", "rubric", "practice_question", "language"}


def new_draft(p: Ports, actor: Actor) -> DraftView:
    """An id for an interview not saved yet, so that its question videos can be uploaded before the first save.
    The draft is the organization's for a day (question_media.DRAFT_DAYS); videos no save attaches are swept
    after a day too (question_media.sweep_loose)."""
    actor.require(*MANAGERS)
    now = p.clock.now()
    draft = InterviewDraft(org_id=actor.org_id, interview_id=new_id(), created_by=actor.user_id, created_at=now, expires_at=now + question_media.DRAFT_LIFE)
    p.store.save(draft)
    return DraftView(interview_id=draft.interview_id)


def _questions(cmd: NewInterview) -> list[Question]:
    questions = [Question(question_id=f"q{i + 1}", **q.model_dump()) for i, q in enumerate(cmd.questions)]
    for i, q in enumerate(questions):
        screening.check_question(q, i + 1)
    return questions


def _content(p: Ports, cmd: NewInterview) -> dict[str, Any]:
    """The interview's fields a command sets (create and edit alike)."""
    return {
        "title": cmd.title,
        "description": cmd.description,
        "welcome": cmd.welcome,
        "intro_media_id": cmd.intro_media_id,
        "closing_media_id": cmd.closing_media_id,
        "questions": _questions(cmd),
        "rubric": [RubricItem(**r.model_dump()) for r in cmd.rubric],
        "deadline_days": cmd.deadline_days,
        "practice_question": cmd.practice_question,
        "blind": cmd.blind,
        "language": cmd.language,
        "reminders": cmd.reminders,
        "reminder_hours": sorted(set(cmd.reminder_hours if cmd.reminder_hours is not None else p.settings.reminder_hours), reverse=True),
        "scheduling_url": cmd.scheduling_url or None,
        "reject_email": cmd.reject_email,
        "allow_audio_answers": cmd.allow_audio_answers,
    }


def create_interview(p: Ports, actor: Actor, cmd: NewInterview) -> InterviewView:
    actor.require(*MANAGERS)
    # A draft's id carries the videos uploaded before this save; the save is conditional on the id being new.
    if cmd.interview_id:
        question_media.load_draft(p, actor.org_id, cmd.interview_id)
    interview_id = cmd.interview_id or new_id()
    question_media.check_videos(p, actor.org_id, cmd.interview_id, cmd)
    interview = Interview(org_id=actor.org_id, interview_id=interview_id, created_by=actor.user_id, created_at=p.clock.now(), **_content(p, cmd))
    _check_rubric(cmd)
    p.store.save(interview)
    audit.record(p, actor.org_id, actor.user_id, "interview.created", interview.interview_id, blind=interview.blind)
    if cmd.interview_id:
        question_media.settle(p, interview)
    return view(interview, p)


def _check_rubric(cmd: NewInterview) -> None:
    """Questions are numbered by their place (q1, q2, ...): a rubric item names one of the command's."""
    check_rubric([RubricItem(**r.model_dump()) for r in cmd.rubric], (f"q{n + 1}" for n in range(len(cmd.questions))))


def get_interview(p: Ports, actor: Actor, interview_id: str) -> InterviewView:
    interview = load(p, actor, interview_id)
    return view(interview, p, locked=invited(p, interview))


def invited(p: Ports, interview: Interview) -> bool:
    return p.store.get_counters(interview.org_id, interview.interview_id).get("invited", 0) > 0


def list_interviews(p: Ports, actor: Actor, cursor: str | None, limit: int) -> InterviewList:
    page = p.store.list_interviews(actor.org_id, cursor, limit)
    counters = p.store.get_counters_many(actor.org_id, [i.interview_id for i in page.items]) if page.items else {}
    now = p.clock.now()
    items = [
        view(i, p, media=False).model_copy(
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
    return view(interview, p, media=False)


def view(interview: Interview, p: Ports, *, media: bool = True, locked: bool = False) -> InterviewView:
    """The interview; with ``media``, each question video's state and links too (one read per video)."""

    def video(media_id: str | None) -> QuestionMediaView | None:
        found = p.store.get_question_media(interview.org_id, interview.interview_id, media_id) if media and media_id else None
        return question_media.view(p, found) if found else None

    return InterviewView(
        interview_id=interview.interview_id,
        title=interview.title,
        description=interview.description,
        questions=[QuestionView(**q.model_dump(), media=video(q.media_id)) for q in interview.questions],
        rubric=[RubricView(**r.model_dump()) for r in interview.rubric],
        deadline_days=interview.deadline_days,
        practice_question=interview.practice_question,
        status="archived" if interview.archived_at else interview.status,
        blind=interview.blind,
        language=interview.language,
        created_at=interview.created_at,
        created_by=interview.created_by,
        archived=interview.archived_at is not None,
        welcome=interview.welcome,
        reminders=interview.reminders,
        reminder_hours=reminder_hours(p, interview),
        scheduling_url=interview.scheduling_url,
        reject_email=interview.reject_email,
        allow_audio_answers=interview.allow_audio_answers,
        locked=locked,
        intro_media_id=interview.intro_media_id,
        closing_media_id=interview.closing_media_id,
        intro_video=video(interview.intro_media_id),
        closing_video=video(interview.closing_media_id),
    )


def reminder_hours(p: Ports, interview: Interview) -> list[int]:
    """The hours before the deadline at which the interview's reminders go (whether they are on or not)."""
    return interview.reminder_hours if interview.reminder_hours is not None else sorted(p.settings.reminder_hours, reverse=True)


def update_interview(p: Ports, actor: Actor, interview_id: str, cmd: NewInterview) -> InterviewView:
    """Edit an interview. From its first invitation candidates may be answering it: what they answer
    and how it is scored (``LOCKED``) stays; title, description, welcome text, the deadline of new
    invitations, reminders and blind review still change."""
    actor.require(*MANAGERS)
    interview = load(p, actor, interview_id)
    locked = invited(p, interview)
    content = _content(p, cmd)
    if locked:
        current = interview.model_dump(include=LOCKED)
        given = {name: [x.model_dump() for x in v] if isinstance(v, list) else v for name, v in content.items() if name in LOCKED}
        moved = sorted(name for name in LOCKED if current[name] != given[name])
        if moved:
            raise Conflict(
                f"candidates are invited: {', '.join(moved)} can no longer change; duplicate the interview to change them", "questions_locked"
            )
    question_media.check_videos(p, actor.org_id, interview_id, cmd)
    _check_rubric(cmd)
    before = interview.model_dump(include=EDITED)
    for name, value in content.items():
        setattr(interview, name, value)
    p.store.save(interview)
    after = interview.model_dump(include=EDITED)
    changed = sorted(name for name in EDITED if before[name] != after[name])
    detail = {"changed": changed, **({"blind": audit.change(before["blind"], after["blind"])} if "blind" in changed else {})}
    audit.record(p, actor.org_id, actor.user_id, "interview.updated", interview_id, **detail)
    question_media.settle(p, interview)  # videos re-recorded or removed: no object outlives its use
    return view(interview, p, locked=locked)


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
    return view(interview, p, media=False)
