"""Members, on a real (moto) user pool: removing a leaver, and invitations that tell nothing of other tenants.

Removal (admins only; not oneself; not the last admin) signs the member out everywhere, disables and
deletes their account, drops their reviewer assignments, revokes the share links they made, refuses the
access token they still hold, and leaves their reviews and the audit log naming them.

An invitation to an address that already has an account of another organization is answered like a new
one (201, the same shape), creates nothing, and leaves an entry in each organization's audit log.
"""

from __future__ import annotations

import boto3
import pytest

from oneway.config import settings
from oneway.domain.errors import Conflict
from oneway.domain.models import Role
from oneway.domain.tokens import hash_token
from oneway.handlers import api, deps
from oneway.local import provision
from oneway.local.moto_patches import cognito_sessions_like_aws
from oneway.service import identity
from tests.support.events import call

h = api.lambda_handler
PASSWORD = "Member-test-pass-123"
INTERVIEW = {"title": "Analyst", "questions": [{"prompt": "Why us?", "kind": "text"}], "rubric": [{"name": "Clarity"}]}


@pytest.fixture
def pool(aws, monkeypatch):
    """Acme (Ann admin, Rob recruiter, Rita reviewer) and Globex (Gil admin, Gus reviewer), real pool accounts."""
    cognito_sessions_like_aws()  # AdminUserGlobalSignOut by sub, as on AWS
    monkeypatch.setenv("ONEWAY_USER_POOL_ID", aws.user_pool_id)
    settings.cache_clear()
    deps.ports.cache_clear()
    p = deps.ports()
    idp = boto3.client("cognito-idp", region_name="us-east-1")
    subs = {}
    for org, people in (("acme", (("ann", Role.admin), ("rob", Role.recruiter), ("rita", Role.reviewer))),
                        ("globex", (("gil", Role.admin), ("gus", Role.reviewer)))):
        identity.create_organization(p, org.title(), org_id=org)
        for name, role in people:
            email = f"{name}@{org}.test"
            subs[name] = provision.ensure_user(idp, aws.user_pool_id, email, PASSWORD)
            identity.add_member(p, org, subs[name], email, role)
    return {"idp": idp, "client_id": aws.user_pool_client_id, "pool_id": aws.user_pool_id, "subs": subs, "p": p}


def as_(pool, who, method, path, body=None, **kw):
    return call(h, method, path, body, sub=pool["subs"][who], **kw)


def sign_in(pool, email):
    return pool["idp"].initiate_auth(
        ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD}
    )["AuthenticationResult"]


def refresh(pool, token):
    return pool["idp"].initiate_auth(ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token})


def submitted_candidate(pool) -> str:
    status, made = as_(pool, "rob", "POST", "/api/interviews", INTERVIEW)
    assert status == 201, made
    status, inv = as_(pool, "rob", "POST", f"/api/interviews/{made['interviewId']}/invitations",
                      {"candidates": [{"name": "Ada Lovelace", "email": "ada@x.test"}], "sendEmail": False})
    assert status == 201, inv
    token, cid = inv["items"][0]["inviteUrl"].split("#t=")[1], inv["items"][0]["candidateId"]
    for method, path, body in (("POST", "/api/c/consent", {"accepted": True}), ("POST", "/api/c/questions/q1/text", {"text": "Because."}),
                               ("POST", "/api/c/complete", None)):
        assert call(h, method, path, body, token=token)[0] in (200, 201), path
    return cid


def audit(pool, who):
    status, log = as_(pool, who, "GET", "/api/audit")
    assert status == 200, log
    return log["items"]


def test_an_admin_removes_a_leaver_who_is_signed_out_everywhere_and_keeps_nothing(pool):
    rita, rob = pool["subs"]["rita"], pool["subs"]["rob"]
    cid = submitted_candidate(pool)
    assert as_(pool, "rob", "PUT", f"/api/candidates/{cid}/assignments", {"reviewerId": rita})[0] == 200
    assert as_(pool, "rita", "PUT", f"/api/candidates/{cid}/review", {"scores": {"Clarity": 4}, "comment": "clear"})[0] == 200
    laptop, phone = sign_in(pool, "rita@acme.test"), sign_in(pool, "rita@acme.test")

    # Only admins remove, never themselves, and only members of their own organization.
    status, body = as_(pool, "rob", "DELETE", f"/api/members/{rita}")
    assert (status, body["code"]) == (403, "role_required")
    status, body = as_(pool, "ann", "DELETE", f"/api/members/{pool['subs']['ann']}")
    assert (status, body["code"]) == (409, "own_account")
    status, body = as_(pool, "gil", "DELETE", f"/api/members/{rita}")
    assert (status, body["code"]) == (404, "member_not_found")

    status, removed = as_(pool, "ann", "DELETE", f"/api/members/{rita}")
    assert (status, removed) == (200, {"userId": rita, "status": "removed", "assignmentsDropped": 1, "sharesRevoked": 0})
    # Signed out everywhere: no session can be refreshed; the account is gone, so no new sign-in either.
    for session in (laptop, phone):
        with pytest.raises(pool["idp"].exceptions.NotAuthorizedException):
            refresh(pool, session["RefreshToken"])
    with pytest.raises((pool["idp"].exceptions.UserNotFoundException, pool["idp"].exceptions.NotAuthorizedException)):
        sign_in(pool, "rita@acme.test")
    # The access token she still holds verifies until it expires (API Gateway checks its signature): refused.
    status, body = as_(pool, "rita", "GET", "/api/assignments")
    assert (status, body["code"]) == (403, "no_membership")
    # Her assignment is gone, her review stays with her name on it.
    status, detail = as_(pool, "rob", "GET", f"/api/candidates/{cid}")
    assert detail["assignedReviewers"] == []
    reviews = pool["p"].store.get_candidate_file("acme", cid).reviews  # (hidden from Rob until he scores: read them here)
    assert [(r.reviewer_id, r.reviewer_email, r.comment) for r in reviews] == [(rita, "rita@acme.test", "clear")]
    assert rita not in [m["userId"] for m in as_(pool, "ann", "GET", "/api/members")[1]["items"]]
    (entry,) = [e for e in audit(pool, "ann") if e["action"] == "member.removed"]
    assert (entry["actor"], entry["target"], entry["detail"]) == (pool["subs"]["ann"], rita, {"role": "reviewer", "assignments": 1, "shares": 0})
    # Removing again: she is not a member any more.
    assert as_(pool, "ann", "DELETE", f"/api/members/{rita}")[0] == 404

    # The address may be invited again, as a new account.
    status, again = as_(pool, "ann", "POST", "/api/members", {"email": "rita@acme.test", "role": "reviewer"})
    assert status == 201 and again["userId"] != rita
    assert again["userId"] in [m["userId"] for m in as_(pool, "ann", "GET", "/api/members")[1]["items"]]

    # A recruiter's share links stop when they leave.
    status, made = as_(pool, "rob", "POST", f"/api/candidates/{cid}/shares", {"minutes": 60})
    assert status == 201, made
    link = made["url"].split("#/share/")[1]
    assert call(h, "GET", "/api/share/candidate", token=link)[0] == 200
    status, removed = as_(pool, "ann", "DELETE", f"/api/members/{rob}")
    assert status == 200 and removed["sharesRevoked"] == 1 and removed["assignmentsDropped"] == 0
    status, body = call(h, "GET", "/api/share/candidate", token=link)
    assert (status, body["code"]) == (410, "link_revoked")
    (share,) = as_(pool, "ann", "GET", f"/api/candidates/{cid}/shares")[1]["items"]
    assert share["revokedAt"] is not None and share["createdBy"] == rob


def test_a_link_whose_maker_is_no_member_any_more_stops_even_unlisted(pool):
    """A link made before links were listed by their maker is not revoked by a removal, but stops all the same:
    a link works only while its maker belongs to the organization."""
    cid = submitted_candidate(pool)
    status, made = as_(pool, "rob", "POST", f"/api/candidates/{cid}/shares", {"minutes": 60})
    link = made["url"].split("#/share/")[1]
    p = pool["p"]
    share = p.store.find_share_by_token(hash_token(link))
    share.created_by = "someone-who-left"
    p.store.save(share)
    status, body = call(h, "GET", "/api/share/candidate", token=link)
    assert (status, body["code"]) == (401, "invalid_link")


def test_the_last_admin_stays(pool):
    p = pool["p"]
    with pytest.raises(Conflict) as err:
        identity.remove(p, "acme", pool["subs"]["ann"], by="oneway:cli")
    assert err.value.code == "last_admin"
    assert as_(pool, "ann", "PATCH", f"/api/members/{pool['subs']['rob']}", {"role": "admin"})[0] == 200
    status, removed = as_(pool, "rob", "DELETE", f"/api/members/{pool['subs']['ann']}")
    assert status == 200 and removed["status"] == "removed"


def test_an_invitation_answers_alike_whether_the_address_has_an_account_elsewhere(pool, outbox):
    from moto.ses.models import ses_backends

    gus = pool["subs"]["gus"]
    status, fresh = as_(pool, "ann", "POST", "/api/members", {"email": "nina@acme.test", "role": "reviewer"})
    assert status == 201
    status, taken = as_(pool, "ann", "POST", "/api/members", {"email": "Gus@Globex.test", "role": "reviewer"})
    assert status == 201, taken
    assert set(taken) == set(fresh) and taken["email"] == "gus@globex.test" and taken["role"] == "reviewer"
    assert taken["userId"] not in (gus, fresh["userId"])
    # Nothing was created or changed: Gus is Globex's, Acme has no such member.
    assert pool["p"].store.get_member(gus).org_id == "globex"
    acme = [m["email"] for m in as_(pool, "ann", "GET", "/api/members")[1]["items"]]
    assert "gus@globex.test" not in acme and "nina@acme.test" in acme
    # Acme's log records the invitation as any other; Globex's log says someone tried; Gus is told by email.
    invited = [e for e in audit(pool, "ann") if e["action"] == "member.invited"]
    assert {e["target"] for e in invited} == {fresh["userId"], taken["userId"]}
    assert {tuple(e["detail"].items()) for e in invited} == {(("role", "reviewer"),)}
    elsewhere = [e for e in audit(pool, "gil") if e["action"] == "member.invited_elsewhere"]
    assert [(e["actor"], e["target"], e["detail"]) for e in elsewhere] == [("oneway", gus, {})]
    outbox.drain()  # the deliver function sends the emails the requests left in the outbox
    sent = [m for m in ses_backends["123456789012"]["us-east-1"].sent_messages if "gus@globex.test" in m.destinations["ToAddresses"]]
    assert len(sent) == 1 and "has a Oneway account already" in sent[0].body and "Globex" not in sent[0].body

    # A member of one's own organization: the member list shows them anyway.
    status, body = as_(pool, "ann", "POST", "/api/members", {"email": "rita@acme.test"})
    assert (status, body["code"]) == (409, "already_member")
