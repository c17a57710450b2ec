"""The brand in headless Chromium on the local stack: an admin tries a colour too light for white text (the form
says so and will not save it), sets a readable accent and uploads a logo on the organization settings; the review
header shows both; a candidate's link shows the logo and the accent (computed styles); the logo's public address
answers the picture with its type, nosniff and a year of caching. Every page passes axe-core; screenshots at
1280x800 and 390x844.

The organization is one of its own (the other e2e tests share the demo organization, whose look must stay Oneway's)."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.e2e.test_mfa import create_user, password_step
from tests.e2e.test_review_workspace import check_a11y
from tests.integration.test_api import INTERVIEW
from tests.support.client import Api
from tests.support.images import picture

pytestmark = pytest.mark.e2e

ADMIN = ("brand-admin@brand.example", "Brand-admin-pass-1")
ACCENT, ACCENT_RGB = "#6d28d9", "rgb(109, 40, 217)"


@pytest.fixture(scope="module")
def brand_org(stack):
    create_user(stack, *ADMIN, "--org", "Brand Co", role="admin")
    return Api(stack.url, stack.sign_in(*ADMIN))


def primary_background(page: Page) -> str:
    return page.evaluate("() => getComputedStyle(document.querySelector('.button:not(.secondary)')).backgroundColor")


def logo_loaded(page: Page) -> None:
    logo = page.get_by_test_id("org-logo").first
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 240


def test_an_admin_brands_the_organization_and_candidates_see_it(brand_org, browser, stack, artifacts, tmp_path):
    logo_file = tmp_path / "logo.png"
    logo_file.write_bytes(picture("png", 240, 80, colour=(109, 40, 217)))
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    admin = ctx.new_page()
    password_step(admin, stack, *ADMIN)
    expect(admin.get_by_test_id("org-name")).to_have_text("Brand Co")
    admin.get_by_role("link", name="Members").click()
    brand = admin.get_by_test_id("brand-settings")
    expect(brand).to_be_visible()

    # Too light for white button text: the form says why and does not save it.
    accent = brand.get_by_label("Accent colour (#rrggbb)")
    accent.fill("#f59e0b")
    expect(brand.get_by_test_id("accent-contrast")).to_contain_text("only 2.15:1")
    expect(brand.get_by_role("button", name="Save colour")).to_be_disabled()
    # A readable one is saved and shown at once.
    accent.fill(ACCENT)
    expect(brand.get_by_test_id("accent-contrast")).to_contain_text("readable")
    brand.get_by_role("button", name="Save colour").click()
    expect(brand.get_by_role("status").filter(has_text="Colour saved.")).to_be_visible()
    assert admin.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()") == ACCENT
    assert primary_background(admin) == ACCENT_RGB

    # The logo: chosen, uploaded, checked by the API; the header shows it.
    brand.get_by_label("Upload a logo").set_input_files(str(logo_file))
    expect(brand.get_by_test_id("logo-status")).to_have_text("Logo saved.")
    expect(admin.get_by_test_id("org-name").get_by_test_id("org-logo")).to_be_visible()
    logo_loaded(admin)
    check_a11y(admin)
    admin.screenshot(path=str(artifacts / "brand-settings-1280.png"), full_page=False)
    admin.evaluate("() => window.scrollTo(0, 0)")
    admin.screenshot(path=str(artifacts / "brand-review-1280.png"), full_page=False)

    # A file that is no picture is refused by the API, and said so.
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    brand.get_by_label("Upload a logo").set_input_files(str(fake))
    expect(brand.get_by_role("alert")).to_contain_text("must be a PNG, JPEG or WebP picture")
    logo_loaded(admin)  # the logo stays

    # The public address: the picture, its type, nosniff, a year of caching for this version.
    me = brand_org.get("/api/me")
    logo_url = me["brand"]["logoUrl"]
    assert logo_url.startswith(stack.url + f"/api/brand/{me['orgId']}/logo?v=")
    answer = requests.get(logo_url, timeout=30)
    assert answer.status_code == 200 and answer.content == logo_file.read_bytes()
    assert answer.headers["Content-Type"] == "image/png" and answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"

    # A candidate's link: the logo in the header, the accent on the buttons.
    iid = brand_org.post("/api/interviews", INTERVIEW)["interviewId"]
    invite = brand_org.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada Brand", "email": "ada@brand.example"}]})
    url = invite["items"][0]["inviteUrl"]
    for width, height in ((1280, 800), (390, 844)):
        cand_ctx = browser.new_context(viewport={"width": width, "height": height})
        candidate = cand_ctx.new_page()
        candidate.goto(url)
        expect(candidate.get_by_test_id("org-name")).to_have_text("Brand Co")
        logo_loaded(candidate)
        expect(candidate.locator(".button:not(.secondary)").first).to_be_visible()
        assert primary_background(candidate) == ACCENT_RGB
        # The hover and soft tints come from the accent: 80% of it with black, 8% of it with white.
        tints = candidate.evaluate("() => ['--primary-hover', '--primary-soft'].map(p => getComputedStyle(document.documentElement).getPropertyValue(p).trim())")
        assert tints == ["#5720ae", "#f3eefc"]
        check_a11y(candidate)
        candidate.screenshot(path=str(artifacts / f"brand-candidate-{width}.png"), full_page=False)
        cand_ctx.close()

    # The review header on a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    password_step(page, stack, *ADMIN)
    logo_loaded(page)
    check_a11y(page)
    page.screenshot(path=str(artifacts / "brand-review-390.png"), full_page=False)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Members").click()
    phone_brand = page.get_by_test_id("brand-settings")
    phone_brand.scroll_into_view_if_needed()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_a11y(page)
    page.screenshot(path=str(artifacts / "brand-settings-390.png"), full_page=False)
    phone.close()

    # Removed: the header shows the name alone, and the old address no longer answers.
    admin.reload()
    admin.get_by_test_id("brand-settings").get_by_role("button", name="Remove the logo").click()
    expect(admin.get_by_test_id("org-name").get_by_test_id("org-logo")).to_have_count(0)
    assert requests.get(logo_url, timeout=30).status_code == 404
    ctx.close()
