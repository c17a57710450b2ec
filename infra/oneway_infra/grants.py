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


def ses_identity_arns(sender_email: str) -> list[str]:
    """The sender address and its domain: SES authorizes whichever identity is verified."""
    domain = sender_email.rsplit("@", 1)[-1]
    return [
        f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:identity/{identity}"
        for identity in dict.fromkeys([sender_email, domain])
    ]


def grant_send_email(fn: PythonFunction, sender_email: str, configuration_set_arn: str = "") -> None:
    # A send with ConfigurationSetName is authorized on the configuration set as well as the identity.
    # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html
    resources = ses_identity_arns(sender_email) + ([configuration_set_arn] if configuration_set_arn else [])
    fn.grant("SendEmail", ["ses:SendEmail", "ses:SendRawEmail"], resources)


def event_bus_arn(name: str) -> str:
    return f"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:event-bus/{name}"


def grant_put_events(fn: PythonFunction, bus_name: str) -> None:
    fn.grant("PutEvents", ["events:PutEvents"], [event_bus_arn(bus_name)])
