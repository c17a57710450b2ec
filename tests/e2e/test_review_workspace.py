"""The review workspace in headless Chromium on the local stack, seeded through the API.

Two candidates answer one video and one written question (real uploads through the local
pipeline); the recruiter reviews one by keyboard alone; a reviewer scores independently
and then in blind review; the analytics page shows the seeded numbers; the builder
creates, edits, duplicates and closes; a CSV invite reports its bad row. Every page
visited passes axe-core with no violations.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from oneway.service.agreement import alpha
from tests.fixtures.media.synth import make_speech_webm
from tests.support.client import Api, ApiError, token_from, upload_take, wait_for
from tests.support.stack import ROOT

pytestmark = pytest.mark.e2e

AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
REVIEWER = ("rev@demo.example", "Review-Pass-1234")
INTERVIEW: dict[str, Any] = {  # a request body: JSON
    "title": "Data engineer",
    "questions": [
        {"prompt": "Tell us about a pipeline you built.", "kind": "video", "thinkSeconds": 3, "answerSeconds": 30, "maxTakes": 1},
        {"prompt": "Which tools do you like?", "kind": "text"},
    ],
    "rubric": [
        {"name": "Communication", "anchors": ["Hard to follow", "", "Clear", "", "Crisp and structured"]},
        {"name": "Depth"},
    ],
    "practiceQuestion": False,
}
CANDIDATES = [("Ada Lovelace", "ada@example.com"), ("Grace Hopper", "grace@example.com")]


def check_a11y(page: Page) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert result == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in result]


def sign_in(page: Page, stack, email: str | None = None, password: str | None = None) -> None:
    page.goto(stack.url + "/")
    page.get_by_label("Email").fill(email or stack.email)
    page.get_by_label("Password").fill(password or stack.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("org-name")).to_be_visible()


@pytest.fixture(scope="module")
def seeded(stack, tmp_path_factory):
    admin = Api(stack.url, stack.sign_in())
    me = admin.get("/api/me")
    port = stack.aws_endpoint.rsplit(":", 1)[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions")}
    env.pop("AWS_ENDPOINT_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "oneway.cli", "admin", "create-user", "--local", "--aws-port", port, "--email", REVIEWER[0],
         "--org-id", me["orgId"], "--role", "reviewer", "--password", REVIEWER[1]],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    reviewer = Api(stack.url, stack.sign_in(*REVIEWER))
    reviewer_id = reviewer.get("/api/me")["userId"]

    video = make_speech_webm("i built a pipeline that moved data every night", tmp_path_factory.mktemp("seed") / "answer.webm").read_bytes()
    iid = admin.post("/api/interviews", INTERVIEW)["interviewId"]
    invited = admin.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": n, "email": e} for n, e in CANDIDATES], "sendEmail": False})
    ids = []
    for item, rating in zip(invited["items"], (5, 3), strict=False):
        cand = Api(stack.url, token_from(item["inviteUrl"]))
        cand.get("/api/c/session")
        cand.post("/api/c/consent", {"accepted": True})
        take = cand.post("/api/c/questions/q1/takes")
        upload_take(cand, "q1", take["takeId"], video)
        cand.post("/api/c/questions/q2/text", {"text": "Python and SQL."})
        cand.post("/api/c/complete")
        cand.post("/api/c/feedback", {"rating": rating})
        ids.append(item["candidateId"])
    for cid in ids:
        wait_for(lambda cid=cid: admin.get(f"/api/candidates/{cid}")["answers"][0]["status"] == "ready", timeout=120, what="the answer to be ready")
    # A share link that lives one minute: viewed now, checked again once it has expired (the module's last test).
    share = admin.post(f"/api/candidates/{ids[0]}/shares", {"minutes": 1})
    return {"admin": admin, "reviewer": reviewer, "reviewer_id": reviewer_id, "interview": iid, "ids": ids, "share": share}


@pytest.fixture(scope="module")
def pages(browser, stack):
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    reviewer_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    admin, reviewer = admin_ctx.new_page(), reviewer_ctx.new_page()
    sign_in(admin, stack)
    sign_in(reviewer, stack, *REVIEWER)
    yield admin, reviewer
    admin_ctx.close()
    reviewer_ctx.close()


def test_a_whole_candidate_is_reviewed_and_scored_by_keyboard_alone(seeded, pages, stack, artifacts):
    page, _ = pages
    ada, grace = seeded["ids"]
    page.goto(f"{stack.url}/#/candidates/{ada}")
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    video = page.get_by_test_id("answer-video")
    expect(video).to_be_visible()
    # The next candidate's first video is prefetched.
    expect(page.get_by_test_id("prefetch-next")).to_have_count(1, timeout=15_000)
    check_a11y(page)

    page.keyboard.press("?")
    help_box = page.get_by_test_id("shortcuts-help")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("Next candidate")
    page.screenshot(path=str(artifacts / "review-shortcuts.png"))
    check_a11y(page)
    page.keyboard.press("Escape")
    expect(help_box).to_have_count(0)

    page.keyboard.press(" ")
    wait_for(lambda: video.evaluate("v => !v.paused && v.currentTime > 0"), timeout=15, what="the video to play")
    page.keyboard.press(" ")
    assert video.evaluate("v => v.paused")
    page.keyboard.press("s")
    page.keyboard.press("s")
    expect(page.get_by_role("button", name="1.5x")).to_have_attribute("aria-pressed", "true")
    assert video.evaluate("v => v.playbackRate") == 1.5
    # The transcript's cues seek the player.
    expect(page.get_by_test_id("cue").first).to_be_visible()

    page.keyboard.press("j")
    expect(page.get_by_test_id("answer-position")).to_have_text("Answer 2 of 2")
    expect(page.get_by_label("Written answer")).to_have_text("Python and SQL.")
    page.keyboard.press("k")
    expect(page.get_by_test_id("answer-position")).to_have_text("Answer 1 of 2")

    page.keyboard.press("4")  # Communication, then the highlight moves to Depth
    page.keyboard.press("5")
    expect(page.get_by_test_id("score-criterion").nth(0).get_by_role("radio", name="4")).to_be_checked()
    expect(page.get_by_test_id("score-criterion").nth(1).get_by_role("radio", name="5")).to_be_checked()
    expect(page.get_by_text("Crisp and structured")).to_be_visible()  # the rubric's anchors
    page.keyboard.press("r")
    expect(page.get_by_text("Review saved.")).to_be_visible()
    page.screenshot(path=str(artifacts / "review-keyboard.png"), full_page=True)
    mine = seeded["admin"].get(f"/api/candidates/{ada}")["reviews"]
    assert [r["scores"] for r in mine] == [{"Communication": 4, "Depth": 5}]

    page.keyboard.press("n")
    expect(page).to_have_url(f"{stack.url}/#/candidates/{grace}")
    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()


def test_a_share_link_shows_one_candidate_read_only_and_can_be_revoked(seeded, pages, browser, stack, artifacts):
    page, _ = pages
    ada = seeded["ids"][0]
    guest_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    guest = guest_ctx.new_page()
    guest.goto(seeded["share"]["url"].replace("http://127.0.0.1:8000", stack.url))
    expect(guest.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(guest.get_by_test_id("answer-video")).to_be_visible()
    expect(guest.get_by_test_id("share-meta")).to_contain_text("the answers are read-only")
    assert "ada@example.com" not in guest.locator("body").inner_text()
    expect(guest.get_by_role("button", name="Save review")).to_have_count(0)
    guest.screenshot(path=str(artifacts / "share-view.png"), full_page=True)
    check_a11y(guest)

    # A link made on the review page, then revoked: it stops working at once.
    page.goto(f"{stack.url}/#/candidates/{ada}")
    page.get_by_label("Link works for").select_option(label="1 hour")
    page.get_by_role("button", name="Create link").click()
    url = page.get_by_test_id("share-url").input_value()
    assert "#/share/" in url
    live = page.get_by_test_id("share-link").and_(page.locator("[data-live=true]"))
    expect(live).to_have_count(2)
    live.first.get_by_role("button", name="Revoke").click()
    expect(live).to_have_count(1)
    guest.goto(url.replace("http://127.0.0.1:8000", stack.url))
    guest.reload()
    expect(guest.get_by_role("heading", name="This link no longer works")).to_be_visible()
    guest_ctx.close()


def test_a_guest_on_a_share_link_rates_and_comments_and_the_team_sees_it(seeded, pages, browser, stack, artifacts):
    page, _ = pages
    admin, ada = seeded["admin"], seeded["ids"][0]
    me = admin.get("/api/me")["userId"]
    if not any(r["reviewerId"] == me for r in admin.get(f"/api/candidates/{ada}")["reviews"]):
        admin.put(f"/api/candidates/{ada}/review", {"scores": {"Communication": 4, "Depth": 4}})  # the team member has scored
    url = admin.post(f"/api/candidates/{ada}/shares", {"minutes": 60})["url"].replace("http://127.0.0.1:8000", stack.url)

    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    guest = ctx.new_page()
    guest.goto(url)
    # The questions, the one shown marked.
    items = guest.get_by_test_id("share-questions").get_by_role("button")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("aria-current", "step")
    expect(guest.get_by_test_id("answer-video")).to_be_visible()
    items.nth(1).click()
    expect(items.nth(1)).to_have_attribute("aria-current", "step")
    expect(items.nth(0)).not_to_have_attribute("aria-current", "step")
    expect(guest.locator("#share-q")).to_have_text("Which tools do you like?")
    expect(guest.get_by_test_id("answer")).to_contain_text("Python and SQL.")

    # A name once, then scores, a recommendation and a comment.
    form = guest.get_by_test_id("guest-opinion-form")
    form.get_by_role("button", name="Continue").click()  # no name: the browser asks for one
    expect(guest.get_by_test_id("guest-form")).to_have_count(0)
    form.get_by_label("Your name").fill("Hana Ito")
    form.get_by_role("button", name="Continue").click()
    expect(guest.get_by_test_id("guest-as")).to_have_text("Giving your opinion as Hana Ito (guest)")
    form.get_by_role("group", name="Communication").get_by_role("radio", name="4", exact=True).check()
    form.get_by_role("group", name="Depth").get_by_role("radio", name="3", exact=True).check()
    form.get_by_label("Recommendation").select_option("advance")
    form.get_by_label("Comment").fill("Explains the pipeline well; would like more on testing.")
    form.get_by_role("button", name="Save my opinion").click()
    expect(guest.get_by_test_id("guest-saved")).to_have_text("Saved. The team sees it as “Hana Ito (guest)”.")
    guest.screenshot(path=str(artifacts / "share-guest-1280.png"), full_page=True)
    check_a11y(guest)

    # The browser keeps the name (and the opinion) for the link: a reload revises the same opinion.
    guest.reload()
    expect(guest.get_by_test_id("guest-as")).to_have_text("Giving your opinion as Hana Ito (guest)")
    expect(form.get_by_role("group", name="Communication").get_by_role("radio", name="4")).to_be_checked()
    form.get_by_role("group", name="Communication").get_by_role("radio", name="5", exact=True).check()
    form.get_by_role("button", name="Save my opinion").click()
    expect(guest.get_by_test_id("guest-saved")).to_contain_text("Saved.")
    ctx.close()

    # On a phone: the player first, nothing wider than the screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    small = phone.new_page()
    small.goto(url)
    expect(small.get_by_test_id("guest-as")).to_have_count(0)  # another browser: the name is asked again
    expect(small.get_by_test_id("answer-video")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    video_top = small.get_by_test_id("answer").bounding_box()["y"]
    assert video_top < small.get_by_test_id("guest-opinion-form").bounding_box()["y"]
    small.screenshot(path=str(artifacts / "share-guest-390.png"), full_page=True)
    # Someone else on the link cannot write under Hana's name.
    small.get_by_label("Your name").fill("hana ito")
    small.get_by_role("button", name="Continue").click()
    small.get_by_label("Comment").fill("Not Hana.")
    small.get_by_role("button", name="Save my opinion").click()
    expect(small.get_by_role("alert")).to_contain_text("give your own name")
    phone.close()

    # The team sees it on the candidate page, apart from the reviews, marked as a guest's.
    page.goto(f"{stack.url}/#/candidates/{ada}")
    page.reload()  # the page may be on this candidate already, read before the guest wrote
    opinion = page.get_by_test_id("guest-opinion")
    expect(opinion).to_have_count(1)
    expect(opinion).to_contain_text("Hana Ito (guest)")
    expect(opinion).to_contain_text("Explains the pipeline well")
    expect(opinion).to_contain_text("5/5")
    expect(page.get_by_test_id("review").filter(has_text="Hana Ito")).to_have_count(0)
    page.get_by_test_id("guest-opinions").screenshot(path=str(artifacts / "candidate-guest-opinions.png"))
    check_a11y(page)
    audit = admin.get("/api/audit", params={"action": "candidate.guest_reviewed"})["items"]
    assert [e["detail"]["guest"] for e in audit] == ["Hana Ito", "Hana Ito"] and all(e["actor"].startswith("share:") for e in audit)


def test_independent_scoring_then_blind_review(seeded, pages, stack, artifacts):
    _admin_page, page = pages
    admin, reviewer = seeded["admin"], seeded["reviewer"]
    ada, grace = seeded["ids"]
    for cid in (ada, grace):
        admin.put(f"/api/candidates/{cid}/assignments", {"reviewerId": seeded["reviewer_id"]})

    # Independent scoring: the recruiter's review of Ada stays hidden until the reviewer submits theirs.
    answer = reviewer.get(f"/api/candidates/{ada}")
    assert answer["reviews"] == [] and answer["hiddenReviews"] == 1
    page.goto(f"{stack.url}/#/candidates/{ada}")
    expect(page.get_by_test_id("hidden-reviews")).to_have_text("1 other review is hidden until you submit your own.")
    expect(page.get_by_test_id("review")).to_have_count(0)
    expect(page.get_by_test_id("decision-form")).to_have_count(0)  # reviewers score; they do not decide
    check_a11y(page)
    page.keyboard.press("2")
    page.keyboard.press("3")
    page.keyboard.press("r")
    expect(page.get_by_test_id("review")).to_have_count(2)
    expect(page.get_by_test_id("hidden-reviews")).to_have_count(0)

    # Blind review for this reviewer: no name, no email, no picture -- in the API's answer and on the page.
    admin.call("PATCH", f"/api/members/{seeded['reviewer_id']}", json={"blind": True})
    answer = reviewer.get(f"/api/candidates/{grace}")
    assert answer["blind"] and answer["name"] is None and answer["email"] is None
    assert all(a.get("videoUrl") is None and a.get("posterUrl") is None for a in answer["answers"])
    assert answer["answers"][0]["audioUrl"] and "Grace" not in str(answer) and "grace@" not in str(answer)
    # The audio URL names the audio-only rendition; no URL of the MP4 or the poster is sent at all.
    audio_url = answer["answers"][0]["audioUrl"]
    assert "/recording-audio.m4a?" in audio_url and "recording.mp4" not in str(answer) and ".jpg" not in str(answer)
    page.goto(f"{stack.url}/#/candidates/{grace}")
    expect(page.get_by_test_id("blind-badge")).to_be_visible()
    audio = page.get_by_test_id("answer-audio")
    expect(audio).to_be_visible()
    expect(page.locator("video")).to_have_count(0)
    expect(page.locator("img")).to_have_count(0)
    assert "/recording-audio.m4a?" in audio.get_attribute("src")
    expect(page.get_by_test_id("cue").first).to_be_visible()  # the transcript beside it, cue by cue
    wait_for(lambda: audio.evaluate("a => a.readyState >= 1 && a.duration > 1"), timeout=15, what="the audio's duration")
    body = page.locator("body").inner_text()
    assert "Grace" not in body and "grace@example.com" not in body
    page.screenshot(path=str(artifacts / "review-blind.png"), full_page=True)
    check_a11y(page)
    page.keyboard.press(" ")
    wait_for(lambda: audio.evaluate("a => !a.paused && a.currentTime > 0"), timeout=15, what="the audio to play")
    page.keyboard.press(" ")
    page.keyboard.press("3")
    page.keyboard.press("3")
    page.keyboard.press("r")
    expect(page.get_by_text("Review saved.")).to_be_visible()


def test_the_analytics_page_shows_the_seeded_numbers(seeded, pages, stack, artifacts):
    page, _ = pages
    admin = seeded["admin"]
    ada, grace = seeded["ids"]
    admin.put(f"/api/candidates/{grace}/review", {"scores": {"Communication": 2, "Depth": 4}})
    admin.post(f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "clear pipeline story"})
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}/analytics")
    expect(page.get_by_role("heading", name="Analytics: Data engineer")).to_be_visible()

    def bars(test_id: str, nth: int = 0) -> dict[str, int]:
        rows = page.get_by_test_id(test_id).nth(nth).get_by_test_id("chart-row")
        return {rows.nth(i).get_attribute("data-label"): int(rows.nth(i).get_attribute("data-value")) for i in range(rows.count())}

    expect(page.get_by_test_id("chart-funnel")).to_be_visible()
    assert bars("chart-funnel") == {"Invited": 2, "Opened": 2, "Started": 2, "Submitted": 2, "Decided": 1}
    # Scores count once their candidate is decided: Ada's only (Communication 4 and 2, Depth 5 and 3);
    # Grace's (Communication 2 and 3, Depth 4 and 3) wait for her decision.
    assert bars("chart-scores", 0) == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert bars("chart-scores", 1) == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    assert bars("chart-feedback") == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    assert bars("chart-dropoff") == {"Question 1": 0, "Question 2": 0}
    expected = alpha([[4, 2], [5, 3], [2, 3], [4, 3]], "interval")
    assert expected is not None
    expect(page.get_by_test_id("stat-alpha").locator("dd")).to_have_text(f"{round(expected, 3):.3f}".rstrip("0").rstrip("."))
    expect(page.get_by_test_id("agreement-note")).to_contain_text("2 candidates scored by two reviewers or more (2 reviewers)")
    expect(page.get_by_test_id("stat-rating").locator("dd")).to_have_text("4")
    expect(page.get_by_test_id("stat-completion").locator("dd")).to_have_text("100%")
    throughput = bars("chart-throughput")
    assert sorted(throughput.values()) == [2, 2] and any(k.startswith(REVIEWER[0]) for k in throughput)
    page.screenshot(path=str(artifacts / "review-analytics.png"), full_page=True)
    check_a11y(page)


def test_the_board_counts_statuses_and_finds_candidates_by_words_they_said(seeded, pages, stack, artifacts):
    from oneway.service.search import words

    page, _ = pages
    ada, _grace = seeded["ids"]
    said = seeded["admin"].get(f"/api/candidates/{ada}")["answers"][0]["transcript"]
    word = sorted(words(said), key=len)[-1]  # the recogniser's own words: both candidates sent the same recording
    page.goto(f"{stack.url}/#/interviews/{seeded['interview']}")
    page.get_by_label("Board").check()  # the table comes first; the board is the second view
    board = page.get_by_test_id("board")
    expect(board.locator("[data-status=advanced]").get_by_test_id("column-count")).to_have_text("1")
    expect(board.locator("[data-status=reviewed]").get_by_test_id("column-count")).to_have_text("1")
    page.get_by_label("Search what candidates said").fill(word.upper())
    page.get_by_role("button", name="Search answers").click()
    hits = page.get_by_test_id("transcript-hit")
    expect(hits).to_have_count(2)
    expect(page.get_by_test_id("transcript-results")).to_contain_text(f"2 candidates said “{word.upper()}”.")
    page.get_by_label("Search what candidates said").fill("zebra")
    page.get_by_role("button", name="Search answers").click()
    expect(hits).to_have_count(0)
    page.screenshot(path=str(artifacts / "board-search.png"), full_page=True)
    check_a11y(page)

    # Compare: one question across both candidates, side by side.
    page.get_by_role("link", name="Compare answers").click()
    page.get_by_label("Question", exact=True).select_option(label="1. Tell us about a pipeline you built.")
    page.get_by_label("Ada Lovelace").check()
    page.get_by_label("Grace Hopper").check()
    cells = page.get_by_test_id("compare-cell")
    expect(cells).to_have_count(2)
    expect(cells.nth(0).get_by_test_id("answer-video")).to_be_visible()
    expect(cells.nth(1).get_by_test_id("answer-video")).to_be_visible()
    page.get_by_label("Question", exact=True).select_option(label="2. Which tools do you like?")
    expect(cells.nth(1).get_by_label("Written answer")).to_have_text("Python and SQL.")
    page.screenshot(path=str(artifacts / "compare.png"), full_page=True)
    check_a11y(page)


def test_the_builder_creates_edits_duplicates_and_closes(pages, stack, artifacts):
    page, _ = pages
    page.goto(stack.url + "/")
    page.get_by_test_id("new-interview").click()
    page.get_by_label("Title").fill("Product designer")
    page.get_by_test_id("question-row").nth(0).get_by_label("Question", exact=True).fill("Walk us through a design you shipped.")
    # The question bank: save this question, then add it again from the bank.
    page.get_by_role("button", name="Save to bank: question 1").click()
    expect(page.get_by_text("Saved to the question bank.")).to_be_visible()
    page.get_by_label("Add from the question bank").select_option(label="Walk us through a design you shipped.")
    expect(page.get_by_test_id("question-row")).to_have_count(2)
    expect(page.get_by_test_id("question-row").nth(1).get_by_label("Question", exact=True)).to_have_value("Walk us through a design you shipped.")
    page.get_by_role("button", name="Remove question 2").click()
    page.get_by_role("button", name="Add criterion").click()
    row = page.get_by_test_id("rubric-row").nth(0)
    row.get_by_label("Criterion", exact=True).fill("Craft")
    row.get_by_text("Anchors: what each score means").click()
    row.get_by_label("What a 1 looks like").fill("Sloppy")
    row.get_by_label("What a 5 looks like").fill("Polished")
    page.get_by_label("Blind review", exact=False).check()
    expect(page.get_by_label("Language of the answers")).to_have_value("en-US")
    page.get_by_label("Language of the answers").select_option(label="German")
    check_a11y(page)
    page.get_by_role("button", name="Create interview").click()
    expect(page.get_by_role("heading", name="Product designer")).to_be_visible()
    expect(page.get_by_text("Blind review", exact=True)).to_be_visible()
    expect(page.get_by_text("Transcribed in: German.", exact=False)).to_be_visible()

    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit interview")).to_be_visible()
    expect(page.get_by_label("What a 5 looks like")).to_have_value("Polished")
    expect(page.get_by_label("Language of the answers")).to_have_value("de-DE")
    page.get_by_label("Title").fill("Senior product designer")
    page.get_by_role("button", name="Save interview").click()
    expect(page.get_by_role("heading", name="Senior product designer")).to_be_visible()
    check_a11y(page)

    page.get_by_role("button", name="Duplicate").click()
    expect(page.get_by_role("heading", name="Senior product designer (copy)")).to_be_visible()
    page.get_by_role("button", name="Close to new invitations").click()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "builder-closed.png"), full_page=True)


def test_a_bulk_invite_reports_its_bad_row(seeded, pages, stack, artifacts):
    page, _ = pages
    iid = seeded["admin"].post("/api/interviews", {**INTERVIEW, "title": "Bulk invite"})["interviewId"]
    page.goto(f"{stack.url}/#/interviews/{iid}")
    page.get_by_label("Candidates (CSV: name,email per line)").fill(
        "name,email\nAlan Turing,alan@example.com\nNo Email,not-an-email\nEdsger Dijkstra,edsger@example.com\n"
    )
    page.get_by_role("button", name="Check and invite").click()
    expect(page.get_by_test_id("bulk-invited")).to_have_text("2 candidates invited.")
    expect(page.get_by_test_id("bulk-error")).to_have_text(["Line 3: “not-an-email” is not an email address"])
    page.get_by_label("Board").check()
    invited = page.get_by_test_id("board-column").and_(page.locator("[data-status=invited]"))
    expect(invited.get_by_test_id("column-count")).to_have_text("2")
    page.get_by_test_id("candidate-search").fill("alan")
    expect(page.get_by_test_id("candidate-row")).to_have_count(1)
    page.screenshot(path=str(artifacts / "bulk-invite.png"), full_page=True)
    check_a11y(page)
    names = {c["name"] for c in seeded["admin"].get(f"/api/interviews/{iid}/candidates")["items"]}
    assert names == {"Alan Turing", "Edsger Dijkstra"}

    # The invitation of one of them: extra time, resend (a new link), revoke.
    page.get_by_test_id("candidate-row").get_by_role("link", name="Alan Turing").click()
    panel = page.get_by_test_id("invitation-panel")
    expect(panel.get_by_test_id("invitation-state")).to_contain_text("The link works until")
    panel.get_by_label("Time for each answer").select_option("1.5")
    expect(panel.get_by_test_id("invitation-state")).to_contain_text("extra time ×1.5")
    # The invitation's email left after the invitation was saved (the outbox); the panel says where it is.
    expect(panel.get_by_test_id("invitation-emails")).to_contain_text("Invitation: sent")
    panel.get_by_role("button", name="Resend invitation (new link)").click()
    expect(panel.get_by_test_id("resent-url")).to_have_value(re.compile(r"/c/#t=[A-Za-z0-9_-]{43,}$"))
    check_a11y(page)
    panel.get_by_role("button", name="Revoke invitation").click()
    expect(panel.get_by_test_id("invitation-state")).to_contain_text("The invitation is revoked: the link no longer works.")


def test_a_failed_answer_shows_its_reason_and_a_recruiter_retries_it(seeded, pages, stack, artifacts):
    """A recording the local transcoder cannot read (a WebM header, then garbage) fails with its reason;
    "Retry processing" sends the kept recording through the pipeline again (the API asks on_upload, on
    the uploads queue, for the jobs), and the same unreadable input fails again, with its reason."""
    page, _ = pages
    admin = seeded["admin"]
    iid = admin.post("/api/interviews", {**INTERVIEW, "title": "Retry", "questions": INTERVIEW["questions"][:1]})["interviewId"]
    item = admin.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Barbara Liskov", "email": "barbara@example.com"}], "sendEmail": False})["items"][0]
    cand = Api(stack.url, token_from(item["inviteUrl"]))
    cand.post("/api/c/consent", {"accepted": True})
    take = cand.post("/api/c/questions/q1/takes")
    upload_take(cand, "q1", take["takeId"], b"\x1a\x45\xdf\xa3" + os.urandom(4096))
    cand.post("/api/c/complete")
    cid = item["candidateId"]

    def answer() -> dict:
        return admin.get(f"/api/candidates/{cid}")["answers"][0]

    wait_for(lambda: answer()["status"] == "failed", timeout=60, what="the transcode to fail")
    page.goto(f"{stack.url}/#/candidates/{cid}")
    failed = page.get_by_test_id("answer-failed")
    expect(failed.get_by_test_id("failure")).to_contain_text("Unable to open input file")
    check_a11y(page)
    page.screenshot(path=str(artifacts / "review-failed-answer.png"), full_page=True)
    # The retry's request answered first: until then the answer still reads "failed" from before.
    with page.expect_response(lambda r: r.url.endswith("/answers/q1/retry") and r.request.method == "POST") as retried:
        failed.get_by_role("button", name="Retry processing").click()
    assert retried.value.status == 200
    expect(page.get_by_test_id("answer")).to_have_attribute("data-status", re.compile("processing|failed"))
    wait_for(lambda: answer()["status"] == "failed", timeout=60, what="the retried transcode to fail again")
    # The button made attempt 1 (the API answers 409 while it runs): the next retry is attempt 2.
    assert admin.post(f"/api/candidates/{cid}/answers/q1/retry")["attempt"] == 2
    with pytest.raises(ApiError) as refused:
        admin.post(f"/api/candidates/{cid}/answers/q1/retry")
    assert (refused.value.status, refused.value.body["code"]) == (409, "not_failed")  # it is processing
    with pytest.raises(ApiError) as reviewer:
        seeded["reviewer"].post(f"/api/candidates/{cid}/answers/q1/retry")
    assert reviewer.value.status == 403


def test_the_share_link_expires(seeded, browser, stack, artifacts):
    from datetime import datetime

    expires = datetime.fromisoformat(seeded["share"]["expiresAt"])
    wait_for(lambda: datetime.now(expires.tzinfo) > expires, timeout=75, every=1, what="the share link to expire")
    guest_ctx = browser.new_context()
    guest = guest_ctx.new_page()
    guest.goto(seeded["share"]["url"].replace("http://127.0.0.1:8000", stack.url))
    expect(guest.get_by_role("heading", name="This link no longer works")).to_be_visible()
    expect(guest.get_by_test_id("share-error")).to_have_text("this link has expired")
    assert "Ada" not in guest.locator("body").inner_text()
    guest.screenshot(path=str(artifacts / "share-expired.png"))
    check_a11y(guest)
    guest_ctx.close()


def test_an_admin_invites_a_member_who_signs_in_with_the_emailed_password(browser, stack, artifacts):
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = admin_ctx.new_page()
    sign_in(page, stack)
    page.goto(f"{stack.url}/#/members")
    form = page.get_by_test_id("invite-member")
    form.get_by_label("Email").fill("newrev@demo.example")
    form.get_by_label("Role").select_option("reviewer")
    form.get_by_role("button", name="Invite member").click()
    expect(page.get_by_text("newrev@demo.example is invited")).to_be_visible()
    expect(page.get_by_test_id("member-row").filter(has_text="newrev@demo.example")).to_have_count(1)
    check_a11y(page)
    (mail,) = wait_for(lambda: [m for m in stack.outbox() if "newrev@demo.example" in m["to"]], timeout=15, what="the member's email")
    password = mail["body"].split("temporary password:")[1].split()[0]

    # The first sign-in, with the emailed password, asks for a password of their own.
    ctx = browser.new_context()
    newbie = ctx.new_page()
    newbie.goto(stack.url + "/")
    newbie.get_by_label("Email").fill("newrev@demo.example")
    newbie.get_by_label("Password").fill(password)
    newbie.get_by_role("button", name="Sign in").click()
    newbie.get_by_label("New password").fill("Newrev-own-pass-1")
    check_a11y(newbie)
    newbie.get_by_role("button", name="Set password and sign in").click()
    expect(newbie.get_by_text("Signed in as newrev@demo.example")).to_be_visible()
    # From then on the password of their own is the one.
    newbie.get_by_role("button", name="Sign out").click()
    sign_in(newbie, stack, "newrev@demo.example", "Newrev-own-pass-1")
    expect(newbie.get_by_text("Signed in as newrev@demo.example")).to_be_visible()
    expect(newbie.get_by_role("heading", name="Assigned to you")).to_be_visible()  # a reviewer's home
    newbie.screenshot(path=str(artifacts / "member-first-sign-in.png"))
    ctx.close()
    admin_ctx.close()


def test_a_webhook_receives_a_signed_decision(seeded, browser, stack, artifacts):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from oneway.service.webhooks import verify

    got: list[tuple[dict, bytes]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        sign_in(page, stack)
        page.goto(f"{stack.url}/#/members")
        form = page.get_by_test_id("webhook-form")
        form.get_by_label("Endpoint URL (https)").fill(f"http://127.0.0.1:{server.server_port}/oneway")
        form.get_by_label("candidate.completed").uncheck()
        form.get_by_label("candidate.ready").uncheck()
        form.get_by_role("button", name="Add webhook").click()
        secret = page.get_by_test_id("webhook-secret").input_value()
        assert secret.startswith("whsec_")
        check_a11y(page)

        grace = seeded["ids"][1]
        seeded["admin"].post(f"/api/candidates/{grace}/decision", {"decision": "hold", "note": "second round later"})
        # The decision's event leaves through the outbox: the local deliver function posts it soon after.
        wait_for(lambda: got, timeout=60, what="the webhook's delivery")
        (headers, body), = got
        assert verify(secret, headers["Oneway-Signature"], body.decode(), now=int(time.time()))
        assert b'"type":"candidate.decided"' in body and grace.encode() in body and b'"decision":"hold"' in body
        def delivered():
            return [d for d in seeded["admin"].get("/api/webhooks")["items"][0]["recent"] if d["status"] == "delivered"]

        wait_for(delivered, timeout=30, what="the delivery's record")
        page.reload()
        expect(page.get_by_test_id("webhook")).to_contain_text("candidate.decided, delivered after 1 attempt")
        page.screenshot(path=str(artifacts / "members-webhooks.png"), full_page=True)
        ctx.close()
    finally:
        server.shutdown()
