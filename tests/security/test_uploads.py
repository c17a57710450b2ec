"""Uploads: a server-made key per take, short-lived part URLs, declared type and size checked,
the real object checked after upload (quarantine, and the candidate may record again), and a
restarted take's unfinished upload aborted. (Non-video quarantine and magic bytes:
tests/integration/test_pipeline.py; bucket lifecycle: tests/infra/test_cdk_storage.py.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from pydantic import ValidationError

from oneway.config import Settings
from tests.integration.test_pipeline import c, drain_uploads, invited, media_jobs, r  # noqa: F401  (fixture)
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
    status, body = c(invited, "POST", path, {"contentType": "video/webm", "size": 1000, "key": "org/other/evil.webm"})
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


def test_an_object_larger_than_declared_is_quarantined_and_the_candidate_may_record_again(invited, client, aws, clip):
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
    from oneway.domain.keys import parse_key
    from oneway.handlers import deps

    take = deps.ports().store.get_take(parse_key(key))
    assert take.status == "failed" and "larger than declared" in take.failure  # the take says why
    status, detail = r("GET", f"/api/candidates/{invited['candidate_id']}")
    assert detail["answers"][0]["status"] == "pending"  # not in review: the question is open again
    status, session = c(invited, "GET", "/api/c/session")
    assert session["questions"][0]["answered"] is False
    assert c(invited, "POST", "/api/c/questions/q1/takes")[0] == 201


def test_restarting_a_take_aborts_its_unfinished_upload(invited, client):
    tid = _take(invited)
    path = f"/api/c/questions/q1/takes/{tid}/upload"
    first = c(invited, "POST", path, {"contentType": "video/webm", "size": 1000})[1]["uploadId"]
    second = c(invited, "POST", path, {"contentType": "video/webm", "size": 1000})[1]["uploadId"]
    assert first != second
    open_uploads = {u["UploadId"] for u in client("s3").list_multipart_uploads(Bucket="oneway-uploads").get("Uploads", [])}
    assert second in open_uploads and first not in open_uploads
