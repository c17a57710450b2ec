"""A recruiter sends one candidate a reminder from the candidate page, in headless Chromium on the local stack: the
email leaves through the outbox and shows on the invitation as a reminder that was sent; the link stays the one
the candidate has (the reminder points to the invitation email: only the token's hash is stored)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_review_workspace import check_a11y, sign_in
from tests.support.client import Api, wait_for

pytestmark = pytest.mark.e2e


def test_a_reminder_for_one_candidate_from_their_page(browser, stack, artifacts):
    admin = Api(stack.url, stack.sign_in())
    iid = admin.post("/api/interviews", {"title": "Night shift lead", "questions": [{"prompt": "Why nights?", "kind": "text"}]})["interviewId"]
    (item,) = admin.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Mary Somerville", "email": "mary.remind@example.com"}], "sendEmail": False})["items"]
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/candidates/{item['candidateId']}")
    panel = page.get_by_test_id("invitation-panel")
    panel.get_by_role("button", name="Send a reminder").click()
    expect(panel.get_by_role("status").filter(has_text="A reminder is on its way")).to_be_visible()
    (mail,) = wait_for(lambda: [m for m in stack.outbox() if "mary.remind@example.com" in m["to"]], timeout=20, what="the reminder email")
    assert "Reminder: " in mail["subject"] and "Night shift lead" in mail["body"]
    page.reload()
    expect(panel.get_by_test_id("invitation-emails").get_by_role("listitem").first).to_contain_text("Reminder: sent")
    check_a11y(page)
    panel.screenshot(path=str(artifacts / "invitation-reminder.png"))
    ctx.close()
