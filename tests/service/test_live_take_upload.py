"""A take uploaded while it is recorded, on the in-memory ports: the live ticket, the final size with the
last part, the abort of a discarded take, one open upload per question, and the quota that follows."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlparse

import pytest

from oneway.domain.keys import TakeRef
from oneway.domain.models import TakeStatus
from tests.service.test_review_fairness import h, ok, org  # noqa: F401  (org is a fixture)
from tests.support.events import call

INTERVIEW = {
    "title": "Support engineer",
    "questions": [{"prompt": "Tell us about a hard problem", "kind": "video", "answerSeconds": 60, "maxTakes": 3}],
}


def c(method, path, token, body=None, expect=200):
    status, answer = call(h, method, path, body, token=token)
    assert status == expect, (method, path, status, answer)
    return answer


@pytest.fixture
def candidate(org):  # noqa: F811
    iid = ok("POST", "/api/interviews", INTERVIEW, expect=201)["interviewId"]
    inv = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@x.test"}]}, expect=201)
    item = inv["items"][0]
    token = item["inviteUrl"].split("#t=")[1]
    c("POST", "/api/c/consent", token, {"accepted": True})
    return token, item["candidateId"]


def length_of(url: str) -> int:
    return int(parse_qs(urlparse(url).query)["length"][0])


def stored_candidate(ports, cid):
    return ports.store.get_candidate("acme", cid)


def take_of(ports, cid, iid, take_id):
    return ports.store.get_take(TakeRef(org_id="acme", interview_id=iid, candidate_id=cid, question_id="q1", take_id=take_id))


def put_parts(ports, ticket_or_urls, data: bytes, part_size: int, numbers):
    """Play S3: store each part the URLs name, as the browser's PUTs would."""
    etags = {}
    for part in ticket_or_urls:
        n = part["partNumber"]
        if n not in numbers:
            continue
        query = parse_qs(urlparse(part["url"]).query)
        body = data[(n - 1) * part_size : n * part_size]
        assert len(body) == int(query["length"][0]), "a part's length is the one signed into its URL"
        ports.objects.uploads[query["uploadId"][0]][n] = (f'"e{n}"', body)
        etags[n] = f'"e{n}"'
    return etags


def test_a_live_take_gets_full_part_urls_first_then_its_last_part_at_its_final_size(ports, candidate):
    token, cid = candidate
    path = "/api/c/questions/q1/takes"
    take = c("POST", path, token, expect=201)["takeId"]
    # A live upload has no size yet; a finished recording must say its size.
    status, body = call(h, "POST", f"{path}/{take}/upload", {"contentType": "video/webm"}, token=token)
    assert (status, body["code"]) == (400, "size_required")
    status, body = call(h, "POST", f"{path}/{take}/upload", {"contentType": "video/webm", "size": 10, "live": True}, token=token)
    assert (status, body["code"]) == (400, "size_not_known_yet")
    ticket = c("POST", f"{path}/{take}/upload", token, {"contentType": "video/webm", "live": True})
    part = ports.settings.live_part_size
    assert ticket["partSize"] == part
    # Every part but the last is signed at the part size now: no request per part while recording.
    assert ticket["parts"] and all(length_of(p["url"]) == part for p in ticket["parts"])
    stored = stored_candidate(ports, cid)
    limit = stored.upload_bytes  # the answer's bound is held until the final size is known
    assert limit >= 60 * ports.settings.max_recording_bits_per_second // 8
    assert stored.progress["q1"].open_take == take

    data = b"\x1a\x45\xdf\xa3" + bytes(2 * part + 1234 - 4)
    etags = put_parts(ports, ticket["parts"], data, part, {1, 2})
    state = c("GET", f"{path}/{take}/upload", token)
    assert state["partSize"] == part and [p["partNumber"] for p in state["parts"]] == [1, 2]
    # At send: the final size comes with the request for the last part's URL, signed at its own length.
    with_tail = c("POST", f"{path}/{take}/upload/parts", token, {"partNumbers": [3], "size": len(data)})
    assert [length_of(p["url"]) for p in with_tail["parts"]] == [1234]
    assert stored_candidate(ports, cid).upload_bytes == len(data)
    # A part past the final size does not exist any more.
    assert call(h, "POST", f"{path}/{take}/upload/parts", {"partNumbers": [4]}, token=token)[0] == 400
    etags |= put_parts(ports, with_tail["parts"], data, part, {3})
    c("POST", f"{path}/{take}/complete", token, {"parts": [{"partNumber": n, "etag": e} for n, e in sorted(etags.items())]})
    iid = stored.interview_id
    assert ports.objects.objects[f"uploads/{take_of(ports, cid, iid, take).upload_key}"] == data
    assert take_of(ports, cid, iid, take).size == len(data)
    assert stored_candidate(ports, cid).progress["q1"].open_take is None


def test_a_final_size_above_the_answers_bound_is_refused(ports, candidate):
    token, cid = candidate
    path = "/api/c/questions/q1/takes"
    take = c("POST", path, token, expect=201)["takeId"]
    c("POST", f"{path}/{take}/upload", token, {"contentType": "video/webm", "live": True})
    too_big = stored_candidate(ports, cid).upload_bytes + 1  # the answer's bound, held while recording
    status, answer = call(h, "POST", f"{path}/{take}/upload/parts", {"partNumbers": [1], "size": too_big}, token=token)
    assert (status, answer["code"]) == (413, "recording_too_large")


def test_a_discarded_take_aborts_its_upload_and_frees_its_bytes(ports, candidate):
    token, cid = candidate
    path = "/api/c/questions/q1/takes"
    take = c("POST", path, token, expect=201)["takeId"]
    ticket = c("POST", f"{path}/{take}/upload", token, {"contentType": "video/webm", "live": True})
    upload_id = ticket["uploadId"]
    assert upload_id in ports.objects.uploads
    assert c("DELETE", f"{path}/{take}/upload", token) == {"status": "aborted"}
    assert upload_id not in ports.objects.uploads
    cand = stored_candidate(ports, cid)
    assert cand.upload_bytes == 0 and cand.progress["q1"].open_take is None
    assert take_of(ports, cid, cand.interview_id, take).status == TakeStatus.recording
    # Again: nothing left to abort, the same answer; the take stays used.
    assert c("DELETE", f"{path}/{take}/upload", token) == {"status": "aborted"}
    assert cand.progress["q1"].takes_used == 1
    # Someone else's take is not found.
    assert call(h, "DELETE", f"{path}/nope/upload", token=token)[0] == 404


def test_a_sent_take_cannot_be_aborted(ports, candidate):
    token, _ = candidate
    path = "/api/c/questions/q1/takes"
    take = c("POST", path, token, expect=201)["takeId"]
    data = b"\x1a\x45\xdf\xa3" + bytes(1000)
    ticket = c("POST", f"{path}/{take}/upload", token, {"contentType": "video/webm", "size": len(data)})
    etags = put_parts(ports, ticket["parts"], data, ticket["partSize"], {1})
    c("POST", f"{path}/{take}/complete", token, {"parts": [{"partNumber": 1, "etag": etags[1]}]})
    status, answer = call(h, "DELETE", f"{path}/{take}/upload", token=token)
    assert (status, answer["code"]) == (409, "already_uploaded")


def test_a_new_takes_upload_aborts_the_open_upload_of_a_take_left_behind(ports, candidate):
    """A tab closed mid-recording leaves an open live upload holding the answer's whole bound: the next take's
    upload must neither be refused by the quota nor leave the first one's parts behind."""
    token, cid = candidate
    path = "/api/c/questions/q1/takes"
    first = c("POST", path, token, expect=201)["takeId"]
    ticket = c("POST", f"{path}/{first}/upload", token, {"contentType": "video/webm", "live": True})
    put_parts(ports, ticket["parts"], bytes(2 * ticket["partSize"]), ticket["partSize"], {1})
    second = c("POST", path, token, expect=201)["takeId"]
    again = c("POST", f"{path}/{second}/upload", token, {"contentType": "video/webm", "live": True})
    assert ticket["uploadId"] not in ports.objects.uploads and again["uploadId"] in ports.objects.uploads
    cand = stored_candidate(ports, cid)
    assert cand.progress["q1"].open_take == second
    assert cand.upload_bytes == take_of(ports, cid, cand.interview_id, second).size
    left = take_of(ports, cid, cand.interview_id, first)
    assert left.status == TakeStatus.recording and left.upload_id is None
    # The take left behind may still be sent after all (its recording was kept): it uploads afresh.
    data = b"\x1a\x45\xdf\xa3" + bytes(100)
    c("POST", f"{path}/{first}/upload", token, {"contentType": "video/webm", "size": len(data)})
    assert again["uploadId"] not in ports.objects.uploads
    assert stored_candidate(ports, cid).upload_bytes == len(data)


def test_an_upload_after_recording_still_gets_every_part_url_at_once(ports, candidate):
    token, _ = candidate
    path = "/api/c/questions/q1/takes"
    take = c("POST", path, token, expect=201)["takeId"]
    size = 3 * ports.settings.part_size + 5
    ticket = c("POST", f"{path}/{take}/upload", token, {"contentType": "video/webm", "size": size})
    assert ticket["partSize"] == ports.settings.part_size
    assert len(ticket["parts"]) == math.ceil(size / ports.settings.part_size)
    assert length_of(ticket["parts"][-1]["url"]) == 5


def test_the_upload_state_says_an_upload_is_live_and_the_session_says_whether_takes_go_live(ports, candidate):
    token, _ = candidate
    path = "/api/c/questions/q1/takes"
    assert c("GET", "/api/c/session", token)["liveUpload"] is True
    take = c("POST", path, token, expect=201)["takeId"]
    c("POST", f"{path}/{take}/upload", token, {"contentType": "video/webm", "live": True})
    state = c("GET", f"{path}/{take}/upload", token)
    assert state["live"] is True and state["partSize"] == ports.settings.live_part_size
    c("DELETE", f"{path}/{take}/upload", token)
    assert c("GET", f"{path}/{take}/upload", token) == {"uploadId": None, "partSize": ports.settings.part_size, "size": None, "parts": [], "live": False}
    ports.settings.live_uploads = False
    assert c("GET", "/api/c/session", token)["liveUpload"] is False
