"""The exact requests that the first deployment would have had denied, one per grant fixed.

Each test builds the request as iam_mapping builds it from the recorded call, with the
template's names, and evaluates it against the synthesized policies; a second request
shows that the grant stays narrow.
"""

from __future__ import annotations

import pytest

from tests.contract.iam_contract import Contract
from tests.contract.iam_mapping import Mapper, Need, Request, request
from tests.contract.iam_policy import Principal, evaluate

KEY = "org/acme/interview/i1/candidate/c1/question/q1/take/t1/recording.webm"
TRANSCRIPT = "org/acme/interview/i1/candidate/c1/question/q1/take/t1/transcript.json"


@pytest.fixture(scope="module")
def contract(template_stack) -> Contract:
    return Contract(template_stack)


def env(contract: Contract, function: str, name: str) -> str:
    return contract.functions[function].environment[name]


def allowed(contract: Contract, function: str, req: Request) -> bool:
    role = contract.functions[function].role_id
    ok, _, _ = contract.check_need(contract.role_principal(role), contract.stack.permission_statements(role), Need([req]))
    return ok


def needs_allowed(contract: Contract, function: str, call: dict) -> list[str]:
    """The needs of a recorded-shape call that its function's role denies."""
    role = contract.functions[function].role_id
    who, identity = contract.role_principal(role), contract.stack.permission_statements(role)
    return [str(n) for n in contract.call_needs({"function": function, **call}) if not contract.check_need(who, identity, n)[0]]


# -- 1. transcribe:StartTranscriptionJob has no resource type: only "*" works -----------------------


def test_on_upload_may_start_a_transcription_into_the_media_bucket(contract):
    call = {
        "service": "transcribe",
        "operation": "StartTranscriptionJob",
        "params": {
            "TranscriptionJobName": "oneway.acme.i1.c1.q1.t1.0123abcd",
            "MediaFileUri": f"s3://${{ONEWAY_UPLOADS_BUCKET}}/{KEY}",
            "OutputBucketName": "${ONEWAY_MEDIA_BUCKET}",
            "OutputKey": TRANSCRIPT,
        },
    }
    assert needs_allowed(contract, "on_upload", call) == []


def test_a_transcription_into_another_bucket_is_denied(contract):
    req = request("transcribe:StartTranscriptionJob", "*", **{"transcribe:OutputBucketName": "someone-elses-bucket", "transcribe:OutputKey": TRANSCRIPT})
    assert not allowed(contract, "on_upload", req)


def test_the_reconciler_reads_this_stacks_transcription_jobs(contract):
    mapper = Mapper(contract.stack.place)
    assert allowed(contract, "scheduled", request("transcribe:GetTranscriptionJob", mapper.regional("transcribe", "transcription-job/oneway.a.b.c.d.e.0123abcd")))
    assert not allowed(contract, "scheduled", request("transcribe:GetTranscriptionJob", mapper.regional("transcribe", "transcription-job/other.job")))


# -- 2. CloudWatch alarms publish to the alarm topic -------------------------------------------------


def test_every_alarm_of_the_stack_may_publish_to_its_action_topic(contract):
    alarms = [(who, req, why) for who, req, why in contract.deliveries() if who.service == "cloudwatch.amazonaws.com"]
    assert len(alarms) >= 20
    for who, req, why in alarms:
        assert evaluate(who, req, [], contract.stack.resource_statements(req.resource)).allowed, why


def test_an_alarm_of_another_stack_may_not_publish_to_the_topic(contract):
    _, req, _ = next(d for d in contract.deliveries() if d[0].service == "cloudwatch.amazonaws.com")
    p = contract.stack.place
    stranger = contract.service("cloudwatch.amazonaws.com", f"arn:{p.partition}:cloudwatch:{p.region}:{p.account}:alarm:someone-elses-alarm")
    assert not evaluate(stranger, req, [], contract.stack.resource_statements(req.resource)).allowed


# -- 4. MediaConvert assumes its role with the documented trust policy ---------------------------------


def test_mediaconvert_may_assume_the_role_on_upload_passes_it(contract):
    (role_id,) = [r for who, r, _ in contract.assumed_roles() if who.service == "mediaconvert.amazonaws.com"]
    who = contract.service("mediaconvert.amazonaws.com")
    req = Request("sts:AssumeRole", contract.stack.getatt(role_id, "Arn"))
    trust = [{**st, "Resource": req.resource} for st in contract.stack.trust_statements(role_id)]
    assert evaluate(who, req, [], trust).allowed
    assert all("Condition" not in st for st in contract.stack.trust_statements(role_id))


def test_only_mediaconvert_may_assume_the_mediaconvert_role(contract):
    (role_id,) = [r for who, r, _ in contract.assumed_roles() if who.service == "mediaconvert.amazonaws.com"]
    req = Request("sts:AssumeRole", contract.stack.getatt(role_id, "Arn"))
    trust = [{**st, "Resource": req.resource} for st in contract.stack.trust_statements(role_id)]
    assert not evaluate(Principal(service="ec2.amazonaws.com"), req, [], trust).allowed


# -- 5. SES authorizes the recipients' identities too, in the sandbox ----------------------------------


def test_mail_to_a_verified_recipient_of_another_domain_is_allowed(contract):
    call = {"service": "ses", "operation": "SendEmail", "params": {"Source": "${ONEWAY_MAIL_FROM}", "Recipients": ["alice@acme.test"]}}
    assert needs_allowed(contract, "deliver", call) == []


@pytest.mark.parametrize("function", ["public_api", "staff_api", "on_upload", "on_media_event", "scheduled"])
def test_only_the_deliver_function_may_send_mail_or_events(contract, function):
    """Every other function leaves its emails and events in the outbox."""
    mail = {"service": "ses", "operation": "SendEmail", "params": {"Source": "${ONEWAY_MAIL_FROM}", "Recipients": ["alice@acme.test"]}}
    event = {"service": "events", "operation": "PutEvents", "params": {"Entries": [{"EventBusName": "default", "Source": "oneway"}]}}
    assert needs_allowed(contract, function, mail) != []
    assert needs_allowed(contract, function, event) != []


def test_mail_from_another_address_is_denied(contract):
    mapper = Mapper(contract.stack.place)
    req = request("ses:SendEmail", mapper.regional("ses", "identity/acme.test"), **{"ses:FromAddress": "ceo@acme.test", "ses:Recipients": ["alice@acme.test"]})
    assert not allowed(contract, "deliver", req)


# -- 6. The API reads raw recordings: export links and a retried complete-upload ----------------------


def test_the_api_may_read_a_recording_for_the_export_and_a_retried_complete(contract):
    for call in (
        {"service": "s3", "operation": "GetObject", "params": {"Bucket": "${ONEWAY_UPLOADS_BUCKET}", "Key": KEY}, "presigned": True},
        {"service": "s3", "operation": "HeadObject", "params": {"Bucket": "${ONEWAY_UPLOADS_BUCKET}", "Key": KEY}},
    ):
        assert needs_allowed(contract, "staff_api", call) == [], call  # the export's links
    assert needs_allowed(contract, "public_api", call) == [], call  # a candidate's retried complete


# -- 7. HeadObject on a missing key answers 404 only with s3:ListBucket ---------------------------------


def test_on_upload_heads_a_missing_recording_and_gets_404(contract):
    call = {"service": "s3", "operation": "HeadObject", "params": {"Bucket": "${ONEWAY_UPLOADS_BUCKET}", "Key": KEY}}
    assert needs_allowed(contract, "on_upload", call) == []


def test_on_upload_may_not_list_outside_oneways_keys(contract):
    bucket = env(contract, "on_upload", "ONEWAY_UPLOADS_BUCKET")
    mapper = Mapper(contract.stack.place)
    assert not allowed(contract, "on_upload", request("s3:ListBucket", mapper.s3(bucket), **{"s3:prefix": ""}))
    assert not allowed(contract, "on_upload", request("s3:ListBucket", mapper.s3(bucket), **{"s3:prefix": "other/"}))
