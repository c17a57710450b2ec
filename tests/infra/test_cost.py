"""The cost model: the target per answered minute, and that it prices Oneway's real settings."""

from __future__ import annotations

import copy
import json

import pytest

from oneway.adapters import mediaconvert, transcribe
from oneway_infra import cost

LISTED = ("MediaConvert", "Transcribe", "S3", "Lambda", "API Gateway", "DynamoDB", "CloudFront", "SES")


def test_an_answered_minute_costs_at_most_five_cents_with_the_blind_review_audio_rendition():
    e = cost.estimate()
    # The goal is $0.05, with the audio-only rendition that blind review plays (so that no URL of the
    # picture reaches a blind reviewer) included.
    audio = sum(line.usd for line in e.lines if "audio-only" in line.item)
    assert audio > 0
    assert 0 < e.total_usd <= cost.TARGET_PER_ANSWERED_MINUTE == 0.05
    assert e.total_usd == pytest.approx(sum(e.by_service.values()))
    for service in LISTED:
        assert e.by_service[service] > 0, service
    assert e.total_usd == pytest.approx(sum(line.usd for line in e.lines))


def test_a_ten_minute_interview_costs_ten_answered_minutes():
    minute, interview = cost.estimate(1.0), cost.estimate(10.0)
    assert interview.total_usd == pytest.approx(10 * minute.total_usd)
    assert interview.per_answered_minute == pytest.approx(minute.total_usd)
    assert interview.answers == 5  # answers of two minutes


def test_both_video_outputs_stay_in_the_basic_tier_and_the_audio_only_one_pays_the_audio_rate():
    mp4, audio, poster = cost.estimate().outputs
    assert (mp4.codec, mp4.tier, mp4.resolution, (mp4.width, mp4.height)) == ("H_264", "Basic", "SD", (864, 486))
    assert (poster.codec, poster.tier, poster.resolution, (poster.width, poster.height)) == ("FRAME_CAPTURE", "Basic", "SD", (864, 486))
    assert mp4.usd_per_minute == 0.0075 and poster.usd_per_minute == 0.0075
    assert (audio.codec, audio.tier, audio.usd_per_minute) == ("AAC", "audio-only", 0.003)


def test_the_audio_only_rendition_is_stored_for_the_retention_period():
    e = cost.estimate()
    stored = [line for line in e.lines if line.item.startswith("audio-only rendition storage")]
    assert stored and sum(line.quantity for line in stored) == pytest.approx(
        e.answers * 96_000 / 8 * 120 / cost.GIB * cost.retention_days() / 30
    )


def test_a_professional_quality_setting_in_the_job_moves_the_mp4_to_professional(monkeypatch):
    before = cost.estimate()
    monkeypatch.setattr(mediaconvert, "QUALITY_TUNING_LEVEL", "MULTI_PASS_HQ")
    after = cost.estimate()
    assert after.outputs[0].tier == "Professional" and "MULTI_PASS_HQ" in after.outputs[0].why
    assert after.by_service["MediaConvert"] == pytest.approx(before.by_service["MediaConvert"] + 0.012 - 0.0075)


def test_a_720p_rendition_is_hd_and_dearer_and_so_is_a_larger_poster(monkeypatch):
    before = cost.estimate()
    monkeypatch.setattr(mediaconvert, "MAX_WIDTH", 1280)
    monkeypatch.setattr(mediaconvert, "MAX_HEIGHT", 720)
    larger = cost.estimate()
    assert larger.outputs[0].resolution == "HD"
    assert larger.by_service["MediaConvert"] == pytest.approx(before.by_service["MediaConvert"] + 0.015 - 0.0075)
    assert larger.total_usd > cost.TARGET_PER_ANSWERED_MINUTE  # why the rendition is SD
    monkeypatch.setattr(mediaconvert, "POSTER_MAX_WIDTH", 1280)
    monkeypatch.setattr(mediaconvert, "POSTER_MAX_HEIGHT", 720)
    assert cost.estimate().outputs[2].resolution == "HD"


def test_the_rendition_bitrate_drives_storage_and_downloads(monkeypatch):
    before = cost.estimate().by_service["S3"]
    monkeypatch.setattr(mediaconvert, "MAX_BITRATE", 2 * mediaconvert.MAX_BITRATE)
    assert cost.estimate().by_service["S3"] > before * 1.3


def _mp4_settings(job):
    return job["Settings"]["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["CodecSettings"]["H264Settings"]


def test_acceleration_frame_rate_conversion_and_preprocessors_are_professional():
    job = cost.mediaconvert_job()
    accelerated = {**copy.deepcopy(job), "AccelerationSettings": {"Mode": "ENABLED"}}
    assert {o.tier for o in cost.estimate(job=accelerated).outputs if o.resolution != "audio"} == {"Professional"}

    converted = copy.deepcopy(job)
    _mp4_settings(converted).update(FramerateControl="SPECIFIED", FramerateNumerator=60, FramerateDenominator=1)
    mp4 = cost.estimate(job=converted).outputs[0]
    assert (mp4.tier, mp4.fps, mp4.usd_per_minute) == ("Professional", 60, 2 * 0.012)

    deinterlaced = copy.deepcopy(job)
    deinterlaced["Settings"]["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["VideoPreprocessors"] = {"Deinterlacer": {}}
    assert "Deinterlacer" in cost.estimate(job=deinterlaced).outputs[0].why


def test_the_recorder_settings_come_from_the_candidate_app(tmp_path):
    real = cost.recorder()
    assert (real.width, real.height, real.max_fps) == (1280, 720, 30)
    assert 500_000 <= real.video_bps <= 5_000_000 and real.audio_bps > 0
    source = tmp_path / "media.ts"
    source.write_text(
        "video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24, max: 24 } }\n"
        "export const STANDARD_VIDEO_BPS = 800_000\nexport const STANDARD_AUDIO_BPS = 64_000\n"
    )
    assert cost.recorder(source) == cost.Recorder(width=640, height=480, max_fps=24, video_bps=800_000, audio_bps=64_000)
    smaller = cost.estimate(source=cost.recorder(source))
    assert smaller.outputs[0].resolution == "SD" and smaller.total_usd < cost.estimate().total_usd
    source.write_text("nothing here")
    with pytest.raises(ValueError, match=r"STANDARD_VIDEO_BPS|camera width"):
        cost.recorder(source)


def test_the_retention_period_comes_from_cdk_json(tmp_path):
    assert cost.retention_days() == json.loads(cost.CDK_JSON.read_text())["context"]["retentionDays"]
    other = tmp_path / "cdk.json"
    other.write_text(json.dumps({"context": {"retentionDays": 365}}))
    assert cost.retention_days(other) == 365
    assert cost.estimate(retention=365).by_service["S3"] > cost.estimate().by_service["S3"]


def test_priced_transcribe_options_in_the_request_are_charged(monkeypatch):
    before = cost.estimate().by_service["Transcribe"]
    real = transcribe.job_request
    monkeypatch.setattr(
        transcribe, "job_request", lambda *a, **k: {**real(*a, **k), "ContentRedaction": {"RedactionType": "PII"}}
    )
    assert cost.estimate().by_service["Transcribe"] == pytest.approx(before * 1.1)


def test_docs_cost_md_is_generated_from_the_model():
    assert cost.COST_DOC.read_text() == cost.markdown(), "docs/cost.md is stale: run `make cost-doc`"


def test_each_bucket_uses_the_cheaper_storage_for_its_objects():
    """Recordings expire before Intelligent-Tiering could move them; renditions live the retention period."""
    choices = {c.what: c for c in cost.tiering_choice()}
    assert set(choices) == {"recording", "rendition", "audio-only rendition"}
    for c in choices.values():
        assert c.cheaper_is_chosen, c
    assert not choices["recording"].tiered and choices["recording"].tiered_usd > choices["recording"].standard_usd
    assert choices["rendition"].tiered and choices["rendition"].tiered_usd < choices["rendition"].standard_usd
    lines = [line.item for line in cost.estimate().lines]
    assert "recording storage, S3 Standard" in lines
    assert not any(item.startswith("recording") and "Intelligent-Tiering" in item for item in lines)


def test_small_objects_are_never_tiered():
    """Under 128 KB an object is neither transitioned nor monitored: the Standard price, no fees."""
    small = 100 * 1024
    assert cost.object_storage_usd(small, 180, tiered=True) == cost.object_storage_usd(small, 180, tiered=False)


def test_the_web_acl_costs_its_monthly_fees_and_every_request_it_inspects(tmp_path):
    """On by default (cdk.json): $5 a month for the web ACL, $1 for its rule, $0.60 per million requests,
    every request through CloudFront (the site's files too) inspected. Off: none of it."""
    from oneway_infra import sizes

    assert cost.waf_enabled() is True
    idle = cost.idle_month()
    assert idle["AWS WAF web ACL"] == 5.00
    assert idle[f"AWS WAF rules ({sizes.WAF_RULES})"] == 1.00 * sizes.WAF_RULES
    e = cost.estimate(10.0)
    (cloudfront,) = [line for line in e.lines if line.item == "HTTPS requests (site and API)"]
    (inspected,) = [line for line in e.lines if line.service == "WAF"]
    assert inspected.quantity == cloudfront.quantity and inspected.usd == pytest.approx(cloudfront.quantity * 0.60 / 1e6)
    assert "WAF" in cost.SERVICES and e.by_service["WAF"] == inspected.usd

    off = tmp_path / "cdk.json"
    off.write_text(json.dumps({"context": {**json.loads(cost.CDK_JSON.read_text())["context"], "waf": False}}))
    assert cost.waf_enabled(off) is False
    assert not any(item.startswith("AWS WAF") for item in cost.idle_month(waf=False))
    assert cost.estimate(10.0, waf=False).by_service["WAF"] == 0
    assert sum(cost.idle_month().values()) - sum(cost.idle_month(waf=False).values()) == pytest.approx(5.0 + sizes.WAF_RULES)
