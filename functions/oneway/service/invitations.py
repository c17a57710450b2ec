"""Inviting candidates by link and email."""

from __future__ import annotations

from datetime import timedelta

from ..domain.models import Actor, Candidate, CandidateStatus, Interview, Organization, QuestionKind, QuestionProgress, deadline
from ..domain.tokens import hash_token, new_id, new_token
from ..ports import Mail, Ports
from . import interviews
from .views import CandidateList, CandidateSummary, InvitationList, InvitationView, InviteCandidates

BATCH = 90  # candidates per transaction (DynamoDB takes 100 writes, one is the counters)


def invite_url(p: Ports, token: str) -> str:
    # The token rides in the fragment, which browsers never send to a server.
    return f"{p.settings.site_url.rstrip('/')}/c/#t={token}"


def invite_candidates(p: Ports, actor: Actor, interview_id: str, cmd: InviteCandidates) -> InvitationList:
    actor.require(*interviews.MANAGERS)
    interview = interviews.load(p, actor, interview_id)
    org = p.store.get_organization(actor.org_id)
    now = p.clock.now()
    retention_days = org.retention_days if org else p.settings.retention_days
    issued: list[tuple[Candidate, str]] = []
    for invitee in cmd.candidates:
        token = new_token()
        issued.append(
            (
                Candidate(
                    org_id=actor.org_id,
                    interview_id=interview_id,
                    candidate_id=new_id(),
                    name=invitee.name,
                    email=invitee.email.lower(),
                    token_hash=hash_token(token),
                    invited_at=now,
                    expires_at=deadline(now, interview.deadline_days),
                    progress={q.question_id: QuestionProgress() for q in interview.questions},
                    retain_until=(deadline(now, interview.deadline_days) + timedelta(days=retention_days)).date(),
                ),
                token,
            )
        )
    for i in range(0, len(issued), BATCH):
        chunk = [c for c, _ in issued[i : i + BATCH]]
        p.store.save(*chunk, counters={(actor.org_id, interview_id): {"invited": len(chunk)}})
    if cmd.send_email:
        for candidate, token in issued:
            p.mailer.send(invitation_mail(p, org, interview, candidate, token))
    return InvitationList(
        items=[
            InvitationView(candidate_id=c.candidate_id, name=c.name, email=c.email, invite_url=invite_url(p, t))
            for c, t in issued
        ]
    )


def estimated_minutes(interview: Interview) -> int:
    seconds = sum(q.think_seconds + q.answer_seconds * (1 if q.kind == QuestionKind.video else 2) for q in interview.questions)
    return max(5, round(seconds / 60) + 5)


def invitation_mail(p: Ports, org: Organization | None, interview: Interview, candidate: Candidate, token: str) -> Mail:
    org_name = org.name if org else "The hiring team"
    url = invite_url(p, token)
    due = candidate.expires_at.strftime("%A %d %B %Y, %H:%M UTC")
    text = (
        f"Hello {candidate.name},\n\n"
        f"{org_name} invites you to a video interview for \"{interview.title}\".\n\n"
        f"There are {len(interview.questions)} questions; it takes about {estimated_minutes(interview)} minutes. "
        f"You can do it whenever suits you before {due}, and pause between questions.\n\n"
        "To prepare: a quiet place, a camera and a microphone, and a recent Chrome, Edge, Firefox or Safari. "
        "You can practise before the real questions.\n\n"
        f"Start here: {url}\n\n"
        "This link is personal: please do not share it.\n"
    )
    return Mail(to=candidate.email, subject=f"{org_name}: your video interview for {interview.title}", text=text)


def list_candidates(
    p: Ports, actor: Actor, interview_id: str, status: CandidateStatus | None, cursor: str | None, limit: int
) -> CandidateList:
    interviews.load(p, actor, interview_id)
    page = p.store.list_candidates(actor.org_id, interview_id, status, cursor, limit)
    return CandidateList(items=[summary(c) for c in page.items], next_cursor=page.next_cursor)


def summary(c: Candidate) -> CandidateSummary:
    return CandidateSummary(
        candidate_id=c.candidate_id,
        interview_id=c.interview_id,
        name=c.name,
        email=c.email,
        status=c.status,
        invited_at=c.invited_at,
        expires_at=c.expires_at,
        completed_at=c.completed_at,
        decision=c.decision,
    )
