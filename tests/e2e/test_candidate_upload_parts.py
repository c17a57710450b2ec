"""A take of several parts in headless Chromium: the candidate app sends one part at a time, and
after a network cut only the part that was on its way goes out again; the parts S3 holds do not.

The fake camera's takes fit in one part, so the take here is 16 MiB of bytes (behind WebM's magic
bytes, so that the checks after upload keep it) the page keeps as an unsent recording (as a reload
mid-upload leaves it), on a stack of its own with 5 MiB parts (S3's
smallest, and the uploader's): four parts."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.e2e.candidate_support import consent, device_check, invite, is_part_put, part_number, stored_object
from tests.support.client import Api
from tests.support.stack import ROOT, start_stack

pytestmark = pytest.mark.e2e

MiB = 2**20
PART, SIZE = 5 * MiB, 16 * MiB

KEEP = """([key, take]) => new Promise((resolve, reject) => {
    const bytes = new Uint8Array(take.size)
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
    bytes.set([0x1a, 0x45, 0xdf, 0xa3], 0)  // WebM's magic bytes: kept after upload (a refused file is deleted)
    const recording = {...take, blob: new Blob([bytes], {type: 'video/webm'}), recordedAt: Date.now(), sending: true}
    const open = indexedDB.open('oneway-candidate', 1)
    open.onupgradeneeded = () => open.result.createObjectStore('recordings')
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
        const tx = open.result.transaction('recordings', 'readwrite')
        tx.objectStore('recordings').put(recording, key)
        tx.oncomplete = () => { open.result.close(); resolve() }
        tx.onerror = () => reject(tx.error)
    }
})"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    st = start_stack(tmp_path_factory.mktemp("stack"), site_dir=ROOT / "web" / "dist", env={"ONEWAY_PART_SIZE": str(PART)})
    yield st
    st.stop()


def test_parts_go_one_at_a_time_and_after_a_cut_only_the_part_on_its_way_is_sent_again(browser, stack):
    inv = invite(stack, text=False, answer=60)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    sent: list[int] = []  # part numbers, in the order their PUTs went out
    bodies: dict[int, bytes] = {}
    in_flight, most = set(), [0]

    def went_out(request):
        if is_part_put(request):
            in_flight.add(request)
            most[0] = max(most[0], len(in_flight))

    def on_put(route):
        number = part_number(route.request.url)
        sent.append(number)
        if sent == [1, 2]:  # the network drops while part 2 is on its way
            context.set_offline(True)
            route.abort("internetdisconnected")
            return
        bodies[number] = route.request.post_data_buffer or b""
        route.continue_()

    context.on("request", went_out)
    # Playwright keeps a mark on each handler it is given: a built-in method takes none, so a lambda it is.
    context.on("requestfinished", lambda request: in_flight.discard(request))  # noqa: PLW0108
    context.on("requestfailed", lambda request: in_flight.discard(request))  # noqa: PLW0108
    context.route(lambda url: "partNumber=" in url, lambda route: on_put(route) if is_part_put(route.request) else route.continue_())
    try:
        page = context.new_page()
        consent(page, inv.url, check_axe=False)
        device_check(page)
        expect(page.get_by_test_id("question-intro")).to_be_visible()
        take = Api(stack.url, inv.token).post("/api/c/questions/q1/takes", expect=201)
        scope = hashlib.sha256(inv.token.encode()).digest()[:12].hex()  # as the page keys what it keeps
        keep = {"questionId": "q1", "takeId": take["takeId"], "prompt": take["prompt"], "takesLeft": take["takesLeft"], "size": SIZE}
        page.evaluate(KEEP, [f"{scope}:q1", keep])
        page.reload()  # back on the link: the kept upload continues by itself
        page.get_by_role("button", name="Continue").click()
        device_check(page)
        expect(page.get_by_test_id("offline")).to_be_visible(timeout=20_000)
        page.wait_for_timeout(1000)
        context.set_offline(False)
        expect(page.get_by_test_id("finish")).to_be_visible(timeout=60_000)
    finally:
        context.close()
    assert most[0] == 1, f"{most[0]} part PUTs were on the wire at once"
    assert Counter(sent) == {1: 1, 2: 2, 3: 1, 4: 1}, sent
    stored = stored_object(stack, inv)
    assert len(stored) == SIZE and hashlib.sha256(stored).digest() == hashlib.sha256(b"".join(bodies[n] for n in range(1, 5))).digest()
