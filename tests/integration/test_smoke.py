"""`oneway smoke` against the local stack, run as an operator runs it: the walk passes and leaves nothing;
a failing step is named with its reason, and the cleanup still runs and still leaves nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from oneway.cli import sample_answer
from tests.support.stack import ROOT, Stack, start_stack

ONEWAY = Path(sys.executable).with_name("oneway")  # the console script that `make venv` installs
STEP = re.compile(r"^  (ok|FAILED) +(\S.*?) +\(?\d+\.\d s", re.M)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("smoke")
    st = start_stack(root / "state", site_dir=root / "no-site", reconcile_every=5)
    yield st
    st.stop()


def smoke(stack: Stack | None, *args: str, aws_port: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions")}
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "ONEWAY_AWS_PORT", "ONEWAY_PORT"):
        env.pop(name, None)
    port = aws_port
    if port is None:
        assert stack is not None, "the smoke test needs a stack or an AWS port"
        port = stack.aws_endpoint.rsplit(":", 1)[1]
    where = ["--url", stack.url] if stack else []
    return subprocess.run(
        [str(ONEWAY), "smoke", "--local", *where, "--aws-port", port, *args],
        env=env, capture_output=True, text=True, timeout=300,
    )


def _erasure_marker(item: dict) -> bool:
    """An erasure leaves a marker (ids only, removed by the table's TTL) for media jobs that finish late."""
    return item["sk"]["S"] == "ERASURE" and "#ERASED#" in item["pk"]["S"] and "ttl" in item


def leftovers(stack: Stack) -> list[str]:
    """Anything of a smoke run in the embedded AWS, found the slow way (scans): users, items, objects."""
    def client(name):
        return boto3.client(name, endpoint_url=stack.aws_endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")

    idp, ddb, s3 = client("cognito-idp"), client("dynamodb"), client("s3")
    pool = stack.config()["userPoolId"]
    found = [u["Username"] for u in idp.list_users(UserPoolId=pool)["Users"]
             if any("oneway-smoke" in a["Value"] for a in u["Attributes"] if a["Name"] == "email")]
    found += [f"{i['pk']['S']} / {i['sk']['S']}" for page in ddb.get_paginator("scan").paginate(TableName="oneway")
              for i in page["Items"] if "oneway-smoke" in str(i) and not i["pk"]["S"].startswith("LIMIT#") and not _erasure_marker(i)]
    for bucket in ("oneway-uploads", "oneway-media"):
        listing = s3.list_object_versions(Bucket=bucket, Prefix="org/oneway-smoke")
        found += [f"s3://{bucket}/{v['Key']}" for v in listing.get("Versions", []) + listing.get("DeleteMarkers", [])]
        found += [f"upload s3://{bucket}/{u['Key']}" for u in s3.list_multipart_uploads(Bucket=bucket, Prefix="org/oneway-smoke").get("Uploads", [])]
    return found


def test_the_walk_passes_and_leaves_nothing(stack):
    done = smoke(stack, "--timeout", "120")

    assert done.returncode == 0, done.stdout + done.stderr
    steps = STEP.findall(done.stdout)
    assert [s for s, _ in steps] == ["ok"] * len(steps), done.stdout
    assert [name for _, name in steps] == [
        "read the site's config.json and health",
        "create a temporary admin and organization",
        "sign in (Cognito USER_PASSWORD_AUTH)",
        "create an interview (one video question, rubric of two)",
        "invite a candidate (no email)",
        "open the session as the candidate",
        "consent",
        "start a take",
        "upload the sample answer by presigned parts",
        "submit the interview",
        "wait until the answer is ready (transcript, captions)",
        "fetch the video, poster and captions",
        "find the candidate by a word of the transcript",
        "score the rubric",
        "decide",
        "erase the candidate",
        "check nothing of the candidate is left",
        "remove the temporary organization and admin",
        "check the temporary organization is gone",
    ]
    assert re.search(r"^PASS: the contract walk and its cleanup took \d+\.\d s \(19 steps\); nothing is left$", done.stdout, re.M)
    assert leftovers(stack) == []
    # The demo recruiter and the demo organization are untouched.
    stack.sign_in()


@pytest.mark.parametrize(
    ("sample", "steps", "reason"),
    [
        # Not a video: the upload is accepted, then set aside by on_upload, which may come before or after the
        # candidate submits; either way the answer never gets ready, and the reason says why.
        ("noise.webm", ("submit the interview", "wait until the answer is ready (transcript, captions)"), "Oneway set the upload aside"),
        # A type the API refuses: the step names the request, the status and the error's code and message.
        ("notes.txt", ("upload the sample answer by presigned parts",), "POST /api/c/questions/q1/takes/"),
    ],
)
def test_a_failing_step_is_named_with_its_reason_and_the_cleanup_still_runs(stack, tmp_path, sample, steps, reason):
    path = tmp_path / sample
    path.write_bytes(os.urandom(200_000))

    done = smoke(stack, "--timeout", "60", "--sample", str(path))

    assert done.returncode == 1, done.stdout + done.stderr
    walk, cleanup = done.stdout.split("\ncleanup\n", 1)
    outcomes = STEP.findall(walk)
    assert [s for s, _ in outcomes[:-1]] == ["ok"] * (len(outcomes) - 1) and outcomes[-1][0] == "FAILED", walk
    step = outcomes[-1][1]  # nothing runs after the failed step...
    assert step in steps and reason in walk, walk
    if sample == "notes.txt":
        assert re.search(r"/upload answered (400|415|422) \w+: ", walk), walk
    assert [s for s, _ in STEP.findall(cleanup)] == ["ok", "ok"], cleanup  # ...but the cleanup does
    verdict = done.stdout.rstrip().splitlines()[-1]
    assert verdict.startswith(f"FAIL: {step}: ") and reason in verdict
    assert leftovers(stack) == []


def test_no_stack_is_a_usage_error(tmp_path):
    from tests.support.stack import free_port

    done = smoke(None, aws_port=str(free_port()))
    assert done.returncode == 2
    assert "nothing answers at http://127.0.0.1:" in done.stderr and "make dev" in done.stderr


def test_the_sample_answer_is_small_speech_in_chromiums_format():
    import av

    assert sample_answer.PATH.stat().st_size < 2**20
    with av.open(str(sample_answer.PATH)) as media:
        assert media.format.name.startswith("matroska,webm")
        assert {s.type: s.codec_context.name for s in media.streams} == {"video": "vp9", "audio": "opus"}
        assert media.duration is None  # as MediaRecorder writes it: no duration in the header


def test_a_deployed_stack_is_found_from_its_outputs(monkeypatch):
    import json

    from moto import mock_aws

    from oneway.cli import admin
    from oneway.cli import smoke as smoke_cli

    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(k, v)
    for k in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION"):
        monkeypatch.delenv(k, raising=False)
    outputs = {
        "SiteUrl": "https://d111.cloudfront.net", "UserPoolId": "eu-west-1_abc", "TableName": "oneway-Table-1",
        "UploadsBucketName": "oneway-uploads-123", "MediaBucketName": "oneway-media-123", "RetentionDays": "90",
    }

    def template(keys):
        return json.dumps({"Resources": {"Alarms": {"Type": "AWS::SNS::Topic"}},
                           "Outputs": {k: {"Value": outputs[k]} for k in keys}})

    with mock_aws():
        cfn = boto3.client("cloudformation", region_name="eu-west-1")
        cfn.create_stack(StackName="oneway", TemplateBody=template(outputs))
        cfn.create_stack(StackName="old", TemplateBody=template(["UserPoolId", "TableName"]))

        found = smoke_cli.target(False, stack="oneway", region=None, url=None, aws_port=None)
        assert (found.site_url, found.user_pool_id, found.table_name, found.uploads_bucket, found.media_bucket, found.region) == (
            "https://d111.cloudfront.net", "eu-west-1_abc", "oneway-Table-1", "oneway-uploads-123", "oneway-media-123", "eu-west-1"
        )
        assert not found.local
        with pytest.raises(admin.AdminError, match="no output SiteUrl, UploadsBucketName, MediaBucketName"):
            smoke_cli.target(False, stack="old", region=None, url=None, aws_port=None)
        with pytest.raises(admin.AdminError, match="no CloudFormation stack 'gone'"):
            smoke_cli.target(False, stack="gone", region="eu-west-1", url=None, aws_port=None)
