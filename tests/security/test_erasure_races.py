"""Erasure while an answer is processing: the running jobs are stopped, a marker of ids only stays,
a job that finishes after the erasure deletes its own outputs, and a sweep after the jobs' longest
run deletes whatever reached the erased prefix anyway. On the local worker (PyAV) and with the AWS
adapters (MediaConvert through botocore's Stubber, Transcribe's answers as AWS documents them).
The media bucket's expiration backstop: tests/infra/test_cdk_storage.py."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import boto3
import pytest
from botocore.stub import Stubber

from oneway.adapters import mediaconvert, transcribe
from oneway.adapters.mediaconvert import MediaConvertMedia
from oneway.adapters.transcribe import TranscribeSpeech
from oneway.domain import keys
from oneway.handlers import deps, on_media_event
from oneway.local import media_worker
from oneway.local.gateway import LambdaContext
from oneway.service import erasure, pipeline, privacy
from tests.integration.test_pipeline import answer_everything, c, drain_uploads, invited, media_jobs, r  # noqa: F401  (fixture)
from tests.support import stored
from tests.support.media import make_webm

CTX = LambdaContext("test")
ROLE = "arn:aws:iam::111122223333:role/oneway-mediaconvert"


@pytest.fixture(scope="module")
def webm(tmp_path_factory):
    return make_webm(tmp_path_factory.mktemp("m") / "a.webm", seconds=1, size=(160, 120)).read_bytes()


def prefix(invited) -> str:
    return keys.candidate_prefix("acme", invited["interview_id"], invited["candidate_id"])


def left(client, invited) -> list[str]:
    """Every object version and delete marker under the candidate's prefix, in both buckets."""
    found = []
    for bucket in ("oneway-uploads", "oneway-media"):
        listing = client("s3").list_object_versions(Bucket=bucket, Prefix=prefix(invited))
        found += [f"{bucket}/{v['Key']}" for v in listing.get("Versions", []) + listing.get("DeleteMarkers", [])]
    return found


def test_erasure_stops_the_running_jobs_and_leaves_a_marker_of_ids_only(invited, client, aws, webm, ports, clock, monkeypatch):
    monkeypatch.setattr(deps.ports(), "clock", clock)
    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    jobs = {j["kind"]: j["jobId"] for j in media_jobs(client, aws)}
    status, _ = r("DELETE", f"/api/candidates/{invited['candidate_id']}")
    assert status == 200 and left(client, invited) == []

    marker = ports.store.get_erasure("acme", invited["candidate_id"])
    assert marker is not None and marker.erased_at == clock.now()
    assert marker.sweep_at == clock.now() + timedelta(days=3) and marker.expires_at == clock.now() + timedelta(days=14)
    # A transcription cannot be stopped while it runs: it is kept, to be deleted once it ends; the transcode was canceled.
    assert marker.jobs == [f"speech:{jobs['speech']}"]
    item = client("dynamodb").get_item(TableName="oneway", Key={"pk": {"S": f"ORG#acme#ERASED#{invited['candidate_id']}"}, "sk": {"S": "ERASURE"}})["Item"]
    assert int(item["ttl"]["N"]) == int(marker.expires_at.timestamp())
    assert "Ada" not in json.dumps(item) and "ada@example.com" not in json.dumps(item), "ids only"


class ErasedBeforeUpload:
    """The worker's S3 client, with the candidate erased at the worst moment: after the worker's last
    check that its job still exists, before it writes its first output."""

    def __init__(self, s3, erase):
        self._s3, self._erase, self.erased = s3, erase, False

    def __getattr__(self, name):
        return getattr(self._s3, name)

    def upload_file(self, *args, **kwargs):
        if not self.erased:
            self.erased = True
            self._erase()
        return self._s3.upload_file(*args, **kwargs)


def test_a_local_job_that_finishes_after_the_erasure_deletes_its_own_outputs(invited, client, aws, webm):
    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)

    def erase():
        assert r("DELETE", f"/api/candidates/{invited['candidate_id']}")[0] == 200

    s3 = ErasedBeforeUpload(client("s3"), erase)
    worker = media_worker.MediaWorker(client("sqs"), s3, deps.ports().settings, lambda e: on_media_event.lambda_handler(e, CTX))
    sqs = client("sqs")
    ran = 0
    while messages := sqs.receive_message(QueueUrl=aws.media_queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            worker.run_job(json.loads(message["Body"]), message)
            ran += 1
    assert ran == 2 and s3.erased
    assert left(client, invited) == [], "the renditions, transcript, captions and job records of the erased answer are gone"


def test_the_sweep_deletes_what_reached_the_prefix_after_the_erasure(invited, client, aws, webm, ports, clock, monkeypatch):
    monkeypatch.setattr(deps.ports(), "clock", clock)
    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    assert r("DELETE", f"/api/candidates/{invited['candidate_id']}")[0] == 200
    # A job whose result never came (its event lost) wrote under the erased prefix.
    late = f"{prefix(invited)}question/q1/take/t/recording.mp4"
    client("s3").put_object(Bucket="oneway-media", Key=late, Body=b"rendition")
    assert erasure.sweep_due(ports) == 0, "not before the jobs' longest run"
    assert left(client, invited) == [f"oneway-media/{late}"]

    clock.advance(days=3)
    assert ports.store.list_due_sweeps(clock.now(), 10)[0].candidate_id == invited["candidate_id"]
    assert erasure.sweep_due(ports) == 1
    assert left(client, invited) == []
    marker = ports.store.get_erasure("acme", invited["candidate_id"])
    # The transcription's record is gone with the prefix (the local stand-in), so nothing is left to do: no more sweeps.
    assert (marker.sweeps, marker.jobs, marker.sweep_at) == (1, [], None)
    assert ports.store.list_due_sweeps(clock.now() + timedelta(days=30), 10) == []


def test_retention_leaves_the_same_marker_and_runs_the_due_sweeps(invited, client, aws, webm, ports, clock):
    from oneway.service import recording

    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    cand = recording.authenticate(ports, invited["token"])
    clock.at = cand.expires_at + timedelta(days=180)
    assert privacy.apply_retention(ports) == 1
    marker = ports.store.get_erasure("acme", invited["candidate_id"])
    assert marker is not None and marker.erased_at == clock.now()
    late = f"{prefix(invited)}question/q1/take/t/transcript.json"
    client("s3").put_object(Bucket="oneway-media", Key=late, Body=b"{}")
    clock.advance(days=3, hours=1)
    # The next daily run (retention, then the sweeps): nobody else is due, but the sweep is.
    assert privacy.apply_retention(ports) == 0 and erasure.sweep_due(ports) == 1
    assert left(client, invited) == []


def test_on_aws_the_transcode_is_canceled_and_late_results_delete_their_outputs(invited, client, aws, webm, ports, clock, monkeypatch):
    """The AWS adapters: MediaConvert answers CancelJob with a conflict (the job ended first) and its
    COMPLETE event comes after the erasure; Transcribe refuses to delete the running job
    (BadRequestException, IN_PROGRESS), writes its outputs, and its COMPLETED event then deletes them
    and the job."""
    settings = ports.settings.model_copy(update={"media": "aws", "mediaconvert_role_arn": ROLE})
    mc, tr = boto3.client("mediaconvert", region_name="us-east-1"), boto3.client("transcribe", region_name="us-east-1")
    p = dataclasses.replace(ports, settings=settings, media=MediaConvertMedia(mc, settings), speech=TranscribeSpeech(tr, settings))
    for name in ("settings", "media", "speech", "clock"):  # the API's erasure runs with these adapters too
        monkeypatch.setattr(deps.ports(), name, getattr(p, name))
    _, key = answer_everything(invited, client, aws, webm)
    take_ref = stored.take_ref(key)
    speech_name = None

    with Stubber(mc) as mc_stub, Stubber(tr) as tr_stub:
        tr_stub.add_response("start_transcription_job", {"TranscriptionJob": {"TranscriptionJobName": "x", "TranscriptionJobStatus": "IN_PROGRESS"}})
        mc_stub.add_response("create_job", {"Job": {"Id": "1700000000000-abc123", "Role": ROLE, "Settings": {}}})
        assert pipeline.start_processing(p, pipeline.UploadedObject(bucket="oneway-uploads", key=key)) == "started"
        take = p.store.get_take(take_ref)
        speech_name = take.speech_job_id
        assert take.video_job_id == "1700000000000-abc123"

        # The erasure: CancelJob (the job had just completed: a conflict), DeleteTranscriptionJob refused while it runs.
        mc_stub.add_client_error("cancel_job", "ConflictException", expected_params={"Id": "1700000000000-abc123"})
        tr_stub.add_client_error("delete_transcription_job", "BadRequestException", "The job is in a non-terminal state (IN_PROGRESS).", expected_params={"TranscriptionJobName": speech_name})
        tr_stub.add_response("get_transcription_job", {"TranscriptionJob": {"TranscriptionJobName": speech_name, "TranscriptionJobStatus": "IN_PROGRESS"}}, {"TranscriptionJobName": speech_name})
        assert r("DELETE", f"/api/candidates/{invited['candidate_id']}")[0] == 200
        assert p.store.get_erasure("acme", invited["candidate_id"]).jobs == [f"speech:{speech_name}"]
        mc_stub.assert_no_pending_responses()

        # Both jobs write their outputs after the erasure, where they were told to.
        video, poster, audio = mediaconvert.output_keys(take_ref.prefix)
        for out in (video, poster, audio, keys.transcript_key(take_ref), keys.captions_key(take_ref)):
            client("s3").put_object(Bucket="oneway-media", Key=out, Body=b"late")
        assert len(left(client, invited)) == 5

        meta = mediaconvert.user_metadata("oneway", take_ref)
        done = media_worker.mediaconvert_event(
            "1700000000000-abc123", "us-east-1", meta, outputs=[(f"s3://oneway-media/{k}", 1000, 160, 120) for k in (video, poster)] + [(f"s3://oneway-media/{audio}", 1000, 0, 0)]
        )
        transcoded = mediaconvert.parse_event(done, "oneway")
        assert transcoded is not None
        assert pipeline.record_media_result(p, transcoded) is False
        assert sorted(left(client, invited)) == [], "the transcode's late outputs are deleted (the take's prefix, both buckets)"

        client("s3").put_object(Bucket="oneway-media", Key=keys.transcript_key(take_ref), Body=b"late")
        tr_stub.add_response("delete_transcription_job", {}, {"TranscriptionJobName": speech_name})
        finished = media_worker.transcribe_event(speech_name, "us-east-1")
        transcribed = transcribe.parse_event(finished, "oneway")
        assert transcribed is not None
        assert pipeline.record_media_result(p, transcribed) is False
        assert left(client, invited) == []
        tr_stub.assert_no_pending_responses()

        # The sweep three days on: nothing left to write, and the transcription, deleted since, is gone.
        clock.advance(days=3)
        tr_stub.add_client_error("delete_transcription_job", "BadRequestException", expected_params={"TranscriptionJobName": speech_name})
        tr_stub.add_client_error("get_transcription_job", "NotFoundException", expected_params={"TranscriptionJobName": speech_name})
        assert erasure.sweep_due(p) == 1
        tr_stub.assert_no_pending_responses()
    assert p.store.get_erasure("acme", invited["candidate_id"]).sweep_at is None


def test_an_upload_completed_while_the_candidate_was_erased_is_deleted(invited, client, aws, webm):
    """The browser's CompleteMultipartUpload raced the erasure: the object appears after the erasure's
    deletion; its S3 event finds no take but the marker, and deletes it."""
    c(invited, "POST", "/api/c/consent", {"accepted": True})
    _status, take = c(invited, "POST", "/api/c/questions/q1/takes")
    key = f"{prefix(invited)}question/q1/take/{take['takeId']}/recording.webm"
    assert r("DELETE", f"/api/candidates/{invited['candidate_id']}")[0] == 200
    client("s3").put_object(Bucket="oneway-uploads", Key=key, Body=webm)
    drain_uploads(client, aws)
    assert left(client, invited) == [] and media_jobs(client, aws) == []
