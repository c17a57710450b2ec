"""Pure rules of the candidate experience: reminder slots, deadlines in a zone, extra time, written alternatives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oneway.domain.models import Candidate, Question, QuestionKind, Reminder
from oneway.service.mail_layout import when
from oneway.service.notifications import plan

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def reminder(deadline: datetime, sent=()) -> Reminder:
    return Reminder(org_id="o", interview_id="i", candidate_id="c", deadline=deadline, sent=list(sent))


def test_the_next_slot_is_the_earliest_one_still_ahead_and_not_sent():
    r = reminder(NOW + timedelta(days=3))
    plan(r, [24, 48], NOW)
    assert (r.slot_hours, r.due_at) == (48, NOW + timedelta(days=1))
    r.sent.append(48)
    plan(r, [24, 48], NOW)
    assert (r.slot_hours, r.due_at) == (24, NOW + timedelta(days=2))
    r.sent.append(24)
    plan(r, [24, 48], NOW)
    assert r.due_at is None and r.slot_hours is None


def test_slots_already_past_at_invitation_are_skipped():
    r = reminder(NOW + timedelta(hours=30))
    plan(r, [48, 24], NOW)
    assert r.slot_hours == 24
    r = reminder(NOW + timedelta(hours=10))
    plan(r, [48, 24], NOW)
    assert r.due_at is None


def test_deadlines_are_written_in_the_candidates_zone_or_in_utc():
    at = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert when(at, "Europe/Berlin") == "Friday 4 December 2026, 17:00 (Europe/Berlin)"
    assert when(at, "America/Los_Angeles") == "Friday 4 December 2026, 08:00 (America/Los_Angeles)"
    assert when(at, None) == "Friday 4 December 2026, 16:00 (UTC)"


def candidate(**kw) -> Candidate:
    return Candidate(
        org_id="o", interview_id="i", candidate_id="c", name="A", email="a@x.test", token_hash="h", invited_at=NOW, expires_at=NOW + timedelta(days=1), **kw
    )


def test_extra_time_multiplies_and_rounds_up():
    assert candidate().seconds(45) == 45
    assert candidate(time_multiplier=1.5).seconds(45) == 68
    assert candidate(time_multiplier=2).seconds(0) == 0


def test_a_written_alternative_applies_to_video_questions_only_when_granted():
    video = Question(question_id="q1", prompt="p", kind=QuestionKind.video)
    text = Question(question_id="q2", prompt="p", kind=QuestionKind.text)
    assert not candidate().answers_in_writing(video) and candidate().answers_in_writing(text)
    assert candidate(text_instead_of_video=True).answers_in_writing(video)


def test_an_answer_within_its_time_and_tolerance_is_not_flagged():
    from oneway.domain.timing import overruns, tolerated

    assert tolerated(60) == 69.0  # 10 % + 3 s
    kept = overruns(think_seconds=30, answer_seconds=60, duration_seconds=69.0, started_at=NOW, upload_requested_at=NOW + timedelta(seconds=60))
    assert kept == []
    # Thinking 30 s, answering 60 s, watching it back once (60 s) = 150 s; with the tolerance 168 s.
    assert overruns(think_seconds=30, answer_seconds=60, duration_seconds=60.0, started_at=NOW, upload_requested_at=NOW + timedelta(seconds=168)) == []


def test_a_recording_past_its_answer_time_and_a_late_submission_are_flagged():
    from oneway.domain.timing import overruns

    found = overruns(think_seconds=30, answer_seconds=60, duration_seconds=69.5, started_at=NOW, upload_requested_at=NOW + timedelta(minutes=40))
    assert [(o.kind, o.allowed_seconds, o.actual_seconds) for o in found] == [("recording", 60, 69.5), ("submission", 150, 2400.0)]
    # Nothing known yet (not transcoded, not sent): nothing to say.
    assert overruns(think_seconds=30, answer_seconds=60, duration_seconds=None, started_at=NOW, upload_requested_at=None) == []
