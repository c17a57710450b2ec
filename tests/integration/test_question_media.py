"""Question videos recorded by a recruiter: upload, the answers' pipeline, the builder's rules, the candidate's links.

On moto, through the real handlers: the S3 notification goes to on_upload, the
local media worker runs the transcode and the transcription (PyAV, pocketsphinx)
and hands its events to on_media_event, as on the local stack.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import av
import pytest

from oneway.config import settings
from oneway.domain.models import Role
from oneway.handlers import api, on_media_event
from oneway.local.gateway import LambdaContext
from oneway.local.media_worker import MediaWorker
from oneway.service import identity, pipeline, privacy
from tests.conftest import FixedClock
from tests.integration.test_api import INTERVIEW
from tests.integration.test_pipeline import drain_uploads
from tests.support.events import call
from tests.support.media import make_webm

UPLOADS, MEDIA = "oneway-uploads", "oneway-media"


@pytest.fixture(scope="module")
def webm(tmp_path_factory):
    return make_webm(tmp_path_factory.mktemp("question") / "question.webm", seconds=2).read_bytes()


@pytest.fixture
def orgs(ports):
    for org, user, role in (("acme", "alice", Role.recruiter), ("acme", "rita", Role.reviewer), ("globex", "gus", Role.recruiter)):
        if ports.store.get_organization(org) is None:
            identity.create_organization(ports, org.title(), org_id=org)
        identity.add_member(ports, org, user, f"{user}@{org}.test", role)


def r(method, path, body=None, sub="alice"):
    return call(api.lambda_handler, method, path, body, sub=sub)


def new_interview() -> str:
    status, made = r("POST", "/api/interviews", INTERVIEW)
    assert status == 201, made
    return made["interviewId"]


def upload(client, iid: str, data: bytes) -> str:
    """Record-and-send as the builder does: ask for a ticket, PUT the part, complete."""
    status, ticket = r("POST", f"/api/interviews/{iid}/question-media", {"contentType": "video/webm;codecs=vp8,opus", "size": len(data)})
    assert status == 201, ticket
    mid = ticket["mediaId"]
    key = f"org/acme/interview/{iid}/question-media/{mid}/recording.webm"
    etag = client("s3").upload_part(Bucket=UPLOADS, Key=key, UploadId=ticket["uploadId"], PartNumber=1, Body=data)["ETag"]
    status, done = r("POST", f"/api/interviews/{iid}/question-media/{mid}/complete", {"parts": [{"partNumber": 1, "etag": etag}]})
    assert (status, done["status"]) == (200, "processing"), done
    return mid


def process(client, aws, deliver=True) -> int:
    """Deliver the S3 events, then run every queued media job with the local worker; return how many ran.
    With ``deliver`` False the jobs' events are lost on their way."""
    drain_uploads(client, aws)
    sqs = client("sqs")
    on_event = (lambda event: on_media_event.lambda_handler(event, LambdaContext("test"))) if deliver else (lambda event: None)
    worker = MediaWorker(sqs, client("s3"), settings(), on_event)
    ran = 0
    while messages := sqs.receive_message(QueueUrl=aws.media_queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            worker.run_job(json.loads(message["Body"]), message)
            ran += 1
    return ran


def with_video(iid: str, mid: str | None, prompt="Tell us about a project you are proud of.") -> dict:
    return {**INTERVIEW, "questions": [{**INTERVIEW["questions"][0], "prompt": prompt, "mediaId": mid}, *INTERVIEW["questions"][1:]]}


def objects(client, bucket: str, prefix: str) -> list[str]:
    return [o["Key"] for o in client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]


def test_the_upload_key_is_the_interviews_and_the_urls_short_lived(orgs):
    iid = new_interview()
    status, ticket = r("POST", f"/api/interviews/{iid}/question-media", {"contentType": "video/webm", "size": 3 * 2**20})
    assert status == 201, ticket
    (part,) = ticket["parts"]
    url = urlparse(part["url"])
    assert url.path.endswith(f"/org/acme/interview/{iid}/question-media/{ticket['mediaId']}/recording.webm")
    assert parse_qs(url.query)["X-Amz-Expires"] == ["900"]  # 15 minutes, like a candidate's parts
    # The size and the type are checked as a candidate's are: five minutes at most, video only.
    assert r("POST", f"/api/interviews/{iid}/question-media", {"contentType": "video/webm", "size": 2**30})[0] == 413
    status, refused = r("POST", f"/api/interviews/{iid}/question-media", {"contentType": "application/x-msdownload", "size": 1000})
    assert (status, refused["code"]) == (400, "unsupported_media_type")
    # Reviewers do not build interviews; another organization does not see this one.
    assert r("POST", f"/api/interviews/{iid}/question-media", {"contentType": "video/webm", "size": 1000}, sub="rita")[0] == 403
    assert r("POST", f"/api/interviews/{iid}/question-media", {"contentType": "video/webm", "size": 1000}, sub="gus")[0] == 404
    assert r("GET", f"/api/interviews/{iid}/question-media/{ticket['mediaId']}", sub="gus")[0] == 404


def test_the_pipeline_makes_an_mp4_poster_and_captions_for_a_question(orgs, client, aws, webm, tmp_path):
    iid = new_interview()
    mid = upload(client, iid, webm)
    assert r("GET", f"/api/interviews/{iid}/question-media/{mid}")[1]["status"] == "processing"
    assert process(client, aws) == 2  # one transcode, one transcription: the question's own jobs

    status, media = r("GET", f"/api/interviews/{iid}/question-media/{mid}")
    assert (status, media["status"]) == (200, "ready"), media
    assert media["durationSeconds"] == pytest.approx(2, abs=0.2)
    prefix = f"org/acme/interview/{iid}/question-media/{mid}/"
    stored = objects(client, MEDIA, prefix)
    assert {f"{prefix}recording.mp4", f"{prefix}recording.0000000.jpg", f"{prefix}transcript.vtt", f"{prefix}transcript.json"} <= set(stored)
    for name in ("videoUrl", "posterUrl", "captionsUrl"):
        assert urlparse(media[name]).path.endswith(prefix + {"videoUrl": "recording.mp4", "posterUrl": "recording.0000000.jpg", "captionsUrl": "transcript.vtt"}[name])
    client("s3").download_file(MEDIA, f"{prefix}recording.mp4", str(tmp_path / "q.mp4"))
    with av.open(str(tmp_path / "q.mp4")) as mp4:
        assert mp4.streams.video[0].codec_context.name == "h264" and mp4.streams.audio[0].codec_context.name == "aac"
    vtt = client("s3").get_object(Bucket=MEDIA, Key=f"{prefix}transcript.vtt")["Body"].read().decode()
    assert vtt.startswith("WEBVTT")
    # Nothing of it went where a candidate's answers go.
    assert not objects(client, MEDIA, f"org/acme/interview/{iid}/candidate/")

    # The builder saves the question with its video; reading the interview shows it ready.
    status, saved = r("PUT", f"/api/interviews/{iid}", with_video(iid, mid))
    assert status == 200, saved
    assert saved["questions"][0]["mediaId"] == mid and saved["questions"][0]["media"]["status"] == "ready"


def test_the_candidate_sees_the_video_with_the_prompt_not_before(orgs, client, aws, webm):
    iid = new_interview()
    mid = upload(client, iid, webm)
    assert r("PUT", f"/api/interviews/{iid}", with_video(iid, mid))[0] == 200
    # Candidates are invited once the video can be played.
    status, early = r("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@example.com"}]})
    assert (status, early["code"]) == (409, "media_not_ready")
    process(client, aws)
    status, inv = r("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@example.com"}]})
    assert status == 201, inv
    token = inv["items"][0]["inviteUrl"].split("#t=")[1]

    status, session = call(api.lambda_handler, "GET", "/api/c/session", token=token)
    first, second = session["questions"][:2]
    assert (first["hasVideo"], second["hasVideo"]) == (True, False)
    assert "videoUrl" not in json.dumps(session) and mid not in json.dumps(session)  # revealed with the prompt only
    assert call(api.lambda_handler, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
    status, take = call(api.lambda_handler, "POST", "/api/c/questions/q1/takes", token=token)
    assert status == 201, take
    prefix = f"/org/acme/interview/{iid}/question-media/{mid}/"
    assert urlparse(take["videoUrl"]).path.endswith(prefix + "recording.mp4")
    assert urlparse(take["posterUrl"]).path.endswith(prefix + "recording.0000000.jpg")
    assert urlparse(take["captionsUrl"]).path.endswith(prefix + "transcript.vtt")
    assert parse_qs(urlparse(take["videoUrl"]).query)["X-Amz-Expires"] == [str(settings().download_seconds)]

    # The video is the interview's: erasing the candidate leaves it, and it can no longer change.
    assert r("DELETE", f"/api/candidates/{inv['items'][0]['candidateId']}")[0] == 200
    assert objects(client, MEDIA, prefix.lstrip("/"))
    status, locked = r("POST", f"/api/interviews/{iid}/question-media", {"contentType": "video/webm", "size": 1000})
    assert (status, locked["code"]) == (409, "already_invited")


def test_a_save_drops_replaced_videos_and_refuses_foreign_ones(orgs, client, aws, webm):
    iid = new_interview()
    old = upload(client, iid, webm)
    process(client, aws)
    assert r("PUT", f"/api/interviews/{iid}", with_video(iid, old))[0] == 200
    new = upload(client, iid, webm)  # recorded again
    process(client, aws)
    status, saved = r("PUT", f"/api/interviews/{iid}", with_video(iid, new))
    assert status == 200 and saved["questions"][0]["media"]["status"] == "ready"
    # The replaced video is gone, in both buckets, item included.
    assert not objects(client, MEDIA, f"org/acme/interview/{iid}/question-media/{old}/")
    assert not objects(client, UPLOADS, f"org/acme/interview/{iid}/question-media/{old}/")
    assert r("GET", f"/api/interviews/{iid}/question-media/{old}")[0] == 404
    assert objects(client, MEDIA, f"org/acme/interview/{iid}/question-media/{new}/")

    # A video of another interview, or of a text question, is refused.
    other = new_interview()
    status, refused = r("PUT", f"/api/interviews/{other}", with_video(other, new))
    assert (status, refused["code"]) == (400, "media_not_found")
    text_question = {**with_video(iid, new), "questions": [{**with_video(iid, new)["questions"][0], "kind": "text"}]}
    assert r("PUT", f"/api/interviews/{iid}", text_question)[1]["code"] == "media_on_text_question"
    # Removing the video from the question drops it too.
    assert r("PUT", f"/api/interviews/{iid}", with_video(iid, None))[0] == 200
    assert not objects(client, MEDIA, f"org/acme/interview/{iid}/question-media/")


def test_a_duplicate_gets_its_own_copy_of_the_video(orgs, client, aws, webm):
    iid = new_interview()
    mid = upload(client, iid, webm)
    process(client, aws)
    assert r("PUT", f"/api/interviews/{iid}", with_video(iid, mid))[0] == 200
    status, copy = r("POST", f"/api/interviews/{iid}/duplicate")
    assert status == 201, copy
    media = copy["questions"][0]["media"]
    assert media["status"] == "ready" and f"/interview/{copy['interviewId']}/question-media/{mid}/recording.mp4" in media["videoUrl"]
    assert f"org/acme/interview/{copy['interviewId']}/question-media/{mid}/recording.mp4" in objects(
        client, MEDIA, f"org/acme/interview/{copy['interviewId']}/"
    )
    # Editing the original (dropping its video) leaves the copy's intact.
    assert r("PUT", f"/api/interviews/{iid}", with_video(iid, None))[0] == 200
    assert r("GET", f"/api/interviews/{copy['interviewId']}")[1]["questions"][0]["media"]["status"] == "ready"


def test_the_reconciler_finishes_a_question_video_whose_events_were_lost(orgs, client, aws, webm, ports):
    iid = new_interview()
    mid = upload(client, iid, webm)
    assert process(client, aws, deliver=False) == 2
    assert r("GET", f"/api/interviews/{iid}/question-media/{mid}")[1]["status"] == "processing"
    later = dataclasses.replace(ports, clock=FixedClock(datetime.now(UTC) + timedelta(hours=1)))
    assert pipeline.reconcile(later) == 2  # both jobs' states, read from the workers' records
    assert r("GET", f"/api/interviews/{iid}/question-media/{mid}")[1]["status"] == "ready"


def test_an_upload_that_is_not_a_video_fails_with_its_reason(orgs, client, aws):
    iid = new_interview()
    mid = upload(client, iid, b"MZ" + bytes(4000))  # a program, declared as a WebM
    assert process(client, aws) == 0  # refused before any media job
    status, media = r("GET", f"/api/interviews/{iid}/question-media/{mid}")
    assert (status, media["status"], media["failure"]) == (200, "failed", "the file is not a video recording")
    status, refused = r("PUT", f"/api/interviews/{iid}", with_video(iid, mid))
    assert (status, refused["code"]) == (400, "media_failed")


def test_a_video_recorded_and_never_saved_is_swept_after_a_day(orgs, client, aws, webm, ports):
    iid = new_interview()
    kept = upload(client, iid, webm)
    process(client, aws)
    assert r("PUT", f"/api/interviews/{iid}", with_video(iid, kept))[0] == 200
    loose = upload(client, iid, webm)  # recorded in the builder, which was then left without saving
    process(client, aws)
    assert privacy.apply_retention(ports) == 0  # the same day: it may still be saved
    assert objects(client, MEDIA, f"org/acme/interview/{iid}/question-media/{loose}/")
    tomorrow = dataclasses.replace(ports, clock=FixedClock(datetime.now(UTC) + timedelta(days=1, minutes=1)))
    privacy.apply_retention(tomorrow)
    assert not objects(client, MEDIA, f"org/acme/interview/{iid}/question-media/{loose}/")
    assert not objects(client, UPLOADS, f"org/acme/interview/{iid}/question-media/{loose}/")
    assert r("GET", f"/api/interviews/{iid}/question-media/{loose}")[0] == 404
    # The saved one stays: its question uses it.
    assert r("GET", f"/api/interviews/{iid}")[1]["questions"][0]["media"]["status"] == "ready"


def test_a_question_video_is_transcribed_in_the_interviews_language(orgs, client, aws, webm):
    """A German interview: its question videos are transcribed in German too. The local recognizer
    knows English only, so here the video becomes ready with no transcript and captions that say why."""
    status, made = r("POST", "/api/interviews", {**INTERVIEW, "language": "de-DE"})
    assert status == 201, made
    iid = made["interviewId"]
    mid = upload(client, iid, webm)
    assert process(client, aws) == 2
    status, media = r("GET", f"/api/interviews/{iid}/question-media/{mid}")
    assert (media["status"], media["transcript"]) == ("ready", "")
    prefix = f"org/acme/interview/{iid}/question-media/{mid}/"
    document = json.loads(client("s3").get_object(Bucket=MEDIA, Key=f"{prefix}transcript.json")["Body"].read())
    assert "de-DE" in document["note"] and "English only" in document["note"]
    vtt = client("s3").get_object(Bucket=MEDIA, Key=f"{prefix}transcript.vtt")["Body"].read().decode()
    assert vtt.startswith("WEBVTT\n\nNOTE ") and "-->" not in vtt


def test_welcome_and_closing_videos_reach_the_candidate_and_follow_the_interview(orgs, client, aws, webm):
    """The recruiter's welcome and closing videos go through the same pipeline; candidates are invited once they
    play; the session carries their captioned links; a duplicate copies them; a save without them drops them."""
    iid = new_interview()
    intro, closing = upload(client, iid, webm), upload(client, iid, webm)
    greeted = {**INTERVIEW, "introMediaId": intro, "closingMediaId": closing}
    status, saved = r("PUT", f"/api/interviews/{iid}", greeted)
    assert status == 200 and saved["introVideo"]["mediaId"] == intro and saved["closingVideo"]["mediaId"] == closing
    status, early = r("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@example.com"}]})
    assert (status, early["code"]) == (409, "media_not_ready") and "welcome video" in early["message"]
    process(client, aws)
    status, inv = r("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@example.com"}]})
    assert status == 201, inv
    token = inv["items"][0]["inviteUrl"].split("#t=")[1]
    status, session = call(api.lambda_handler, "GET", "/api/c/session", token=token)
    assert status == 200
    for name, mid in (("introVideo", intro), ("closingVideo", closing)):
        links = session["interview"][name]
        assert urlparse(links["videoUrl"]).path.endswith(f"/question-media/{mid}/recording.mp4")
        assert urlparse(links["captionsUrl"]).path.endswith(f"/question-media/{mid}/transcript.vtt")

    # Another interview's video is refused; after the first invitation the videos still change (candidates do not
    # answer them), and a video dropped from the interview is deleted.
    other = new_interview()
    status, refused = r("PUT", f"/api/interviews/{other}", {**INTERVIEW, "introMediaId": intro})
    assert (status, refused["code"]) == (400, "media_not_found") and "welcome video" in refused["message"]
    status, copy = r("POST", f"/api/interviews/{iid}/duplicate")
    assert status == 201 and copy["introVideo"]["status"] == "ready" and copy["closingVideo"]["status"] == "ready"
    assert r("PUT", f"/api/interviews/{iid}", {**INTERVIEW, "introMediaId": intro})[0] == 200
    assert not objects(client, MEDIA, f"org/acme/interview/{iid}/question-media/{closing}/")
    assert objects(client, MEDIA, f"org/acme/interview/{iid}/question-media/{intro}/")
    status, session = call(api.lambda_handler, "GET", "/api/c/session", token=token)
    assert session["interview"]["closingVideo"] is None and session["interview"]["introVideo"] is not None
    assert r("GET", f"/api/interviews/{copy['interviewId']}")[1]["closingVideo"]["status"] == "ready"  # the copy keeps its own
