"""A sound-only answer through the handlers on moto and the real local media worker: the candidate's take is
declared sound only, the WebM/Opus (or Safari's MP4/AAC) upload passes the checks, the worker makes the
audio-only rendition alone and a transcript with captions, and the answer is ready for review with its form."""

from __future__ import annotations

import json
from urllib.parse import unquote, urlparse

import av
import pytest

from oneway.config import settings
from oneway.domain.models import Role
from oneway.handlers import api, on_media_event
from oneway.local.gateway import LambdaContext
from oneway.local.media_worker import MediaWorker
from oneway.service import identity
from tests.fixtures.media.synth import make_speech_audio
from tests.integration.test_pipeline import drain_uploads, media_jobs
from tests.support.events import call

CTX = LambdaContext("test")
WORDS = "please tell us about the last pump you repaired"
INTERVIEW = {
    "title": "Field engineer",
    "questions": [{"prompt": "Tell us about a repair", "kind": "video", "answerSeconds": 60}],
    "allowAudioAnswers": True,
}


@pytest.fixture
def candidate(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    _, made = call(api.lambda_handler, "POST", "/api/interviews", INTERVIEW, sub="alice")
    _, inv = call(api.lambda_handler, "POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Ada", "email": "ada@example.com"}]}, sub="alice")
    item = inv["items"][0]
    token = item["inviteUrl"].split("#t=")[1]
    assert call(api.lambda_handler, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
    return token, item["candidateId"]


@pytest.mark.parametrize(("container", "content_type"), [("webm", "audio/webm;codecs=opus"), ("mp4", "audio/mp4")])
def test_a_sound_only_answer_is_ready_for_review_with_its_audio_transcript_and_captions(candidate, client, aws, tmp_path, container, content_type):
    token, cid = candidate
    data = make_speech_audio(WORDS, tmp_path / f"answer.{container}", container=container).read_bytes()

    def c(method, path, body=None):
        return call(api.lambda_handler, method, path, body, token=token)

    status, take = c("POST", "/api/c/questions/q1/takes", {"form": "audio", "uplinkKbps": 310})
    assert status == 201 and take["form"] == "audio"
    base = f"/api/c/questions/q1/takes/{take['takeId']}"
    status, ticket = c("POST", f"{base}/upload", {"contentType": content_type, "size": len(data)})
    assert status == 200, ticket
    path = unquote(urlparse(ticket["parts"][0]["url"]).path)  # path-style or virtual-hosted: the key ends the path
    key = path[path.index("org/") :]
    assert key.endswith(f"/take/{take['takeId']}/recording.{container}")
    etag = client("s3").upload_part(Bucket="oneway-uploads", Key=key, UploadId=ticket["uploadId"], PartNumber=1, Body=data)["ETag"]
    assert c("POST", f"{base}/complete", {"parts": [{"partNumber": 1, "etag": etag}]})[0] == 200
    assert c("POST", "/api/c/complete")[0] == 200

    drain_uploads(client, aws)
    jobs = media_jobs(client, aws)
    assert sorted(j["kind"] for j in jobs) == ["speech", "video"]
    assert next(j for j in jobs if j["kind"] == "video")["request"]["audio_only"] is True

    # The real worker runs both jobs and hands AWS-shaped events to the real on_media_event.
    worker = MediaWorker(client("sqs"), client("s3"), settings(), lambda event: on_media_event.lambda_handler(event, CTX))
    for job in jobs:
        worker.run_job(job)

    status, detail = call(api.lambda_handler, "GET", f"/api/candidates/{cid}", sub="alice")
    assert status == 200 and detail["status"] == "ready"
    (answer,) = detail["answers"]
    assert answer["status"] == "ready" and (answer["form"], answer["uplinkKbps"]) == ("audio", 310)
    assert answer["videoUrl"] is None and answer["posterUrl"] is None and "recording-audio.m4a" in answer["audioUrl"]
    assert answer["transcript"] and answer["durationSeconds"] == pytest.approx(len_seconds(data, tmp_path), abs=0.3)
    assert answer["captionsUrl"]

    # The rendition is AAC alone, and no MP4 or poster was made.
    prefix = next(j for j in jobs if j["kind"] == "video")["request"]["output_prefix"]
    names = {o["Key"].rsplit("/", 1)[1] for o in client("s3").list_objects_v2(Bucket="oneway-media", Prefix=prefix)["Contents"]}
    assert "recording-audio.m4a" in names and "transcript.vtt" in names and not {"recording.mp4", "recording.0000000.jpg"} & names
    client("s3").download_file("oneway-media", f"{prefix}recording-audio.m4a", str(tmp_path / "out.m4a"))
    with av.open(str(tmp_path / "out.m4a")) as audio:
        assert [(s.type, s.codec_context.name) for s in audio.streams] == [("audio", "aac")]
    captions = client("s3").get_object(Bucket="oneway-media", Key=f"{prefix}transcript.vtt")["Body"].read().decode()
    assert captions.startswith("WEBVTT") and "-->" in captions
    transcript = json.loads(client("s3").get_object(Bucket="oneway-media", Key=f"{prefix}transcript.json")["Body"].read())
    assert transcript["results"]["transcripts"][0]["transcript"] == answer["transcript"]


def len_seconds(data: bytes, tmp_path) -> float:
    path = tmp_path / "probe.bin"
    path.write_bytes(data)
    with av.open(str(path)) as f:
        stream = f.streams.audio[0]
        return sum(float(frame.samples) for frame in f.decode(stream)) / stream.rate
