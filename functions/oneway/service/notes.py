"""Notes pinned to a moment of a candidate's answer: shown on the player's timeline, a click plays from there.

Like reviews, they follow independent scoring: a member sees others' notes once they have submitted their
own review or the candidate is decided. Erasure takes them with the candidate's partition.
"""

from __future__ import annotations

from ..domain.errors import Forbidden, InvalidInput, NotFound
from ..domain.models import Actor, TimedNote
from ..domain.tokens import new_id
from ..ports import Ports
from . import audit, interviews
from .review import candidate_file, note_view
from .views import NoteInput, NoteView


def add_note(p: Ports, actor: Actor, candidate_id: str, cmd: NoteInput) -> NoteView:
    file = candidate_file(p, actor, candidate_id)  # the member may open this candidate (role, assignment)
    interview = interviews.load(p, actor, file.candidate.interview_id)
    asked = {q.question_id for r in file.follow_ups for q in r.questions}  # answers to follow-up questions take notes too
    if cmd.question_id not in {q.question_id for q in interview.questions} | asked:
        raise InvalidInput("no such question in this interview", "unknown_question")
    note = TimedNote(
        org_id=actor.org_id,
        candidate_id=candidate_id,
        question_id=cmd.question_id,
        note_id=new_id(),
        author_id=actor.user_id,
        author_email=actor.email,
        seconds=round(cmd.seconds, 1),
        text=cmd.text,
        created_at=p.clock.now(),
    )
    p.store.save(note)
    audit.record(p, actor.org_id, actor.user_id, "candidate.noted", candidate_id, question=cmd.question_id)
    return note_view(note)


def delete_note(p: Ports, actor: Actor, candidate_id: str, note_id: str) -> None:
    file = candidate_file(p, actor, candidate_id)
    note = next((n for n in file.notes if n.note_id == note_id), None)
    if note is None:
        raise NotFound("no such note", "note_not_found")
    if note.author_id != actor.user_id:
        raise Forbidden("only its author removes a note", "not_author")
    p.store.delete_item(note)
    audit.record(p, actor.org_id, actor.user_id, "candidate.note_removed", candidate_id, question=note.question_id)

