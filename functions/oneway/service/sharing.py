"""Share links: a hiring manager without an account watches one candidate, read-only.

The link's token (256 random bits) is shown once and stored only as its SHA-256,
like candidates' tokens; it rides in the URL's fragment, so it never reaches a
server log, and the page sends it as a bearer token. Links expire and can be
revoked; every view is written to the audit log. Erasing the candidate erases
its links (they live in the candidate's partition).

A guest on a link may give their opinion: a name (no account), scores on the
interview's rubric, a comment. The link bounds what they write: its one
candidate, while it is live, once the candidate has submitted. One opinion per
name per link (saving again revises it), at most GUESTS_PER_LINK names per link
and GUEST_WRITES_PER_HOUR saves per link an hour; every save is audited with the
link's id and the guest's name (a guest has no other identity). The opinions are
kept apart from members' reviews: the team sees them as "<name> (guest)", under
the rule of independent scoring, and they never count in the members' agreement
or score distribution.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from ..domain.errors import Conflict, InvalidInput, NotFound, TooManyRequests, Unauthorized
from ..domain.models import Actor, CandidateFile, GuestOpinion, Interview, Share
from ..domain.tokens import hash_token, new_id, new_token
from ..ports import Ports
from . import audit, branding, interviews, retry_stale, review
from .views import (
    GuestOpinionInput,
    GuestOpinionSaved,
    RubricView,
    ShareCreated,
    SharedCandidate,
    ShareInput,
    ShareList,
    ShareView,
)

GUESTS_PER_LINK = 20
GUEST_WRITES_PER_HOUR = 60


def share_url(p: Ports, token: str) -> str:
    return f"{p.settings.site_url.rstrip('/')}/#/share/{token}"


def _view(s: Share) -> ShareView:
    return ShareView(**s.model_dump(include=set(ShareView.model_fields)))


def create_share(p: Ports, actor: Actor, candidate_id: str, cmd: ShareInput) -> ShareCreated:
    actor.require(*interviews.MANAGERS)
    review.require_sighted(actor)
    file = review.candidate_file(p, actor, candidate_id)
    now = p.clock.now()
    token = new_token()
    share = Share(
        org_id=actor.org_id,
        candidate_id=file.candidate.candidate_id,
        share_id=new_id(),
        token_hash=hash_token(token),
        created_by=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(minutes=cmd.minutes),
    )
    p.store.save(share)
    audit.record(p, actor.org_id, actor.user_id, "candidate.shared", candidate_id, share=share.share_id, expires_at=share.expires_at.isoformat())
    return ShareCreated(**_view(share).model_dump(), url=share_url(p, token))


def list_shares(p: Ports, actor: Actor, candidate_id: str) -> ShareList:
    actor.require(*interviews.MANAGERS)
    file = review.candidate_file(p, actor, candidate_id)
    return ShareList(items=[_view(s) for s in sorted(file.shares, key=lambda s: s.created_at, reverse=True)])


def revoke_share(p: Ports, actor: Actor, candidate_id: str, share_id: str) -> ShareView:
    actor.require(*interviews.MANAGERS)
    file = review.candidate_file(p, actor, candidate_id)
    share = next((s for s in file.shares if s.share_id == share_id), None)
    if share is None:
        raise NotFound("no such link", "share_not_found")
    if share.revoked_at is None:
        share.revoked_at = p.clock.now()
        p.store.save(share)
        audit.record(p, actor.org_id, actor.user_id, "candidate.share_revoked", candidate_id, share=share_id)
    return _view(share)


def _open(p: Ports, token: str | None) -> tuple[Share, CandidateFile, Interview, bool]:
    """The live link behind ``token``, its candidate and interview, and whether it shows the candidate blind."""
    share = p.store.find_share_by_token(hash_token(token)) if token else None
    if share is None:
        raise Unauthorized("this link is not valid", "invalid_link")
    share.check_usable(p.clock.now())
    # A link works while the member who made it belongs to the organization, and shows no more than they may see.
    maker = p.store.get_member(share.created_by)
    if maker is None or maker.org_id != share.org_id:
        raise Unauthorized("this link is not valid", "invalid_link")
    file = p.store.get_candidate_file(share.org_id, share.candidate_id)
    if file is None:
        raise NotFound("this candidate's data was deleted", "candidate_not_found")
    interview = p.store.get_interview(share.org_id, file.candidate.interview_id)
    if interview is None:
        raise NotFound("this interview no longer exists", "interview_not_found")
    return share, file, interview, interview.blind or maker.blind


def view_shared(p: Ports, token: str | None) -> SharedCandidate:
    share, file, interview, blind = _open(p, token)
    c = file.candidate
    org = p.store.get_organization(share.org_id)

    def count() -> None:
        current = p.store.find_share_by_token(share.token_hash)
        if current:
            current.views += 1
            p.store.save(current)

    retry_stale(count)
    audit.record(p, share.org_id, f"share:{share.share_id}", "candidate.viewed_by_link", c.candidate_id, share=share.share_id)
    return SharedCandidate(
        share_id=share.share_id,
        org_name=org.name if org else "",
        interview_title=interview.title,
        label=review.blind_label(c.candidate_id) if blind else c.name,
        blind=blind,
        status=c.status,
        completed_at=c.completed_at,
        expires_at=share.expires_at,
        answers=review.answer_views(p, file, interview, blind),
        rubric=[RubricView(**r.model_dump()) for r in interview.rubric],
        accepts_opinions=c.submitted,
        brand=branding.brand_view(p, org),
    )


def guest_key(name: str) -> str:
    """One opinion per name per link: "Ann  Lee" and "ann lee" are one guest. Hashed, so the key holds no name."""
    folded = " ".join(name.split()).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()[:32]


def give_guest_opinion(p: Ports, token: str | None, cmd: GuestOpinionInput) -> GuestOpinionSaved:
    share, file, interview, _ = _open(p, token)
    c = file.candidate
    if not c.submitted:
        raise Conflict("the candidate has not submitted the interview yet", "not_submitted")
    unknown = set(cmd.scores) - {r.name for r in interview.rubric}
    if unknown:
        raise InvalidInput(f"not in this interview's rubric: {', '.join(sorted(unknown))}", "unknown_rubric_item")
    comment = cmd.comment or None
    if not cmd.scores and comment is None and cmd.recommendation is None:
        raise InvalidInput("give a score, a recommendation or a comment", "empty_opinion")
    name = " ".join(cmd.guest_name.split())
    key = guest_key(name)
    now = p.clock.now()
    # Bounded per link: an hour's saves (a counter item the table's TTL removes), and the number of names.
    if p.store.add_count(f"guest-writes#{share.share_id}", now.strftime("%Y-%m-%dT%H"), now + timedelta(hours=2)) > GUEST_WRITES_PER_HOUR:
        raise TooManyRequests("too many opinions saved through this link; wait an hour", "rate_limited")

    secret = new_token()

    def attempt() -> GuestOpinion:
        current = p.store.get_candidate_file(share.org_id, share.candidate_id)
        if current is None:  # erased since the link was read
            raise NotFound("this candidate's data was deleted", "candidate_not_found")
        mine = [g for g in current.guest_opinions if g.share_id == share.share_id]
        existing = next((g for g in mine if g.guest_key == key), None)
        if existing is not None and not (cmd.guest_secret and hmac.compare_digest(existing.secret_hash, hash_token(cmd.guest_secret))):
            raise Conflict("a guest of this name gave an opinion through this link already; give your own name", "guest_name_taken")
        if existing is None and len(mine) >= GUESTS_PER_LINK:
            raise Conflict(f"this link has opinions from {GUESTS_PER_LINK} guests already; ask for a link of your own", "too_many_guests")
        opinion = GuestOpinion(
            org_id=share.org_id,
            candidate_id=c.candidate_id,
            share_id=share.share_id,
            guest_key=key,
            guest_name=existing.guest_name if existing else name,  # the name as first given
            secret_hash=existing.secret_hash if existing else hash_token(secret),
            scores=cmd.scores,
            comment=comment,
            recommendation=cmd.recommendation,
            submitted_at=existing.submitted_at if existing else now,
            updated_at=now,
            version=existing.version if existing else 0,
        )
        p.store.save(opinion)
        return opinion

    opinion = retry_stale(attempt)
    audit.record(p, share.org_id, f"share:{share.share_id}", "candidate.guest_reviewed", c.candidate_id, share=share.share_id, guest=opinion.guest_name)
    first = opinion.secret_hash == hash_token(secret)
    return GuestOpinionSaved(**review.guest_opinion_view(opinion).model_dump(), guest_secret=secret if first else None)
