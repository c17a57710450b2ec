"""What MediaConvert and Transcribe document about a job request beyond the shapes botocore checks.

botocore's model gives names, types, enums and lengths; AWS's pages say more: a group of several
outputs needs a NameModifier on each, an audio-only output carries one audio description, a frame
capture goes in no container, QVBR needs a MaxBitrate, LanguageCode excludes IdentifyLanguage, an
OutputKey without ``.json`` is a folder... Each ``Rule`` below states one such constraint and the AWS
page that says it; ``check_create_job`` and ``check_start_transcription_job`` return the rules a
request breaks.

``install()`` puts both checks, and botocore's own ``ParamValidator``, on every CreateJob and
StartTranscriptionJob any botocore client sends during the tests (a ``provide-client-params``
handler that every botocore session registers, as moto registers its own): the Stubber's clients,
moto's and the handlers' alike. ``deps.aws_client`` turns parameter validation off to save CPU on
warm functions, so nothing checks a request's shape in production: the tests do it for every request
they make. A broken request raises ``MediaRuleViolation`` and is recorded in ``VIOLATIONS``, which
the suite's autouse fixture reads after each test (a handler that swallows errors, as the SQS batch
processor does, cannot hide one).

The rules run in the tests and not beside the adapters: every field of a request comes from
``job_request`` and from settings that the tests build in production's shape, so a rule broken in
production is broken in the tests; at run time AWS checks them anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MEDIACONVERT_JOBS = "https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html"
TRANSCRIBE_START = "https://docs.aws.amazon.com/transcribe/latest/APIReference/API_StartTranscriptionJob.html"


@dataclass(frozen=True)
class Rule:
    id: str
    says: str
    source: str


def _rule(id: str, says: str, *sources: str) -> Rule:
    return Rule(id, says, " ; ".join(sources))


# --- MediaConvert CreateJob -----------------------------------------------------------------------

MC_ROLE = _rule(
    "mediaconvert.role",
    "Role is required: the ARN of the IAM role MediaConvert assumes (arn:<partition>:iam::<12-digit account>:role/<path/name>).",
    MEDIACONVERT_JOBS,
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
)
MC_TOKEN = _rule(
    "mediaconvert.client-request-token",
    "ClientRequestToken is at most 64 ASCII characters; a token reused within one minute returns the first job.",
    "https://docs.aws.amazon.com/mediaconvert/latest/apireference/idempotency.html",
)
MC_METADATA = _rule(
    "mediaconvert.user-metadata",
    "UserMetadata: at most 10 pairs; keys up to 128 and values up to 256 characters of letters, digits, space and _ . : / = + - @.",
    "https://docs.aws.amazon.com/mediaconvert/latest/ug/user-metadata-tags.html",
)
MC_NAME_MODIFIER = _rule(
    "mediaconvert.name-modifier",
    "When an output group holds several outputs, each needs a NameModifier, and they must differ (the modifier is what tells their files apart).",
    MEDIACONVERT_JOBS + " (Output.NameModifier)",
)
MC_FILE_NAMES = _rule(
    "mediaconvert.distinct-files",
    "No two File-group outputs of a job write the same file: Destination + NameModifier + Extension (the container's by default).",
    MEDIACONVERT_JOBS + " (Output.NameModifier, Output.Extension)",
)
MC_AUDIO_ONLY = _rule(
    "mediaconvert.audio-only-output",
    "An audio-only output has no video and no captions, and exactly one group of audio settings.",
    "https://docs.aws.amazon.com/mediaconvert/latest/ug/setting-up-audio-only.html",
)
MC_AUDIO_ONLY_FORMAT = _rule(
    "mediaconvert.audio-only-format",
    "An audio-only File output uses a container/codec pair of the audio-only output table (MP4: AAC, AC3, EAC3; MPEG-TS: AAC, AC3, EAC3, MP2).",
    "https://docs.aws.amazon.com/mediaconvert/latest/ug/audio-only-output.html",
)
MC_AUDIO_ONLY_INPUT = _rule(
    "mediaconvert.audio-only-input",
    "A job with an audio-only output reads an input of the audio-only input table (Matroska/WebM with Opus or FLAC, MP4 with AAC; MOV with PCM only).",
    "https://docs.aws.amazon.com/mediaconvert/latest/ug/reference-codecs-containers-input-audio-only.html",
)
MC_FRAME_CAPTURE = _rule(
    "mediaconvert.frame-capture",
    "A frame capture (FRAME_CAPTURE) goes in no container (RAW), carries no audio, and only in a job that also has a regular video output.",
    "https://docs.aws.amazon.com/mediaconvert/latest/ug/file-group-with-frame-capture-output.html",
)
MC_DIMENSIONS = _rule(
    "mediaconvert.dimensions",
    "Width and Height are 32 to 8192 pixels, an AVC output at most 4096x2160 (or 2160x4096); Oneway also keeps both even (4:2:0 chroma halves each side).",
    MEDIACONVERT_JOBS + " (VideoDescription.Width/Height)",
    "https://docs.aws.amazon.com/mediaconvert/latest/ug/supported-output-resolution-maximums-by-codec.html",
)
MC_QVBR = _rule(
    "mediaconvert.qvbr",
    "MaxBitrate is required when the rate control mode is QVBR; QvbrSettings apply only with QVBR.",
    MEDIACONVERT_JOBS + " (H264Settings.MaxBitrate, H264QvbrSettings)",
)
MC_BASIC_TIER = _rule(
    "mediaconvert.basic-tier",
    "What docs/media.md claims for the Basic tier: AVC (or a frame capture) with balanced single-pass encoding (no SINGLE_PASS_HQ or MULTI_PASS_HQ), "
    "the source's frame rate (no frame-rate conversion), no preprocessor but a static overlay, acceleration DISABLED.",
    "https://aws.amazon.com/mediaconvert/pricing/",
    "https://docs.aws.amazon.com/mediaconvert/latest/ug/accelerated-transcoding.html",
)
MC_INPUT = _rule(
    "mediaconvert.input",
    "Each input's FileInput is an s3:// URI of the object to read.",
    MEDIACONVERT_JOBS + " (Input.FileInput)",
)

# --- Transcribe StartTranscriptionJob -------------------------------------------------------------

TR_JOB_NAME = _rule(
    "transcribe.job-name",
    "TranscriptionJobName: 1 to 200 characters of [0-9a-zA-Z._-], not '.' or '..'; a name already used gets ConflictException.",
    TRANSCRIBE_START,
)
TR_OUTPUT_BUCKET = _rule(
    "transcribe.output-bucket",
    "OutputBucketName is a bucket name alone ([a-z0-9][.-a-z0-9]{1,61}[a-z0-9], no s3:// prefix).",
    TRANSCRIBE_START,
)
TR_OUTPUT_KEY = _rule(
    "transcribe.output-key",
    "OutputKey ([a-zA-Z0-9-_.!*'()/], 1 to 1024) goes with OutputBucketName; a key ending in '.json' names the transcript file, any other key "
    "(one ending in '/' included) is a folder that gets '<job name>.json'. Oneway names the file: its key ends in '.json', and the subtitles "
    "land beside it with '.vtt'.",
    TRANSCRIBE_START,
    "https://docs.aws.amazon.com/transcribe/latest/dg/subtitles.html",
)
TR_LANGUAGE = _rule(
    "transcribe.language",
    "Exactly one of LanguageCode, IdentifyLanguage, IdentifyMultipleLanguages; LanguageOptions only with identification, two or more "
    "distinct codes (more than five is not recommended: Oneway keeps to five), one dialect per language, each a code that language "
    "identification supports (not Swedish or Vietnamese).",
    TRANSCRIBE_START,
    "https://docs.aws.amazon.com/transcribe/latest/dg/lang-id.html",
)
TR_SUBTITLES = _rule(
    "transcribe.subtitles",
    "Subtitles.Formats are 'vtt' and/or 'srt', each once; OutputStartIndex is 0 or 1 (Oneway asks for WebVTT from 1).",
    TRANSCRIBE_START,
    "https://docs.aws.amazon.com/transcribe/latest/dg/subtitles.html",
)
TR_MEDIA_FORMAT = _rule(
    "transcribe.media-format",
    "MediaFormat is one of mp3, mp4, wav, flac, ogg, amr, webm, m4a, and names the container the input really is: "
    "webm for a WebM/Matroska (EBML) recording, mp4 for an ISO BMFF (MP4, MOV) one.",
    TRANSCRIBE_START,
    "https://docs.aws.amazon.com/transcribe/latest/dg/how-input.html",
)
TR_MEDIA_URI = _rule(
    "transcribe.media-uri",
    "Media.MediaFileUri is the s3:// URI (1 to 2000 characters) of the recording.",
    TRANSCRIBE_START,
)
TR_MEDIA_LIMITS = _rule(
    "transcribe.media-limits",
    "A batch media file is at most 2 GB and 4 hours long (at least 500 ms); the default quota is 250 concurrent batch jobs.",
    "https://docs.aws.amazon.com/transcribe/latest/dg/limits-guidelines.html",
)

RULES = [
    MC_ROLE, MC_TOKEN, MC_METADATA, MC_NAME_MODIFIER, MC_FILE_NAMES, MC_AUDIO_ONLY, MC_AUDIO_ONLY_FORMAT, MC_AUDIO_ONLY_INPUT,
    MC_FRAME_CAPTURE, MC_DIMENSIONS, MC_QVBR, MC_BASIC_TIER, MC_INPUT,
    TR_JOB_NAME, TR_OUTPUT_BUCKET, TR_OUTPUT_KEY, TR_LANGUAGE, TR_SUBTITLES, TR_MEDIA_FORMAT, TR_MEDIA_URI, TR_MEDIA_LIMITS,
]  # fmt: skip


@dataclass(frozen=True)
class Violation:
    rule: Rule
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule.id}] {self.detail} (rule: {self.rule.says} Source: {self.rule.source})"


class MediaRuleViolation(AssertionError):
    """A media job request breaks a documented rule (or botocore's model)."""


# --- MediaConvert ----------------------------------------------------------------------------------

_ROLE_ARN = re.compile(r"^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_METADATA_TEXT = re.compile(r"^[\w .:/=+\-@]*$", re.UNICODE)
_CONTAINER_EXTENSIONS = {"MP4": "mp4", "MOV": "mov", "M2TS": "m2ts", "MXF": "mxf", "WEBM": "webm", "GIF": "gif", "OGG": "ogg"}
AUDIO_ONLY_FILE_FORMATS = {"MP4": {"AAC", "AC3", "EAC3"}, "M2TS": {"AAC", "AC3", "EAC3", "MP2"}}
# What a browser records in each container Oneway accepts (keys.CONTENT_TYPES), and whether the audio-only
# input table lists that container/codec pair. WebM is a Matroska profile.
RECORDED_AUDIO = {"webm": ("Matroska/WebM", "Opus", True), "mkv": ("Matroska", "Opus", True), "mp4": ("MP4", "AAC", True), "mov": ("MOV", "AAC", False)}
AVC_MAX = (4096, 2160)
BASIC_QUALITY_TUNING = {"SINGLE_PASS", None}
BASIC_PREPROCESSORS = {"ImageInserter"}


def _extension(uri: str) -> str:
    name = uri.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _file_name(destination: str, output: dict[str, Any]) -> str:
    base = destination + (output.get("NameModifier") or "")
    codec = ((output.get("VideoDescription") or {}).get("CodecSettings") or {}).get("Codec")
    if codec == "FRAME_CAPTURE":
        return base + ".NNNNNNN.jpg"
    container = (output.get("ContainerSettings") or {}).get("Container", "MP4")
    return f"{base}.{output.get('Extension') or _CONTAINER_EXTENSIONS.get(container, container.lower())}"


def check_create_job(request: dict[str, Any]) -> list[Violation]:
    found: list[Violation] = []

    def bad(rule: Rule, detail: str) -> None:
        found.append(Violation(rule, detail))

    if not _ROLE_ARN.match(request.get("Role") or ""):
        bad(MC_ROLE, f"Role {request.get('Role')!r} is not an IAM role ARN")
    token = request.get("ClientRequestToken")
    if token is not None and (len(token) > 64 or not token.isascii()):
        bad(MC_TOKEN, f"ClientRequestToken has {len(token)} characters")
    metadata = request.get("UserMetadata") or {}
    if len(metadata) > 10:
        bad(MC_METADATA, f"{len(metadata)} metadata pairs")
    for key, value in metadata.items():
        if not (1 <= len(key) <= 128 and len(value) <= 256 and _METADATA_TEXT.match(key) and _METADATA_TEXT.match(value)):
            bad(MC_METADATA, f"metadata {key!r}: {value!r}")
    if (request.get("AccelerationSettings") or {}).get("Mode", "DISABLED") != "DISABLED":
        bad(MC_BASIC_TIER, "accelerated transcoding is a Professional-tier feature")

    settings = request.get("Settings") or {}
    inputs = settings.get("Inputs") or []
    for job_input in inputs:
        if not str(job_input.get("FileInput", "")).startswith("s3://"):
            bad(MC_INPUT, f"FileInput {job_input.get('FileInput')!r}")
    files: dict[str, str] = {}
    audio_only = regular_video = frame_capture = False
    for g, group in enumerate(settings.get("OutputGroups") or []):
        group_settings = group.get("OutputGroupSettings") or {}
        outputs = group.get("Outputs") or []
        where = f"output group {g} ({group.get('Name', '')})"
        if len(outputs) > 1:
            modifiers = [o.get("NameModifier") for o in outputs]
            if not all(modifiers):
                bad(MC_NAME_MODIFIER, f"{where} has {len(outputs)} outputs and {sum(map(bool, modifiers))} name modifiers")
            elif len(set(modifiers)) != len(modifiers):
                bad(MC_NAME_MODIFIER, f"{where} repeats a name modifier: {modifiers}")
        destination = (group_settings.get("FileGroupSettings") or {}).get("Destination")
        for o, output in enumerate(outputs):
            here = f"{where}, output {o}"
            if group_settings.get("Type") == "FILE_GROUP_SETTINGS" and destination:
                name = _file_name(destination, output)
                if name in files:
                    bad(MC_FILE_NAMES, f"{here} writes {name}, as {files[name]} does")
                files[name] = here
            container = (output.get("ContainerSettings") or {}).get("Container", "MP4")
            video = output.get("VideoDescription")
            audios = output.get("AudioDescriptions") or []
            if video is None:
                audio_only = True
                if len(audios) != 1 or output.get("CaptionDescriptions"):
                    bad(MC_AUDIO_ONLY, f"{here} has {len(audios)} audio descriptions and captions: {bool(output.get('CaptionDescriptions'))}")
                codecs = {(a.get("CodecSettings") or {}).get("Codec") for a in audios}
                if not codecs <= AUDIO_ONLY_FILE_FORMATS.get(container, set()):
                    bad(MC_AUDIO_ONLY_FORMAT, f"{here}: {container} with {sorted(map(str, codecs))}")
                continue
            codec_settings = video.get("CodecSettings") or {}
            codec = codec_settings.get("Codec")
            if codec == "FRAME_CAPTURE":
                frame_capture = True
                if container != "RAW" or audios:
                    bad(MC_FRAME_CAPTURE, f"{here}: a frame capture in {container} with {len(audios)} audio descriptions")
            else:
                regular_video = regular_video or bool(audios)
                if codec != "H_264":
                    bad(MC_BASIC_TIER, f"{here}: codec {codec}")
            width, height = video.get("Width"), video.get("Height")
            for side, value in (("Width", width), ("Height", height)):
                if value is not None and (not 32 <= value <= 8192 or value % 2):
                    bad(MC_DIMENSIONS, f"{here}: {side} {value}")
            if codec == "H_264" and width and height and not (max(width, height) <= AVC_MAX[0] and min(width, height) <= AVC_MAX[1]):
                bad(MC_DIMENSIONS, f"{here}: {width}x{height} is beyond AVC's {AVC_MAX[0]}x{AVC_MAX[1]}")
            h264 = codec_settings.get("H264Settings") or {}
            if codec == "H_264":
                if h264.get("RateControlMode") == "QVBR" and not h264.get("MaxBitrate"):
                    bad(MC_QVBR, f"{here}: QVBR without MaxBitrate")
                if h264.get("QvbrSettings") and h264.get("RateControlMode") != "QVBR":
                    bad(MC_QVBR, f"{here}: QvbrSettings with {h264.get('RateControlMode')}")
                if h264.get("QualityTuningLevel") not in BASIC_QUALITY_TUNING:
                    bad(MC_BASIC_TIER, f"{here}: quality tuning {h264.get('QualityTuningLevel')}")
                if h264.get("FramerateControl", "INITIALIZE_FROM_SOURCE") != "INITIALIZE_FROM_SOURCE" or h264.get("FramerateConversionAlgorithm"):
                    bad(MC_BASIC_TIER, f"{here}: frame-rate conversion")
            preprocessors = set(video.get("VideoPreprocessors") or {}) - BASIC_PREPROCESSORS
            if preprocessors:
                bad(MC_BASIC_TIER, f"{here}: preprocessors {sorted(preprocessors)}")
    if frame_capture and not regular_video:
        bad(MC_FRAME_CAPTURE, "the job has a frame capture but no regular audio and video output")
    if audio_only:
        for job_input in inputs:
            container, codec, listed = RECORDED_AUDIO.get(_extension(str(job_input.get("FileInput", ""))), ("unknown", "unknown", False))
            if not listed:
                bad(MC_AUDIO_ONLY_INPUT, f"input {job_input.get('FileInput')!r}: {container} with {codec} is not in the audio-only input table")
    return found


# --- Transcribe ------------------------------------------------------------------------------------

_JOB_NAME = re.compile(r"^[0-9a-zA-Z._-]{1,200}$")
_BUCKET = re.compile(r"^[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]$")
_OUTPUT_KEY = re.compile(r"^[a-zA-Z0-9\-_.!*'()/]{1,1024}$")
MEDIA_FORMATS = {"mp3", "mp4", "wav", "flac", "ogg", "amr", "webm", "m4a"}
# The container each accepted recording extension really is (is_video checks the magic bytes: EBML or ftyp).
CONTAINER_FORMATS = {"webm": "webm", "mkv": "webm", "mp4": "mp4", "mov": "mp4", "m4a": "m4a"}
NOT_IDENTIFIABLE = {"sv-SE", "vi-VN"}  # "Swedish and Vietnamese are not currently supported with language identification"
MAX_LANGUAGE_OPTIONS = 5


def check_start_transcription_job(request: dict[str, Any]) -> list[Violation]:
    found: list[Violation] = []

    def bad(rule: Rule, detail: str) -> None:
        found.append(Violation(rule, detail))

    name = request.get("TranscriptionJobName") or ""
    if not _JOB_NAME.match(name) or name in (".", ".."):
        bad(TR_JOB_NAME, f"job name {name!r} ({len(name)} characters)")
    bucket, key = request.get("OutputBucketName"), request.get("OutputKey")
    if bucket is not None and not _BUCKET.match(bucket):
        bad(TR_OUTPUT_BUCKET, f"OutputBucketName {bucket!r}")
    if key is not None:
        if bucket is None or not _OUTPUT_KEY.match(key):
            bad(TR_OUTPUT_KEY, f"OutputKey {key!r} (bucket {bucket!r})")
        elif not key.endswith(".json"):
            bad(TR_OUTPUT_KEY, f"OutputKey {key!r} is a folder: the transcript would be {key.rstrip('/')}/{name}.json")

    chosen = [k for k in ("LanguageCode", "IdentifyLanguage", "IdentifyMultipleLanguages") if request.get(k)]
    if len(chosen) != 1:
        bad(TR_LANGUAGE, f"{chosen or 'none'} of LanguageCode, IdentifyLanguage, IdentifyMultipleLanguages")
    options = request.get("LanguageOptions")
    if options is not None:
        if "LanguageCode" in chosen or not chosen:
            bad(TR_LANGUAGE, "LanguageOptions without language identification")
        languages = [code.split("-")[0] for code in options]
        if not 2 <= len(options) <= MAX_LANGUAGE_OPTIONS or len(set(options)) != len(options):
            bad(TR_LANGUAGE, f"LanguageOptions {options}")
        if len(set(languages)) != len(languages):
            bad(TR_LANGUAGE, f"LanguageOptions {options} hold two dialects of one language")
        if set(options) & NOT_IDENTIFIABLE:
            bad(TR_LANGUAGE, f"LanguageOptions {options}: {sorted(set(options) & NOT_IDENTIFIABLE)} cannot be identified")

    subtitles = request.get("Subtitles")
    if subtitles is not None:
        formats = subtitles.get("Formats") or []
        if not formats or not set(formats) <= {"vtt", "srt"} or len(set(formats)) != len(formats):
            bad(TR_SUBTITLES, f"Formats {formats}")
        if subtitles.get("OutputStartIndex", 0) not in (0, 1):
            bad(TR_SUBTITLES, f"OutputStartIndex {subtitles.get('OutputStartIndex')}")

    uri = (request.get("Media") or {}).get("MediaFileUri") or ""
    if not uri.startswith("s3://") or not 1 <= len(uri) <= 2000 or "/" not in uri.removeprefix("s3://"):
        bad(TR_MEDIA_URI, f"MediaFileUri {uri!r}")
    media_format = request.get("MediaFormat")
    if media_format is not None:
        actual = CONTAINER_FORMATS.get(_extension(uri))
        if media_format not in MEDIA_FORMATS or media_format != actual:
            bad(TR_MEDIA_FORMAT, f"MediaFormat {media_format!r} for {uri!r} (a {actual or 'unknown'} container)")
    return found


def check_media_limits(max_upload_bytes: int, longest_recording_seconds: float) -> list[Violation]:
    """Transcribe's fixed limits against what Oneway accepts: the largest upload and the longest recording."""
    found = []
    if max_upload_bytes > 2 * 1000**3:  # "2 GB"; read as the smaller, decimal gigabyte
        found.append(Violation(TR_MEDIA_LIMITS, f"uploads of up to {max_upload_bytes} bytes"))
    if longest_recording_seconds > 4 * 3600:
        found.append(Violation(TR_MEDIA_LIMITS, f"recordings of up to {longest_recording_seconds} s"))
    return found


CHECKS = {("mediaconvert", "CreateJob"): check_create_job, ("transcribe", "StartTranscriptionJob"): check_start_transcription_job}


# --- every request the tests send ---------------------------------------------------------------------

CHECKED: list[tuple[str, dict[str, Any]]] = []  # (operation, request) of every request checked
VIOLATIONS: list[str] = []


def check_request(service: str, operation: str, params: dict[str, Any], input_shape: Any = None) -> list[str]:
    """The problems of one request: botocore's model (when its input shape is given) and the documented rules."""
    problems: list[str] = []
    if input_shape is not None:
        from botocore.validate import ParamValidator

        report = ParamValidator().validate(params, input_shape)
        if report.has_errors():
            problems.append(f"[botocore model] {report.generate_report()}")
    problems += [str(v) for v in CHECKS[(service, operation)](params)]
    return problems


def _handler(service: str, operation: str):
    def check(params: dict[str, Any], model: Any, **_: Any) -> None:
        CHECKED.append((operation, params))
        problems = check_request(service, operation, params, model.input_shape)
        if problems:
            VIOLATIONS.extend(problems)
            raise MediaRuleViolation(f"{service} {operation} breaks documented rules:\n" + "\n".join(problems))

    return check


def install() -> None:
    """Check every CreateJob and StartTranscriptionJob of every botocore session made from now on
    (and of boto3's default session, should one exist already)."""
    import boto3
    from botocore import handlers

    wanted = [(f"provide-client-params.{service}.{operation}", _handler(service, operation)) for service, operation in CHECKS]
    if any(getattr(spec[1], "__qualname__", "").startswith(_handler.__qualname__) for spec in handlers.BUILTIN_HANDLERS):
        return
    handlers.BUILTIN_HANDLERS.extend(wanted)
    if boto3.DEFAULT_SESSION is not None:
        for event, handler in wanted:
            boto3.DEFAULT_SESSION.events.register(event, handler)
