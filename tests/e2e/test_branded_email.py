"""Branded email in headless Chromium on the local stack: an admin rewrites the invitation on the organization's
settings page, where a server-rendered preview (in a sandboxed frame) follows the words and names an unknown
placeholder it refuses; saves it, sends themselves a test (it reaches the outbox as HTML with a text alternative),
puts Oneway's words back; a candidate invited to a Spanish interview then gets the invitation in Spanish, as HTML
with one button and a text alternative, which renders at desktop and phone widths. axe finds nothing on the page.
The organization is one of its own (the other e2e tests share the demo organization and its templates)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_mfa import create_user
from tests.e2e.test_review_workspace import check_a11y, sign_in
from tests.support.client import Api, wait_for

pytestmark = pytest.mark.e2e

ADMIN = ("admin@mailco.example", "Mailco-admin-pass-1")
SUBJECT = "{organization} would like to meet you, {candidate}"


def test_an_admin_edits_previews_and_tests_the_invitation_and_a_spanish_candidate_gets_it_in_spanish(browser, stack, artifacts):
    create_user(stack, *ADMIN, "--org", "Mail Co", role="admin")
    admin = Api(stack.url, stack.sign_in(*ADMIN))

    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    sign_in(page, stack, *ADMIN)
    page.goto(f"{stack.url}/#/members")
    section = page.get_by_test_id("email-templates")
    expect(section.get_by_label("Email", exact=True)).to_have_value("invitation")
    frame = section.frame_locator("iframe.email-frame")
    # The preview shows Oneway's invitation with sample values, and its button.
    expect(frame.get_by_role("link", name="Start the interview")).to_be_visible(timeout=15_000)

    # A typo in a placeholder: the preview names it and nothing is saved.
    section.get_by_label("Subject").fill("Hello {first_name}")
    expect(section.get_by_role("alert")).to_contain_text("{first_name}")
    section.get_by_label("Subject").fill(SUBJECT)
    expect(section.get_by_test_id("email-preview-subject")).to_have_text("Mail Co would like to meet you, Alex Sample")
    section.get_by_label("Message").fill("Hello {candidate},\n\nMail Co has a short video interview for you: {interview}.\n\nPlease answer by {deadline}.")
    expect(frame.get_by_text("Mail Co has a short video interview for you: Customer support specialist.")).to_be_visible()
    expect(frame.get_by_role("link", name="Start the interview")).to_be_visible()
    section.get_by_role("button", name="Save this email").click()
    expect(section.get_by_role("status").first).to_have_text("Email saved.")
    check_a11y(page)
    section.screenshot(path=str(artifacts / "email-templates-1280.png"))

    # The preview in Spanish: Oneway's own fixed lines and the date in Spanish; the organization's words as written.
    section.get_by_label("Preview in").select_option("es")
    expect(frame.get_by_role("link", name="Empezar la entrevista")).to_be_visible()
    expect(frame.get_by_text("Para prepararte", exact=False)).to_be_visible()

    # A test, to the admin's own address: HTML with a text alternative.
    section.get_by_role("button", name="Send me a test").click()
    expect(section.get_by_text(f"A test is on its way to {ADMIN[0]}.")).to_be_visible()
    (test,) = wait_for(lambda: [m for m in stack.outbox() if ADMIN[0] in m["to"] and m["subject"].startswith("[Test]")], timeout=20, what="the test email")
    assert test["subject"] == "[Test] Mail Co would like to meet you, Lucía Ejemplo"
    assert test["html"] and 'data-button=""' in test["html"] and "Empezar la entrevista" in test["html"]
    assert test["text"].startswith("Hello Lucía Ejemplo,") and "Empezar la entrevista: http" in test["text"]

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    small = phone.new_page()
    sign_in(small, stack, *ADMIN)
    small.goto(f"{stack.url}/#/members")
    expect(small.get_by_test_id("email-templates").frame_locator("iframe.email-frame").get_by_role("link", name="Start the interview")).to_be_visible(timeout=15_000)
    small.get_by_test_id("email-templates").screenshot(path=str(artifacts / "email-templates-390.png"))
    phone.close()

    # Oneway's words again: they speak each candidate's language.
    section.get_by_role("button", name="Use Oneway’s words").click()
    expect(section.get_by_label("Subject")).to_have_value("{organization}: your video interview for {interview}")
    assert not any(t["custom"] for t in admin.get("/api/organization/emails")["templates"])

    # A candidate invited to a Spanish interview gets the invitation in Spanish: HTML, one button, a text alternative.
    iid = admin.post("/api/interviews", {"title": "Atención al cliente", "language": "es-ES", "questions": [{"prompt": "¿Por qué nosotros?", "kind": "text"}]})["interviewId"]
    email = f"lucia.{iid[-6:]}@example.com"
    (item,) = admin.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Lucía Pérez", "email": email, "timeZone": "Europe/Madrid"}]})["items"]
    (mail,) = wait_for(lambda: [m for m in stack.outbox() if email in m["to"]], timeout=20, what="the invitation")
    assert mail["subject"] == "Mail Co: tu entrevista en vídeo para Atención al cliente"
    assert mail["text"].startswith("Hola, Lucía Pérez:") and f"Empezar la entrevista: {item['inviteUrl']}" in mail["text"]
    assert "(Europe/Madrid)" in mail["text"] and any(m in mail["text"] for m in ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"))
    assert mail["html"].count("data-button") == 1 and '<html lang="es">' in mail["html"]

    # The email as a mail client shows it, at desktop and phone widths.
    for width, height in ((1280, 800), (390, 844)):
        view = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
        shown = view.new_page()
        shown.set_content(mail["html"])
        button = shown.get_by_role("link", name="Empezar la entrevista")
        expect(button).to_be_visible()
        assert button.get_attribute("href") == item["inviteUrl"]
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 40  # a real, tappable button
        expect(shown.get_by_text("Mail Co", exact=True)).to_be_visible()
        shown.screenshot(path=str(artifacts / f"email-invitation-es-{width}.png"), full_page=True)
        view.close()
    desk.close()
