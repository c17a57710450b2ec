"""The next stage and the article's measures, in headless Chromium on the local stack: a candidate rates the
interview's fairness and convenience on the done page; a manager advances them with the next-step email ticked by
default (the interview has a scheduling link); the email leaves through the outbox with the link and shows on the
candidate's emails; the analytics page shows candidates screened per recruiter per day beside the article's 5 and 15,
the fairness and convenience ratings, and the follow-up rate (nobody asked: 0 of 1). axe finds nothing at each step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import axe
from tests.e2e.test_review_workspace import sign_in
from tests.support.client import Api, wait_for

pytestmark = pytest.mark.e2e

LINK = "https://cal.example.com/acme/next-step"


def test_advance_with_the_next_step_email_and_the_measures_in_analytics(browser, stack, artifacts):
    recruiter = Api(stack.url, stack.sign_in())
    iid = recruiter.post(
        "/api/interviews",
        {
            "title": "Warehouse team lead",
            "questions": [{"prompt": "How do you plan a shift?", "kind": "text"}],
            "practiceQuestion": False,
            "schedulingUrl": LINK,
        },
    )["interviewId"]
    email = f"grace.next.{iid[-6:]}@example.com"
    (item,) = recruiter.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Grace Hopper", "email": email}], "sendEmail": False})["items"]
    cid = item["candidateId"]
    candidate = Api(stack.url, item["inviteUrl"].split("#t=")[1])
    candidate.post("/api/c/consent", {"accepted": True})
    candidate.post("/api/c/questions/q1/text", {"text": "I start from the orders due and the people on shift."})

    # The candidate finishes on a phone and rates the interview: overall, fairness and convenience.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(item["inviteUrl"])
    page.get_by_role("button", name="Continue").click()  # the welcome page: every answer is in, only Finish is left
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_test_id("done")).to_be_visible()
    page.get_by_label("5: Great").check()
    page.get_by_test_id("survey-fairness").get_by_label("4: Mostly").check()
    page.get_by_test_id("survey-convenience").get_by_label("5: Completely").check()
    axe(page, "done with fairness and convenience")
    page.screenshot(path=str(artifacts / "next-stage-done-390.png"), full_page=True)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    phone.close()

    # The manager advances Grace: the next-step email is ticked because the interview has a scheduling link.
    wait_for(lambda: recruiter.get(f"/api/candidates/{cid}")["status"] == "ready", timeout=60, every=1, what="ready for review")
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/candidates/{cid}")
    form = page.get_by_test_id("decision-form")
    form.get_by_role("radio", name="Advance").check()
    send = form.get_by_label("Send the next-step email")
    expect(send).to_be_checked()
    expect(form).to_contain_text(LINK)
    form.get_by_label("Reason").fill("Plans around people, not only orders.")
    form.screenshot(path=str(artifacts / "next-stage-decision-1280.png"))
    form.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("current-decision")).to_have_attribute("data-decision", "advance")
    (mail,) = wait_for(lambda: [m for m in stack.outbox() if email in m["to"]], timeout=20, what="the next-step email")
    assert mail["subject"] == f"{recruiter.get('/api/me')['orgName']}: the next step for Warehouse team lead"
    assert "Hello Grace Hopper" in mail["body"] and LINK in mail["body"]
    assert mail["html"] and f'href="{LINK}"' in mail["html"] and "Choose a time" in mail["html"]
    page.reload()
    expect(page.get_by_test_id("invitation-emails").get_by_role("listitem").first).to_contain_text("Next step: sent", timeout=20_000)
    axe(page, "candidate page after the advance")

    # Analytics: screened per recruiter per day beside the article's figures, fairness and convenience, a follow-up rate of none asked.
    page.goto(f"{stack.url}/#/interviews/{iid}/analytics")
    chart = page.get_by_test_id("chart-screening")
    expect(chart).to_be_visible()
    rows = {r.get_attribute("data-label"): r.get_attribute("data-value") for r in chart.get_by_test_id("chart-row").all()}
    assert rows["Article: live calls"] == "5" and rows["Article: async"] == "15"
    assert rows[stack.email] == "1"
    fairness = {r.get_attribute("data-label"): r.get_attribute("data-value") for r in page.get_by_test_id("chart-fairness").get_by_test_id("chart-row").all()}
    assert fairness["4"] == "1"
    expect(page.get_by_test_id("stat-fairness")).to_contain_text("4")
    expect(page.get_by_test_id("stat-convenience")).to_contain_text("5")
    expect(page.get_by_test_id("follow-ups-note")).to_contain_text("Follow-up rate: 0 of 1 submitted candidates")
    axe(page, "analytics")
    page.screenshot(path=str(artifacts / "next-stage-analytics-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "next-stage-analytics-390.png"), full_page=True)
    axe(page, "analytics on a phone")

    # The organization's advance email (the next-step message), for admins: Oneway's default words until they write
    # their own, with a preview whose button is the scheduling link.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{stack.url}/#/members")
    template = page.get_by_test_id("email-templates")
    template.get_by_label("Email", exact=True).select_option("advance")
    expect(template.get_by_label("Message")).to_have_value(re.compile(r"Hello \{candidate\},.*\{link\}", re.S))
    expect(template.frame_locator("iframe.email-frame").get_by_role("link", name="Choose a time")).to_be_visible(timeout=15_000)
    template.scroll_into_view_if_needed()
    template.screenshot(path=str(artifacts / "next-stage-template-1280.png"))
    axe(page, "organization settings")
    desk.close()
