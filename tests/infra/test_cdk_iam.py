"""One least-privilege role per function; no AWS-managed policies; wildcards only where named."""

from __future__ import annotations

import json

import pytest

from tests.infra.infra_support import as_list, getatt, logical_id, of_type, props, statements

BASIC_EXECUTION = "service-role/AWSLambdaBasicExecutionRole"


def _roles(stack):
    p = stack.pipeline
    return {
        "public_api": stack.api.public.role,
        "staff_api": stack.api.staff.role,
        "on_upload": p.on_upload.role,
        "on_media_event": p.on_media_event.role,
        "scheduled": p.scheduled.role,
        "deliver": stack.delivery.function.role,
    }


def _actions(sts):
    return {a for st in sts for a in as_list(st["Action"])}


def _grants(sts, action):
    """Resources of the statements that allow ``action``."""
    return [r for st in sts if action in as_list(st["Action"]) for r in as_list(st["Resource"])]


def _objects(stack, bucket):
    return {"Fn::Join": ["", [getatt(stack, bucket), "/org/*"]]}


def test_each_function_has_its_own_role(resources, stack):
    roles = {logical_id(stack, r) for r in _roles(stack).values()}
    assert len(roles) == 6
    for role_id in roles:
        trust = props(resources[role_id])["AssumeRolePolicyDocument"]["Statement"]
        assert trust == [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]


def test_no_aws_managed_policy_except_basic_execution(resources):
    for role_id, role in of_type(resources, "AWS::IAM::Role").items():
        for arn in props(role).get("ManagedPolicyArns", []):
            assert BASIC_EXECUTION in json.dumps(arn), f"{role_id} has managed policy {arn}"


def test_oneway_function_roles_have_no_managed_policy_at_all(resources, stack):
    for name, role in _roles(stack).items():
        assert "ManagedPolicyArns" not in props(resources[logical_id(stack, role)]), name


def test_no_service_wide_action_and_no_scan(resources):
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        for st in props(policy)["PolicyDocument"]["Statement"]:
            for action in as_list(st["Action"]):
                assert action != "*" and not action.endswith(":*"), action
                assert action != "dynamodb:Scan"


@pytest.mark.parametrize("name", ["public_api", "staff_api", "on_upload", "on_media_event", "scheduled", "deliver"])
def test_every_function_reads_and_writes_the_table_and_its_indexes_by_name(resources, stack, name):
    sts = statements(resources, logical_id(stack, _roles(stack)[name]))
    table = getatt(stack, stack.data.table)
    resources_ = _grants(sts, "dynamodb:PutItem")
    assert table in resources_
    for index in ("byToken", "byOwner", "byDue"):
        assert {"Fn::Join": ["", [table, f"/index/{index}"]]} in resources_
    assert {"dynamodb:GetItem", "dynamodb:Query"} <= _actions(sts)
    # Only what each one does (the IAM contract test records it): the public function and the deliver function delete nothing.
    writes = {"public_api": {"dynamodb:PutItem", "dynamodb:UpdateItem"}, "deliver": {"dynamodb:PutItem"}}
    expected = writes.get(name, {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"})
    assert {a for a in _actions(sts) if a.startswith("dynamodb:") and a.endswith(("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"))} == expected, name


def test_the_staff_api_presigns_uploads_reads_media_erases_and_manages_accounts(resources, stack):
    sts = statements(resources, logical_id(stack, _roles(stack)["staff_api"]))
    uploads, media = stack.storage.uploads, stack.storage.media
    assert _grants(sts, "s3:ListMultipartUploadParts") == [_objects(stack, uploads)]
    # Question videos by presigned URL; in media, only the copies of a duplicated interview's question videos.
    assert sorted(map(json.dumps, _grants(sts, "s3:PutObject"))) == sorted(map(json.dumps, [_objects(stack, uploads), _objects(stack, media)]))
    assert _objects(stack, uploads) in _grants(sts, "s3:AbortMultipartUpload")
    # Renditions by presigned URL; raw recordings for the privacy export's links and a retried complete's head.
    assert sorted(map(json.dumps, _grants(sts, "s3:GetObject"))) == sorted(map(json.dumps, [_objects(stack, media), _objects(stack, uploads)]))
    # DELETE /api/candidates/{id}: erasure of every version in both buckets.
    assert len(_grants(sts, "s3:DeleteObjectVersion")) == 2
    assert {"cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser", "dynamodb:Query"} <= _actions(sts)
    assert not {"mediaconvert:CreateJob", "iam:PassRole", "transcribe:StartTranscriptionJob"} & _actions(sts)


def test_the_public_api_holds_what_candidates_and_share_links_use_and_nothing_of_the_staff(resources, stack):
    """Unauthenticated routes (a bearer token checked in code) run with no right to erase, to copy media, to
    manage accounts, to read the audit log, to ask for or stop media jobs."""
    sts = statements(resources, logical_id(stack, _roles(stack)["public_api"]))
    uploads, media = stack.storage.uploads, stack.storage.media
    # A candidate's presigned upload, and the device check's uplink probe (under probe/, outside the recordings).
    probes = {"Fn::Join": ["", [getatt(stack, uploads), "/probe/*"]]}
    assert sorted(map(json.dumps, _grants(sts, "s3:PutObject"))) == sorted(map(json.dumps, [_objects(stack, uploads), probes]))
    assert _grants(sts, "s3:ListMultipartUploadParts") == [_objects(stack, uploads)]
    assert sorted(map(json.dumps, _grants(sts, "s3:GetObject"))) == sorted(map(json.dumps, [_objects(stack, media), _objects(stack, uploads)]))
    actions = _actions(sts)
    assert not {a for a in actions if a.startswith(("cognito-idp:", "mediaconvert:", "transcribe:", "sqs:", "ses:", "events:"))}
    assert not {"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions", "iam:PassRole"} & actions
    # A retried complete-upload heads a recording that may be missing: ListBucket under org/ only (404, not 403).
    (listing,) = [st for st in sts if "s3:ListBucket" in as_list(st["Action"])]
    assert listing["Resource"] == getatt(stack, uploads) and listing["Condition"] == {"StringLike": {"s3:prefix": ["org/*"]}}
    audit = getatt(stack, stack.data.audit)
    assert audit in _grants(sts, "dynamodb:PutItem") and audit not in _grants(sts, "dynamodb:Query")  # adds entries, never reads the log
    fn = props(resources[logical_id(stack, stack.api.public.function)])
    assert "ONEWAY_USER_POOL_ID" not in fn["Environment"]["Variables"]


@pytest.mark.parametrize("name", ["public_api", "staff_api", "on_upload", "on_media_event", "scheduled"])
def test_only_the_deliver_function_sends_email_and_events(resources, stack, name):
    """Every other function writes its side effects to the outbox; none holds SendEmail or PutEvents."""
    sts = statements(resources, logical_id(stack, _roles(stack)[name]))
    assert not {"ses:SendEmail", "ses:SendRawEmail", "events:PutEvents"} & _actions(sts), name


def test_the_deliver_function_sends_mail_and_events_and_reads_the_stream(resources, stack):
    sts = statements(resources, logical_id(stack, _roles(stack)["deliver"]))
    assert "event-bus/default" in json.dumps(_grants(sts, "events:PutEvents"))
    # The account's identities (SES's sandbox authorizes each recipient's), from the configured sender only.
    (send,) = [st for st in sts if "ses:SendEmail" in as_list(st["Action"])]
    assert "identity/*" in json.dumps(send["Resource"])
    assert send["Condition"] == {"StringEquals": {"ses:FromAddress": "interviews@example.com"}}
    stream = getatt(stack, stack.data.table, "StreamArn")
    for action in ("dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"):
        assert stream in _grants(sts, action), action
    assert getatt(stack, stack.delivery.dead_letters) in _grants(sts, "sqs:SendMessage")
    actions = _actions(sts)
    assert not {a for a in actions if a.startswith(("s3:", "cognito-idp:", "mediaconvert:", "transcribe:", "iam:"))}
    assert json.dumps(getatt(stack, stack.data.audit)) not in json.dumps(sts)  # it audits nothing


def test_on_upload_starts_jobs_and_passes_only_the_mediaconvert_role(resources, stack):
    sts = statements(resources, logical_id(stack, _roles(stack)["on_upload"]))
    assert _grants(sts, "s3:GetObject") == [_objects(stack, stack.storage.uploads)]
    assert _grants(sts, "s3:PutObject") == [_objects(stack, stack.storage.media)]
    assert _grants(sts, "iam:PassRole") == [getatt(stack, stack.mediaconvert.role)]
    (pass_role,) = [st for st in sts if "iam:PassRole" in as_list(st["Action"])]
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "mediaconvert.amazonaws.com"}}
    assert [json.dumps(r) for r in _grants(sts, "mediaconvert:CreateJob")] == [
        json.dumps({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":mediaconvert:", {"Ref": "AWS::Region"}, ":",
                                      {"Ref": "AWS::AccountId"}, f":{resource}"]]})
        for resource in ("queues/Default",)  # the on-demand queue; no presets or templates
    ]
    # No resource type for StartTranscriptionJob: "*", limited to output in the media bucket under org/.
    (start,) = [st for st in sts if "transcribe:StartTranscriptionJob" in as_list(st["Action"])]
    assert start["Resource"] == "*"
    assert start["Condition"] == {
        "StringEquals": {"transcribe:OutputBucketName": {"Ref": logical_id(stack, stack.storage.media)}},
        "StringLike": {"transcribe:OutputKey": "org/*"},
    }
    # HeadObject of a recording erased in the meantime answers 404 only with ListBucket (under org/).
    listing = [st for st in sts if ("s3:ListBucket" in as_list(st["Action"]) and st.get("Sid", "").startswith("InspectRecording"))
               or ("s3:ListBucket" in as_list(st["Action"]) and "s3:ListBucketVersions" not in as_list(st["Action"]))]
    assert listing and all(st["Condition"] == {"StringLike": {"s3:prefix": ["org/*"]}} for st in listing)
    # A refused recording is deleted (every version), in the uploads bucket only.
    assert _grants(sts, "s3:DeleteObjectVersion") == [_objects(stack, stack.storage.uploads)]
    assert not {"mediaconvert:CancelJob", "transcribe:DeleteTranscriptionJob"} & _actions(sts)


def test_on_media_event_reads_media(resources, stack):
    sts = statements(resources, logical_id(stack, _roles(stack)["on_media_event"]))
    assert _grants(sts, "s3:GetObject") == [_objects(stack, stack.storage.media)]
    # A job result for an erased candidate deletes the take's outputs and its finished transcription.
    assert sorted(map(json.dumps, _grants(sts, "s3:DeleteObjectVersion"))) == sorted(
        map(json.dumps, [_objects(stack, stack.storage.uploads), _objects(stack, stack.storage.media)])
    )
    assert "transcription-job/oneway.*" in json.dumps(_grants(sts, "transcribe:DeleteTranscriptionJob"))
    assert not {"s3:PutObject", "mediaconvert:CreateJob", "mediaconvert:CancelJob", "iam:PassRole"} & _actions(sts)


def test_erasure_may_stop_media_jobs_but_never_start_one(resources, stack):
    """The staff API (erasure on request) and the scheduled function (retention, sweeps) cancel a transcode
    and delete this stack's transcriptions; neither starts a job."""
    for name in ("staff_api", "scheduled"):
        sts = statements(resources, logical_id(stack, _roles(stack)[name]))
        assert "jobs/*" in json.dumps(_grants(sts, "mediaconvert:CancelJob")), name
        for action in ("transcribe:DeleteTranscriptionJob", "transcribe:GetTranscriptionJob"):
            assert "transcription-job/oneway.*" in json.dumps(_grants(sts, action)), (name, action)
        assert not {"mediaconvert:CreateJob", "transcribe:StartTranscriptionJob", "iam:PassRole"} & _actions(sts), name


def test_scheduled_reconciles_and_deletes_for_retention(resources, stack):
    sts = statements(resources, logical_id(stack, _roles(stack)["scheduled"]))
    assert "mediaconvert:GetJob" in _actions(sts)
    assert "transcription-job/oneway.*" in json.dumps(_grants(sts, "transcribe:GetTranscriptionJob"))
    uploads, media = stack.storage.uploads, stack.storage.media
    for action in ("s3:DeleteObject", "s3:DeleteObjectVersion"):
        assert sorted(map(json.dumps, _grants(sts, action))) == sorted(
            map(json.dumps, [_objects(stack, uploads), _objects(stack, media)])
        )
    listing = [st for st in sts if "s3:ListBucketVersions" in as_list(st["Action"])]
    assert listing and listing[0]["Condition"] == {"StringLike": {"s3:prefix": ["org/*"]}}
    assert not {"mediaconvert:CreateJob", "iam:PassRole", "s3:PutObject"} & _actions(sts)


def test_mediaconvert_role_reads_uploads_and_writes_media_only(resources, stack):
    role_id = logical_id(stack, stack.mediaconvert.role)
    # MediaConvert's documented trust policy: the service principal and no condition.
    (trust,) = props(resources[role_id])["AssumeRolePolicyDocument"]["Statement"]
    assert trust == {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "mediaconvert.amazonaws.com"}}
    sts = statements(resources, role_id)
    assert _actions(sts) == {"s3:GetObject", "s3:PutObject"}
    assert _grants(sts, "s3:GetObject") == [_objects(stack, stack.storage.uploads)]
    assert _grants(sts, "s3:PutObject") == [_objects(stack, stack.storage.media)]


def test_star_resources_are_only_actions_without_resource_types(resources, stack):
    for name, role in _roles(stack).items():
        for st in statements(resources, logical_id(stack, role)):
            if "*" in as_list(st["Resource"]):
                if as_list(st["Action"]) == ["transcribe:StartTranscriptionJob"]:
                    assert "transcribe:OutputBucketName" in st["Condition"]["StringEquals"], (name, st)
                    continue
                assert set(as_list(st["Action"])) <= {
                    "xray:PutTraceSegments", "xray:PutTelemetryRecords", "mediaconvert:DescribeEndpoints",
                    "dynamodb:ListStreams",  # the stream's event source mapping (deliver); no resource type in the SAR
                }, (name, st)


@pytest.mark.parametrize("name", ["staff_api", "scheduled"])
def test_a_retry_asks_on_upload_for_its_jobs_on_the_uploads_queue_and_starts_none_itself(resources, stack, name):
    sts = statements(resources, logical_id(stack, _roles(stack)[name]))
    assert getatt(stack, stack.pipeline.upload_queue) in _grants(sts, "sqs:SendMessage")
    assert not {"mediaconvert:CreateJob", "iam:PassRole", "transcribe:StartTranscriptionJob"} & _actions(sts)
    fn = next(r for r in resources.values() if r["Type"] == "AWS::Lambda::Function" and r["Properties"]["Role"] == getatt(stack, _roles(stack)[name]))
    assert fn["Properties"]["Environment"]["Variables"]["ONEWAY_UPLOADS_QUEUE_URL"] == {"Ref": logical_id(stack, stack.pipeline.upload_queue)}
