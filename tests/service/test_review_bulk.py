"""One action on many candidates in one request: each candidate through the single use case (authorized and
audited as alone), failures reported per candidate, the request audited once more."""

from __future__ import annotations

from tests.service.test_review_fairness import h, ok, org, submitted_candidates  # noqa: F401  (org is a fixture)
from tests.support.events import call


def bulk(iid, body, sub="alice", expect=200):
    return ok("POST", f"/api/interviews/{iid}/candidates/bulk", body, sub=sub, expect=expect)


def test_a_decision_with_one_reason_for_many_and_what_could_not_be_done(org, ports):  # noqa: F811
    iid, (ada, alan) = submitted_candidates()
    invited = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Edsger", "email": "e@x.test"}], "sendEmail": False}, expect=201)
    edsger = invited["items"][0]["candidateId"]
    # A decision needs its one reason.
    assert call(h, "POST", f"/api/interviews/{iid}/candidates/bulk", {"action": "reject", "candidateIds": [ada]}, sub="alice")[0] == 400
    done = bulk(iid, {"action": "hold", "candidateIds": [ada, alan, edsger, "nobody"], "note": "Waiting for the second round"})
    assert done["done"] == 2
    assert {i["candidateId"]: (i["ok"], i["error"]) for i in done["items"]} == {
        ada: (True, None), alan: (True, None), edsger: (False, "not_submitted"), "nobody": (False, "candidate_not_found"),
    }
    assert ok("GET", f"/api/candidates/{ada}")["decision"]["note"] == "Waiting for the second round"
    # Reviewers may not; another organization's candidate is not found.
    assert call(h, "POST", f"/api/interviews/{iid}/candidates/bulk", {"action": "hold", "candidateIds": [ada], "note": "x"}, sub="rita")[0] == 403
    month = ports.clock.now().strftime("%Y-%m")
    actions = [e.action for e in ports.store.list_audit("acme", month, 500)]
    assert actions.count("candidate.decided") == 2 and "candidates.bulk" in actions


def test_remind_extend_resend_and_assign_in_bulk(org, ports):  # noqa: F811
    iid = ok("POST", "/api/interviews", {"title": "Bulk", "questions": [{"prompt": "Why?", "kind": "text"}]}, expect=201)["interviewId"]
    people = [{"name": n, "email": f"{n}@x.test"} for n in ("ada", "alan")]
    ids = [i["candidateId"] for i in ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": people, "sendEmail": False}, expect=201)["items"]]
    before = {c["candidateId"]: c["expiresAt"] for c in ok("GET", f"/api/interviews/{iid}/candidates")["items"]}
    assert bulk(iid, {"action": "remind", "candidateIds": ids})["done"] == 2
    assert bulk(iid, {"action": "extend", "candidateIds": ids, "days": 7})["done"] == 2
    after = {c["candidateId"]: c["expiresAt"] for c in ok("GET", f"/api/interviews/{iid}/candidates")["items"]}
    assert all(after[c] > before[c] for c in ids)
    assert bulk(iid, {"action": "resend", "candidateIds": ids[:1]})["done"] == 1
    assert bulk(iid, {"action": "assign", "candidateIds": ids, "reviewerId": "rita"})["done"] == 2
    assert {a["candidateId"] for a in ok("GET", "/api/assignments", sub="rita")["items"]} == set(ids)
    month = ports.clock.now().strftime("%Y-%m")
    actions = [e.action for e in ports.store.list_audit("acme", month, 500)]
    assert actions.count("invitation.reminded") == 2 and actions.count("invitation.extended") == 2
    assert actions.count("invitation.resent") == 1 and actions.count("candidate.assigned") == 2


def test_a_reminder_for_one_candidate_shows_on_their_invitation(org, ports):  # noqa: F811
    iid, (ada, _alan) = submitted_candidates()
    invited = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Edsger", "email": "e@x.test"}], "sendEmail": False}, expect=201)
    edsger = invited["items"][0]["candidateId"]
    state = ok("POST", f"/api/candidates/{edsger}/invitation/remind")
    assert [(m["kind"], m["status"]) for m in state["emails"]] == [("reminder", "pending")]
    # Not once submitted, not by a reviewer, not after the link was revoked.
    status, body = call(h, "POST", f"/api/candidates/{ada}/invitation/remind", sub="alice")
    assert (status, body["code"]) == (409, "already_completed")
    assert call(h, "POST", f"/api/candidates/{edsger}/invitation/remind", sub="rita")[0] == 403
    ok("POST", f"/api/candidates/{edsger}/invitation/revoke")
    status, body = call(h, "POST", f"/api/candidates/{edsger}/invitation/remind", sub="alice")
    assert (status, body["code"]) == (400, "link_not_live")
    month = ports.clock.now().strftime("%Y-%m")
    assert [e.target for e in ports.store.list_audit("acme", month, 500) if e.action == "invitation.reminded"] == [edsger]


def test_the_chosen_candidates_export_as_csv_in_one_request_scoped_and_audited(org, ports):  # noqa: F811
    import csv
    import io

    from oneway.domain.models import Role
    from oneway.local.gateway import LambdaContext
    from oneway.service import identity
    from tests.support.events import http_event

    iid, (ada, alan) = submitted_candidates()

    def export(ids: str, sub="alice"):
        answer = h(http_event("GET", f"/api/interviews/{iid}/candidates.csv", sub=sub, query={"candidateIds": ids}), LambdaContext("test"))
        return answer["statusCode"], answer["body"]

    status, text = export(f"{alan},nobody,{alan}")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(text)))
    # Only the chosen candidate of this interview, once; an unknown id is left out.
    assert [(r["candidate_id"], r["name"]) for r in rows] == [(alan, "Alan Turing")]
    assert {r["candidate_id"] for r in csv.DictReader(io.StringIO(export(f"{ada},{alan}")[1]))} == {ada, alan}
    # An empty or oversized selection is refused with a reason; reviewers may not export.
    status, answer = export(",")
    assert status == 400 and '"bad_selection"' in answer
    assert export(",".join(f"c{i}" for i in range(101)))[0] == 400
    assert export(ada, sub="rita")[0] == 403
    # Another organization's recruiter cannot reach this interview's candidates through the selection.
    other = identity.create_organization(ports, "Other", org_id="other")
    identity.add_member(ports, other.org_id, "olga", "olga@other.test", Role.recruiter)
    assert export(ada, sub="olga")[0] == 404
    month = ports.clock.now().strftime("%Y-%m")
    exported = [e for e in ports.store.list_audit("acme", month, 500) if e.action == "candidates.exported"]
    assert sorted((e.detail["rows"], e.detail["chosen"]) for e in exported) == [(1, True), (2, True)]
