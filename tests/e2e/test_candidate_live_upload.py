"""A take uploaded while it is recorded, in headless Chromium with the fake camera.

A few seconds of the fake camera make a few hundred KiB, not S3's 5 MiB part: this stack's live part size
is 64 KiB, and its local S3 accepts parts that small (``S3_UPLOAD_PART_MIN_SIZE``, moto's own setting, which
otherwise refuses any part under 5 MiB but the last, as S3 does). Only the size changes: the page takes the
part size from the server's ticket, as it does on AWS with 5 MiB."""

from __future__ import annotations

import hashlib
import time

import boto3
import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import (
    consent,
    device_check,
    invite,
    is_part_put,
    kept_recordings,
    part_number,
    start,
    stored_object,
)
from tests.support.stack import ROOT, start_stack

pytestmark = pytest.mark.e2e

PART = 64 * 1024


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    env = {"ONEWAY_LIVE_PART_SIZE": str(PART), "S3_UPLOAD_PART_MIN_SIZE": str(PART)}
    st = start_stack(tmp_path_factory.mktemp("stack"), site_dir=ROOT / "web" / "dist", env=env)
    yield st
    st.stop()


class Puts:
    """Every part PUT that reached storage: (part number, its length, when, the upload id)."""

    def __init__(self, context):
        self.seen: list[tuple[int, int, float, str]] = []
        self.hold = False  # while set, every part PUT fails (the network is down)
        self.aborts = 0

        def on_put(route):
            request = route.request
            if self.hold:
                route.abort("internetdisconnected")
                return
            upload = request.url.split("uploadId=")[1].split("&")[0]
            self.seen.append((part_number(request.url), len(request.post_data_buffer or b""), time.monotonic(), upload))
            route.continue_()

        context.route(lambda url: "partNumber=" in url, lambda route: on_put(route) if is_part_put(route.request) else route.continue_())

    def before(self, at: float) -> list[tuple[int, int, float, str]]:
        return [p for p in self.seen if p[2] < at]

    def after(self, at: float) -> list[tuple[int, int, float, str]]:
        return [p for p in self.seen if p[2] >= at]


def open_uploads(stack, inv) -> list[dict]:
    s3 = boto3.client("s3", endpoint_url=stack.aws_endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    prefix = f"org/{inv.org_id}/interview/{inv.interview_id}/candidate/{inv.candidate_id}/"
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if "upload" in b["Name"])
    return s3.list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", [])


def begin_recording(page) -> None:
    start(page)
    page.get_by_role("button", name="Start recording now").click()
    expect(page.get_by_test_id("capture")).to_have_attribute("data-phase", "record")


def stop(page) -> float:
    stopped = time.monotonic()
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_label("Your recorded answer")).to_be_visible()
    return stopped


def answer_safe(page) -> None:
    """The upload is complete: the page moves on to finishing (the only question is answered)."""
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=60_000)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_parts_go_while_recording_and_on_send_only_the_rest_goes_once(browser, stack, artifacts):
    inv = invite(stack, text=False, answer=30)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    puts = Puts(context)
    try:
        page = context.new_page()
        consent(page, inv.url, check_axe=False)
        device_check(page)
        begin_recording(page)
        # Parts go while the camera records: at least two before the candidate stops.
        deadline = time.monotonic() + 20
        while len(puts.seen) < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        stopped = stop(page)
        during = puts.before(stopped)
        assert len(during) >= 2, puts.seen
        assert all(size == PART for _, size, _, _ in during), "every part but the last is a whole part"
        page.screenshot(path=str(artifacts / "candidate-live-upload-review.png"), full_page=True)

        # Watch-back plays the recording the page holds (its length learnt by the duration seek).
        player = page.get_by_test_id("playback")
        expect(player).to_have_attribute("data-duration-known", "true")
        assert player.evaluate("v => v.duration") > 1
        player.evaluate("v => { v.muted = true; v.currentTime = 0; return v.play() }")
        page.wait_for_function("() => document.querySelector('[data-testid=playback]').currentTime > 0.3")
        player.evaluate("v => v.pause()")

        [kept] = kept_recordings(page)
        count = -(-kept["size"] // PART)
        sent = time.monotonic()
        page.get_by_role("button", name="Submit answer").click()
        answer_safe(page)
        # After "send", at most the last part goes (it may already have gone while the take was watched back).
        assert {n for n, _, _, _ in puts.after(sent)} <= {count}, (puts.after(sent), count)
        # Each part went once, in order, to one upload: no byte of the kept take was sent twice.
        assert [n for n, _, _, _ in puts.seen] == list(range(1, count + 1))
        assert sum(size for _, size, _, _ in puts.seen) == kept["size"]
        assert len({upload for _, _, _, upload in puts.seen}) == 1
        assert sha(stored_object(stack, inv)) == kept["sha256"]
        assert open_uploads(stack, inv) == []
    finally:
        context.close()


def test_a_discarded_take_aborts_its_upload(browser, stack, artifacts):
    inv = invite(stack, text=False, answer=30, takes=2)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    puts = Puts(context)
    try:
        page = context.new_page()
        consent(page, inv.url, check_axe=False)
        device_check(page)
        begin_recording(page)
        deadline = time.monotonic() + 20
        while not puts.seen and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert puts.seen, "the take's parts go while it is recorded"
        stop(page)
        page.screenshot(path=str(artifacts / "candidate-live-upload-review-phone.png"), full_page=True)
        [first] = open_uploads(stack, inv)
        with page.expect_response(lambda r: r.request.method == "DELETE" and r.url.endswith("/upload")) as aborted:
            page.get_by_role("button", name="Retake").click()
        assert aborted.value.ok
        assert open_uploads(stack, inv) == [], "S3 holds nothing of the discarded take"
        # The second take goes the same way, to an upload of its own.
        page.get_by_role("button", name="Start recording now").click()
        page.wait_for_timeout(2500)
        stop(page)
        page.get_by_role("button", name="Submit answer").click()
        answer_safe(page)
        assert {upload for _, _, _, upload in puts.seen} - {first["UploadId"]}
        assert open_uploads(stack, inv) == []
    finally:
        context.close()


def test_a_reload_mid_recording_then_another_take_ends_with_the_answer_safe(browser, stack):
    """A tab closed mid-recording loses the recording (it lived in the page); its open upload is aborted
    when the next take's begins, and the next take is sent as usual."""
    inv = invite(stack, text=False, answer=30, takes=2)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    puts = Puts(context)
    try:
        page = context.new_page()
        consent(page, inv.url, check_axe=False)
        device_check(page)
        begin_recording(page)
        deadline = time.monotonic() + 20
        while not puts.seen and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert len(open_uploads(stack, inv)) == 1
        page.reload()
        page.get_by_role("button", name="Continue").click()
        device_check(page)
        expect(page.get_by_text("You have 1 take for this question.")).to_be_visible()
        begin_recording(page)
        page.wait_for_timeout(2500)
        stop(page)
        [kept] = kept_recordings(page)
        page.get_by_role("button", name="Submit answer").click()
        answer_safe(page)
        assert sha(stored_object(stack, inv)) == kept["sha256"]
        assert open_uploads(stack, inv) == [], "the first take's parts are gone with its upload"
    finally:
        context.close()


def test_a_reload_after_send_resumes_from_the_parts_s3_holds(browser, stack):
    inv = invite(stack, text=False, answer=30)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    puts = Puts(context)
    try:
        page = context.new_page()
        consent(page, inv.url, check_axe=False)
        device_check(page)
        begin_recording(page)
        deadline = time.monotonic() + 20
        while len(puts.seen) < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        puts.hold = True  # the network drops: the rest cannot go
        stop(page)
        [kept] = kept_recordings(page)
        stored_before = {n for n, _, _, _ in puts.seen}
        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_test_id("upload")).to_be_visible()
        page.wait_for_timeout(500)
        page.reload()  # the candidate closes the tab mid-send and comes back
        puts.hold = False
        page.get_by_role("button", name="Continue").click()
        device_check(page)
        answer_safe(page)
        count = -(-kept["size"] // PART)
        resent = [n for n, _, _, _ in puts.seen[len(stored_before) :]]
        assert sorted(resent) == [n for n in range(1, count + 1) if n not in stored_before], "only the parts S3 lacked went"
        assert sha(stored_object(stack, inv)) == kept["sha256"]
        assert open_uploads(stack, inv) == []
    finally:
        context.close()


def test_a_cut_mid_recording_queues_the_parts_and_on_send_the_rest_goes(browser, stack):
    inv = invite(stack, text=False, answer=30)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    puts = Puts(context)
    try:
        page = context.new_page()
        consent(page, inv.url, check_axe=False)
        device_check(page)
        begin_recording(page)
        deadline = time.monotonic() + 20
        while not puts.seen and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        puts.hold = True  # the network drops mid-recording; the camera goes on
        page.wait_for_timeout(3000)
        held = len(puts.seen)
        stop(page)
        expect(page.get_by_test_id("capture")).to_have_count(0)
        [kept] = kept_recordings(page)
        count = -(-kept["size"] // PART)
        assert held < count, "parts were left to send when the network dropped"
        puts.hold = False  # back
        page.get_by_role("button", name="Submit answer").click()
        answer_safe(page)
        assert [n for n, _, _, _ in puts.seen] == list(range(1, count + 1)), "every part once, in order"
        assert sha(stored_object(stack, inv)) == kept["sha256"]
        assert open_uploads(stack, inv) == []
    finally:
        context.close()
