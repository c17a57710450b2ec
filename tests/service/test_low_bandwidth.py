"""Low-bandwidth answers, on the in-memory ports: the device check's uplink probe, the form a take is recorded
in (standard, reduced, sound only), the interview's permission for sound-only answers, the upload bound of each
form, the checks after upload, the media job a sound-only answer gets, and what reviewers are shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneway.domain.models import AnswerForm, JobKind, JobStatus
from oneway.ports import JobState
from oneway.service import pipeline
from oneway.service.limits import recording_limit
from tests.service.test_review_fairness import h, ok, org  # noqa: F401  (org is a fixture)
from tests.support.events import call

pytestmark = pytest.mark.usefixtures("org")
ANSWER_SECONDS = 120


def interview(allow_audio: bool) -> dict:
    return {
        "title": "Field engineer",
        "questions": [{"prompt": "Tell us about a repair", "kind": "video", "answerSeconds": ANSWER_SECONDS, "maxTakes": 3}],
        "allowAudioAnswers": allow_audio,
    }


def invite(allow_audio: bool) -> tuple[str, str, str]:
    """(interview id, candidate id, token) of a consented candidate."""
    iid = ok("POST", "/api/interviews", interview(allow_audio), expect=201)["interviewId"]
    (item,) = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada Lovelace", "email": "ada@x.test"}]}, expect=201)["items"]
    token = item["inviteUrl"].split("#t=")[1]
    assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
    return iid, item["candidateId"], token


def test_the_interview_setting_is_off_by_default_and_saved_and_shown_to_candidates():
    plain = interview(False)
    del plain["allowAudioAnswers"]
    iid = ok("POST", "/api/interviews", plain, expect=201)["interviewId"]
    assert ok("GET", f"/api/interviews/{iid}")["allowAudioAnswers"] is False
    ok("PUT", f"/api/interviews/{iid}", {**plain, "allowAudioAnswers": True})
    assert ok("GET", f"/api/interviews/{iid}")["allowAudioAnswers"] is True
    _, _, token = invite(True)
    assert call(h, "GET", "/api/c/session", token=token)[1]["allowAudioAnswers"] is True
    # A template keeps the setting, as it keeps blind review.
    made = ok("POST", "/api/interview-templates", {**interview(True), "name": "Field roles"}, expect=201)
    assert made["allowAudioAnswers"] is True
    (listed,) = [t for t in ok("GET", "/api/interview-templates")["items"] if t["templateId"] == made["templateId"]]
    assert listed["allowAudioAnswers"] is True


def test_a_take_records_its_form_and_a_sound_only_take_is_refused_where_the_interview_wants_video(ports):
    _, _, token = invite(False)
    status, refused = call(h, "POST", "/api/c/questions/q1/takes", {"form": "audio", "uplinkKbps": 300}, token=token)
    assert (status, refused["code"]) == (409, "audio_not_allowed")
    # Refused before counting: no take was used.
    assert call(h, "GET", "/api/c/session", token=token)[1]["questions"][0]["takesUsed"] == 0
    status, take = call(h, "POST", "/api/c/questions/q1/takes", {"form": "reduced", "uplinkKbps": 900}, token=token)
    assert status == 201 and take["form"] == "reduced"
    # No body at all: a standard take, as before.
    status, plain = call(h, "POST", "/api/c/questions/q1/takes", token=token)
    assert status == 201 and plain["form"] == "standard"
    assert call(h, "POST", "/api/c/questions/q1/takes", {"form": "grainy"}, token=token)[0] == 422


def test_each_form_has_its_own_upload_bound(ports):
    standard, reduced, audio = (recording_limit(ports, ANSWER_SECONDS, f) for f in AnswerForm)
    assert audio < reduced < standard
    assert audio <= ANSWER_SECONDS * 256_000 // 8 + 2**20  # two minutes of sound: a few MiB, not hundreds
    _, _, token = invite(True)
    for form, limit, content_type in (("audio", audio, "audio/webm;codecs=opus"), ("reduced", reduced, "video/webm")):
        tid = call(h, "POST", "/api/c/questions/q1/takes", {"form": form}, token=token)[1]["takeId"]
        path = f"/api/c/questions/q1/takes/{tid}/upload"
        status, error = call(h, "POST", path, {"contentType": content_type, "size": limit + 1}, token=token)
        assert (status, error["code"]) == (413, "recording_too_large"), form
        assert call(h, "POST", path, {"contentType": content_type, "size": limit}, token=token)[0] == 200


def test_a_sound_only_take_is_uploaded_as_audio_and_a_video_type_is_refused():
    _, _, token = invite(True)
    tid = call(h, "POST", "/api/c/questions/q1/takes", {"form": "audio"}, token=token)[1]["takeId"]
    path = f"/api/c/questions/q1/takes/{tid}/upload"
    status, error = call(h, "POST", path, {"contentType": "video/webm", "size": 1000}, token=token)
    assert (status, error["code"]) == (400, "unsupported_media_type")
    for content_type in ("audio/webm;codecs=opus", "audio/mp4"):
        assert call(h, "POST", path, {"contentType": content_type, "size": 1000}, token=token)[0] == 200


def test_the_uplink_probe_is_a_presigned_put_of_a_fixed_size_outside_the_recordings():
    _, cid, token = invite(False)
    status, probe = call(h, "POST", "/api/c/uplink-probe", token=token)
    assert status == 200 and 100_000 <= probe["bytes"] <= 1_000_000
    assert f"/uploads/probe/acme/{cid}/" in probe["url"] and f"length={probe['bytes']}" in probe["url"]
    assert call(h, "POST", "/api/c/uplink-probe", token="not-a-token")[0] == 401


@pytest.fixture(scope="module")
def recordings(tmp_path_factory) -> dict[str, bytes]:
    from tests.fixtures.media.synth import make_audio_webm, make_webm, tone

    tmp: Path = tmp_path_factory.mktemp("low-bandwidth")
    return {
        "audio.webm": make_audio_webm(tmp / "a.webm", tone(1.0)).read_bytes(),
        "audio.mp4": make_audio_webm(tmp / "a.mp4", tone(1.0), container="mp4").read_bytes(),
        "video.webm": make_webm(tmp / "v.webm", width=160, height=120, seconds=1.0).read_bytes(),
    }


def _upload(ports, token: str, content_type: str, data: bytes, form: str = "audio") -> tuple[str, str]:
    """Start a take, upload ``data`` as one part, complete it; (take id, stored key)."""
    tid = call(h, "POST", "/api/c/questions/q1/takes", {"form": form, "uplinkKbps": 320}, token=token)[1]["takeId"]
    base = f"/api/c/questions/q1/takes/{tid}"
    ticket = call(h, "POST", f"{base}/upload", {"contentType": content_type, "size": len(data)}, token=token)[1]
    ports.objects.uploads[ticket["uploadId"]][1] = ('"p1"', data)
    assert call(h, "POST", f"{base}/complete", {"parts": [{"partNumber": 1, "etag": '"p1"'}]}, token=token)[0] == 200
    (key,) = [k.removeprefix("uploads/") for k in ports.objects.objects if f"/take/{tid}/" in k]
    return tid, key


@pytest.mark.parametrize(("name", "content_type"), [("audio.webm", "audio/webm"), ("audio.mp4", "audio/mp4")])
def test_a_sound_only_recording_is_accepted_and_gets_the_audio_only_job_and_a_transcript(ports, recordings, name, content_type):
    _, cid, token = invite(True)
    _, key = _upload(ports, token, content_type, recordings[name])
    upload = pipeline.UploadedObject(bucket=ports.settings.uploads_bucket, key=key)
    assert pipeline.start_processing(ports, upload) == pipeline.Outcome.started
    (transcode,) = ports.media.requests
    (transcribe,) = ports.speech.requests
    assert transcode.audio_only and transcribe.input_key == key
    # The job ends with the audio-only rendition alone: the answer is ready, with no video and no poster.
    take = ports.store.get_take(transcode.ref)
    audio_key = f"{transcode.output_prefix}recording-audio.m4a"
    pipeline.record_media_result(
        ports, JobState(job_id=take.video_job_id, kind=JobKind.video, status=JobStatus.complete, ref=transcode.ref, audio_key=audio_key, duration_seconds=1.0)
    )
    ports.objects.objects[f"media/{transcribe.transcript_key}"] = b'{"results": {"transcripts": [{"transcript": "I fixed a pump."}]}}'
    pipeline.record_media_result(
        ports,
        JobState(
            job_id=take.speech_job_id, kind=JobKind.speech, status=JobStatus.complete, ref=transcode.ref,
            transcript_key=transcribe.transcript_key, captions_key=transcribe.transcript_key.replace(".json", ".vtt"),
        ),
    )  # fmt: skip
    (answer,) = ok("GET", f"/api/candidates/{cid}")["answers"]
    assert answer["status"] == "ready" and (answer["form"], answer["uplinkKbps"]) == ("audio", 320)
    assert answer["audioUrl"].endswith(audio_key) and answer["videoUrl"] is None and answer["posterUrl"] is None
    assert answer["transcript"] == "I fixed a pump." and answer["captionsUrl"].endswith(".vtt")
    # Saved copies of a sound-only answer are its .m4a: the manager's download and the candidate's own copy.
    saved = ok("POST", f"/api/candidates/{cid}/answers/q1/download")
    assert saved["filename"].endswith(".m4a") and audio_key in saved["url"]
    (copied,) = call(h, "GET", "/api/c/copy", token=token)[1]["answers"]
    assert copied["ready"] and copied["videoFilename"].endswith(".m4a") and audio_key in copied["videoUrl"]


def test_a_video_file_sent_as_a_sound_only_answer_is_refused(ports, recordings):
    _, cid, token = invite(True)
    _, key = _upload(ports, token, "audio/webm", recordings["video.webm"])
    upload = pipeline.UploadedObject(bucket=ports.settings.uploads_bucket, key=key)
    assert pipeline.start_processing(ports, upload) == pipeline.Outcome.quarantined
    assert not ports.media.requests and f"uploads/{key}" not in ports.objects.objects
    (answer,) = ok("GET", f"/api/candidates/{cid}")["answers"]
    assert "sound only" in answer["refused"]


def test_a_reduced_take_is_processed_as_video_and_labelled(ports, recordings):
    _, cid, token = invite(False)
    _, key = _upload(ports, token, "video/webm", recordings["video.webm"], form="reduced")
    assert pipeline.start_processing(ports, pipeline.UploadedObject(bucket=ports.settings.uploads_bucket, key=key)) == pipeline.Outcome.started
    (transcode,) = ports.media.requests
    assert not transcode.audio_only
    (answer,) = ok("GET", f"/api/candidates/{cid}")["answers"]
    assert answer["form"] == "reduced"
