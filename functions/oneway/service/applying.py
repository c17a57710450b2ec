"""Self-apply links: an interview's public link for a job ad.

Whoever opens the link gives a name and an email address and agrees to the privacy notice; Oneway emails a
6-digit code to that address, and only the code, typed back, makes a candidate: exactly an invitation (a
token of 256 bits kept as its hash, the reminder, the invitation email), whose private link the page opens
at once. So no invitation goes to an address whose owner did not ask for it.

- The slug is 128 random bits, not the interview's id; the interview keeps it, closed or open.
- A code is kept as a salted hash, lives 15 minutes and takes 5 wrong tries; then a new one must be asked.
- The same address applying again to the same interview gets its own invitation re-sent (a fresh link, the
  old one stops), never a second candidate; the answers are the same either way (nothing tells whether an
  address applied before).
- Requests are counted per source address and per interview (a minute's window, in DynamoDB, removed by its
  TTL) and codes per address (an hour's window): past a limit, 429 with Retry-After. The recruiter sets a cap
  on applicants (409 when reached) and may close the link at any time (410).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from ..domain.errors import Conflict, Gone, InvalidInput, NotFound, TooManyRequests
from ..domain.languages import candidate_locale
from ..domain.models import Actor, Application, ApplyLink, Interview, MailTopic
from ..domain.tokens import hash_token, new_token
from ..ports import Ports
from . import access, audit, branding, emails, invitations, notifications, outbox, question_media, retry_stale
from .notice import notice
from .views import ApplyAccepted, ApplyConfirm, ApplyInput, ApplyLinkInput, ApplyLinkView, ApplyPage, ApplyResult

SLUG_BYTES = 16  # 128 bits
CODE_LIFE = timedelta(minutes=15)
CODE_TRIES = 5
CODES_PER_ADDRESS_PER_HOUR = 5
# An application not confirmed is forgotten after a day (the table's TTL).
PENDING_KEPT = timedelta(days=1)
APPLICANT = "applicant"  # the audit log's actor for a confirmed application


def apply_url(p: Ports, slug: str) -> str:
    return f"{p.settings.site_url.rstrip('/')}/c/#/apply/{slug}"


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _code_hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


# -- the recruiter's side ----------------------------------------------------------
def _view(p: Ports, interview: Interview) -> ApplyLinkView:
    link = interview.apply
    applied = p.store.get_counters(interview.org_id, interview.interview_id).get("applied", 0)
    if link is None:
        return ApplyLinkView(enabled=False, open=False, cap=ApplyLink.model_fields["cap"].default, applied=applied)
    return ApplyLinkView(enabled=True, open=link.open, cap=link.cap, applied=applied, url=apply_url(p, link.slug))


def get_apply_link(p: Ports, actor: Actor, interview_id: str) -> ApplyLinkView:
    return _view(p, access.load_managed(p, actor, interview_id))


def set_apply_link(p: Ports, actor: Actor, interview_id: str, cmd: ApplyLinkInput) -> ApplyLinkView:
    """Open (making the slug the first time), close, or change the cap of the interview's apply link."""

    def attempt() -> tuple[Interview, bool | None, int | None]:
        interview = access.load_managed(p, actor, interview_id)
        if cmd.open:
            access.check_open(interview)
        before = interview.apply
        link = before.model_copy() if before else ApplyLink(slug=secrets.token_urlsafe(SLUG_BYTES), open=False)
        was_open, old_cap = link.open, link.cap
        link.open = cmd.open
        if cmd.cap is not None:
            link.cap = cmd.cap
        interview.apply = link
        p.store.save(interview)
        return interview, (cmd.open if cmd.open != was_open else None), (old_cap if link.cap != old_cap else None)

    interview, toggled, old_cap = retry_stale(attempt)
    assert interview.apply is not None
    if toggled is not None:
        audit.record(p, actor.org_id, actor.user_id, "apply_link.opened" if toggled else "apply_link.closed", interview_id, cap=interview.apply.cap)
    if old_cap is not None:
        audit.record(p, actor.org_id, actor.user_id, "apply_link.cap", interview_id, **audit.change(old_cap, interview.apply.cap))
    return _view(p, interview)


# -- the applicant's side (public, no account) -------------------------------------
def _limit(p: Ports, name: str, per_window: int, *, hour: bool = False) -> None:
    now = p.clock.now()
    window = now.strftime("%Y-%m-%dT%H") if hour else now.strftime("%Y-%m-%dT%H:%M")
    length = timedelta(hours=1) if hour else timedelta(minutes=1)
    if p.store.add_count(name, window, now + length + timedelta(minutes=5)) > per_window:
        start = now.replace(minute=0 if hour else now.minute, second=0, microsecond=0)
        wait = max(1, int((start + length - now).total_seconds()) + 1)
        raise TooManyRequests("too many requests; try again later", "rate_limited", retry_after=wait)


def _per_source(p: Ports, source: str | None) -> None:
    _limit(p, f"apply-source#{source or 'unknown'}", p.settings.apply_per_source_per_minute)


def _per_interview(p: Ports, interview: Interview) -> None:
    _limit(p, f"apply-interview#{interview.org_id}#{interview.interview_id}", p.settings.apply_per_interview_per_minute)


def _interview(p: Ports, slug: str) -> Interview:
    interview = p.store.find_interview_by_apply_slug(slug) if 16 <= len(slug) <= 64 else None
    if interview is None or interview.apply is None:
        raise NotFound("this application link does not exist", "apply_link_not_found")
    return interview


def _check_accepting(p: Ports, interview: Interview) -> None:
    assert interview.apply is not None
    try:
        access.check_open(interview)
    except Conflict:
        raise Gone("applications are closed", "apply_closed") from None
    if not interview.apply.open:
        raise Gone("applications are closed", "apply_closed")
    if p.store.get_counters(interview.org_id, interview.interview_id).get("applied", 0) >= interview.apply.cap:
        raise Conflict("this interview takes no more applications", "apply_cap_reached")


def apply_page(p: Ports, slug: str, source: str | None, accept_language: str | None = None) -> ApplyPage:
    """What the apply page shows: the interview's title, the organization's name and look, whether it takes applications."""
    _per_source(p, source)
    interview = _interview(p, slug)
    org = p.store.get_organization(interview.org_id)
    try:
        _check_accepting(p, interview)
        accepting = True
    except (Gone, Conflict):
        accepting = False
    org_name = org.name if org else ""
    locale = candidate_locale(interview.language, accept_language)
    return ApplyPage(
        interview_title=interview.title,
        org_name=org_name,
        open=accepting,
        locale=locale,
        notice=notice(org_name, org.retention_days if org else p.settings.retention_days, locale),
        brand=branding.brand_view(p, org),
    )


def apply(p: Ports, slug: str, cmd: ApplyInput, source: str | None) -> ApplyAccepted:
    """Email a code to the address given; nothing else happens until it comes back."""
    _per_source(p, source)
    interview = _interview(p, slug)
    _per_interview(p, interview)
    _check_accepting(p, interview)
    if not cmd.consent:
        raise InvalidInput("agree to the privacy notice to apply", "consent_required")
    key = email_key(cmd.email)
    _limit(p, f"apply-address#{key}", CODES_PER_ADDRESS_PER_HOUR, hour=True)
    org = p.store.get_organization(interview.org_id)
    now = p.clock.now()
    code = f"{secrets.randbelow(1_000_000):06d}"

    def attempt() -> None:
        app = p.store.get_application(interview.org_id, interview.interview_id, key)
        if app is None:
            app = Application(
                org_id=interview.org_id, interview_id=interview.interview_id, email_key=key, created_at=now, expires_at=now + PENDING_KEPT
            )
        app.name, app.email = cmd.name, cmd.email.lower()
        app.code_salt = secrets.token_hex(16)
        app.code_hash = _code_hash(app.code_salt, code)
        app.code_expires_at, app.attempts = now + CODE_LIFE, 0
        if app.candidate_id is None:
            app.expires_at = max(app.expires_at, now + PENDING_KEPT)
        p.store.save(app, outbox.mail(p, interview.org_id, MailTopic.apply_code, emails.code_mail(p, org, interview, app.name, app.email, code)))

    retry_stale(attempt)
    return ApplyAccepted(email=cmd.email.lower(), expires_at=now + CODE_LIFE)


def confirm(p: Ports, slug: str, cmd: ApplyConfirm, source: str | None) -> ApplyResult:
    """The code, typed back: the candidate made exactly as an invitation makes one (or, for an address that
    applied before, its invitation re-sent), and their private link."""
    _per_source(p, source)
    interview = _interview(p, slug)
    _per_interview(p, interview)
    assert interview.apply is not None
    try:
        access.check_open(interview)
    except Conflict:
        raise Gone("applications are closed", "apply_closed") from None
    if not interview.apply.open:
        raise Gone("applications are closed", "apply_closed")
    key = email_key(cmd.email)
    now = p.clock.now()
    app = p.store.get_application(interview.org_id, interview.interview_id, key)
    _check_code(p, app, cmd.code, now)
    assert app is not None
    org = p.store.get_organization(interview.org_id)
    retention_days = org.retention_days if org else p.settings.retention_days
    existing = p.store.get_candidate(interview.org_id, app.candidate_id) if app.candidate_id else None
    if existing is not None:
        # The same address again: its own invitation, re-sent with a fresh link (tokens are kept as hashes only).
        token = new_token()
        existing.token_hash, existing.revoked_at = hash_token(token), None
        _spent(app)
        p.store.save(
            existing, app, notifications.reschedule(p, existing, interview), invitations.invitation_message(p, org, interview, existing, token)
        )
        audit.record(p, interview.org_id, APPLICANT, "application.resent", existing.candidate_id)
        return ApplyResult(invite_url=invitations.invite_url(p, token))
    if p.store.get_counters(interview.org_id, interview.interview_id).get("applied", 0) >= interview.apply.cap:
        raise Conflict("this interview takes no more applications", "apply_cap_reached")
    question_media.check_ready(p, interview)
    candidate, token = invitations.new_candidate(interview, app.name, app.email, now, retention_days)
    app.candidate_id = candidate.candidate_id
    assert candidate.retain_until is not None
    app.expires_at = datetime.combine(candidate.retain_until, datetime.min.time(), tzinfo=now.tzinfo)
    _spent(app)
    p.store.save(
        candidate,
        app,
        notifications.new_reminder(p, candidate, interview),
        invitations.invitation_message(p, org, interview, candidate, token),
        counters={(interview.org_id, interview.interview_id): {"invited": 1, "applied": 1}},
    )
    audit.record(p, interview.org_id, APPLICANT, "application.confirmed", candidate.candidate_id, interview=interview.interview_id)
    return ApplyResult(invite_url=invitations.invite_url(p, token))


def _spent(app: Application) -> None:
    """A code used once is gone; so are the name and address (the candidate holds them now)."""
    app.code_hash, app.code_salt, app.code_expires_at, app.attempts = "", "", None, 0
    app.name, app.email = "", ""


def _check_code(p: Ports, app: Application | None, code: str, now: datetime) -> None:
    """A wrong code counts a try (the fifth spends it); an unknown address answers as a wrong code."""
    if app is None or not app.code_hash:
        raise InvalidInput("this code is not right", "wrong_code")
    if app.code_expires_at is None or now >= app.code_expires_at or app.attempts >= CODE_TRIES:
        raise Gone("this code has expired; ask for a new one", "code_expired")
    if hmac.compare_digest(app.code_hash, _code_hash(app.code_salt, code)):
        return
    app.attempts += 1
    p.store.save(app)  # a concurrent try makes this stale: refused, and counted by the other
    if app.attempts >= CODE_TRIES:
        raise Gone("too many wrong codes; ask for a new one", "code_expired")
    raise InvalidInput("this code is not right", "wrong_code")
