"""A question video's keys, job names and job metadata: told apart from a candidate's take everywhere."""

from __future__ import annotations

import pytest

from oneway.adapters import mediaconvert, transcribe
from oneway.adapters.local_media import job_id_for, parse_job_id, status_key
from oneway.domain import keys
from oneway.domain.models import JobKind

MEDIA = keys.QuestionMediaRef(org_id="o1", interview_id="i1", media_id="m1")
FOLLOW_UP = keys.QuestionMediaRef(org_id="o1", interview_id="i1", candidate_id="c1", media_id="m2")
TAKE = keys.TakeRef(org_id="o1", interview_id="i1", candidate_id="c1", question_id="q1", take_id="t1")
TOKEN = "4c1f0a9e2b7d4e5f8a6b3c2d1e0f9a8b"


def test_a_question_video_lives_under_its_interview_never_under_a_candidate():
    key = keys.recording_key(MEDIA, "video/webm;codecs=vp9,opus")
    assert key == "org/o1/interview/i1/question-media/m1/recording.webm"
    assert keys.parse_media_key(key) == MEDIA and keys.parse_key(key) is None
    assert keys.parse_media_key(keys.recording_key(TAKE, "video/webm")) == TAKE
    assert not key.startswith(keys.candidate_prefix("o1", "i1", "c1"))
    assert key.startswith(keys.question_media_prefix("o1", "i1"))
    assert keys.captions_key(MEDIA) == "org/o1/interview/i1/question-media/m1/transcript.vtt"


@pytest.mark.parametrize("key", ["org/o1/interview/i1/question-media/../x", "org/o1/interview/i1/question-media/m1/a/b", "org/o1/question-media/m1/x.webm"])
def test_foreign_keys_parse_to_nothing(key):
    assert keys.parse_media_key(key) is None


def test_a_follow_up_questions_video_lives_under_its_candidate():
    key = keys.recording_key(FOLLOW_UP, "video/mp4")
    assert key == "org/o1/interview/i1/candidate/c1/question-media/m2/recording.mp4"
    assert key.startswith(keys.candidate_prefix("o1", "i1", "c1"))  # the candidate's erasure deletes it
    assert keys.parse_media_key(key) == FOLLOW_UP and keys.parse_key(key) is None


@pytest.mark.parametrize("ref", [MEDIA, FOLLOW_UP, TAKE])
def test_job_names_ids_and_metadata_read_back_to_the_same_ref(ref):
    name = transcribe.job_name("oneway", ref, TOKEN)
    assert transcribe.parse_job_name(name, "oneway") == ref
    assert transcribe.parse_job_name(name, "other") is None
    for kind in JobKind:
        assert parse_job_id(job_id_for(kind, "oneway", ref, TOKEN)) == (kind, "oneway", ref)
        assert status_key(job_id_for(kind, "oneway", ref, TOKEN)).startswith(f"{keys.media_prefix(ref)}jobs/{kind}-")
    assert mediaconvert.ref_from_metadata(mediaconvert.user_metadata("oneway", ref)) == ref


def test_a_question_videos_names_are_not_a_takes():
    assert transcribe.job_name("oneway", MEDIA, TOKEN).startswith("oneway.o1.i1.m1.")
    assert mediaconvert.user_metadata("oneway", MEDIA) == {"stack": "oneway", "orgId": "o1", "interviewId": "i1", "mediaId": "m1"}
    assert transcribe.parse_job_name("oneway.o1.i1.c1.q1.0a1b2c3d", "oneway") == FOLLOW_UP.model_copy(update={"media_id": "q1"})
    assert transcribe.parse_job_name("oneway.o1.i1.0a1b2c3d", "oneway") is None  # two ids: none of them
