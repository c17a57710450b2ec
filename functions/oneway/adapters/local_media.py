"""Media on this machine: PyAV renditions for the local stack.

``transcode`` does what the MediaConvert job settings ask of AWS (see
``adapters/mediaconvert.py``): an H.264/AAC MP4 of at most 864x486, never
upscaled, at a constant frame rate, moov first, and one JPEG poster;
``audio_rendition`` then copies the MP4's AAC track, untouched, into the
audio-only rendition (an ``.m4a``), as MediaConvert's audio-only output does;
a sound-only answer gets that rendition alone (``transcode_audio``).
``LocalMedia`` starts such jobs by putting a message on the local media
queue; ``local/media_worker.py`` runs them and records their state in a small
JSON object under the take's prefix, so erasing a candidate removes it too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from ..config import Settings
from ..domain.errors import NotFound
from ..domain.keys import MediaRef, media_prefix, ref_from_ids
from ..domain.models import JobKind
from ..ports import JobState, TranscodeRequest
from .mediaconvert import (
    AUDIO_BITRATE,
    AUDIO_SAMPLE_RATE,
    FRAMERATE,
    GOP_SECONDS,
    MAX_BITRATE,
    MAX_HEIGHT,
    MAX_WIDTH,
    POSTER_MAX_HEIGHT,
    POSTER_MAX_WIDTH,
)
from .transcribe import job_name

# Constant quality with a ceiling, like QVBR with a max bitrate; a keyframe every 2 s for seeking.
X264_OPTIONS = {
    "preset": "veryfast",
    "crf": "23",
    "maxrate": str(MAX_BITRATE),
    "bufsize": str(2 * MAX_BITRATE),
    "profile": "high",
    "g": str(GOP_SECONDS * FRAMERATE),
}
# MediaConvert captures the first frame; here a frame a second in, past a camera's dark start.
POSTER_AT_SECONDS = 1.0

# A job's phases in its status record: SUBMITTED and PROGRESSING until it ends (COMPLETE, ERROR or CANCELED).
RUNNING_PHASES = ("SUBMITTED", "PROGRESSING")


# --- the work ---------------------------------------------------------------------------


def fit_within(width: int, height: int, max_width: int = MAX_WIDTH, max_height: int = MAX_HEIGHT) -> tuple[int, int]:
    """The output size: the source scaled down to fit the box, never up, both sides even."""
    scale = min(1.0, max_width / width, max_height / height)
    w, h = round(width * scale), round(height * scale)
    return max(2, w - w % 2), max(2, h - h % 2)


@dataclass
class _Cfr:
    """Re-times variable-rate frames onto a constant-rate grid (drop or repeat)."""

    fps: Fraction
    t0: float
    next_index: int = 0
    last: av.VideoFrame | None = None

    def place(self, frame: av.VideoFrame, seconds: float) -> list[tuple[int, av.VideoFrame]]:
        target = round((seconds - self.t0) * self.fps)
        out: list[tuple[int, av.VideoFrame]] = []
        while self.last is not None and self.next_index < target:  # a gap: repeat the last frame
            out.append((self.next_index, self.last))
            self.next_index += 1
        if target >= self.next_index:
            out.append((self.next_index, frame))
            self.next_index += 1
        self.last = frame
        return out


def transcode(src_path: str | Path, dst_mp4_path: str | Path, poster_path: str | Path) -> float:
    """Transcode a recording to the review MP4 and a poster JPEG; return the duration in seconds.

    The duration comes from the decoded streams: Chrome's WebM has none in its header.
    """
    with av.open(str(src_path)) as src:
        if not src.streams.video:
            raise ValueError("the recording has no video stream")
        v_in = src.streams.video[0]
        v_in.thread_type = "AUTO"
        a_in = src.streams.audio[0] if src.streams.audio else None

        fps = Fraction(FRAMERATE)
        width, height = fit_within(v_in.codec_context.width, v_in.codec_context.height)

        with av.open(str(dst_mp4_path), mode="w", format="mp4", options={"movflags": "+faststart"}) as dst:
            v_out = dst.add_stream("libx264", rate=fps)
            v_out.width, v_out.height, v_out.pix_fmt = width, height, "yuv420p"
            v_out.codec_context.time_base = 1 / fps
            v_out.options = dict(X264_OPTIONS)
            a_out = None
            resampler = None
            if a_in is not None:
                a_out = dst.add_stream("aac", rate=AUDIO_SAMPLE_RATE)
                a_out.layout = "stereo"
                a_out.bit_rate = AUDIO_BITRATE
                resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_SAMPLE_RATE)

            # Both streams are placed on one clock that starts with the earliest of them.
            t0 = src.start_time / av.time_base if src.start_time is not None else 0.0
            cfr = _Cfr(fps=fps, t0=t0)
            poster: av.VideoFrame | None = None
            poster_index = round(POSTER_AT_SECONDS * fps)
            audio_end: int | None = None  # in samples from t0

            streams = [v_in] + ([a_in] if a_in is not None else [])
            for packet in src.demux(*streams):
                for frame in packet.decode():
                    if not isinstance(frame, (av.VideoFrame, av.AudioFrame)):
                        continue  # only the video and audio streams are demuxed
                    seconds = _seconds(frame)
                    if isinstance(frame, av.VideoFrame):
                        if seconds is None:
                            seconds = t0 + cfr.next_index / fps
                        scaled = frame.reformat(width=width, height=height, format="yuv420p", interpolation="BICUBIC")
                        for index, out_frame in cfr.place(scaled, seconds):
                            if poster is None or index == poster_index:
                                poster = out_frame
                            _encode_video(dst, v_out, out_frame, index, fps)
                    elif a_out is not None and resampler is not None:
                        if audio_end is None:
                            audio_end = max(0, round(((seconds or t0) - t0) * AUDIO_SAMPLE_RATE))
                        for out_audio in resampler.resample(frame):
                            audio_end = _encode_audio(dst, a_out, out_audio, audio_end)
            if poster is None:
                raise ValueError("the recording has no decodable video frames")
            if a_out is not None and resampler is not None:
                for out_audio in resampler.resample(None):
                    audio_end = _encode_audio(dst, a_out, out_audio, audio_end or 0)
                for packet in a_out.encode(None):
                    dst.mux(packet)
            for packet in v_out.encode(None):
                dst.mux(packet)

    _write_jpeg(poster, Path(poster_path))
    return max(float(cfr.next_index / fps), (audio_end or 0) / AUDIO_SAMPLE_RATE)


def audio_rendition(mp4_path: str | Path, dst_path: str | Path) -> float:
    """The audio-only rendition: the MP4's AAC packets copied into an MP4 container of their own
    (no re-encoding, no video stream); silence for a recording without sound. Returns its duration."""
    with av.open(str(mp4_path)) as src, av.open(str(dst_path), mode="w", format="mp4", options={"movflags": "+faststart"}) as dst:
        if not src.streams.audio:
            return _silence(dst, float(src.duration or 0) / av.time_base)
        a_in = src.streams.audio[0]
        a_out = dst.add_stream_from_template(a_in)
        end = 0.0
        for packet in src.demux(a_in):
            if packet.dts is None:  # the demuxer's flush packet
                continue
            packet.stream = a_out
            if packet.pts is not None and packet.time_base is not None:
                end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            dst.mux(packet)
        return end


def transcode_audio(src_path: str | Path, dst_path: str | Path) -> float:
    """A sound-only answer's rendition, as MediaConvert's audio-only job makes it: the recording's sound
    (Opus in WebM, or AAC in MP4) as stereo 48 kHz AAC in an MP4 container, moov first. Returns its duration."""
    with av.open(str(src_path)) as src, av.open(str(dst_path), mode="w", format="mp4", options={"movflags": "+faststart"}) as dst:
        if not src.streams.audio:
            raise ValueError("the recording has no audio stream")
        a_in = src.streams.audio[0]
        a_out = dst.add_stream("aac", rate=AUDIO_SAMPLE_RATE)
        a_out.layout, a_out.bit_rate = "stereo", AUDIO_BITRATE
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_SAMPLE_RATE)
        position = 0
        for frame in src.decode(a_in):
            for out in resampler.resample(frame):
                position = _encode_audio(dst, a_out, out, position)
        for out in resampler.resample(None):
            position = _encode_audio(dst, a_out, out, position)
        for packet in a_out.encode(None):
            dst.mux(packet)
    if position == 0:
        raise ValueError("the recording has no decodable sound")
    return position / AUDIO_SAMPLE_RATE


def _silence(dst: Any, seconds: float) -> float:
    stream = dst.add_stream("aac", rate=AUDIO_SAMPLE_RATE)
    stream.layout, stream.bit_rate = "stereo", AUDIO_BITRATE
    position, total, size = 0, max(1, round(seconds * AUDIO_SAMPLE_RATE)), 1024
    while position < total:
        frame = av.AudioFrame(format="fltp", layout="stereo", samples=min(size, total - position))
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate = AUDIO_SAMPLE_RATE
        position = _encode_audio(dst, stream, frame, position)
    for packet in stream.encode(None):
        dst.mux(packet)
    return total / AUDIO_SAMPLE_RATE


def _seconds(frame: av.VideoFrame | av.AudioFrame) -> float | None:
    if frame.pts is None or frame.time_base is None:
        return None
    return float(frame.pts * frame.time_base)


def _encode_video(dst: Any, stream: Any, frame: av.VideoFrame, index: int, fps: Fraction) -> None:
    frame.pts, frame.time_base = index, 1 / fps
    frame.pict_type = av.video.frame.PictureType.NONE  # let the encoder choose, even for repeats
    for packet in stream.encode(frame):
        dst.mux(packet)


def _encode_audio(dst: Any, stream: Any, frame: av.AudioFrame, position: int) -> int:
    frame.pts, frame.time_base = position, Fraction(1, AUDIO_SAMPLE_RATE)
    for packet in stream.encode(frame):
        dst.mux(packet)
    return position + frame.samples


def _write_jpeg(frame: av.VideoFrame, path: Path) -> None:
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    encoder.qscale = True  # fixed quality (like ffmpeg -q:v), not a bitrate
    encoder.global_quality = 3 * 118  # qscale 3 in lambda units
    width, height = fit_within(frame.width, frame.height, POSTER_MAX_WIDTH, POSTER_MAX_HEIGHT)
    image = frame.reformat(width=width, height=height, format="yuvj420p", interpolation="BICUBIC")
    encoder.width, encoder.height = image.width, image.height
    image.pts = 0
    data = b"".join(bytes(p) for p in encoder.encode(image)) + b"".join(bytes(p) for p in encoder.encode(None))
    path.write_bytes(data)


# --- jobs -------------------------------------------------------------------------------


def job_id_for(kind: JobKind, stack_prefix: str, ref: MediaRef, idempotency_token: str) -> str:
    """A deterministic job id that also says where the job's state is kept.

    Speech ids are Transcribe job names (``transcribe.job_name``), so the same
    ``parse_event`` reads the local worker's events; video ids add ``video-``
    before the hash, so they never parse as a transcription job.
    """
    name = job_name(stack_prefix, ref, idempotency_token)
    if kind == JobKind.speech:
        return name
    head, digest = name.rsplit(".", 1)
    return f"{head}.video-{digest}"


def parse_job_id(job_id: str) -> tuple[JobKind, str, MediaRef] | None:
    """``(kind, stack_prefix, ref)`` from a local job id, or None if it is not one."""
    prefix, *ids, tail = job_id.split(".") if job_id.count(".") >= 2 else ("", "")
    kind = JobKind.speech
    if tail.startswith("video-"):
        kind, tail = JobKind.video, tail.removeprefix("video-")
    if not prefix or len(tail) != 8 or any(c not in "0123456789abcdef" for c in tail):
        return None
    ref = ref_from_ids(ids)
    return (kind, prefix, ref) if ref is not None else None


def status_key(job_id: str) -> str:
    """Where the worker records a job's state: ``{media_prefix}jobs/{kind}-{hash}.json``."""
    parsed = parse_job_id(job_id)
    if parsed is None:
        raise NotFound(f"{job_id!r} is not a local media job id", "job_not_found")
    kind, _, ref = parsed
    return f"{media_prefix(ref)}jobs/{kind}-{job_id.rsplit('.', 1)[1].removeprefix('video-')}.json"


def local_clients(settings: Settings) -> tuple[Any, Any]:
    """SQS and S3 clients for the local stack (the endpoint comes from ``AWS_ENDPOINT_URL``)."""
    import boto3
    from botocore.config import Config

    config = Config(region_name=settings.region, s3={"addressing_style": "path"})
    return boto3.client("sqs", config=config), boto3.client("s3", config=config)


class LocalJobs:
    """Starting and reading local jobs: one queue message and one status object per job."""

    def __init__(self, sqs: Any, s3: Any, settings: Settings):
        self.sqs = sqs
        self.s3 = s3
        self.settings = settings

    def start(self, kind: JobKind, request: TranscodeRequest, extra: dict[str, Any]) -> str:
        job_id = job_id_for(kind, self.settings.stack_prefix, request.ref, request.idempotency_token)
        submitted = JobState(job_id=job_id, kind=kind, status="running", ref=request.ref)
        try:
            # Recorded first and only once: a repeated start finds it and sends nothing.
            self.s3.put_object(
                Bucket=request.output_bucket,
                Key=status_key(job_id),
                Body=json.dumps({"state": submitted.model_dump(mode="json"), "phase": "SUBMITTED"}).encode(),
                ContentType="application/json",
                IfNoneMatch="*",
            )
        except self.s3.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                raise
            # Started before. If it never got past SUBMITTED, its message may have been lost in a
            # crash right after the record was written: send it again (the worker runs a job once).
            if self._phase(request.output_bucket, job_id) != "SUBMITTED":
                return job_id
        message = {
            "jobId": job_id,
            "kind": kind,
            "stack": self.settings.stack_prefix,
            "request": request.model_dump(mode="json"),
            **extra,
        }
        self.sqs.send_message(QueueUrl=self.settings.local_media_queue_url, MessageBody=json.dumps(message))
        return job_id

    def _phase(self, bucket: str, job_id: str) -> str | None:
        try:
            return json.loads(self.s3.get_object(Bucket=bucket, Key=status_key(job_id))["Body"].read()).get("phase")
        except self.s3.exceptions.NoSuchKey:
            return None

    def cancel(self, job_id: str) -> None:
        """Like MediaConvert's CancelJob: a job not ended yet is marked CANCELED, and the worker
        drops it (before it starts, or before it writes any output); an ended or unknown one is left."""
        record = self._record(job_id)
        if record is not None and record.get("phase") in RUNNING_PHASES:
            self._put_record(job_id, {**record, "phase": "CANCELED"})

    def delete(self, job_id: str) -> bool:
        """Like Transcribe's DeleteTranscriptionJob: refused (False) while the job runs; its record goes once it ended."""
        record = self._record(job_id)
        if record is None:
            return True
        if record.get("phase") in RUNNING_PHASES:
            return False
        self.s3.delete_object(Bucket=self.settings.media_bucket, Key=status_key(job_id))
        return True

    def _record(self, job_id: str) -> dict[str, Any] | None:
        try:
            return json.loads(self.s3.get_object(Bucket=self.settings.media_bucket, Key=status_key(job_id))["Body"].read())
        except self.s3.exceptions.NoSuchKey:
            return None

    def _put_record(self, job_id: str, record: dict[str, Any]) -> None:
        body = json.dumps(record).encode()
        self.s3.put_object(Bucket=self.settings.media_bucket, Key=status_key(job_id), Body=body, ContentType="application/json")

    def state(self, job_id: str) -> JobState:
        key = status_key(job_id)
        try:
            body = self.s3.get_object(Bucket=self.settings.media_bucket, Key=key)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            raise NotFound(f"no local media job {job_id!r}", "job_not_found") from None
        return JobState.model_validate(json.loads(body)["state"])


class LocalMedia:
    """``Media`` for the local stack: the transcode runs in ``local/media_worker.py``."""

    def __init__(self, sqs: Any, s3: Any, settings: Settings):
        self.jobs = LocalJobs(sqs, s3, settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalMedia:
        return cls(*local_clients(settings), settings)

    def start_transcode(self, request: TranscodeRequest) -> str:
        return self.jobs.start(JobKind.video, request, {})

    def job_state(self, job_id: str) -> JobState:
        return self.jobs.state(job_id)

    def cancel_transcode(self, job_id: str) -> None:
        self.jobs.cancel(job_id)
