"""Inviting candidates by link and email."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.models import (
    Accommodation,
    AccommodationAnswer,
    AccommodationKind,
    AccommodationState,
    Actor,
    Candidate,
    CandidateStatus,
    Interview,
    MailTopic,
    Organization,
    OutboxMessage,
    QuestionProgress,
    deadline,
)
from ..domain.tokens import hash_token, new_id, new_token
from ..ports import Ports
from . import audit, interviews, notifications, outbox, question_media, retry_stale, review
from .views import (
    AccommodationDecision,
    AccommodationView,
    CandidateList,
    CandidateSettings,
    CandidateSettingsView,
    CandidateSummary,
    DeadlineInput,
    InvitationList,
    InvitationStatusView,
    InvitationView,
    InviteCandidates,
)

# Candidates per transaction: each with its reminder and its invitation email (an outbox message), plus the
# counters. A transaction takes at most 100 actions:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
BATCH = 33
DEFAULT_EXTRA_TIME = 1.5


def invite_url(p: Ports, token: str) -> str:
    # The token rides in the fragment, which browsers never send to a server.
    return f"{p.settings.site_url.rstrip('/')}/c/#t={token}"


def invite_candidates(p: Ports, actor: Actor, interview_id: str, cmd: InviteCandidates) -> InvitationList:
    actor.require(*interviews.MANAGERS)
    interview = interviews.load(p, actor, interview_id)
    interviews.check_open(interview)
    question_media.check_ready(p, interview)
    org = p.store.get_organization(actor.org_id)
    now = p.clock.now()
    retention_days = org.retention_days if org else p.settings.retention_days
    issued: list[tuple[Candidate, str]] = []
    for invitee in cmd.candidates:
        if invitee.time_zone and not notifications.valid_zone(invitee.time_zone):
            raise InvalidInput(f"{invitee.time_zone} is not a known time zone (IANA names such as Europe/Paris)", "bad_time_zone")
    for invitee in cmd.candidates:
        issued.append(new_candidate(interview, invitee.name, invitee.email, now, retention_days, invitee.time_zone))
    for i in range(0, len(issued), BATCH):
        chunk = issued[i : i + BATCH]
        candidates = [c for c, _ in chunk]
        reminders = [notifications.new_reminder(p, c, interview) for c in candidates]
        # The emails go after the commit (the deliver function): a refusal by SES shows on each candidate.
        mails = [invitation_message(p, org, interview, c, t) for c, t in chunk] if cmd.send_email else []
        p.store.save(*candidates, *reminders, *mails, counters={(actor.org_id, interview_id): {"invited": len(candidates)}})
    return InvitationList(
        items=[
            InvitationView(candidate_id=c.candidate_id, name=c.name, email=c.email, invite_url=invite_url(p, t))
            for c, t in issued
        ]
    )


def new_candidate(
    interview: Interview, name: str, email: str, now: datetime, retention_days: int, time_zone: str | None = None
) -> tuple[Candidate, str]:
    """One invitation: a candidate with a fresh token (256 bits, kept only as its hash), and the token."""
    token = new_token()
    candidate = Candidate(
        org_id=interview.org_id,
        interview_id=interview.interview_id,
        candidate_id=new_id(),
        name=name,
        email=email.lower(),
        token_hash=hash_token(token),
        invited_at=now,
        expires_at=deadline(now, interview.deadline_days),
        progress={q.question_id: QuestionProgress() for q in interview.questions},
        retain_until=(deadline(now, interview.deadline_days) + timedelta(days=retention_days)).date(),
        time_zone=time_zone,
    )
    return candidate, token


def invitation_message(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate, token: str) -> OutboxMessage:
    mail = notifications.invitation_mail(p, org, interview, candidate, invite_url(p, token))
    return outbox.mail(p, candidate.org_id, MailTopic.invitation, mail, candidate_id=candidate.candidate_id)


def list_candidates(
    p: Ports, actor: Actor, interview_id: str, status: CandidateStatus | None, cursor: str | None, limit: int
) -> CandidateList:
    review.require_not_reviewer(actor)
    interviews.load(p, actor, interview_id)
    page = p.store.list_candidates(actor.org_id, interview_id, status, cursor, limit)
    return CandidateList(items=[summary(c, actor.blind, actor.user_id) for c in page.items], next_cursor=page.next_cursor)


def summary(c: Candidate, blind: bool = False, viewer: str | None = None) -> CandidateSummary:
    """A line of the candidate list; for a member in blind review, the label instead of the name, no email.
    The review figures come from the candidate's own aggregate (no read of the reviews); the average of others'
    scores keeps to independent scoring: shown once the viewer has reviewed or the candidate is decided."""
    mine = c.review_means.get(viewer) if viewer else None
    reviewed = viewer is not None and viewer in c.review_means
    return CandidateSummary(
        reviews=len(c.review_means),
        reviewed_by_me=reviewed,
        my_score=mine,
        average_score=c.average_score() if reviewed or c.decision is not None else None,
        candidate_id=c.candidate_id,
        interview_id=c.interview_id,
        name=review.blind_label(c.candidate_id) if blind else c.name,
        email="" if blind else c.email,
        blind=blind,
        status=c.status,
        invited_at=c.invited_at,
        expires_at=c.expires_at,
        completed_at=c.completed_at,
        decision=c.decision,
        pending_accommodations=sum(a.state == AccommodationState.requested for a in c.accommodations),
        revoked=c.revoked_at is not None,
        time_multiplier=c.time_multiplier,
        screening_missed=c.screening_missed,
    )


# -- after the invitation: resend, extend, revoke, timing, accommodations -------
def _candidate(p: Ports, actor: Actor, candidate_id: str) -> Candidate:
    actor.require(*interviews.MANAGERS)
    cand = p.store.get_candidate(actor.org_id, candidate_id)
    if cand is None:
        raise NotFound("no such candidate", "candidate_not_found")
    return cand


def _not_submitted(cand: Candidate) -> None:
    if cand.submitted:
        raise Conflict("the candidate has already submitted the interview", "already_completed")


def accommodation_view(a: Accommodation) -> AccommodationView:
    return AccommodationView(**a.model_dump(exclude={"decided_by"}))


def invitation_status(p: Ports, actor: Actor, candidate_id: str) -> InvitationStatusView:
    return _status(p, _candidate(p, actor, candidate_id))


def _status(p: Ports, cand: Candidate) -> InvitationStatusView:
    reminder = p.store.get_reminder(cand.org_id, cand.candidate_id)
    return InvitationStatusView(
        candidate_id=cand.candidate_id,
        status=cand.status,
        expires_at=cand.expires_at,
        revoked=cand.revoked_at is not None,
        time_zone=cand.time_zone,
        time_multiplier=cand.time_multiplier,
        text_instead_of_video=cand.text_instead_of_video,
        accommodations=[accommodation_view(a) for a in cand.accommodations],
        next_reminder_at=reminder.due_at if reminder and cand.revoked_at is None and not cand.submitted else None,
        reminders_sent=sorted(reminder.sent) if reminder else [],
        emails=outbox.email_views(p.store.list_candidate_messages(cand.org_id, cand.candidate_id)),
    )


def remind(p: Ports, actor: Actor, candidate_id: str) -> None:
    """A reminder email now (a recruiter's, beside the scheduled ones), for a candidate who has not submitted and
    whose link works. Audited; the email shows on the candidate's invitation like every other."""
    org = p.store.get_organization(actor.org_id)

    def attempt() -> None:
        cand = _candidate(p, actor, candidate_id)
        _not_submitted(cand)
        if not cand.link_live(p.clock.now()):
            raise InvalidInput("the invitation's link no longer works: resend it instead", "link_not_live")
        interview = interviews.load(p, actor, cand.interview_id)
        p.store.save(cand, outbox.mail(p, cand.org_id, MailTopic.reminder, notifications.reminder_mail(p, org, interview, cand), candidate_id=candidate_id))

    retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "invitation.reminded", candidate_id)


def resend_invitation(p: Ports, actor: Actor, candidate_id: str) -> InvitationView:
    """Tokens are kept only as hashes, so a resend issues a fresh link and the old one stops working.
    A resend also reinstates a revoked invitation (an explicit act of the recruiter). The new link opens the
    candidate's own page, which names them: not for a member in blind review."""
    review.require_sighted(actor)
    token = new_token()
    org = p.store.get_organization(actor.org_id)

    def attempt() -> Candidate:
        cand = _candidate(p, actor, candidate_id)
        _not_submitted(cand)
        interview = interviews.load(p, actor, cand.interview_id)
        cand.token_hash, cand.revoked_at = hash_token(token), None
        # Reminders count again from now; the email goes after the commit.
        p.store.save(cand, notifications.reschedule(p, cand, interview), invitation_message(p, org, interview, cand, token))
        return cand

    cand = retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "invitation.resent", candidate_id)
    return InvitationView(candidate_id=cand.candidate_id, name=cand.name, email=cand.email, invite_url=invite_url(p, token))


def revoke_invitation(p: Ports, actor: Actor, candidate_id: str) -> InvitationStatusView:
    """The link then answers exactly like an unknown one; the stored hash is replaced by one of no token."""

    def attempt() -> Candidate:
        cand = _candidate(p, actor, candidate_id)
        cand.token_hash, cand.revoked_at = hash_token(new_token()), p.clock.now()
        p.store.save(cand, *notifications.stop_waiting(p, cand))
        return cand

    cand = retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "invitation.revoked", candidate_id)
    return _status(p, cand)


def extend_deadline(p: Ports, actor: Actor, candidate_id: str, cmd: DeadlineInput) -> InvitationStatusView:
    now = p.clock.now()
    if cmd.expires_at.tzinfo is None:
        raise InvalidInput("give the deadline with its time zone (e.g. 2026-12-01T17:00:00Z)", "bad_deadline")
    if cmd.expires_at <= now:
        raise InvalidInput("the new deadline must be in the future", "bad_deadline")
    org = p.store.get_organization(actor.org_id)
    retention_days = org.retention_days if org else p.settings.retention_days

    def attempt() -> Candidate:
        cand = _candidate(p, actor, candidate_id)
        _not_submitted(cand)
        cand.expires_at = cmd.expires_at
        cand.retain_until = (cmd.expires_at + timedelta(days=retention_days)).date()
        told = []
        if cmd.notify and cand.revoked_at is None:
            interview = interviews.load(p, actor, cand.interview_id)
            told.append(outbox.mail(p, cand.org_id, MailTopic.deadline, notifications.deadline_mail(p, org, interview, cand), candidate_id=candidate_id))
        p.store.save(cand, notifications.reschedule(p, cand), *told)
        return cand

    cand = retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "invitation.extended", candidate_id, expires_at=cmd.expires_at.isoformat())
    return _status(p, cand)


def set_time_multiplier(p: Ports, actor: Actor, candidate_id: str, multiplier: float) -> InvitationStatusView:
    def attempt() -> Candidate:
        cand = _candidate(p, actor, candidate_id)
        cand.time_multiplier = multiplier
        p.store.save(cand)
        return cand

    cand = retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, "candidate.time_multiplier", candidate_id, multiplier=multiplier)
    return _status(p, cand)


def decide_accommodation(p: Ports, actor: Actor, candidate_id: str, request_id: str, cmd: AccommodationDecision) -> InvitationStatusView:
    def attempt() -> Candidate:
        cand = _candidate(p, actor, candidate_id)
        req = next((a for a in cand.accommodations if a.request_id == request_id), None)
        if req is None:
            raise NotFound("no such accommodation request", "accommodation_not_found")
        if req.state != AccommodationState.requested:
            raise Conflict(f"this request is already {req.state.value}", "already_decided")
        req.decided_at, req.decided_by = p.clock.now(), actor.user_id
        if cmd.decision == AccommodationAnswer.decline:
            req.state = AccommodationState.declined
        else:
            req.state = AccommodationState.granted
            if req.kind == AccommodationKind.extra_time:
                req.multiplier = cmd.multiplier or DEFAULT_EXTRA_TIME
                cand.time_multiplier = max(cand.time_multiplier, req.multiplier)
            else:
                cand.text_instead_of_video = True
        p.store.save(cand)
        return cand

    cand = retry_stale(attempt)
    audit.record(p, actor.org_id, actor.user_id, f"accommodation.{cmd.decision}", candidate_id, request=request_id)
    return _status(p, cand)


def set_candidate_settings(p: Ports, actor: Actor, interview_id: str, cmd: CandidateSettings) -> CandidateSettingsView:
    def attempt() -> Interview:
        actor.require(*interviews.MANAGERS)
        interview = interviews.load(p, actor, interview_id)
        before = interview.share_decision_with_candidate
        interview.share_decision_with_candidate = cmd.share_decision_with_candidate
        p.store.save(interview)
        if before != interview.share_decision_with_candidate:
            audit.record(
                p, actor.org_id, actor.user_id, "interview.decision_sharing", interview_id,
                **audit.change(before, interview.share_decision_with_candidate),
            )
        return interview

    interview = retry_stale(attempt)
    return CandidateSettingsView(share_decision_with_candidate=interview.share_decision_with_candidate)


def request_accommodation(cand: Candidate, kind: AccommodationKind, note: str, now: datetime) -> Accommodation:
    """The candidate's side: one open request per kind; it waits for the recruiter."""
    cand.check_open(now)
    _not_submitted(cand)
    if any(a.kind == kind and a.state == AccommodationState.requested for a in cand.accommodations):
        raise Conflict("this request is already waiting for an answer", "already_requested")
    if len(cand.accommodations) >= 10:
        raise Conflict("too many requests", "too_many_requests")
    req = Accommodation(request_id=new_id(), kind=kind, note=note, requested_at=now)
    cand.accommodations.append(req)
    return req
