"""Cognito: the recruiters' user pool and app client."""

from __future__ import annotations

from tests.infra.infra_support import of_type, props


def test_user_pool_policy_and_mfa(resources):
    (pool,) = of_type(resources, "AWS::Cognito::UserPool").values()
    p = props(pool)
    assert p["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True  # no self sign-up
    assert p["UsernameAttributes"] == ["email"]
    expected = {
        "MinimumLength": 12,
        "RequireLowercase": True,
        "RequireUppercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
    }
    assert {k: p["Policies"]["PasswordPolicy"].get(k) for k in expected} == expected
    assert p["MfaConfiguration"] == "OPTIONAL"
    assert p["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert p["DeletionProtection"] == "ACTIVE"
    assert pool["DeletionPolicy"] == "Retain"


def test_app_client_has_no_secret_and_allows_srp_password_and_refresh(resources):
    (client,) = of_type(resources, "AWS::Cognito::UserPoolClient").values()
    p = props(client)
    assert p["GenerateSecret"] is False
    assert sorted(p["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert p["PreventUserExistenceErrors"] == "ENABLED"
    assert p["AllowedOAuthFlowsUserPoolClient"] is False  # no hosted UI


def test_refresh_tokens_are_revocable_and_live_half_a_day(resources):
    (client,) = of_type(resources, "AWS::Cognito::UserPoolClient").values()
    p = props(client)
    assert p["EnableTokenRevocation"] is True  # the site revokes its refresh token at sign-out
    units = p.get("TokenValidityUnits", {})
    assert (p["RefreshTokenValidity"], units.get("RefreshToken")) == (720, "minutes")  # 12 hours, not 30 days
    assert (p["AccessTokenValidity"], units.get("AccessToken")) == (60, "minutes")
