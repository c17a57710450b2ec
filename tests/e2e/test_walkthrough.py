"""One answer from the candidate's browser to the review site, in headless Chromium.

The recruiter signs in, builds an interview and invites a candidate; the
invitation arrives in the outbox; the candidate records with the (fake)
camera, retakes once, uploads by presigned multipart and answers in writing;
the local pipeline makes the MP4, poster, transcript and captions; the
recruiter watches, scores and decides. Screenshots go to tests/e2e/artifacts.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.client import wait_for

pytestmark = pytest.mark.e2e

TITLE = "Support engineer"
VIDEO_PROMPT = "Tell us about a time you solved a hard problem."
TEXT_PROMPT = "Why do you want this role?"


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def sign_in(page: Page, stack) -> None:
    page.goto(stack.url + "/")
    page.get_by_label("Email").fill(stack.email)
    page.get_by_label("Password").fill(stack.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("org-name")).to_have_text("Demo Company")


def create_interview(page: Page) -> None:
    page.get_by_test_id("new-interview").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Introduction for candidates").fill("A short interview: one video answer and one written answer.")
    rows = page.get_by_test_id("question-row")
    first = rows.nth(0)
    first.get_by_label("Question", exact=True).fill(VIDEO_PROMPT)
    # Times come in steps (the candidate starts recording before the thinking time is up).
    first.get_by_label("Thinking time").select_option(label="15 seconds")
    first.get_by_label("Answer time").select_option(label="30 seconds")
    first.get_by_label("Takes allowed").select_option(label="2 takes")
    page.get_by_role("button", name="Add question").click()
    second = rows.nth(1)
    second.get_by_label("Question", exact=True).fill(TEXT_PROMPT)
    second.get_by_label("Answer type").select_option("text")
    rubric = page.get_by_test_id("rubric-row")
    if rubric.count() == 0:
        page.get_by_role("button", name="Add criterion").click()
    rubric.nth(0).get_by_label("Criterion", exact=True).fill("Communication")
    page.get_by_role("button", name="Add criterion").click()
    rubric.nth(1).get_by_label("Criterion", exact=True).fill("Problem solving")
    page.get_by_role("button", name="Create interview").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def invite(page: Page) -> str:
    form = page.get_by_test_id("invite-form")
    form.get_by_label("Name", exact=True).fill("Grace Hopper")
    form.get_by_label("Email", exact=True).fill("grace@example.com")
    form.get_by_role("button", name="Invite").click()
    url = page.get_by_test_id("invite-url").input_value()
    assert re.search(r"/c/#t=[A-Za-z0-9_-]{43,}$", url), url
    return url


def record(page: Page, seconds: float) -> None:
    page.get_by_role("button", name="Start recording now").click()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    page.wait_for_timeout(seconds * 1000)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_label("Your recorded answer")).to_be_visible()


def test_an_answer_travels_from_the_candidates_browser_to_the_review_site(browser, stack, artifacts):
    recruiter = browser.new_context(viewport={"width": 1280, "height": 900})
    page = recruiter.new_page()
    sign_in(page, stack)
    shot(page, artifacts, "01-interviews")
    create_interview(page)
    invite_url = invite(page)
    shot(page, artifacts, "02-invited")

    # The invitation email, with the same link, is in the outbox (the deliver function sends it once the invitation is saved).
    mails = wait_for(lambda: [m for m in stack.outbox() if "grace@example.com" in m["to"]], timeout=15, what="the invitation email")
    assert mails and invite_url in mails[-1]["body"] and TITLE in mails[-1]["subject"]
    page.goto(stack.outbox_url)
    # The outbox page shows each email as it looks (its HTML, framed) and, folded, its text alternative.
    sent = page.get_by_role("article").filter(has_text="To: grace@example.com").first
    expect(sent.locator("iframe")).to_be_visible()
    sent.get_by_text("Text", exact=True).click()
    expect(sent.get_by_text(invite_url).first).to_be_visible()
    shot(page, artifacts, "03-outbox")

    # The candidate, in a browser of their own.
    candidate = browser.new_context(viewport={"width": 1280, "height": 900})
    cpage = candidate.new_page()
    cpage.goto(invite_url)
    expect(cpage.get_by_text("Hello Grace Hopper")).to_be_visible()
    shot(cpage, artifacts, "04-welcome")
    cpage.get_by_label(re.compile("I agree to the recording")).check()
    cpage.get_by_role("button", name="I agree and continue").click()

    # Device check: the camera preview and the microphone meter.
    allow = cpage.get_by_role("button", name="Turn on camera and microphone")
    if allow.count():
        allow.click()
    expect(cpage.get_by_label("Camera preview")).to_be_visible()
    cpage.wait_for_function("() => { const v = document.querySelector('video'); return v && v.videoWidth > 0 }")
    shot(cpage, artifacts, "05-device-check")
    cpage.get_by_role("button", name="Continue").click()

    skip = cpage.get_by_role("button", name="Skip practice")
    if skip.count():
        skip.click()
        begin = cpage.get_by_role("button", name="Start the interview")
        if begin.count():
            begin.click()

    # Question 1: think, record, watch back, retake once, submit.
    cpage.get_by_role("button", name="Start", exact=True).click()
    expect(cpage.get_by_text(VIDEO_PROMPT)).to_be_visible()
    record(cpage, 2.5)
    shot(cpage, artifacts, "06-watch-back")
    cpage.get_by_role("button", name="Retake").click()
    cpage.get_by_role("button", name="Start", exact=True).click() if cpage.get_by_role("button", name="Start", exact=True).count() else None
    record(cpage, 4)
    expect(cpage.get_by_role("button", name="Retake")).to_have_count(0)
    cpage.get_by_role("button", name="Submit answer").click()
    progress = cpage.locator("progress, [role=progressbar]")
    expect(progress.first).to_be_attached()
    shot(cpage, artifacts, "07-uploading")

    # Question 2: a written answer.
    answer = cpage.get_by_label("Your answer")
    expect(answer).to_be_visible(timeout=30_000)
    answer.fill("I like helping people get unstuck, and I like finding the real cause of a problem.")
    shot(cpage, artifacts, "08-text-question")
    cpage.get_by_role("button", name=re.compile("Submit|Save|Continue")).first.click()
    cpage.get_by_role("button", name="Finish").click()
    expect(cpage.get_by_role("heading", name=re.compile("Thank you", re.I))).to_be_visible()
    shot(cpage, artifacts, "09-finished")

    # Back on the review site: the candidate turns ready once the pipeline is done.
    page.goto(stack.url + "/")
    page.get_by_role("link", name=TITLE).click()
    row = page.get_by_test_id("candidate-row").filter(has_text="Grace Hopper")
    expect(row).to_be_visible()

    def ready() -> bool:
        page.reload()
        return page.get_by_test_id("candidate-row").filter(has_text="Grace Hopper").get_attribute("data-status") == "ready"

    wait_for(ready, timeout=180, every=2, what="the candidate to be ready for review")
    shot(page, artifacts, "10-ready")
    page.get_by_role("link", name="Grace Hopper").click()

    video = page.get_by_test_id("answer-video")
    expect(video).to_be_visible()
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=answer-video]'); return v && v.readyState >= 2 && v.videoWidth > 0 }",
        timeout=30_000,
    )
    facts = video.evaluate(
        """async v => {
            v.muted = true; v.playbackRate = 2; await v.play(); await new Promise(r => setTimeout(r, 700)); v.pause();
            const track = v.textTracks[0];
            return {duration: v.duration, width: v.videoWidth, height: v.videoHeight, time: v.currentTime,
                    poster: v.poster, tracks: v.textTracks.length, cues: track && track.cues ? track.cues.length : null, rate: v.playbackRate};
        }"""
    )
    assert 3 <= facts["duration"] <= 8, facts  # the second take, about 4 s, and it knows its duration
    assert facts["time"] > 0 and facts["rate"] == 2 and facts["poster"], facts
    assert facts["tracks"] == 1, facts
    transcript = page.get_by_test_id("transcript")
    expect(transcript).not_to_be_empty()
    shot(page, artifacts, "11-review")
    # One answer at a time: the written answer is the next one.
    page.get_by_role("button", name="Next answer").click()
    expect(page.get_by_text("I like helping people get unstuck")).to_be_visible()

    # Score the rubric, then decide.
    form = page.get_by_test_id("review-form")
    form.get_by_role("group", name=re.compile("Communication")).get_by_label("4").check()
    form.get_by_role("group", name=re.compile("Problem solving")).get_by_label("5").check()
    form.get_by_label("Recommendation").select_option("advance")
    form.get_by_label("Comment").fill("Clear and structured.")
    form.get_by_role("button", name="Save review").click()
    expect(page.get_by_test_id("review")).to_have_count(1)
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label(re.compile("Advance", re.I)).check()
    decision.get_by_label("Reason").fill("Strong answer; invite to the panel.")
    decision.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("current-decision")).to_have_attribute("data-decision", "advance")
    shot(page, artifacts, "12-decided")

    # And the API agrees.
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {stack.sign_in()}"
    cid = page.url.rsplit("/", 1)[1]
    detail = api.get(f"{stack.url}/api/candidates/{cid}", timeout=10).json()
    assert detail["status"] == "advanced" and detail["decision"]["decision"] == "advance"
    assert detail["reviews"][0]["scores"] == {"Communication": 4, "Problem solving": 5}
    video_answer = detail["answers"][0]
    assert video_answer["status"] == "ready" and video_answer["durationSeconds"] > 2
    mp4 = requests.get(video_answer["videoUrl"], timeout=10).content
    assert mp4[4:8] == b"ftyp" and mp4.find(b"moov") < mp4.find(b"mdat"), "moov first, for progressive playback"
    vtt = requests.get(video_answer["captionsUrl"], timeout=10).text
    assert vtt.startswith("WEBVTT")
    recruiter.close()
    candidate.close()
