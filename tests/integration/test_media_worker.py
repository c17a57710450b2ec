"""The local media worker end to end, against a moto server: from a queued job
to the outputs in the media bucket and the EventBridge-shaped event."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import av
import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from oneway.adapters import mediaconvert, transcribe
from oneway.adapters.local_media import LocalMedia
from oneway.adapters.local_speech import LocalSpeech
from oneway.config import Settings
from oneway.domain import keys
from oneway.domain.errors import NotFound
from oneway.local.media_worker import MediaWorker
from oneway.ports import JobState, TranscodeRequest, TranscribeRequest
from tests.fixtures.media.synth import make_speech_webm, make_webm

FIXTURES = Path(__file__).parents[1] / "fixtures" / "media"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint, monkeypatch, request):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    config = Config(region_name=REGION, s3={"addressing_style": "path"})
    sqs = boto3.client("sqs", endpoint_url=moto_endpoint, config=config)
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, config=config)
    suffix = request.node.name.replace("_", "-")[-30:].strip("-").lower()
    settings = Settings(
        stack_prefix="oneway",
        region=REGION,
        uploads_bucket=f"up-{suffix}",
        media_bucket=f"media-{suffix}",
        local_media_queue_url=sqs.create_queue(QueueName=f"media-{suffix}")["QueueUrl"],
    )
    s3.create_bucket(Bucket=settings.uploads_bucket)
    s3.create_bucket(Bucket=settings.media_bucket)
    return sqs, s3, settings


class Events:
    """Collects what the worker hands to on_event."""

    def __init__(self, fail_first: int = 0):
        self.received: list[dict] = []
        self.fail_first = fail_first
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, event: dict) -> None:
        with self.lock:
            self.calls += 1
            if self.calls <= self.fail_first:
                raise RuntimeError("the event pump is not ready")
            self.received.append(event)

    def wait_for(self, count: int, timeout: float = 60.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.received)} events after {timeout} s, wanted {count}")


def take(n: int) -> keys.TakeRef:
    return keys.TakeRef(org_id="o1", interview_id="i1", candidate_id="c1", question_id="q1", take_id=f"t{n}")


def upload(s3, settings: Settings, ref: keys.TakeRef, path: Path) -> str:
    key = f"{ref.prefix}recording.webm"
    s3.upload_file(str(path), settings.uploads_bucket, key)
    return key


def requests(settings: Settings, ref: keys.TakeRef, key: str, token: str) -> tuple[TranscodeRequest, TranscribeRequest]:
    common = {
        "ref": ref,
        "input_bucket": settings.uploads_bucket,
        "input_key": key,
        "output_bucket": settings.media_bucket,
        "output_prefix": keys.media_prefix(ref),
        "idempotency_token": token,
    }
    return TranscodeRequest(**common), TranscribeRequest(**common, transcript_key=keys.transcript_key(ref))


def parse(event: dict) -> JobState | None:
    return mediaconvert.parse_event(event, "oneway") or transcribe.parse_event(event, "oneway")


def states_by_kind(events: list[dict]) -> dict[str, JobState]:
    """The job state each event says, by the job's kind ("video", "speech"); every event must say one."""
    states = [parse(e) for e in events]
    assert all(s is not None for s in states), events
    return {s.kind.value: s for s in states if s is not None}


def queued(sqs, settings: Settings) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=settings.local_media_queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def wait_until(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def worker_for(aws):
    started: list[MediaWorker] = []

    def start(events: Events, **options) -> MediaWorker:
        sqs, s3, settings = aws
        worker = MediaWorker(sqs, s3, settings, events, **options)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_a_take_is_transcoded_and_transcribed_once_with_aws_shaped_events(aws, worker_for, tmp_path):
    sqs, s3, settings = aws
    ref = take(1)
    key = upload(s3, settings, ref, make_speech_webm("please tell us about your last project", tmp_path / "answer.webm"))
    video_request, speech_request = requests(settings, ref, key, token="a" * 32)
    media, speech = LocalMedia(sqs, s3, settings), LocalSpeech(sqs, s3, settings)

    video_job = media.start_transcode(video_request)
    speech_job = speech.start_transcription(speech_request)
    # Starting again before the worker took the jobs (a repeated S3 event, or a retry after a
    # crash that may have lost the first message) queues them again; the worker still runs each once.
    assert media.start_transcode(video_request) == video_job
    assert speech.start_transcription(speech_request) == speech_job
    assert queued(sqs, settings) == 4
    assert media.job_state(video_job).status == speech.job_state(speech_job).status == "running"

    events = Events()
    worker = worker_for(events)
    received = events.wait_for(2)
    by_source = {e["source"]: e for e in received}

    video_event = by_source["aws.mediaconvert"]
    fixture = json.loads((FIXTURES / "mediaconvert_complete.json").read_text())
    assert set(video_event) == set(fixture)
    assert set(video_event["detail"]) <= set(fixture["detail"])
    video_state = parse(video_event)
    assert video_state is not None and video_state.status == "complete" and video_state.ref == ref
    assert video_state.job_id == video_job
    video_key, poster_key, audio_key = mediaconvert.output_keys(keys.media_prefix(ref))
    assert (video_state.video_key, video_state.poster_key, video_state.audio_key) == (video_key, poster_key, audio_key)
    assert audio_key == keys.audio_key(ref)
    s3.download_file(settings.media_bucket, video_key, str(tmp_path / "out.mp4"))
    with av.open(str(tmp_path / "out.mp4")) as rendition:
        assert rendition.duration is not None
        assert video_state.duration_seconds == pytest.approx(rendition.duration / 1e6, abs=0.05)
        assert rendition.streams.video[0].codec_context.name == "h264"
    # The audio-only rendition: AAC and nothing else, as long as the MP4.
    s3.download_file(settings.media_bucket, audio_key, str(tmp_path / "audio.m4a"))
    with av.open(str(tmp_path / "audio.m4a")) as audio:
        assert [(s.type, s.codec_context.name) for s in audio.streams] == [("audio", "aac")]
        assert audio.duration is not None and audio.duration / 1e6 == pytest.approx(video_state.duration_seconds, abs=0.1)

    speech_event = by_source["aws.transcribe"]
    fixture = json.loads((FIXTURES / "transcribe_completed.json").read_text())
    assert set(speech_event) == set(fixture) and set(speech_event["detail"]) == set(fixture["detail"])
    speech_state = parse(speech_event)
    assert speech_state is not None and speech_state.status == "complete" and speech_state.job_id == speech_job
    assert (speech_state.transcript_key, speech_state.captions_key) == (keys.transcript_key(ref), keys.captions_key(ref))

    def head(k: str) -> dict:
        return s3.head_object(Bucket=settings.media_bucket, Key=k)

    assert head(video_key)["ContentType"] == "video/mp4"
    assert head(poster_key)["ContentType"] == "image/jpeg"
    assert head(audio_key)["ContentType"] == "audio/mp4"
    transcript = json.loads(s3.get_object(Bucket=settings.media_bucket, Key=keys.transcript_key(ref))["Body"].read())
    assert transcript["jobName"] == speech_job and transcript["results"]["transcripts"][0]["transcript"]
    captions = s3.get_object(Bucket=settings.media_bucket, Key=keys.captions_key(ref))["Body"].read().decode()
    assert captions.startswith("WEBVTT")

    # The adapters read the recorded states, under the take's prefix (so erasure removes them).
    assert media.job_state(video_job) == video_state
    assert speech.job_state(speech_job) == speech_state
    job_objects = s3.list_objects_v2(Bucket=settings.media_bucket, Prefix=f"{keys.media_prefix(ref)}jobs/")["Contents"]
    assert len(job_objects) == 2

    # The same job message again (SQS delivers at least once): nothing is done or sent twice.
    wait_until(lambda: queued(sqs, settings) == 0 and worker.idle())
    assert len(events.received) == 2
    # Once a job ran, starting it again queues nothing at all.
    assert media.start_transcode(video_request) == video_job
    assert queued(sqs, settings) == 0
    mp4_modified = head(video_key)["LastModified"]
    message = {"jobId": video_job, "kind": "video", "stack": "oneway", "request": video_request.model_dump(mode="json")}
    sqs.send_message(QueueUrl=settings.local_media_queue_url, MessageBody=json.dumps(message))
    wait_until(lambda: queued(sqs, settings) == 0 and worker.idle())
    time.sleep(0.2)
    assert len(events.received) == 2
    assert head(video_key)["LastModified"] == mp4_modified

    worker.stop()
    assert not worker.is_alive()


def test_a_corrupt_recording_fails_both_jobs_with_a_message(aws, worker_for, tmp_path):
    sqs, s3, settings = aws
    ref = take(2)
    bad = tmp_path / "bad.webm"
    bad.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00garbage" * 500)
    key = upload(s3, settings, ref, bad)
    video_request, speech_request = requests(settings, ref, key, token="b" * 32)
    media, speech = LocalMedia(sqs, s3, settings), LocalSpeech(sqs, s3, settings)
    video_job, speech_job = media.start_transcode(video_request), speech.start_transcription(speech_request)

    events = Events()
    worker_for(events)
    received = events.wait_for(2)
    by_source = {e["source"]: e for e in received}
    assert by_source["aws.mediaconvert"]["detail"]["status"] == "ERROR"
    assert by_source["aws.mediaconvert"]["detail"]["errorMessage"].startswith("Unable to open input file [s3://")
    assert by_source["aws.transcribe"]["detail"]["TranscriptionJobStatus"] == "FAILED"
    states = states_by_kind(received)
    assert states["video"].status == states["speech"].status == "failed"
    assert states["video"].error and states["speech"].error
    assert states["video"].job_id == video_job and states["speech"].job_id == speech_job
    assert media.job_state(video_job).status == "failed"
    stored = s3.list_objects_v2(Bucket=settings.media_bucket, Prefix=keys.media_prefix(ref)).get("Contents", [])
    assert all(o["Key"].startswith(f"{keys.media_prefix(ref)}jobs/") for o in stored)  # no outputs, only job states


def test_an_event_that_could_not_be_delivered_is_sent_again(aws, worker_for, tmp_path):
    sqs, s3, settings = aws
    ref = take(3)
    key = upload(s3, settings, ref, make_webm(tmp_path / "short.webm", width=160, height=120, seconds=0.5))
    video_request, _ = requests(settings, ref, key, token="c" * 32)
    video_job = LocalMedia(sqs, s3, settings).start_transcode(video_request)

    events = Events(fail_first=1)
    worker_for(events, retry_seconds=0)
    (event,) = events.wait_for(1)
    assert events.calls == 2
    state = parse(event)
    assert state is not None and state.job_id == video_job and state.status == "complete"
    assert state.duration_seconds == pytest.approx(0.5, abs=0.1)


def test_a_missing_recording_fails_like_an_unreadable_one(aws, worker_for):
    sqs, s3, settings = aws
    ref = take(4)
    video_request, speech_request = requests(settings, ref, f"{ref.prefix}recording.webm", token="d" * 32)
    LocalMedia(sqs, s3, settings).start_transcode(video_request)
    LocalSpeech(sqs, s3, settings).start_transcription(speech_request)
    events = Events()
    worker_for(events)
    states = states_by_kind(events.wait_for(2))
    assert states["video"].status == states["speech"].status == "failed"
    assert states["video"].error and "(1010)" in states["video"].error


def test_a_job_of_an_erased_take_is_dropped(aws, worker_for, tmp_path):
    sqs, s3, settings = aws
    ref = take(5)
    key = upload(s3, settings, ref, make_webm(tmp_path / "gone.webm", width=160, height=120, seconds=0.5))
    video_request, _ = requests(settings, ref, key, token="e" * 32)
    LocalMedia(sqs, s3, settings).start_transcode(video_request)
    for o in s3.list_objects_v2(Bucket=settings.media_bucket, Prefix=ref.prefix)["Contents"]:  # the erasure
        s3.delete_object(Bucket=settings.media_bucket, Key=o["Key"])

    events = Events()
    worker = worker_for(events)
    wait_until(lambda: queued(sqs, settings) == 0 and worker.idle())
    assert events.received == []
    assert "Contents" not in s3.list_objects_v2(Bucket=settings.media_bucket, Prefix=ref.prefix)


def test_an_unknown_job_is_not_found(aws):
    sqs, s3, settings = aws
    with pytest.raises(NotFound):
        LocalMedia(sqs, s3, settings).job_state("oneway.o1.i1.c1.q1.t9.video-0a1b2c3d")
    with pytest.raises(NotFound):
        LocalSpeech(sqs, s3, settings).job_state("not-a-local-job")


def test_messages_that_are_not_jobs_are_dropped(aws, worker_for):
    sqs, _, settings = aws
    sqs.send_message(QueueUrl=settings.local_media_queue_url, MessageBody="{not json")
    sqs.send_message(QueueUrl=settings.local_media_queue_url, MessageBody=json.dumps({"kind": "video", "jobId": "x"}))
    events = Events()
    worker = worker_for(events)
    wait_until(lambda: queued(sqs, settings) == 0 and worker.idle())
    assert events.received == []


def test_stop_finishes_the_running_job_and_returns_waiting_ones_to_the_queue(aws, tmp_path, monkeypatch):
    sqs, s3, settings = aws
    import oneway.local.media_worker as worker_module

    started, release = threading.Event(), threading.Event()
    real_transcode = worker_module.transcode

    def slow_transcode(*args):
        started.set()
        release.wait(10)
        return real_transcode(*args)

    monkeypatch.setattr(worker_module, "transcode", slow_transcode)
    clip = make_webm(tmp_path / "clip.webm", width=160, height=120, seconds=0.5)
    media = LocalMedia(sqs, s3, settings)
    for n in (6, 7):
        ref = take(n)
        media.start_transcode(requests(settings, ref, upload(s3, settings, ref, clip), token=f"{n}" * 32)[0])

    events = Events()
    worker = MediaWorker(sqs, s3, settings, events)
    worker.start()
    assert started.wait(10)
    wait_until(lambda: not worker.idle() and worker._pending == 2)  # one running, one waiting behind it
    threading.Timer(0.3, release.set).start()
    worker.stop()

    assert len(events.received) == 1  # the running job finished and reported
    waiting = sqs.get_queue_attributes(QueueUrl=settings.local_media_queue_url, AttributeNames=["ApproximateNumberOfMessages"])
    assert waiting["Attributes"]["ApproximateNumberOfMessages"] == "1"  # the other is back on the queue
