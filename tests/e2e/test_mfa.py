"""Two-step verification in headless Chromium on the local stack: an admin sets up TOTP and makes it required
for the organization; a member is led to the setup at sign-in, types the secret into "their app", enters a
code, signs out and signs in again with password and code. Every page passes axe-core.

The organization is one of its own (the other e2e tests share the demo organization, which must stay open)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_review_workspace import check_a11y
from tests.support.client import Api, wait_for
from tests.support.stack import ROOT
from tests.support.totp import totp_code

pytestmark = pytest.mark.e2e

ADMIN = ("mfa-admin@secure.example", "Secure-admin-pass-1")
MEMBER = ("mfa-member@secure.example", "Secure-member-pass-1")


def create_user(stack, email: str, password: str, *org: str, role: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions")}
    env.pop("AWS_ENDPOINT_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "oneway.cli", "admin", "create-user", "--local", "--aws-port", stack.aws_endpoint.rsplit(":", 1)[1],
         "--email", email, *org, "--role", role, "--password", password],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def secure_org(stack):
    create_user(stack, *ADMIN, "--org", "Secure Co", role="admin")
    org_id = Api(stack.url, stack.sign_in(*ADMIN)).get("/api/me")["orgId"]
    create_user(stack, *MEMBER, "--org-id", org_id, role="recruiter")
    return org_id


def password_step(page: Page, stack, email: str, password: str) -> None:
    page.goto(stack.url + "/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def set_up_totp(page: Page, *, mistype: bool = False) -> str:
    """What the member does with their phone: scan (here: read) the secret, enter the app's code."""
    setup = page.get_by_test_id("totp-setup")
    expect(setup.get_by_role("img", name="QR code of your secret key for an authenticator app")).to_be_visible()
    secret = setup.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    assert len(secret) >= 12
    if mistype:
        code = totp_code(secret)
        setup.get_by_label("Code from the app").fill(f"{(int(code) + 1) % 1_000_000:06d}")
        setup.get_by_role("button", name="Verify and turn on").click()
        expect(setup.get_by_role("alert")).to_contain_text("That code did not match")
    setup.get_by_label("Code from the app").fill(totp_code(secret, margin=6))
    setup.get_by_role("button", name="Verify and turn on").click()
    return secret


def test_an_organization_requires_mfa_and_a_member_sets_it_up_then_signs_in_with_a_code(secure_org, browser, stack, artifacts):
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = admin_ctx.new_page()
    password_step(admin, stack, *ADMIN)
    expect(admin.get_by_test_id("org-name")).to_have_text("Secure Co")

    # The admin cannot require what they have not set up themselves.
    admin.get_by_role("link", name="Members").click()
    settings = admin.get_by_test_id("org-settings")
    expect(settings.get_by_label("Require two-step verification for every member")).to_be_disabled()
    settings.get_by_role("link", name="Set up two-step verification for your own account first.").click()

    expect(admin.get_by_role("heading", name="Two-step verification")).to_be_visible()
    expect(admin.get_by_test_id("totp-setup")).to_be_visible()
    admin.screenshot(path=str(artifacts / "mfa-setup.png"))
    check_a11y(admin)
    set_up_totp(admin)
    expect(admin.get_by_test_id("mfa-on")).to_be_visible()
    check_a11y(admin)

    # A member already at work when the requirement comes.
    early_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    early = early_ctx.new_page()
    password_step(early, stack, *MEMBER)
    expect(early.get_by_role("heading", name="Interviews")).to_be_visible()

    admin.get_by_role("link", name="Members").click()
    settings = admin.get_by_test_id("org-settings")
    settings.get_by_label("Require two-step verification for every member").check()
    settings.get_by_role("button", name="Save").click()
    expect(settings.get_by_text("Settings saved.")).to_be_visible()
    expect(admin.get_by_test_id("member-row").filter(has_text=ADMIN[0])).to_contain_text("On")
    expect(admin.get_by_test_id("member-row").filter(has_text=MEMBER[0])).to_contain_text("Off")
    admin.screenshot(path=str(artifacts / "mfa-org-settings.png"), full_page=True)
    check_a11y(admin)

    # The member's next step answers 403 mfa_required: the site turns to the setup.
    early.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(early.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    early_ctx.close()

    # The member signs in with their password and is led to the setup; nothing else is open to them.
    member_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    member = member_ctx.new_page()
    password_step(member, stack, *MEMBER)
    expect(member.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    expect(member.get_by_text("Secure Co requires two-step verification")).to_be_visible()
    expect(member.get_by_role("navigation", name="Main")).to_have_count(0)
    member.goto(stack.url + "/#/interviews/new")
    expect(member.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    member.screenshot(path=str(artifacts / "mfa-required.png"))
    check_a11y(member)
    secret = set_up_totp(member, mistype=True)
    expect(member.get_by_role("navigation", name="Main")).to_be_visible()
    member.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews").click()
    expect(member.get_by_role("heading", name="Interviews")).to_be_visible()

    # Signed out, the member signs in again: password, then a code from the app (a wrong one first).
    member.get_by_role("button", name="Sign out").click()
    password_step(member, stack, *MEMBER)
    code_field = member.get_by_label("Authentication code")
    expect(code_field).to_be_visible()
    check_a11y(member)
    code = totp_code(secret, margin=6)
    code_field.fill(f"{(int(code) + 1) % 1_000_000:06d}")
    member.get_by_role("button", name="Verify").click()
    expect(member.get_by_role("alert")).to_be_visible()
    code_field.fill(totp_code(secret, margin=6))
    member.get_by_role("button", name="Verify").click()
    expect(member.get_by_text(f"Signed in as {MEMBER[0]}")).to_be_visible()
    expect(member.get_by_role("heading", name="Interviews")).to_be_visible()
    member.screenshot(path=str(artifacts / "mfa-signed-in.png"))

    # The member lost their phone: the admin turns their TOTP off; at the next sign-in they set it up again.
    admin.reload()
    admin.on("dialog", lambda dialog: dialog.accept())
    row = admin.get_by_test_id("member-row").filter(has_text=MEMBER[0])
    row.get_by_role("button", name=f"Reset two-step verification of {MEMBER[0]}").click()
    expect(row).to_contain_text("Off")
    member.get_by_role("button", name="Sign out").click()
    password_step(member, stack, *MEMBER)
    expect(member.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    member_ctx.close()
    admin_ctx.close()


def test_a_user_pool_that_requires_mfa_has_it_set_up_during_the_first_sign_in(browser, stack, artifacts):
    """A pool with MFA ON (Oneway's is OPTIONAL) asks a new account to set up TOTP inside sign-in (MFA_SETUP):
    the sign-in page does it. The site is pointed at such a pool of the embedded Cognito through its config.json."""
    import boto3

    idp = boto3.client("cognito-idp", endpoint_url=stack.aws_endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    pool = idp.create_user_pool(PoolName="mfa-on", UsernameAttributes=["email"])["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True})
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="site", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    email = "first-timer@secure.example"
    idp.admin_create_user(
        UserPoolId=pool, Username=email, TemporaryPassword="Temporary-pass-1", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    config = {**stack.config(), "userPoolId": pool, "userPoolClientId": client}
    page.route("**/config.json", lambda route: route.fulfill(json=config))
    password_step(page, stack, email, "Temporary-pass-1")
    page.get_by_label("New password").fill("First-own-pass-1")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    expect(page.get_by_text("Your account needs two-step verification before you can sign in")).to_be_visible()
    check_a11y(page)
    set_up_totp(page)
    # Signed in: TOTP became the account's preferred factor, which takes the access token that only the answered
    # challenge gives. (This pool's accounts belong to no organization here, so the site goes no further.)
    wait_for(
        lambda: idp.admin_get_user(UserPoolId=pool, Username=email).get("PreferredMfaSetting") == "SOFTWARE_TOKEN_MFA",
        timeout=15, what="TOTP to be the account's factor",
    )
    assert idp.admin_get_user(UserPoolId=pool, Username=email)["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    expect(page.get_by_role("alert")).to_have_count(0)
    ctx.close()
