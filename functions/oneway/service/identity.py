"""Organizations and their members."""

from __future__ import annotations

from ..domain.errors import Forbidden
from ..domain.models import Actor, Member, Organization, Role
from ..domain.tokens import new_id
from ..ports import Ports
from .views import MeView


def actor_for(p: Ports, user_id: str) -> Actor:
    member = p.store.get_member(user_id)
    if member is None:
        raise Forbidden("this account belongs to no organization", "no_membership")
    return Actor(user_id=member.user_id, org_id=member.org_id, email=member.email, role=member.role)


def me(p: Ports, actor: Actor) -> MeView:
    org = p.store.get_organization(actor.org_id)
    return MeView(user_id=actor.user_id, email=actor.email, org_id=actor.org_id, org_name=org.name if org else "", role=actor.role)


def create_organization(p: Ports, name: str, *, org_id: str | None = None) -> Organization:
    org = Organization(
        org_id=org_id or new_id(), name=name, retention_days=p.settings.retention_days, created_at=p.clock.now()
    )
    p.store.save(org)
    return org


def add_member(p: Ports, org_id: str, user_id: str, email: str, role: Role = Role.recruiter) -> Member:
    member = Member(org_id=org_id, user_id=user_id, email=email.lower(), role=role, created_at=p.clock.now())
    p.store.save(member)
    return member
