"""Admins invite members by email: a Cognito account with a temporary password, then a membership."""

from __future__ import annotations

import dataclasses

import boto3
import pytest

from oneway.adapters.cognito import CognitoDirectory
from oneway.domain.errors import Conflict, Forbidden
from oneway.domain.models import Actor, Role
from oneway.service import identity
from oneway.service.views import MemberInvite

ANN = Actor(user_id="ann", org_id="acme", email="ann@acme.test", role=Role.admin)


@pytest.fixture
def pool(aws):
    idp = boto3.client("cognito-idp", region_name="us-east-1")
    pool_id = idp.create_user_pool(PoolName="oneway")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="site", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    return idp, pool_id, client_id


@pytest.fixture
def org(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "ann", "ann@acme.test", Role.admin)


def test_an_invited_member_gets_a_temporary_password_by_mail_and_chooses_their_own(ports, pool, org, outbox):
    idp, pool_id, client_id = pool
    p = dataclasses.replace(ports, directory=CognitoDirectory(idp, pool_id, email_by_cognito=False))
    made = identity.invite_member(p, ANN, MemberInvite(email="Rita@Acme.test", role=Role.reviewer))
    assert made.email == "rita@acme.test" and made.role == Role.reviewer
    assert identity.actor_for(p, made.user_id).org_id == "acme"

    from moto.ses.models import ses_backends

    outbox.drain()  # the deliver function sends the email the membership's transaction held
    (mail,) = [m for m in ses_backends["123456789012"]["us-east-1"].sent_messages if "rita@acme.test" in m.destinations["ToAddresses"]]
    password = mail.text.split("temporary password:")[1].split()[0]
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "rita@acme.test", "PASSWORD": password})
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=first["Session"],
        ChallengeResponses={"USERNAME": "rita@acme.test", "NEW_PASSWORD": "Rita-own-pass-123"},
    )
    assert done["AuthenticationResult"]["AccessToken"]

    with pytest.raises(Conflict) as err:
        identity.invite_member(p, ANN, MemberInvite(email="rita@acme.test"))
    assert err.value.code == "already_member"


def test_only_admins_invite_and_only_with_a_user_pool(ports, pool, org):
    idp, pool_id, _ = pool
    p = dataclasses.replace(ports, directory=CognitoDirectory(idp, pool_id, email_by_cognito=False))
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    with pytest.raises(Forbidden):
        identity.invite_member(p, Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter), MemberInvite(email="x@acme.test"))
    with pytest.raises(Conflict) as err:
        identity.invite_member(dataclasses.replace(ports, directory=None), ANN, MemberInvite(email="x@acme.test"))
    assert err.value.code == "directory_unavailable"
