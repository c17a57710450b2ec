"""The contract test's own parts: the SAR check, the mapping, the evaluator and the recorder."""

from __future__ import annotations

import pytest

from oneway.local import aws_calls
from tests.contract import iam_sar
from tests.contract.iam_mapping import Mapper, Request, request
from tests.contract.iam_policy import Principal, condition_holds, evaluate

M = Mapper()
ROLE = Principal(arn="arn:aws:iam::000000000000:role/fn", account="000000000000")
KEY = "org/a/interview/i/candidate/c/question/q/take/t/recording.webm"


# -- a wrong mapping fails loudly ----------------------------------------------------------------


def test_an_action_the_sar_does_not_list_fails():
    with pytest.raises(iam_sar.UnknownToSar):
        request("s3:HeadObject", M.s3("b", KEY))


def test_a_resource_type_the_sar_does_not_list_for_the_action_fails():
    with pytest.raises(iam_sar.UnknownToSar, match="no resource type"):
        request("transcribe:StartTranscriptionJob", M.regional("transcribe", "transcription-job/oneway.x"))
    with pytest.raises(iam_sar.UnknownToSar):
        request("s3:GetObject", M.s3("b"))  # a bucket is no object
    with pytest.raises(iam_sar.UnknownToSar):
        request("s3:ListBucket", M.s3("b", KEY))  # an object is no bucket


def test_a_condition_key_the_sar_does_not_list_for_the_action_fails():
    with pytest.raises(iam_sar.UnknownToSar, match="condition key"):
        request("s3:GetObject", M.s3("b", KEY), **{"s3:prefix": "org/"})


def test_operations_map_to_the_actions_aws_authorizes():
    actions = lambda service, op, params: [r.action for n in M.needs({"service": service, "operation": op, "params": params}) for r in n.alternatives]  # noqa: E731
    assert actions("s3", "UploadPart", {"Bucket": "b", "Key": KEY}) == ["s3:PutObject"]
    assert actions("s3", "HeadObject", {"Bucket": "b", "Key": KEY}) == ["s3:GetObject", "s3:ListBucket"]
    assert actions("s3", "DeleteObjects", {"Bucket": "b", "Delete": [{"Key": KEY, "VersionId": "v"}]}) == ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    assert actions("dynamodb", "TransactWriteItems", {"TransactItems": [{"op": "Put", "TableName": "t"}, {"op": "ConditionCheck", "TableName": "t"}]}) == [
        "dynamodb:PutItem",
        "dynamodb:ConditionCheckItem",
    ]
    job = {"Role": "arn:aws:iam::000000000000:role/mc"}
    assert actions("mediaconvert", "CreateJob", job) == ["mediaconvert:CreateJob", "iam:PassRole"]
    start = {"TranscriptionJobName": "j", "MediaFileUri": f"s3://up/{KEY}", "OutputBucketName": "media", "OutputKey": "org/x/transcript.json"}
    assert actions("transcribe", "StartTranscriptionJob", start) == ["transcribe:StartTranscriptionJob", "s3:GetObject", "s3:PutObject", "s3:PutObject"]
    (query,) = M.needs({"service": "dynamodb", "operation": "Query", "params": {"TableName": "t", "IndexName": "byToken"}})
    assert query.alternatives[0].resource.endswith(":table/t/index/byToken")


# -- evaluation ------------------------------------------------------------------------------------


def test_conditions():
    ctx = {"s3:prefix": ["org/a/"], "aws:SecureTransport": ["true"], "ses:Recipients": ["a@x.test", "b@y.test"]}
    assert condition_holds({"StringLike": {"s3:prefix": ["org/*"]}}, ctx)
    assert not condition_holds({"StringLike": {"s3:prefix": "other/*"}}, ctx)
    assert condition_holds({"Bool": {"aws:SecureTransport": "true"}}, ctx)
    assert not condition_holds({"Bool": {"aws:SecureTransport": "false"}}, ctx)
    assert not condition_holds({"StringEquals": {"aws:SourceAccount": "1"}}, ctx)  # a key the request lacks
    assert condition_holds({"StringEqualsIfExists": {"aws:SourceAccount": "1"}}, ctx)
    assert condition_holds({"ForAllValues:StringLike": {"ses:Recipients": ["*@x.test", "*@y.test"]}}, ctx)
    assert not condition_holds({"ForAllValues:StringLike": {"ses:Recipients": ["*@x.test"]}}, ctx)
    with pytest.raises(NotImplementedError):
        condition_holds({"NumericLessThan": {"s3:max-keys": "10"}}, ctx)


def test_an_explicit_deny_wins_and_a_missing_allow_denies():
    req = request("s3:GetObject", M.s3("b", KEY))
    allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/org/*"}
    deny_http = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    assert evaluate(ROLE, req, [allow], [deny_http]).allowed
    assert not evaluate(ROLE, req, [], [deny_http]).allowed
    deny_all = {**deny_http, "Condition": {}}
    assert not evaluate(ROLE, req, [allow], [deny_all]).allowed


def test_the_grants_before_the_fix_deny_what_the_functions_ask():
    """The statements of commit 99c7347, against the requests the contract found denied."""
    start = request("transcribe:StartTranscriptionJob", "*", **{"transcribe:OutputBucketName": "media", "transcribe:OutputKey": "org/k"})
    old_start = {"Effect": "Allow", "Action": "transcribe:StartTranscriptionJob", "Resource": "arn:aws:transcribe:us-east-1:000000000000:transcription-job/oneway.*"}
    assert not evaluate(ROLE, start, [old_start], []).allowed

    send = request("ses:SendEmail", M.regional("ses", "identity/alice@acme.test"), **{"ses:FromAddress": "interviews@example.com"})
    old_send = {"Effect": "Allow", "Action": ["ses:SendEmail", "ses:SendRawEmail"], "Resource": [M.regional("ses", "identity/interviews@example.com"), M.regional("ses", "identity/example.com")]}
    assert not evaluate(ROLE, send, [old_send], []).allowed

    mediaconvert = Principal(service="mediaconvert.amazonaws.com")  # documented to send no aws:SourceAccount
    old_trust = {"Effect": "Allow", "Principal": {"Service": "mediaconvert.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:SourceAccount": "000000000000"}}}
    assert not evaluate(mediaconvert, Request("sts:AssumeRole", "arn:aws:iam::000000000000:role/mc"), [], [old_trust]).allowed

    head_404 = request("s3:ListBucket", M.s3("up"), **{"s3:prefix": KEY})
    old_on_upload = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::up/org/*"}]
    assert not evaluate(ROLE, head_404, old_on_upload, []).allowed


# -- the recorder ------------------------------------------------------------------------------------


def test_a_call_outside_any_handler_belongs_to_no_function():
    assert aws_calls.calling_function() is None


def test_a_call_under_a_handler_frame_is_that_functions():
    path = next(p for p, name in aws_calls.FUNCTIONS.items() if name == "on_upload")
    namespace: dict = {}
    exec(compile("def lambda_handler(f):\n    return f()\n", path, "exec"), namespace)
    assert namespace["lambda_handler"](aws_calls.calling_function) == "on_upload"


def test_settings_values_are_recorded_as_placeholders():
    names = {"oneway-uploads": "${ONEWAY_UPLOADS_BUCKET}", "oneway": "${ONEWAY_TABLE_NAME}"}
    assert aws_calls._named({"Bucket": "oneway-uploads", "Key": "oneway"}, names, service="s3") == {"Bucket": "${ONEWAY_UPLOADS_BUCKET}", "Key": "oneway"}
    assert aws_calls._named({"Entries": [{"Source": "oneway"}]}, names, service="events") == {"Entries": [{"Source": "oneway"}]}
    assert aws_calls._named({"MediaFileUri": "s3://oneway-uploads/k"}, names, service="transcribe") == {"MediaFileUri": "s3://${ONEWAY_UPLOADS_BUCKET}/k"}
