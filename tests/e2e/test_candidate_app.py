"""The candidate's side in headless Chromium on the local stack: every step a candidate takes,
uploads that survive a cut network, a reload and an expired URL, the ends of the road
(deadline, revoked link), accommodations, a phone, and axe-core on every page.
Screenshots: tests/e2e/artifacts/candidate-*.png."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Route, expect

from tests.e2e.candidate_support import (
    TEXT_PROMPT,
    VIDEO_PROMPT,
    Wire,
    answer_text,
    axe,
    consent,
    device_check,
    finish,
    invite,
    kept_recordings,
    record,
    set_deadline,
    shot,
    soon,
    start,
    stored_object,
    watch_wire,
)
from tests.support.client import Api, ApiError, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def test_happy_path_from_welcome_to_the_status_page(context, stack, artifacts):
    inv = invite(stack, practice=True)
    wire = Wire()
    watch_wire(context, wire)
    page = context.new_page()
    page.goto(inv.url)
    welcome = page.get_by_test_id("welcome")
    expect(welcome).to_be_visible()
    # What the candidate learns before agreeing: org, questions with times and takes, duration, deadline, privacy.
    expect(page.get_by_test_id("org-name")).to_have_text("Demo Company")
    questions = page.get_by_test_id("question-list")
    expect(questions.get_by_role("listitem")).to_have_count(2)
    expect(questions).to_contain_text("2 sec to think, 10 sec to answer · 2 takes")
    expect(welcome).to_contain_text(re.compile(r"About \d+ minutes in total"))
    expect(page.get_by_test_id("privacy-notice")).to_contain_text("automated")
    expect(page.get_by_test_id("privacy-notice")).to_contain_text("kept for")
    # No camera before consent.
    assert page.evaluate("() => document.querySelectorAll('video').length") == 0
    axe(page, "welcome")
    shot(page, artifacts, "01-welcome")
    page.get_by_label(re.compile("I agree to the recording")).check()
    page.get_by_role("button", name="I agree and continue").click()

    expect(page.get_by_test_id("device-check")).to_be_visible()
    device_check(page, artifacts, check_axe=True)

    # Practice: recorded, watched, never sent.
    page.get_by_role("button", name="Try a practice recording").click()
    expect(page.get_by_test_id("capture")).to_be_visible()
    axe(page, "practice")
    record(page, 1.5)
    shot(page, artifacts, "03-practice")
    page.get_by_role("button", name="Start the interview").click()
    assert wire.urls == [], "a practice recording is never uploaded"

    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    axe(page, "question intro")
    start(page)
    expect(page.get_by_test_id("question-prompt")).to_have_text(VIDEO_PROMPT)
    axe(page, "thinking")
    shot(page, artifacts, "04-think")
    page.get_by_role("button", name="Start recording now").click()
    expect(page.get_by_test_id("capture")).to_have_attribute("data-phase", "record")
    axe(page, "recording")
    shot(page, artifacts, "05-recording")
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_label("Your recorded answer")).to_be_visible()
    axe(page, "watch back")
    shot(page, artifacts, "06-watch-back")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_test_id("upload")).to_be_visible()
    axe(page, "upload")

    expect(page.get_by_test_id("text-question")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("text-question")).to_contain_text(TEXT_PROMPT)
    page.get_by_label("Your answer").fill("Twelve characters")
    expect(page.locator("#text-count")).to_have_text("17 / 10,000 characters")
    axe(page, "text question")
    shot(page, artifacts, "07-text")
    page.get_by_role("button", name="Submit answer").click()

    expect(page.get_by_test_id("finish")).to_be_visible()
    axe(page, "finish")
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_test_id("done")).to_be_visible()
    axe(page, "done")
    page.get_by_label("5: Great").check()
    page.get_by_label("Comments (optional)").fill("Clear and calm.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    shot(page, artifacts, "08-done")

    # The stored recording is the one the page sent, byte for byte.
    assert hashlib.sha256(stored_object(stack, inv)).hexdigest() == wire.sha256()
    assert inv.recruiter.get(f"/api/interviews/{inv.interview_id}/analytics")["feedbackCount"] >= 1

    # The same link later: the status, and the decision once the organization shares it.
    page.reload()
    expect(page.get_by_test_id("already-submitted")).to_be_visible()
    expect(page.get_by_test_id("status-steps").get_by_role("listitem").first).to_have_attribute("data-state", "done")
    axe(page, "status")
    shot(page, artifacts, "09-status-submitted")
    wait_for(lambda: inv.recruiter.get(f"/api/candidates/{inv.candidate_id}")["status"] == "ready", timeout=120, every=2, what="ready")
    inv.recruiter.post(f"/api/candidates/{inv.candidate_id}/decision", {"decision": "advance", "note": "Clear answer."})
    page.reload()
    expect(page.get_by_test_id("status-text")).to_contain_text("will tell you the outcome")
    inv.recruiter.put(f"/api/interviews/{inv.interview_id}/candidate-settings", {"shareDecisionWithCandidate": True})
    page.reload()
    expect(page.get_by_test_id("status-text")).to_contain_text("next step")
    shot(page, artifacts, "10-status-decision")


def test_retake_limit(context, stack, artifacts):
    inv = invite(stack, takes=2, text=False)
    page = context.new_page()
    consent(page, inv.url, check_axe=False)
    device_check(page)
    start(page)
    record(page, 1)
    expect(page.get_by_text("1 take left")).to_be_visible()
    page.get_by_role("button", name="Retake").click()
    expect(page.get_by_test_id("capture")).to_be_visible()
    record(page, 1)
    expect(page.get_by_role("button", name="Retake")).to_have_count(0)
    expect(page.get_by_text("No takes left")).to_be_visible()
    shot(page, artifacts, "11-no-takes-left")
    # The server counts the takes: a third is refused whatever the page does.
    cand = Api(stack.url, inv.token)
    with pytest.raises(ApiError) as err:
        cand.post("/api/c/questions/q1/takes")
    assert err.value.status == 409 and err.value.body["code"] == "no_takes_left"


def test_think_time_running_out_starts_recording_and_the_time_limit_stops_it(context, stack, artifacts):
    inv = invite(stack, think=2, answer=10, text=False)
    page = context.new_page()
    consent(page, inv.url, check_axe=False)
    device_check(page)
    start(page)
    capture = page.get_by_test_id("capture")
    expect(capture).to_have_attribute("data-phase", "think")
    # Nobody clicks: the think time ends and recording begins by itself.
    expect(capture).to_have_attribute("data-phase", "record", timeout=5000)
    # A warning shows before the end, then the limit stops the recording by itself.
    expect(page.get_by_test_id("ending-soon")).to_be_visible(timeout=12_000)
    shot(page, artifacts, "12-ending-soon")
    expect(page.get_by_label("Your recorded answer")).to_be_visible(timeout=15_000)
    duration = page.get_by_label("Your recorded answer").evaluate(
        "async v => { if (!(v.duration > 0) || v.duration === Infinity) { v.currentTime = 1e9; await new Promise(r => setTimeout(r, 500)); } return v.duration }"
    )
    assert 7 <= duration <= 11.5, duration


def test_network_cut_mid_upload_then_back_and_the_stored_object_is_the_recording(context, stack, artifacts):
    inv = invite(stack, text=False)
    wire = Wire()

    def cut(route):  # the network drops while the first part is on its way
        context.set_offline(True)
        route.abort("internetdisconnected")

    watch_wire(context, wire, first=cut)
    page = context.new_page()
    consent(page, inv.url, check_axe=False)
    device_check(page)
    start(page)
    record(page, 2)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_test_id("offline")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("upload-status")).to_contain_text("Uploading")
    axe(page, "upload offline")
    shot(page, artifacts, "13-offline")
    page.wait_for_timeout(1500)
    context.set_offline(False)
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=30_000)
    assert len(wire.urls) >= 2 and wire.parts
    assert hashlib.sha256(stored_object(stack, inv)).hexdigest() == wire.sha256()


def test_page_reload_mid_upload_resumes(context, stack, artifacts):
    inv = invite(stack, text=False)
    wire = Wire()
    stalled: list[Route] = []
    watch_wire(context, wire, first=stalled.append)  # the first part never arrives: the upload is in flight
    page = context.new_page()
    consent(page, inv.url, check_axe=False)
    device_check(page)
    start(page)
    record(page, 2)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_test_id("upload")).to_be_visible()
    for _ in range(100):  # route handlers run while Playwright waits, not while Python sleeps
        if stalled:
            break
        page.wait_for_timeout(100)
    assert stalled, "the first part PUT never left"
    (kept,) = kept_recordings(page)  # the recording waits on the device, marked as being sent
    assert kept["questionId"] == "q1" and kept["sending"] and kept["size"] > 0
    shot(page, artifacts, "14-before-reload")
    page.reload()
    # Back on the same link: the welcome page, the camera, and the upload continues by itself.
    page.get_by_role("button", name="Continue").click()
    device_check(page)
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=30_000)
    assert hashlib.sha256(stored_object(stack, inv)).hexdigest() == wire.sha256() == kept["sha256"]
    assert kept_recordings(page) == []  # deleted once the server confirmed it


def test_an_expired_presigned_url_recovers(context, stack, artifacts):
    inv = invite(stack, text=False)
    wire = Wire()

    def expired(route):
        route.fulfill(
            status=403,
            headers={"Access-Control-Allow-Origin": "*", "Content-Type": "application/xml"},
            body="<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
        )

    watch_wire(context, wire, first=expired)
    page = context.new_page()
    consent(page, inv.url, check_axe=False)
    device_check(page)
    start(page)
    record(page, 2)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=30_000)
    # The page asked the server for a fresh URL and used it.
    assert wire.fresh_url_requests >= 1 and len(wire.urls) >= 2
    assert hashlib.sha256(stored_object(stack, inv)).hexdigest() == wire.sha256()


def test_throttled_calls_are_retried_with_backoff(context, stack, artifacts):
    """A cohort finishing together meets API Gateway's throttle (429): the app waits and sends the call again."""
    inv = invite(stack, text=False)
    throttled: dict[str, int] = {}

    def throttle_twice(route):
        path = route.request.url.split("/api/", 1)[1]
        throttled[path] = throttled.get(path, 0) + 1
        if throttled[path] <= 2:
            route.fulfill(status=429, content_type="application/json", body='{"message": "Too Many Requests"}')
        else:
            route.continue_()

    context.route(re.compile(r".*/api/c/questions/[^/]+/takes/[^/]+/(upload|complete)$"), throttle_twice)
    page = context.new_page()
    consent(page, inv.url, check_axe=False)
    device_check(page)
    start(page)
    record(page, 2)
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=60_000)
    # Both calls were refused twice, then went through; no error reached the candidate.
    assert sorted(n for n in throttled.values()) == [3, 3], throttled
    assert stored_object(stack, inv)


def test_deadline_passed(context, stack, artifacts):
    inv = invite(stack, text=False)
    set_deadline(stack, inv, soon(3))
    page = context.new_page()
    page.goto(inv.url)
    expect(page.get_by_test_id("welcome")).to_be_visible()
    page.get_by_label(re.compile("I agree to the recording")).check()
    page.wait_for_timeout(3500)  # the deadline passes while the page is open
    page.get_by_role("button", name="I agree and continue").click()
    expect(page.get_by_test_id("deadline-passed")).to_be_visible()
    axe(page, "deadline passed")
    shot(page, artifacts, "15-deadline-passed")
    # The server refuses every answer after the deadline, whatever the page shows.
    with pytest.raises(ApiError) as err:
        Api(stack.url, inv.token).post("/api/c/consent", {"accepted": True})
    assert err.value.status in (401, 410)


def test_revoked_invitation(context, stack, artifacts):
    inv = invite(stack, text=False)
    inv.recruiter.post(f"/api/candidates/{inv.candidate_id}/invitation/revoke")
    page = context.new_page()
    page.goto(inv.url)
    expect(page.get_by_test_id("bad-token")).to_be_visible()
    axe(page, "revoked link")
    shot(page, artifacts, "16-revoked")
    # A resend gives a fresh link that works; the old one stays dead.
    fresh = inv.recruiter.post(f"/api/candidates/{inv.candidate_id}/invitation/resend")["inviteUrl"]
    page.goto(fresh)
    expect(page.get_by_test_id("welcome")).to_be_visible()
    page.goto("about:blank")
    page.goto(inv.url)
    expect(page.get_by_test_id("bad-token")).to_be_visible()
    page.goto(inv.url.split("#")[0])
    expect(page.get_by_test_id("no-token")).to_be_visible()
    axe(page, "no token")


def test_accommodation_granted(context, stack, artifacts):
    inv = invite(stack)
    page = context.new_page()
    page.goto(inv.url)
    expect(page.get_by_test_id("welcome")).to_be_visible()
    box = page.get_by_test_id("accommodations")
    box.get_by_text("Need more time or another way to answer?").click()
    box.get_by_label("Answer in writing instead of on video").check()
    box.get_by_label("Anything you want to tell them (optional)").fill("I have no camera at home.")
    box.get_by_role("button", name="Send request").click()
    expect(box.get_by_text("Your request is sent.")).to_be_visible()
    box.get_by_label("More time to think and answer").check()
    box.get_by_role("button", name="Send request").click()
    expect(box.get_by_test_id("accommodation-list").get_by_role("listitem")).to_have_count(2)
    axe(page, "accommodation request")
    shot(page, artifacts, "17-accommodation-asked")

    # The recruiter grants both.
    status = inv.recruiter.get(f"/api/candidates/{inv.candidate_id}/invitation")
    for a in status["accommodations"]:
        inv.recruiter.post(f"/api/candidates/{inv.candidate_id}/accommodations/{a['requestId']}", {"decision": "grant", "multiplier": 2})
    page.reload()
    expect(page.get_by_test_id("accommodation-list").locator("[data-state=granted]")).to_have_count(2)
    expect(page.get_by_text("Your times include extra time (2×).")).to_be_visible()
    expect(page.get_by_test_id("question-list")).to_contain_text("Question 1: written answer")
    shot(page, artifacts, "18-accommodation-granted")
    page.get_by_label(re.compile("I agree to the recording")).check()
    page.get_by_role("button", name="I agree and continue").click()
    # No camera needed: the video question is answered in writing.
    expect(page.get_by_test_id("text-question")).to_contain_text(VIDEO_PROMPT)
    assert page.evaluate("() => document.querySelectorAll('video').length") == 0
    answer_text(page, "I solved a tricky outage by reading the logs closely.")
    expect(page.get_by_test_id("text-question")).to_contain_text(TEXT_PROMPT)
    answer_text(page)
    finish(page)
    detail = inv.recruiter.get(f"/api/candidates/{inv.candidate_id}")
    assert detail["answers"][0]["text"].startswith("I solved a tricky outage")


def test_mobile_viewport_portrait(browser, stack, artifacts):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        inv = invite(stack, text=False)
        page = ctx.new_page()
        page.goto(inv.url)
        expect(page.get_by_test_id("welcome")).to_be_visible()
        no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
        assert page.evaluate(no_sideways_scroll)
        axe(page, "mobile welcome")
        shot(page, artifacts, "19-mobile-welcome")
        page.get_by_label(re.compile("I agree to the recording")).check()
        page.get_by_role("button", name="I agree and continue").click()
        device_check(page)
        start(page)
        record(page, 1.5)
        assert page.evaluate(no_sideways_scroll)
        shot(page, artifacts, "20-mobile-watch-back")
        # A slow phone connection: the progress shows the percent sent. (Time left is shown once a
        # pace is known; Chromium's network emulation reports upload progress only when a part ends,
        # so it cannot be asserted reliably here.)
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 60_000})
        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_test_id("upload-status")).to_contain_text(re.compile(r"Uploading… \d+%"), timeout=15_000)
        shot(page, artifacts, "21-mobile-uploading")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        finish(page)
        assert page.evaluate(no_sideways_scroll)
        shot(page, artifacts, "22-mobile-done")
    finally:
        ctx.close()


def test_a_browser_that_cannot_record_gets_a_clear_message_with_advice(context, stack, artifacts):
    inv = invite(stack, text=False)
    context.add_init_script("delete window.MediaRecorder")
    page = context.new_page()
    consent(page, inv.url, check_axe=False)
    expect(page.get_by_test_id("unsupported")).to_contain_text("recent version of Chrome")
    axe(page, "unsupported browser")
    shot(page, artifacts, "23-unsupported")


def test_keyboard_alone_and_returning_continues_at_the_next_unanswered_question(context, stack, artifacts):
    inv = invite(stack, think=30)
    page = context.new_page()
    page.goto(inv.url)
    expect(page.get_by_test_id("welcome")).to_be_visible()
    page.get_by_label(re.compile("I agree to the recording")).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="I agree and continue")).to_be_focused()
    page.keyboard.press("Enter")
    allow = page.get_by_role("button", name="Turn on camera and microphone")
    expect(page.get_by_test_id("device-check")).to_be_visible()
    if allow.count():
        allow.focus()
        page.keyboard.press("Enter")
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.videoWidth > 0 }")
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Start", exact=True).focus()
    page.keyboard.press("Enter")
    # The focus moves to the button that matters: Space ends thinking, then Space stops.
    expect(page.get_by_role("button", name="Start recording now")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("capture")).to_have_attribute("data-phase", "record")
    page.wait_for_timeout(1500)
    expect(page.get_by_role("button", name="Stop")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Your recorded answer")).to_be_visible()
    page.get_by_role("button", name="Submit answer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("text-question")).to_be_visible(timeout=30_000)

    # Leave and come back with the link: straight on to the next unanswered question.
    page.goto("about:blank")
    page.goto(inv.url)
    expect(page.get_by_text("Welcome back. Continue where you left off.")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    # Only a written question is left: no camera is asked for.
    expect(page.get_by_test_id("text-question")).to_contain_text(TEXT_PROMPT)


def to_the_first_question(page, url: str) -> None:
    consent(page, url, check_axe=False)
    device_check(page)


def test_the_watch_back_player_shows_the_real_length_and_seeks(context, stack, artifacts):
    inv = invite(stack, answer=20)
    page = context.new_page()
    to_the_first_question(page, inv.url)
    # One "Question 1 of 2", with its bar.
    expect(page.get_by_text("Question 1 of 2", exact=True)).to_have_count(1)
    bar = page.get_by_test_id("question-progress").get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "1")
    expect(bar).to_have_attribute("max", "2")
    start(page)
    expect(page.get_by_text("Question 1 of 2", exact=True)).to_have_count(1)
    # A keyboard and a mouse: the key hint shows.
    expect(page.locator(".kbd-hint")).to_be_visible()
    record(page, 3)
    player = page.get_by_test_id("playback")
    expect(player).to_have_attribute("data-duration-known", "true")
    # Chromium's recording has no length in its container; the page makes the browser learn it.
    duration = player.evaluate("v => v.duration")
    assert 2 < duration < 6, duration
    assert player.evaluate("v => v.currentTime") < 0.5  # back at the start after measuring
    assert player.evaluate("v => v.seekable.length > 0 && v.seekable.end(0)") > 2
    # Seeking lands where asked, and plays on from there.
    landed = player.evaluate(
        "v => new Promise(done => { v.addEventListener('seeked', () => done(v.currentTime), {once: true}); v.currentTime = v.duration / 2 })"
    )
    assert abs(landed - duration / 2) < 0.6, (landed, duration)
    player.evaluate("v => { v.muted = true; return v.play() }")
    page.wait_for_function("() => { const v = document.querySelector('[data-testid=playback]'); return v.currentTime > " + str(landed + 0.3) + " }")
    player.evaluate("v => v.pause()")
    axe(page, "watch back, measured")
    shot(page, artifacts, "24-watch-back-duration")


def test_a_written_answer_is_kept_as_a_draft_through_a_reload_and_a_closed_tab(context, stack, artifacts):
    inv = invite(stack)
    page = context.new_page()
    to_the_first_question(page, inv.url)
    start(page)
    record(page, 1.5)
    page.get_by_role("button", name="Submit answer").click()
    text = page.get_by_test_id("text-question")
    expect(text).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Question 2 of 2", exact=True)).to_have_count(1)
    expect(page.get_by_test_id("question-progress").get_by_role("progressbar")).to_have_attribute("value", "2")
    page.get_by_label("Your answer").fill("I would like to learn how")
    expect(page.get_by_test_id("draft-status")).to_have_text("Draft saved on this device.")

    # A reload: the draft is back.
    page.reload()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Your answer")).to_have_value("I would like to learn how")
    expect(page.get_by_test_id("draft-status")).to_have_text("Your draft from earlier is back.")
    shot(page, artifacts, "25-text-draft-restored")

    # More typed, then the tab closed at once (before the pause that saves): the words typed last are kept too.
    page.get_by_label("Your answer").focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(" you run support.")
    page.close(run_before_unload=True)
    page = context.new_page()
    page.goto(inv.url)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Your answer")).to_have_value("I would like to learn how you run support.")

    # Sent: the draft is gone from the device, and the answer stored is the text.
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=30_000)
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('oneway.draft.'))") == []
    stored = inv.recruiter.get(f"/api/candidates/{inv.candidate_id}")["answers"][1]
    assert stored["text"] == "I would like to learn how you run support."


def test_a_phone_gets_a_short_welcome_and_no_key_hints(browser, stack, artifacts):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        inv = invite(stack)
        wide = desktop.new_page()
        wide.goto(inv.url)
        expect(wide.get_by_test_id("privacy-notice")).to_be_visible()  # open on a wide screen
        shot(wide, artifacts, "26-welcome-1280")

        page = ctx.new_page()
        page.goto(inv.url)
        expect(page.get_by_test_id("welcome")).to_be_visible()
        # The privacy notice and how it works are folded: the consent is on the first screens.
        expect(page.get_by_test_id("privacy-notice")).to_be_hidden()
        expect(page.get_by_test_id("how-it-works").locator("ol")).to_be_hidden()
        short = page.evaluate("() => document.documentElement.scrollHeight")
        assert short < wide.evaluate("() => document.documentElement.scrollHeight") * 1.6
        axe(page, "mobile welcome, folded")
        shot(page, artifacts, "27-mobile-welcome-folded")
        page.get_by_test_id("privacy").locator("summary").tap()
        expect(page.get_by_test_id("privacy-notice")).to_be_visible()
        expect(page.get_by_test_id("privacy-notice")).to_contain_text("automated")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        page.get_by_label(re.compile("I agree to the recording")).check()
        page.get_by_role("button", name="I agree and continue").click()
        device_check(page)
        expect(page.get_by_text("Question 1 of 2", exact=True)).to_have_count(1)
        start(page)
        # A touch screen: no keyboard hints.
        expect(page.get_by_test_id("capture")).to_be_visible()
        hint = page.get_by_test_id("capture").locator(".kbd-hint")
        expect(hint).to_have_count(1)
        expect(hint).to_be_hidden()
        assert page.evaluate("() => matchMedia('(hover: none) and (pointer: coarse)').matches")
        # The screen as the phone shows it (a full-page capture drops the touch emulation, and the hint with it).
        page.mouse.wheel(0, 2000)
        page.screenshot(path=str(artifacts / "candidate-28-mobile-thinking-no-hints.png"))
    finally:
        ctx.close()
        desktop.close()
