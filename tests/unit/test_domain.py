"""Domain rules: takes, state machines, tokens, keys. Pure: no AWS, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oneway.domain import keys
from oneway.domain.errors import Conflict, Gone, InvalidInput
from oneway.domain.models import (
    Candidate,
    CandidateStatus,
    Decision,
    Interview,
    Question,
    QuestionKind,
    StepState,
    Take,
    TakeStatus,
)
from oneway.domain.tokens import hash_token, new_id, new_token

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def interview() -> Interview:
    return Interview(
        org_id="o1",
        interview_id="i1",
        title="Engineer",
        questions=[
            Question(question_id="q1", prompt="Tell us", kind=QuestionKind.video, max_takes=2),
            Question(question_id="q2", prompt="Why?", kind=QuestionKind.text),
        ],
        created_by="u1",
        created_at=NOW,
    )


def candidate(**kw) -> Candidate:
    return Candidate(
        org_id="o1",
        interview_id="i1",
        candidate_id="c1",
        name="Ada",
        email="ada@example.com",
        token_hash=hash_token("t"),
        invited_at=NOW,
        expires_at=NOW + timedelta(days=7),
        **kw,
    )


def take(**kw) -> Take:
    return Take(org_id="o1", interview_id="i1", candidate_id="c1", question_id="q1", take_id="t1", created_at=NOW, **kw)


class TestTakes:
    def test_takes_are_counted_until_none_is_left(self):
        c, q = candidate(), interview().questions[0]
        c.give_consent(NOW, "v1")
        assert c.start_take(q, NOW) == 1
        assert c.start_take(q, NOW) == 0
        with pytest.raises(Conflict) as err:
            c.start_take(q, NOW)
        assert err.value.code == "no_takes_left"

    def test_no_take_before_consent(self):
        with pytest.raises(Conflict) as err:
            candidate().start_take(interview().questions[0], NOW)
        assert err.value.code == "consent_required"

    def test_no_take_after_the_deadline(self):
        c = candidate()
        c.give_consent(NOW, "v1")
        with pytest.raises(Gone):
            c.start_take(interview().questions[0], NOW + timedelta(days=8))

    def test_text_questions_take_no_video(self):
        c = candidate()
        c.give_consent(NOW, "v1")
        with pytest.raises(InvalidInput):
            c.start_take(interview().questions[1], NOW)

    def test_an_answered_question_takes_no_more_takes(self):
        c, q = candidate(), interview().questions[0]
        c.give_consent(NOW, "v1")
        c.start_take(q, NOW)
        c.submit_take("q1", "t1")
        with pytest.raises(Conflict):
            c.start_take(q, NOW)


class TestCandidateStates:
    def test_consent_starts_and_records_the_notice_version(self):
        c = candidate()
        c.give_consent(NOW, "2026-11")
        assert (c.status, c.consent_at, c.notice_version) == (CandidateStatus.started, NOW, "2026-11")

    def test_complete_needs_every_answer(self):
        c, iv = candidate(), interview()
        c.give_consent(NOW, "v1")
        c.submit_take("q1", "t1")
        with pytest.raises(Conflict) as err:
            c.complete(iv, NOW)
        assert err.value.code == "answers_missing"
        c.answer_text(iv.questions[1], NOW)
        c.complete(iv, NOW)
        assert c.status == CandidateStatus.completed

    def test_ready_only_from_completed_then_decided(self):
        c = candidate()
        assert not c.mark_ready(NOW)
        with pytest.raises(Conflict):
            c.decide(Decision.advance, None, "u1", NOW)
        c.status = CandidateStatus.completed
        assert c.mark_ready(NOW) and c.status == CandidateStatus.ready
        assert not c.mark_ready(NOW)
        c.decide(Decision.reject, "not a fit", "u1", NOW)
        assert c.status == CandidateStatus.rejected and c.decision_note == "not a fit"


class TestTakeStates:
    def test_upload_then_processing_then_ready(self):
        t = take()
        t.begin_upload("k", "u", "video/webm", 10)
        assert t.accepts_upload("k") and not t.accepts_upload("other")
        t.mark_uploaded()
        t.start_processing('"e1"', NOW)
        assert not t.accepts_upload("k")  # a repeated S3 event changes nothing
        assert t.record_video(True, video_key="v.mp4", poster_key="p.jpg", audio_key="a.m4a", duration=3.0)
        assert t.status == TakeStatus.processing  # still waiting for the transcript
        assert not t.record_video(True, video_key="again.mp4")  # a repeated completion changes nothing
        assert t.record_speech(True, transcript="hello", transcript_key="t.json", captions_key="t.vtt")
        assert t.status == TakeStatus.ready and t.video_key == "v.mp4"

    def test_speech_before_video_is_fine(self):
        t = take(upload_key="k", status=TakeStatus.uploaded)
        t.start_processing("e", NOW)
        assert t.record_speech(True, transcript="x")
        assert t.status == TakeStatus.processing
        assert t.record_video(True, video_key="v", poster_key="p", audio_key="a", duration=1)
        assert t.status == TakeStatus.ready

    def test_failed_transcription_leaves_the_video_reviewable(self):
        t = take(upload_key="k", status=TakeStatus.uploaded)
        t.start_processing("e", NOW)
        t.record_speech(False, error="no speech")
        t.record_video(True, video_key="v", poster_key="p", audio_key="a", duration=1)
        assert t.status == TakeStatus.ready and t.speech == StepState.failed

    def test_failed_transcode_fails_the_take_with_its_reason(self):
        t = take(upload_key="k", status=TakeStatus.uploaded)
        t.start_processing("e", NOW)
        t.record_video(False, error="bad input")
        assert t.status == TakeStatus.failed and t.failure == "bad input"

    def test_an_older_jobs_event_is_ignored(self):
        t = take(upload_key="k", status=TakeStatus.uploaded)
        t.start_processing("e", NOW)
        t.video_job_id = "new"
        assert not t.record_video(True, video_key="v", job_id="old")

    def test_a_transcode_without_the_audio_only_rendition_fails_the_take(self):
        t = take(upload_key="k", status=TakeStatus.uploaded)
        t.start_processing("e", NOW)
        assert t.record_video(True, video_key="v", poster_key="p", duration=1)
        assert t.status == TakeStatus.failed and t.failure and "audio-only" in t.failure and t.can_retry()

    def test_a_retry_is_a_new_attempt_of_a_failed_transcode_only(self):
        t = take(upload_key="k", status=TakeStatus.uploaded)
        t.start_processing('"e"', NOW)
        with pytest.raises(Conflict):
            t.start_retry(NOW)  # still processing
        t.record_speech(True, transcript="x")
        t.record_video(False, error="bad input")
        assert t.can_retry()
        t.start_retry(NOW)
        assert (t.attempt, t.status, t.video, t.speech, t.failure) == (1, TakeStatus.processing, StepState.pending, StepState.done, None)
        with pytest.raises(Conflict):
            t.start_retry(NOW)
        t.record_video(True, video_key="v", poster_key="p", audio_key="a", duration=1)
        assert t.status == TakeStatus.ready and t.transcript == "x"  # the transcript of the first attempt is kept

    def test_a_refused_upload_is_not_retried(self):
        t = take(upload_key="k", status=TakeStatus.uploaded)
        t.quarantine("the file is not a video recording")
        assert not t.can_retry()


class TestTokens:
    def test_tokens_carry_256_bits_and_differ(self):
        tokens = {new_token() for _ in range(100)}
        assert len(tokens) == 100
        assert all(len(t) >= 43 for t in tokens)  # 32 bytes in URL-safe base64

    def test_only_a_hash_is_kept(self):
        t = new_token()
        h = hash_token(t)
        assert h != t and len(h) == 64 and t not in h and h == hash_token(t)

    def test_ids_sort_by_time(self):
        a = new_id()
        b = new_id()
        assert (len(a) == 24 and a <= b) or a[:12] == b[:12]


class TestKeys:
    ref = keys.TakeRef(org_id="o1", interview_id="i1", candidate_id="c1", question_id="q1", take_id="t1")

    def test_recording_key_is_built_and_parsed_back(self):
        key = keys.recording_key(self.ref, "video/webm;codecs=vp9,opus")
        assert key == "org/o1/interview/i1/candidate/c1/question/q1/take/t1/recording.webm"
        assert keys.parse_key(key) == self.ref
        assert key.startswith(keys.candidate_prefix("o1", "i1", "c1"))

    def test_unsupported_content_type_is_refused(self):
        with pytest.raises(InvalidInput) as err:
            keys.recording_key(self.ref, "application/x-msdownload")
        assert err.value.code == "unsupported_media_type"

    @pytest.mark.parametrize("key", ["org/o1/../x", "uploads/evil.webm", "org/o1/interview/i1/candidate/c1/question/q1/take/t1/a/b"])
    def test_foreign_keys_parse_to_nothing(self, key):
        assert keys.parse_key(key) is None

    def test_outputs_live_under_the_take(self):
        assert keys.transcript_key(self.ref).endswith("/take/t1/transcript.json")
        assert keys.captions_key(self.ref).endswith("/take/t1/transcript.vtt")


class TestLinkLife:
    def test_answering_closes_at_the_deadline_and_the_link_a_grace_week_later(self):
        from oneway.domain.models import LINK_GRACE

        c = candidate()
        assert c.link_live(c.expires_at) and c.link_live(c.expires_at + LINK_GRACE - timedelta(seconds=1))
        with pytest.raises(Gone):
            c.check_open(c.expires_at)
        assert not c.link_live(c.expires_at + LINK_GRACE)

    def test_a_submitted_candidate_follows_their_status_after_the_deadline(self):
        c = candidate(status=CandidateStatus.completed)
        assert c.link_live(c.expires_at + timedelta(days=90))

    def test_a_revoked_link_is_dead_at_once(self):
        c = candidate(status=CandidateStatus.completed, revoked_at=NOW)
        assert not c.link_live(NOW)
