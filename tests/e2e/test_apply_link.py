"""A self-apply link in headless Chromium: the recruiter opens the interview's public link, a candidate
applies on it, reads the code in the local outbox, confirms and lands in the usual interview; the
recruiter closes the link and the page says applications are closed. Screenshots at 1280x800 and 390x844."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_walkthrough import TITLE, create_interview, sign_in
from tests.support.client import wait_for

pytestmark = pytest.mark.e2e

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"apply-{name}.png"), full_page=True)


def emailed_code(stack, address: str) -> str:
    mails = wait_for(lambda: [m for m in stack.outbox() if address in m["to"] and "code" in m["subject"]], timeout=15, what="the code's email")
    found = re.search(r"\b(\d{6})\b", mails[-1]["body"])
    assert found, mails[-1]
    return found.group(1)


def apply(browser, url: str, size: str, name: str, email: str, stack, artifacts) -> Page:
    ctx = browser.new_context(viewport=SIZES[size], locale="en-US")
    page = ctx.new_page()
    page.goto(url)
    form = page.get_by_test_id("apply-form")
    expect(form.get_by_role("heading", name="Apply for this interview")).to_be_visible()
    expect(page.get_by_test_id("org-name")).to_have_text("Demo Company")
    expect(page.get_by_test_id("privacy-notice")).to_contain_text("Demo Company")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("Your email address").fill(email)
    send = form.get_by_role("button", name="Email me a code")
    expect(send).to_be_disabled()  # consent first
    form.get_by_label(re.compile("I agree to the processing")).check()
    shot(page, artifacts, f"{size}-1-form")
    send.click()
    code_form = page.get_by_test_id("apply-code")
    expect(code_form.get_by_text(f"We sent a 6-digit code to {email}")).to_be_visible()
    # A wrong code is refused in words, and nothing opens.
    code = emailed_code(stack, email)
    code_form.get_by_label("Code from the email").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    code_form.get_by_role("button", name="Confirm and start").click()
    expect(code_form.get_by_role("alert")).to_contain_text("This code is not right")
    shot(page, artifacts, f"{size}-2-code")
    code_form.get_by_label("Code from the email").fill(code)
    code_form.get_by_role("button", name="Confirm and start").click()
    # The usual interview, on the candidate's own private link.
    expect(page.get_by_text(f"Hello {name}")).to_be_visible(timeout=15_000)
    assert re.search(r"/c/#t=[A-Za-z0-9_-]{43,}$", page.url), page.url
    shot(page, artifacts, f"{size}-3-interview")
    # The invitation email, with the same link, went to the confirmed address.
    mails = wait_for(lambda: [m for m in stack.outbox() if email in m["to"] and TITLE in m["subject"] and "code" not in m["subject"]], timeout=15, what="the invitation")
    assert page.url in mails[-1]["body"]
    return page


def test_a_candidate_applies_through_the_public_link(browser, stack, artifacts):
    recruiter = browser.new_context(viewport=SIZES["desktop"])
    page = recruiter.new_page()
    sign_in(page, stack)
    create_interview(page)
    panel = page.get_by_test_id("apply-link")
    panel.get_by_role("button", name="Open the apply link").click()
    expect(panel.get_by_test_id("apply-link-state")).to_contain_text("Open: people can apply")
    url = panel.get_by_test_id("apply-url").input_value()
    assert re.search(r"/c/#/apply/[A-Za-z0-9_-]{22}$", url), url
    expect(panel.get_by_test_id("apply-link-count")).to_have_text("0 of at most 500 applied")
    panel.scroll_into_view_if_needed()
    shot(page, artifacts, "desktop-0-recruiter")

    apply(browser, url, "desktop", "Ada Lovelace", "ada.apply@example.com", stack, artifacts)
    apply(browser, url, "phone", "Alan Turing", "alan.apply@example.com", stack, artifacts)

    page.reload()
    panel = page.get_by_test_id("apply-link")
    expect(panel.get_by_test_id("apply-link-count")).to_have_text("2 of at most 500 applied")
    expect(page.get_by_text("Ada Lovelace").first).to_be_visible()
    panel.get_by_role("button", name="Close the apply link").click()
    expect(panel.get_by_test_id("apply-link-state")).to_contain_text("Closed")
    expect(panel.get_by_role("button", name="Open again")).to_be_visible()
    panel.scroll_into_view_if_needed()
    shot(page, artifacts, "desktop-4-recruiter-closed")

    for size in SIZES:
        visitor = browser.new_context(viewport=SIZES[size]).new_page()
        visitor.goto(url)
        expect(visitor.get_by_test_id("apply-closed")).to_contain_text("Applications are closed")
        expect(visitor.get_by_test_id("apply-form")).to_have_count(0)
        shot(visitor, artifacts, f"{size}-5-closed")
