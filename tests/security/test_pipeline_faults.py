"""Pipeline faults beyond tests/integration/test_pipeline.py (duplicate and out-of-order events,
MediaConvert ERROR, lost events, vanished jobs live there): a crash between starting the jobs and
saving the take's state, and a failed transcription that leaves the video reviewable."""

from __future__ import annotations

from oneway.handlers import deps, on_media_event, on_upload
from oneway.local.gateway import LambdaContext
from oneway.local.pump import sqs_event
from tests.integration.test_pipeline import answer_everything, finish_events, invited, media_jobs, r, webm  # noqa: F401  (fixtures)
from tests.support.events import call
from oneway.handlers import api

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
    real_save, crashes = store.save, []

    def crash_once(*entities, **kw):
        if not crashes and any(getattr(e, "status", None) == "processing" for e in entities):
            crashes.append(1)
            raise RuntimeError("the function died here")
        return real_save(*entities, **kw)

    monkeypatch.setattr(store, "save", crash_once)
    first = on_upload.lambda_handler(event, CTX)
    assert crashes and first["batchItemFailures"], "the message goes back to the queue"
    status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "processing"  # uploaded, not lost, not failed

    second = on_upload.lambda_handler(event, CTX)  # SQS delivers it again
    assert second["batchItemFailures"] == []
    again = on_upload.lambda_handler(event, CTX)  # and once more, for good measure
    assert again["batchItemFailures"] == []
    jobs = media_jobs(client, aws)
    ids = {(j["kind"], j["jobId"]) for j in jobs}
    assert sorted(k for k, _ in ids) == ["speech", "video"], "one transcode and one transcription, whatever the retries"
    from oneway.domain.keys import parse_key

    take = store.get_take(parse_key(jobs[0]["request"]["input_key"]))
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
    status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    video = detail["answers"][0]
    assert video["status"] == "ready" and video["videoUrl"] and video["transcriptAvailable"] is False
    assert detail["status"] == "ready", "the candidate is reviewable without a transcript"
