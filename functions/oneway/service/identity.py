"""Organizations and their members."""

from __future__ import annotations

from ..domain.errors import Conflict, Forbidden, NotFound
from ..domain.models import Actor, Member, Organization, Role
from ..domain.tokens import new_id
from . import audit
from ..ports import Mail, Ports
from .views import MemberInvite, MemberList, MemberUpdate, MemberView, MeView


def actor_for(p: Ports, user_id: str) -> Actor:
    member = p.store.get_member(user_id)
    if member is None:
        raise Forbidden("this account belongs to no organization", "no_membership")
    return Actor(user_id=member.user_id, org_id=member.org_id, email=member.email, role=member.role, blind=member.blind)


def me(p: Ports, actor: Actor) -> MeView:
    org = p.store.get_organization(actor.org_id)
    return MeView(user_id=actor.user_id, email=actor.email, org_id=actor.org_id, org_name=org.name if org else "", role=actor.role, blind=actor.blind)


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


def _member_view(m: Member) -> MemberView:
    return MemberView(user_id=m.user_id, email=m.email, role=m.role, blind=m.blind, created_at=m.created_at)


def list_members(p: Ports, actor: Actor) -> MemberList:
    """Everyone in the caller's organization: admins manage them, recruiters pick reviewers from them."""
    actor.require(Role.admin, Role.recruiter)
    return MemberList(items=[_member_view(m) for m in sorted(p.store.list_members(actor.org_id), key=lambda m: m.email)])


def update_member(p: Ports, actor: Actor, user_id: str, cmd: MemberUpdate) -> MemberView:
    actor.require(Role.admin)
    member = p.store.get_member(user_id)
    if member is None or member.org_id != actor.org_id:
        raise NotFound("no such member", "member_not_found")
    if cmd.role is not None and user_id == actor.user_id and cmd.role != Role.admin:
        raise Conflict("an admin cannot take away their own admin role", "own_role")
    if cmd.role is not None:
        member.role = cmd.role
    if cmd.blind is not None:
        member.blind = cmd.blind
    p.store.save(member)
    return _member_view(member)


def invite_member(p: Ports, actor: Actor, cmd: MemberInvite) -> MemberView:
    """An admin invites a member by email: an account with a temporary password (chosen anew at the first
    sign-in) and a membership with the given role. Cognito emails the password on AWS; the local stack
    sends it through the mailer (its outbox)."""
    actor.require(Role.admin)
    if p.directory is None:
        raise Conflict("member invitations need the user pool (ONEWAY_USER_POOL_ID)", "directory_unavailable")
    email = cmd.email.lower()
    user_id, password = p.directory.create_user(email)
    member = add_member(p, actor.org_id, user_id, email, cmd.role)
    if password is not None:
        org = p.store.get_organization(actor.org_id)
        p.mailer.send(
            Mail(
                to=email,
                subject=f"You are invited to {org.name if org else 'Oneway'} on Oneway",
                text=(
                    f"{actor.email} invited you to review interviews on Oneway.\n\n"
                    f"Sign in at {p.settings.site_url.rstrip('/')}/ with your email and this temporary password:\n\n"
                    f"    {password}\n\nYou will choose your own password when you first sign in.\n"
                ),
            )
        )
    audit.record(p, actor.org_id, actor.user_id, "member.invited", user_id, role=cmd.role.value)
    return _member_view(member)
