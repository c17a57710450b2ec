"""checkov checks that do not fit Oneway, skipped on their resource with one reason each.

checkov reads ``Metadata: {"checkov": {"skip": [{"id": ..., "comment": ...}]}}`` on a
CloudFormation resource (tests/infra/test_template_checks.py runs it over the template).
A skip is for a check that costs more than it protects in a zero-ops product, or that
cannot see how Oneway meets its intent; every other finding is fixed in the construct.

The reasons shared by several resources are kept here, so that each reads the same wherever
it is given.
"""

from __future__ import annotations

from aws_cdk import CfnResource
from constructs import IConstruct

# Lambda functions.
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html (a function in a VPC reaches
# AWS APIs only through a NAT gateway or VPC endpoints)
NO_VPC = (
    "Oneway's functions reach only AWS APIs (S3, DynamoDB, SES, MediaConvert, Transcribe, EventBridge) and "
    "no private network; a VPC would need a NAT gateway or interface endpoints, which cost more each month "
    "than an idle Oneway stack, for no resource to protect."
)
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
ENVIRONMENT_NOT_SECRET = (
    "The environment holds resource names, ARNs and settings, no secret; Lambda encrypts it at rest with "
    "an AWS managed key, and a customer managed key would add a monthly fee and a key policy to keep."
)
# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (new accounts: reduced quotas)
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html (100 stay unreserved)
RESERVED_CONCURRENCY_OFF = (
    "Reserved concurrency is off by default (context reservedConcurrency): a new account's concurrency "
    "quota may be 10 and Lambda keeps 100 unreserved, so any reservation fails the first deployment. "
    "The API is bounded by its stage throttle, on_upload by its SQS event source's maximum concurrency."
)
# Logs, queues, topics, the table: encrypted at rest with AWS-owned or AWS-managed keys.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
LOGS_KMS = (
    "CloudWatch Logs encrypts every log group at rest; a customer managed KMS key per log group costs a "
    "monthly fee and a key policy, and the logs hold ids and states, not interview content."
)
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
# (the key policy of the AWS managed key for SQS cannot be changed to admit S3 or EventBridge)
QUEUE_KMS = (
    "Encrypted at rest with SQS-managed keys (SqsManagedSseEnabled). A KMS key does not fit: S3 event "
    "notifications and EventBridge dead letters cannot use the AWS managed key aws/sqs, and a customer "
    "managed key costs more per month than an idle stack. Messages hold object keys and event ids only."
)


def skip(construct: IConstruct | None, check: str, reason: str) -> None:
    """Skip checkov's ``check`` on the CloudFormation resource of ``construct`` (or the construct itself);
    ``construct`` may be a ``default_child``, which CDK types as optional."""
    if construct is None:
        raise TypeError(f"no construct to skip {check} on")
    element = construct if isinstance(construct, CfnResource) else construct.node.default_child
    if not isinstance(element, CfnResource):
        raise TypeError(f"{construct.node.path} has no CloudFormation resource")
    entries = list((element.get_metadata("checkov") or {}).get("skip", []))
    if any(e["id"] == check for e in entries):
        raise ValueError(f"{construct.node.path}: {check} is already skipped")
    element.add_metadata("checkov", {"skip": [*entries, {"id": check, "comment": reason}]})
