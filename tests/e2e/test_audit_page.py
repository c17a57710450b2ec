"""The audit log page of the review site, in headless Chromium on the local stack: an admin reads a month of
the log, narrows it to one kind of action, and exports it as CSV; the page passes axe-core."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_review_workspace import check_a11y, sign_in
from tests.support.client import Api

pytestmark = pytest.mark.e2e


def test_an_admin_reads_filters_and_exports_the_audit_log(stack, browser, artifacts):
    admin = Api(stack.url, stack.sign_in())
    me = admin.get("/api/me")
    org = admin.get("/api/organization")
    admin.call("PATCH", "/api/organization", json={"retentionDays": org["retentionDays"] + 1})
    admin.call("PATCH", "/api/organization", json={"retentionDays": org["retentionDays"]})
    iid = admin.post("/api/interviews", {"title": "Audit page", "questions": [{"prompt": "Why?", "kind": "text"}]})["interviewId"]

    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    sign_in(page, stack)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    log = page.get_by_test_id("audit-log")
    expect(log).to_contain_text("organization.updated")
    expect(log).to_contain_text("interview.created")
    expect(log).to_contain_text(me["email"])  # the actor's id shown as the member's email
    check_a11y(page)

    form = page.get_by_test_id("audit-filters")
    form.get_by_label("Action").select_option("organization")
    form.get_by_role("button", name="Show").click()
    entries = page.get_by_test_id("audit-entry")
    expect(entries.first).to_contain_text("organization.updated")
    assert all("organization." in text for text in entries.all_inner_texts())
    expect(page.get_by_test_id("audit-log")).not_to_contain_text(iid)

    with page.expect_download() as info:
        page.get_by_test_id("audit-export").click()
    download = info.value
    month = datetime.now(UTC).strftime("%Y-%m")
    assert download.suggested_filename == f"audit-{month}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows and {r["action"] for r in rows} == {"organization.updated"}
    assert all(r["actor"] == me["userId"] for r in rows)
    page.screenshot(path=str(artifacts / "audit-log.png"), full_page=True)

    # The export is itself in the log.
    exported = admin.get("/api/audit", params={"month": month, "action": "audit.exported"})["items"]
    assert exported and exported[0]["detail"]["filter_action"] == "organization"
    ctx.close()
