"""The media job requests Oneway builds keep MediaConvert's and Transcribe's documented rules
(tests/support/media_rules.py), for every kind of recording and language, and the rules catch what
they are there to catch. Every request any other test sends is checked by the same rules on its way
out (tests/conftest.py installs them on botocore)."""

from __future__ import annotations

import copy
from typing import Any, Literal, get_args

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from oneway.adapters import mediaconvert, transcribe
from oneway.config import Settings
from oneway.domain import keys
from oneway.domain.languages import AUTO_CANDIDATES, LANGUAGES, Language
from oneway.domain.models import Question
from oneway.domain.tokens import new_id
from oneway.ports import TranscodeRequest, TranscribeRequest
from oneway.service import pipeline, question_media
from oneway.service.views import TimeMultiplierInput
from tests.support import media_rules

# Production's shape: the longest stack prefix infra allows (24), its bucket names (prefix-role-account-region),
# a role and a queue ARN, 24-character ids.
PREFIX = "oneway-interviews-prod-x"
ACCOUNT, REGION = "111122223333", "ap-southeast-2"
PROD = Settings(
    stack_prefix=PREFIX,
    region=REGION,
    uploads_bucket=f"{PREFIX}-uploads-{ACCOUNT}-{REGION}",
    media_bucket=f"{PREFIX}-media-{ACCOUNT}-{REGION}",
    media="aws",
    mediaconvert_role_arn=f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-Pipeline-MediaConvertRole-1A2B3C4D5E6F",
    mediaconvert_queue_arn=f"arn:aws:mediaconvert:{REGION}:{ACCOUNT}:queues/Default",
)
TAKE = keys.TakeRef(org_id=new_id(), interview_id=new_id(), candidate_id=new_id(), question_id="q30", take_id=new_id())
QUESTION_VIDEO = keys.QuestionMediaRef(org_id=new_id(), interview_id=new_id(), media_id=new_id())


def requests(ref: keys.MediaRef, content_type: str = "video/webm", attempt: int = 0, language: str = "en-US"):
    key = keys.recording_key(ref, content_type)
    common = {
        "ref": ref,
        "input_bucket": PROD.uploads_bucket,
        "input_key": key,
        "output_bucket": PROD.media_bucket,
        "output_prefix": keys.media_prefix(ref),
        "idempotency_token": pipeline.job_token(key, '"9b2cf535f27731c974343645a3985328-3"', attempt),
    }
    return TranscodeRequest(**common), TranscribeRequest(**common, transcript_key=keys.transcript_key(ref), language=language)


RECORDINGS: dict[str, tuple[keys.MediaRef, str, int]] = {
    "a candidate's take (Chrome, WebM)": (TAKE, "video/webm", 0),
    "a candidate's take (Safari, MP4)": (TAKE, "video/mp4", 0),
    "a recruiter's question video": (QUESTION_VIDEO, "video/webm", 0),
    "a retry's third attempt": (TAKE, "video/webm", 3),
}


def sent(service: Literal["mediaconvert", "transcribe"], operation: str, request: dict[str, Any]) -> None:
    """Send ``request`` as the deployed functions do (parameter validation off), to a stub: the
    installed rules check it on the way."""
    client = boto3.client(service, region_name=REGION, config=Config(parameter_validation=False))
    response = {"Job": {"Id": "1-abc", "Settings": request.get("Settings", {}), "Role": request.get("Role", "")}} if service == "mediaconvert" else {}
    with Stubber(client) as stub:
        stub.add_response(operation, response, expected_params=request)
        getattr(client, operation)(**request)


def broken(rule: media_rules.Rule, found: list[media_rules.Violation]) -> bool:
    return rule in {v.rule for v in found}


# --- what Oneway sends --------------------------------------------------------------------------


def test_every_rule_names_the_aws_page_that_says_it():
    for rule in media_rules.RULES:
        assert rule.source.startswith(("https://docs.aws.amazon.com/", "https://aws.amazon.com/")), rule


@pytest.mark.parametrize("recording", RECORDINGS)
def test_the_transcode_of_every_kind_of_recording_keeps_the_rules(recording):
    ref, content_type, attempt = RECORDINGS[recording]
    job = mediaconvert.job_request(requests(ref, content_type, attempt)[0], PROD)
    assert media_rules.check_request("mediaconvert", "CreateJob", job, _shape("mediaconvert", "CreateJob")) == []
    before = len(media_rules.CHECKED)
    sent("mediaconvert", "create_job", job)
    assert media_rules.CHECKED[before:] == [("CreateJob", job)], "the installed check saw the request"


@pytest.mark.parametrize("recording", RECORDINGS)
@pytest.mark.parametrize("language", ["auto", *LANGUAGES])
def test_the_transcription_of_every_kind_of_recording_in_every_language_keeps_the_rules(recording, language):
    ref, content_type, attempt = RECORDINGS[recording]
    job = transcribe.job_request(requests(ref, content_type, attempt, language)[1], PROD)
    assert media_rules.check_request("transcribe", "StartTranscriptionJob", job, _shape("transcribe", "StartTranscriptionJob")) == []
    sent("transcribe", "start_transcription_job", job)
    if language == "auto":
        assert job["IdentifyLanguage"] is True and job["LanguageOptions"] == list(AUTO_CANDIDATES) and "LanguageCode" not in job
    else:
        assert job["LanguageCode"] == language and "IdentifyLanguage" not in job and "LanguageOptions" not in job


def test_the_offered_languages_are_transcribe_batch_codes():
    codes = set(_shape("transcribe", "StartTranscriptionJob").members["LanguageCode"].enum)
    assert set(LANGUAGES) <= codes and set(AUTO_CANDIDATES) <= set(LANGUAGES)
    assert "auto" in get_args(Language)


def test_what_oneway_accepts_fits_transcribes_file_limits():
    longest_answer = Question.model_fields["answer_seconds"].metadata[-1].le * TimeMultiplierInput.model_fields["multiplier"].metadata[-1].le
    longest = max(longest_answer, question_media.MAX_SECONDS)
    assert media_rules.check_media_limits(Settings().max_upload_bytes, longest) == []
    assert broken(media_rules.TR_MEDIA_LIMITS, media_rules.check_media_limits(3 * 2**30, 60))
    assert broken(media_rules.TR_MEDIA_LIMITS, media_rules.check_media_limits(2**20, 5 * 3600))


@pytest.mark.parametrize(("content_type", "media_format"), [("video/webm", "webm"), ("video/x-matroska", "webm"), ("video/mp4", "mp4"), ("video/quicktime", "mp4")])
def test_the_media_format_names_the_container_each_accepted_type_really_is(content_type, media_format):
    job = transcribe.job_request(requests(TAKE, content_type)[1], PROD)
    assert job["MediaFormat"] == media_format
    assert not broken(media_rules.TR_MEDIA_FORMAT, media_rules.check_start_transcription_job(job))


def test_a_mov_input_would_break_the_audio_only_input_table():
    """MediaConvert lists MOV with PCM only for audio-only workflows: an iPhone's .mov (AAC) would fail the
    job. Oneway's recorder sends WebM or MP4 only (web/src/shared/media.ts); the API still accepts .mov."""
    job = mediaconvert.job_request(requests(TAKE, "video/quicktime")[0], PROD)
    assert [v.rule for v in media_rules.check_create_job(job)] == [media_rules.MC_AUDIO_ONLY_INPUT]


# --- the rules catch what they are there for -------------------------------------------------------


def _shape(service: str, operation: str):
    from botocore.session import get_session

    return get_session().get_service_model(service).operation_model(operation).input_shape


@pytest.fixture
def job() -> dict[str, Any]:
    return mediaconvert.job_request(requests(TAKE)[0], PROD)


@pytest.fixture
def speech() -> dict[str, Any]:
    return transcribe.job_request(requests(TAKE)[1], PROD)


def _outputs(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (mp4,), (audio,), (poster,) = (g["Outputs"] for g in job["Settings"]["OutputGroups"])
    return {"mp4": mp4, "audio": audio, "poster": poster}


def test_two_outputs_in_one_group_need_a_name_modifier_each(job):
    """The layout before: the MP4 and the audio-only output in one File group, only the audio one named."""
    mp4_group, audio_group, _ = job["Settings"]["OutputGroups"]
    mp4_group["Outputs"] += audio_group["Outputs"]
    job["Settings"]["OutputGroups"].remove(audio_group)
    assert broken(media_rules.MC_NAME_MODIFIER, media_rules.check_create_job(job))
    mp4_group["Outputs"][0]["NameModifier"] = mp4_group["Outputs"][1]["NameModifier"]
    assert broken(media_rules.MC_NAME_MODIFIER, media_rules.check_create_job(job))
    mp4_group["Outputs"][0]["NameModifier"] = "-video"
    assert not broken(media_rules.MC_NAME_MODIFIER, media_rules.check_create_job(job))


def test_two_outputs_writing_one_file_are_caught(job):
    _outputs(job)["audio"].pop("NameModifier")
    _outputs(job)["audio"]["Extension"] = "mp4"
    assert broken(media_rules.MC_FILE_NAMES, media_rules.check_create_job(job))


def test_an_audio_only_output_has_one_audio_description_in_a_listed_format(job):
    audio = _outputs(job)["audio"]
    audio["AudioDescriptions"] *= 2
    assert broken(media_rules.MC_AUDIO_ONLY, media_rules.check_create_job(job))
    audio["AudioDescriptions"] = audio["AudioDescriptions"][:1]
    audio["ContainerSettings"] = {"Container": "MOV"}
    assert broken(media_rules.MC_AUDIO_ONLY_FORMAT, media_rules.check_create_job(job))


def test_a_frame_capture_goes_in_no_container_beside_a_regular_output(job):
    poster = _outputs(job)["poster"]
    poster["ContainerSettings"] = {"Container": "MP4"}
    assert broken(media_rules.MC_FRAME_CAPTURE, media_rules.check_create_job(job))
    alone = copy.deepcopy(job)
    alone["Settings"]["OutputGroups"] = alone["Settings"]["OutputGroups"][2:]
    alone["Settings"]["OutputGroups"][0]["Outputs"][0]["ContainerSettings"].update(Container="RAW")
    assert broken(media_rules.MC_FRAME_CAPTURE, media_rules.check_create_job(alone))


@pytest.mark.parametrize(("width", "height"), [(865, 486), (864, 16), (4100, 2304)])
def test_sizes_are_even_and_in_range(job, width, height):
    video = _outputs(job)["mp4"]["VideoDescription"]
    video["Width"], video["Height"] = width, height
    assert broken(media_rules.MC_DIMENSIONS, media_rules.check_create_job(job))


def test_qvbr_needs_a_max_bitrate(job):
    _outputs(job)["mp4"]["VideoDescription"]["CodecSettings"]["H264Settings"].pop("MaxBitrate")
    assert broken(media_rules.MC_QVBR, media_rules.check_create_job(job))


@pytest.mark.parametrize(
    "change",
    [
        lambda h264, job: h264.update(QualityTuningLevel="MULTI_PASS_HQ"),
        lambda h264, job: h264.update(FramerateControl="SPECIFIED", FramerateNumerator=30, FramerateDenominator=1),
        lambda h264, job: job["AccelerationSettings"].update(Mode="ENABLED"),
        lambda h264, job: _outputs(job)["mp4"]["VideoDescription"].update(VideoPreprocessors={"Deinterlacer": {}}),
    ],
    ids=["multi-pass HQ", "frame-rate conversion", "acceleration", "deinterlacer"],
)
def test_what_the_basic_tier_excludes_is_caught(job, change):
    change(_outputs(job)["mp4"]["VideoDescription"]["CodecSettings"]["H264Settings"], job)
    assert broken(media_rules.MC_BASIC_TIER, media_rules.check_create_job(job))


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("Role", "oneway-mediaconvert", media_rules.MC_ROLE),
        ("Role", "arn:aws:iam::111122223333:user/someone", media_rules.MC_ROLE),
        ("ClientRequestToken", "x" * 65, media_rules.MC_TOKEN),
        ("UserMetadata", {f"k{i}": "v" for i in range(11)}, media_rules.MC_METADATA),
        ("UserMetadata", {"stack": "a;b"}, media_rules.MC_METADATA),
    ],
)
def test_request_fields_are_checked(job, field, value, rule):
    job[field] = value
    assert broken(rule, media_rules.check_create_job(job))


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"TranscriptionJobName": "a" * 201}, media_rules.TR_JOB_NAME),
        ({"TranscriptionJobName": "take 1"}, media_rules.TR_JOB_NAME),
        ({"OutputBucketName": "s3://oneway-media"}, media_rules.TR_OUTPUT_BUCKET),
        ({"OutputKey": "org/o/transcripts/"}, media_rules.TR_OUTPUT_KEY),
        ({"OutputKey": "org/o/transcript"}, media_rules.TR_OUTPUT_KEY),
        ({"IdentifyLanguage": True}, media_rules.TR_LANGUAGE),
        ({"LanguageOptions": ["en-US", "de-DE"]}, media_rules.TR_LANGUAGE),
        ({"LanguageCode": None, "IdentifyLanguage": True, "LanguageOptions": ["en-US"]}, media_rules.TR_LANGUAGE),
        ({"LanguageCode": None, "IdentifyLanguage": True, "LanguageOptions": ["en-US", "en-GB"]}, media_rules.TR_LANGUAGE),
        ({"LanguageCode": None, "IdentifyLanguage": True, "LanguageOptions": ["en-US", "sv-SE"]}, media_rules.TR_LANGUAGE),
        ({"LanguageCode": None, "IdentifyLanguage": True, "LanguageOptions": ["en-US", "es-ES", "fr-FR", "de-DE", "it-IT", "pt-BR"]}, media_rules.TR_LANGUAGE),
        ({"Subtitles": {"Formats": ["vtt", "vtt"], "OutputStartIndex": 1}}, media_rules.TR_SUBTITLES),
        ({"Subtitles": {"Formats": ["ass"], "OutputStartIndex": 1}}, media_rules.TR_SUBTITLES),
        ({"Subtitles": {"Formats": ["vtt"], "OutputStartIndex": 2}}, media_rules.TR_SUBTITLES),
        ({"MediaFormat": "mp4"}, media_rules.TR_MEDIA_FORMAT),
        ({"Media": {"MediaFileUri": "https://example.com/a.webm"}}, media_rules.TR_MEDIA_URI),
    ],
)
def test_transcription_rules_are_checked(speech, change, rule):
    request = {k: v for k, v in {**speech, **change}.items() if v is not None}
    assert broken(rule, media_rules.check_start_transcription_job(request))


# --- the installed check: on every client, with botocore's own validation too -------------------------


def test_a_broken_request_fails_on_its_way_out_even_with_parameter_validation_off(job):
    bad = copy.deepcopy(job)
    mp4_group, audio_group, _ = bad["Settings"]["OutputGroups"]
    mp4_group["Outputs"] += audio_group["Outputs"]
    bad["Settings"]["OutputGroups"].remove(audio_group)
    with pytest.raises(media_rules.MediaRuleViolation, match=r"mediaconvert\.name-modifier"):
        sent("mediaconvert", "create_job", bad)
    unknown = {**job, "Prority": 0}  # botocore's model: no such parameter
    with pytest.raises(media_rules.MediaRuleViolation, match="botocore model"):
        sent("mediaconvert", "create_job", unknown)
    assert [v.split("]")[0] for v in media_rules.VIOLATIONS] == ["[mediaconvert.name-modifier", "[botocore model"]
    media_rules.VIOLATIONS.clear()  # expected here: the suite's fixture fails any test that leaves one
