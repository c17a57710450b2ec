"""One action on many candidates of an interview, in one request: the single use cases, one candidate after
another, each authorized and audited as it is alone; a candidate that cannot take the action is reported,
not fatal. The request itself is audited once more (candidates.bulk: the action and the counts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ..domain.errors import InvalidInput, OnewayError
from ..domain.models import Actor, Decision
from ..ports import Ports
from . import audit, interviews, invitations, review
from .views import AssignmentInput, BulkAction, BulkItemResult, BulkResult, DeadlineInput, DecisionInput

MAX_CANDIDATES = 100


def act_on_candidates(p: Ports, actor: Actor, interview_id: str, cmd: BulkAction) -> BulkResult:
    actor.require(*interviews.MANAGERS)
    interviews.load(p, actor, interview_id)
    ids = list(dict.fromkeys(cmd.candidate_ids))
    if not ids or len(ids) > MAX_CANDIDATES:
        raise InvalidInput(f"choose between 1 and {MAX_CANDIDATES} candidates", "bad_selection")
    run = _action(p, actor, cmd)
    results = []
    for cid in ids:
        cand = p.store.get_candidate(actor.org_id, cid)
        if cand is None or cand.interview_id != interview_id:
            results.append(BulkItemResult(candidate_id=cid, ok=False, error="candidate_not_found"))
            continue
        try:
            run(cid)
            results.append(BulkItemResult(candidate_id=cid, ok=True))
        except OnewayError as error:
            results.append(BulkItemResult(candidate_id=cid, ok=False, error=error.code, message=error.message))
    done = sum(r.ok for r in results)
    audit.record(p, actor.org_id, actor.user_id, "candidates.bulk", interview_id, bulk_action=cmd.action, done=done, failed=len(results) - done)
    return BulkResult(action=cmd.action, done=done, items=results)


def _action(p: Ports, actor: Actor, cmd: BulkAction) -> Callable[[str], object]:
    match cmd.action:
        case "advance" | "hold" | "reject":
            if not cmd.note:
                raise InvalidInput("a decision needs its reason", "note_required")
            decision = DecisionInput(decision=Decision(cmd.action), note=cmd.note)
            return lambda cid: review.decide(p, actor, cid, decision)
        case "resend":
            return lambda cid: invitations.resend_invitation(p, actor, cid)
        case "remind":
            return lambda cid: invitations.remind(p, actor, cid)
        case "extend":
            if cmd.days is None:
                raise InvalidInput("say by how many days", "days_required")
            days = timedelta(days=cmd.days)
            return lambda cid: invitations.extend_deadline(
                p, actor, cid, DeadlineInput(expires_at=max(p.clock.now(), _deadline(p, actor, cid)) + days)
            )
        case "assign":
            if not cmd.reviewer_id:
                raise InvalidInput("choose a reviewer", "reviewer_required")
            assignment = AssignmentInput(reviewer_id=cmd.reviewer_id)
            return lambda cid: review.assign(p, actor, cid, assignment)
    raise InvalidInput("unknown action", "bad_action")


def _deadline(p: Ports, actor: Actor, candidate_id: str) -> datetime:
    return invitations._candidate(p, actor, candidate_id).expires_at
