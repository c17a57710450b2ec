"""Follow-up questions in headless Chromium on the local stack: after a candidate submitted, a member asks two
follow-up questions from the candidate's page (one video, asked with a video file the member uploads, one written);
Send waits ("Preparing video…") until the local pipeline has made the video's MP4 and captions; the candidate,
emailed through the outbox, opens the same link on a phone, sees "Follow-up questions from <org>", watches the
question's video (captions loaded) before the thinking time, records the video answer with the same recorder (the
fake camera) and writes the other; the round on the member's page shows the question's video; the member sees both answers after the interview's, marked as
follow-ups, the round answered 2 of 2, and the analytics' follow-up rate. axe finds nothing at each step.
Screenshots: tests/e2e/artifacts/follow-ups-*.png at 1280x800 and 390x844."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import answer_text, axe, device_check, record, start
from tests.e2e.test_interview_builder import phone_video
from tests.e2e.test_review_workspace import sign_in
from tests.support.client import Api, wait_for

pytestmark = pytest.mark.e2e

VIDEO_FOLLOW_UP = "Walk us through the numbers of that report."
TEXT_FOLLOW_UP = "Which tool would you use for it today?"


def test_a_member_asks_two_follow_ups_and_the_candidate_answers_through_the_same_link(browser, stack, artifacts, tmp_path):
    mp4 = phone_video(tmp_path / "follow-up.mp4")
    recruiter = Api(stack.url, stack.sign_in())
    org_name = recruiter.get("/api/me")["orgName"]
    iid = recruiter.post(
        "/api/interviews",
        {
            "title": "Reporting analyst",
            "questions": [{"prompt": "Describe a report you built.", "kind": "text", "thinkSeconds": 2, "answerSeconds": 10, "maxTakes": 2}],
            "practiceQuestion": False,
        },
    )["interviewId"]
    email = f"ada.follow.{iid[-6:]}@example.com"
    (item,) = recruiter.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada Lovelace", "email": email}], "sendEmail": False})["items"]
    cid, url = item["candidateId"], item["inviteUrl"]
    candidate = Api(stack.url, url.split("#t=")[1])
    candidate.post("/api/c/consent", {"accepted": True})
    candidate.post("/api/c/questions/q1/text", {"text": "A weekly churn report for the sales team."})
    candidate.post("/api/c/complete", {})
    wait_for(lambda: recruiter.get(f"/api/candidates/{cid}")["status"] == "ready", timeout=60, every=1, what="ready for review")

    # The member asks two follow-up questions from the candidate's page: a video one and a written one.
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/candidates/{cid}")
    panel = page.get_by_test_id("follow-ups")
    expect(panel).to_contain_text("No follow-up questions asked yet.")
    form = panel.get_by_test_id("ask-follow-ups")
    form.get_by_label("Follow-up question 1").fill(VIDEO_FOLLOW_UP)
    # The video question comes as a video: a file the member uploads, processed before the round may go.
    form.get_by_test_id("question-video").get_by_test_id("question-video-file").set_input_files(str(mp4))
    send = form.get_by_test_id("ask-follow-ups-send")
    expect(send).to_have_text("Preparing video…", timeout=30_000)
    expect(send).to_be_disabled()
    panel.screenshot(path=str(artifacts / "follow-ups-ask-preparing-1280.png"))
    expect(form.get_by_test_id("question-video-status")).to_have_text("Ready: candidates see this video with captions.", timeout=120_000)
    expect(form.get_by_test_id("question-video-player").locator("track[kind=captions]")).to_have_count(1)
    form.get_by_role("button", name="Add a question").click()
    form.get_by_label("Follow-up question 2").fill(TEXT_FOLLOW_UP)
    form.get_by_label("Answer to question 2").select_option("text")
    form.scroll_into_view_if_needed()
    axe(page, "asking follow-ups")
    panel.screenshot(path=str(artifacts / "follow-ups-ask-1280.png"))
    form.get_by_role("button", name="Send to the candidate").click()
    rnd = panel.get_by_test_id("follow-up-round")
    expect(rnd).to_have_attribute("data-state", "open")
    expect(rnd.get_by_test_id("follow-up-progress")).to_contain_text("0 of 2 answered")
    asked_video = rnd.get_by_test_id("follow-up-question-video")
    expect(asked_video).to_have_count(1)
    assert f"/candidate/{cid}/question-media/" in (asked_video.get_attribute("src") or "")
    rnd.screenshot(path=str(artifacts / "follow-ups-asked-1280.png"))
    expect(panel.get_by_test_id("follow-ups-why-not")).to_contain_text("waiting for the candidate")

    # The candidate is emailed through the outbox: their address, no link (they use the invitation's).
    (mail,) = wait_for(lambda: [m for m in stack.outbox() if email in m["to"] and "follow-up" in m["subject"]], timeout=20, what="the follow-up email")
    assert "2 questions as a follow-up" in mail["body"] and url.split("#t=")[1] not in mail["body"]

    # The same link on a phone: the follow-up questions from the organization, answered with the same recorder.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    cpage = phone.new_page()
    cpage.goto(url)
    intro = cpage.get_by_test_id("follow-ups")
    expect(intro).to_contain_text(f"Follow-up questions from {org_name}")
    expect(intro.get_by_test_id("follow-up-list").get_by_role("listitem")).to_have_count(2)
    expect(intro.get_by_test_id("follow-up-as-video")).to_have_text(" · Asked by video: you watch it, with captions, before your thinking time")
    axe(cpage, "follow-up intro")
    cpage.screenshot(path=str(artifacts / "follow-ups-candidate-intro-390.png"), full_page=True)
    cpage.get_by_role("button", name="Start").click()
    device_check(cpage)
    expect(cpage.get_by_test_id("has-video")).to_be_visible()
    start(cpage)
    capture = cpage.get_by_test_id("capture")
    expect(capture).to_have_attribute("data-phase", "watch")
    expect(cpage.get_by_test_id("question-prompt")).to_have_text(VIDEO_FOLLOW_UP)
    # The member's video plays first, its captions loaded; the thinking time starts when it ends.
    assert f"/candidate/{cid}/question-media/" in (cpage.get_by_test_id("question-video").get_attribute("src") or "")
    cpage.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=question-video]');"
        " return v && v.currentTime > 0.3 && v.textTracks.length === 1 }",
        timeout=20_000,
    )
    axe(cpage, "follow-up question video")
    cpage.screenshot(path=str(artifacts / "follow-ups-candidate-video-390.png"), full_page=True)
    expect(capture).to_have_attribute("data-phase", "think", timeout=30_000)
    axe(cpage, "follow-up thinking")
    record(cpage, 2)
    cpage.screenshot(path=str(artifacts / "follow-ups-candidate-recorded-390.png"), full_page=True)
    cpage.get_by_role("button", name="Submit answer").click()
    answer_text(cpage, "A notebook with the warehouse's own SQL.")
    expect(cpage.get_by_test_id("follow-ups-finish")).to_be_visible(timeout=30_000)
    axe(cpage, "follow-ups finish")
    cpage.get_by_role("button", name="Send answers").click()
    expect(cpage.get_by_test_id("follow-ups-done")).to_contain_text(org_name)
    axe(cpage, "follow-ups done")
    cpage.screenshot(path=str(artifacts / "follow-ups-candidate-done-390.png"), full_page=True)
    # Later, the same link shows the status again (nothing left to answer).
    cpage.reload()
    expect(cpage.get_by_test_id("already-submitted")).to_be_visible()
    phone.close()

    # Every answer processed (MP4, poster, transcript), the member sees them after the interview's, marked as follow-ups.
    def follow_up_answers():
        answers = recruiter.get(f"/api/candidates/{cid}")["answers"]
        return answers if all(a["status"] == "ready" for a in answers) else None

    answers = wait_for(follow_up_answers, timeout=120, every=2, what="the follow-up answers processed")
    assert [(a["questionId"], (a["followUp"] or {}).get("round")) for a in answers] == [("q1", None), ("f1-1", 1), ("f1-2", 1)]
    assert answers[1]["videoUrl"] and answers[1]["posterUrl"] and answers[1]["transcriptAvailable"] is not None
    page.reload()
    expect(rnd).to_have_attribute("data-state", "answered")
    expect(rnd.get_by_test_id("follow-up-progress")).to_contain_text("2 of 2 answered")
    page.get_by_role("button", name="Next answer").click()
    shown = page.get_by_test_id("answer")
    expect(shown).to_have_attribute("data-follow-up", "1")
    expect(shown.get_by_test_id("follow-up-badge")).to_have_text("Follow-up")
    expect(shown).to_contain_text(VIDEO_FOLLOW_UP)
    expect(shown.get_by_test_id("answer-video")).to_be_visible()
    # The question's video beside the answer, as the candidate saw it, with its captions.
    beside = shown.get_by_test_id("answer-question-video")
    beside.locator("summary").click()
    expect(beside.locator("video")).to_be_visible()
    assert f"/candidate/{cid}/question-media/" in (beside.locator("video").get_attribute("src") or "")
    expect(beside.locator("track[kind=captions]")).to_have_count(1)
    axe(page, "a follow-up answer")
    page.screenshot(path=str(artifacts / "follow-ups-review-1280.png"), full_page=True)
    page.get_by_role("button", name="Next answer").click()
    expect(shown).to_contain_text("A notebook with the warehouse's own SQL.")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "follow-ups-review-390.png"), full_page=True)
    axe(page, "a follow-up answer on a phone")

    # Analytics: the follow-up rate, counted apart from the interview's questions.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{stack.url}/#/interviews/{iid}/analytics")
    expect(page.get_by_test_id("stat-followUps")).to_contain_text("100%")
    expect(page.get_by_test_id("follow-ups-note")).to_contain_text("1 of 1 submitted candidates were asked follow-up questions; 100% of the rounds")
    a = recruiter.get(f"/api/interviews/{iid}/analytics")
    assert a["followUps"]["rate"] == 1.0 and a["followUps"]["completion"] == 1.0
    assert [(q["questionId"], q["answered"]) for q in a["questions"]] == [("q1", 1)]
    page.screenshot(path=str(artifacts / "follow-ups-analytics-1280.png"), full_page=True)
    desk.close()
