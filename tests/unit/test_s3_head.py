"""HeadObject of a recording: 404 is "no such object", 403 is an error (a missing s3:ListBucket or GetObject)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from oneway.adapters.s3 import S3Objects

KEY = "org/o/interview/i/candidate/c/question/q/take/t/recording.webm"


@pytest.fixture
def s3():
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    objects = S3Objects(client, uploads_bucket="uploads", media_bucket="media", presign_seconds=900, download_seconds=3600)
    with Stubber(client) as stub:
        yield objects, stub


def test_a_missing_recording_heads_as_none(s3):
    objects, stub = s3
    stub.add_client_error("head_object", service_error_code="404", http_status_code=404, expected_params={"Bucket": "uploads", "Key": KEY})
    assert objects.inspect_upload(KEY) is None


def test_a_forbidden_head_is_an_error_not_a_missing_recording(s3):
    objects, stub = s3
    stub.add_client_error("head_object", service_error_code="403", http_status_code=403, expected_params={"Bucket": "uploads", "Key": KEY})
    with pytest.raises(ClientError):
        objects.inspect_upload(KEY)
