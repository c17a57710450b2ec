"""Pipeline faults beyond tests/integration/test_pipeline.py (duplicate and out-of-order events,
MediaConvert ERROR, lost events, vanished jobs live there): a crash between starting the jobs and
saving the take's state, and a failed transcription that leaves the video reviewable."""

from __future__ import annotations

from typing import Any

import pytest

from oneway.handlers import api, deps, on_media_event, on_upload
from oneway.local.gateway import LambdaContext
from oneway.local.pump import sqs_event
from tests.integration.test_pipeline import answer_everything, finish_events, invited, media_jobs, r, webm  # noqa: F401  (fixtures)
from tests.support import stored
from tests.support.events import call

CTX = LambdaContext("faults")


def _uploads(client, aws):
    sqs = client("sqs")
    got = sqs.receive_message(QueueUrl=aws.uploads_queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
    arn = sqs.get_queue_attributes(QueueUrl=aws.uploads_queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs_event(got, arn)


def test_a_crash_after_starting_the_jobs_and_before_saving_is_retried_safely(invited, client, aws, webm, monkeypatch):
    answer_everything(invited, client, aws, webm)
    event = _uploads(client, aws)
    store = deps.ports().store
    real_save = store.save
    crashes: list[int] = []

    def crash_once(*entities, **kw):
        if not crashes and any(getattr(e, "status", None) == "processing" for e in entities):
            crashes.append(1)
            raise RuntimeError("the function died here")
        return real_save(*entities, **kw)

    monkeypatch.setattr(store, "save", crash_once)
    first = on_upload.lambda_handler(event, CTX)
    assert crashes and first["batchItemFailures"], "the message goes back to the queue"
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "processing"  # uploaded, not lost, not failed

    second = on_upload.lambda_handler(event, CTX)  # SQS delivers it again
    assert second["batchItemFailures"] == []
    again = on_upload.lambda_handler(event, CTX)  # and once more, for good measure
    assert again["batchItemFailures"] == []
    jobs = media_jobs(client, aws)
    ids = {(j["kind"], j["jobId"]) for j in jobs}
    assert sorted(k for k, _ in ids) == ["speech", "video"], "one transcode and one transcription, whatever the retries"
    take = stored.take(store, jobs[0]["request"]["input_key"])
    assert take.status == "processing" and {take.video_job_id, take.speech_job_id} == {j for _, j in ids}


def test_a_failed_transcription_leaves_the_video_reviewable(invited, client, aws, webm):
    answer_everything(invited, client, aws, webm)
    assert call(api.lambda_handler, "POST", "/api/c/complete", token=invited["token"])[0] == 200
    on_upload.lambda_handler(_uploads(client, aws), CTX)
    video_event, speech_event, _ = finish_events(media_jobs(client, aws))
    speech_event["detail"]["TranscriptionJobStatus"] = "FAILED"
    speech_event["detail"]["FailureReason"] = "no speech"
    for event in (speech_event, video_event):
        on_media_event.lambda_handler(event, CTX)
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    video = detail["answers"][0]
    assert video["status"] == "ready" and video["videoUrl"] and video["transcriptAvailable"] is False
    assert detail["status"] == "ready", "the candidate is reviewable without a transcript"


# --- MediaConvert ERROR, then a recruiter's retry from the kept recording ---------------------------


def _error_event(job: dict, code: int = 1999, message: str = "Internal error") -> dict:
    from oneway.adapters.mediaconvert import user_metadata
    from oneway.domain.keys import TakeRef
    from oneway.local import media_worker

    return media_worker.mediaconvert_event(job["jobId"], "us-east-1", user_metadata("oneway", TakeRef(**job["request"]["ref"])), error=(code, message))


def _retry(invited, question="q1", sub="alice"):
    return call(api.lambda_handler, "POST", f"/api/candidates/{invited['candidate_id']}/answers/{question}/retry", sub=sub)


def _versions(client, key):
    listing = client("s3").list_object_versions(Bucket="oneway-uploads", Prefix=key)
    return len(listing.get("Versions", [])), len(listing.get("DeleteMarkers", []))


def test_a_mediaconvert_error_is_retried_from_the_kept_recording_once(invited, client, aws, webm, monkeypatch):
    from tests.integration.test_pipeline import drain_uploads, put_transcript

    _, key = answer_everything(invited, client, aws, webm)
    assert call(api.lambda_handler, "POST", "/api/c/complete", token=invited["token"])[0] == 200
    drain_uploads(client, aws)
    first = media_jobs(client, aws)
    video_job = next(j for j in first if j["kind"] == "video")
    _, speech_event, speech_job = finish_events(first)
    put_transcript(client, speech_job, "kept from the first attempt")
    on_media_event.lambda_handler(speech_event, CTX)
    on_media_event.lambda_handler(_error_event(video_job), CTX)

    cid = invited["candidate_id"]
    _, detail = r("GET", f"/api/candidates/{cid}")
    assert detail["answers"][0]["status"] == "failed" and "Internal error (1999)" in detail["answers"][0]["failure"]
    assert detail["status"] == "completed"  # not ready while an answer has failed
    assert _versions(client, key) == (1, 0), "the raw recording is kept"

    # Two requests at once: the second reads the failed take, then finds it claimed when it saves.
    store = deps.ports().store
    real_save = store.save
    raced: list[tuple[int, Any] | None] = []  # the other request's answer (None while it runs)

    def racing_save(*entities, **kw):
        if not raced:
            raced.append(None)
            raced[0] = _retry(invited)  # the other request wins in between
        return real_save(*entities, **kw)

    monkeypatch.setattr(store, "save", racing_save)
    status, body = _retry(invited)
    monkeypatch.setattr(store, "save", real_save)
    assert raced[0] == (200, {"questionId": "q1", "status": "processing", "attempt": 1})
    assert (status, body["code"]) == (409, "not_failed")
    assert _retry(invited)[0] == 409  # and once more, later: it is processing now
    requests = drain_uploads(client, aws, times=2)  # on_upload starts the jobs; SQS may deliver a request twice
    assert len(requests) == 1, "one job request for one claimed retry"
    again = media_jobs(client, aws)
    assert [j["kind"] for j in again] == ["video"], "one new transcode; the finished transcript is kept"
    assert again[0]["jobId"] != video_job["jobId"] and again[0]["request"]["idempotency_token"] != video_job["request"]["idempotency_token"]
    assert again[0]["request"]["input_key"] == key

    _, detail = r("GET", f"/api/candidates/{cid}")
    assert detail["answers"][0]["status"] == "processing" and detail["answers"][0]["failure"] is None
    on_media_event.lambda_handler(_error_event(video_job), CTX)  # the first job's event, delivered again: stale
    assert r("GET", f"/api/candidates/{cid}")[1]["answers"][0]["status"] == "processing"

    video_event, _, _ = finish_events([again[0], speech_job])
    on_media_event.lambda_handler(video_event, CTX)
    _, detail = r("GET", f"/api/candidates/{cid}")
    answer = detail["answers"][0]
    assert answer["status"] == "ready" and answer["transcript"] == "kept from the first attempt" and answer["videoUrl"]
    assert detail["status"] == "ready"
    assert _retry(invited)[0] == 409  # a ready answer is not retried
    assert _versions(client, key) == (1, 0), "the raw recording was never deleted"
    trail = deps.ports().store.list_audit("acme", deps.ports().clock.now().strftime("%Y-%m"), 100)
    assert [(e.action, e.actor, e.detail) for e in trail if e.action == "answer.retried"] == [
        ("answer.retried", "alice", {"question": "q1", "attempt": 1})
    ]


def test_a_retry_whose_jobs_fail_to_start_or_whose_request_is_lost_still_starts_once(invited, client, aws, webm, monkeypatch):
    import dataclasses
    from datetime import timedelta

    from oneway.service import pipeline
    from tests.conftest import FixedClock
    from tests.integration.test_pipeline import drain_uploads

    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    video_job = next(j for j in media_jobs(client, aws) if j["kind"] == "video")
    on_media_event.lambda_handler(_error_event(video_job, 1010, "Unable to open input file"), CTX)
    assert _retry(invited)[0] == 200
    # MediaConvert refuses the first try: the request goes back to the queue and is taken again.
    media = deps.ports().media
    monkeypatch.setattr(media, "start_transcode", lambda request: (_ for _ in ()).throw(RuntimeError("throttled")))
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    with pytest.raises(BatchProcessingError):  # the whole batch failed: SQS delivers the request again
        on_upload.lambda_handler(_uploads(client, aws), CTX)
    monkeypatch.undo()
    assert media_jobs(client, aws) == []
    # ... and then the request is lost: the reconciler asks again.
    client("sqs").purge_queue(QueueUrl=aws.uploads_queue_url)
    later = dataclasses.replace(deps.ports(), clock=FixedClock(deps.ports().clock.now() + timedelta(hours=1)))
    pipeline.reconcile(later)
    pipeline.reconcile(later)  # twice: a second request, still one job
    drain_uploads(client, aws)
    jobs = media_jobs(client, aws)
    assert [j["kind"] for j in jobs] == ["video"] and jobs[0]["jobId"] != video_job["jobId"]
    take = stored.take(later.store, jobs[0]["request"]["input_key"])
    assert (take.status, take.attempt, take.video_job_id) == ("processing", 1, jobs[0]["jobId"])


def test_the_local_worker_fails_once_then_a_retry_makes_the_answer_ready_with_its_audio_rendition(invited, client, aws, webm, monkeypatch, tmp_path):
    """The local stack's path: the real media worker (PyAV) on the local media queue. Its first
    transcode fails as a corrupt read does; the recruiter retries; the answer becomes ready, and
    blind review gets the audio-only rendition alone, which holds no video stream."""
    import time

    import av

    from oneway.local import media_worker
    from tests.integration.test_pipeline import drain_uploads

    real = media_worker.transcode
    failures: list[int] = []

    def corrupt_once(*args, **kw):
        if not failures:
            failures.append(1)
            raise av.error.InvalidDataError(22, "Invalid data found when processing input")
        return real(*args, **kw)

    monkeypatch.setattr(media_worker, "transcode", corrupt_once)
    p = deps.ports()
    worker = media_worker.MediaWorker(client("sqs"), client("s3"), p.settings, lambda e: on_media_event.lambda_handler(e, CTX), wait_seconds=0)
    worker.start()
    try:
        _, key = answer_everything(invited, client, aws, webm)
        assert call(api.lambda_handler, "POST", "/api/c/complete", token=invited["token"])[0] == 200
        drain_uploads(client, aws)
        cid = invited["candidate_id"]

        def answer_when(status: str) -> dict:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                found = r("GET", f"/api/candidates/{cid}")[1]["answers"][0]
                if found["status"] == status and worker.idle():
                    return found
                time.sleep(0.2)
            raise AssertionError(f"the answer did not become {status}: {found}")

        failed = answer_when("failed")
        assert "Invalid data found when processing input" in failed["failure"] and "(1010)" in failed["failure"]
        assert _retry(invited) == (200, {"questionId": "q1", "status": "processing", "attempt": 1})
        drain_uploads(client, aws)  # the job request, to on_upload (the local stack's pump does this)
        ready = answer_when("ready")
    finally:
        worker.stop()
    assert ready["videoUrl"] and ready["posterUrl"] and ready["audioUrl"] is None
    assert r("GET", f"/api/candidates/{cid}")[1]["status"] == "ready"
    assert _versions(client, key) == (1, 0)

    # Blind review: the audio URL only, presigned for the audio-only rendition; no MP4, no poster.
    member = stored.member(p.store, "alice")
    member.blind = True
    p.store.save(member)
    detail = r("GET", f"/api/candidates/{cid}")[1]
    blind = detail["answers"][0]
    assert detail["name"] is None and blind["videoUrl"] is None and blind["posterUrl"] is None
    assert "recording-audio.m4a" in blind["audioUrl"] and "recording.mp4" not in str(detail)
    from urllib.parse import unquote, urlparse

    audio_key = unquote(urlparse(blind["audioUrl"]).path).lstrip("/").removeprefix("oneway-media/")
    path = tmp_path / "audio.m4a"
    path.write_bytes(client("s3").get_object(Bucket="oneway-media", Key=audio_key)["Body"].read())
    with av.open(str(path)) as probe:
        assert probe.streams.video == () or len(probe.streams.video) == 0
        assert [s.codec_context.name for s in probe.streams.audio] == ["aac"]
        assert probe.duration is not None and probe.duration / 1e6 == pytest.approx(ready["durationSeconds"], abs=0.1)


# --- Starting the jobs on AWS: part way, again, and past a service's quota ----------------------------
# The AWS adapters: MediaConvert through botocore's Stubber (moto has none; one queued response is one
# CreateJob, and a CreateJob with none queued fails the test), Transcribe on moto.

ROLE = "arn:aws:iam::123456789012:role/oneway-mediaconvert"


class Refusals:
    """Wraps a client method: raises the queued errors first, then calls through; counts calls."""

    def __init__(self, real, *codes: str):
        self.real, self.codes, self.calls = real, list(codes), 0

    def __call__(self, **params):
        from botocore.exceptions import ClientError

        self.calls += 1
        if self.codes:
            code = self.codes.pop(0)
            raise ClientError({"Error": {"Code": code, "Message": f"{code} (injected)"}}, "StartTranscriptionJob")
        return self.real(**params)


@pytest.fixture
def on_aws(ports, client):
    import dataclasses

    import boto3
    from botocore.stub import Stubber

    from oneway.adapters.mediaconvert import MediaConvertMedia
    from oneway.adapters.transcribe import TranscribeSpeech

    settings = ports.settings.model_copy(update={"media": "aws", "mediaconvert_role_arn": ROLE})
    mediaconvert = boto3.client("mediaconvert", region_name="us-east-1")
    stub = Stubber(mediaconvert)
    stub.activate()
    p = dataclasses.replace(
        ports,
        settings=settings,
        media=MediaConvertMedia(mediaconvert, settings),
        speech=TranscribeSpeech(client("transcribe"), settings),
        job_requests=None,  # the reconciler starts pending jobs in process
    )
    yield p, stub
    stub.deactivate()


def _job(job_id: str = "1700000000000-abc123") -> dict:
    return {"Job": {"Id": job_id, "Role": ROLE, "Settings": {}}}


def _upload(invited, client, aws, webm):
    from oneway.service.pipeline import UploadedObject

    _, key = answer_everything(invited, client, aws, webm)
    assert call(api.lambda_handler, "POST", "/api/c/complete", token=invited["token"])[0] == 200
    return UploadedObject(bucket="oneway-uploads", key=key), stored.take_ref(key)


def _transcriptions(client) -> list[str]:
    return [j["TranscriptionJobName"] for j in client("transcribe").list_transcription_jobs()["TranscriptionJobSummaries"]]


def test_a_transcription_refused_once_is_started_on_redelivery_with_no_second_transcode(invited, client, aws, webm, on_aws, clock):
    from botocore.exceptions import ClientError

    from oneway.service import pipeline

    p, stub = on_aws
    upload, ref = _upload(invited, client, aws, webm)
    refused = Refusals(p.speech.client.start_transcription_job, "AccessDeniedException")
    p.speech.client.start_transcription_job = refused
    stub.add_response("create_job", _job())  # the only CreateJob this test allows

    with pytest.raises(ClientError, match="AccessDeniedException"):  # the message goes back to the queue
        pipeline.start_processing(p, upload)
    take = p.store.get_take(ref)
    assert (take.status, take.video_job_id, take.speech_job_id) == ("processing", "1700000000000-abc123", None)

    # SQS makes the message visible again after 6 minutes: far past MediaConvert's one-minute token window.
    clock.advance(minutes=6)
    assert pipeline.start_processing(p, upload) == "started"
    assert pipeline.start_processing(p, upload) == "ignored"  # and once more: nothing left to start
    stub.assert_no_pending_responses()  # exactly one CreateJob
    take = p.store.get_take(ref)
    assert take.video_job_id == "1700000000000-abc123" and _transcriptions(client) == [take.speech_job_id]
    assert refused.calls == 2


def test_a_transcode_refused_after_the_transcription_started_starts_each_job_once(invited, client, aws, webm, on_aws, clock):
    from botocore.exceptions import ClientError

    from oneway.service import pipeline

    p, stub = on_aws
    upload, ref = _upload(invited, client, aws, webm)
    counted = Refusals(p.speech.client.start_transcription_job)
    p.speech.client.start_transcription_job = counted
    stub.add_client_error("create_job", service_error_code="BadRequestException", http_status_code=400)
    stub.add_response("create_job", _job())

    with pytest.raises(ClientError, match="BadRequestException"):
        pipeline.start_processing(p, upload)
    clock.advance(minutes=6)
    assert pipeline.start_processing(p, upload) == "started"
    stub.assert_no_pending_responses()
    take = p.store.get_take(ref)
    assert counted.calls == 1, "the transcription was started once: its id was kept"
    assert take.video_job_id == "1700000000000-abc123" and _transcriptions(client) == [take.speech_job_id]


def _finish_video(p, ref, job_id="1700000000000-abc123"):
    from oneway.adapters.mediaconvert import output_keys
    from oneway.domain.keys import media_prefix
    from oneway.ports import JobState
    from oneway.service import pipeline

    video, poster, audio = output_keys(media_prefix(ref))
    state = JobState(job_id=job_id, kind="video", status="complete", ref=ref, video_key=video, poster_key=poster, audio_key=audio, duration_seconds=2.0)
    assert pipeline.record_media_result(p, state)


def _finish_speech(p, client, ref, text="spoken words"):
    import json

    from oneway.domain.keys import captions_key, transcript_key
    from oneway.ports import JobState
    from oneway.service import pipeline

    take = p.store.get_take(ref)
    doc = {"results": {"transcripts": [{"transcript": text}], "items": []}}
    client("s3").put_object(Bucket="oneway-media", Key=transcript_key(ref), Body=json.dumps(doc).encode())
    state = JobState(job_id=take.speech_job_id, kind="speech", status="complete", ref=ref, transcript_key=transcript_key(ref), captions_key=captions_key(ref))
    assert pipeline.record_media_result(p, state)


def test_transcribe_at_its_concurrent_job_quota_defers_the_transcript_and_never_fails_the_answer(invited, client, aws, webm, on_aws, clock):
    from oneway.service import pipeline

    p, stub = on_aws
    upload, ref = _upload(invited, client, aws, webm)
    busy = Refusals(p.speech.client.start_transcription_job, "LimitExceededException", "LimitExceededException")
    p.speech.client.start_transcription_job = busy
    stub.add_response("create_job", _job())

    assert pipeline.start_processing(p, upload) == "deferred"  # the transcode goes on; the message is done
    take = p.store.get_take(ref)
    assert (take.status, take.speech, take.speech_job_id, take.video_job_id) == ("processing", "pending", None, "1700000000000-abc123")
    _finish_video(p, ref)
    assert p.store.get_take(ref).status == "processing", "waiting for its transcript, not failed"

    clock.advance(minutes=11)  # past reconcile_after_seconds: the reconciler asks again, still at the quota
    pipeline.reconcile(p)
    assert p.store.get_take(ref).speech == "pending" and not _transcriptions(client)
    clock.advance(minutes=5)  # its next run: Transcribe has room
    pipeline.reconcile(p)
    take = p.store.get_take(ref)
    assert _transcriptions(client) == [take.speech_job_id] and busy.calls == 3
    _finish_speech(p, client, ref)
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "ready" and detail["answers"][0]["transcript"] == "spoken words"
    assert detail["status"] == "ready"
    stub.assert_no_pending_responses()  # one transcode all along


def test_mediaconvert_throttling_defers_the_transcode_until_the_reconciler_asks_again(invited, client, aws, webm, on_aws, clock):
    from oneway.service import pipeline

    p, stub = on_aws
    upload, ref = _upload(invited, client, aws, webm)
    stub.add_client_error("create_job", service_error_code="TooManyRequestsException", http_status_code=429)
    stub.add_response("create_job", _job())

    assert pipeline.start_processing(p, upload) == "deferred"
    take = p.store.get_take(ref)
    assert (take.status, take.video, take.video_job_id) == ("processing", "pending", None) and take.speech_job_id
    assert pipeline.start_processing(p, upload) == "started"  # a duplicate S3 event may come first: it starts it
    clock.advance(minutes=11)
    stub.add_response("get_job", {"Job": {**_job()["Job"], "Status": "PROGRESSING"}}, expected_params={"Id": "1700000000000-abc123"})
    pipeline.reconcile(p)  # nothing left to start: it only asks how the job is doing
    stub.assert_no_pending_responses()
    assert p.store.get_take(ref).video_job_id == "1700000000000-abc123"


def test_a_transcription_that_cannot_start_for_a_day_fails_alone_and_the_answer_is_reviewable(invited, client, aws, webm, on_aws, clock):
    from oneway.service import pipeline

    p, stub = on_aws
    upload, ref = _upload(invited, client, aws, webm)
    p.speech.client.start_transcription_job = Refusals(p.speech.client.start_transcription_job, *["LimitExceededException"] * 50)
    stub.add_response("create_job", _job())
    assert pipeline.start_processing(p, upload) == "deferred"
    _finish_video(p, ref)
    clock.advance(seconds=p.settings.speech_start_limit_seconds + 1)
    pipeline.reconcile(p)
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    answer = detail["answers"][0]
    assert answer["status"] == "ready" and answer["transcriptAvailable"] is False and answer["videoUrl"]
    assert detail["status"] == "ready"
