"""The AWS media adapters against their APIs: MediaConvert through botocore's Stubber
(moto has no MediaConvert), Transcribe under moto."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from oneway.adapters import mediaconvert
from oneway.adapters.mediaconvert import MediaConvertMedia
from oneway.adapters.transcribe import TranscribeSpeech, job_name
from oneway.config import Settings
from oneway.domain import keys
from oneway.ports import TranscodeRequest, TranscribeRequest

REF = keys.TakeRef(org_id="o1", interview_id="i1", candidate_id="c1", question_id="q1", take_id="t1")
TOKEN = "9f86d081884c7d659a2feaa0c55ad015"
ROLE = "arn:aws:iam::111122223333:role/oneway-mediaconvert"
QUEUE = "arn:aws:mediaconvert:us-east-1:111122223333:queues/oneway"


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


def settings() -> Settings:
    return Settings(
        stack_prefix="oneway",
        region="us-east-1",
        uploads_bucket="oneway-uploads",
        media_bucket="oneway-media",
        mediaconvert_role_arn=ROLE,
        mediaconvert_queue_arn=QUEUE,
    )


def request() -> TranscodeRequest:
    return TranscodeRequest(
        ref=REF,
        input_bucket="oneway-uploads",
        input_key=f"{REF.prefix}recording.webm",
        output_bucket="oneway-media",
        output_prefix=keys.media_prefix(REF),
        idempotency_token=TOKEN,
    )


def job_response(job_id: str, status: str, **extra) -> dict:
    job = mediaconvert.job_request(request(), settings())
    return {
        "Job": {
            "Id": job_id,
            "Arn": f"arn:aws:mediaconvert:us-east-1:111122223333:jobs/{job_id}",
            "Status": status,
            "Role": job["Role"],
            "Settings": job["Settings"],
            "Queue": job["Queue"],
            "UserMetadata": job["UserMetadata"],
            **extra,
        }
    }


# --- MediaConvert ------------------------------------------------------------------------------


def test_start_transcode_sends_the_one_job_document_and_returns_the_job_id():
    client = boto3.client("mediaconvert", region_name="us-east-1")
    media = MediaConvertMedia(client, settings())
    with Stubber(client) as stub:
        stub.add_response(
            "create_job",
            job_response("1671476818694-phptj0", "SUBMITTED"),
            expected_params=mediaconvert.job_request(request(), settings()),
        )
        assert media.start_transcode(request()) == "1671476818694-phptj0"
        stub.assert_no_pending_responses()


def test_the_request_is_exactly_what_mediaconvert_gets():
    client = boto3.client("mediaconvert", region_name="us-east-1")
    sent: dict = {}
    client.meta.events.register("provide-client-params.mediaconvert.CreateJob", lambda params, **_: sent.update(params))
    with Stubber(client) as stub:
        stub.add_response("create_job", job_response("1-abc", "SUBMITTED"), expected_params=None)
        MediaConvertMedia(client, settings()).start_transcode(request())
    assert sent["ClientRequestToken"] == TOKEN
    assert sent["Queue"] == QUEUE and sent["Role"] == ROLE
    assert sent["UserMetadata"]["stack"] == "oneway" and sent["UserMetadata"]["takeId"] == "t1"
    assert sent["Settings"]["Inputs"][0]["FileInput"] == f"s3://oneway-uploads/{REF.prefix}recording.webm"


def test_a_repeated_start_sends_the_same_token_and_gets_the_same_job():
    client = boto3.client("mediaconvert", region_name="us-east-1")
    media = MediaConvertMedia(client, settings())
    expected = mediaconvert.job_request(request(), settings())
    with Stubber(client) as stub:
        # MediaConvert answers a repeated ClientRequestToken with the job it already made.
        stub.add_response("create_job", job_response("1-same", "SUBMITTED"), expected_params=expected)
        stub.add_response("create_job", job_response("1-same", "PROGRESSING"), expected_params=expected)
        assert media.start_transcode(request()) == media.start_transcode(request()) == "1-same"


def test_job_state_reads_get_job():
    client = boto3.client("mediaconvert", region_name="us-east-1")
    media = MediaConvertMedia(client, settings())
    done = job_response(
        "1-done",
        "COMPLETE",
        OutputGroupDetails=[{"OutputDetails": [{"DurationInMs": 12500}]}, {"OutputDetails": [{"DurationInMs": 12500}]}],
    )
    failed = job_response("1-bad", "ERROR", ErrorCode=1010, ErrorMessage="Unable to open input file")
    with Stubber(client) as stub:
        stub.add_response("get_job", job_response("1-run", "PROGRESSING"), expected_params={"Id": "1-run"})
        stub.add_response("get_job", done, expected_params={"Id": "1-done"})
        stub.add_response("get_job", failed, expected_params={"Id": "1-bad"})
        running = media.job_state("1-run")
        complete = media.job_state("1-done")
        error = media.job_state("1-bad")
    assert (running.status, running.ref) == ("running", REF)
    assert complete.status == "complete" and complete.duration_seconds == 12.5
    assert (complete.video_key, complete.poster_key) == (f"{REF.prefix}recording.mp4", f"{REF.prefix}recording.0000000.jpg")
    assert (error.status, error.error) == ("failed", "Unable to open input file (1010)")


def test_a_refused_job_raises():
    client = boto3.client("mediaconvert", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_client_error("create_job", service_error_code="BadRequestException", http_status_code=400)
        with pytest.raises(client.exceptions.BadRequestException):
            MediaConvertMedia(client, settings()).start_transcode(request())


# --- Transcribe --------------------------------------------------------------------------------


def transcribe_request() -> TranscribeRequest:
    return TranscribeRequest(**request().model_dump(), transcript_key=keys.transcript_key(REF))


@mock_aws
def test_start_transcription_names_the_job_and_a_duplicate_start_is_the_same_job():
    client = boto3.client("transcribe", region_name="us-east-1")
    speech = TranscribeSpeech(client, settings())
    first = speech.start_transcription(transcribe_request())
    again = speech.start_transcription(transcribe_request())
    assert first == again == job_name("oneway", REF, TOKEN)
    jobs = client.list_transcription_jobs()["TranscriptionJobSummaries"]
    assert [j["TranscriptionJobName"] for j in jobs] == [first]
    job = client.get_transcription_job(TranscriptionJobName=first)["TranscriptionJob"]
    assert job["Media"]["MediaFileUri"] == f"s3://oneway-uploads/{REF.prefix}recording.webm"
    assert job["MediaFormat"] == "webm"
    assert job["Subtitles"]["Formats"] == ["vtt"] and job["Subtitles"]["OutputStartIndex"] == 1


@mock_aws
def test_job_state_follows_the_job_to_completion():
    client = boto3.client("transcribe", region_name="us-east-1")
    speech = TranscribeSpeech(client, settings())
    name = speech.start_transcription(transcribe_request())
    states = [speech.job_state(name) for _ in range(4)]
    assert states[0].status == "running"
    final = states[-1]
    assert (final.status, final.kind, final.ref) == ("complete", "speech", REF)
    assert (final.transcript_key, final.captions_key) == (keys.transcript_key(REF), keys.captions_key(REF))
    # Where Transcribe reports the files: the captions beside the transcript.
    job = client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
    assert job["Transcript"]["TranscriptFileUri"].endswith(f"oneway-media/{keys.transcript_key(REF)}")
    assert job["Subtitles"]["SubtitleFileUris"][0].endswith(f"oneway-media/{keys.captions_key(REF)}")
