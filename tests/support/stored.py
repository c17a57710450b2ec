"""Items a test reads back from the store and relies on being there: each helper fails naming what is missing."""

from __future__ import annotations

from oneway.domain import keys
from oneway.domain.keys import TakeRef
from oneway.domain.models import Candidate, Interview, Member, Take
from oneway.ports import CandidateStore, InterviewStore, OrganizationStore


def take_ref(key: str) -> TakeRef:
    """The take a recording's key names."""
    ref = keys.parse_key(key)
    assert ref is not None, f"{key} is not a take's recording"
    return ref


def take(store: CandidateStore, key: str) -> Take:
    """The take whose recording is at ``key``."""
    found = store.get_take(take_ref(key))
    assert found is not None, f"no take for {key}"
    return found


def member(store: OrganizationStore, user_id: str) -> Member:
    found = store.get_member(user_id)
    assert found is not None, f"no member {user_id}"
    return found


def interview(store: InterviewStore, org_id: str, interview_id: str) -> Interview:
    found = store.get_interview(org_id, interview_id)
    assert found is not None, f"no interview {interview_id} in {org_id}"
    return found


def candidate(store: CandidateStore, org_id: str, candidate_id: str) -> Candidate:
    found = store.get_candidate(org_id, candidate_id)
    assert found is not None, f"no candidate {candidate_id} in {org_id}"
    return found
