"""Emails to candidates (invitation, reminders, a new deadline) and the reminder schedule.

The candidate's time zone is unknown when the invitation goes out, so a
recruiter may name one per invitation (``timeZone``, IANA); otherwise the
email states the deadline in UTC and the link's welcome page shows it in the
browser's own zone.

Reminder slots are hours before the deadline, as the interview sets them
(on or off, and at which hours; an interview that names none follows
``ONEWAY_REMINDER_HOURS``, 48 and 24 by default). Each candidate has one ``Reminder`` item, indexed by
its next due time, so the scheduled task reads only what is due. A slot is
claimed by a conditional save that holds its email too (an outbox message, sent
after the commit by the deliver function): never twice, never lost.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..domain.errors import StaleWrite
from ..domain.models import Candidate, Interview, Mail, MailTopic, Reminder
from ..ports import Ports
from . import emails, outbox


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# The emails themselves are composed in service/emails.py (the layout, the catalogs, the organization's templates).
estimated_minutes = emails.estimated_minutes
invitation_mail = emails.invitation_mail
reminder_mail = emails.reminder_mail
deadline_mail = emails.deadline_mail


def accommodation_mail(p: Ports, interview: Interview, candidate: Candidate, kind: str, note: str, to: str) -> Mail:
    """Tell the interview's creator that a candidate waits for an answer to a request (a button to their page)."""
    url = f"{p.settings.site_url.rstrip('/')}/#/candidates/{candidate.candidate_id}"
    return emails.accommodation_mail(p, p.store.get_organization(candidate.org_id), interview, candidate, kind, note, to, url)


# -- the reminder schedule -------------------------------------------------------
def plan(reminder: Reminder, hours: list[int], now: datetime) -> None:
    """Point the reminder at its next slot not yet sent whose time is still ahead (or at none)."""
    reminder.due_at, reminder.slot_hours = None, None
    for h in sorted(set(hours), reverse=True):
        due = (reminder.deadline - timedelta(hours=h)).astimezone(UTC).replace(microsecond=0)
        if h not in reminder.sent and due > now:
            reminder.due_at, reminder.slot_hours = due, h
            return


def slots(p: Ports, interview: Interview | None) -> list[int]:
    """The hours before the deadline at which the interview's reminders fall due. They are planned even
    while reminders are off (a slot then passes without an email), so that turning them on later, after
    the invitations, reaches the candidates already invited."""
    if interview is None or interview.reminder_hours is None:
        return list(p.settings.reminder_hours)
    return interview.reminder_hours


def new_reminder(p: Ports, candidate: Candidate, interview: Interview | None = None) -> Reminder:
    r = Reminder(
        org_id=candidate.org_id,
        interview_id=candidate.interview_id,
        candidate_id=candidate.candidate_id,
        deadline=candidate.expires_at,
    )
    interview = interview or p.store.get_interview(candidate.org_id, candidate.interview_id)
    plan(r, slots(p, interview), p.clock.now())
    return r


def reschedule(p: Ports, candidate: Candidate, interview: Interview | None = None) -> Reminder:
    """After a new deadline the slots count from it again; slots already past are skipped."""
    interview = interview or p.store.get_interview(candidate.org_id, candidate.interview_id)
    r = p.store.get_reminder(candidate.org_id, candidate.candidate_id) or new_reminder(p, candidate, interview)
    r.deadline, r.sent = candidate.expires_at, []
    r.awaiting = candidate.revoked_at is None and not candidate.submitted
    plan(r, slots(p, interview), p.clock.now())
    return r


def stop_waiting(p: Ports, candidate: Candidate) -> list[Reminder]:
    """The candidate no longer has to answer (submitted, link revoked): their deadline leaves the interview's
    deadlines index. The reminder to save, if it changed."""
    r = p.store.get_reminder(candidate.org_id, candidate.candidate_id)
    if r is None or not r.awaiting:
        return []
    r.awaiting = False
    return [r]


def _wants_reminder(c: Candidate | None, now: datetime) -> bool:
    return c is not None and c.revoked_at is None and not c.submitted and now < c.expires_at


def send_reminders(p: Ports, limit: int = 200) -> int:
    """Send the reminders due now; never after completion, never twice for a slot. The interview's
    setting is read at sending time: reminders turned off (or moved) after the invitation apply too."""
    now = p.clock.now()
    sent = 0
    for due in p.store.list_due_reminders(now, limit):
        reminder = p.store.get_reminder(due.org_id, due.candidate_id)  # the index may lag: read the item
        if reminder is None or reminder.due_at is None or reminder.due_at > now:
            continue
        cand = p.store.get_candidate(reminder.org_id, reminder.candidate_id)
        interview = p.store.get_interview(cand.org_id, cand.interview_id) if cand is not None else None
        hours = slots(p, interview)
        # Reminders turned off, or the slot that fell due gone from the setting since: the slot passes, unsent.
        wanted = _wants_reminder(cand, now) and interview is not None and interview.reminders and reminder.slot_hours in hours
        # Every slot whose time has come is spent by this one email (a task that did not run sends one, not a burst).
        for h in hours:
            if reminder.deadline - timedelta(hours=h) <= now and h not in reminder.sent:
                reminder.sent.append(h)
        if not _wants_reminder(cand, now):
            reminder.sent = sorted(set(reminder.sent) | set(hours))
        plan(reminder, hours, now)
        if not wanted:
            interview = None
        # Saved anyway: it says again whether the candidate still has to answer (a reminder older than that mark
        # learns it here).
        reminder.awaiting = cand is not None and cand.revoked_at is None and not cand.submitted
        mail = []
        if interview is not None and cand is not None:
            text = reminder_mail(p, p.store.get_organization(cand.org_id), interview, cand)
            mail.append(outbox.mail(p, cand.org_id, MailTopic.reminder, text, candidate_id=cand.candidate_id))
        try:
            p.store.save(reminder, *mail)  # the claim, with its email: a parallel run's save fails here
        except StaleWrite:
            continue
        sent += len(mail)
    return sent
