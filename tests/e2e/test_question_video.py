"""A question video from the builder to the candidate, in headless Chromium on the local stack.

The recruiter records question 1 with the (fake) camera in the interview builder,
watches it back, sends it; the local pipeline makes the MP4, poster and captions;
the builder shows it ready with captions; the candidate sees it play, with its
captions, before the thinking time starts. axe-core on each changed page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import axe, consent, device_check, shot
from tests.support.client import Api

pytestmark = pytest.mark.e2e

PROMPT = "Describe a customer you helped in a difficult moment."


def sign_in(page, stack) -> None:
    page.goto(stack.url + "/")
    page.get_by_label("Email").fill(stack.email)
    page.get_by_label("Password").fill(stack.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("org-name")).to_be_visible()


def test_a_recruiter_records_a_question_video_the_candidate_watches_it_with_captions(browser, stack, artifacts):
    recruiter = Api(stack.url, stack.sign_in())
    question = {"prompt": PROMPT, "kind": "video", "thinkSeconds": 3, "answerSeconds": 10, "maxTakes": 1}
    made = recruiter.post("/api/interviews", {"title": "Question video check", "questions": [question], "practiceQuestion": False})
    iid = made["interviewId"]

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/interviews/{iid}/edit")
    row = page.get_by_test_id("question-row").nth(0)
    video = row.get_by_test_id("question-video")
    video.get_by_role("button", name="Record a video of question 1").click()
    page.wait_for_function("() => { const v = document.querySelector('[data-testid=question-video] video'); return v && v.videoWidth > 0 }")
    axe(page, "builder with the camera on")
    video.get_by_role("button", name="Start recording").click()
    page.wait_for_timeout(4000)  # the fake camera and microphone: moving bars and espeak's voice
    video.get_by_role("button", name="Stop recording").click()
    expect(video.get_by_test_id("question-video-recorded")).to_be_visible()
    axe(page, "builder with a recording to review")
    video.get_by_role("button", name="Use this video").click()
    # The pipeline (PyAV and pocketsphinx on the local stack) makes the MP4, the poster and the captions.
    expect(video.get_by_test_id("question-video-status")).to_have_text("Ready: candidates see this video with captions.", timeout=90_000)
    player = video.get_by_test_id("question-video-player")
    assert "recording.0000000.jpg" in (player.get_attribute("poster") or "")
    assert "/question-media/" in (player.get_attribute("src") or "")
    expect(player.locator("track[kind=captions]")).to_have_count(1)
    axe(page, "builder with a ready question video")
    shot(page, artifacts, "question-video-builder")
    page.get_by_role("button", name="Save interview").click()
    expect(page.get_by_role("heading", name="Question video check")).to_be_visible()
    expect(page.get_by_test_id("question-media-state")).to_have_text("Comes as a video, with captions.")
    axe(page, "interview page")
    saved = recruiter.get(f"/api/interviews/{iid}")["questions"][0]
    assert saved["media"]["status"] == "ready" and saved["mediaId"] == saved["media"]["mediaId"]
    ctx.close()

    inv = recruiter.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Vic Viewer", "email": "vic.viewer@example.com"}], "sendEmail": False})
    cctx = browser.new_context(viewport={"width": 1280, "height": 900})
    cpage = cctx.new_page()
    consent(cpage, inv["items"][0]["inviteUrl"], check_axe=False)
    device_check(cpage)
    expect(cpage.get_by_test_id("has-video")).to_be_visible()
    cpage.get_by_role("button", name="Start", exact=True).click()
    capture = cpage.get_by_test_id("capture")
    expect(capture).to_have_attribute("data-phase", "watch")
    expect(capture.get_by_test_id("question-prompt")).to_have_text(PROMPT)
    # The video plays, with its captions loaded (the cues of the recruiter's own words).
    cpage.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=question-video]');"
        " return v && v.currentTime > 0.5 && v.textTracks.length === 1 && v.textTracks[0].cues && v.textTracks[0].cues.length > 0 }",
        timeout=20_000,
    )
    axe(cpage, "candidate watching the question video")
    shot(cpage, artifacts, "question-video-candidate")
    # When the video ends, the thinking time starts.
    expect(capture).to_have_attribute("data-phase", "think", timeout=20_000)
    cctx.close()
