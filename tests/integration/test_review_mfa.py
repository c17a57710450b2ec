"""Two-step verification an organization can require: TOTP set up with the user pool, recorded by the API
only when the pool confirms it, and every recruiter route closed to a member without it."""

from __future__ import annotations

import boto3
import pytest

from oneway.config import settings
from oneway.domain.models import Role
from oneway.handlers import api, deps
from oneway.local import provision
from oneway.service import identity
from tests.security.routes import query_params, request_body, routes
from tests.support import stored
from tests.support.events import call
from tests.support.totp import totp_code

h = api.lambda_handler
PASSWORD = "Mfa-test-pass-123"
# The routes a member who must set up two-step verification can still reach (to learn it, and to record it).
SETUP_ROUTES = {"GET /api/me", "POST /api/me/mfa"}


@pytest.fixture
def org(aws, monkeypatch):
    """Acme with an admin, a recruiter and a reviewer, each a real account of the (moto) user pool."""
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")  # moto checks the codes
    monkeypatch.setenv("ONEWAY_USER_POOL_ID", aws.user_pool_id)
    settings.cache_clear()
    deps.ports.cache_clear()
    p = deps.ports()
    idp = boto3.client("cognito-idp", region_name="us-east-1")
    identity.create_organization(p, "Acme", org_id="acme")
    subs = {}
    for role in Role:
        email = f"{role.value}@acme.test"
        subs[role.value] = provision.ensure_user(idp, aws.user_pool_id, email, PASSWORD)
        identity.add_member(p, "acme", subs[role.value], email, role)
    return {"idp": idp, "client_id": aws.user_pool_client_id, "subs": subs}


def access_token(org, role: str) -> str:
    answer = org["idp"].initiate_auth(
        ClientId=org["client_id"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": f"{role}@acme.test", "PASSWORD": PASSWORD}
    )
    return answer["AuthenticationResult"]["AccessToken"]


def set_up_totp(org, role: str) -> str:
    """What the site does with the signed-in member's access token: associate, verify a code, prefer TOTP."""
    idp, token = org["idp"], access_token(org, role)
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    assert idp.verify_software_token(AccessToken=token, UserCode=totp_code(secret))["Status"] == "SUCCESS"
    idp.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    return secret


def as_(org, role: str, method: str, path: str, body=None, **kw):
    return call(h, method, path, body, sub=org["subs"][role], **kw)


def test_an_organization_that_requires_mfa_closes_every_recruiter_route_to_a_member_without_it(org):
    set_up_totp(org, "admin")
    status, me = as_(org, "admin", "POST", "/api/me/mfa")
    assert status == 200 and me["mfaEnabled"] is True and me["mfaRequired"] is False
    status, settings_view = as_(org, "admin", "PATCH", "/api/organization", {"requireMfa": True})
    assert status == 200 and settings_view["requireMfa"] is True

    # The recruiter has no second factor: every recruiter route but the setup ones answers 403 mfa_required.
    staff_routes = [r for r in routes() if "cognito" in r.schemes]
    assert len(staff_routes) > 30
    for route in staff_routes:
        status, body = as_(org, "recruiter", route.method, route.url({}), request_body(route), query=query_params(route) or None)
        if route.key in SETUP_ROUTES:
            assert status != 403, (route.key, body)
        else:
            assert (status, body["code"]) == (403, "mfa_required"), route.key
    status, me = as_(org, "recruiter", "GET", "/api/me")
    assert status == 200 and me["mfaRequired"] is True and me["mfaEnabled"] is False

    # The browser's word is not enough: the pool must say TOTP is on.
    status, body = as_(org, "recruiter", "POST", "/api/me/mfa")
    assert (status, body["code"]) == (409, "mfa_not_set_up")
    assert as_(org, "recruiter", "GET", "/api/interviews")[0] == 403

    set_up_totp(org, "recruiter")
    status, me = as_(org, "recruiter", "POST", "/api/me/mfa")
    assert status == 200 and me["mfaEnabled"] is True and me["mfaRequired"] is True
    assert as_(org, "recruiter", "GET", "/api/interviews")[0] == 200
    status, members = as_(org, "admin", "GET", "/api/members")
    assert {m["email"]: m["mfaEnabled"] for m in members["items"]} == {
        "admin@acme.test": True, "recruiter@acme.test": True, "reviewer@acme.test": False
    }

    status, log = as_(org, "admin", "GET", "/api/audit")
    actions = [(e["action"], e["actor"]) for e in log["items"]]
    assert ("organization.updated", org["subs"]["admin"]) in actions
    assert ("member.mfa_enabled", org["subs"]["recruiter"]) in actions
    (change,) = [e for e in log["items"] if e["action"] == "organization.updated"]
    assert change["detail"] == {"require_mfa": True, "before": {"require_mfa": False}}


def test_only_admins_read_and_change_the_settings_and_an_admin_sets_up_mfa_before_requiring_it(org):
    for role in ("recruiter", "reviewer"):
        status, body = as_(org, role, "PATCH", "/api/organization", {"requireMfa": True})
        assert (status, body["code"]) == (403, "role_required")
        assert as_(org, role, "GET", "/api/organization")[0] == 403

    status, body = as_(org, "admin", "PATCH", "/api/organization", {"requireMfa": True})
    assert (status, body["code"]) == (409, "mfa_setup_first")
    status, view = as_(org, "admin", "GET", "/api/organization")
    assert status == 200 and {k: view[k] for k in ("orgId", "name", "retentionDays", "requireMfa")} == {
        "orgId": "acme", "name": "Acme", "retentionDays": 180, "requireMfa": False
    }

    status, view = as_(org, "admin", "PATCH", "/api/organization", {"retentionDays": 90})
    assert status == 200 and view["retentionDays"] == 90 and view["requireMfa"] is False
    assert as_(org, "admin", "PATCH", "/api/organization", {"retentionDays": 0})[0] == 422
    # Everyone may work: nothing is required yet.
    assert as_(org, "reviewer", "GET", "/api/assignments")[0] == 200


def test_totp_turned_off_in_the_pool_is_noticed_at_the_next_visit(org):
    secret = set_up_totp(org, "admin")
    assert as_(org, "admin", "POST", "/api/me/mfa")[0] == 200
    assert as_(org, "admin", "PATCH", "/api/organization", {"requireMfa": True})[0] == 200

    # The admin turns TOTP off with their own token, around the site.
    org["idp"].set_user_mfa_preference(
        AccessToken=mfa_sign_in(org, "admin", secret), SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False}
    )
    status, me = as_(org, "admin", "GET", "/api/me")
    assert status == 200 and me["mfaEnabled"] is False and me["mfaRequired"] is True
    status, body = as_(org, "admin", "GET", "/api/organization")
    assert (status, body["code"]) == (403, "mfa_required")


def mfa_sign_in(org, role: str, secret: str) -> str:
    """Password, then the TOTP code that Cognito asks for once TOTP is on."""
    idp = org["idp"]
    first = idp.initiate_auth(
        ClientId=org["client_id"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": f"{role}@acme.test", "PASSWORD": PASSWORD}
    )
    assert first["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    def answer(code: str):
        return idp.respond_to_auth_challenge(
            ClientId=org["client_id"], ChallengeName="SOFTWARE_TOKEN_MFA", Session=first["Session"],
            ChallengeResponses={"USERNAME": f"{role}@acme.test", "SOFTWARE_TOKEN_MFA_CODE": code},
        )

    code = totp_code(secret)
    with pytest.raises(idp.exceptions.CodeMismatchException):
        answer(f"{(int(code) + 1) % 1_000_000:06d}")
    return answer(code)["AuthenticationResult"]["AccessToken"]


def test_an_admin_turns_off_the_totp_of_a_member_who_lost_their_device(org):
    secret = set_up_totp(org, "admin")
    set_up_totp(org, "recruiter")
    for role in ("admin", "recruiter"):
        assert as_(org, role, "POST", "/api/me/mfa")[0] == 200
    assert as_(org, "admin", "PATCH", "/api/organization", {"requireMfa": True})[0] == 200
    recruiter = org["subs"]["recruiter"]

    status, body = as_(org, "recruiter", "DELETE", f"/api/members/{org['subs']['admin']}/mfa")
    assert (status, body["code"]) == (403, "role_required")
    assert as_(org, "admin", "DELETE", "/api/members/someone-else/mfa")[0] == 404

    status, member = as_(org, "admin", "DELETE", f"/api/members/{recruiter}/mfa")
    assert status == 200 and member["mfaEnabled"] is False
    # The pool asks the recruiter for no code now; the organization still requires one, so: set it up again.
    signed_in = org["idp"].initiate_auth(
        ClientId=org["client_id"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "recruiter@acme.test", "PASSWORD": PASSWORD}
    )
    assert "AuthenticationResult" in signed_in
    status, body = as_(org, "recruiter", "GET", "/api/interviews")
    assert (status, body["code"]) == (403, "mfa_required")
    assert mfa_sign_in(org, "admin", secret)  # the admin's own TOTP is untouched
    status, log = as_(org, "admin", "GET", "/api/audit")
    assert ("member.mfa_reset", org["subs"]["admin"], recruiter) in [(e["action"], e["actor"], e["target"]) for e in log["items"]]


def test_totp_turned_off_in_the_pool_closes_every_staff_route_within_a_minute(org, monkeypatch):
    """The way around: turn TOTP off with one's own token, sign in with the password alone, and skip /api/me.
    Every staff request asks the pool again once its last answer is a minute old (per warm function)."""
    from oneway.adapters.cognito import CognitoDirectory
    from tests.conftest import FixedClock

    clock = FixedClock()
    monkeypatch.setattr(deps.ports(), "clock", clock)
    asked: list[str] = []
    real = CognitoDirectory.has_totp

    def has_totp(self: CognitoDirectory, user_id: str) -> bool:
        asked.append(user_id)
        return real(self, user_id)

    monkeypatch.setattr(CognitoDirectory, "has_totp", has_totp)

    set_up_totp(org, "admin")
    secret = set_up_totp(org, "recruiter")
    for role in ("admin", "recruiter"):
        assert as_(org, role, "POST", "/api/me/mfa")[0] == 200
    assert as_(org, "admin", "PATCH", "/api/organization", {"requireMfa": True})[0] == 200
    recruiter = org["subs"]["recruiter"]

    asked.clear()
    for _ in range(5):
        assert as_(org, "recruiter", "GET", "/api/interviews")[0] == 200
    assert asked.count(recruiter) <= 1, "the pool's answer is kept for a minute"

    # The recruiter turns TOTP off with their own token and signs in with the password alone.
    org["idp"].set_user_mfa_preference(
        AccessToken=mfa_sign_in(org, "recruiter", secret), SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False}
    )
    assert "AuthenticationResult" in org["idp"].initiate_auth(
        ClientId=org["client_id"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "recruiter@acme.test", "PASSWORD": PASSWORD}
    )
    clock.advance(seconds=61)
    for path in ("/api/interviews", "/api/assignments", "/api/question-bank"):
        status, body = as_(org, "recruiter", "GET", path)
        assert (status, body["code"]) == (403, "mfa_required"), path
    assert stored.member(deps.ports().store, recruiter).mfa_enabled is False
    status, log = as_(org, "admin", "GET", "/api/audit")
    assert ("member.mfa_disabled", recruiter) in [(e["action"], e["actor"]) for e in log["items"]]
    # The setup routes still answer, so the recruiter can turn it on again.
    status, me = as_(org, "recruiter", "GET", "/api/me")
    assert status == 200 and me["mfaEnabled"] is False and me["mfaRequired"] is True
    # An organization that does not require TOTP costs no question to the pool.
    assert as_(org, "admin", "PATCH", "/api/organization", {"requireMfa": False})[0] == 200
    asked.clear()
    clock.advance(seconds=61)
    assert as_(org, "recruiter", "GET", "/api/interviews")[0] == 200 and asked == []
