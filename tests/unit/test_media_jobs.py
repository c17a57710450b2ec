"""The media jobs as AWS sees them: MediaConvert settings, Transcribe requests, job names, events."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from oneway.adapters import mediaconvert, transcribe
from oneway.adapters.local_media import job_id_for, parse_job_id, status_key
from oneway.config import Settings
from oneway.domain import keys
from oneway.domain.models import JobKind
from oneway.domain.transcript import transcript_text
from oneway.ports import TranscodeRequest, TranscribeRequest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "media"
REF = keys.TakeRef(org_id="o1", interview_id="i1", candidate_id="c1", question_id="q1", take_id="t1")
TOKEN = "4c1f0a9e2b7d4e5f8a6b3c2d1e0f9a8b"


def settings(**overrides) -> Settings:
    values = {
        "stack_prefix": "oneway",
        "uploads_bucket": "oneway-uploads",
        "media_bucket": "oneway-media",
        "mediaconvert_role_arn": "arn:aws:iam::111122223333:role/oneway-mediaconvert",
        "mediaconvert_queue_arn": "",
    }
    return Settings(**{**values, **overrides})


def transcode_request() -> TranscodeRequest:
    return TranscodeRequest(
        ref=REF,
        input_bucket="oneway-uploads",
        input_key=f"{REF.prefix}recording.webm",
        output_bucket="oneway-media",
        output_prefix=keys.media_prefix(REF),
        idempotency_token=TOKEN,
    )


def transcribe_request(input_key: str | None = None) -> TranscribeRequest:
    return TranscribeRequest(
        **{**transcode_request().model_dump(), **({"input_key": input_key} if input_key else {})},
        transcript_key=keys.transcript_key(REF),
    )


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


# --- MediaConvert job settings -------------------------------------------------------------


@pytest.fixture
def job() -> dict:
    return mediaconvert.job_request(transcode_request(), settings())


def test_the_job_reads_the_upload_and_writes_beside_the_take(job):
    (job_input,) = job["Settings"]["Inputs"]
    assert job_input["FileInput"] == f"s3://oneway-uploads/{REF.prefix}recording.webm"
    destinations = {g["OutputGroupSettings"]["FileGroupSettings"]["Destination"] for g in job["Settings"]["OutputGroups"]}
    assert destinations == {f"s3://oneway-media/{REF.prefix}recording"}
    assert [g["OutputGroupSettings"]["Type"] for g in job["Settings"]["OutputGroups"]] == ["FILE_GROUP_SETTINGS"] * 3
    # One output per File group: MediaConvert requires a NameModifier on each output of a group of several.
    assert [len(g["Outputs"]) for g in job["Settings"]["OutputGroups"]] == [1, 1, 1]


def test_the_mp4_fits_864x486_never_upscaled_qvbr_single_pass_moov_first(job):
    (mp4,) = job["Settings"]["OutputGroups"][0]["Outputs"]
    assert mp4["ContainerSettings"]["Container"] == "MP4"
    assert mp4["ContainerSettings"]["Mp4Settings"]["MoovPlacement"] == "PROGRESSIVE_DOWNLOAD"
    video = mp4["VideoDescription"]
    assert (video["Width"], video["Height"], video["ScalingBehavior"]) == (864, 486, "FIT_NO_UPSCALE")
    h264 = video["CodecSettings"]["H264Settings"]
    assert video["CodecSettings"]["Codec"] == "H_264"
    assert h264["RateControlMode"] == "QVBR"
    assert h264["QvbrSettings"]["QvbrQualityLevel"] == 7
    assert h264["MaxBitrate"] == 1_000_000
    # Basic tier: balanced single pass, and the source's frame rate (no frame-rate conversion).
    assert h264["QualityTuningLevel"] == "SINGLE_PASS"
    assert h264["FramerateControl"] == "INITIALIZE_FROM_SOURCE"
    assert not {"FramerateNumerator", "FramerateConversionAlgorithm"} & set(h264)


def test_the_audio_is_aac_stereo_48k_at_96_to_128_kbps(job):
    (audio,) = job["Settings"]["OutputGroups"][0]["Outputs"][0]["AudioDescriptions"]
    assert audio["AudioSourceName"] in job["Settings"]["Inputs"][0]["AudioSelectors"]
    aac = audio["CodecSettings"]["AacSettings"]
    assert audio["CodecSettings"]["Codec"] == "AAC"
    assert 96_000 <= aac["Bitrate"] <= 128_000
    assert (aac["CodingMode"], aac["SampleRate"]) == ("CODING_MODE_2_0", 48_000)


def test_the_audio_only_rendition_is_the_same_aac_in_an_mp4_container_with_no_video(job):
    (mp4,) = job["Settings"]["OutputGroups"][0]["Outputs"]
    (audio,) = job["Settings"]["OutputGroups"][1]["Outputs"]
    assert "VideoDescription" not in audio and "CaptionDescriptions" not in audio
    (track,) = audio["AudioDescriptions"]  # MediaConvert: one audio description per audio-only output
    assert track == mp4["AudioDescriptions"][0]
    assert audio["ContainerSettings"]["Container"] == "MP4" and audio["Extension"] == "m4a"
    # Named as keys.audio_key names it.
    destination = job["Settings"]["OutputGroups"][1]["OutputGroupSettings"]["FileGroupSettings"]["Destination"]
    assert f"{destination}{audio['NameModifier']}.{audio['Extension']}" == f"s3://oneway-media/{keys.audio_key(REF)}"


def test_the_poster_is_one_jpeg_frame_capture(job):
    (poster,) = job["Settings"]["OutputGroups"][2]["Outputs"]
    assert poster["ContainerSettings"]["Container"] == "RAW"
    codec = poster["VideoDescription"]["CodecSettings"]
    assert codec["Codec"] == "FRAME_CAPTURE"
    assert codec["FrameCaptureSettings"]["MaxCaptures"] == 1
    assert poster["VideoDescription"]["ScalingBehavior"] == "FIT_NO_UPSCALE"
    # The MP4's box, below 720 lines: the poster is priced as SD.
    assert (poster["VideoDescription"]["Width"], poster["VideoDescription"]["Height"]) == (864, 486)


def test_the_job_carries_the_stack_and_take_and_the_idempotency_token(job):
    assert job["UserMetadata"] == {
        "stack": "oneway",
        "orgId": "o1",
        "interviewId": "i1",
        "candidateId": "c1",
        "questionId": "q1",
        "takeId": "t1",
    }
    assert job["ClientRequestToken"] == TOKEN
    assert job["Role"] == "arn:aws:iam::111122223333:role/oneway-mediaconvert"
    assert job["AccelerationSettings"] == {"Mode": "DISABLED"}
    assert "Queue" not in job  # the on-demand default queue


def test_a_configured_queue_is_used():
    queue = "arn:aws:mediaconvert:us-east-1:111122223333:queues/oneway"
    assert mediaconvert.job_request(transcode_request(), settings(mediaconvert_queue_arn=queue))["Queue"] == queue


def test_the_job_settings_fit_the_mediaconvert_api_model(job):
    from botocore.session import get_session
    from botocore.validate import validate_parameters

    model = get_session().get_service_model("mediaconvert").operation_model("CreateJob").input_shape
    assert model is not None, "CreateJob takes input"
    validate_parameters(job, model)  # raises ParamValidationError on unknown names or bad types


def test_output_names_follow_the_destination(job):
    assert mediaconvert.output_keys("p/") == ("p/recording.mp4", "p/recording.0000000.jpg", "p/recording-audio.m4a")
    assert mediaconvert.output_keys(keys.media_prefix(REF))[2] == keys.audio_key(REF)
    # The names the job's own settings give its files are the ones output_keys (and the local transcoder) use.
    files = mediaconvert.output_files(job["Settings"])
    assert (files["video"], files["poster"], files["audio"]) == mediaconvert.output_keys(keys.media_prefix(REF))


# --- Transcribe requests and job names --------------------------------------------------------


def test_the_job_name_carries_stack_take_and_token():
    name = transcribe.job_name("oneway", REF, TOKEN)
    assert name.startswith("oneway.o1.i1.c1.q1.t1.")
    assert len(name.rsplit(".", 1)[1]) == 8
    assert transcribe.job_name("oneway", REF, TOKEN) == name
    assert transcribe.job_name("oneway", REF, TOKEN + "x") != name
    assert transcribe.parse_job_name(name, "oneway") == REF


@pytest.mark.parametrize(
    "name",
    [
        "other.o1.i1.c1.q1.t1.0a1b2c3d",  # another stack
        "oneway.o1.i1.c1.q1.t1",  # no hash
        "oneway.o1.i1.c1.q1.t1.video-0a1b2c3d",  # a local video job
        "oneway.o1.i1..q1.t1.0a1b2c3d",
        "someone-elses-job",
    ],
)
def test_names_of_other_jobs_do_not_parse(name):
    assert transcribe.parse_job_name(name, "oneway") is None


def test_the_transcription_request_writes_json_and_vtt_beside_the_take():
    request = transcribe.job_request(transcribe_request(), settings())
    assert request == {
        "TranscriptionJobName": transcribe.job_name("oneway", REF, TOKEN),
        "LanguageCode": "en-US",
        "MediaFormat": "webm",
        "Media": {"MediaFileUri": f"s3://oneway-uploads/{REF.prefix}recording.webm"},
        "OutputBucketName": "oneway-media",
        "OutputKey": f"{REF.prefix}transcript.json",
        "Subtitles": {"Formats": ["vtt"], "OutputStartIndex": 1},
    }
    # Transcribe names the subtitles after OutputKey, .json replaced by .vtt.
    assert keys.captions_key(REF) == request["OutputKey"].removesuffix(".json") + ".vtt"


@pytest.mark.parametrize(("ext", "fmt"), [("webm", "webm"), ("mp4", "mp4"), ("mov", "mp4"), ("mkv", "webm"), ("bin", "webm")])
def test_the_media_format_follows_the_extension(ext, fmt):
    assert transcribe.media_format(f"{REF.prefix}recording.{ext}") == fmt


def test_local_job_ids_say_kind_take_and_where_the_state_is():
    speech = job_id_for(JobKind.speech, "oneway", REF, TOKEN)
    video = job_id_for(JobKind.video, "oneway", REF, TOKEN)
    assert speech == transcribe.job_name("oneway", REF, TOKEN)
    assert video != speech
    assert parse_job_id(video) == ("video", "oneway", REF)
    assert parse_job_id(speech) == ("speech", "oneway", REF)
    assert status_key(video).startswith(keys.media_prefix(REF) + "jobs/video-")
    assert status_key(speech).startswith(keys.media_prefix(REF) + "jobs/speech-")
    assert transcribe.parse_job_name(video, "oneway") is None  # never read as a transcription


@pytest.mark.parametrize("extension", ["webm", "mp4"])
def test_a_sound_only_answer_gets_the_audio_only_output_alone_within_mediaconverts_rules(extension):
    """Chromium's WebM/Opus or Safari's MP4/AAC: one audio-only output (AAC in MP4, named as keys.audio_key),
    no MP4, no poster (a frame capture needs a video output), no video selector on an input with no picture."""
    from tests.support.media_rules import check_create_job

    request = transcode_request().model_copy(update={"audio_only": True, "input_key": f"{REF.prefix}recording.{extension}"})
    job = mediaconvert.job_request(request, settings())
    assert check_create_job(job) == []
    (group,) = job["Settings"]["OutputGroups"]
    (output,) = group["Outputs"]
    assert "VideoDescription" not in output and output["AudioDescriptions"][0]["CodecSettings"]["Codec"] == "AAC"
    assert "VideoSelector" not in job["Settings"]["Inputs"][0]
    assert mediaconvert.output_files(job["Settings"]) == {"audio": keys.audio_key(REF)}
    # The rules do catch a wrong job: a poster with no video output, or a sound-only MOV input.
    with_poster = mediaconvert.job_request(transcode_request(), settings())["Settings"]["OutputGroups"][2]
    broken = copy.deepcopy(job)
    broken["Settings"]["OutputGroups"].append(with_poster)
    assert [v.rule.id for v in check_create_job(broken)] == ["mediaconvert.frame-capture"]
    mov = mediaconvert.job_request(request.model_copy(update={"input_key": f"{REF.prefix}recording.mov"}), settings())
    assert [v.rule.id for v in check_create_job(mov)] == ["mediaconvert.audio-only-input"]
    # And botocore's model of CreateJob.
    from botocore.session import get_session
    from botocore.validate import validate_parameters

    shape = get_session().get_service_model("mediaconvert").operation_model("CreateJob").input_shape
    assert shape is not None
    validate_parameters(job, shape)


def test_a_sound_only_jobs_event_gives_the_audio_and_its_duration():
    prefix = keys.media_prefix(REF)
    event = {
        "source": "aws.mediaconvert",
        "detail-type": mediaconvert.DETAIL_TYPE,
        "detail": {
            "status": "COMPLETE",
            "jobId": "j1",
            "userMetadata": mediaconvert.user_metadata("oneway", REF),
            "outputGroupDetails": [{"outputDetails": [{"outputFilePaths": [f"s3://oneway-media/{prefix}recording-audio.m4a"], "durationInMs": 41250}]}],
        },
    }
    state = mediaconvert.parse_event(event, "oneway")
    assert state is not None and (state.audio_key, state.video_key, state.poster_key) == (keys.audio_key(REF), None, None)
    assert state.duration_seconds == pytest.approx(41.25)


# --- events ---------------------------------------------------------------------------------


def test_a_complete_mediaconvert_event_gives_the_outputs_and_duration():
    state = mediaconvert.parse_event(fixture("mediaconvert_complete.json"), "oneway")
    assert state is not None
    assert (state.job_id, state.kind, state.status, state.ref) == ("1671476818694-phptj0", "video", "complete", REF)
    assert state.video_key == f"{REF.prefix}recording.mp4"
    assert state.poster_key == f"{REF.prefix}recording.0000000.jpg"
    assert state.audio_key == keys.audio_key(REF)
    assert state.duration_seconds == pytest.approx(30.041)  # the video's


def test_an_error_mediaconvert_event_gives_the_message():
    state = mediaconvert.parse_event(fixture("mediaconvert_error.json"), "oneway")
    assert state is not None
    assert (state.status, state.ref, state.kind) == ("failed", REF, "video")
    assert state.error and "Unable to open input file" in state.error and "1010" in state.error


def test_mediaconvert_events_of_other_stacks_and_states_are_ignored():
    foreign = fixture("mediaconvert_complete.json")
    foreign["detail"]["userMetadata"]["stack"] = "someone-else"
    untagged = fixture("mediaconvert_complete.json")
    untagged["detail"]["userMetadata"] = {}
    assert mediaconvert.parse_event(foreign, "oneway") is None
    assert mediaconvert.parse_event(untagged, "oneway") is None
    assert mediaconvert.parse_event(fixture("mediaconvert_progressing.json"), "oneway") is None
    assert mediaconvert.parse_event(fixture("transcribe_completed.json"), "oneway") is None


def test_a_completed_transcribe_event_gives_transcript_and_captions():
    state = transcribe.parse_event(fixture("transcribe_completed.json"), "oneway")
    assert state is not None
    assert (state.kind, state.status, state.ref) == ("speech", "complete", REF)
    assert state.job_id == "oneway.o1.i1.c1.q1.t1.0a1b2c3d"
    assert (state.transcript_key, state.captions_key) == (keys.transcript_key(REF), keys.captions_key(REF))


def test_a_failed_transcribe_event_gives_the_reason():
    state = transcribe.parse_event(fixture("transcribe_failed.json"), "oneway")
    assert state is not None
    assert state.status == "failed"
    assert state.error and state.error.startswith("Invalid file size")


def test_transcribe_events_of_other_stacks_are_ignored():
    event = fixture("transcribe_completed.json")
    assert transcribe.parse_event(event, "oneway-staging") is None
    event["detail"]["TranscriptionJobName"] = "podcast-episode-12"
    assert transcribe.parse_event(event, "oneway") is None
    assert transcribe.parse_event(fixture("mediaconvert_complete.json"), "oneway") is None


def test_an_adapter_parses_with_its_own_stack():
    event = fixture("mediaconvert_complete.json")
    assert mediaconvert.MediaConvertMedia(None, settings()).parse_event(event) is not None
    assert mediaconvert.MediaConvertMedia(None, settings(stack_prefix="other")).parse_event(event) is None


def test_job_state_from_get_job_finds_outputs_from_the_settings(job):
    got = {
        "Id": "1671476818694-phptj0",
        "Status": "COMPLETE",
        "Settings": job["Settings"],
        "UserMetadata": job["UserMetadata"],
        "OutputGroupDetails": [{"OutputDetails": [{"DurationInMs": 2500}]}, {"OutputDetails": [{"DurationInMs": 2500}]}],
    }
    state = mediaconvert.job_state_from_job(got)
    assert (state.status, state.ref, state.duration_seconds) == ("complete", REF, 2.5)
    assert (state.video_key, state.poster_key, state.audio_key) == mediaconvert.output_keys(keys.media_prefix(REF))
    # A job started before the audio-only output existed: no audio key (the take then fails, and can be retried).
    older = copy.deepcopy(got)
    older["Settings"]["OutputGroups"] = [g for g in older["Settings"]["OutputGroups"] if g["Name"] != "Audio"]
    assert mediaconvert.job_state_from_job(older).audio_key is None
    # A job started with the earlier layout (the MP4 and the audio-only output in one group, the MP4 with
    # no NameModifier) made the same files, and its state names them the same way.
    earlier = copy.deepcopy(got)
    mp4_group, audio_group, poster_group = earlier["Settings"]["OutputGroups"]
    mp4_group["Outputs"] += audio_group["Outputs"]
    earlier["Settings"]["OutputGroups"] = [mp4_group, poster_group]
    assert mediaconvert.job_state_from_job(earlier).model_dump() == mediaconvert.job_state_from_job(got).model_dump()
    failed = {**copy.deepcopy(got), "Status": "ERROR", "ErrorCode": 1010, "ErrorMessage": "Unable to open input file"}
    assert mediaconvert.job_state_from_job(failed).error == "Unable to open input file (1010)"
    assert mediaconvert.job_state_from_job({**got, "Status": "PROGRESSING"}).status == "running"


# --- transcripts -----------------------------------------------------------------------------


def test_transcript_text_reads_transcribes_shape():
    doc = {"jobName": "j", "results": {"transcripts": [{"transcript": " Hello there. "}], "items": []}}
    assert transcript_text(doc) == "Hello there."
    assert transcript_text({"results": {"transcripts": []}}) == ""
    assert transcript_text({}) == ""
