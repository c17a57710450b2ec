"""The interview builder in headless Chromium on the local stack.

A recruiter starts from a built-in template, chooses durations from steps, reorders the
questions, uploads an MP4 for question 1 before the first save (the local pipeline makes
its rendition and captions), writes a welcome message, sets the reminders, saves the
interview as a template and creates it. Once a candidate is invited, the edit page says
the questions are fixed and still changes the title, the texts and blind review; the
candidate's welcome page shows the recruiter's message. An interview started from the
saved template, locked while its builder is open, shows the API's refusal in words, not
the server's text. axe-core on each page; screenshots at 1280x800 and 390x844.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.candidate_support import axe
from tests.fixtures.media.synth import make_speech_webm
from tests.support.client import Api

pytestmark = pytest.mark.e2e

WELCOME = "Hi, I'm Sam, the support lead.\nTake your time: there are no trick questions."
LOCKED = (
    "Candidates are invited: the questions, rubric, practice question and language are fixed so that every candidate answers the same interview."
)


def sign_in(page: Page, stack) -> None:
    page.goto(stack.url + "/")
    page.get_by_label("Email").fill(stack.email)
    page.get_by_label("Password").fill(stack.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("org-name")).to_be_visible()


def phone_video(path: Path) -> Path:
    """An MP4 as a phone makes one (H.264 and AAC), from a short recording that speaks."""
    source = make_speech_webm("tell us about a customer you helped", path.with_suffix(".webm"))
    with av.open(str(source)) as src, av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=15)
        video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
        audio = out.add_stream("aac", rate=48000)
        for n, frame in enumerate(src.decode(src.streams.video[0])):
            image = frame.reformat(width=320, height=240, format="yuv420p")
            image.pts, image.time_base = n, Fraction(1, 15)
            out.mux(video.encode(image))
        out.mux(video.encode())
        for sound in src.decode(src.streams.audio[0]):
            sound.pts = None
            out.mux(audio.encode(sound))
        out.mux(audio.encode())
    return path


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


def test_the_builder_from_template_to_locked_edit(browser, stack, artifacts, tmp_path):
    recruiter = Api(stack.url, stack.sign_in())
    mp4 = phone_video(tmp_path / "question.mp4")
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    sign_in(page, stack)
    page.get_by_test_id("new-interview").click()
    expect(page.get_by_test_id("lock-ahead")).to_contain_text("lock when you send the first invitation")

    # A built-in template fills in the questions and an anchored rubric.
    page.get_by_label("Template", exact=True).select_option(label="Customer support")
    page.get_by_role("button", name="Use template").click()
    expect(page.get_by_test_id("form-note")).to_have_text("Filled in from “Customer support”.")
    expect(page.get_by_label("Title")).to_have_value("Customer support specialist")
    rows = page.get_by_test_id("question-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("rubric-row")).to_have_count(3)
    expect(page.get_by_test_id("rubric-row").nth(0).get_by_label("What a 5 looks like")).not_to_have_value("")

    # Durations from steps, not typed seconds.
    answer = rows.nth(0).get_by_label("Answer time")
    assert answer.locator("option").all_inner_texts() == ["30 seconds", "1 minute", "2 minutes", "3 minutes", "5 minutes"]
    answer.select_option(label="3 minutes")
    think = rows.nth(0).get_by_label("Thinking time")
    assert think.locator("option").all_inner_texts() == ["None", "15 seconds", "30 seconds", "1 minute"]
    think.select_option(label="1 minute")

    # Reorder: the written question moves up to second place; the keyboard stays on the button.
    written = rows.nth(2).get_by_label("Question", exact=True).input_value()
    page.get_by_role("button", name="Move question 3 up").click()
    expect(rows.nth(1).get_by_label("Question", exact=True)).to_have_value(written)
    expect(page.get_by_role("button", name="Move question 2 up")).to_be_focused()

    # A video file for question 1, before the interview was ever saved.
    rows.nth(0).get_by_test_id("question-video-file").set_input_files(str(mp4))
    status = rows.nth(0).get_by_test_id("question-video-status")
    expect(status).to_have_text("Ready: candidates see this video with captions.", timeout=120_000)
    expect(rows.nth(0).get_by_test_id("question-video-player").locator("track[kind=captions]")).to_have_count(1)
    # A file that is no video is refused in words.
    notes = tmp_path / "notes.txt"
    notes.write_text("not a video")
    rows.nth(2).get_by_test_id("question-video-file").set_input_files(str(notes))
    expect(rows.nth(2).get_by_role("alert")).to_have_text("This file is not a video Oneway can use. Choose an MP4, WebM, MOV or MKV file.")

    page.get_by_label("Welcome message").fill(WELCOME)
    page.get_by_label("3 days before the deadline").check()
    page.get_by_label("2 days before the deadline").uncheck()
    axe(page, "builder from a template, with an uploaded question video")
    page.screenshot(path=str(artifacts / "builder-new-1280.png"), full_page=True)

    # Saved as the organization's own template (its words and settings; the video stays with the interview).
    page.get_by_role("button", name="Save as template").click()
    page.get_by_label("Template name").fill("Support screen")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_test_id("form-note")).to_have_text("Saved as the template “Support screen”.")

    page.get_by_role("button", name="Create interview").click()
    expect(page.get_by_role("heading", name="Customer support specialist")).to_be_visible()
    iid = page.url.rsplit("/", 1)[1]
    saved = recruiter.get(f"/api/interviews/{iid}")
    q1 = saved["questions"][0]
    assert (q1["answerSeconds"], q1["thinkSeconds"], q1["media"]["status"]) == (180, 60, "ready")
    assert [q["kind"] for q in saved["questions"]] == ["video", "text", "video"]
    assert (saved["welcome"], saved["reminders"], saved["reminderHours"], saved["locked"]) == (WELCOME, True, [72, 24], False)
    own = [x for x in recruiter.get("/api/interview-templates")["items"] if not x["builtIn"]]
    assert [x["name"] for x in own] == ["Support screen"] and own[0]["questions"][0]["answerSeconds"] == 180

    # The first invitation locks the questions; the edit page says so and changes the rest.
    inv = recruiter.post(f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Wes Welcome", "email": "wes@example.com"}], "sendEmail": False})
    page.goto(f"{stack.url}/#/interviews/{iid}/edit")
    expect(page.get_by_test_id("locked-notice")).to_contain_text(LOCKED)
    expect(rows.nth(0).get_by_label("Question", exact=True)).to_be_disabled()
    expect(rows.nth(0).get_by_label("Answer time")).to_be_disabled()
    expect(page.get_by_role("button", name="Add criterion")).to_be_disabled()
    expect(page.get_by_label("Language of the answers")).to_be_disabled()
    expect(page.get_by_test_id("questions").get_by_test_id("question-video")).to_have_count(0)
    # The welcome and closing videos still change: candidates watch them, they do not answer them.
    expect(page.get_by_test_id("intro-video").get_by_role("button", name="Upload a video file to welcome candidates")).to_be_enabled()
    axe(page, "builder after the first invitation")
    page.screenshot(path=str(artifacts / "builder-locked-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "builder-locked-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Title").fill("Support specialist (EMEA)")
    page.get_by_label("Blind review", exact=False).check()
    page.get_by_role("button", name="Save interview").click()
    expect(page.get_by_role("heading", name="Support specialist (EMEA)")).to_be_visible()
    assert recruiter.get(f"/api/interviews/{iid}")["blind"] is True

    # The candidate's welcome page shows the recruiter's words as written.
    cctx = browser.new_context(viewport={"width": 390, "height": 844})
    cpage = cctx.new_page()
    cpage.goto(inv["items"][0]["inviteUrl"])
    expect(cpage.get_by_test_id("welcome-text")).to_have_text(WELCOME)
    cpage.screenshot(path=str(artifacts / "builder-candidate-welcome-390.png"), full_page=True)
    cctx.close()

    # From the saved template, at phone width; invited while the builder is open, the refusal comes in words.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stack.url}/#/interviews/new")
    page.get_by_label("Template", exact=True).select_option(label="Support screen")
    page.get_by_role("button", name="Use template").click()
    expect(page.get_by_test_id("question-row")).to_have_count(3)
    expect(page.get_by_test_id("question-row").nth(0).get_by_label("Answer time")).to_have_value("180")
    expect(page.get_by_label("Welcome message")).to_have_value(WELCOME)
    # The organization's own template can go (the built-in ones offer no such button).
    page.get_by_role("button", name="Delete template").click()
    expect(page.get_by_test_id("form-note")).to_have_text("The template “Support screen” is deleted.")
    expect(page.get_by_label("Template", exact=True).locator("option", has_text="Support screen")).to_have_count(0)
    page.get_by_label("Template", exact=True).select_option(label="Sales representative")
    expect(page.get_by_role("button", name="Delete template")).to_have_count(0)
    no_sideways_scroll(page)
    axe(page, "builder on a phone")
    page.screenshot(path=str(artifacts / "builder-new-390.png"), full_page=True)
    page.get_by_label("Title").fill("Support screen, round 2")
    page.get_by_role("button", name="Create interview").click()
    expect(page.get_by_role("heading", name="Support screen, round 2")).to_be_visible()
    second = page.url.rsplit("/", 1)[1]
    page.goto(f"{stack.url}/#/interviews/{second}/edit")
    expect(page.get_by_test_id("lock-ahead")).to_be_visible()
    recruiter.post(f"/api/interviews/{second}/invitations", {"candidates": [{"name": "Lea Late", "email": "lea@example.com"}], "sendEmail": False})
    page.get_by_test_id("question-row").nth(0).get_by_label("Question", exact=True).fill("A question changed too late")
    page.get_by_role("button", name="Save interview").click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(
        "Candidates are already invited, so the questions, rubric, practice question and language can no longer change. Duplicate the interview to change them."
    )
    expect(alert).not_to_contain_text("can no longer change;")  # the server's own sentence stays out
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "builder-refused-390.png"), full_page=True)
    ctx.close()
