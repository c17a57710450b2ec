"""A candidate's link as a QR code in the review app, so that it opens on a phone.

After inviting from the interview page, and after resending a new link from the candidate's page, the
QR code drawn on screen is read back module by module (tests/support/qr.py) and must say exactly the link
shown beside it; its accessible name says the link too. Screenshots at 1280x800 and 390x844.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import axe
from tests.e2e.test_interview_builder import no_sideways_scroll, sign_in
from tests.support.client import Api
from tests.support.qr import decode

pytestmark = pytest.mark.e2e


def drawn(locator) -> str:
    return decode(locator.locator("svg").evaluate("e => e.outerHTML"))


def test_the_invitation_link_shows_as_a_qr_code_that_reads_back_to_it(browser, stack, artifacts):
    recruiter = Api(stack.url, stack.sign_in())
    made = recruiter.post("/api/interviews", {"title": "Phone check", "questions": [{"prompt": "Why us?", "kind": "text"}]}, expect=201)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/interviews/{made['interviewId']}")
    form = page.get_by_test_id("invite-form")
    form.get_by_label("Name", exact=True).fill("Quinn Phone")
    form.get_by_label("Email", exact=True).fill("quinn@example.com")
    form.get_by_label("Send the invitation email").uncheck()
    form.get_by_role("button", name="Invite").click()
    link = page.get_by_test_id("invite-url").input_value()
    assert link.startswith(f"{stack.url}/c/#t=")
    qr = page.get_by_test_id("link-qr")
    expect(qr).to_be_visible()
    assert drawn(qr) == link
    expect(qr.get_by_role("img", name=link)).to_be_visible()  # a substring of its accessible name
    expect(qr).to_contain_text("Scan to open the interview on a phone.")
    axe(page, "invitation with its QR code")
    page.get_by_test_id("invite-form").locator("..").screenshot(path=str(artifacts / "link-qr-invite-1280.png"))

    # A new link from the candidate's page: a new code, of the new link (the old one no longer opens anything).
    cid = recruiter.get(f"/api/interviews/{made['interviewId']}/candidates")["items"][0]["candidateId"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stack.url}/#/candidates/{cid}")
    page.get_by_role("button", name="Resend invitation (new link)").click()
    fresh = page.get_by_test_id("resent-url")
    expect(fresh).not_to_have_value("")
    new_link = fresh.input_value()
    assert new_link != link and new_link.startswith(f"{stack.url}/c/#t=")
    resent = page.locator("[data-testid=link-qr]")
    expect(resent).to_be_visible()
    assert drawn(resent) == new_link
    no_sideways_scroll(page)
    resent.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "link-qr-resend-390.png"))
    ctx.close()
