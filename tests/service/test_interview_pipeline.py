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


def test_each_interview_says_the_next_deadline_of_a_candidate_still_to_answer(org, ports):  # noqa: F811
    from datetime import datetime, timedelta

    iid = ok("POST", "/api/interviews", {**INTERVIEW, "deadlineDays": 7}, expect=201)["interviewId"]
    assert listed()[iid]["nextDeadline"] is None  # nobody invited, nobody waits
    first = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "a@x.test"}], "sendEmail": False}, expect=201)
    ada = first["items"][0]["candidateId"]
    ports.clock.advance(days=1)
    later = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Alan", "email": "b@x.test"}, {"name": "Edsger", "email": "e@x.test"}], "sendEmail": False}, expect=201)
    alan, edsger = (i["candidateId"] for i in later["items"])
    due = {c["candidateId"]: datetime.fromisoformat(c["expiresAt"]) for c in ok("GET", f"/api/interviews/{iid}/candidates")["items"]}
    assert datetime.fromisoformat(listed()[iid]["nextDeadline"]) == due[ada]

    # Ada submits: her deadline no longer counts; the next is the later invitation's.
    token = first["items"][0]["inviteUrl"].split("#t=")[1]
    call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)
    for q in ("q1", "q2"):
        call(h, "POST", f"/api/c/questions/{q}/text", {"text": "An answer."}, token=token)
    assert call(h, "POST", "/api/c/complete", token=token)[0] == 200
    assert datetime.fromisoformat(listed()[iid]["nextDeadline"]) == due[alan]
    # Alan's link is revoked and Edsger's deadline moves (given in another offset): the moved one is next.
    ok("POST", f"/api/candidates/{alan}/invitation/revoke")
    moved = (ports.clock.now() + timedelta(days=2)).astimezone(datetime.fromisoformat("2026-01-01T00:00:00+05:00").tzinfo)
    ok("PUT", f"/api/candidates/{edsger}/invitation/deadline", {"expiresAt": moved.isoformat(), "notify": False})
    assert datetime.fromisoformat(listed()[iid]["nextDeadline"]) == moved
    # A resend reinstates Alan's link: he waits again, with his own deadline.
    ok("POST", f"/api/candidates/{alan}/invitation/resend")
    assert datetime.fromisoformat(listed()[iid]["nextDeadline"]) == moved
    ok("POST", f"/api/candidates/{edsger}/invitation/revoke")
    assert datetime.fromisoformat(listed()[iid]["nextDeadline"]) == due[alan]
    # Once every deadline has passed, there is no next one.
    ports.clock.advance(days=30)
    assert listed()[iid]["nextDeadline"] is None


def test_a_reminder_from_before_the_mark_learns_at_its_next_slot_that_the_candidate_submitted(org, ports):  # noqa: F811
    from oneway.service import notifications

    iid, (ada, _alan) = submitted_candidates()
    # As a reminder saved before it said whether its candidate still has to answer: it counts as awaiting.
    old = ports.store.get_reminder("acme", ada)
    old.awaiting = True
    ports.store.save(old)
    assert listed()[iid]["nextDeadline"] is not None
    ports.clock.at = old.due_at
    notifications.send_reminders(ports)
    reminder = ports.store.get_reminder("acme", ada)
    assert reminder.awaiting is False and reminder.due_at is None
    assert listed()[iid]["nextDeadline"] is None  # both candidates submitted
