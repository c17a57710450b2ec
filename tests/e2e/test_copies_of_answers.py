"""Copies of answers in headless Chromium on the local stack: a recruiter downloads one answer's video from the
candidate page (an MP4 under the candidate's name, audited), and the candidate, back on their link after finishing,
gets their own copy of their answers (what they wrote, the transcript, their video to save)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import axe
from tests.e2e.test_review_workspace import check_a11y, sign_in
from tests.fixtures.media.synth import make_speech_webm
from tests.support.client import Api, token_from, upload_take, wait_for

pytestmark = pytest.mark.e2e

INTERVIEW = {
    "title": "Data analyst",
    "questions": [
        {"prompt": "Tell us about a chart that changed a decision.", "kind": "video", "thinkSeconds": 3, "answerSeconds": 30, "maxTakes": 1},
        {"prompt": "Which tools do you reach for first?", "kind": "text"},
    ],
    "rubric": [{"name": "Clarity"}],
    "practiceQuestion": False,
}


@pytest.fixture(scope="module")
def answered(stack, tmp_path_factory):
    admin = Api(stack.url, stack.sign_in())
    video = make_speech_webm("the chart showed churn doubling in one region", tmp_path_factory.mktemp("copies") / "answer.webm").read_bytes()
    iid = admin.post("/api/interviews", INTERVIEW)["interviewId"]
    (item,) = admin.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada Lovelace", "email": "ada.copies@example.com"}], "sendEmail": False})["items"]
    cand = Api(stack.url, token_from(item["inviteUrl"]))
    cand.post("/api/c/consent", {"accepted": True})
    take = cand.post("/api/c/questions/q1/takes")
    upload_take(cand, "q1", take["takeId"], video)
    cand.post("/api/c/questions/q2/text", {"text": "SQL first, then a notebook."})
    cand.post("/api/c/complete")
    cid = item["candidateId"]
    wait_for(lambda: admin.get(f"/api/candidates/{cid}")["answers"][0]["status"] == "ready", timeout=180, what="the answer to be ready")
    return {"admin": admin, "candidate": cid, "url": item["inviteUrl"]}


def is_mp4(path) -> bool:
    with open(path, "rb") as f:
        return f.read(12)[4:8] == b"ftyp"


def test_a_recruiter_downloads_an_answer_video_and_it_is_audited(answered, browser, stack, artifacts):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = ctx.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/candidates/{answered['candidate']}")
    button = page.get_by_role("button", name="Download video of question 1")
    expect(button).to_have_text("Download video")
    check_a11y(page)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "ada-lovelace-question-1.mp4"
    assert is_mp4(download.path())
    page.screenshot(path=str(artifacts / "copies-download-button.png"))
    ctx.close()
    log = answered["admin"].get("/api/audit")["items"]
    assert [(e["target"], e["detail"]) for e in log if e["action"] == "answer.downloaded"] == [(answered["candidate"], {"question_id": "q1"})]


def test_a_candidate_gets_a_copy_of_their_answers_from_their_link(answered, browser, artifacts):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = ctx.new_page()
    page.goto(answered["url"])
    expect(page.get_by_test_id("already-submitted")).to_be_visible()
    page.get_by_role("button", name="Get a copy of my answers").click()
    answers = page.get_by_test_id("copied-answer")
    expect(answers).to_have_count(2)
    expect(answers.nth(1)).to_contain_text("SQL first, then a notebook.")
    expect(page.get_by_text("The save links work for 60 minutes.")).to_be_visible()
    answers.nth(0).get_by_text("Transcript").click()
    expect(answers.nth(0).locator("details p")).not_to_be_empty()
    axe(page, "copy of answers")
    page.screenshot(path=str(artifacts / "copies-candidate-phone.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Save the video of question 1").click()
    download = info.value
    assert download.suggested_filename == "data-analyst-question-1.mp4"
    assert is_mp4(download.path())
    ctx.close()
