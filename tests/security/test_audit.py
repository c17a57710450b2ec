"""The audit log: every privilege change and bulk export is in it, by whom, on what, with the value before and
after where it helps; entries name people by id only (they outlive an erasure); admins page through a month
by actor and action and export it as CSV that no spreadsheet runs as formulas; and an entry is never replaced.
(Who may change the table at all: tests/contract/test_audit_append_only.py and tests/infra/test_cdk_data.py.)"""

from __future__ import annotations

import csv
import io
import json

import pytest
from botocore.exceptions import ClientError

from oneway.domain.models import AuditEvent, Role
from oneway.handlers import api, deps
from oneway.local.gateway import LambdaContext
from oneway.service import audit, identity
from tests.integration.test_api import INTERVIEW
from tests.support import stored
from tests.support.events import call, http_event

h = api.lambda_handler
CTX = LambdaContext("audit")
NAME, EMAIL = "Ada Lovelace", "ada@lovelace.test"


class Directory:
    """The user pool, as the API uses it."""

    def create_user(self, email):
        return f"user-{email.split('@')[0]}", None

    def has_totp(self, user_id):
        return user_id == "root"

    def reset_totp(self, user_id):
        pass

    def reset_password(self, user_id):
        return None

    def sign_out_everywhere(self, user_id):
        pass


class Hooks:
    """Outgoing webhooks: public names, nothing delivered."""

    def resolve(self, host):
        return ["93.184.216.34"]

    def post(self, url, body, headers):
        return 204


@pytest.fixture
def acme(ports, clock, monkeypatch):
    p = deps.ports()
    monkeypatch.setattr(p, "clock", clock)
    monkeypatch.setattr(p, "directory", Directory())
    monkeypatch.setattr(p, "http", Hooks())
    identity.create_organization(p, "Acme", org_id="acme")
    identity.add_member(p, "acme", "root", "root@acme.test", Role.admin)
    identity.add_member(p, "acme", "alice", "alice@acme.test", Role.recruiter)
    identity.add_member(p, "acme", "rita", "rita@acme.test", Role.reviewer)
    member = stored.member(p.store, "root")
    member.mfa_enabled = True  # an admin who uses TOTP may require it of everyone
    p.store.save(member)
    return p


def r(method, path, body=None, sub="root", **kw):
    status, answer = call(h, method, path, body, sub=sub, **kw)
    assert status < 300, (method, path, status, answer)
    return answer


def raw(method, path, body=None, sub="root", **kw) -> dict:
    """The handler's whole answer (CSV bodies are not JSON)."""
    return h(http_event(method, path, body, sub=sub, **kw), CTX)


def entries(p, month, **filters) -> list[AuditEvent]:
    found, cursor = [], None
    while True:
        page = p.store.audit_page("acme", month, cursor=cursor, limit=100, **filters)
        found += page.items
        cursor = page.next_cursor
        if not cursor:
            return found


def test_every_privilege_change_and_bulk_export_is_audited(acme, clock):
    month = clock.now().strftime("%Y-%m")
    # Interviews: made, edited (blind turned on), their candidates' decision setting, duplicated, closed.
    iid = r("POST", "/api/interviews", INTERVIEW, sub="alice")["interviewId"]
    r("PUT", f"/api/interviews/{iid}", {**INTERVIEW, "title": "Engineer II", "blind": True}, sub="alice")
    r("PUT", f"/api/interviews/{iid}/candidate-settings", {"shareDecisionWithCandidate": True}, sub="alice")
    copy = r("POST", f"/api/interviews/{iid}/duplicate", sub="alice")["interviewId"]
    r("POST", f"/api/interviews/{copy}/close", sub="alice")
    # Members: invited, role changed, blind on and off, TOTP and password reset.
    new = r("POST", "/api/members", {"email": "newbie@acme.test", "role": "reviewer"})["userId"]
    r("PATCH", f"/api/members/{new}", {"role": "recruiter"})
    r("PATCH", "/api/members/rita", {"blind": True})
    r("PATCH", "/api/members/rita", {"blind": False})
    r("DELETE", "/api/members/alice/mfa")
    r("POST", "/api/members/alice/password-reset")
    # Webhooks: made and removed.
    hook = r("POST", "/api/webhooks", {"url": "https://hooks.acme.test/in", "events": ["candidate.decided"]})["webhookId"]
    r("DELETE", f"/api/webhooks/{hook}")
    # Bulk exports: every candidate of an interview, and (last) the audit log itself.
    assert raw("GET", f"/api/interviews/{iid}/candidates.csv", sub="alice")["statusCode"] == 200
    # The organization: retention and required two-step verification (from now on alice, without TOTP, is refused).
    r("PATCH", "/api/organization", {"retentionDays": 90, "requireMfa": True})
    assert raw("GET", "/api/audit.csv", sub="root", query={"month": month})["statusCode"] == 200

    log = {(e.action, e.target): e for e in entries(acme, month)}
    expected = {
        ("interview.created", iid): ("alice", {"blind": False}),
        ("interview.updated", iid): ("alice", {"changed": ["blind", "title"], "blind": {"from": False, "to": True}}),
        ("interview.decision_sharing", iid): ("alice", {"from": False, "to": True}),
        ("interview.duplicated", copy): ("alice", {"source": iid}),
        ("interview.closed", copy): ("alice", {}),
        ("member.invited", new): ("root", {"role": "reviewer"}),
        ("member.role_changed", new): ("root", {"from": "reviewer", "to": "recruiter"}),
        ("member.blind_enabled", "rita"): ("root", {}),
        ("member.blind_disabled", "rita"): ("root", {}),
        ("member.mfa_reset", "alice"): ("root", {}),
        ("member.password_reset", "alice"): ("root", {}),
        ("organization.updated", "acme"): (
            "root", {"retention_days": 90, "require_mfa": True, "before": {"retention_days": 180, "require_mfa": False}}
        ),
        ("webhook.created", hook): ("root", {"url": "https://hooks.acme.test/in"}),
        ("webhook.deleted", hook): ("root", {}),
        ("candidates.exported", iid): ("alice", {"rows": 0, "chosen": False}),
        ("audit.exported", "acme"): ("root", {"month": month, "rows": len(log) - 1}),
    }
    for (action, target), (who, detail) in expected.items():
        event = log.get((action, target))
        assert event is not None, f"{action} on {target} is not in the audit log: {sorted(log)}"
        assert (event.actor, event.detail) == (who, detail), action


def test_a_role_change_to_the_same_role_is_not_an_event(acme, clock):
    r("PATCH", "/api/members/alice", {"role": "recruiter"})
    assert [e.action for e in entries(acme, clock.now().strftime("%Y-%m")) if e.target == "alice"] == []


def test_entries_name_people_by_id_only_and_outlive_the_candidates_erasure(acme, clock):
    """Everything done to a candidate, then erased: the log keeps what happened, nothing of who they were."""
    month = clock.now().strftime("%Y-%m")
    iid = r("POST", "/api/interviews", INTERVIEW, sub="alice")["interviewId"]
    item = r("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": NAME, "email": EMAIL}]}, sub="alice")["items"][0]
    cid, token = item["candidateId"], item["inviteUrl"].split("#t=")[1]
    assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
    r("GET", f"/api/candidates/{cid}", sub="alice")
    r("PUT", f"/api/candidates/{cid}/invitation/time-multiplier", {"multiplier": 1.5}, sub="alice")
    r("POST", f"/api/candidates/{cid}/invitation/resend", sub="alice")
    r("POST", f"/api/candidates/{cid}/shares", {"minutes": 60}, sub="alice")
    assert raw("GET", f"/api/interviews/{iid}/candidates.csv", sub="alice")["statusCode"] == 200
    r("GET", f"/api/candidates/{cid}/export", sub="alice")
    assert call(h, "DELETE", f"/api/candidates/{cid}", sub="alice")[0] in (200, 204)
    log = entries(acme, month)
    about = [e for e in log if e.target == cid]
    assert {"candidate.viewed", "invitation.resent", "candidate.shared", "candidate.exported", "candidate.erased"} <= {e.action for e in about}
    text = json.dumps([e.model_dump(mode="json") for e in log])
    for personal in (NAME, "Ada", "Lovelace", EMAIL, "lovelace.test", "alice@acme.test", "root@acme.test"):
        assert personal not in text, personal


def test_admins_page_through_a_month_by_actor_and_action(acme, clock):
    month = clock.now().strftime("%Y-%m")
    for i in range(7):
        audit.record(acme, "acme", "alice", "interview.created", f"i{i}")
        audit.record(acme, "acme", "root", "member.role_changed", f"m{i}", **audit.change("reviewer", "recruiter"))
        clock.advance(seconds=1)
    audit.record(acme, "globex", "gina", "member.role_changed", "g1")  # another organization's

    first = r("GET", "/api/audit", query={"month": month, "limit": "5"})
    assert len(first["items"]) == 5 and first["nextCursor"]
    rest = r("GET", "/api/audit", query={"month": month, "limit": "100", "cursor": first["nextCursor"]})
    everything = first["items"] + rest["items"]
    assert len(everything) == 14 and rest.get("nextCursor") is None
    times = [e["at"] for e in everything]
    assert times == sorted(times, reverse=True)  # newest first, no entry twice or skipped
    assert len({e["eventId"] for e in everything}) == 14

    by_alice = r("GET", "/api/audit", query={"month": month, "actor": "alice", "limit": "3"})
    assert [e["actor"] for e in by_alice["items"]] == ["alice"] * 3 and by_alice["nextCursor"]
    more = r("GET", "/api/audit", query={"month": month, "actor": "alice", "cursor": by_alice["nextCursor"]})
    assert len(by_alice["items"]) + len(more["items"]) == 7
    family = r("GET", "/api/audit", query={"month": month, "action": "member"})
    assert {e["action"] for e in family["items"]} == {"member.role_changed"} and len(family["items"]) == 7
    exact = r("GET", "/api/audit", query={"month": month, "action": "member.role_changed", "actor": "root"})
    assert len(exact["items"]) == 7 and all(e["detail"] == {"from": "reviewer", "to": "recruiter"} for e in exact["items"])
    assert r("GET", "/api/audit", query={"month": month, "actor": "gina"})["items"] == []  # not this organization's
    # A cursor of another month or filter set is refused, not followed.
    status, _ = call(h, "GET", "/api/audit", sub="root", query={"month": "2026-10", "cursor": first["nextCursor"]})
    assert status == 400


def test_only_admins_read_or_export_the_log(acme, clock):
    month = clock.now().strftime("%Y-%m")
    for sub in ("alice", "rita"):
        assert call(h, "GET", "/api/audit", sub=sub, query={"month": month})[0] == 403
        assert call(h, "GET", "/api/audit.csv", sub=sub, query={"month": month})[0] == 403


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_csv_export_keeps_every_cell_from_being_a_formula(acme, clock, start):
    month = clock.now().strftime("%Y-%m")
    payload = f'{start}HYPERLINK("https://evil.test","x")'
    audit.record(acme, "acme", payload, "webhook.created", payload, url=payload)
    answer = raw("GET", "/api/audit.csv", query={"month": month})
    assert answer["statusCode"] == 200 and answer["headers"]["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer["body"])))
    assert rows[0] == ["at", "actor", "action", "target", "detail", "event_id"]
    (row,) = [row for row in rows[1:] if row[2] == "webhook.created"]
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)
    assert row[1] == "'" + payload and row[3] == "'" + payload
    assert json.loads(row[4])["url"] == payload  # the detail is JSON, starting with "{"


def test_an_entry_is_never_replaced(acme, clock):
    event = AuditEvent(org_id="acme", event_id="fixed", at=clock.now(), actor="root", action="member.invited", target="u1")
    acme.store.append_audit(event)
    with pytest.raises(ClientError) as refused:
        acme.store.append_audit(event.model_copy(update={"action": "member.removed", "actor": "someone-else"}))
    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    (kept,) = [e for e in entries(acme, clock.now().strftime("%Y-%m")) if e.event_id == "fixed"]
    assert (kept.actor, kept.action) == ("root", "member.invited")


def test_the_audit_log_is_not_in_the_main_table(acme, clock, client):
    """Entries go to the audit table only: the main table, which every function may change, holds none."""
    audit.record(acme, "acme", "root", "member.invited", "u9")
    main = client("dynamodb").query(
        TableName=acme.settings.table_name, KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": f"ORG#acme#AUDIT#{clock.now():%Y-%m}"}},
    )
    assert main["Items"] == []
    assert [e.target for e in entries(acme, clock.now().strftime("%Y-%m"))] == ["u9"]
