"""The authorization matrix: two organizations x every caller x every route of the resolver.

Each route must have an entry in POLICY (a new route without one fails here);
the callers are each organization's admin, recruiter and reviewer, a
share-link holder (when share links exist), a candidate (invitation token)
and nobody. For every pair the answer must be the policy's, and no caller of
one organization may read or change anything of the other.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.local.gateway import LambdaContext
from oneway.service import identity
from tests.integration.test_api import INTERVIEW
from tests.security.routes import Route, query_params, request_body, routes
from tests.support.events import http_event

h = api.lambda_handler
CTX = LambdaContext("matrix")


def call(handler, method: str, path: str, body=None, **kw) -> tuple[int, Any]:
    """The status and the JSON answer (the text of a CSV or other non-JSON one)."""
    answer = handler(http_event(method, path, body, **kw), CTX)
    text = answer.get("body") or ""
    try:
        return answer["statusCode"], json.loads(text) if text else None
    except ValueError:
        return answer["statusCode"], text  # CSV and other non-JSON answers

PUBLIC, CANDIDATE, SHARE = "public", "candidate", "share"
STAFF = frozenset({"admin", "recruiter", "reviewer"})  # reviewers: limited further to their assigned candidates
MANAGERS = frozenset({"admin", "recruiter"})
ADMIN = frozenset({"admin"})

# Who may call each route. A route of the resolver missing here fails the test.
POLICY: dict[str, str | frozenset[str]] = {
    "GET /api/health": PUBLIC,
    "GET /api/openapi.json": PUBLIC,
    # the member's own view
    "GET /api/me": STAFF,
    "POST /api/me/mfa": STAFF,  # records TOTP set up with the user pool (409 here: the matrix has no pool)
    # the organization's settings: retention, two-step verification required
    "GET /api/organization": ADMIN,
    "PATCH /api/organization": ADMIN,
    # the brand: admins set the logo; anyone may see an organization's logo (its pages and emails show it)
    "POST /api/organization/logo/upload": ADMIN,
    "PUT /api/organization/logo": ADMIN,
    "DELETE /api/organization/logo": ADMIN,
    "GET /api/brand/<orgId>/logo": PUBLIC,
    # the organization's email templates: read, rewrite, preview, a test sent to oneself
    "GET /api/organization/emails": ADMIN,
    "PUT /api/organization/emails/<kind>": ADMIN,
    "POST /api/organization/emails/<kind>/preview": ADMIN,
    "POST /api/organization/emails/<kind>/test": ADMIN,
    "GET /api/assignments": STAFF,
    # interviews
    "POST /api/interviews": MANAGERS,
    "GET /api/interviews": STAFF,
    "GET /api/interviews/<interviewId>": STAFF,
    "PUT /api/interviews/<interviewId>": MANAGERS,
    "POST /api/interviews/<interviewId>/duplicate": MANAGERS,
    "POST /api/interviews/<interviewId>/close": MANAGERS,
    "POST /api/interviews/<interviewId>/archive": MANAGERS,
    "POST /api/interviews/<interviewId>/restore": MANAGERS,
    "POST /api/interviews/<interviewId>/invitations": MANAGERS,
    "GET /api/interviews/<interviewId>/candidates": MANAGERS,
    "GET /api/interviews/<interviewId>/candidates.csv": MANAGERS,
    "GET /api/interviews/<interviewId>/analytics.csv": MANAGERS,
    "GET /api/interviews/<interviewId>/analytics": MANAGERS,
    "GET /api/interviews/<interviewId>/search": MANAGERS,
    "PUT /api/interviews/<interviewId>/candidate-settings": MANAGERS,
    # question videos recorded in the builder
    "POST /api/interviews/<interviewId>/question-media": MANAGERS,
    "POST /api/interviews/<interviewId>/question-media/<mediaId>/complete": MANAGERS,
    "GET /api/interviews/<interviewId>/question-media/<mediaId>": MANAGERS,
    # members
    "GET /api/members": MANAGERS,
    "POST /api/members": ADMIN,
    "GET /api/question-bank": MANAGERS,
    "POST /api/question-bank": MANAGERS,
    "DELETE /api/question-bank/<questionId>": MANAGERS,
    "GET /api/webhooks": ADMIN,
    "POST /api/webhooks": ADMIN,
    "DELETE /api/webhooks/<webhookId>": ADMIN,
    "PATCH /api/members/<userId>": ADMIN,
    "DELETE /api/members/<userId>": ADMIN,  # removal (409 here: the matrix has no user pool)
    "DELETE /api/members/<userId>/mfa": ADMIN,
    "POST /api/members/<userId>/password-reset": ADMIN,  # (409 here: the matrix has no user pool)
    # candidates: review
    "GET /api/candidates/<candidateId>": STAFF,
    "PUT /api/candidates/<candidateId>/review": STAFF,
    "POST /api/interviews/<interviewId>/candidates/bulk": MANAGERS,  # one action on chosen candidates
    "POST /api/candidates/<candidateId>/notes": STAFF,  # a note pinned to a moment of an answer
    # follow-up questions: any member who may review the candidate (a reviewer: when assigned)
    "POST /api/candidates/<candidateId>/follow-ups": STAFF,
    "POST /api/candidates/<candidateId>/follow-ups/<number>/cancel": STAFF,
    "POST /api/candidates/<candidateId>/follow-up-videos": STAFF,
    "POST /api/candidates/<candidateId>/follow-up-videos/<mediaId>/complete": STAFF,
    "GET /api/candidates/<candidateId>/follow-up-videos/<mediaId>": STAFF,
    "DELETE /api/candidates/<candidateId>/notes/<noteId>": STAFF,  # by its author only
    "POST /api/candidates/<candidateId>/decision": MANAGERS,
    "POST /api/candidates/<candidateId>/answers/<questionId>/download": MANAGERS,  # an answer's video to save (404 here: none)
    "POST /api/candidates/<candidateId>/answers/<questionId>/retry": MANAGERS,  # process a failed answer again
    "PUT /api/candidates/<candidateId>/assignments": MANAGERS,
    "DELETE /api/candidates/<candidateId>/assignments/<reviewerId>": MANAGERS,
    # candidates: invitations
    "GET /api/candidates/<candidateId>/invitation": MANAGERS,
    "POST /api/candidates/<candidateId>/invitation/resend": MANAGERS,
    "POST /api/candidates/<candidateId>/invitation/remind": MANAGERS,
    "POST /api/candidates/<candidateId>/invitation/revoke": MANAGERS,
    "PUT /api/candidates/<candidateId>/invitation/deadline": MANAGERS,
    "PUT /api/candidates/<candidateId>/invitation/time-multiplier": MANAGERS,
    "POST /api/candidates/<candidateId>/accommodations/<requestId>": MANAGERS,
    # privacy
    "DELETE /api/candidates/<candidateId>": MANAGERS,
    "GET /api/candidates/<candidateId>/export": MANAGERS,
    "GET /api/audit": ADMIN,
    "GET /api/audit.csv": ADMIN,
    # share links for hiring managers: made by managers, used by whoever holds the link
    "POST /api/candidates/<candidateId>/shares": MANAGERS,
    "GET /api/candidates/<candidateId>/shares": MANAGERS,
    "DELETE /api/candidates/<candidateId>/shares/<shareId>": MANAGERS,
    "GET /api/share/candidate": SHARE,
    # drafts and templates of the interview builder
    "POST /api/interview-drafts": MANAGERS,
    "GET /api/interview-templates": MANAGERS,
    "POST /api/interview-templates": MANAGERS,
    "DELETE /api/interview-templates/<templateId>": MANAGERS,
    # self-apply links: managed by managers; the public page answers anyone (the slug is public, rate-limited)
    "GET /api/interviews/<interviewId>/apply-link": MANAGERS,
    "PUT /api/interviews/<interviewId>/apply-link": MANAGERS,
    "GET /api/c/apply/<slug>": PUBLIC,
    "POST /api/c/apply/<slug>": PUBLIC,
    "POST /api/c/apply/<slug>/confirm": PUBLIC,
    "PUT /api/share/opinion": SHARE,
    # the candidate's own routes
    "GET /api/c/session": CANDIDATE,
    "GET /api/c/copy": CANDIDATE,  # the candidate's own copy of their answers
    "POST /api/c/consent": CANDIDATE,
    "POST /api/c/accommodations": CANDIDATE,
    "POST /api/c/questions/<questionId>/takes": CANDIDATE,
    "POST /api/c/uplink-probe": CANDIDATE,
    "POST /api/c/questions/<questionId>/takes/<takeId>/upload": CANDIDATE,
    "POST /api/c/questions/<questionId>/takes/<takeId>/upload/parts": CANDIDATE,
    "GET /api/c/questions/<questionId>/takes/<takeId>/upload": CANDIDATE,
    "DELETE /api/c/questions/<questionId>/takes/<takeId>/upload": CANDIDATE,
    "POST /api/c/questions/<questionId>/takes/<takeId>/complete": CANDIDATE,
    "POST /api/c/questions/<questionId>/text": CANDIDATE,
    "POST /api/c/questions/<questionId>/screening": CANDIDATE,
    "POST /api/c/complete": CANDIDATE,
    "POST /api/c/follow-ups/complete": CANDIDATE,
    "POST /api/c/feedback": CANDIDATE,
}

# Bodies that pass validation and reach the authorization check with meaning (the rest are the schema's minimum).
BODIES = {
    "POST /api/interviews": INTERVIEW,
    "PUT /api/interviews/<interviewId>": INTERVIEW,
    "POST /api/c/questions/<questionId>/takes/<takeId>/upload": {"contentType": "video/webm", "size": 1000},
    "PUT /api/candidates/<candidateId>/review": {"scores": {"Depth": 3}},
    "POST /api/candidates/<candidateId>/notes": {"questionId": "q1", "seconds": 2.5, "text": "Good example"},
    "POST /api/interviews/<interviewId>/question-media": {"contentType": "video/webm", "size": 1000},
    "POST /api/candidates/<candidateId>/follow-up-videos": {"contentType": "video/webm", "size": 1000},
    "PUT /api/interviews/<interviewId>/apply-link": {"open": False, "cap": 10},
    "PUT /api/organization/logo": {"uploadId": "0" * 24},
    "POST /api/c/apply/<slug>": {"name": "Ada", "email": "ada@x.test", "consent": True},
    "POST /api/c/apply/<slug>/confirm": {"email": "ada@x.test", "code": "123456"},
}

MEMBER_ROLES = ("admin", "recruiter", "reviewer")
CALLERS = (*MEMBER_ROLES, "share-link holder", "candidate", "none")


class World:
    """Two organizations with their members; fresh interviews and candidates on demand."""

    def __init__(self, ports):
        self.p = ports
        for org, name in (("acme", "Acme"), ("globex", "Globex")):
            identity.create_organization(ports, name, org_id=org)
            for role in MEMBER_ROLES:
                identity.add_member(ports, org, f"{org}-{role}", f"{role}@{org}.test", Role(role))

    def fresh(self, org: str) -> dict[str, str]:
        """An interview with one invited candidate, who consented and started a take; the reviewer is assigned."""
        status, made = call(h, "POST", "/api/interviews", INTERVIEW, sub=f"{org}-recruiter")
        assert status == 201, made
        iid = made["interviewId"]
        # A question video being recorded (videos are recorded before the first invitation).
        status, media = call(h, "POST", f"/api/interviews/{iid}/question-media", {"contentType": "video/webm", "size": 1000}, sub=f"{org}-recruiter")
        assert status == 201, media
        person = {"name": f"{org.title()} Candidate", "email": f"person@{org}-candidates.test"}
        status, inv = call(h, "POST", f"/api/interviews/{iid}/invitations", {"candidates": [person]}, sub=f"{org}-recruiter")
        assert status == 201, inv
        item = inv["items"][0]
        token = item["inviteUrl"].split("#t=")[1]
        assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
        status, take = call(h, "POST", "/api/c/questions/q1/takes", token=token)
        assert status == 201, take
        cid = item["candidateId"]
        assign = call(h, "PUT", f"/api/candidates/{cid}/assignments", {"reviewerId": f"{org}-reviewer"}, sub=f"{org}-recruiter")
        assert assign[0] < 300 or assign[0] == 404, assign  # 404: no assignments in this version
        return {
            "org": org,
            "interviewId": iid,
            "candidateId": cid,
            "questionId": "q1",
            "takeId": take["takeId"],
            "userId": f"{org}-reviewer",
            "reviewerId": f"{org}-reviewer",
            "requestId": "unknown",
            "number": "1",
            "kind": "invitation",
            "mediaId": media["mediaId"],
            "token": token,
            **share_link(org, cid),
        }


def share_link(org: str, candidate_id: str) -> dict[str, str]:
    """A hiring manager's share link to the candidate, when this version has share links."""
    if SHARES not in {r.key for r in routes()}:
        return {}
    status, made = call(h, "POST", SHARES.split(" ")[1].replace("<candidateId>", candidate_id), {"minutes": 60}, sub=f"{org}-recruiter")
    assert status == 201, made
    return {"share": made["url"].rsplit("/", 1)[1], "shareId": made["shareId"]}


SHARES = "POST /api/candidates/<candidateId>/shares"


def send(route: Route, caller: str, world: dict[str, str], ids: dict[str, str]) -> tuple[int, object]:
    body = BODIES.get(route.key, request_body(route))
    url, query = route.url(ids), query_params(route) or None
    if caller in MEMBER_ROLES:
        return call(h, route.method, url, body, sub=f"{world['org']}-{caller}", query=query)
    if caller == "candidate":
        return call(h, route.method, url, body, token=world["token"], query=query)
    if caller == "share-link holder":
        return call(h, route.method, url, body, token=world.get("share"), query=query)
    return call(h, route.method, url, body, query=query)


def expected(policy, caller: str, route: Route) -> str:
    """'ok' (the caller passes authorization), '401' or '403'."""
    if policy == PUBLIC:
        return "ok"
    if policy == CANDIDATE:
        return "ok" if caller == "candidate" else "401"
    if policy == SHARE:
        return "ok" if caller == "share-link holder" else "401"
    if caller in ("candidate", "none", "share-link holder"):
        return "401"
    return "ok" if caller in policy else "403"


def matches(want: str, status: int) -> bool:
    if want == "ok":
        return status < 500 and status not in (401, 403, 429)
    return status == int(want)


@pytest.fixture
def world(ports, clock, monkeypatch):
    from oneway.handlers import deps

    monkeypatch.setattr(deps.ports(), "clock", clock)
    # Every caller sends from one address at one instant: the apply links' rate limit is not what this tests.
    monkeypatch.setattr(deps.ports().settings, "apply_per_source_per_minute", 10_000)
    # Nor the limit on failed candidate-token lookups per address (tests/security/test_tokens.py tests it).
    monkeypatch.setattr(deps.ports().settings, "token_failures_per_minute", 10_000)
    return World(deps.ports())


def _dump(client, w: dict[str, str]) -> list[dict]:
    """Every item of one organization's interview and candidate, its members and organization (not its audit trail)."""
    ddb, org = client("dynamodb"), w["org"]
    keys = [("ORG#" + org, "META"), ("ORG#" + org, f"INTERVIEW#{w['interviewId']}"), (f"ORG#{org}#INTERVIEW#{w['interviewId']}", "STATS")]
    keys += [(f"USER#{org}-{role}", "META") for role in MEMBER_ROLES]
    items = [ddb.get_item(TableName="oneway", Key={"pk": {"S": pk}, "sk": {"S": sk}}).get("Item") for pk, sk in keys]
    part = ddb.query(
        TableName="oneway", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": f"ORG#{org}#CANDIDATE#{w['candidateId']}"}}
    )
    return items + part["Items"]


def test_every_route_has_an_expectation():
    table = {r.key for r in routes()}
    missing = sorted(table - set(POLICY))
    assert not missing, f"routes without an entry in POLICY (who may call them?): {missing}"
    for r in routes():
        policy = POLICY[r.key]
        schemes: dict[str, tuple[str, ...]] = {PUBLIC: (), CANDIDATE: ("invitation",), SHARE: ("share",)}
        want = schemes[policy] if isinstance(policy, str) else ("cognito",)  # staff: the roles that may call
        assert r.schemes == want, f"{r.key}: OpenAPI security {r.schemes}, policy says {want}"


def test_authorization_matrix_two_organizations(world, client, capsys):
    table = [r for r in routes() if r.key in POLICY]
    has_shares = SHARES in {r.key for r in routes()}
    callers = [c for c in CALLERS if c != "share-link holder" or has_shares]
    violations: list[str] = []
    leaks: list[str] = []
    counts: Counter[str] = Counter()  # requests: "cross" (the other organization's callers), "own"
    globex = world.fresh("globex")  # the other organization's candidate and share link
    for route in table:
        policy = POLICY[route.key]
        # One fresh interview and candidate per route; callers refused by the policy go first, so that
        # a permitted destructive call (erasure, revocation) comes after every refusal was checked.
        acme = world.fresh("acme")
        order = sorted(callers, key=lambda c: expected(policy, c, route) == "ok")
        for caller in order:
            # The other organization's callers, with acme's ids: nothing of acme may be read or changed.
            before = _dump(client, acme)
            status, body = send(route, caller, globex, acme)
            counts["cross"] += 1
            text = json.dumps(body)
            for secret in (acme["interviewId"], acme["candidateId"], acme["takeId"], "acme-candidates.test", "Acme"):
                if secret in text:
                    leaks.append(f"{caller} of globex read {secret!r} through {route.key}: {status} {text[:200]}")
            # q1 exists in both; an email template's kind names no data of either
            named = [v for k, v in acme.items() if k in route.params and k not in ("questionId", "kind")]
            if named and 200 <= status < 300:
                leaks.append(f"{caller} of globex got {status} on acme's {route.key}: {text[:200]}")
            if _dump(client, acme) != before:
                leaks.append(f"{caller} of globex changed acme's data through {route.key} ({status})")

            status, body = send(route, caller, acme, acme)
            counts["own"] += 1
            want = expected(policy, caller, route)
            if not matches(want, status):
                violations.append(f"{caller:>17} {route.key}: want {want}, got {status} {body}")
    print(f"\nauthorization matrix: {len(table)} routes x {len(callers)} callers x 2 organizations = {sum(counts.values())} requests {dict(counts)}")
    assert not leaks, "cross-organization access:\n" + "\n".join(leaks)
    assert not violations, f"{len(violations)} answers differ from the policy:\n" + "\n".join(violations)
