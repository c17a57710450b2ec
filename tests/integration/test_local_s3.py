"""The local stack's S3 (oneway/local/moto_patches.py): a completed multipart upload is the same
object as moto makes it (bytes, ETag, checksum, errors), announced once, as S3 announces it."""

from __future__ import annotations

import json
import os
import pickle

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.s3 import models

from oneway.config import settings
from oneway.local import moto_patches

MiB = 2**20
PARTS = [os.urandom(5 * MiB), os.urandom(6 * MiB), os.urandom(MiB)]


@pytest.fixture
def s3(aws):
    return boto3.client("s3", region_name="us-east-1")


@pytest.fixture
def lean(monkeypatch):
    """Install the local stack's multipart handling for this test only."""
    for cls, name in [(models.FakeMultipart, "complete"), (models.FakeKey, "value"), (models.S3Backend, "complete_multipart_upload"), (models.S3Backend, "put_object")]:
        monkeypatch.setattr(cls, name, cls.__dict__[name])
    moto_patches.s3_multipart_without_copies()


def upload(s3, key: str, parts: list[bytes], etags: list[str] | None = None) -> dict:
    bucket = settings().uploads_bucket
    uid = s3.create_multipart_upload(Bucket=bucket, Key=key, ContentType="video/webm")["UploadId"]
    sent = [s3.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=n, Body=body)["ETag"] for n, body in enumerate(parts, 1)]
    listed = [{"PartNumber": n, "ETag": etag} for n, etag in enumerate(etags or sent, 1)]
    s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=uid, MultipartUpload={"Parts": listed})
    stored = models.s3_backends["123456789012"]["aws"].get_object(bucket, key)
    assert stored is not None
    assert pickle.loads(pickle.dumps(stored)).value == b"".join(parts)  # as the local stack's snapshot keeps it
    return {"ETag": s3.head_object(Bucket=bucket, Key=key)["ETag"], "checksum": (stored.checksum_type, stored.checksum_value, stored.checksum_parts)}


def announced(aws, key: str) -> list[str]:
    sqs = boto3.client("sqs", region_name="us-east-1")
    names = []
    while batch := sqs.receive_message(QueueUrl=aws.uploads_queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in batch:
            names += [r["eventName"] for r in json.loads(message["Body"]).get("Records", []) if r["s3"]["object"]["key"] == key]
            sqs.delete_message(QueueUrl=aws.uploads_queue_url, ReceiptHandle=message["ReceiptHandle"])
    return names


def test_the_object_is_the_one_moto_makes_and_is_announced_once(aws, s3, request):
    moto_made = upload(s3, "plain.webm", PARTS)
    request.getfixturevalue("lean")
    ours = upload(s3, "lean.webm", PARTS)
    stored = s3.get_object(Bucket=settings().uploads_bucket, Key="lean.webm")["Body"].read()
    assert stored == b"".join(PARTS)
    assert ours["ETag"] == moto_made["ETag"] and ours["ETag"].endswith('-3"')
    assert ours["checksum"] == moto_made["checksum"] and ours["checksum"][1]
    assert announced(aws, "lean.webm") == ["ObjectCreated:CompleteMultipartUpload"]


def test_parts_that_do_not_fit_are_refused_as_moto_refuses_them(aws, s3, lean):
    with pytest.raises(ClientError, match="InvalidPart"):
        upload(s3, "wrong-etag.webm", PARTS, etags=['"0123456789abcdef0123456789abcdef"'] * 3)
    with pytest.raises(ClientError, match="EntityTooSmall"):
        upload(s3, "small-part.webm", [os.urandom(MiB), os.urandom(MiB)])


def test_a_joined_object_reads_through_its_parts_until_replaced(aws, s3, lean):
    """The object takes over its parts' buffers: ranges across a part's edge, copies, versions and a
    new body all read as from one file."""
    bucket, whole = settings().uploads_bucket, b"".join(PARTS)
    upload(s3, "joined.webm", PARTS)
    first_version = s3.head_object(Bucket=bucket, Key="joined.webm").get("VersionId")
    edge = len(PARTS[0])
    for first, last in [(0, 63), (edge - 10, edge + 10), (edge, edge), (len(whole) - 5, len(whole) - 1)]:
        got = s3.get_object(Bucket=bucket, Key="joined.webm", Range=f"bytes={first}-{last}")["Body"].read()
        assert got == whole[first : last + 1]
    s3.copy_object(Bucket=bucket, Key="copy.webm", CopySource={"Bucket": bucket, "Key": "joined.webm"})
    assert s3.get_object(Bucket=bucket, Key="copy.webm")["Body"].read() == whole
    s3.put_object(Bucket=bucket, Key="joined.webm", Body=b"a new body")
    assert s3.get_object(Bucket=bucket, Key="joined.webm")["Body"].read() == b"a new body"
    assert first_version  # the uploads bucket keeps versions: the joined body is still there
    assert s3.get_object(Bucket=bucket, Key="joined.webm", VersionId=first_version)["Body"].read() == whole
