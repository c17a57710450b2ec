"""The member directory on the Cognito user pool: accounts for invited members."""

from __future__ import annotations

import contextlib
import secrets
import string
from typing import Any

from ..domain.errors import Conflict, InvalidInput


def temporary_password(length: int = 16) -> str:
    """Meets the pool's policy: upper, lower, digit and symbol, the rest random."""
    alphabet = string.ascii_letters + string.digits
    core = [secrets.choice(alphabet) for _ in range(length - 4)]
    return "".join([*core, secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase), secrets.choice(string.digits), "!"])


class CognitoDirectory:
    def __init__(self, client: Any, user_pool_id: str, *, email_by_cognito: bool):
        self._idp = client
        self._pool = user_pool_id
        # On AWS Cognito emails the temporary password itself; the local stack's Cognito sends no mail,
        # so there the password comes back to the caller, which sends it through the mailer (the outbox).
        self._email_by_cognito = email_by_cognito

    def create_user(self, email: str) -> tuple[str, str | None]:
        attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
        try:
            if self._email_by_cognito:
                self._idp.admin_create_user(UserPoolId=self._pool, Username=email, UserAttributes=attributes, DesiredDeliveryMediums=["EMAIL"])
                password = None
            else:
                password = temporary_password()
                self._idp.admin_create_user(
                    UserPoolId=self._pool, Username=email, UserAttributes=attributes, TemporaryPassword=password, MessageAction="SUPPRESS"
                )
        except self._idp.exceptions.UsernameExistsException:
            raise Conflict("this email already has an account", "account_exists") from None
        except self._idp.exceptions.InvalidParameterException as err:  # e.g. an address Cognito does not take
            raise InvalidInput(f"Cognito refused the account: {err.response['Error']['Message']}", "invalid_account") from None
        user = self._idp.admin_get_user(UserPoolId=self._pool, Username=email)
        sub = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
        return sub, password

    def has_totp(self, user_id: str) -> bool:
        # The pool's usernames are the accounts' subs (email is only a sign-in alias).
        try:
            user = self._idp.admin_get_user(UserPoolId=self._pool, Username=user_id)
        except self._idp.exceptions.UserNotFoundException:
            return False
        return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])

    def reset_totp(self, user_id: str) -> None:
        self._idp.admin_set_user_mfa_preference(
            UserPoolId=self._pool, Username=user_id, SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False}
        )

    def find_user(self, email: str) -> str | None:
        try:
            user = self._idp.admin_get_user(UserPoolId=self._pool, Username=email)
        except self._idp.exceptions.UserNotFoundException:
            return None
        return next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")

    def reset_password(self, user_id: str) -> str | None:
        # AdminResetUserPassword voids a confirmed account's password and Cognito emails it a code; a sign-in then
        # fails with PasswordResetRequiredException until the code and a new password are given (ConfirmForgotPassword).
        # https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminResetUserPassword.html
        # An account that never signed in has no password of its own to reset: Cognito refuses the call for it, and
        # the invitation is sent again with a new temporary password (AdminCreateUser, MessageAction RESEND).
        # https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
        user = self._idp.admin_get_user(UserPoolId=self._pool, Username=user_id)
        if user["UserStatus"] != "FORCE_CHANGE_PASSWORD":
            self._idp.admin_reset_user_password(UserPoolId=self._pool, Username=user_id)
            return None
        email = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "email")
        if self._email_by_cognito:
            self._idp.admin_create_user(UserPoolId=self._pool, Username=email, MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"])
            return None
        password = temporary_password()
        self._idp.admin_create_user(UserPoolId=self._pool, Username=email, MessageAction="RESEND", TemporaryPassword=password)
        return password

    # Removal: each step leaves an account that is already gone as it is, so a removal can be run again.
    def sign_out_everywhere(self, user_id: str) -> None:
        self._gone_is_fine(self._idp.admin_user_global_sign_out, user_id)

    def disable_user(self, user_id: str) -> None:
        self._gone_is_fine(self._idp.admin_disable_user, user_id)

    def delete_user(self, user_id: str) -> None:
        self._gone_is_fine(self._idp.admin_delete_user, user_id)

    def _gone_is_fine(self, call: Any, user_id: str) -> None:
        with contextlib.suppress(self._idp.exceptions.UserNotFoundException):
            call(UserPoolId=self._pool, Username=user_id)
