"""Buckets: uploads (raw recordings), media (renditions, posters, captions,
transcripts), site (the static web) and the access-log bucket."""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from . import checkov, nag, sizes
from .constants import PROBE_EXPIRE_DAYS, PROBE_KEY_PREFIX

ABORT_MULTIPART_AFTER = Duration.days(sizes.ABORT_MULTIPART_DAYS)
ACCESS_LOGS_EXPIRE_AFTER = Duration.days(sizes.ACCESS_LOG_DAYS)


def bucket_name(prefix: str, role: str) -> str:
    """A deterministic, account- and region-unique bucket name.

    Fixed names let the site's Content-Security-Policy and the buckets' CORS
    rules name each other's hosts without a dependency cycle in CloudFormation.
    """
    return f"{prefix}-{role}-{Aws.ACCOUNT_ID}-{Aws.REGION}"


class Storage(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, prefix: str, retention_days: int) -> None:
        super().__init__(scope, construct_id)

        self.log_bucket = self._access_log_bucket()

        # Raw recordings are deleted once they have served the pipeline (and never
        # outlive the retention period); renditions are deleted by the retention task.
        # The names as plain text (bucket.bucket_name is a Ref, i.e. a dependency).
        self.uploads_name = bucket_name(prefix, "uploads")
        self.media_name = bucket_name(prefix, "media")
        self.uploads = self._data_bucket(
            "Uploads",
            prefix,
            "uploads",
            expire_after=Duration.days(min(retention_days, sizes.RECORDING_DAYS)),
            noncurrent_days=sizes.UPLOADS_NONCURRENT_VERSION_DAYS,
            intelligent_tiering=sizes.INTELLIGENT_TIERING["uploads"],
        )
        # Renditions move to Intelligent-Tiering; recordings stay in S3 Standard (sizes.py says why).
        self.media = self._data_bucket(
            "Media",
            prefix,
            "media",
            noncurrent_days=sizes.NONCURRENT_VERSION_DAYS,
            intelligent_tiering=sizes.INTELLIGENT_TIERING["media"],
        )
        # A rule of its own: an Expiration with Days cannot also say ExpiredObjectDeleteMarker, which the
        # rule above keeps; with Days, S3 removes expired delete markers old enough by itself
        # (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html).
        # The device check's uplink probes are deleted the next day (their noncurrent versions by the rule above).
        self.uploads.add_lifecycle_rule(id="expire-uplink-probes", prefix=PROBE_KEY_PREFIX, expiration=Duration.days(PROBE_EXPIRE_DAYS))
        self.media.add_lifecycle_rule(id="expire-after-the-longest-retention", expiration=Duration.days(sizes.MEDIA_EXPIRE_DAYS))

        self.site = self._site_bucket()

    def _access_log_bucket(self) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "AccessLogs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            # CloudFront standard logs are written with an ACL granted to the log
            # delivery account: the bucket must accept ACLs (owner preferred).
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-access-logs",
                    expiration=ACCESS_LOGS_EXPIRE_AFTER,
                    abort_incomplete_multipart_upload_after=ABORT_MULTIPART_AFTER,
                )
            ],
            # Kept when the stack is deleted (docs/deploy.md). Its name is generated, so a bucket left
            # by a failed first creation blocks no retry; and it may already hold logs then.
            removal_policy=RemovalPolicy.RETAIN,
        )
        nag.acknowledge(
            bucket,
            "AwsSolutions-S1",
            "This is the access-log bucket itself; logging its own access would log recursively.",
        )
        checkov.skip(
            bucket, "CKV_AWS_18", "This is the access-log bucket itself; logging its own access would log recursively."
        )
        checkov.skip(
            bucket,
            "CKV_AWS_21",
            "Access logs are written once by S3 and CloudFront log delivery and expire after "
            f"{sizes.ACCESS_LOG_DAYS} days; no one overwrites them, so versions would only add noncurrent copies.",
        )

        return bucket

    def _site_bucket(self) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "Site",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.log_bucket,
            server_access_logs_prefix="s3/site/",
            lifecycle_rules=[
                s3.LifecycleRule(id="abort-multipart", abort_incomplete_multipart_upload_after=ABORT_MULTIPART_AFTER)
            ],
            # Generated name and filled during creation (the site's files): kept as the access logs are.
            removal_policy=RemovalPolicy.RETAIN,
        )
        checkov.skip(
            bucket,
            "CKV_AWS_21",
            "The site's files are built from the repository and replaced on every deployment (the deployment "
            "prunes old files); versions would only keep old builds, and git is where earlier ones live.",
        )
        return bucket

    def _data_bucket(
        self,
        construct_id: str,
        prefix: str,
        role: str,
        *,
        noncurrent_days: int,
        expire_after: Duration | None = None,
        intelligent_tiering: bool = False,
    ) -> s3.Bucket:
        rules = [
            s3.LifecycleRule(
                id="abort-multipart-and-expire-old-versions",
                abort_incomplete_multipart_upload_after=ABORT_MULTIPART_AFTER,
                noncurrent_version_expiration=Duration.days(noncurrent_days),
                expired_object_delete_marker=expire_after is None,
                expiration=expire_after,
            )
        ]
        if intelligent_tiering:
            # Renditions live for the retention period and are watched in their first days:
            # Intelligent-Tiering moves them to cheaper tiers when nobody watches (docs/cost.md).
            rules.append(
                s3.LifecycleRule(
                    id="intelligent-tiering",
                    transitions=[
                        s3.Transition(
                            storage_class=s3.StorageClass.INTELLIGENT_TIERING,
                            transition_after=Duration.days(sizes.INTELLIGENT_TIERING_AFTER_DAYS),
                        )
                    ],
                )
            )
        return s3.Bucket(
            self,
            construct_id,
            bucket_name=bucket_name(prefix, role),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            versioned=True,
            server_access_logs_bucket=self.log_bucket,
            server_access_logs_prefix=f"s3/{role}/",
            lifecycle_rules=rules,
            # Named buckets: kept when the stack is deleted or the bucket replaced, but removed when the
            # stack's first creation rolls back (still empty then), so that a retry does not fail with
            # "already exists". https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
            removal_policy=RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        )

    def allow_site_origin(self, site_origin: str) -> None:
        """CORS for the browser: it uploads to ``uploads`` and plays from ``media``, from the site only."""
        self.uploads.add_cors_rule(
            allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
            allowed_origins=[site_origin],
            allowed_headers=["*"],
            # The browser reads each part's ETag to complete the multipart upload.
            exposed_headers=["ETag"],
            max_age=3000,
        )
        self.media.add_cors_rule(
            allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD],
            allowed_origins=[site_origin],
            allowed_headers=["*"],
            exposed_headers=["ETag", "Content-Length", "Content-Range"],
            max_age=3000,
        )
