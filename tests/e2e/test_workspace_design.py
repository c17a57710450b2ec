"""The review workspace's safe defaults and its look, in headless Chromium on the local stack.

Safe defaults: no decision is chosen for the recruiter, a candidate without answers has no
scorecard, Compare says what to pick, accommodation requests are flagged on the board and in the
table, and a transcript search shows the words it found with their time and opens the answer there.
The look: Oneway's mark, the current page marked in the navigation, chart labels at text size, empty
states that say what to do next; every page axe-clean at 1280x800 and at 390x844, with screenshots.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.test_review_workspace import check_a11y, sign_in
from tests.fixtures.media.synth import make_speech_webm
from tests.support.client import Api, token_from, upload_take, wait_for

pytestmark = pytest.mark.e2e

DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
INTERVIEW: dict[str, Any] = {
    "title": "Site reliability engineer",
    "questions": [
        {"prompt": "Tell us about an outage you handled.", "kind": "video", "thinkSeconds": 3, "answerSeconds": 30, "maxTakes": 1},
        {"prompt": "Which monitoring tools do you trust?", "kind": "text"},
    ],
    "rubric": [{"name": "Communication"}, {"name": "Depth"}],
    "practiceQuestion": False,
}


@pytest.fixture(scope="module")
def seeded(stack, tmp_path_factory):
    return seed(stack, tmp_path_factory, INTERVIEW["title"])


def seed(stack, tmp_path_factory, title: str) -> dict:
    """An interview (named ``title``: each module its own) with two candidates who answered and one who has not."""
    admin = Api(stack.url, stack.sign_in())
    video = make_speech_webm("we restored the database cluster before midnight", tmp_path_factory.mktemp("seed") / "answer.webm").read_bytes()
    iid = admin.post("/api/interviews", {**INTERVIEW, "title": title})["interviewId"]
    people = [("Ada Lovelace", "ada.sre@example.com"), ("Grace Hopper", "grace.sre@example.com"), ("Linus Torvalds", "linus.sre@example.com")]
    invited = admin.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": n, "email": e} for n, e in people], "sendEmail": False})
    ids = [item["candidateId"] for item in invited["items"]]
    for item in invited["items"][:2]:
        cand = Api(stack.url, token_from(item["inviteUrl"]))
        cand.post("/api/c/consent", {"accepted": True})
        take = cand.post("/api/c/questions/q1/takes")
        upload_take(cand, "q1", take["takeId"], video)
        cand.post("/api/c/questions/q2/text", {"text": "Prometheus and Grafana."})
        cand.post("/api/c/complete")
    # The third asks for extra time and has answered nothing.
    linus = Api(stack.url, token_from(invited["items"][2]["inviteUrl"]))
    linus.post("/api/c/consent", {"accepted": True})
    linus.post("/api/c/accommodations", {"kind": "extra_time", "note": "I use a screen reader."})
    for cid in ids[:2]:
        wait_for(lambda cid=cid: admin.get(f"/api/candidates/{cid}")["answers"][0]["status"] == "ready", timeout=180, what="the answer to be ready")
    return {"admin": admin, "interview": iid, "ids": ids}


@pytest.fixture(scope="module")
def page(browser, stack):
    ctx = browser.new_context(viewport=DESKTOP)
    p = ctx.new_page()
    sign_in(p, stack)
    yield p
    ctx.close()


WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def no_sideways_scroll(page: Page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None, "the page has a fixed viewport"
    assert width <= viewport["width"], (name, width, page.evaluate(WIDER))


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"design-{name}.png"), full_page=False)


def test_no_decision_is_chosen_for_the_recruiter_and_no_scorecard_without_answers(seeded, page, stack, artifacts):
    ada, _, linus = seeded["ids"]
    page.goto(f"{stack.url}/#/candidates/{ada}")
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    form = page.get_by_test_id("decision-form")
    for name in ("Advance", "Hold", "Reject"):
        expect(form.get_by_label(name, exact=True)).not_to_be_checked()
    record = form.get_by_role("button", name="Record decision")
    form.get_by_label("Reason").fill("Calm under pressure.")
    expect(record).to_be_disabled()
    form.get_by_label("Hold", exact=True).check()
    expect(record).to_be_enabled()
    record.click()
    expect(page.get_by_test_id("current-decision")).to_have_attribute("data-decision", "hold")
    # Still nothing chosen for the next decision, even with one recorded.
    expect(form.get_by_label("Hold", exact=True)).not_to_be_checked()
    check_a11y(page)

    page.goto(f"{stack.url}/#/candidates/{linus}")
    expect(page.get_by_role("heading", name="Linus Torvalds")).to_be_visible()
    expect(page.get_by_test_id("nothing-to-score")).to_be_visible()
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    shot(page, artifacts, "candidate-no-answers-1280")
    check_a11y(page)


def test_at_1280x800_the_video_its_transcript_and_the_scorecard_are_on_screen_together(seeded, browser, stack, artifacts):
    """Point of the candidate page: watch and score at once, the decision above the administration, and the
    queue of candidates awaiting the member's review with this one's place in it."""
    ada, grace, _ = seeded["ids"]
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/candidates/{grace}")
    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    expect(page.get_by_test_id("cue").first).to_be_visible()
    for test_id in ("answer-video", "transcript", "review-form"):
        box = page.get_by_test_id(test_id).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + min(box["height"], 120) <= DESKTOP["height"], (test_id, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], (test_id, box)
    # The decision sits in the column beside the player, above the invitation, sharing and erasure panel.
    decision = page.get_by_test_id("decision-form").bounding_box()
    administration = page.get_by_test_id("administration").bounding_box()
    assert decision["y"] < administration["y"] and decision["x"] > page.get_by_test_id("answer-video").bounding_box()["x"]
    # Grace is in this recruiter's queue: submitted, undecided, not reviewed by them.
    expect(page.get_by_test_id("review-queue")).to_have_text(re.compile(r"^\d+ of \d+ awaiting your review$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.screenshot(path=str(artifacts / "design-candidate-watch-and-score-1280.png"))
    check_a11y(page)
    page.keyboard.press("3")
    page.keyboard.press("4")
    page.keyboard.press("r")
    expect(page.get_by_text("Review saved.")).to_be_visible()
    # Reviewed: she leaves the queue; the list's figures say so without reading any review.
    row = next(c for c in seeded["admin"].get(f"/api/interviews/{seeded['interview']}/candidates")["items"] if c["candidateId"] == grace)
    assert (row["reviews"], row["reviewedByMe"], row["myScore"]) == (1, True, 3.5)
    page.goto(f"{stack.url}/#/candidates/{ada}")
    expect(page.get_by_test_id("review-queue")).to_have_text(re.compile(r"^(\d+ of \d+ awaiting|\d+ other candidates? awaits?) your review$"))

    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    small = phone.new_page()
    sign_in(small, stack)
    small.goto(f"{stack.url}/#/candidates/{grace}")
    expect(small.get_by_test_id("answer-video")).to_be_visible()
    # A touch screen has no keyboard: no shortcut hints; the player comes before the scorecard.
    expect(small.get_by_role("button", name="Keyboard shortcuts (?)")).to_be_hidden()
    assert small.get_by_test_id("answer-video").bounding_box()["y"] < small.get_by_test_id("review-aside").bounding_box()["y"]
    no_sideways_scroll(small, "candidate")
    small.screenshot(path=str(artifacts / "design-candidate-watch-and-score-390.png"))
    phone.close()
    ctx.close()


def test_a_note_pinned_to_a_moment_shows_on_the_timeline_and_plays_from_there(seeded, page, stack, artifacts):
    grace = seeded["ids"][1]
    page.goto(f"{stack.url}/#/candidates/{grace}")
    video = page.get_by_test_id("answer-video")
    wait_for(lambda: video.evaluate("v => v.readyState >= 1"), timeout=15, what="the video's metadata")
    video.evaluate("v => { v.currentTime = 2; v.dispatchEvent(new Event('timeupdate')) }")
    expect(page.get_by_role("button", name="Pin note at 0:02")).to_be_visible()
    page.get_by_test_id("note-input").fill("Explains the rollback clearly")
    page.get_by_role("button", name="Pin note at 0:02").click()
    marker = page.get_by_test_id("note-marker")
    expect(marker).to_have_count(1)
    expect(marker).to_have_accessible_name("Note at 0:02: Explains the rollback clearly")
    expect(page.get_by_test_id("note")).to_contain_text("Explains the rollback clearly")
    video.evaluate("v => { v.pause(); v.currentTime = 0 }")
    marker.click()
    wait_for(lambda: video.evaluate("v => v.currentTime >= 1.9"), timeout=10, what="the player to jump to the note")
    page.get_by_test_id("timed-notes").screenshot(path=str(artifacts / "design-timed-note.png"))
    check_a11y(page)
    notes = seeded["admin"].get(f"/api/candidates/{grace}")["notes"]
    assert [(n["questionId"], n["seconds"], n["text"]) for n in notes] == [("q1", 2.0, "Explains the rollback clearly")]


def test_compare_says_what_to_pick(seeded, page, stack, artifacts):
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}/compare")
    expect(page.get_by_role("heading", name="Compare answers")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Pick a question, then tick up to 4 candidates"))).to_be_visible()
    expect(page.get_by_test_id("compare-pick")).to_be_visible()
    # Only candidates who submitted are offered.
    expect(page.get_by_label("Linus Torvalds")).to_have_count(0)
    check_a11y(page)
    page.get_by_label("Ada Lovelace").check()
    page.get_by_label("Grace Hopper").check()
    expect(page.get_by_test_id("compare-cell")).to_have_count(2)
    expect(page.get_by_test_id("compare-pick")).to_have_count(0)
    expect(page.get_by_test_id("compare-cell").nth(1).get_by_test_id("answer-video")).to_be_visible()
    shot(page, artifacts, "compare-1280")
    check_a11y(page)  # two players and two transcripts: no duplicate id, headings in order, landmarks named apart


def test_accommodation_requests_are_flagged_on_the_board_and_in_the_table(seeded, page, stack, artifacts):
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}")
    linus = page.get_by_test_id("candidate-row").filter(has_text="Linus Torvalds")
    expect(linus.get_by_test_id("accommodation-flag")).to_be_visible()
    expect(page.get_by_test_id("accommodation-flag")).to_have_count(1)
    page.get_by_label("Table").check()
    row = page.get_by_test_id("candidate-list").get_by_test_id("candidate-row").filter(has_text="Linus Torvalds")
    expect(row.get_by_test_id("accommodation-flag")).to_contain_text("Accommodation requested")
    check_a11y(page)


def test_the_table_sorts_and_acts_on_a_selection_in_one_request(seeded, page, stack, artifacts):
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}")
    table = page.get_by_test_id("candidate-list")
    for column in ("Name", "Status", "Submitted", "Average score", "My score", "Reviews", "Decision"):
        expect(table.get_by_role("columnheader", name=re.compile(column))).to_be_visible()
    table.get_by_role("button", name="Name").click()
    expect(table.get_by_role("columnheader", name=re.compile("Name"))).to_have_attribute("aria-sort", "ascending")
    names = table.get_by_test_id("candidate-row").locator("th a")
    expect(names).to_have_text(["Ada Lovelace", "Grace Hopper", "Linus Torvalds"])
    # Shift-click selects the range between two clicks.
    table.get_by_label("Select Ada Lovelace").click()
    table.get_by_label("Select Linus Torvalds").click(modifiers=["Shift"])
    expect(page.get_by_test_id("selected-count")).to_have_text("3 candidates selected")
    page.get_by_label("Action", exact=True).select_option(label="Send a reminder")
    page.get_by_role("button", name="Apply to 3 candidates").click()
    # The two who submitted cannot be reminded; the server says so per candidate.
    expect(page.get_by_test_id("bulk-result")).to_contain_text("Done for 1 of 3.")
    expect(page.get_by_test_id("bulk-failed")).to_have_count(2)
    expect(page.get_by_test_id("bulk-failed").first).to_contain_text("has already submitted")
    box = page.locator(".table-wrap").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert box[0] <= box[1], box  # nothing wraps sideways at 1280 px
    shot(page, artifacts, "table-bulk-1280")
    check_a11y(page)
    page.get_by_role("button", name="Clear selection").click()
    page.get_by_test_id("select-all").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("3 candidates selected")
    # A search narrows the rows; "select all" then takes only the ones shown.
    page.get_by_role("button", name="Clear selection").click()
    page.get_by_test_id("candidate-search").fill("grace")
    page.get_by_test_id("select-all").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("1 candidate selected")
    page.get_by_label("Action", exact=True).select_option(label="Advance")
    expect(page.get_by_role("button", name="Apply to 1 candidate")).to_be_disabled()  # a decision needs its reason
    page.get_by_label("Reason (one for all, required)").fill("Strong incident story")
    page.get_by_role("button", name="Apply to 1 candidate").click()
    expect(page.get_by_test_id("bulk-result")).to_contain_text("Done for 1 of 1.")
    grace = seeded["ids"][1]
    assert seeded["admin"].get(f"/api/candidates/{grace}")["decision"]["decision"] == "advance"
    expect(page.get_by_test_id("candidate-row").filter(has_text="Grace Hopper")).to_contain_text("Advance")
    # The board stays as the second view.
    page.get_by_label("Board").check()
    expect(page.get_by_test_id("board")).to_be_visible()

    phone = page.context.browser.new_context(viewport=PHONE)
    small = phone.new_page()
    sign_in(small, stack)
    small.goto(f"{stack.url}/#/interviews/{seeded['interview']}")
    small.get_by_test_id("select-all").check()
    small.locator("#candidate-search").scroll_into_view_if_needed()
    small.get_by_test_id("bulk-bar").screenshot(path=str(artifacts / "design-table-bulk-390.png"))
    phone.close()


def test_transcript_search_shows_the_words_and_their_time_and_opens_the_answer_there(seeded, page, stack, artifacts):
    from oneway.service.search import words

    admin = seeded["admin"]
    ada = seeded["ids"][0]
    said = admin.get(f"/api/candidates/{ada}")["answers"][0]["transcript"]
    word = sorted(words(said), key=len)[-1]
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}")
    page.get_by_label("Search what candidates said").fill(word)
    page.get_by_role("button", name="Search answers").click()
    hits = page.get_by_test_id("transcript-hit")
    expect(hits).to_have_count(2)
    match = hits.filter(has_text="Ada Lovelace").get_by_test_id("transcript-match")
    expect(match).to_have_count(1)
    expect(match.locator("mark")).to_have_text(re.compile(word, re.I))
    seconds = float(match.get_attribute("data-seconds"))
    expect(match.get_by_role("link")).to_have_text(re.compile(r"^Answer 1 at \d+:\d\d$"))
    shot(page, artifacts, "search-hits-1280")
    check_a11y(page)

    match.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"#/candidates/{ada}\?answer=q1&t=\d+$"))
    video = page.get_by_test_id("answer-video")
    wait_for(lambda: video.evaluate("v => v.readyState >= 1"), timeout=15, what="the video's metadata")
    at = video.evaluate("v => v.currentTime")
    assert abs(at - int(seconds)) < 0.6, (at, seconds)


PAGES = [
    ("interviews", "#/", "Interviews", "Interviews"),
    ("interview", "#/interviews/{iid}", "Site reliability engineer", "Interviews"),
    ("candidate", "#/candidates/{ada}", "Ada Lovelace", "Interviews"),
    ("compare", "#/interviews/{iid}/compare", "Compare answers", "Interviews"),
    ("analytics", "#/interviews/{iid}/analytics", "Analytics: Site reliability engineer", "Interviews"),
    ("members", "#/members", "Members", "Members"),
    ("security", "#/security", None, "Security"),
    ("audit", "#/audit", "Audit log", "Audit log"),
]


@pytest.mark.parametrize("size", ["1280", "390"])
def test_every_page_has_the_mark_the_current_page_in_the_navigation_and_is_axe_clean(seeded, browser, stack, artifacts, size):
    ctx = browser.new_context(viewport=DESKTOP if size == "1280" else PHONE)
    page = ctx.new_page()
    sign_in(page, stack)
    values = {"iid": seeded["interview"], "ada": seeded["ids"][0]}
    for name, path, heading, section in PAGES:
        page.goto(f"{stack.url}/{path.format(**values)}")
        if heading:
            expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
        else:
            expect(page.locator("h1")).to_be_visible()
        expect(page.locator("nav[aria-label=Main] [aria-current=page]")).to_have_text(section)  # folded in the menu on a phone
        expect(page.locator(".brand svg.brand-mark")).to_be_visible()
        if name == "analytics":
            sizes = page.locator(".chart-label").evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
            assert sizes and min(sizes) >= 13, sizes
        shot(page, artifacts, f"{name}-{size}")
        check_a11y(page)
        no_sideways_scroll(page, name)  # on a phone either
    header = page.locator(".app-header").bounding_box()
    if size == "390":
        # The header folds into a menu on a phone.
        expect(page.get_by_role("link", name="Members")).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        expect(page.get_by_role("link", name="Members")).to_be_visible()
        shot(page, artifacts, "menu-390")
        check_a11y(page)
        page.get_by_role("link", name="Members").click()
        expect(page.get_by_role("link", name="Members")).to_be_hidden()
    else:
        assert header["height"] < 70, header  # one row: mark, organization, navigation, member, sign out
    ctx.close()


def test_empty_states_say_what_to_do_next(seeded, page, stack, artifacts):
    iid = seeded["admin"].post("/api/interviews", {**INTERVIEW, "title": "Empty interview"})["interviewId"]
    page.goto(f"{stack.url}/#/interviews/{iid}")
    expect(page.get_by_test_id("no-candidates")).to_contain_text("Invite one with the form above")
    page.goto(f"{stack.url}/#/interviews/{iid}/compare")
    expect(page.get_by_test_id("compare-empty")).to_contain_text("Once someone does")
    shot(page, artifacts, "compare-empty-1280")
    check_a11y(page)


def test_the_interview_list_is_a_pipeline_with_search_filters_and_archive(seeded, page, stack, artifacts):
    iid = seeded["interview"]
    page.goto(f"{stack.url}/#/")
    row = page.get_by_test_id("interview-row").filter(has_text="Site reliability engineer")
    expect(row.get_by_test_id("count-invited")).to_have_text("3")
    counts = seeded["admin"].get("/api/interviews")["items"]
    mine = next(i for i in counts if i["interviewId"] == iid)["counts"]
    expect(row.get_by_test_id("count-awaiting")).to_have_text(str(mine["awaitingReview"]))
    expect(row.get_by_test_id("count-decided")).to_have_text(str(mine["decided"]))
    expect(row).to_contain_text("by you")
    page.get_by_label("Search by title").fill("reliability")
    expect(page.get_by_test_id("interview-row")).to_have_count(1)
    shot(page, artifacts, "pipeline-1280")
    check_a11y(page)
    row.get_by_role("button", name="Archive Site reliability engineer").click()
    expect(page.get_by_test_id("interview-row")).to_have_count(0)  # archived ones leave the working list
    expect(page.get_by_text("No interview matches")).to_be_visible()
    page.get_by_label("Status").select_option(label="Archived")
    archived = page.get_by_test_id("interview-row").filter(has_text="Site reliability engineer")
    expect(archived).to_have_attribute("data-status", "archived")
    archived.get_by_role("button", name="Restore Site reliability engineer").click()
    expect(page.get_by_test_id("interview-row")).to_have_count(0)
    page.get_by_label("Status").select_option(label="Open")
    expect(page.get_by_test_id("interview-row").filter(has_text="Site reliability engineer")).to_have_attribute("data-status", "open")

    phone = page.context.browser.new_context(viewport=PHONE)
    small = phone.new_page()
    sign_in(small, stack)
    expect(small.get_by_test_id("interview-row").first).to_be_visible()
    small.screenshot(path=str(artifacts / "design-pipeline-390.png"))
    check_a11y(small)
    phone.close()
