"""Account recovery on a real (moto) user pool, with Cognito's recovery as the local stack runs it
(oneway/local/moto_patches.cognito_recovery_like_aws): "Forgot password" and an admin's reset.

A member who forgot their password asks the pool for a code (ForgotPassword), gets it by email and chooses a new
password with it (ConfirmForgotPassword); an unknown address gets the same answer and no email. An admin resets a
member's password: the member's sessions end, the old password stops working (PasswordResetRequiredException) and
the pool emails a code; a member who never signed in gets their invitation again with a new temporary password.
Only admins reset, never their own password, and only members of their own organization; each reset is audited.
"""

from __future__ import annotations

import re

import pytest
from moto.ses.models import ses_backends

from oneway.local.moto_patches import COGNITO_DEFAULT_SENDER, cognito_recovery_like_aws
from tests.security import test_members
from tests.security.test_members import as_, audit, refresh, sign_in

pool = test_members.pool  # the fixture: Acme and Globex with real pool accounts

NEW_PASSWORD = "Brand-new-pass-456"


@pytest.fixture(autouse=True)
def _recovery():
    cognito_recovery_like_aws()


def mails_to(address: str) -> list:
    return [m for m in ses_backends["123456789012"]["us-east-1"].sent_messages if address in m.destinations["ToAddresses"]]


def code_in(mail) -> str:
    found = re.search(r"\b(\d{6})\b", mail.body)
    assert found, mail.body
    return found.group(1)


def temporary_password(body: str) -> str:
    found = re.search(r"temporary password:\s+(\S+)", body)
    assert found, body
    return found.group(1)


def test_forgot_password_emails_a_code_that_sets_a_new_password_once(pool):
    idp, client = pool["idp"], pool["client_id"]
    idp.forgot_password(ClientId=client, Username="rita@acme.test")
    (mail,) = mails_to("rita@acme.test")
    assert mail.source == COGNITO_DEFAULT_SENDER and "reset the password" in mail.body
    code = code_in(mail)

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_forgot_password(ClientId=client, Username="rita@acme.test", ConfirmationCode=wrong, Password=NEW_PASSWORD)
    idp.confirm_forgot_password(ClientId=client, Username="rita@acme.test", ConfirmationCode=code, Password=NEW_PASSWORD)
    with pytest.raises(idp.exceptions.CodeMismatchException):  # a code works once
        idp.confirm_forgot_password(ClientId=client, Username="rita@acme.test", ConfirmationCode=code, Password="Another-pass-789")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(pool, "rita@acme.test")  # the old password
    signed = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "rita@acme.test", "PASSWORD": NEW_PASSWORD})
    assert signed["AuthenticationResult"]["AccessToken"]

    # An address without an account: the same answer, no email (the client prevents user existence errors).
    answer = idp.forgot_password(ClientId=client, Username="nobody@acme.test")
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200 and mails_to("nobody@acme.test") == []


def test_an_admin_resets_a_members_password_their_sessions_end_and_a_code_sets_a_new_one(pool):
    idp, client, rita = pool["idp"], pool["client_id"], pool["subs"]["rita"]
    session = sign_in(pool, "rita@acme.test")

    # Only admins, not their own password, only their own organization's members.
    assert as_(pool, "rob", "POST", f"/api/members/{rita}/password-reset")[1]["code"] == "role_required"
    status, body = as_(pool, "ann", "POST", f"/api/members/{pool['subs']['ann']}/password-reset")
    assert (status, body["code"]) == (409, "own_account")
    status, body = as_(pool, "gil", "POST", f"/api/members/{rita}/password-reset")
    assert (status, body["code"]) == (404, "member_not_found")
    assert mails_to("rita@acme.test") == []

    status, member = as_(pool, "ann", "POST", f"/api/members/{rita}/password-reset")
    assert status == 200 and member["userId"] == rita and member["email"] == "rita@acme.test"
    assert [(e["actor"], e["target"]) for e in audit(pool, "ann") if e["action"] == "member.password_reset"] == [(pool["subs"]["ann"], rita)]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        refresh(pool, session["RefreshToken"])  # signed out everywhere
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        sign_in(pool, "rita@acme.test")
    (mail,) = mails_to("rita@acme.test")
    assert "administrator reset the password" in mail.body
    idp.confirm_forgot_password(ClientId=client, Username="rita@acme.test", ConfirmationCode=code_in(mail), Password=NEW_PASSWORD)
    signed = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "rita@acme.test", "PASSWORD": NEW_PASSWORD})
    assert signed["AuthenticationResult"]["AccessToken"]


def test_a_member_who_never_signed_in_gets_the_invitation_again_with_a_new_temporary_password(pool, outbox, monkeypatch):
    """As the local stack runs it: Oneway sends the invitation (on AWS, Cognito does: the next test)."""
    idp, client = pool["idp"], pool["client_id"]
    monkeypatch.setattr(pool["p"].directory, "_email_by_cognito", False)
    status, nina = as_(pool, "ann", "POST", "/api/members", {"email": "nina@acme.test", "role": "reviewer"})
    assert status == 201
    outbox.drain()
    (first,) = mails_to("nina@acme.test")
    old = temporary_password(first.text)

    status, _ = as_(pool, "ann", "POST", f"/api/members/{nina['userId']}/password-reset")
    assert status == 200
    outbox.drain()
    _, second = mails_to("nina@acme.test")
    new = temporary_password(second.text)
    assert new != old and "temporary password" in second.text
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "nina@acme.test", "PASSWORD": old})
    answer = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "nina@acme.test", "PASSWORD": new})
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    # The same account: the member's id is unchanged.
    user = idp.admin_get_user(UserPoolId=pool["pool_id"], Username="nina@acme.test")
    assert next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub") == nina["userId"]


def test_on_aws_cognito_sends_the_invitation_again_itself(pool, outbox):
    idp = pool["idp"]
    status, nina = as_(pool, "ann", "POST", "/api/members", {"email": "nina@acme.test", "role": "reviewer"})
    assert status == 201
    user = idp.admin_get_user(UserPoolId=pool["pool_id"], Username="nina@acme.test")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert as_(pool, "ann", "POST", f"/api/members/{nina['userId']}/password-reset")[0] == 200
    outbox.drain()
    assert mails_to("nina@acme.test") == []  # Cognito emails the new temporary password, not Oneway
    user = idp.admin_get_user(UserPoolId=pool["pool_id"], Username="nina@acme.test")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub") == nina["userId"]
