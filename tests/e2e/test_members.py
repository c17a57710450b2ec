"""Members in headless Chromium on the local stack: sign-out revokes the session's refresh token; an admin
removes a leaver from the Members page (with a confirmation), and the leaver's open session ends at their
next step; a member who forgot their password chooses a new one with an emailed code, and so does a member whose
password an admin reset. The organization is one of its own (the other e2e tests share the demo organization)."""

from __future__ import annotations

import re

import boto3
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_mfa import create_user, password_step
from tests.e2e.test_review_workspace import check_a11y
from tests.support.client import Api, wait_for

pytestmark = pytest.mark.e2e

ADMIN = ("boss@leavers.example", "Leavers-admin-pass-1")
LEAVER = ("leaver@leavers.example", "Leavers-member-pass-1")


@pytest.fixture(scope="module")
def leavers_org(stack):
    create_user(stack, *ADMIN, "--org", "Leavers Co", role="admin")
    org_id = Api(stack.url, stack.sign_in(*ADMIN)).get("/api/me")["orgId"]
    create_user(stack, *LEAVER, "--org-id", org_id, role="recruiter")
    return org_id


def refresh_token(page: Page) -> str:
    """What amazon-cognito-identity-js keeps in local storage for the signed-in member."""
    found = page.evaluate("() => Object.keys(localStorage).filter(k => k.endsWith('.refreshToken')).map(k => localStorage.getItem(k))")
    assert len(found) == 1, found
    return found[0]


def idp_of(stack):
    cfg = stack.config()
    idp = boto3.client("cognito-idp", endpoint_url=cfg["cognitoEndpoint"], region_name=cfg["region"], aws_access_key_id="x", aws_secret_access_key="x")
    return idp, cfg["userPoolClientId"]


def test_sign_out_revokes_the_refresh_token(leavers_org, browser, stack):
    idp, client_id = idp_of(stack)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    password_step(page, stack, *ADMIN)
    expect(page.get_by_test_id("org-name")).to_have_text("Leavers Co")
    token = refresh_token(page)
    assert idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token})["AuthenticationResult"]

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('CognitoIdentityServiceProvider.')).length") == 0
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token})
    ctx.close()


def test_an_admin_removes_a_leaver_whose_open_session_ends(leavers_org, browser, stack, artifacts):
    idp, client_id = idp_of(stack)
    leaver_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    leaver = leaver_ctx.new_page()
    password_step(leaver, stack, *LEAVER)
    expect(leaver.get_by_role("heading", name="Interviews")).to_be_visible()
    leaver_token = refresh_token(leaver)

    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = admin_ctx.new_page()
    password_step(admin, stack, *ADMIN)
    admin.get_by_role("link", name="Members").click()
    rows = admin.get_by_test_id("member-row")
    expect(rows.filter(has_text=LEAVER[0])).to_have_count(1)
    # No button to remove oneself.
    expect(rows.filter(has_text=ADMIN[0]).get_by_role("button", name=f"Remove {ADMIN[0]} from the organization")).to_have_count(0)
    check_a11y(admin)

    # Cancelled at the confirmation: nothing happens.
    admin.once("dialog", lambda dialog: dialog.dismiss())
    rows.filter(has_text=LEAVER[0]).get_by_role("button", name=f"Remove {LEAVER[0]} from the organization").click()
    expect(rows.filter(has_text=LEAVER[0])).to_have_count(1)

    messages = []

    def accept(dialog):
        messages.append(dialog.message)
        dialog.accept()

    admin.once("dialog", accept)
    rows.filter(has_text=LEAVER[0]).get_by_role("button", name=f"Remove {LEAVER[0]} from the organization").click()
    expect(admin.get_by_role("status").filter(has_text="is removed")).to_contain_text(f"{LEAVER[0]} is removed: 0 assignments dropped, 0 share links revoked")
    expect(rows.filter(has_text=LEAVER[0])).to_have_count(0)
    assert "signed out everywhere" in messages[0]
    admin.screenshot(path=str(artifacts / "members-removed.png"), full_page=True)
    check_a11y(admin)

    # The leaver's session: no refresh, and their next step in the open page signs them out.
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": leaver_token})
    leaver.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(leaver.get_by_text("This account is not a member of any organization any more")).to_be_visible()
    expect(leaver.get_by_role("button", name="Sign in")).to_be_visible()
    leaver_ctx.close()
    admin_ctx.close()


def emailed_code(stack, address: str, seen: int = 0) -> str:
    """The 6-digit code of the newest email to the address, once more than ``seen`` have arrived."""
    mails = wait_for(lambda: (m := [x for x in stack.outbox() if address in x["to"]]) and len(m) > seen and m, timeout=15, what="the code's email")
    found = re.search(r"\b(\d{6})\b", mails[-1]["body"])
    assert found, mails[-1]["body"]
    return found.group(1)


def test_forgot_password_on_the_sign_in_page(leavers_org, browser, stack, artifacts):
    email = "forgetful@leavers.example"
    create_user(stack, email, "Forgotten-pass-1", "--org-id", leavers_org, role="reviewer")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(stack.url + "/")
    page.get_by_role("button", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_text(f"If {email} has an account, a 6-digit code is on its way")).to_be_visible()
    check_a11y(page)
    code = emailed_code(stack, email)

    page.get_by_label("Code from the email").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_label("New password").fill("Remembered-pass-2")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("alert")).to_have_text("That code is not right. Check the latest email, or ask for a new code.")
    page.screenshot(path=str(artifacts / "recovery-wrong-code.png"), full_page=True)
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible()
    ctx.close()
    assert stack.sign_in(email, "Remembered-pass-2")


def test_an_admin_resets_a_members_password_and_the_member_chooses_a_new_one(leavers_org, browser, stack, artifacts):
    email = "leaked@leavers.example"
    create_user(stack, email, "Leaked-pass-1", "--org-id", leavers_org, role="recruiter")
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = admin_ctx.new_page()
    password_step(admin, stack, *ADMIN)
    admin.get_by_role("link", name="Members").click()
    row = admin.get_by_test_id("member-row").filter(has_text=email)
    messages = []

    def accept(dialog):
        messages.append(dialog.message)
        dialog.accept()

    admin.once("dialog", accept)
    row.get_by_role("button", name=f"Reset password of {email}").click()
    expect(admin.get_by_role("status").filter(has_text="signed out")).to_have_text(f"{email} is signed out and has an email to choose a new password.")
    assert "signed out everywhere" in messages[0]
    admin.screenshot(path=str(artifacts / "members-password-reset.png"), full_page=True)
    check_a11y(admin)
    admin_ctx.close()

    # The old password leads to the code the pool emailed, then to the site.
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    password_step(page, stack, email, "Leaked-pass-1")
    expect(page.get_by_text("An administrator reset your password.")).to_be_visible()
    page.get_by_label("Code from the email").fill(emailed_code(stack, email))
    page.get_by_label("New password").fill("Rotated-pass-2")
    page.screenshot(path=str(artifacts / "recovery-admin-reset-phone.png"), full_page=True)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible()
    ctx.close()
