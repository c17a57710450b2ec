"""What a first deployment into a new account needs from the template.

- A failed first creation rolls back cleanly and can be retried: no resource with a fixed name is
  kept by the rollback (DeletionPolicy RetainExceptOnCreate, or Delete).
- Reserved concurrency is off by default (tests/infra/test_cdk_pipeline.py).
- A certificate CloudFront would refuse is refused at synth, with the reason.
- Mail is sent with an SES configuration set that records bounces and complaints, and the
  functions may send with it.
"""

from __future__ import annotations

import json

import pytest

from tests.infra.infra_support import build_test_app, getatt, logical_id, of_type, props, statements

# The property that fixes a resource's physical name, for the types of the template that have one.
NAME_PROPERTY = {
    "AWS::S3::Bucket": "BucketName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Cognito::UserPool": "UserPoolName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::IAM::Role": "RoleName",
    "AWS::Events::Rule": "Name",
    "AWS::CloudWatch::Dashboard": "DashboardName",
    "AWS::SES::ConfigurationSet": "Name",
}


def test_no_named_resource_survives_a_rolled_back_first_creation(resources):
    """A named resource kept by the rollback of a failed first creation makes every retry fail with
    "already exists" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html)."""
    named = {lid: r for lid, r in resources.items() if NAME_PROPERTY.get(r["Type"]) in props(r)}
    assert len(named) >= 4  # the uploads and media buckets, the dashboard, the configuration set
    kept = [lid for lid, r in named.items() if r.get("DeletionPolicy") == "Retain"]
    assert kept == []


def test_data_is_kept_when_the_stack_is_deleted(resources, stack):
    expected = {
        stack.storage.uploads: "RetainExceptOnCreate",
        stack.storage.media: "RetainExceptOnCreate",
        stack.storage.site: "Retain",
        stack.storage.log_bucket: "Retain",
        # Deletion protection would refuse a rollback's delete; their generated names block no retry.
        stack.data.table: "Retain",
        stack.auth.user_pool: "Retain",
    }
    for construct, policy in expected.items():
        r = resources[logical_id(stack, construct)]
        assert (r["DeletionPolicy"], r["UpdateReplacePolicy"]) == (policy, "Retain"), construct.node.path
    for fn in (*stack.pipeline.functions, *stack.api.functions.values(), stack.delivery.function):
        r = resources[logical_id(stack, fn.log_group)]
        assert (r["DeletionPolicy"], r["UpdateReplacePolicy"]) == ("RetainExceptOnCreate", "Retain"), fn.node.path
    assert resources[logical_id(stack, stack.api.access_logs)]["DeletionPolicy"] == "RetainExceptOnCreate"


# --- the certificate ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        ("arn:aws:acm:eu-west-1:000000000000:certificate/00000000-0000-0000-0000-000000000000", "is in eu-west-1"),
        ("arn:aws:iam::000000000000:server-certificate/oneway", "not an ACM certificate ARN"),
    ],
)
def test_a_certificate_cloudfront_cannot_use_is_refused_at_synth(arn, message):
    with pytest.raises(ValueError, match=message) as err:
        build_test_app(domainName="interviews.example.com", certificateArn=arn)
    assert "us-east-1" in str(err.value)


def test_a_certificate_in_us_east_1_is_accepted_whatever_the_stacks_region():
    """Only the certificate's region is fixed (test_cdk_site.py synthesizes a stack with one)."""
    from oneway_infra.site import check_certificate_arn

    check_certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000")


# --- mail: the SES configuration set ----------------------------------------------------------------


def test_mail_goes_through_a_configuration_set_that_requires_tls(resources, stack):
    (config_set,) = of_type(resources, "AWS::SES::ConfigurationSet").values()
    p = props(config_set)
    assert p["Name"] == "oneway-mail"
    assert p["DeliveryOptions"] == {"TlsPolicy": "REQUIRE"}  # an invitation link is the candidate's key
    assert p["ReputationOptions"] == {"ReputationMetricsEnabled": True}


def test_bounces_and_complaints_go_to_eventbridge_and_on_to_the_alarm_topic(resources, stack):
    config_set = {"Ref": logical_id(stack, stack.mail.configuration_set)}
    (destination,) = of_type(resources, "AWS::SES::ConfigurationSetEventDestination").values()
    d = props(destination)
    assert d["ConfigurationSetName"] == config_set
    assert sorted(d["EventDestination"]["MatchingEventTypes"]) == ["bounce", "complaint"]
    assert d["EventDestination"]["EventBridgeDestination"]["EventBusArn"].endswith(":event-bus/default")
    rule = props(resources[logical_id(stack, stack.mail.bounces)])
    assert rule["EventPattern"] == {
        "source": ["aws.ses"],
        "detail-type": ["Email Bounced", "Email Complaint Received"],
        "detail": {"mail": {"tags": {"ses:configuration-set": [config_set]}}},
    }
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Ref": logical_id(stack, stack.observability.topic)}
    assert target["DeadLetterConfig"] == {"Arn": getatt(stack, stack.pipeline.event_dlq)}


def test_the_function_that_sends_mail_may_send_with_the_configuration_set(resources, stack):
    """ses:SendEmail with ConfigurationSetName is authorized on the configuration set too
    (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html). The deliver
    function alone sends mail (the outbox)."""
    fn = stack.delivery.function
    sts = [st for st in statements(resources, logical_id(stack, fn.role)) if "ses:SendEmail" in st["Action"]]
    (st,) = sts
    resources_ = json.dumps(st["Resource"])
    assert "configuration-set/" in resources_ and json.dumps({"Ref": logical_id(stack, stack.mail.configuration_set)}) in resources_
    assert "identity/*" in resources_  # any verified identity, from the configured sender only
    assert st["Condition"] == {"StringEquals": {"ses:FromAddress": "interviews@example.com"}}
