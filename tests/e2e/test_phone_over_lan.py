"""An interview taken on a phone against `make dev LAN=1`, in Chromium.

The stack serves https on a network address (127.0.0.2 here, apart from the loopback address its embedded
AWS keeps). The recruiter signs in on that address (through the site's /cognito, never the embedded AWS),
invites a candidate and gets the link as a QR code; the code, read back, is the https link. A phone-sized
browser opens it (a secure context, so the camera is allowed), records an answer and sends it: every upload
goes to the site's /s3 gate, none to the embedded AWS. Once processed, the recruiter's page plays the answer
through the same gate. Chromium accepts the self-signed certificate as a phone's user does once
(ignore_https_errors), the only difference from a real phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import device_check, finish, record, start
from tests.support.client import Api, wait_for
from tests.support.qr import decode
from tests.support.stack import ROOT, start_stack

pytestmark = pytest.mark.e2e

LAN = "127.0.0.2"


@pytest.fixture(scope="module")
def lan_stack(tmp_path_factory):
    s = start_stack(tmp_path_factory.mktemp("lan-stack"), site_dir=ROOT / "web" / "dist", reconcile_every=5, lan_host=LAN)
    yield s
    s.stop()


def test_an_interview_on_a_phone_over_the_network_address(browser, lan_stack, artifacts):
    stack = lan_stack
    recruiter = Api(stack.url, stack.sign_in(), verify=stack.verify)
    made = recruiter.post("/api/interviews", {"title": "On the phone", "questions": [{"prompt": "Say hello.", "kind": "video", "thinkSeconds": 15, "answerSeconds": 30}], "practiceQuestion": False}, expect=201)

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
    page = desk.new_page()
    page.goto(stack.url + "/")
    page.get_by_label("Email").fill(stack.email)
    page.get_by_label("Password").fill(stack.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("org-name")).to_be_visible()
    page.goto(f"{stack.url}/#/interviews/{made['interviewId']}")
    form = page.get_by_test_id("invite-form")
    form.get_by_label("Name", exact=True).fill("Pat Phone")
    form.get_by_label("Email", exact=True).fill("pat@example.com")
    form.get_by_role("button", name="Invite").click()
    qr = page.get_by_test_id("link-qr")
    expect(qr).to_be_visible()
    link = decode(qr.locator("svg").evaluate("e => e.outerHTML"))
    assert link == page.get_by_test_id("invite-url").input_value() and link.startswith(f"https://{LAN}:")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, ignore_https_errors=True)
    sent: list[str] = []
    phone.on("request", lambda r: sent.append(f"{r.method} {r.url}"))
    cpage = phone.new_page()
    cpage.goto(link)
    expect(cpage.get_by_test_id("welcome")).to_be_visible()
    assert cpage.evaluate("() => window.isSecureContext") is True  # what the camera needs
    cpage.get_by_label(re.compile("I agree to the recording")).check()
    cpage.get_by_role("button", name="I agree and continue").click()
    device_check(cpage)
    start(cpage)
    record(cpage, 1.5)
    cpage.get_by_role("button", name="Submit answer").click()
    finish(cpage)
    cpage.screenshot(path=str(artifacts / "phone-over-lan-done-390.png"), full_page=True)
    phone.close()
    puts = [r for r in sent if r.startswith("PUT ")]
    assert puts and all(r.startswith(f"PUT {stack.url}/s3/oneway-uploads/") for r in puts), puts
    aws_port = stack.aws_endpoint.rsplit(":", 1)[1]
    assert not any(f":{aws_port}/" in r for r in sent), "the phone reached the embedded AWS"

    cid = recruiter.get(f"/api/interviews/{made['interviewId']}/candidates")["items"][0]["candidateId"]
    wait_for(lambda: recruiter.get(f"/api/candidates/{cid}")["status"] == "ready", timeout=180, every=2, what="the answer processed")
    page.goto(f"{stack.url}/#/candidates/{cid}")
    video = page.locator("[data-testid=answer] video").first
    expect(video).to_have_attribute("src", re.compile(rf"^https://{re.escape(LAN)}:\d+/s3/oneway-media/"))
    page.wait_for_function("() => { const v = document.querySelector('[data-testid=answer] video'); return v && v.readyState >= 1 && v.duration > 0 }", timeout=30_000)
    page.screenshot(path=str(artifacts / "phone-over-lan-review-1280.png"), full_page=True)
    desk.close()
