"""The network-address mode's S3 gate (oneway/local/lan.py): it forwards a request to the embedded S3 only when
the request carries a presigned URL's valid, unexpired SigV4 signature, checked against botocore's own URLs;
and the certificate it makes names the address and is reused."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config
from cryptography import x509

from oneway.local import lan

ENDPOINT = "http://127.0.0.1:8001"


def s3():
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def check(url: str, method: str, headers: dict[str, str] | None = None, *, secret: str = "local", host: str = "127.0.0.1:8001", at=None) -> bool:
    parts = urlsplit(url)
    return lan.presigned_ok(
        method, parts.path, parts.query, headers or {}, host=host, access_key="local", secret_key=secret, now=at or dt.datetime.now(dt.UTC)
    )


def test_botocore_presigned_urls_pass_and_altered_ones_do_not():
    client = s3()
    part = client.generate_presigned_url(
        "upload_part",
        Params={"Bucket": "uploads", "Key": "org/iv/c 1/q1/take é.webm", "UploadId": "u~1", "PartNumber": 2, "ContentLength": 1234},
        ExpiresIn=600,
    )
    get = client.generate_presigned_url("get_object", Params={"Bucket": "media", "Key": "org/iv/c1/q1/answer.mp4"}, ExpiresIn=600)
    assert check(part, "PUT", {"Content-Length": "1234"})
    assert check(get, "GET")
    # A body of another length, another method, key, part, host or secret, or a forged signature: refused.
    assert not check(part, "PUT", {"Content-Length": "1235"})
    assert not check(get, "PUT")
    assert not check(get.replace("answer.mp4", "other.mp4"), "GET")
    assert not check(part.replace("partNumber=2", "partNumber=3"), "PUT", {"Content-Length": "1234"})
    assert not check(get, "GET", host="192.168.1.20:8000")
    assert not check(get, "GET", secret="guess")
    assert not check(get.replace("X-Amz-Signature=", "X-Amz-Signature=0"), "GET")
    assert not check(urlsplit(get)._replace(query="").geturl(), "GET")
    # Expired: after its life, refused.
    assert not check(get, "GET", at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=700))


def test_the_certificate_names_the_address_and_is_reused(tmp_path):
    cert, key = lan.certificate(tmp_path, "192.168.1.20")
    made = x509.load_pem_x509_certificate(cert.read_bytes())
    names = made.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(a) for a in names.get_values_for_type(x509.IPAddress)} == {"192.168.1.20", "127.0.0.1"}
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    # Reused while it names the address; a new address gets a new one.
    assert lan.certificate(tmp_path, "192.168.1.20")[0].read_bytes() == cert.read_bytes()
    before = cert.read_bytes()
    lan.certificate(tmp_path, "10.0.0.5")
    assert cert.read_bytes() != before


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), ("", False), ("0", False)])
def test_off_by_default(monkeypatch, value, on):
    monkeypatch.setenv("ONEWAY_LAN", value)
    assert lan.enabled() is on
