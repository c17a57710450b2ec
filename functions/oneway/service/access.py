"""What a member may reach of an interview, and the rules every use case on an interview checks first.

Below every use case that loads an interview (interviews, question_media, invitations ...), so that
none of them needs another's module for it (tests/unit/test_service_layers.py).
"""

from __future__ import annotations

from ..domain.errors import Conflict, NotFound
from ..domain.models import Actor, CandidateFile, Interview, InterviewStatus, Role
from ..ports import Ports

MANAGERS = (Role.admin, Role.recruiter)


def load(p: Ports, actor: Actor, interview_id: str) -> Interview:
    interview = p.store.get_interview(actor.org_id, interview_id)
    if interview is None:
        raise NotFound("no such interview", "interview_not_found")
    return interview


def load_managed(p: Ports, actor: Actor, interview_id: str) -> Interview:
    """An interview of the caller's organization, for an admin or recruiter."""
    actor.require(*MANAGERS)
    return load(p, actor, interview_id)


def check_editable(p: Ports, interview: Interview) -> None:
    """Questions and their videos change only until the first invitation (then candidates may be answering)."""
    if p.store.get_counters(interview.org_id, interview.interview_id).get("invited", 0) > 0:
        raise Conflict("an interview cannot change once candidates are invited; duplicate it instead", "already_invited")


def check_open(interview: Interview) -> None:
    if interview.status == InterviewStatus.closed or interview.archived_at is not None:
        raise Conflict("this interview is closed to new invitations", "interview_closed")


def candidate_file(p: Ports, actor: Actor, candidate_id: str) -> CandidateFile:
    """A candidate of the caller's organization with everything stored under them; a reviewer reaches only the
    candidates assigned to them (to anyone else the candidate does not exist)."""
    file = p.store.get_candidate_file(actor.org_id, candidate_id)
    if file is None:
        raise NotFound("no such candidate", "candidate_not_found")
    if actor.role == Role.reviewer and not file.assigned(actor.user_id):
        raise NotFound("no such candidate", "candidate_not_found")
    return file
