"""Think and answer times are kept by the candidate's browser; the server compares what it can see (the
recording's length from the transcode, the moments the prompt was revealed and the recording sent) with
the time allowed, extra time included, and flags an overrun to reviewers on the answer. Never refused."""

from __future__ import annotations

import pytest

from oneway.adapters.mediaconvert import user_metadata
from oneway.domain.keys import TakeRef
from oneway.handlers import deps, on_media_event
from oneway.local import media_worker
from oneway.local.gateway import LambdaContext
from tests.integration.test_pipeline import c, drain_uploads, invited, media_jobs, r, record_and_upload  # noqa: F401  (fixture)
from tests.support.media import make_webm

CTX = LambdaContext("test")


@pytest.fixture(scope="module")
def webm(tmp_path_factory):
    return make_webm(tmp_path_factory.mktemp("m") / "a.webm", seconds=1, size=(160, 120)).read_bytes()


@pytest.fixture
def timed(invited, clock, monkeypatch):
    monkeypatch.setattr(deps.ports(), "clock", clock)
    return invited


def transcoded(client, aws, seconds: float) -> None:
    """The transcode ends with a recording of ``seconds`` (as MediaConvert reports its outputs' durations)."""
    drain_uploads(client, aws)
    video = next(j for j in media_jobs(client, aws) if j["kind"] == "video")
    prefix = video["request"]["output_prefix"]
    ms = round(seconds * 1000)
    event = media_worker.mediaconvert_event(
        video["jobId"],
        "us-east-1",
        user_metadata("oneway", TakeRef(**video["request"]["ref"])),
        outputs=[
            (f"s3://oneway-media/{prefix}recording.mp4", ms, 160, 120),
            (f"s3://oneway-media/{prefix}recording.0000000.jpg", ms, 160, 120),
            (f"s3://oneway-media/{prefix}recording-audio.m4a", ms, 0, 0),
        ],
    )
    assert on_media_event.lambda_handler(event, CTX)["changed"]


def timing(invited) -> dict:
    status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert status == 200
    return detail["answers"][0]["timing"]


def test_a_recording_longer_than_its_answer_time_is_flagged_not_refused(timed, client, aws, webm):
    c(timed, "POST", "/api/c/consent", {"accepted": True})
    record_and_upload(timed, client, webm)  # INTERVIEW's q1: think 10 s, answer 60 s
    transcoded(client, aws, 200.0)  # a low-bitrate answer that ran on
    found = timing(timed)
    assert (found["thinkSeconds"], found["answerSeconds"], found["recordingSeconds"]) == (10, 60, 200.0)
    assert found["overruns"] == [{"kind": "recording", "allowedSeconds": 60, "actualSeconds": 200.0}]
    _status, detail = r("GET", f"/api/candidates/{timed['candidate_id']}")
    assert detail["answers"][0]["videoUrl"] and not detail["answers"][0]["failure"], "reviewers decide: the answer is reviewable"


def test_extra_time_counts_and_a_recording_within_it_is_not_flagged(timed, client, aws, webm):
    assert r("PUT", f"/api/candidates/{timed['candidate_id']}/invitation/time-multiplier", {"multiplier": 1.5})[0] == 200
    c(timed, "POST", "/api/c/consent", {"accepted": True})
    record_and_upload(timed, client, webm)
    transcoded(client, aws, 95.0)  # 90 s allowed with the extra time; within 10 % + 3 s
    found = timing(timed)
    assert (found["thinkSeconds"], found["answerSeconds"], found["overruns"]) == (15, 90, [])


def test_a_recording_sent_long_after_the_prompt_is_flagged(timed, client, aws, webm, clock):
    c(timed, "POST", "/api/c/consent", {"accepted": True})
    status, take = c(timed, "POST", "/api/c/questions/q1/takes")
    tid = take["takeId"]
    clock.advance(minutes=30)  # the prompt read half an hour before the recording was sent
    status, ticket = c(timed, "POST", f"/api/c/questions/q1/takes/{tid}/upload", {"contentType": "video/webm", "size": len(webm)})
    assert status == 200
    key = f"org/acme/interview/{timed['interview_id']}/candidate/{timed['candidate_id']}/question/q1/take/{tid}/recording.webm"
    etag = client("s3").upload_part(Bucket="oneway-uploads", Key=key, UploadId=ticket["uploadId"], PartNumber=1, Body=webm)["ETag"]
    assert c(timed, "POST", f"/api/c/questions/q1/takes/{tid}/complete", {"parts": [{"partNumber": 1, "etag": etag}]})[0] == 200
    transcoded(client, aws, 50.0)
    found = timing(timed)
    assert found["secondsToUpload"] == 1800.0
    # Think 10 s + answer 60 s + one watch-back of the 50 s recording = 120 s allowed.
    assert found["overruns"] == [{"kind": "submission", "allowedSeconds": 120, "actualSeconds": 1800.0}]
