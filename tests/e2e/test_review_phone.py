"""The review site on a phone and the table's remaining pieces, in headless Chromium on the local stack.

On a touch phone (390x844, touch and mobile emulated) every review page has no sideways scroll, a header folded
into a menu button (its state announced, Escape closes it and gives the keyboard back), no keyboard hints, the
player first on a candidate's page, tables reflowed into cards, and no axe violation; each page is photographed at
390x844 and at 1280x800. On the desktop: the interview list's next deadline, the table's export of the chosen
candidates as one CSV download, and a rubric item scored on one question (builder, scorecard, Compare, analytics).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_review_workspace import check_a11y, sign_in
from tests.e2e.test_workspace_design import DESKTOP, PHONE, no_sideways_scroll, seed
from tests.support.client import Api, token_from

pytestmark = pytest.mark.e2e

TOUCH = {"viewport": PHONE, "has_touch": True, "is_mobile": True}
TITLE = "Platform engineer"


@pytest.fixture(scope="module")
def seeded(stack, tmp_path_factory):
    return seed(stack, tmp_path_factory, TITLE)

# name, path, a heading that says the page is there
PAGES = [
    ("list", "#/", "Interviews"),
    ("interview", "#/interviews/{iid}", TITLE),
    ("candidate", "#/candidates/{ada}", "Ada Lovelace"),
    ("compare", "#/interviews/{iid}/compare", "Compare answers"),
    ("analytics", "#/interviews/{iid}/analytics", f"Analytics: {TITLE}"),
    ("audit", "#/audit", "Audit log"),
    ("members", "#/members", "Members"),
    ("security", "#/security", None),
    ("builder", "#/interviews/new", None),
]


def photo(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"phone-{name}.png"))


def menu_works(page: Page) -> None:
    """The header is the mark and a menu button; the button opens the navigation, Escape closes it."""
    button = page.get_by_role("button", name="Menu")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    # The keyboard is in the menu, on its first entry.
    expect(nav.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()


@pytest.fixture(scope="module")
def shared(seeded):
    return seeded["admin"].post(f"/api/candidates/{seeded['ids'][0]}/shares", {"minutes": 30})


def test_every_review_page_on_a_touch_phone(seeded, shared, browser, stack, artifacts):
    ctx = browser.new_context(**TOUCH)
    page = ctx.new_page()
    sign_in(page, stack)
    assert page.evaluate("matchMedia('(hover: none) and (pointer: coarse)').matches")
    values = {"iid": seeded["interview"], "ada": seeded["ids"][0]}
    for name, path, heading in PAGES:
        page.goto(f"{stack.url}/{path.format(**values)}")
        if heading:
            expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
        else:
            expect(page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        # The header holds one row: the mark, the organization and the menu button.
        assert page.locator(".app-header").bounding_box()["height"] < 70
        menu_works(page)
        no_sideways_scroll(page, name)
        # Nor inside the page: no table or panel scrolls sideways on its own.
        wide = page.locator(".table-wrap, .card").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1 && e.offsetParent).map(e => e.className + ' ' + e.scrollWidth)"
        )
        assert wide == [], (name, wide)
        photo(page, artifacts, f"{name}-390")
        check_a11y(page)
        if name == "members":
            settings = page.get_by_role("heading", name="Organization settings")
            settings.scroll_into_view_if_needed()
            photo(page, artifacts, "settings-390")

    # Tabbing past the menu's last entry closes it.
    button = page.get_by_role("button", name="Menu")
    button.click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    for _ in range(12):
        page.keyboard.press("Tab")
        if button.get_attribute("aria-expanded") == "false":
            break
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    assert page.evaluate("!document.getElementById('header-menu').contains(document.activeElement)")

    # The interview page's table is a stack of cards: every cell within the screen, labelled, the checkbox by the name.
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}")
    page.get_by_label("Table").check()
    rows = page.get_by_test_id("candidate-row")
    expect(rows).to_have_count(3)
    for box in rows.evaluate_all("rs => rs.map(r => r.getBoundingClientRect()).map(b => [b.left, b.right])"):
        assert box[0] >= 0 and box[1] <= PHONE["width"], box
    assert rows.first.locator("td[data-label]").count() >= 5
    page.get_by_test_id("select-all").check()
    no_sideways_scroll(page, "table with the bulk bar")
    rows.first.scroll_into_view_if_needed()
    photo(page, artifacts, "table-cards-390")
    check_a11y(page)

    # The candidate's page: the player first, no keyboard hints on a touch screen.
    page.goto(f"{stack.url}/#/candidates/{seeded['ids'][0]}")
    video = page.get_by_test_id("answer-video")
    expect(video).to_be_visible()
    expect(page.locator(".keyboard-hint")).to_have_count(1)
    expect(page.locator(".keyboard-hint")).to_be_hidden()
    player = video.bounding_box()
    assert player["y"] < PHONE["height"], player  # on the first screen
    assert player["y"] < page.get_by_test_id("review-form").bounding_box()["y"]
    assert player["y"] < page.locator("h1").bounding_box()["y"] + 260, player  # under the name, nothing long between
    photo(page, artifacts, "candidate-player-first-390")

    # The share page, as a hiring manager opens it on a phone (no header there to fold).
    guest = ctx.browser.new_context(**TOUCH).new_page()
    guest.goto(shared["url"].replace("http://127.0.0.1:8000", stack.url))
    expect(guest.get_by_test_id("share-meta")).to_be_visible()
    guest.wait_for_load_state("networkidle")
    no_sideways_scroll(guest, "share")
    guest.screenshot(path=str(artifacts / "phone-share-390.png"))
    check_a11y(guest)
    guest.context.close()
    ctx.close()


def test_every_review_page_at_1280(seeded, shared, browser, stack, artifacts):
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    sign_in(page, stack)
    values = {"iid": seeded["interview"], "ada": seeded["ids"][0]}
    for name, path, heading in PAGES:
        page.goto(f"{stack.url}/{path.format(**values)}")
        expect(page.get_by_role("heading", name=heading, exact=True).first if heading else page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        # No menu button on a wide screen: the navigation is in the header.
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        no_sideways_scroll(page, name)
        photo(page, artifacts, f"{name}-1280")
    page.goto(f"{stack.url}/#/members")
    page.get_by_role("heading", name="Organization settings").scroll_into_view_if_needed()
    photo(page, artifacts, "settings-1280")
    ctx.close()
    guest = browser.new_context(viewport=DESKTOP).new_page()  # a guest, without the member's session
    guest.goto(shared["url"].replace("http://127.0.0.1:8000", stack.url))
    expect(guest.get_by_test_id("share-meta")).to_be_visible()
    no_sideways_scroll(guest, "share")
    photo(guest, artifacts, "share-1280")
    guest.context.close()


def test_the_list_shows_the_next_deadline_of_a_candidate_still_to_answer(seeded, browser, stack, artifacts):
    admin = seeded["admin"]
    linus = next(c for c in admin.get(f"/api/interviews/{seeded['interview']}/candidates")["items"] if c["name"] == "Linus Torvalds")
    listed = next(i for i in admin.get("/api/interviews")["items"] if i["interviewId"] == seeded["interview"])
    # Ada and Grace submitted: the next deadline is Linus's, who has not.
    assert datetime.fromisoformat(listed["nextDeadline"]) == datetime.fromisoformat(linus["expiresAt"])
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    sign_in(page, stack)
    row = page.get_by_test_id("interview-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("next-deadline").locator("time")).to_have_attribute("datetime", listed["nextDeadline"])
    expect(page.get_by_role("columnheader", name="Next deadline")).to_be_visible()
    box = page.locator(".table-wrap").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert box[0] <= box[1], box
    # Nothing wraps at 1280 px: one-line column headings, the title on one line.
    heights = page.locator(".pipeline-table thead th").evaluate_all("ths => ths.map(t => t.getBoundingClientRect().height)")
    assert max(heights) < 45, heights
    assert row.locator("th a").evaluate("a => a.getClientRects().length") == 1
    photo(page, artifacts, "list-next-deadline-1280")
    check_a11y(page)
    ctx.close()


def test_the_chosen_candidates_download_as_one_csv(seeded, browser, stack, artifacts):
    ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = ctx.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}")
    page.get_by_label("Table").check()
    table = page.get_by_test_id("candidate-list")
    table.get_by_label("Select Ada Lovelace").click()
    table.get_by_label("Select Linus Torvalds").click()
    # Every bulk action is offered.
    options = page.get_by_label("Action", exact=True).locator("option").all_inner_texts()
    for action in ("Advance", "Hold", "Reject", "Send a reminder", "Resend the invitation", "Extend the deadline", "Assign a reviewer"):
        assert any(o.startswith(action) for o in options), (action, options)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "candidates.csv" in r.url else None)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export selected (CSV)").click()
    saved = download.value
    assert saved.suggested_filename == f"candidates-{seeded['interview']}-selected.csv"
    rows = list(csv.DictReader(io.StringIO(Path(saved.path()).read_text(encoding="utf-8"))))
    assert sorted(r["name"] for r in rows) == ["Ada Lovelace", "Linus Torvalds"]
    # One request, naming the selection.
    assert len(requests) == 1 and "candidateIds=" in requests[0], requests
    audit = seeded["admin"].get("/api/audit", params={"action": "candidates.exported"})["items"]
    assert any(e["detail"].get("rows") == 2 and e["detail"].get("chosen") for e in audit), audit
    ctx.close()


def test_a_rubric_item_scored_on_one_question(stack, browser, artifacts):
    admin = Api(stack.url, stack.sign_in())
    interview = {
        "title": "Support lead",
        "questions": [{"prompt": "How do you calm an angry customer?", "kind": "text"}, {"prompt": "Write a reply to a refund request.", "kind": "text"}],
        "rubric": [{"name": "Empathy"}, {"name": "Writing", "description": "The reply itself"}],
        "practiceQuestion": False,
    }
    iid = admin.post("/api/interviews", interview)["interviewId"]
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    sign_in(page, stack)
    # The builder: "Writing" is scored on the second question.
    page.goto(f"{stack.url}/#/interviews/{iid}/edit")
    writing = page.get_by_test_id("rubric-row").filter(has=page.locator("input[value=Writing]"))
    writing.get_by_label("Scored on").select_option(label="Question 2: Write a reply to a refund request.")
    photo(page, artifacts, "rubric-question-1280")
    check_a11y(page)
    page.get_by_role("button", name="Save interview").click()
    expect(page.get_by_role("heading", name="Support lead")).to_be_visible()
    assert [(r["name"], r["questionId"]) for r in admin.get(f"/api/interviews/{iid}")["rubric"]] == [("Empathy", None), ("Writing", "q2")]

    invited = admin.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Joan Clarke", "email": "joan@example.com"}], "sendEmail": False})
    cid = invited["items"][0]["candidateId"]
    cand = Api(stack.url, token_from(invited["items"][0]["inviteUrl"]))
    cand.post("/api/c/consent", {"accepted": True})
    cand.post("/api/c/questions/q1/text", {"text": "I listen first and say what I will do."})
    cand.post("/api/c/questions/q2/text", {"text": "Dear customer, your refund is on its way."})
    cand.post("/api/c/complete")

    # The scorecard: with the first answer on screen, "Writing" is a line that opens the second answer.
    page.goto(f"{stack.url}/#/candidates/{cid}")
    form = page.get_by_test_id("review-form")
    expect(form.get_by_test_id("score-criterion")).to_have_count(1)
    elsewhere = form.get_by_test_id("score-elsewhere")
    expect(elsewhere).to_contain_text("Writing")
    expect(elsewhere).to_contain_text("question 2: not scored yet")
    form.get_by_role("group", name=re.compile("^Empathy")).get_by_role("radio", name="3").check()
    elsewhere.get_by_role("button", name="Show answer 2").click()
    expect(page.get_by_test_id("answer")).to_have_attribute("data-question-id", "q2")
    criterion = form.get_by_test_id("score-criterion")
    expect(criterion).to_have_count(2)
    writing = criterion.filter(has_text="Writing")
    expect(writing).to_contain_text("Question 2")
    writing.get_by_role("radio", name="5").check()
    photo(page, artifacts, "scorecard-per-question-1280")
    check_a11y(page)
    form.get_by_role("button", name="Save review").click()
    expect(form.get_by_role("status")).to_have_text("Review saved.")
    expect(page.get_by_test_id("review")).to_contain_text("Writing (question 2)")
    review = admin.get(f"/api/candidates/{cid}")["reviews"][0]
    assert review["scores"] == {"Empathy": 3, "Writing": 5}

    # Compare, on the second question: the item scored on it, with its mean.
    page.goto(f"{stack.url}/#/interviews/{iid}/compare")
    page.get_by_label("Question", exact=True).select_option(label="2. Write a reply to a refund request.")
    page.get_by_label("Joan Clarke").check()
    scores = page.get_by_test_id("compare-question-scores")
    expect(scores).to_contain_text("Writing")
    expect(scores).to_contain_text("5 on average (1 review)")
    check_a11y(page)
    page.get_by_label("Question", exact=True).select_option(label="1. How do you calm an angry customer?")
    expect(scores).to_have_count(0)

    # Analytics: the item's chart says its question.
    admin.post(f"/api/candidates/{cid}/decision", {"decision": "advance", "note": "clear writer"})
    page.goto(f"{stack.url}/#/interviews/{iid}/analytics")
    expect(page.get_by_role("figure", name="Scores of decided candidates: Writing (question 2)")).to_be_visible()
    expect(page.get_by_role("figure", name="Scores of decided candidates: Empathy", exact=True)).to_be_visible()
    ctx.close()
