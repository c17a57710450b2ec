"""Staff tokens: the API takes Cognito access tokens only.

API Gateway's JWT authorizer checks a token's signature, issuer, expiry and audience;
it reads ``aud`` when present and ``client_id`` otherwise, so an ID token of the same app
client (``aud`` = the client id) passes it as well as an access token (``client_id``).
The recruiter route asks for the access token's scope, and the handler refuses any
claims whose ``token_use`` is not ``access``. The local gateway checks the same.
"""

from __future__ import annotations

import boto3
import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.local.gateway import JwtVerifier, LambdaContext
from oneway.service import identity
from tests.security.routes import query_params, request_body, routes
from tests.support.events import http_event

h = api.lambda_handler


def with_claims(route, claims):
    event = http_event(route.method, route.url({}), request_body(route), sub="ann", query=query_params(route) or None)
    event["requestContext"]["authorizer"]["jwt"]["claims"] = claims
    answer = h(event, LambdaContext("t"))
    return answer["statusCode"], answer.get("body")


@pytest.fixture
def acme(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "ann", "ann@acme.test", Role.admin)


def test_every_staff_route_refuses_an_id_token_and_claims_without_token_use(acme):
    staff = [r for r in routes() if "cognito" in r.schemes]
    assert len(staff) > 30
    id_token = {"sub": "ann", "aud": "client", "token_use": "id", "email": "ann@acme.test"}
    unsaid = {"sub": "ann", "client_id": "client"}
    for route in staff:
        for claims in (id_token, unsaid):
            status, body = with_claims(route, claims)
            assert status == 401 and '"code": "unauthenticated"' in body, (route.key, claims, status, body)
    me = next(r for r in staff if r.key == "GET /api/me")
    assert with_claims(me, {"sub": "ann", "client_id": "client", "token_use": "access"})[0] == 200


def test_the_local_gateway_takes_the_access_token_and_refuses_the_id_token(aws):
    idp = boto3.client("cognito-idp", region_name="us-east-1")
    from oneway.local import provision

    provision.ensure_user(idp, aws.user_pool_id, "ann@acme.test", "Ann-password-123")
    tokens = idp.initiate_auth(
        ClientId=aws.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann@acme.test", "PASSWORD": "Ann-password-123"},
    )["AuthenticationResult"]
    verifier = JwtVerifier("https://cognito-idp.us-east-1.amazonaws.com", "us-east-1", aws.user_pool_id, aws.user_pool_client_id)
    claims = verifier.claims(tokens["AccessToken"])
    assert claims and claims["token_use"] == "access"
    assert verifier.claims(tokens["IdToken"]) is None


def test_sign_out_revokes_the_refresh_token_on_the_local_pool(aws):
    """What the site does at sign-out (RevokeToken with its refresh token): that session cannot be refreshed
    any more; the member's other sessions go on."""
    from oneway.local import provision
    from oneway.local.moto_patches import cognito_sessions_like_aws

    cognito_sessions_like_aws()  # as the local stack installs it
    idp = boto3.client("cognito-idp", region_name="us-east-1")
    client = idp.describe_user_pool_client(UserPoolId=aws.user_pool_id, ClientId=aws.user_pool_client_id)["UserPoolClient"]
    assert client["EnableTokenRevocation"] is True and (client["RefreshTokenValidity"], client["TokenValidityUnits"]["RefreshToken"]) == (12, "hours")
    provision.ensure_user(idp, aws.user_pool_id, "ann@acme.test", "Ann-password-123")

    def sign_in():
        return idp.initiate_auth(
            ClientId=aws.user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann@acme.test", "PASSWORD": "Ann-password-123"},
        )["AuthenticationResult"]["RefreshToken"]

    def refresh(token):
        return idp.initiate_auth(ClientId=aws.user_pool_client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token})

    laptop, phone = sign_in(), sign_in()
    assert refresh(laptop)["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.revoke_token(Token=laptop, ClientId="another-client")
    idp.revoke_token(Token=laptop, ClientId=aws.user_pool_client_id)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        refresh(laptop)
    assert refresh(phone)["AuthenticationResult"]["AccessToken"]
