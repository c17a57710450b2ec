"""The local stack's MediaConvert and Transcribe: a worker on the local media queue.

``LocalMedia`` and ``LocalSpeech`` put one message per job on the queue. The
worker downloads the recording, runs ``transcode`` or ``recognize``, uploads
the outputs where MediaConvert and Transcribe would put them, records the
job's state, and hands ``on_event`` the EventBridge event that AWS would
send, so ``mediaconvert.parse_event`` and ``transcribe.parse_event`` read
both alike.

Video and speech jobs run on one thread each, so a long transcode never
holds up a transcript, and the poll loop only waits for the queue. A job
that already finished and reported is never run or reported again, however
often its message arrives.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av
from botocore.exceptions import ClientError

from ..adapters import mediaconvert, transcribe
from ..adapters.local_media import audio_rendition, parse_job_id, status_key, transcode, transcode_audio
from ..adapters.local_speech import recognize
from ..config import Settings
from ..domain.models import JobKind, JobStatus
from ..ports import JobState, TranscodeRequest, TranscribeRequest

log = logging.getLogger(__name__)

ACCOUNT = "000000000000"
VISIBILITY_SECONDS = 900  # longer than any local job; a crash makes the job visible again after it
RETRY_EVENT_SECONDS = 5  # when on_event fails, the message comes back this soon


# --- the events AWS would send ------------------------------------------------------------


def _envelope(source: str, detail_type: str, region: str, resources: list[str], detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": resources,
        "detail": detail,
    }


def mediaconvert_event(
    job_id: str,
    region: str,
    user_metadata: dict[str, str],
    *,
    outputs: list[tuple[str, int, int, int]] | None = None,
    error: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """A "MediaConvert Job State Change" event: COMPLETE with ``outputs`` (s3 uri,
    duration ms, width, height; one file group each), or ERROR with ``error`` (code, message)."""
    detail: dict[str, Any] = {
        "timestamp": int(time.time() * 1000),
        "accountId": ACCOUNT,
        "queue": f"arn:aws:mediaconvert:{region}:{ACCOUNT}:queues/Default",
        "jobId": job_id,
        "status": "ERROR" if error else "COMPLETE",
        "userMetadata": user_metadata,
    }
    if error:
        detail["errorCode"], detail["errorMessage"] = error
    else:
        detail["outputGroupDetails"] = [
            {
                "outputDetails": [
                    {
                        "outputFilePaths": [uri],
                        "durationInMs": duration_ms,
                        # An audio-only output (width 0) has no video details.
                        **({"videoDetails": {"widthInPx": width, "heightInPx": height}} if width else {}),
                    }
                ],
                "type": "FILE_GROUP",
            }
            for uri, duration_ms, width, height in outputs or []
        ]
    resources = [f"arn:aws:mediaconvert:{region}:{ACCOUNT}:jobs/{job_id}"]
    return _envelope("aws.mediaconvert", mediaconvert.DETAIL_TYPE, region, resources, detail)


def transcribe_event(job_name: str, region: str, *, failure: str | None = None) -> dict[str, Any]:
    """A "Transcribe Job State Change" event: COMPLETED, or FAILED with ``failure``."""
    detail: dict[str, Any] = {"TranscriptionJobName": job_name, "TranscriptionJobStatus": "FAILED" if failure else "COMPLETED"}
    if failure:
        detail["FailureReason"] = failure
    return _envelope("aws.transcribe", transcribe.DETAIL_TYPE, region, [], detail)


# --- the worker ------------------------------------------------------------------------------


class MediaWorker(threading.Thread):
    """Polls the local media queue and runs its jobs until ``stop()``."""

    def __init__(
        self,
        sqs: Any,
        s3: Any,
        settings: Settings,
        on_event: Callable[[dict[str, Any]], Any],
        *,
        wait_seconds: int = 1,
        max_pending: int = 4,
        retry_seconds: int = RETRY_EVENT_SECONDS,
    ):
        super().__init__(name="oneway-media-worker", daemon=True)
        self.sqs = sqs
        self.s3 = s3
        self.settings = settings
        self.on_event = on_event
        self.wait_seconds = wait_seconds
        self.max_pending = max_pending
        self.retry_seconds = retry_seconds
        self._stopping = threading.Event()
        self._pending = 0
        self._jobs_lock = threading.RLock()
        self._queued: dict[Future, dict[str, Any]] = {}  # job futures and their messages, until done
        self._pools = {
            "video": ThreadPoolExecutor(max_workers=1, thread_name_prefix="oneway-video"),
            "speech": ThreadPoolExecutor(max_workers=1, thread_name_prefix="oneway-speech"),
        }

    # -- lifecycle

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.poll_once()
            except Exception:  # the queue may be briefly unreachable; keep the loop alive
                log.exception("media worker: polling the queue failed")
                self._stopping.wait(1.0)

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop polling, let running jobs finish, and put jobs not yet started back on the queue."""
        self._stopping.set()
        for pool in self._pools.values():  # first, so no waiting job starts while we stop
            pool.shutdown(wait=False, cancel_futures=True)
        if self.is_alive():
            self.join(timeout)
        for pool in self._pools.values():
            pool.shutdown(wait=True)
        with self._jobs_lock:
            waiting = [message for future, message in self._queued.items() if future.cancelled()]
            self._queued.clear()
        for message in waiting:  # jobs that never started go back on the queue at once
            self._release(message)

    def idle(self) -> bool:
        with self._jobs_lock:
            return self._pending == 0

    # -- polling

    def poll_once(self) -> int:
        """Receive a few messages and hand their jobs to the video and speech threads."""
        with self._jobs_lock:
            room = self.max_pending - self._pending
        if room <= 0:  # busy: leave messages on the queue rather than in memory
            self._stopping.wait(0.2)
            return 0
        response = self.sqs.receive_message(
            QueueUrl=self.settings.local_media_queue_url,
            MaxNumberOfMessages=min(room, 10),
            WaitTimeSeconds=self.wait_seconds,
            VisibilityTimeout=VISIBILITY_SECONDS,
        )
        messages = response.get("Messages", [])
        if not messages and not self.wait_seconds:  # no long poll to wait in: do not spin on the queue
            self._stopping.wait(0.2)
        for message in messages:
            try:
                body = json.loads(message["Body"])
                kind = body["kind"]
                pool = self._pools[kind]
                if parse_job_id(body["jobId"]) is None:
                    raise ValueError(f"not a local job id: {body['jobId']!r}")
            except (ValueError, KeyError, TypeError) as error:
                log.warning("media worker: dropping a message that is not a job (%s)", error)
                self._ack(message)
                continue
            with self._jobs_lock:
                try:
                    future = pool.submit(self._run_guarded, body, message)
                except RuntimeError:  # stopping: the pools take no more work
                    self._release(message)
                    continue
                self._pending += 1
                self._queued[future] = message
                future.add_done_callback(self._forget)
        return len(messages)

    def _forget(self, future: Future) -> None:
        if not future.cancelled():
            with self._jobs_lock:
                self._queued.pop(future, None)

    def _run_guarded(self, body: dict[str, Any], message: dict[str, Any]) -> None:
        try:
            self.run_job(body, message)
        except Exception:
            log.exception("media worker: job %s could not be run", body.get("jobId"))
        finally:
            with self._jobs_lock:
                self._pending -= 1

    # -- one job

    def run_job(self, body: dict[str, Any], message: dict[str, Any] | None = None) -> None:
        job_id, kind = body["jobId"], body["kind"]
        bucket = body["request"]["output_bucket"]
        record = self._read_status(bucket, job_id)
        if record is None:
            # Every start records the job before queueing it: no record means the take was erased.
            log.info("media worker: job %s has no record (erased?); dropped", job_id)
            self._ack(message)
            return
        if record.get("phase") == "CANCELED":
            log.info("media worker: job %s was canceled; dropped", job_id)
            self._ack(message)
            return
        if record.get("phase") in ("COMPLETE", "ERROR"):
            if not record.get("delivered"):
                self._deliver(bucket, job_id, record, message)  # done earlier, but its event did not get through
            else:
                self._ack(message)  # a repeat of a finished job: nothing to do
            return

        running = JobState(job_id=job_id, kind=kind, status=JobStatus.running, ref=body["request"]["ref"])
        self._write_status(bucket, job_id, {"phase": "PROGRESSING", "state": running.model_dump(mode="json")})
        with tempfile.TemporaryDirectory(prefix=f"oneway-{kind}-") as tmp:
            if kind == JobKind.video:
                request = TranscodeRequest.model_validate(body["request"])
                state, event, outputs = self._transcode(job_id, request, body.get("stack"), Path(tmp))
            else:
                request = TranscribeRequest.model_validate(body["request"])
                state, event, outputs = self._recognize(job_id, request, Path(tmp))
            now = self._read_status(bucket, job_id)
            if now is None or now.get("phase") == "CANCELED":
                log.info("media worker: job %s was canceled or erased while it ran; outputs dropped", job_id)
                self._ack(message)
                return
            for key, path, content_type in outputs:
                self.s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": content_type})
        record = {
            "phase": "COMPLETE" if state.status == JobStatus.complete else "ERROR",
            "state": state.model_dump(mode="json"),
            "event": event,
            "delivered": False,
        }
        self._write_status(bucket, job_id, record)
        self._deliver(bucket, job_id, record, message)

    def _deliver(self, bucket: str, job_id: str, record: dict[str, Any], message: dict[str, Any] | None) -> None:
        try:
            self.on_event(record["event"])
        except Exception:
            log.exception("media worker: on_event failed for %s; it will be sent again", job_id)
            if message is not None:
                self.sqs.change_message_visibility(
                    QueueUrl=self.settings.local_media_queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=self.retry_seconds,
                )
            return
        # Not after an erasure that came meanwhile (the record went with the take's prefix): no record comes back.
        if self._read_status(bucket, job_id) is not None:
            self._write_status(bucket, job_id, {**record, "delivered": True})
        self._ack(message)

    def _transcode(
        self, job_id: str, request: TranscodeRequest, stack: str | None, tmp: Path
    ) -> tuple[JobState, dict[str, Any], list[tuple[str, Path, str]]]:
        region = self.settings.region
        metadata = mediaconvert.user_metadata(stack or self.settings.stack_prefix, request.ref)
        video_key, poster_key, audio_key = mediaconvert.output_keys(request.output_prefix)
        mp4, jpg, m4a = tmp / "out.mp4", tmp / "poster.jpg", tmp / "audio.m4a"
        if request.audio_only:
            return self._transcode_audio(job_id, request, metadata, audio_key, m4a, tmp)
        try:
            duration = transcode(self._download(request, tmp), mp4, jpg)
            audio_ms = round(audio_rendition(mp4, m4a) * 1000)
            with av.open(str(mp4)) as probe:
                width, height = probe.streams.video[0].width, probe.streams.video[0].height
        except Exception as error:
            return _unreadable(job_id, region, request, metadata, error)
        duration_ms = round(duration * 1000)
        files = [
            (f"s3://{request.output_bucket}/{video_key}", duration_ms, width, height),
            (f"s3://{request.output_bucket}/{poster_key}", duration_ms, width, height),
            (f"s3://{request.output_bucket}/{audio_key}", audio_ms, 0, 0),
        ]
        state = JobState(
            job_id=job_id,
            kind=JobKind.video,
            status=JobStatus.complete,
            ref=request.ref,
            video_key=video_key,
            poster_key=poster_key,
            audio_key=audio_key,
            duration_seconds=duration_ms / 1000,
        )
        outputs = [(video_key, mp4, "video/mp4"), (poster_key, jpg, "image/jpeg"), (audio_key, m4a, "audio/mp4")]
        return state, mediaconvert_event(job_id, region, metadata, outputs=files), outputs

    def _transcode_audio(
        self, job_id: str, request: TranscodeRequest, metadata: dict[str, str], audio_key: str, m4a: Path, tmp: Path
    ) -> tuple[JobState, dict[str, Any], list[tuple[str, Path, str]]]:
        """A sound-only answer: MediaConvert's audio-only job, one output (the .m4a), no MP4 and no poster."""
        region = self.settings.region
        try:
            audio_ms = round(transcode_audio(self._download(request, tmp), m4a) * 1000)
        except Exception as error:
            return _unreadable(job_id, region, request, metadata, error)
        files = [(f"s3://{request.output_bucket}/{audio_key}", audio_ms, 0, 0)]
        state = JobState(
            job_id=job_id,
            kind=JobKind.video,
            status=JobStatus.complete,
            ref=request.ref,
            audio_key=audio_key,
            duration_seconds=audio_ms / 1000,
        )
        return state, mediaconvert_event(job_id, region, metadata, outputs=files), [(audio_key, m4a, "audio/mp4")]

    def _recognize(
        self, job_id: str, request: TranscribeRequest, tmp: Path
    ) -> tuple[JobState, dict[str, Any], list[tuple[str, Path, str]]]:
        region = self.settings.region
        try:
            document, vtt = recognize(str(self._download(request, tmp)), job_id, request.language)
        except Exception as error:
            reason = f"The media file could not be read: {_reason(error)}"
            event = transcribe_event(job_id, region, failure=reason)
            return JobState(job_id=job_id, kind=JobKind.speech, status=JobStatus.failed, ref=request.ref, error=reason), event, []
        # Where Transcribe puts them: the transcript at OutputKey, the subtitles beside it as .vtt.
        vtt_key = request.transcript_key.removesuffix(".json") + ".vtt"
        transcript_path, vtt_path = tmp / "transcript.json", tmp / "transcript.vtt"
        transcript_path.write_text(json.dumps(document))
        vtt_path.write_text(vtt)
        state = JobState(
            job_id=job_id,
            kind=JobKind.speech,
            status=JobStatus.complete,
            ref=request.ref,
            transcript_key=request.transcript_key,
            captions_key=vtt_key,
        )
        outputs = [(request.transcript_key, transcript_path, "application/json"), (vtt_key, vtt_path, "text/vtt")]
        return state, transcribe_event(job_id, region), outputs

    # -- storage

    def _download(self, request: TranscodeRequest, tmp: Path) -> Path:
        path = tmp / ("input-" + request.input_key.rsplit("/", 1)[-1])
        self.s3.download_file(request.input_bucket, request.input_key, str(path))
        return path

    def _read_status(self, bucket: str, job_id: str) -> dict[str, Any] | None:
        try:
            return json.loads(self.s3.get_object(Bucket=bucket, Key=status_key(job_id))["Body"].read())
        except self.s3.exceptions.NoSuchKey:
            return None

    def _write_status(self, bucket: str, job_id: str, record: dict[str, Any]) -> None:
        self.s3.put_object(
            Bucket=bucket,
            Key=status_key(job_id),
            Body=json.dumps(record).encode(),
            ContentType="application/json",
        )

    def _release(self, message: dict[str, Any]) -> None:
        try:
            self.sqs.change_message_visibility(
                QueueUrl=self.settings.local_media_queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        except Exception:
            log.warning("media worker: could not release a job; it returns after its visibility timeout")

    def _ack(self, message: dict[str, Any] | None) -> None:
        if message is None:
            return
        self.sqs.delete_message(QueueUrl=self.settings.local_media_queue_url, ReceiptHandle=message["ReceiptHandle"])



def _unreadable(
    job_id: str, region: str, request: TranscodeRequest, metadata: dict[str, str], error: Exception
) -> tuple[JobState, dict[str, Any], list[tuple[str, Path, str]]]:
    """A transcode whose input could not be read, answered like MediaConvert: error 1010 when the input cannot be
    opened or read (1999 otherwise), and no outputs."""
    code = 1010 if isinstance(error, (av.FFmpegError, ClientError)) else 1999
    text = f"Unable to open input file [s3://{request.input_bucket}/{request.input_key}]: [{_reason(error)}]"
    event = mediaconvert_event(job_id, region, metadata, error=(code, text))
    return JobState(job_id=job_id, kind=JobKind.video, status=JobStatus.failed, ref=request.ref, error=f"{text} ({code})"), event, []

def _reason(error: Exception) -> str:
    """The cause without this machine's temporary paths."""
    if isinstance(error, av.FFmpegError):
        return error.strerror or type(error).__name__
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Message") or "the recording could not be read"
    return str(error) or type(error).__name__
