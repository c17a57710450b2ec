"""Organizations and their members."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ..domain.errors import Conflict, Forbidden, NotFound
from ..domain.models import Actor, Entity, MailTopic, Member, Organization, OutboxMessage, Role, Share
from ..domain.tokens import new_id
from ..ports import Directory, Ports
from . import audit, branding, emails, first_then, outbox, retry_stale
from .views import (
    MemberInvite,
    MemberList,
    MemberRemoved,
    MemberUpdate,
    MemberView,
    MeView,
    OrganizationUpdate,
    OrganizationView,
)

SYSTEM = "oneway"  # the audit log's actor for what no member did


# How long a warm function trusts the pool's last word on a member's TOTP before asking again (AdminGetUser).
MFA_RECHECK = timedelta(seconds=60)
_totp_checked: dict[str, tuple[datetime, bool]] = {}  # user id -> (when the pool was asked, its answer)


def actor_for(p: Ports, user_id: str, *, mfa_setup: bool = False) -> Actor:
    """The member behind a verified identity. When their organization requires two-step verification and
    they have none, only the routes that set it up (``mfa_setup``) answer them. TOTP counts as the pool says,
    asked again on any request once its last answer is a minute old: a member who turns TOTP off with their
    own token and signs in with the password alone is stopped within that minute, whatever route they call."""
    member = p.store.get_member(user_id)
    if member is None:
        raise Forbidden("this account belongs to no organization", "no_membership")
    if not mfa_setup:
        org = p.store.get_organization(member.org_id)
        if org is not None and org.require_mfa and not _uses_totp(p, member):
            raise Forbidden("your organization requires two-step verification: set it up to continue", "mfa_required")
    return Actor(
        user_id=member.user_id, org_id=member.org_id, email=member.email, role=member.role, blind=member.blind, mfa_enabled=member.mfa_enabled
    )


def me(p: Ports, actor: Actor) -> MeView:
    org = p.store.get_organization(actor.org_id)
    mfa_enabled = actor.mfa_enabled
    member = p.store.get_member(actor.user_id) if p.directory and (mfa_enabled or (org and org.require_mfa)) else None
    if member is not None:
        # Ask the pool again: TOTP turned off there since (or on, unrecorded) shows at the next visit.
        mfa_enabled = _sync_mfa(p, member).mfa_enabled
    return _me_view(p, actor, org, mfa_enabled)


def _me_view(p: Ports, actor: Actor, org: Organization | None, mfa_enabled: bool) -> MeView:
    return MeView(
        user_id=actor.user_id,
        email=actor.email,
        org_id=actor.org_id,
        org_name=org.name if org else "",
        role=actor.role,
        blind=actor.blind,
        mfa_enabled=mfa_enabled,
        mfa_required=bool(org and org.require_mfa),
        brand=branding.brand_view(p, org) if org else None,
    )


def record_mfa(p: Ports, actor: Actor) -> MeView:
    """After the member turned TOTP on with the user pool (from the browser), the API records it, having
    asked the pool itself."""
    member = p.store.get_member(actor.user_id)
    if member is None:
        raise Forbidden("this account belongs to no organization", "no_membership")
    if not _sync_mfa(p, member).mfa_enabled:
        raise Conflict("two-step verification is not on for this account yet: verify a code first", "mfa_not_set_up")
    return _me_view(p, actor, p.store.get_organization(actor.org_id), True)


def reset_mfa(p: Ports, actor: Actor, user_id: str) -> MemberView:
    """An admin turns TOTP off for a member who lost their device; if the organization requires it, the member
    sets it up again at their next sign-in."""
    actor.require(Role.admin)
    member = p.store.get_member(user_id)
    if member is None or member.org_id != actor.org_id:
        raise NotFound("no such member", "member_not_found")
    _directory(p).reset_totp(user_id)
    member.mfa_enabled = False
    p.store.save(member)
    audit.record(p, actor.org_id, actor.user_id, "member.mfa_reset", user_id)
    return _member_view(member)


def reset_password(p: Ports, actor: Actor, user_id: str) -> MemberView:
    """An admin resets a member's password (a forgotten one, or one that may have leaked): the member's sessions
    end, and the member chooses a new password with a code the user pool emails them. A member who never signed
    in gets their invitation again, with a new temporary password. An admin's own password: "Forgot password"."""
    actor.require(Role.admin)
    if user_id == actor.user_id:
        raise Conflict("reset your own password with \"Forgot password\" on the sign-in page", "own_account")
    member = p.store.get_member(user_id)
    if member is None or member.org_id != actor.org_id:
        raise NotFound("no such member", "member_not_found")
    directory = _directory_for("password resets", p)
    password = directory.reset_password(user_id)
    directory.sign_out_everywhere(user_id)
    if password is not None:
        p.store.save(_invitation_mail(p, actor, member.email, password))
    audit.record(p, actor.org_id, actor.user_id, "member.password_reset", user_id)
    return _member_view(member)


def _invitation_mail(p: Ports, actor: Actor, email: str, password: str) -> OutboxMessage:
    org = p.store.get_organization(actor.org_id)
    site = f"{p.settings.site_url.rstrip('/')}/"
    mail = emails.member_mail(p, org, "member_invitation", email, {"inviter": actor.email, "password": password}, url=site)
    return outbox.mail(p, actor.org_id, MailTopic.member_invitation, mail)


def _uses_totp(p: Ports, member: Member) -> bool:
    if not member.mfa_enabled or p.directory is None:
        return member.mfa_enabled
    checked = _totp_checked.get(member.user_id)
    if checked is not None and p.clock.now() - checked[0] < MFA_RECHECK:
        return checked[1]
    return _sync_mfa(p, member).mfa_enabled


def _sync_mfa(p: Ports, member: Member) -> Member:
    """Record what the user pool says of the member's TOTP, auditing a change."""
    enabled = _directory(p).has_totp(member.user_id)
    _totp_checked[member.user_id] = (p.clock.now(), enabled)
    if enabled != member.mfa_enabled:
        member.mfa_enabled = enabled
        p.store.save(member)
        audit.record(p, member.org_id, member.user_id, "member.mfa_enabled" if enabled else "member.mfa_disabled", member.user_id)
    return member


def _directory(p: Ports) -> Directory:
    return _directory_for("two-step verification", p)


def _directory_for(what: str, p: Ports) -> Directory:
    if p.directory is None:
        raise Conflict(f"{what} needs the user pool (ONEWAY_USER_POOL_ID)", "directory_unavailable")
    return p.directory


def _own_organization(p: Ports, actor: Actor) -> Organization:
    actor.require(Role.admin)
    org = p.store.get_organization(actor.org_id)
    if org is None:
        raise NotFound("no such organization", "organization_not_found")
    return org


def _organization_view(p: Ports, org: Organization) -> OrganizationView:
    return OrganizationView(
        org_id=org.org_id,
        name=org.name,
        retention_days=org.retention_days,
        require_mfa=org.require_mfa,
        accent=org.accent,
        brand=branding.brand_view(p, org),
    )


def get_organization(p: Ports, actor: Actor) -> OrganizationView:
    return _organization_view(p, _own_organization(p, actor))


def update_organization(p: Ports, actor: Actor, cmd: OrganizationUpdate) -> OrganizationView:
    """Admins change the organization's settings; every change is audited."""
    org = _own_organization(p, actor)
    if cmd.require_mfa and not org.require_mfa and not actor.mfa_enabled:
        # Required of others only once it works for oneself: the admin has been through the setup.
        raise Conflict("set up two-step verification for your own account before requiring it", "mfa_setup_first")
    changes: dict[str, object] = {
        name: value
        for name, value in (("retention_days", cmd.retention_days), ("require_mfa", cmd.require_mfa))
        if value is not None and value != getattr(org, name)
    }
    accent = branding.check_accent(cmd.accent) if cmd.accent is not None else org.accent
    if changes or accent != org.accent:
        before = {name: getattr(org, name) for name in changes}
        for name, value in changes.items():
            setattr(org, name, value)
        before_accent, org.accent = org.accent, accent
        p.store.save(org)
        if changes:
            audit.record(p, org.org_id, actor.user_id, "organization.updated", org.org_id, **changes, before=before)
        if accent != before_accent:
            audit.record(p, org.org_id, actor.user_id, "organization.brand_changed", org.org_id, accent=audit.change(before_accent, accent))
    return _organization_view(p, org)


def create_organization(p: Ports, name: str, *, org_id: str | None = None) -> Organization:
    org = Organization(
        org_id=org_id or new_id(), name=name, retention_days=p.settings.retention_days, created_at=p.clock.now()
    )
    p.store.save(org)
    return org


def add_member(p: Ports, org_id: str, user_id: str, email: str, role: Role = Role.recruiter, *, also: tuple[Entity, ...] = ()) -> Member:
    """A new membership, saved with ``also`` (its invitation email) in one transaction."""
    member = Member(org_id=org_id, user_id=user_id, email=email.lower(), role=role, created_at=p.clock.now())
    p.store.save(member, *also)
    return member


def _member_view(m: Member) -> MemberView:
    return MemberView(user_id=m.user_id, email=m.email, role=m.role, blind=m.blind, created_at=m.created_at, mfa_enabled=m.mfa_enabled)


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
    before_role, before_blind = member.role, member.blind
    if cmd.role is not None:
        member.role = cmd.role
    if cmd.blind is not None:
        member.blind = cmd.blind
    p.store.save(member)
    if member.role != before_role:
        audit.record(p, actor.org_id, actor.user_id, "member.role_changed", user_id, **audit.change(before_role.value, member.role.value))
    if member.blind != before_blind:
        audit.record(p, actor.org_id, actor.user_id, "member.blind_enabled" if member.blind else "member.blind_disabled", user_id)
    return _member_view(member)


def invite_member(p: Ports, actor: Actor, cmd: MemberInvite) -> MemberView:
    """An admin invites a member by email: an account with a temporary password (chosen anew at the first
    sign-in) and a membership with the given role. Cognito emails the password on AWS; on the local stack
    the membership's transaction holds an email with it (an outbox message: the deliver function sends it to
    the local outbox page, and drops its content once sent).

    An address that already has an account gets the same answer as a new one, so that an admin cannot learn
    which addresses have accounts in other organizations of the deployment: see ``_invite_existing``."""
    actor.require(Role.admin)
    directory = _directory_for("member invitations", p)
    email = cmd.email.lower()
    try:
        user_id, password = directory.create_user(email)
    except Conflict as err:
        if err.code != "account_exists":
            raise
        return _invite_existing(p, directory, actor, email, cmd)
    told = () if password is None else (_invitation_mail(p, actor, email, password),)
    try:
        member = add_member(p, actor.org_id, user_id, email, cmd.role, also=told)
    except Exception:
        directory.delete_user(user_id)  # no account without its membership
        raise
    audit.record(p, actor.org_id, actor.user_id, "member.invited", user_id, role=cmd.role.value)
    return _member_view(member)


def _invite_existing(p: Ports, directory: Directory, actor: Actor, email: str, cmd: MemberInvite) -> MemberView:
    """The address has an account already. A member of the caller's own organization: 409 (the member list shows
    them anyway). Otherwise (another organization's member, or an account of none) nothing is created and the
    answer is that of a new invitation: a fresh id, the role asked for. The caller's audit log records the
    invitation as it records any; the address is told by email that it has an account already, and the
    organization it belongs to, if any, finds ``member.invited_elsewhere`` in its own log (no word of who)."""
    user_id = directory.find_user(email)
    member = p.store.get_member(user_id) if user_id else None
    if member is not None and member.org_id == actor.org_id:
        raise Conflict("this address is a member of your organization already", "already_member")
    org = p.store.get_organization(actor.org_id)
    site = f"{p.settings.site_url.rstrip('/')}/"
    mail = emails.member_mail(p, org, "member_elsewhere", email, {"email": email}, url=site)
    p.store.save(outbox.mail(p, actor.org_id, MailTopic.member_elsewhere, mail))
    shown = MemberView(user_id=new_id(), email=email, role=cmd.role, blind=False, created_at=p.clock.now(), mfa_enabled=False)
    audit.record(p, actor.org_id, actor.user_id, "member.invited", shown.user_id, role=cmd.role.value)
    if member is not None:
        audit.record(p, member.org_id, SYSTEM, "member.invited_elsewhere", member.user_id)
    return shown


def remove_member(p: Ports, actor: Actor, user_id: str) -> MemberRemoved:
    """An admin removes a member of their organization (not themselves)."""
    actor.require(Role.admin)
    if user_id == actor.user_id:
        raise Conflict("an admin cannot remove themselves: another admin can", "own_account")
    return remove(p, actor.org_id, user_id, by=actor.user_id)


def remove(p: Ports, org_id: str, user_id: str, *, by: str) -> MemberRemoved:
    """Remove a member, in this order, each step safe to run again: sign them out everywhere, disable their account
    and delete it (the address can be invited again, as a new account); drop their reviewer assignments and
    revoke the share links they made; then the membership itself, so that any access token they still hold
    is refused at once (API Gateway checks only its signature until it expires). Their reviews keep their id and
    email, and the audit log their id. The organization's last admin stays."""
    member = p.store.get_member(user_id)
    if member is None or member.org_id != org_id:
        raise NotFound("no such member", "member_not_found")
    if member.role == Role.admin and not any(m.role == Role.admin and m.user_id != user_id for m in p.store.list_members(org_id)):
        raise Conflict("the organization's last admin cannot be removed: make another member admin first", "last_admin")
    directory = _directory_for("removing a member", p)
    directory.sign_out_everywhere(user_id)
    directory.disable_user(user_id)
    directory.delete_user(user_id)
    assignments = p.store.list_assignments(org_id, user_id)
    for a in assignments:
        p.store.delete_item(a)
    now = p.clock.now()
    live = [s for s in p.store.list_shares_by(org_id, user_id) if s.revoked_at is None and s.expires_at > now]
    for share in live:
        _revoke_share(p, share, now)
    revoked = len(live)
    p.store.delete_item(member)
    _totp_checked.pop(user_id, None)
    audit.record(p, org_id, by, "member.removed", user_id, role=member.role.value, assignments=len(assignments), shares=revoked)
    return MemberRemoved(user_id=user_id, assignments_dropped=len(assignments), shares_revoked=revoked)


def _revoke_share(p: Ports, share: Share, now: datetime) -> None:
    current: Callable[[], Share | None] = first_then(share, lambda: p.store.find_share_by_token(share.token_hash))

    def attempt() -> None:
        found = current()
        if found is not None and found.revoked_at is None:
            found.revoked_at = now
            p.store.save(found)  # its version checked: a view counted meanwhile makes this read it again

    retry_stale(attempt)
