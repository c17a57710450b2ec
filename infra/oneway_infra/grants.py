"""Least-privilege statements shared by the functions' roles.

Object ARNs end in ``org/*``: keys are generated per organization, interview,
candidate, question and take (functions/oneway/domain/keys.py), so no role
can name them in advance; the prefix keeps every grant inside Oneway's keys.
Each wildcard is acknowledged for cdk-nag where it is granted.
"""

from __future__ import annotations

from aws_cdk import Aws
from aws_cdk import aws_s3 as s3

from . import nag
from .constants import OBJECT_KEY_PREFIX
from .lambdas import PythonFunction

OBJECT_WILDCARD_REASON = (
    "Object keys are generated per organization/interview/candidate/question/take at run time; "
    "the grant is limited to this one bucket and to the org/ prefix that every Oneway key starts with."
)


def objects(bucket: s3.IBucket) -> str:
    return bucket.arn_for_objects(f"{OBJECT_KEY_PREFIX}*")


def grant_objects(fn: PythonFunction, sid: str, bucket: s3.IBucket, actions: list[str], why: str) -> None:
    fn.grant(sid, actions, [objects(bucket)])
    fn.acknowledge_wildcard(
        f"Resource::{nag.ref(bucket)}/{OBJECT_KEY_PREFIX}*", f"{why} {OBJECT_WILDCARD_REASON}"
    )


def grant_erase(fn: PythonFunction, sid: str, buckets: list[s3.IBucket], why: str) -> None:
    """Delete every object, every version and every unfinished upload under org/ (retention, erasure).

    Mirrors ``delete_prefix`` in functions/oneway/adapters/s3.py: list_multipart_uploads +
    abort_multipart_upload, then list_object_versions + delete_objects.
    """
    arns = [b.bucket_arn for b in buckets]
    fn.grant(
        f"{sid}ListVersions",
        ["s3:ListBucket", "s3:ListBucketVersions"],
        arns,
        conditions={"StringLike": {"s3:prefix": [f"{OBJECT_KEY_PREFIX}*"]}},
    )
    # ListBucketMultipartUploads has no s3:prefix condition key: the bucket is the limit.
    fn.grant(f"{sid}ListUploads", ["s3:ListBucketMultipartUploads"], arns)
    for i, bucket in enumerate(buckets):
        grant_objects(
            fn,
            f"{sid}Delete{i}",
            bucket,
            ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload"],
            why,
        )


def grant_head_missing(fn: PythonFunction, sid: str, bucket: s3.IBucket) -> None:
    """s3:ListBucket under org/, so that HeadObject on a missing key answers 404, not 403.

    "If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403
    Forbidden error" for a missing object: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
    S3 evaluates that ListBucket with the key as s3:prefix, so the org/ condition holds for Oneway's keys.
    """
    fn.grant(sid, ["s3:ListBucket"], [bucket.bucket_arn], conditions={"StringLike": {"s3:prefix": [f"{OBJECT_KEY_PREFIX}*"]}})


SES_IDENTITIES_REASON = (
    "SES authorizes a send against the sender's identity and, while the account is in the SES sandbox, "
    "against each recipient's verified identity too, whose names Oneway cannot know (candidates, reviewers). "
    "The grant is limited to this account and region and, by the ses:FromAddress condition, to mail whose "
    "From address is the configured sender."
)


def grant_send_email(fn: PythonFunction, sender_email: str, configuration_set_arn: str = "") -> None:
    """ses:SendEmail on the account's identities, from the configured sender only, and on the
    configuration set a send names (a send with ConfigurationSetName is authorized on it too).

    In the SES sandbox recipients must be verified identities and SES checks the caller's rights on them
    as on the sender's; a grant on the sender's identity alone refuses mail to a verified recipient.
    https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html (IAM, ses:FromAddress; sandbox note)
    https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html (the sandbox)
    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html (identity,
    configuration-set, ses:FromAddress)
    """
    identities = f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:identity/*"
    fn.grant(
        "SendEmail",
        ["ses:SendEmail", "ses:SendRawEmail"],
        [identities, *([configuration_set_arn] if configuration_set_arn else [])],
        conditions={"StringEquals": {"ses:FromAddress": sender_email}},
    )
    fn.acknowledge_wildcard("Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*", SES_IDENTITIES_REASON)


def event_bus_arn(name: str) -> str:
    return f"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:event-bus/{name}"


def grant_put_events(fn: PythonFunction, bus_name: str) -> None:
    fn.grant("PutEvents", ["events:PutEvents"], [event_bus_arn(bus_name)])
