"""Cognito: the recruiters' user pool and the one app client (site and scripts)."""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from . import nag


class Auth(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, threat_protection: bool = False) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = self._user_pool(threat_protection)
        self._acknowledge_pool_findings(threat_protection)
        self.client = self._app_client()

    def _user_pool(self, threat_protection: bool) -> cognito.UserPool:
        return cognito.UserPool(
            self,
            "UserPool",
            # Recruiters are invited by an administrator; candidates never sign in
            # (they carry an invitation token).
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True, username=False),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.PLUS if threat_protection else cognito.FeaturePlan.ESSENTIALS,
            standard_threat_protection_mode=(
                cognito.StandardThreatProtectionMode.FULL_FUNCTION if threat_protection else None
            ),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )

    def _acknowledge_pool_findings(self, threat_protection: bool) -> None:
        nag.acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is OPTIONAL in the pool by design: every member can turn on TOTP in the review site, and an "
            "organization's admin can require it of all its members (the API then answers 403 mfa_required to a "
            "member without TOTP, as the pool reports it). Candidates never sign in to the pool.",
        )
        if not threat_protection:
            nag.acknowledge(
                self.user_pool,
                "AwsSolutions-COG3",
                "Threat protection needs the paid Cognito Plus plan; a handful of invited recruiters with a "
                "12-character policy and optional TOTP do not warrant it by default. Turn it on with "
                "`-c threatProtection=true`.",
            )
            nag.acknowledge(
                self.user_pool,
                "AwsSolutions-COG8",
                "The Essentials plan is enough for a few invited recruiters; the Plus plan (threat "
                "protection) is billed per monthly active user. Enable it with `-c threatProtection=true`.",
            )

    def _app_client(self) -> cognito.UserPoolClient:
        return self.user_pool.add_client(
            "AppClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(
                user_srp=True,  # the site
                user_password=True,  # scripts and the CLI (and the local stack)
            ),
            # No hosted UI: the site signs in with the Cognito API directly.
            disable_o_auth=True,
            prevent_user_existence_errors=True,
            # The site revokes its refresh token at sign-out (RevokeToken); a member removed by an admin is signed
            # out everywhere (AdminUserGlobalSignOut).
            enable_token_revocation=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            # A working day: a refresh token left in a browser that never signed out (a shared or lost laptop)
            # opens the review site for hours, not a month; members sign in once a day.
            refresh_token_validity=Duration.hours(12),
        )

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{Aws.REGION}.amazonaws.com/{self.user_pool.user_pool_id}"

    @property
    def endpoint(self) -> str:
        return f"https://cognito-idp.{Aws.REGION}.amazonaws.com"
