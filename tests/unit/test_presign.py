"""What a presigned URL grants: one server-made key, one upload, at most 15 minutes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber
from pydantic import ValidationError

from oneway.adapters.s3 import S3Objects
from oneway.config import Settings


def s3_client(session=None):
    # As the handlers build it (deps.aws_client): Signature Version 4.
    session = session or boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    return session.client("s3", region_name="eu-west-1", config=Config(signature_version="s3v4"))


def objects(client, seconds=900, credentials=None):
    return S3Objects(
        client, uploads_bucket="uploads", media_bucket="media", presign_seconds=seconds, download_seconds=3600, credentials=credentials
    )


def part_signer():
    """The adapter as deps.ports builds it: the client, and its session's credentials for the part URLs."""
    session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    return objects(s3_client(session), credentials=session.get_credentials())


def test_part_urls_name_the_key_upload_and_part_and_expire_within_15_minutes():
    key = "org/o/interview/i/candidate/c/question/q1/take/t/recording.webm"
    parts = part_signer().presign_parts(key, "UPLOAD-1", {1: 8 * 2**20, 2: 1000})
    assert [p.part_number for p in parts] == [1, 2]
    for p in parts:
        url = urlparse(p.url)
        q = parse_qs(url.query)
        assert url.path.endswith(f"/{key}")
        assert q["uploadId"] == ["UPLOAD-1"] and q["partNumber"] == [str(p.part_number)]
        assert int(q["X-Amz-Expires"][0]) <= 900
        assert q["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        assert "host" in q["X-Amz-SignedHeaders"][0]


@pytest.mark.parametrize("with_credentials", [True, False])
@pytest.mark.parametrize(("endpoint", "style"), [(None, "virtual"), ("http://127.0.0.1:4566", "path")])
def test_every_part_url_is_the_one_botocore_would_sign(monkeypatch, endpoint, style, with_credentials):
    """Parts after the first, signed from the first one's address with the session's credentials, are byte
    for byte what generate_presigned_url makes for them (same clock), session token and awkward keys
    included: the guard of botocore's SigV4 query signer (botocore.auth.S3SigV4QueryAuth) that
    adapters/s3.py relies on."""
    import datetime

    import botocore.auth

    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: datetime.datetime(2026, 11, 25, 12, 0, 0))
    session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", aws_session_token="TOKEN")
    client = session.client(
        "s3", region_name="eu-west-1", endpoint_url=endpoint, config=Config(signature_version="s3v4", s3={"addressing_style": style})
    )
    key = "org/o/interview/i/candidate/c/question/q 1/take/t+ü/recording.webm"
    lengths = {2: 8 * 2**20, 3: 8 * 2**20, 10: 77}
    parts = objects(client, credentials=session.get_credentials() if with_credentials else None).presign_parts(key, "UP/LOAD+=1", lengths)
    assert [p.part_number for p in parts] == [2, 3, 10]
    for p in parts:
        made = client.generate_presigned_url(
            "upload_part",
            Params={"Bucket": "uploads", "Key": key, "UploadId": "UP/LOAD+=1", "PartNumber": p.part_number, "ContentLength": lengths[p.part_number]},
            ExpiresIn=900,
        )
        assert p.url == made
    assert objects(client).presign_parts(key, "UP/LOAD+=1", {}) == []


def _signature(url: str, secret: str, region: str, headers: dict[str, str]) -> str:
    """SigV4 query-string authentication, computed here from the specification (not by botocore): the
    signature S3 expects from a PUT of ``url`` with these signed headers (the payload unsigned)
    (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)."""
    import hashlib
    import hmac
    from urllib.parse import quote, unquote

    parsed = urlparse(url)
    pairs = [tuple(kv.split("=", 1)) for kv in parsed.query.split("&")]
    query = {unquote(k): unquote(v) for k, v in pairs}
    signed = query["X-Amz-SignedHeaders"].split(";")
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query.items()) if k != "X-Amz-Signature"
    )
    values = {"host": parsed.netloc, **{k.lower(): v for k, v in headers.items()}}
    canonical_headers = "".join(f"{name}:{values[name].strip()}\n" for name in signed)
    canonical = "\n".join(["PUT", parsed.path, canonical_query, canonical_headers, ";".join(signed), "UNSIGNED-PAYLOAD"])
    stamp = query["X-Amz-Date"]
    scope = f"{stamp[:8]}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"AWS4{secret}".encode()
    for part in (stamp[:8], region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def test_each_part_url_signs_its_exact_length():
    """moto does not check presigned signatures, so this checks the URL itself: content-length is a
    signed header, and the signature holds only for a body of exactly the part's length (a browser
    sends Content-Length as the length of the body it PUTs). A longer or shorter body fails at S3."""
    key = "org/o/interview/i/candidate/c/question/q1/take/t/recording.webm"
    size, part = 20 * 2**20 + 123, 8 * 2**20
    lengths = {n: min(part, size - (n - 1) * part) for n in (1, 2, 3)}
    assert lengths == {1: part, 2: part, 3: 4 * 2**20 + 123}
    for p in part_signer().presign_parts(key, "UPLOAD-1", lengths):
        query = parse_qs(urlparse(p.url).query)
        assert query["X-Amz-SignedHeaders"] == ["content-length;host"]
        expected = query["X-Amz-Signature"][0]
        assert _signature(p.url, "secret", "eu-west-1", {"Content-Length": str(lengths[p.part_number])}) == expected
        for other in (lengths[p.part_number] + 1, lengths[p.part_number] - 1, 5 * 2**30):
            assert _signature(p.url, "secret", "eu-west-1", {"Content-Length": str(other)}) != expected


def test_settings_refuse_presigned_urls_longer_than_15_minutes():
    with pytest.raises(ValidationError):
        Settings(presign_seconds=3600)


def test_multipart_upload_is_created_with_the_declared_content_type():
    client = s3_client()
    with Stubber(client) as stub:
        stub.add_response(
            "create_multipart_upload",
            {"UploadId": "U1", "Bucket": "uploads", "Key": "k"},
            {"Bucket": "uploads", "Key": "k", "ContentType": "video/webm"},
        )
        assert objects(client).create_multipart_upload("k", "video/webm") == "U1"
        stub.assert_no_pending_responses()


def test_downloads_come_from_the_media_bucket_only():
    url = objects(s3_client()).presign_download("org/o/x/recording.mp4")
    assert "/media/" in url or url.startswith("https://media.")
    assert "uploads" not in url


def test_a_download_url_is_reused_for_at_most_a_twelfth_of_its_life(monkeypatch):
    import oneway.adapters.s3 as s3

    now = [900.0]  # the start of a 300 s window
    signed: list[str] = []
    monkeypatch.setattr(s3.time, "monotonic", lambda: now[0])
    client = s3_client()
    sign = client.generate_presigned_url

    def generate_presigned_url(*a, **kw):
        signed.append(kw["Params"]["Key"])
        return sign(*a, **kw)

    monkeypatch.setattr(client, "generate_presigned_url", generate_presigned_url)
    media = objects(client)
    key = "org/o/interview/i/candidate/c/question/q1/take/t/recording.mp4"
    first = media.presign_download(key)
    assert int(parse_qs(urlparse(first).query)["X-Amz-Expires"][0]) == 3600
    assert media.presign_download(key) == first  # a page polled again gets the same address
    assert media.presign_download(key.replace(".mp4", ".jpg")) != first
    assert len(signed) == 2
    now[0] += 299
    assert media.presign_download(key) == first
    now[0] += 1  # 3600 s / 12 after the first: signed again, so no URL handed out has less than 55 minutes left
    media.presign_download(key)
    assert signed == [key, key.replace(".mp4", ".jpg"), key]


def test_a_copy_to_save_is_signed_with_its_file_name_and_never_reused():
    media = objects(s3_client())
    key = "org/o/interview/i/candidate/c/question/q1/take/t/recording.mp4"
    saved = media.presign_download(key, save_as="ada-lovelace-question-1.mp4")
    query = parse_qs(urlparse(saved).query)
    assert query["response-content-disposition"] == ['attachment; filename="ada-lovelace-question-1.mp4"']
    assert (int(query["X-Amz-Expires"][0]) == 3600 and "/media/" in saved) or saved.startswith("https://media.")
    assert media.presign_download(key) != saved  # the page's player gets its own URL, played, not saved
    assert "response-content-disposition" not in parse_qs(urlparse(media.presign_download(key)).query)
