"""The local stack's saved state (oneway/local/aws.py): S3 bodies live in files of their own, written once,
so a snapshot every little while costs the metadata, and a restart gives every object back byte for byte."""

from __future__ import annotations

import os

import boto3
import pytest
from moto.s3 import models

from oneway.local import aws as embedded
from oneway.local import moto_patches

MiB = 2**20


@pytest.fixture
def stack_aws(aws, monkeypatch, tmp_path):
    """The embedded AWS's snapshot over this test's moto, with the local stack's S3 patches for this test only."""
    for cls, name in [(models.FakeMultipart, "complete"), (models.FakeKey, "value"), (models.S3Backend, "complete_multipart_upload"), (models.S3Backend, "put_object")]:
        monkeypatch.setattr(cls, name, cls.__dict__[name])
    moto_patches.s3_multipart_without_copies()
    moto_patches.s3_bodies_in_files()
    return embedded.EmbeddedAws("127.0.0.1", 0, tmp_path, site_origins=set())


def bodies(tmp_path) -> dict[str, float]:
    return {f.name: f.stat().st_mtime_ns for f in (tmp_path / "s3-objects").iterdir()}


def test_bodies_are_written_once_and_come_back_after_a_restart(stack_aws, tmp_path):
    s3 = boto3.client("s3", region_name="us-east-1")
    bucket = "oneway-snapshot-plain"  # unversioned: a replaced or deleted object's body goes with it
    s3.create_bucket(Bucket=bucket)
    big, small = os.urandom(12 * MiB), b"a small object"
    s3.put_object(Bucket=bucket, Key="big.webm", Body=big)
    s3.put_object(Bucket=bucket, Key="small.json", Body=small)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="joined.webm")["UploadId"]
    parts = [os.urandom(5 * MiB), os.urandom(MiB)]
    etags = [s3.upload_part(Bucket=bucket, Key="joined.webm", UploadId=uid, PartNumber=n, Body=b)["ETag"] for n, b in enumerate(parts, 1)]
    s3.complete_multipart_upload(Bucket=bucket, Key="joined.webm", UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]})
    unfinished = s3.create_multipart_upload(Bucket=bucket, Key="unfinished.webm")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="unfinished.webm", UploadId=unfinished, PartNumber=1, Body=b"part one")

    stack_aws.snapshot()
    first = bodies(tmp_path)
    assert len(first) == 4  # three objects and one part: the pickle holds none of their bytes
    assert (tmp_path / "aws.pickle").stat().st_size < MiB

    stack_aws.snapshot()
    assert bodies(tmp_path) == first  # nothing changed: nothing written again

    s3.put_object(Bucket=bucket, Key="small.json", Body=b"replaced")
    s3.delete_object(Bucket=bucket, Key="big.webm")
    stack_aws.snapshot()
    now = bodies(tmp_path)
    assert len(now) == 3 and len(set(now) - set(first)) == 1  # the old bodies are gone, the new one is kept

    s3.put_object(Bucket=bucket, Key="small.json", Body=b"changed after the snapshot")
    stack_aws._restore()  # as a restart loads it
    assert s3.get_object(Bucket=bucket, Key="small.json")["Body"].read() == b"replaced"
    assert s3.get_object(Bucket=bucket, Key="joined.webm")["Body"].read() == b"".join(parts)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="big.webm")
    listed = s3.list_parts(Bucket=bucket, Key="unfinished.webm", UploadId=unfinished)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in listed] == [(1, len(b"part one"))]

    s3.put_object(Bucket=bucket, Key="small.json", Body=b"after the restart")
    stack_aws.snapshot()  # restored objects keep their files: only the changed body is written
    after = bodies(tmp_path)
    assert len(after) == 3 and len(set(after) & set(now)) == 2
    assert all(after[name] == now[name] for name in set(after) & set(now))
