"""A candidate's answer through the handlers on moto: upload, S3 event, media events, review.

S3 notifications are moto's own (S3 -> SQS); media job events are built in
the shapes AWS sends (the same builders the local media worker uses).
"""

from __future__ import annotations

import json

import pytest

from oneway.adapters.mediaconvert import user_metadata
from oneway.domain.keys import TakeRef
from oneway.domain.models import Role
from oneway.handlers import api, on_media_event, on_upload, scheduled
from oneway.local import media_worker
from oneway.local.gateway import LambdaContext
from oneway.local.pump import sqs_event
from oneway.service import identity
from tests.integration.test_api import INTERVIEW
from tests.support import stored
from tests.support.events import call
from tests.support.media import make_webm

CTX = LambdaContext("test")


@pytest.fixture
def invited(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    _, made = call(api.lambda_handler, "POST", "/api/interviews", INTERVIEW, sub="alice")
    _, inv = call(
        api.lambda_handler,
        "POST",
        f"/api/interviews/{made['interviewId']}/invitations",
        {"candidates": [{"name": "Ada", "email": "ada@example.com"}]},
        sub="alice",
    )
    item = inv["items"][0]
    return {"token": item["inviteUrl"].split("#t=")[1], "candidate_id": item["candidateId"], "interview_id": made["interviewId"]}


def c(invited, method, path, body=None):
    return call(api.lambda_handler, method, path, body, token=invited["token"])


def r(method, path, body=None):
    return call(api.lambda_handler, method, path, body, sub="alice")


@pytest.fixture(scope="module")
def webm(tmp_path_factory):
    return make_webm(tmp_path_factory.mktemp("media") / "answer.webm", seconds=2).read_bytes()


def record_and_upload(invited, client, data: bytes, question="q1"):
    """Start a take, upload it in parts through the presigned multipart API, complete it."""
    status, take = c(invited, "POST", f"/api/c/questions/{question}/takes")
    assert status == 201, take
    tid = take["takeId"]
    status, ticket = c(invited, "POST", f"/api/c/questions/{question}/takes/{tid}/upload", {"contentType": "video/webm", "size": len(data)})
    assert status == 200, ticket
    assert len(ticket["parts"]) == 1 and ticket["partSize"] >= 5 * 2**20
    url = ticket["parts"][0]["url"]
    assert "X-Amz-Expires=900" in url and f"/question/{question}/take/{tid}/recording.webm" in url
    s3 = client("s3")
    key = f"org/acme/interview/{invited['interview_id']}/candidate/{invited['candidate_id']}/question/{question}/take/{tid}/recording.webm"
    etag = s3.upload_part(Bucket="oneway-uploads", Key=key, UploadId=ticket["uploadId"], PartNumber=1, Body=data)["ETag"]
    status, state = c(invited, "GET", f"/api/c/questions/{question}/takes/{tid}/upload")
    assert [p["partNumber"] for p in state["parts"]] == [1]  # what a resuming browser sees
    status, done = c(invited, "POST", f"/api/c/questions/{question}/takes/{tid}/complete", {"parts": [{"partNumber": 1, "etag": etag}]})
    assert (status, done) == (200, {"status": "processing"})
    return tid, key


def drain_uploads(client, aws, times=1):
    """Deliver the queued S3 notifications to on_upload, ``times`` times each (duplicates)."""
    sqs = client("sqs")
    got = sqs.receive_message(QueueUrl=aws.uploads_queue_url, MaxNumberOfMessages=10).get("Messages", [])
    arn = sqs.get_queue_attributes(QueueUrl=aws.uploads_queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for _ in range(times):
        answer = on_upload.lambda_handler(sqs_event(got, arn), CTX)
        assert answer["batchItemFailures"] == []
    return got


def media_jobs(client, aws):
    sqs = client("sqs")
    messages = sqs.receive_message(QueueUrl=aws.media_queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def finish_events(jobs, region="us-east-1"):
    """The completion events AWS would send for these jobs."""
    video = next(j for j in jobs if j["kind"] == "video")
    speech = next(j for j in jobs if j["kind"] == "speech")
    ref = video["request"]["ref"]
    prefix = video["request"]["output_prefix"]
    meta = user_metadata("oneway", TakeRef(**ref))
    v = media_worker.mediaconvert_event(
        video["jobId"],
        region,
        meta,
        outputs=[
            (f"s3://oneway-media/{prefix}recording.mp4", 2000, 640, 480),
            (f"s3://oneway-media/{prefix}recording.0000000.jpg", 0, 640, 480),
            (f"s3://oneway-media/{prefix}recording-audio.m4a", 2000, 0, 0),
        ],
    )
    s = media_worker.transcribe_event(speech["jobId"], region)
    return v, s, speech


def put_transcript(client, speech_job, text="hello there"):
    req = speech_job["request"]
    doc = {"jobName": speech_job["jobId"], "results": {"transcripts": [{"transcript": text}], "items": []}}
    s3 = client("s3")
    s3.put_object(Bucket="oneway-media", Key=req["transcript_key"], Body=json.dumps(doc).encode())
    s3.put_object(Bucket="oneway-media", Key=req["transcript_key"].replace(".json", ".vtt"), Body=b"WEBVTT\n\n")


def answer_everything(invited, client, aws, webm):
    c(invited, "POST", "/api/c/consent", {"accepted": True})
    tid, key = record_and_upload(invited, client, webm)
    status, _ = c(invited, "POST", "/api/c/questions/q2/text", {"text": "Because it is fair."})
    assert status == 200
    return tid, key


def test_one_answer_from_upload_to_review(invited, client, aws, webm):
    _tid, key = answer_everything(invited, client, aws, webm)
    status, done = c(invited, "POST", "/api/c/complete")
    assert done == {"status": "completed"}

    drain_uploads(client, aws, times=2)  # moto sends Put and CompleteMultipartUpload; we deliver each twice
    jobs = media_jobs(client, aws)
    assert sorted(j["kind"] for j in jobs) == ["speech", "video"], "one transcode and one transcription, whatever the duplicates"
    assert all(j["request"]["input_key"] == key for j in jobs)

    cid = invited["candidate_id"]
    status, detail = r("GET", f"/api/candidates/{cid}")
    assert detail["answers"][0]["status"] == "processing" and detail["status"] == "completed"

    video_event, speech_event, speech_job = finish_events(jobs)
    put_transcript(client, speech_job)
    # Out of order and twice: speech first, then video, then both again.
    for event in (speech_event, video_event, speech_event, video_event):
        on_media_event.lambda_handler(event, CTX)

    status, detail = r("GET", f"/api/candidates/{cid}")
    assert detail["status"] == "ready"
    video, text = detail["answers"]
    assert video["status"] == "ready" and video["transcript"] == "hello there" and video["durationSeconds"] == 2.0
    assert "recording.mp4" in video["videoUrl"] and "recording.0000000.jpg" in video["posterUrl"] and "transcript.vtt" in video["captionsUrl"]
    assert text == {**text, "status": "ready", "text": "Because it is fair."}

    status, review = r("PUT", f"/api/candidates/{cid}/review", {"scores": {"Communication": 4, "Depth": 5}, "comment": "clear", "recommendation": "advance"})
    assert status == 200 and review["scores"] == {"Communication": 4, "Depth": 5}
    status, bad = r("PUT", f"/api/candidates/{cid}/review", {"scores": {"Charisma": 5}})
    assert status == 400 and bad["code"] == "unknown_rubric_item"
    status, bad = r("PUT", f"/api/candidates/{cid}/review", {"scores": {"Depth": 7}})
    assert status == 422
    status, decision = r("POST", f"/api/candidates/{cid}/decision", {"decision": "advance", "note": "strong systems answer"})
    assert status == 200 and decision["decision"] == "advance"

    status, detail = r("GET", f"/api/candidates/{cid}")
    assert detail["status"] == "advanced" and detail["decision"]["note"] == "strong systems answer" and len(detail["reviews"]) == 1
    status, stats = r("GET", f"/api/interviews/{invited['interview_id']}/analytics")
    assert stats["funnel"] == {"invited": 1, "opened": 0, "started": 1, "completed": 1, "ready": 1, "decided": 1}
    assert [q["answered"] for q in stats["questions"]] == [1, 1] and stats["decisions"]["advance"] == 1

    status, _ = c(invited, "POST", "/api/c/feedback", {"rating": 5, "comment": "smooth"})
    status, stats = r("GET", f"/api/interviews/{invited['interview_id']}/analytics")
    assert (stats["feedbackCount"], stats["feedbackAverage"]) == (1, 5.0)


@pytest.mark.parametrize("language", ["de-DE", "auto"])
def test_the_answers_are_transcribed_in_the_interviews_language(invited, client, aws, webm, ports, language):
    from oneway.adapters import transcribe
    from oneway.ports import TranscribeRequest

    interview = ports.store.get_interview("acme", invited["interview_id"])
    interview.language = language  # set before the invitations in real use (an invited interview is not edited)
    ports.store.save(interview)
    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    (speech,) = [j for j in media_jobs(client, aws) if j["kind"] == "speech"]
    request = TranscribeRequest.model_validate(speech["request"])
    assert request.language == language
    job = transcribe.job_request(request, ports.settings)  # what Transcribe would be asked
    assert job.get("LanguageCode") == (None if language == "auto" else language) and job.get("IdentifyLanguage", False) == (language == "auto")


def test_an_event_before_processing_started_is_retried_not_lost(invited, client, aws, webm):
    answer_everything(invited, client, aws, webm)
    # The S3 event is still in the queue, but a (stale or early) job event arrives.
    jobs_before = media_jobs(client, aws)
    assert jobs_before == []
    drain_uploads(client, aws)
    jobs = media_jobs(client, aws)
    video_event, _, _ = finish_events(jobs)
    on_media_event.lambda_handler(video_event, CTX)
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "processing"  # transcript still pending


def test_failed_transcode_keeps_the_recording_and_says_why(invited, client, aws, webm):
    _tid, key = answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    jobs = media_jobs(client, aws)
    video = next(j for j in jobs if j["kind"] == "video")
    event = media_worker.mediaconvert_event(video["jobId"], "us-east-1", user_metadata("oneway", TakeRef(**video["request"]["ref"])), error=(1010, "unsupported codec"))
    on_media_event.lambda_handler(event, CTX)
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "failed" and "unsupported codec" in detail["answers"][0]["failure"]
    assert client("s3").head_object(Bucket="oneway-uploads", Key=key)["ContentLength"] == len(webm)


def test_a_refused_upload_is_deleted_and_costs_its_take(invited, client, aws):
    """Junk buys no take and no second look at the prompt: the take stays used, the file is deleted
    (every version), and with no take left the question stays answered by the refused upload."""
    c(invited, "POST", "/api/c/consent", {"accepted": True})
    junk = b"MZ\x90\x00 this is not a video" * 10
    _tid, key = record_and_upload(invited, client, junk)
    client("s3").put_object(Bucket="oneway-uploads", Key=key, Body=junk)  # a second version of it
    drain_uploads(client, aws)
    assert media_jobs(client, aws) == []
    listing = client("s3").list_object_versions(Bucket="oneway-uploads", Prefix=key)
    assert not listing.get("Versions") and not listing.get("DeleteMarkers"), "the refused file is deleted, every version"
    status, session = c(invited, "GET", "/api/c/session")
    q1 = session["questions"][0]
    assert (q1["answered"], q1["takesUsed"], q1["refused"]) == (False, 1, "the file is not a video recording")
    status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert (detail["answers"][0]["status"], detail["answers"][0]["refused"]) == ("pending", "the file is not a video recording")

    # The last take: refused too. The question stays answered by it; the candidate can finish.
    _tid2, key2 = record_and_upload(invited, client, junk)
    drain_uploads(client, aws)
    assert not client("s3").list_object_versions(Bucket="oneway-uploads", Prefix=key2).get("Versions")
    status, session = c(invited, "GET", "/api/c/session")
    q1 = session["questions"][0]
    assert (q1["answered"], q1["takesUsed"], q1["refused"]) == (True, 2, "the file is not a video recording")
    status, _body = c(invited, "POST", "/api/c/questions/q1/takes")
    assert status == 409, "no take is left, and the prompt is not shown again"
    assert c(invited, "POST", "/api/c/questions/q2/text", {"text": "Because."})[0] == 200
    assert c(invited, "POST", "/api/c/complete")[1] == {"status": "completed"}
    status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    answer = detail["answers"][0]
    assert (answer["status"], answer["failure"], answer["refused"]) == ("failed", "the file is not a video recording", "the file is not a video recording")
    assert detail["status"] == "ready", "a refused answer with no take left does not hold the review back"
    # The same S3 event again: nothing changes, and the file stays deleted.
    client("s3").put_object(Bucket="oneway-uploads", Key=key2, Body=junk)
    from oneway.service import pipeline

    assert pipeline.start_processing(deps_ports(), pipeline.UploadedObject(bucket="oneway-uploads", key=key2)) == "quarantined"
    assert not client("s3").list_object_versions(Bucket="oneway-uploads", Prefix=key2).get("Versions")


def deps_ports():
    from oneway.handlers import deps

    return deps.ports()


def test_lost_completion_events_are_finished_by_the_reconciler(invited, client, aws, webm, ports, clock):
    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    jobs = media_jobs(client, aws)
    video_event, speech_event, speech_job = finish_events(jobs)
    put_transcript(client, speech_job, "recovered")
    # The worker recorded its job states, but both events were lost.
    s3 = client("s3")
    from oneway.adapters.local_media import status_key
    from oneway.adapters.mediaconvert import parse_event as parse_video
    from oneway.adapters.transcribe import parse_event as parse_speech

    for job in jobs:
        kind = job["kind"]
        parsed = parse_video(video_event, "oneway") if kind == "video" else parse_speech(speech_event, "oneway")
        assert parsed is not None
        body = {"state": parsed.model_copy(update={"job_id": job["jobId"]}).model_dump(mode="json"), "phase": "DONE"}
        s3.put_object(Bucket="oneway-media", Key=status_key(job["jobId"]), Body=json.dumps(body).encode())

    from datetime import UTC, datetime, timedelta

    import oneway.service.pipeline as pipeline

    # Later than the reconciler's patience:
    clock.at = datetime.now(UTC) + timedelta(hours=1)
    assert pipeline.reconcile(ports) == 2
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "ready" and detail["answers"][0]["transcript"] == "recovered"
    assert pipeline.reconcile(ports) == 0
    assert scheduled.lambda_handler({"task": "reconcile"}, CTX)["result"] == 0


def test_deadline_is_enforced_by_the_server(invited, ports, clock):
    from datetime import timedelta

    from oneway.domain.errors import Gone
    from oneway.service import recording

    cand = recording.authenticate(ports, invited["token"])
    clock.at = cand.expires_at + timedelta(seconds=1)
    with pytest.raises(Gone) as err:
        recording.give_consent(ports, cand)
    assert err.value.status == 410 and err.value.code == "deadline_passed"


def test_erasure_removes_every_object_version_and_item(invited, client, aws, webm):
    _tid, key = answer_everything(invited, client, aws, webm)
    s3 = client("s3")
    s3.put_object(Bucket="oneway-uploads", Key=key, Body=webm)  # a second version
    drain_uploads(client, aws)
    cid = invited["candidate_id"]
    prefix = f"org/acme/interview/{invited['interview_id']}/candidate/{cid}/"
    assert s3.list_object_versions(Bucket="oneway-uploads", Prefix=prefix).get("Versions")
    status, body = r("DELETE", f"/api/candidates/{cid}")
    assert (status, body) == (200, {"status": "erased"})
    for bucket in ("oneway-uploads", "oneway-media"):
        listing = s3.list_object_versions(Bucket=bucket, Prefix=prefix)
        assert not listing.get("Versions") and not listing.get("DeleteMarkers")
    ddb = client("dynamodb")
    left = ddb.query(TableName="oneway", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": f"ORG#acme#CANDIDATE#{cid}"}})
    assert left["Items"] == []
    assert r("GET", f"/api/candidates/{cid}")[0] == 404
    status, body = c(invited, "GET", "/api/c/session")
    assert status == 401


def test_retention_erases_candidates_past_the_period_and_no_one_else(invited, client, aws, webm, ports, clock):
    from datetime import timedelta

    from oneway.service import privacy, recording

    _, key = answer_everything(invited, client, aws, webm)
    from oneway.domain import keys

    audio = keys.audio_key(stored.take_ref(key))  # the renditions go in the media bucket, under the same prefix
    client("s3").put_object(Bucket="oneway-media", Key=audio, Body=b"aac")
    cand = recording.authenticate(ports, invited["token"])
    assert cand.retain_until == (cand.expires_at + timedelta(days=180)).date()
    clock.at = cand.expires_at + timedelta(days=179)
    assert privacy.apply_retention(ports) == 0
    assert r("GET", f"/api/candidates/{invited['candidate_id']}")[0] == 200

    clock.at = cand.expires_at + timedelta(days=185)  # a few days late: the run catches up
    assert privacy.apply_retention(ports) == 1
    assert r("GET", f"/api/candidates/{invited['candidate_id']}")[0] == 404
    prefix = f"org/acme/interview/{invited['interview_id']}/candidate/{invited['candidate_id']}/"
    assert not client("s3").list_object_versions(Bucket="oneway-uploads", Prefix=prefix).get("Versions")
    assert not client("s3").list_object_versions(Bucket="oneway-media", Prefix=prefix).get("Versions")
    month = clock.at.strftime("%Y-%m")
    trail = ports.store.list_audit("acme", month, 10)
    assert [(e.action, e.actor, e.detail["reason"]) for e in trail] == [("candidate.erased", "oneway:retention", "retention")]


def test_a_job_that_vanished_fails_its_step_instead_of_hanging(invited, client, aws, webm, ports, clock):
    from datetime import UTC, datetime, timedelta

    import oneway.service.pipeline as pipeline
    from oneway.adapters.local_media import status_key

    answer_everything(invited, client, aws, webm)
    drain_uploads(client, aws)
    for job in media_jobs(client, aws):
        client("s3").delete_object(Bucket="oneway-media", Key=status_key(job["jobId"]))
    clock.at = datetime.now(UTC) + timedelta(hours=1)
    assert pipeline.reconcile(ports) == 2
    _status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "failed" and "lost" in detail["answers"][0]["failure"]
