"""Low-bandwidth mode in headless Chromium on the local stack: the device check measures the uplink through a
presigned upload, recommends sound only on a throttled uplink (Chromium's own throttling, through the DevTools
protocol's Network.emulateNetworkConditions), the candidate answers with sound only, and the reviewer sees the
answer labelled as such, with a waveform, captions and a transcript, and plays it from the keyboard.
Screenshots: tests/e2e/artifacts/low-bandwidth-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.candidate_support import axe, consent, finish
from tests.e2e.test_review_workspace import sign_in
from tests.support.client import Api, wait_for

pytestmark = pytest.mark.e2e

PROMPT = "Tell us about a repair you are proud of."
# A slow uplink: 300 kbit/s (bytes per second for the protocol), below the 500 kbit/s under which sound only is recommended.
SLOW_UPLINK_BYTES_PER_SECOND = 300_000 // 8


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"low-bandwidth-{name}.png"), full_page=True)


def throttle(page: Page, upload_bytes_per_second: int) -> None:
    """Chromium's network throttling for this page's requests (XHR and fetch included); -1 lifts a limit."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 40, "downloadThroughput": -1, "uploadThroughput": upload_bytes_per_second},
    )


def measured(page: Page) -> tuple[int, str]:
    uplink = page.get_by_test_id("uplink")
    expect(uplink).to_be_visible(timeout=30_000)
    return int(uplink.get_attribute("data-kbps") or 0), uplink.get_attribute("data-recommended") or ""


def test_a_slow_uplink_gets_a_sound_only_answer_that_reviewers_see_as_such(browser, stack, artifacts):
    recruiter = Api(stack.url, stack.sign_in())
    made = recruiter.post(
        "/api/interviews",
        {
            "title": "Field service engineer",
            "questions": [{"prompt": PROMPT, "kind": "video", "thinkSeconds": 2, "answerSeconds": 20, "maxTakes": 2}],
            "practiceQuestion": False,
            "allowAudioAnswers": True,
        },
    )
    inv = recruiter.post(
        f"/api/interviews/{made['interviewId']}/invitations",
        {"candidates": [{"name": "Grace Hopper", "email": f"grace.{made['interviewId'][-6:]}@example.com"}], "sendEmail": False},
    )["items"][0]
    cid = inv["candidateId"]

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    consent(page, inv["inviteUrl"], check_axe=False)
    expect(page.get_by_test_id("device-check")).to_be_visible()
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.videoWidth > 0 }")

    # Unthrottled (loopback): fast, standard video recommended.
    fast, recommended = measured(page)
    assert recommended == "standard" and fast >= 2000, fast

    # The same probe on a throttled uplink: much slower, and sound only is recommended and chosen.
    throttle(page, SLOW_UPLINK_BYTES_PER_SECOND)
    page.get_by_role("button", name="Measure again").click()
    expect(page.get_by_test_id("uplink-measuring")).to_be_visible()
    slow, recommended = measured(page)
    assert slow < 500 and slow < fast / 4, (slow, fast)  # the throttle applies to the probe's XHR PUT
    assert recommended == "audio"
    expect(page.get_by_test_id("uplink")).to_contain_text(re.compile(r"about 0\.\d Mbit/s"))
    expect(page.get_by_test_id("uplink")).to_contain_text("very slow connection")
    expect(page.get_by_label(re.compile("^Sound only"))).to_be_checked()
    axe(page, "device check with the connection")
    shot(page, artifacts, "01-device-check-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, artifacts, "01-device-check-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Continue").click()

    # Before the answer: the choice is shown, and could be changed.
    intro = page.get_by_test_id("question-intro")
    expect(intro).to_be_visible()
    expect(intro.get_by_label(re.compile("^Sound only"))).to_be_checked()
    shot(page, artifacts, "02-before-answer")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_test_id("capture")).to_be_visible()
    expect(page.get_by_test_id("audio-stage")).to_be_visible()
    page.get_by_role("button", name="Start recording now").click()
    expect(page.get_by_test_id("capture")).to_have_attribute("data-phase", "record")
    shot(page, artifacts, "03-recording-sound-only")
    page.wait_for_timeout(6000)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_label("Your recorded answer")).to_be_visible()
    page.get_by_role("button", name="Submit answer").click()
    finish(page)
    context.close()

    # Through the local pipeline: the audio-only rendition, a transcript and captions.
    wait_for(lambda: recruiter.get(f"/api/candidates/{cid}")["status"] == "ready", timeout=180, every=2, what="ready")
    (answer,) = recruiter.get(f"/api/candidates/{cid}")["answers"]
    assert answer["form"] == "audio" and 0 < answer["uplinkKbps"] < 500
    assert answer["videoUrl"] is None and answer["posterUrl"] is None and "recording-audio.m4a" in answer["audioUrl"]
    assert answer["transcript"] and answer["captionsUrl"]
    assert 3 <= answer["durationSeconds"] <= 10

    # The reviewer: labelled as sound only on a slow connection, a waveform, the transcript, the keyboard.
    for width, height in ((1280, 800), (390, 844)):
        review = browser.new_context(viewport={"width": width, "height": height})
        page = review.new_page()
        sign_in(page, stack)
        page.goto(f"{stack.url}/#/candidates/{cid}")
        form = page.get_by_test_id("answer-form")
        expect(form).to_contain_text(re.compile(r"Audio only, chosen by the candidate on a slow connection \(0\.\d Mbit/s measured\)"))
        expect(form).to_have_attribute("data-form", "audio")
        expect(page.get_by_test_id("answer-video")).to_have_count(0)
        # A manager may save it: as its sound, and the button says so.
        expect(page.get_by_test_id("download-answer")).to_have_text("Download sound")
        audio = page.get_by_test_id("answer-audio")
        expect(audio).to_have_count(1)
        waveform = page.get_by_test_id("waveform")
        expect(waveform).to_be_visible()
        page.wait_for_function("() => Number(document.querySelector('[data-testid=waveform]').dataset.bars) > 0", timeout=15_000)
        expect(page.get_by_test_id("transcript")).not_to_contain_text("No transcript")
        if width == 1280:
            # Space plays, S changes the speed: the page's shortcuts drive the audio player as they drive video.
            page.locator("body").click(position={"x": 5, "y": 5})
            page.keyboard.press("s")
            page.keyboard.press(" ")
            page.wait_for_function("() => { const a = document.querySelector('[data-testid=answer-audio]'); return a && !a.paused && a.currentTime > 0.3 }", timeout=10_000)
            assert page.evaluate("() => document.querySelector('[data-testid=answer-audio]').playbackRate") == 1.25
            page.keyboard.press(" ")
            page.wait_for_function("() => document.querySelector('[data-testid=answer-audio]').paused")
            axe(page, "a sound-only answer in review")
        shot(page, artifacts, f"04-review-{width}")
        review.close()
