"""Screening questions in headless Chromium on the local stack.

The builder adds a yes/no question (preferred: yes), a number question (0 to 50 years, preferred: at
least 3) and a multiple-choice one (two options, one acceptable) beside a written one. A candidate's welcome page lists which questions are screening questions;
the candidate answers with the keyboard, misses the yes/no rule, meets the number rule. The recruiter's
board and table flag that candidate (not the one who met every rule), the table filters and sorts on the
flag, and the candidate page shows the miss next to the answer; nobody was rejected. axe-core on each
page; screenshots at 1280x800 and 390x844.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.candidate_support import axe
from tests.e2e.test_interview_builder import no_sideways_scroll, sign_in
from tests.support.client import Api, token_from

pytestmark = pytest.mark.e2e

TITLE = "Forklift team lead"
LICENCE = "Do you hold a valid forklift licence?"
YEARS = "How many years have you led a team?"
SHIFT = "Which shift do you want?"
WHY = "Why this team?"


def build(page: Page) -> None:
    page.get_by_test_id("new-interview").click()
    page.get_by_label("Title").fill(TITLE)
    rows = page.get_by_test_id("question-row")
    first = rows.nth(0)
    first.get_by_label("Question", exact=True).fill(LICENCE)
    first.get_by_label("Answer type").select_option(label="Screening: yes or no")
    first.get_by_label("Preferred answer").select_option(label="Yes")
    page.get_by_role("button", name="Add question").click()
    second = rows.nth(1)
    second.get_by_label("Question", exact=True).fill(YEARS)
    second.get_by_label("Answer type").select_option(label="Screening: number")
    second.get_by_label("Lowest answer allowed").fill("0")
    second.get_by_label("Highest answer allowed").fill("50")
    second.get_by_label("Unit (e.g. years)").fill("years")
    second.get_by_label("Preferred at least").fill("3")
    page.get_by_role("button", name="Add question").click()
    third = rows.nth(2)
    third.get_by_label("Question", exact=True).fill(SHIFT)
    third.get_by_label("Answer type").select_option(label="Screening: multiple choice")
    third.get_by_label("Option 1", exact=True).fill("Days")
    third.get_by_label("Option 2", exact=True).fill("Nights")
    third.get_by_role("button", name="Add option").click()
    third.get_by_label("Option 3", exact=True).fill("Weekends")
    third.get_by_role("button", name="Remove option 3").click()
    expect(third.get_by_label("Option 3", exact=True)).to_have_count(0)
    third.get_by_label("Option 2 is acceptable").check()
    page.get_by_role("button", name="Add question").click()
    fourth = rows.nth(3)
    fourth.get_by_label("Question", exact=True).fill(WHY)
    fourth.get_by_label("Answer type").select_option(label="Written")
    page.get_by_label("Offer a practice question first").uncheck()


def test_screening_answers_flag_the_candidate_and_reject_nobody(browser, stack, artifacts):
    recruiter = Api(stack.url, stack.sign_in())
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, stack)
    build(page)
    expect(page.get_by_test_id("screening-fields")).to_have_count(3)
    axe(page, "builder with screening questions")
    page.screenshot(path=str(artifacts / "screening-builder-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "screening-builder-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Create interview").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    iid = page.url.rsplit("/", 1)[1]
    saved = recruiter.get(f"/api/interviews/{iid}")["questions"]
    assert [(q["kind"], q["rule"]) for q in saved] == [
        ("yes_no", {"expected": True, "acceptable": None, "min": None, "max": None}),
        ("number", {"expected": None, "acceptable": None, "min": 3, "max": None}),
        ("choice", {"expected": None, "acceptable": ["Nights"], "min": None, "max": None}),
        ("text", None),
    ]
    assert (saved[2]["options"], saved[2]["multiple"]) == (["Days", "Nights"], False)
    assert (saved[1]["numberMin"], saved[1]["numberMax"], saved[1]["unit"]) == (0, 50, "years")

    invited = recruiter.post(
        f"/api/interviews/{iid}/invitations",
        {"candidates": [{"name": "Fran Flagged", "email": "fran@example.com"}, {"name": "Mo Meets", "email": "mo@example.com"}], "sendEmail": False},
    )["items"]
    fran, mo = invited
    # Mo meets every rule (through the API, as the app would send it).
    mo_api = Api(stack.url, token_from(mo["inviteUrl"]))
    mo_api.post("/api/c/consent", {"accepted": True})
    mo_api.post("/api/c/questions/q1/screening", {"yes": True})
    mo_api.post("/api/c/questions/q2/screening", {"number": 7})
    mo_api.post("/api/c/questions/q3/screening", {"choices": ["Nights"]})
    mo_api.post("/api/c/questions/q4/text", {"text": "I like a tidy warehouse."})
    mo_api.post("/api/c/complete")

    # Fran, on a phone: the welcome page says which questions are screening questions.
    cctx = browser.new_context(viewport={"width": 390, "height": 844})
    cpage = cctx.new_page()
    seen: list[str] = []
    cpage.on("response", lambda r: seen.append(r.text()) if r.url.endswith("/api/c/session") else None)
    cpage.goto(fran["inviteUrl"])
    listed = cpage.get_by_test_id("question-list").locator("li")
    expect(listed).to_have_count(4)
    expect(listed.nth(0)).to_contain_text("Question 1: screening question · yes or no")
    expect(listed.nth(1)).to_contain_text("Question 2: screening question · a number")
    expect(listed.nth(2)).to_contain_text("Question 3: screening question · choose from a list")
    expect(listed.nth(3)).to_contain_text("Question 4: written answer")
    expect(cpage.get_by_test_id("screening-note")).to_contain_text("no answer turns you down on its own")
    axe(cpage, "welcome with screening questions")
    cpage.screenshot(path=str(artifacts / "screening-welcome-390.png"), full_page=True)
    # The preferred answers never reach the candidate's browser.
    assert seen and not any(re.search(r'"(rule|expected|acceptable)"', body) for body in seen)
    cpage.get_by_label(re.compile("I agree to the recording")).check()
    cpage.get_by_role("button", name="I agree and continue").click()

    # Question 1 with the keyboard: Tab into the radio group, arrow to "No", Enter submits.
    form = cpage.get_by_test_id("screening-question")
    expect(form.get_by_role("heading", name=LICENCE)).to_be_visible()
    expect(form.get_by_role("group", name="Choose one")).to_be_visible()
    axe(cpage, "a yes/no screening question")
    cpage.screenshot(path=str(artifacts / "screening-yes-no-390.png"), full_page=True)
    form.get_by_role("radio", name="Yes").focus()
    cpage.keyboard.press("ArrowDown")
    expect(form.get_by_role("radio", name="No")).to_be_checked()
    cpage.keyboard.press("Enter")
    # Question 2: a number in its unit, with its bounds said (not the preference).
    expect(form.get_by_role("heading", name=YEARS)).to_be_visible()
    number = form.get_by_role("spinbutton", name="Your answer (years)")
    expect(number).to_have_attribute("aria-describedby", "screening-range")
    expect(form.get_by_text("Between 0 and 50")).to_be_visible()
    number.fill("5")
    cpage.set_viewport_size({"width": 1280, "height": 800})
    axe(cpage, "a number screening question")
    cpage.screenshot(path=str(artifacts / "screening-number-1280.png"), full_page=True)
    form.get_by_role("button", name="Submit answer").click()
    # Question 3: one of two options, as radios.
    expect(form.get_by_role("heading", name=SHIFT)).to_be_visible()
    expect(form.get_by_role("radio")).to_have_count(2)
    form.get_by_role("radio", name="Nights").check()
    form.get_by_role("button", name="Submit answer").click()
    expect(cpage.get_by_test_id("text-question")).to_be_visible()
    cpage.get_by_label("Your answer").fill("I keep a warehouse safe and calm.")
    cpage.get_by_role("button", name="Submit answer").click()
    expect(cpage.get_by_test_id("finish")).to_be_visible(timeout=30_000)
    cpage.get_by_role("button", name="Finish").click()
    expect(cpage.get_by_test_id("done")).to_be_visible()
    cctx.close()

    # The table flags Fran (question 1), not Mo; both are submitted, neither rejected.
    page.goto(f"{stack.url}/#/interviews/{iid}")
    page.reload()  # the list was read before anyone was invited
    table = page.get_by_test_id("candidate-list")
    fran_row = table.locator(f"[data-candidate-id='{fran['candidateId']}']")
    mo_row = table.locator(f"[data-candidate-id='{mo['candidateId']}']")
    expect(fran_row.get_by_test_id("screening-flag")).to_be_visible()
    expect(fran_row.get_by_test_id("screening-flag")).to_contain_text("missed the preferred answer to question 1")
    expect(fran_row.get_by_test_id("cell-screening")).to_have_text("question 1")
    expect(mo_row.get_by_test_id("screening-flag")).to_have_count(0)
    expect(mo_row.get_by_test_id("cell-screening")).to_have_text("\u2013")
    for row in (fran_row, mo_row):
        expect(row).not_to_have_attribute("data-status", "rejected")
    # Sorted by the screening column, the flagged candidate comes last going up and first going down.
    page.get_by_role("button", name="Screening").click()
    expect(table.get_by_test_id("candidate-row").last).to_have_attribute("data-candidate-id", fran["candidateId"])
    page.get_by_role("button", name="Screening").click()
    expect(table.get_by_test_id("candidate-row").first).to_have_attribute("data-candidate-id", fran["candidateId"])
    # Filtered to the flagged ones, Mo leaves the table.
    page.get_by_label("Only flagged by screening").check()
    expect(table.get_by_test_id("candidate-row")).to_have_count(1)
    expect(table.get_by_test_id("candidate-row")).to_have_attribute("data-candidate-id", fran["candidateId"])
    axe(page, "candidate table with a screening flag")
    page.screenshot(path=str(artifacts / "screening-table-1280.png"), full_page=True)
    page.get_by_label("Only flagged by screening").uncheck()

    # The board flags her card too.
    page.get_by_role("radio", name="Board").check()
    board = page.get_by_test_id("board")
    expect(board.locator(f"[data-candidate-id='{fran['candidateId']}']").get_by_test_id("screening-flag")).to_be_visible()
    expect(board.locator(f"[data-candidate-id='{mo['candidateId']}']").get_by_test_id("screening-flag")).to_have_count(0)
    page.screenshot(path=str(artifacts / "screening-board-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "screening-board-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    # Her page shows the miss next to the answer, and the met rule next to the other.
    page.goto(f"{stack.url}/#/candidates/{fran['candidateId']}")
    q1 = page.locator("[data-testid=answer][data-question-id=q1]")
    expect(q1.locator("blockquote")).to_have_text("No")
    expect(q1.get_by_test_id("screening-missed")).to_have_text("Missed the preferred answer (Yes)")
    axe(page, "candidate page with a screening flag")
    page.screenshot(path=str(artifacts / "screening-candidate-1280.png"), full_page=True)
    page.get_by_role("button", name="Next answer").click()
    q2 = page.locator("[data-testid=answer][data-question-id=q2]")
    expect(q2.locator("blockquote")).to_have_text("5 years")
    expect(q2.get_by_test_id("screening-met")).to_have_text("Meets the preferred answer")
    assert recruiter.get(f"/api/interviews/{iid}/analytics")["flagged"] == 1
    ctx.close()
