"""Every grant of Oneway's own roles names resources of a type AWS authorizes the action on.

The contract test proves that every call is allowed; this proves the other direction: no
statement grants an action on an ARN of a resource type the Service Authorization Reference
does not list for it (such a grant authorizes nothing and hides a misreading of the SAR),
and none grants ``*`` where the SAR lists resource types (a wider grant than the action needs).
"""

from __future__ import annotations

from tests.contract.iam_policy import as_list
from tests.contract.iam_sar import grant_fits

# Actions CDK adds to every role, whose grant CDK owns.
CDK_OWNED = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def _oneway_roles(stack) -> dict[str, str]:
    roles = {f.role_id: f"function {f.key}" for f in stack.functions().values()}
    for logical in stack.of_type("AWS::IAM::Role"):
        trusted = [s.get("Principal", {}).get("Service") for s in stack.trust_statements(logical)]
        if "mediaconvert.amazonaws.com" in trusted:
            roles[logical] = "the MediaConvert role"
    return roles


def test_every_granted_resource_is_of_a_type_the_sar_lists_for_the_action(template_stack):
    misfits = []
    roles = _oneway_roles(template_stack)
    assert len(roles) >= 5
    for role_id, who in roles.items():
        for statement in template_stack.permission_statements(role_id):
            if statement.get("Effect") != "Allow":
                continue
            for action in as_list(statement["Action"]):
                if action in CDK_OWNED or "*" in action:
                    continue
                for resource in as_list(statement["Resource"]):
                    why = grant_fits(action, resource)
                    if why:
                        misfits.append(f"{who}, statement {statement.get('Sid', '?')}: {why}")
    assert not misfits, "\n".join(misfits)


def test_the_fit_reads_globs_as_iam_does():
    assert grant_fits("logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:g:*") is None
    assert grant_fits("s3:GetObject", "arn:aws:s3:::bucket/org/*") is None
    assert grant_fits("mediaconvert:CreateJob", "arn:aws:mediaconvert:us-east-1:1:queues/Default") is None
    assert grant_fits("mediaconvert:CreateJob", "arn:aws:mediaconvert:us-east-1:1:jobs/*")
    assert grant_fits("s3:GetObject", "*")
    assert grant_fits("transcribe:StartTranscriptionJob", "*") is None
