"""Media on AWS Elemental MediaConvert.

``job_request`` is the one place that says what a rendition is: an H.264/AAC
MP4 of at most 864x486 (never upscaled), at a constant frame rate, moov
first, an audio-only AAC rendition (for blind review: sound with no picture
to reach) and a JPEG poster. The local transcoder (``adapters/local_media.py``)
follows the same numbers and names its outputs the same way.

Every video output stays in MediaConvert's cheaper Basic pricing tier (docs/media.md,
docs/cost.md; ``infra/oneway_infra/cost/`` prices these very settings): AVC
with balanced single-pass encoding, no acceleration, no frame-rate conversion,
no preprocessors, on the on-demand queue. The audio-only output pays the
audio-only rate.

Job state changes reach Oneway through EventBridge; ``parse_event`` reads
them. The default bus carries every job of the account, so each job carries
the stack and the take in its UserMetadata, and events of other stacks are
ignored.
"""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..domain.errors import Busy
from ..domain.keys import MediaRef, QuestionMediaRef, TakeRef
from ..domain.models import JobKind, JobStatus
from ..ports import JobState, TranscodeRequest

# What a rendition is (shared with the local transcoder). A box below 720 lines
# keeps the MP4 in MediaConvert's SD price class, half the HD rate: 480p shows a
# face and a shared screen's large text clearly in the review page's player, and
# pays for the audio-only rendition of blind review within $0.05 per answered
# minute (docs/cost.md). 1280x720 would cost $0.0075 more per minute.
MAX_WIDTH = 864  # 16:9 exactly, both sides even: a 720p or 1080p camera fills it
MAX_HEIGHT = 486
# MediaConvert follows the source's rate: the browser records at most 30 fps
# (web/src/shared/media.ts), and a variable-rate WebM becomes constant-rate
# output at its average rounded to a standard rate (24, 30, ...). Converting to
# a rate of our choosing would be frame-rate conversion, a Professional-tier
# feature. The local transcoder re-times to this rate.
FRAMERATE = 30
QVBR_QUALITY_LEVEL = 7
# "Balanced" single-pass: the best quality the Basic tier allows (single-pass HQ
# and multi-pass HQ are Professional-tier).
QUALITY_TUNING_LEVEL = "SINGLE_PASS"
# A ceiling, not a target: the browser records 1.5 Mbit/s VP8/VP9 at 720p in real
# time; an offline H.264 encode of the same picture at 480p keeps its detail in 1 Mbit/s.
MAX_BITRATE = 1_000_000
# The browser records 96 kbit/s Opus; more AAC bits than that add nothing.
AUDIO_BITRATE = 96_000
AUDIO_SAMPLE_RATE = 48_000
GOP_SECONDS = 2
# The poster is shown only until playback starts: like the MP4, a box below 720
# lines keeps it in the SD price class, should MediaConvert bill a frame-capture output by
# the minute like a video output (the cost model assumes it does).
POSTER_MAX_WIDTH = MAX_WIDTH
POSTER_MAX_HEIGHT = MAX_HEIGHT

# How outputs are named: every group's Destination ends with the base name; MediaConvert adds an
# output's NameModifier, then its Extension (the container's by default: .mp4 for MP4), and
# ``.NNNNNNN.jpg`` (0-based) for frame captures. Each output has a File group of its own: a group of
# several outputs needs a NameModifier on each (CreateJob's Output.NameModifier), and one output per
# group keeps the names every stored answer already has.
OUTPUT_BASENAME = "recording"
VIDEO_SUFFIX = ".mp4"
POSTER_SUFFIX = ".0000000.jpg"
# The audio-only output: the same AAC as the MP4's, alone in an MP4 container named .m4a
# (keys.audio_key names the same object).
AUDIO_NAME_MODIFIER = "-audio"
AUDIO_EXTENSION = "m4a"
AUDIO_SUFFIX = f"{AUDIO_NAME_MODIFIER}.{AUDIO_EXTENSION}"
# The file extension MediaConvert gives each container when an output names none (Output.Extension).
_CONTAINER_EXTENSIONS = {"MP4": "mp4", "MOV": "mov", "M2TS": "m2ts", "MXF": "mxf", "WEBM": "webm", "GIF": "gif", "OGG": "ogg"}

DETAIL_TYPE = "MediaConvert Job State Change"
# CreateJob's "try again later": too many requests in too short a time, or a quota reached
# (https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html, errors of POST /jobs).
BUSY = {"TooManyRequestsException", "ServiceQuotaExceededException", "ThrottlingException"}
# CancelJob's answers for a job with nothing left to cancel (gone, or already ended).
CANCEL_NOTHING_LEFT = {"NotFoundException", "ConflictException", "BadRequestException"}
_REF_METADATA = {
    "org_id": "orgId",
    "interview_id": "interviewId",
    "candidate_id": "candidateId",
    "question_id": "questionId",
    "take_id": "takeId",
}


def output_keys(output_prefix: str) -> tuple[str, str, str]:
    """``(video_key, poster_key, audio_key)`` of a job whose outputs go under ``output_prefix``."""
    base = f"{output_prefix}{OUTPUT_BASENAME}"
    return f"{base}{VIDEO_SUFFIX}", f"{base}{POSTER_SUFFIX}", f"{base}{AUDIO_SUFFIX}"


# A question video a recruiter recorded: the interview's, no candidate.
_QUESTION_MEDIA_METADATA = {"org_id": "orgId", "interview_id": "interviewId", "media_id": "mediaId"}


def user_metadata(stack_prefix: str, ref: MediaRef) -> dict[str, str]:
    names = _QUESTION_MEDIA_METADATA if isinstance(ref, QuestionMediaRef) else _REF_METADATA
    metadata = {"stack": stack_prefix, **{key: getattr(ref, field) for field, key in names.items()}}
    if isinstance(ref, QuestionMediaRef) and ref.candidate_id:  # a follow-up question's video: the candidate's
        metadata["candidateId"] = ref.candidate_id
    return metadata


def ref_from_metadata(metadata: dict[str, str]) -> MediaRef | None:
    try:
        if "mediaId" in metadata:
            return QuestionMediaRef(
                **{field: metadata[key] for field, key in _QUESTION_MEDIA_METADATA.items()}, candidate_id=metadata.get("candidateId")
            )
        return TakeRef(**{field: metadata[key] for field, key in _REF_METADATA.items()})
    except KeyError:
        return None


def job_request(request: TranscodeRequest, settings: Settings) -> dict[str, Any]:
    """The CreateJob request for one take: the MP4 rendition, the audio-only rendition and the poster
    (for a sound-only answer, the audio-only rendition alone)."""
    destination = f"s3://{request.output_bucket}/{request.output_prefix}{OUTPUT_BASENAME}"
    aac = {
        "Codec": "AAC",
        "AacSettings": {
            "Bitrate": AUDIO_BITRATE,
            "CodingMode": "CODING_MODE_2_0",
            "SampleRate": AUDIO_SAMPLE_RATE,
            "CodecProfile": "LC",
            "RateControlMode": "CBR",
        },
    }
    mp4_output = {
        "ContainerSettings": {
            "Container": "MP4",
            "Mp4Settings": {"MoovPlacement": "PROGRESSIVE_DOWNLOAD", "CslgAtom": "INCLUDE", "FreeSpaceBox": "EXCLUDE"},
        },
        "VideoDescription": {
            # A box of MAX_WIDTH x MAX_HEIGHT: larger inputs shrink to fit it, smaller ones keep their size.
            "Width": MAX_WIDTH,
            "Height": MAX_HEIGHT,
            "ScalingBehavior": "FIT_NO_UPSCALE",
            "AntiAlias": "ENABLED",
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": {
                    "RateControlMode": "QVBR",
                    "QvbrSettings": {"QvbrQualityLevel": QVBR_QUALITY_LEVEL},
                    "MaxBitrate": MAX_BITRATE,
                    "QualityTuningLevel": QUALITY_TUNING_LEVEL,
                    "CodecProfile": "HIGH",
                    "CodecLevel": "AUTO",
                    # Browsers record at a variable rate; MediaConvert writes a constant one.
                    "FramerateControl": "INITIALIZE_FROM_SOURCE",
                    "GopSize": GOP_SECONDS,
                    "GopSizeUnits": "SECONDS",
                    "SceneChangeDetect": "TRANSITION_DETECTION",
                },
            },
        },
        "AudioDescriptions": [{"AudioSourceName": "Audio Selector 1", "CodecSettings": aac}],
    }
    # Audio-only: no VideoDescription, one audio description (MediaConvert's rule for audio-only
    # outputs); AAC in an MP4 container is one of the audio-only pairs it supports.
    audio_output = {
        "NameModifier": AUDIO_NAME_MODIFIER,
        "Extension": AUDIO_EXTENSION,
        "ContainerSettings": {"Container": "MP4", "Mp4Settings": {"MoovPlacement": "PROGRESSIVE_DOWNLOAD", "FreeSpaceBox": "EXCLUDE"}},
        "AudioDescriptions": [{"AudioSourceName": "Audio Selector 1", "CodecSettings": aac}],
    }
    poster_output = {
        "ContainerSettings": {"Container": "RAW"},
        "VideoDescription": {
            "Width": POSTER_MAX_WIDTH,
            "Height": POSTER_MAX_HEIGHT,
            "ScalingBehavior": "FIT_NO_UPSCALE",
            "CodecSettings": {
                "Codec": "FRAME_CAPTURE",
                "FrameCaptureSettings": {
                    "FramerateNumerator": 1,
                    "FramerateDenominator": 1,
                    "MaxCaptures": 1,
                    "Quality": 80,
                },
            },
        },
    }
    job_input: dict[str, Any] = {
        "FileInput": f"s3://{request.input_bucket}/{request.input_key}",
        "TimecodeSource": "ZEROBASED",
        "VideoSelector": {"Rotate": "AUTO"},
        "AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}},
    }
    # One output per File group: no group holds several outputs, so none needs a NameModifier
    # to tell its files apart (the audio-only output keeps its own for its name).
    groups = [
        _file_group("MP4", destination, mp4_output),
        _file_group("Audio", destination, audio_output),
        _file_group("Poster", destination, poster_output),
    ]
    if request.audio_only:
        # A sound-only answer (WebM/Opus or MP4/AAC, both in the audio-only input table:
        # https://docs.aws.amazon.com/mediaconvert/latest/ug/reference-codecs-containers-input-audio-only.html):
        # the audio-only output alone, and no video selector for an input with no picture. A job of
        # audio-only outputs only is an audio-only job
        # (https://docs.aws.amazon.com/mediaconvert/latest/ug/setting-up-audio-only.html), at the audio-only rate.
        del job_input["VideoSelector"]
        groups = [_file_group("Audio", destination, audio_output)]
    job_settings = {"TimecodeConfig": {"Source": "ZEROBASED"}, "Inputs": [job_input], "OutputGroups": groups}
    job: dict[str, Any] = {
        "Role": settings.mediaconvert_role_arn,
        "Settings": job_settings,
        # Acceleration is a Professional-tier feature that pays off for jobs of ten
        # minutes and more; an answer is a few minutes at most.
        "AccelerationSettings": {"Mode": "DISABLED"},
        "StatusUpdateInterval": "SECONDS_60",
        "UserMetadata": user_metadata(settings.stack_prefix, request.ref),
        # Within a minute MediaConvert answers a repeated token with the first job.
        "ClientRequestToken": request.idempotency_token[:64],
    }
    # Without a queue the job goes to the account's on-demand Default queue.
    if settings.mediaconvert_queue_arn:
        job["Queue"] = settings.mediaconvert_queue_arn
    return job


def _file_group(name: str, destination: str, output: dict[str, Any]) -> dict[str, Any]:
    return {
        "Name": name,
        "OutputGroupSettings": {"Type": "FILE_GROUP_SETTINGS", "FileGroupSettings": {"Destination": destination}},
        "Outputs": [output],
    }


def output_files(job_settings: dict[str, Any]) -> dict[str, str]:
    """The object key of each File-group output of a job's settings, by what it is: ``video``
    (a video output), ``poster`` (a frame capture, its first image) and ``audio`` (an output with no
    video). Read from the settings themselves, so a job made with other settings is read right."""
    found: dict[str, str] = {}
    for group in job_settings.get("OutputGroups") or []:
        destination = ((group.get("OutputGroupSettings") or {}).get("FileGroupSettings") or {}).get("Destination")
        if not destination:
            continue
        for output in group.get("Outputs") or []:
            base = _key_of(destination) + (output.get("NameModifier") or "")
            video = output.get("VideoDescription")
            if video and (video.get("CodecSettings") or {}).get("Codec") == "FRAME_CAPTURE":
                found.setdefault("poster", base + POSTER_SUFFIX)
                continue
            container = (output.get("ContainerSettings") or {}).get("Container", "MP4")
            extension = output.get("Extension") or _CONTAINER_EXTENSIONS.get(container, container.lower())
            found.setdefault("video" if video else "audio", f"{base}.{extension}")
    return found


def _key_of(s3_uri: str) -> str:
    """``s3://bucket/a/b`` -> ``a/b``."""
    return s3_uri.removeprefix("s3://").split("/", 1)[1]


def parse_event(event: dict[str, Any], stack_prefix: str) -> JobState | None:
    """The state of a finished job from a "MediaConvert Job State Change" event.

    None for other events, for non-final states, and for jobs of other stacks.
    """
    if event.get("source") != "aws.mediaconvert" or event.get("detail-type") != DETAIL_TYPE:
        return None
    detail = event.get("detail") or {}
    metadata = detail.get("userMetadata") or {}
    if metadata.get("stack") != stack_prefix:
        return None
    status = detail.get("status")
    base = {"job_id": detail.get("jobId", ""), "kind": JobKind.video, "ref": ref_from_metadata(metadata)}
    if status == "COMPLETE":
        found: dict[str, Any] = {}
        for group in detail.get("outputGroupDetails") or []:
            for output in group.get("outputDetails") or []:
                for path in output.get("outputFilePaths") or []:
                    if path.endswith(AUDIO_SUFFIX):
                        found["audio_key"] = _key_of(path)
                        if output.get("durationInMs") is not None:
                            # A sound-only answer's length; a video's MP4 says its own (below), which wins.
                            found.setdefault("audio_duration", output["durationInMs"] / 1000)
                    elif path.endswith(VIDEO_SUFFIX):
                        found["video_key"] = _key_of(path)
                        if output.get("durationInMs") is not None:
                            found["duration_seconds"] = output["durationInMs"] / 1000
                    elif path.endswith(".jpg"):
                        found["poster_key"] = _key_of(path)
        audio_duration = found.pop("audio_duration", None)
        found.setdefault("duration_seconds", audio_duration)
        return JobState(**base, status=JobStatus.complete, **found)
    if status in ("ERROR", "CANCELED"):
        message = detail.get("errorMessage") or ("the job was canceled" if status == "CANCELED" else "the job failed")
        code = detail.get("errorCode")
        return JobState(**base, status=JobStatus.failed, error=f"{message} ({code})" if code else message)
    return None


def job_state_from_job(job: dict[str, Any]) -> JobState:
    """A JobState from GetJob's ``Job`` (for the reconciler, when an event was lost)."""
    status = job.get("Status")
    base = {"job_id": job["Id"], "kind": JobKind.video, "ref": ref_from_metadata(job.get("UserMetadata") or {})}
    if status == "COMPLETE":
        # The names this job's own settings gave its outputs: jobs started with other settings (the
        # MP4 and the audio-only output in one group, or no audio-only output at all) read right too.
        files = output_files(job["Settings"])
        durations = [
            output["DurationInMs"]
            for group in job.get("OutputGroupDetails") or []
            for output in group.get("OutputDetails") or []
            if output.get("DurationInMs")
        ]
        duration = max(durations) / 1000 if durations else None
        return JobState(
            **base,
            status=JobStatus.complete,
            video_key=files.get("video"),
            poster_key=files.get("poster"),
            audio_key=files.get("audio"),
            duration_seconds=duration,
        )
    if status in ("ERROR", "CANCELED"):
        message = job.get("ErrorMessage") or ("the job was canceled" if status == "CANCELED" else "the job failed")
        code = job.get("ErrorCode")
        return JobState(**base, status=JobStatus.failed, error=f"{message} ({code})" if code else message)
    return JobState(**base, status=JobStatus.running)


class MediaConvertMedia:
    """``Media`` on MediaConvert; the client comes in so tests can stub it."""

    def __init__(self, client: Any, settings: Settings):
        self.client = client
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaConvertMedia:
        import boto3

        # Account-specific endpoints are no longer needed: the regional one serves every account.
        return cls(boto3.client("mediaconvert", region_name=settings.region), settings)

    def start_transcode(self, request: TranscodeRequest) -> str:
        try:
            response = self.client.create_job(**job_request(request, self.settings))
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in BUSY:
                raise Busy(f"MediaConvert cannot take the job yet: {error}", "mediaconvert_busy") from error
            raise
        return response["Job"]["Id"]

    def job_state(self, job_id: str) -> JobState:
        return job_state_from_job(self.client.get_job(Id=job_id)["Job"])

    def cancel_transcode(self, job_id: str) -> None:
        """CancelJob: "Permanently cancel a job. Once you have canceled a job, you can't start it again"
        (https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs-id.html). A job that is gone
        (NotFound) or already ended (a conflict with its state) has nothing left to cancel."""
        try:
            self.client.cancel_job(Id=job_id)
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") not in CANCEL_NOTHING_LEFT:
                raise

    def parse_event(self, event: dict[str, Any]) -> JobState | None:
        return parse_event(event, self.settings.stack_prefix)
