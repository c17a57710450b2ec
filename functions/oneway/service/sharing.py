"""Share links: a hiring manager without an account watches one candidate, read-only.

The link's token (256 random bits) is shown once and stored only as its SHA-256,
like candidates' tokens; it rides in the URL's fragment, so it never reaches a
server log, and the page sends it as a bearer token. Links expire and can be
revoked; every view is written to the audit log. Erasing the candidate erases
its links (they live in the candidate's partition).
"""

from __future__ import annotations

from datetime import timedelta

from ..domain.errors import NotFound, Unauthorized
from ..domain.models import Actor, Share
from ..domain.tokens import hash_token, new_id, new_token
from ..ports import Ports
from . import audit, interviews, retry_stale, review
from .views import ShareCreated, SharedCandidate, ShareInput, ShareList, ShareView


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


def view_shared(p: Ports, token: str | None) -> SharedCandidate:
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
    c = file.candidate
    interview = p.store.get_interview(share.org_id, c.interview_id)
    if interview is None:
        raise NotFound("this interview no longer exists", "interview_not_found")
    org = p.store.get_organization(share.org_id)

    def count() -> None:
        current = p.store.find_share_by_token(share.token_hash)
        if current:
            current.views += 1
            p.store.save(current)

    retry_stale(count)
    audit.record(p, share.org_id, f"share:{share.share_id}", "candidate.viewed_by_link", c.candidate_id, share=share.share_id)
    blind = interview.blind or maker.blind
    return SharedCandidate(
        org_name=org.name if org else "",
        interview_title=interview.title,
        label=review.blind_label(c.candidate_id) if blind else c.name,
        blind=blind,
        status=c.status,
        completed_at=c.completed_at,
        expires_at=share.expires_at,
        answers=review.answer_views(p, file, interview, blind),
    )
