"""A human welcome, in headless Chromium on the local stack: a recruiter uploads a welcome video and a closing video
in the builder (the local pipeline makes their renditions and captions); the candidate sees the welcome video, with
captions, on the welcome page and the closing video on the done page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import answer_text, axe, consent, finish
from tests.e2e.test_interview_builder import phone_video, sign_in
from tests.support.client import Api

pytestmark = pytest.mark.e2e


def test_the_recruiters_welcome_and_closing_videos_reach_the_candidate(browser, stack, artifacts, tmp_path):
    mp4 = phone_video(tmp_path / "hello.mp4")
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, stack)
    page.get_by_test_id("new-interview").click()
    page.get_by_label("Title").fill("Warehouse team lead")
    row = page.get_by_test_id("question-row").nth(0)
    row.get_by_label("Question", exact=True).fill("Which shift suits you, and why?")
    row.get_by_label("Answer type").select_option(label="Written")
    for slot in ("intro-video", "closing-video"):
        box = page.get_by_test_id(slot)
        expect(box.get_by_role("button", name="Upload a video file", exact=False)).to_be_enabled()  # the draft's id has come
        box.get_by_test_id("question-video-file").set_input_files(str(mp4))
        expect(box.get_by_test_id("question-video-status")).to_have_text("Ready: candidates see this video with captions.", timeout=120_000)
    expect(page.get_by_test_id("intro-video").get_by_role("button", name="Remove video welcoming candidates")).to_be_visible()
    axe(page, "builder with welcome and closing videos")
    page.get_by_test_id("intro-video").screenshot(path=str(artifacts / "greeting-builder.png"))
    page.get_by_role("button", name="Create interview").click()
    expect(page.get_by_role("heading", name="Warehouse team lead")).to_be_visible()
    iid = page.url.rsplit("/", 1)[1]
    ctx.close()

    recruiter = Api(stack.url, stack.sign_in())
    (item,) = recruiter.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ida Welcome", "email": "ida@example.com"}], "sendEmail": False})["items"]
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    cand = phone.new_page()
    cand.goto(item["inviteUrl"])
    intro = cand.get_by_test_id("intro-video")
    expect(intro).to_be_visible()
    expect(intro).to_have_accessible_name("A word from the team")
    expect(intro.locator("track[kind=captions]")).to_have_count(1)
    cand.wait_for_function("() => document.querySelector('[data-testid=intro-video]').readyState >= 1")
    cand.screenshot(path=str(artifacts / "greeting-welcome-390.png"), full_page=True)
    consent(cand, item["inviteUrl"], check_axe=True)
    answer_text(cand, "Nights: I am sharpest then.")
    finish(cand)
    closing = cand.get_by_test_id("closing-video")
    expect(closing).to_be_visible()
    expect(closing).to_have_accessible_name("A message from the team")
    axe(cand, "done with the closing video")
    cand.screenshot(path=str(artifacts / "greeting-done-390.png"), full_page=True)
    phone.close()
