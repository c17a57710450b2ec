"""The interview list as a pipeline: counts from each interview's write-time counters (one batch read per page,
never a read of candidates), the owner, and archive/restore (audited; an archived interview takes no invitation)."""

from __future__ import annotations

from tests.service.test_review_fairness import INTERVIEW, h, ok, org, submitted_candidates  # noqa: F401  (org is a fixture)
from tests.support.events import call


def listed(sub="alice"):
    return {i["interviewId"]: i for i in ok("GET", "/api/interviews", sub=sub)["items"]}


def test_each_interview_says_its_counts_owner_and_status_and_can_be_archived_and_restored(org, ports):  # noqa: F811
    iid, (ada, _alan) = submitted_candidates()
    ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Edsger", "email": "e@x.test"}], "sendEmail": False}, expect=201)
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "ok"})
    row = listed()[iid]
    assert row["counts"] == {"invited": 3, "inProgress": 0, "awaitingReview": 1, "decided": 1}
    assert (row["createdBy"], row["status"], row["archived"]) == ("alice", "open", False)

    # The counts come from the counters item: reading them never touches a candidate.
    reads = []
    original = ports.store.__class__.get_candidate

    def get_candidate(self, *a):
        reads.append(a)
        return original(self, *a)

    ports.store.__class__.get_candidate = get_candidate
    try:
        listed()
    finally:
        ports.store.__class__.get_candidate = original
    assert reads == []

    assert ok("POST", f"/api/interviews/{iid}/archive")["status"] == "archived"
    assert listed()[iid]["archived"] is True
    status, answer = call(h, "POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "X", "email": "x@x.test"}]}, sub="alice")
    assert status == 409 and answer["code"] == "interview_closed"
    assert call(h, "POST", f"/api/interviews/{iid}/archive", sub="rita")[0] == 403
    assert ok("POST", f"/api/interviews/{iid}/restore")["status"] == "open"
    actions = [e.action for e in ports.store.list_audit("acme", ports.clock.now().strftime("%Y-%m"), 500)]
    assert "interview.archived" in actions and "interview.restored" in actions
