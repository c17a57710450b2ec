"""Uploads: a server-made key per take, short-lived part URLs that bind each part's length, declared
type and size checked, a per-candidate storage quota, the real object checked after upload (refused:
deleted, the take stays used, and a candidate with a take left may record again), and a restarted
take's unfinished upload aborted. (Non-video refusal and magic bytes: tests/integration/test_pipeline.py;
what the signature of a part URL covers: tests/unit/test_presign.py; bucket lifecycle:
tests/infra/test_cdk_storage.py.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from pydantic import ValidationError

from oneway.config import Settings
from tests.integration.test_pipeline import c, drain_uploads, invited, media_jobs, r  # noqa: F401  (fixture)
from tests.support import stored
from tests.support.media import make_webm


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_webm(tmp_path_factory.mktemp("m") / "a.webm", seconds=1, size=(160, 120)).read_bytes()


def _take(invited):
    assert c(invited, "POST", "/api/c/consent", {"accepted": True})[0] == 200
    status, take = c(invited, "POST", "/api/c/questions/q1/takes")
    assert status == 201, take
    return take["takeId"]


def test_the_key_is_the_servers_and_part_urls_live_at_most_15_minutes(invited, client):
    tid = _take(invited)
    path = f"/api/c/questions/q1/takes/{tid}/upload"
    status, _body = c(invited, "POST", path, {"contentType": "video/webm", "size": 1000, "key": "org/other/evil.webm"})
    assert status == 422, "a client cannot name the object"
    status, ticket = c(invited, "POST", path, {"contentType": "video/webm", "size": 20 * 2**20})
    assert status == 200 and len(ticket["parts"]) == 3
    prefix = f"org/acme/interview/{invited['interview_id']}/candidate/{invited['candidate_id']}/question/q1/take/{tid}/recording.webm"
    for part in ticket["parts"]:
        url = urlparse(part["url"])
        assert url.path.endswith(prefix)
        query = parse_qs(url.query)
        assert int(query["X-Amz-Expires"][0]) <= 900 and query["uploadId"] == [ticket["uploadId"]]
    with pytest.raises(ValidationError):
        Settings(presign_seconds=901)


def test_declared_type_and_size_are_checked(invited):
    tid = _take(invited)
    path = f"/api/c/questions/q1/takes/{tid}/upload"
    status, body = c(invited, "POST", path, {"contentType": "application/x-msdownload", "size": 1000})
    assert (status, body["code"]) == (400, "unsupported_media_type")
    status, body = c(invited, "POST", path, {"contentType": "video/webm", "size": 2 * 2**30})
    assert status == 413, body
    status, body = c(invited, "POST", path, {"contentType": "video/webm", "size": 0})
    assert status in (400, 422), body


def test_an_object_larger_than_declared_is_refused_deleted_and_the_candidate_may_record_again(invited, client, aws, clip):
    tid = _take(invited)
    status, ticket = c(invited, "POST", f"/api/c/questions/q1/takes/{tid}/upload", {"contentType": "video/webm", "size": 1000})
    assert status == 200
    key = f"org/acme/interview/{invited['interview_id']}/candidate/{invited['candidate_id']}/question/q1/take/{tid}/recording.webm"
    s3 = client("s3")
    etag = s3.upload_part(Bucket="oneway-uploads", Key=key, UploadId=ticket["uploadId"], PartNumber=1, Body=clip)["ETag"]
    assert len(clip) > 1000
    status, _ = c(invited, "POST", f"/api/c/questions/q1/takes/{tid}/complete", {"parts": [{"partNumber": 1, "etag": etag}]})
    assert status == 200
    drain_uploads(client, aws)
    assert media_jobs(client, aws) == [], "nothing reaches the media services"
    from oneway.handlers import deps

    take = stored.take(deps.ports().store, key)
    assert take.status == "failed" and take.failure and "larger than declared" in take.failure  # the take says why
    assert not s3.list_object_versions(Bucket="oneway-uploads", Prefix=key).get("Versions"), "the refused file is deleted"
    status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "pending"  # not in review: the question is open again
    assert "larger than declared" in detail["answers"][0]["refused"]  # and the recruiter sees why
    status, session = c(invited, "GET", "/api/c/session")
    assert session["questions"][0]["answered"] is False and session["questions"][0]["takesUsed"] == 1  # no refund
    assert "larger than declared" in session["questions"][0]["refused"]
    status, again = c(invited, "POST", "/api/c/questions/q1/takes")
    assert (status, again["takesLeft"]) == (201, 0)


def test_restarting_a_take_aborts_its_unfinished_upload(invited, client):
    tid = _take(invited)
    path = f"/api/c/questions/q1/takes/{tid}/upload"
    first = c(invited, "POST", path, {"contentType": "video/webm", "size": 1000})[1]["uploadId"]
    second = c(invited, "POST", path, {"contentType": "video/webm", "size": 1000})[1]["uploadId"]
    assert first != second
    open_uploads = {u["UploadId"] for u in client("s3").list_multipart_uploads(Bucket="oneway-uploads").get("Uploads", [])}
    assert second in open_uploads and first not in open_uploads


def test_each_part_url_binds_its_length(invited, monkeypatch):
    """The ticket's part URLs sign each part's exact length (the last one shorter); fresh URLs for a
    resumed upload too. (That the signature covers the value: tests/unit/test_presign.py.)"""
    from oneway.adapters import s3 as s3_adapter

    signed: list[dict[int, int]] = []
    original = s3_adapter.S3Objects.presign_parts

    def presign_parts(self, key, upload_id, parts):
        signed.append(dict(parts))
        return original(self, key, upload_id, parts)

    monkeypatch.setattr(s3_adapter.S3Objects, "presign_parts", presign_parts)
    tid = _take(invited)
    size = 20 * 2**20 + 123
    status, ticket = c(invited, "POST", f"/api/c/questions/q1/takes/{tid}/upload", {"contentType": "video/webm", "size": size})
    assert status == 200
    part = ticket["partSize"]
    assert signed[-1] == {1: part, 2: part, 3: size - 2 * part}
    for p in ticket["parts"]:
        assert parse_qs(urlparse(p["url"]).query)["X-Amz-SignedHeaders"] == ["content-length;host"]
    status, _fresh = c(invited, "POST", f"/api/c/questions/q1/takes/{tid}/upload/parts", {"partNumbers": [3, 1]})
    assert status == 200 and signed[-1] == {1: part, 3: size - 2 * part}


def test_a_candidates_uploads_are_bounded_in_all(invited, client):
    """A quota on the declared sizes a candidate's uploads hold at once: one full-length answer per
    video question. A restarted upload replaces its take's declaration, and another take's upload of the same
    question replaces the first take's; past an answer's bound: 413."""
    from oneway.handlers import deps
    from oneway.service import recording
    from oneway.service.limits import recording_limit

    p = deps.ports()
    cand = recording.authenticate(p, invited["token"])
    quota = recording.upload_quota(p, cand, stored.interview(p.store, "acme", invited["interview_id"]))
    limit = recording_limit(p, 60)
    assert quota == limit  # INTERVIEW: one video question of 60 s (the other is written)
    first = _take(invited)
    path = f"/api/c/questions/q1/takes/{first}/upload"
    assert c(invited, "POST", path, {"contentType": "video/webm", "size": limit})[0] == 200
    assert c(invited, "POST", path, {"contentType": "video/webm", "size": limit - 10})[0] == 200, "a restart replaces, not adds"
    assert stored.candidate(p.store, "acme", invited["candidate_id"]).upload_bytes == limit - 10
    status, second = c(invited, "POST", "/api/c/questions/q1/takes")
    assert status == 201
    # One upload is open per question: the second take's replaces the first's (aborted, its bytes no longer held),
    # so a candidate cannot hold two answers' worth for one question.
    assert c(invited, "POST", f"/api/c/questions/q1/takes/{second['takeId']}/upload", {"contentType": "video/webm", "size": limit})[0] == 200
    assert stored.candidate(p.store, "acme", invited["candidate_id"]).upload_bytes == limit
    open_uploads = client("s3").list_multipart_uploads(Bucket="oneway-uploads").get("Uploads", [])
    assert len(open_uploads) == 1, "the first take's upload was aborted"
    # Past an answer's bound: 413, and nothing is opened.
    status, body = c(invited, "POST", f"/api/c/questions/q1/takes/{second['takeId']}/upload", {"contentType": "video/webm", "size": limit + 1})
    assert (status, body["code"]) == (413, "recording_too_large") and "MiB" in body["message"]
    assert len(client("s3").list_multipart_uploads(Bucket="oneway-uploads").get("Uploads", [])) == 1
