"""An admin resets a member's password, on the in-memory ports: who may, what the directory is asked, the mail a
member who never signed in gets again, and the audit entry. The user pool's side (codes, sign-in refused until the
new password) is tested on moto in tests/security/test_account_recovery.py."""

from __future__ import annotations

from unittest.mock import patch

import pytest

from oneway.domain.errors import Conflict, Forbidden, NotFound
from oneway.domain.models import Actor, OutboxMessage, Role
from oneway.service import identity

ANN = Actor(user_id="ann", org_id="acme", email="ann@acme.test", role=Role.admin)
ROB = Actor(user_id="rob", org_id="acme", email="rob@acme.test", role=Role.recruiter)
GIL = Actor(user_id="gil", org_id="globex", email="gil@globex.test", role=Role.admin)


@pytest.fixture
def members(ports):
    for org, people in (("acme", (ANN, ROB)), ("globex", (GIL,))):
        identity.create_organization(ports, org.title(), org_id=org)
        for a in people:
            identity.add_member(ports, org, a.user_id, a.email, a.role)
    ports.directory.confirmed.add("rob")
    return ports


def test_only_an_admin_of_the_members_organization_resets_and_not_their_own(members):
    with pytest.raises(Forbidden):
        identity.reset_password(members, ROB, "ann")
    with pytest.raises(Conflict) as own:
        identity.reset_password(members, ANN, "ann")
    assert own.value.code == "own_account"
    with pytest.raises(NotFound):
        identity.reset_password(members, GIL, "rob")
    assert members.directory.resets == []


def test_a_member_who_chose_a_password_gets_a_code_from_the_pool_and_the_reset_is_audited(members):
    view = identity.reset_password(members, ANN, "rob")
    assert view.user_id == "rob" and members.directory.resets == ["rob"]
    month = members.clock.now().strftime("%Y-%m")
    entries = [e for e in members.store.list_audit("acme", month, 100) if e.action == "member.password_reset"]
    assert [(e.actor, e.target) for e in entries] == [("ann", "rob")]


def test_a_member_who_never_signed_in_gets_the_invitation_again(members):
    identity.add_member(members, "acme", "nina", "nina@acme.test", Role.reviewer)
    saved: list[object] = []
    original = members.store.save

    def save(*entities, **kw):
        saved.extend(entities)
        return original(*entities, **kw)

    with patch.object(members.store, "save", save):
        identity.reset_password(members, ANN, "nina")
    (mail,) = [e for e in saved if isinstance(e, OutboxMessage)]
    assert mail.mail is not None and mail.mail.to == "nina@acme.test" and "Temporary-2" in mail.mail.text
