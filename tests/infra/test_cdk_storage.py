"""Buckets: private, encrypted, TLS only, versioned where data lives, lifecycle, CORS."""

from __future__ import annotations

from oneway_infra import sizes
from tests.infra.infra_support import build_test_app, getatt, logical_id, of_type, props


def _bucket(resources, stack, bucket):
    return resources[logical_id(stack, bucket)]


def _all_buckets(stack):
    s = stack.storage
    return {"uploads": s.uploads, "media": s.media, "site": s.site, "logs": s.log_bucket}


def test_four_buckets(resources):
    assert len(of_type(resources, "AWS::S3::Bucket")) == 4


def test_every_bucket_blocks_public_access_encrypts_and_is_retained(resources, stack):
    for name, bucket in _all_buckets(stack).items():
        r = _bucket(resources, stack, bucket)
        p = props(r)
        assert p["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        sse = p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
        assert sse["SSEAlgorithm"] in ("AES256", "aws:kms"), name
        # Named buckets are removed only when the stack's first creation rolls back (still empty then);
        # the site and log buckets have generated names and may hold files by then: always kept.
        named = name in ("uploads", "media")
        assert r["DeletionPolicy"] == ("RetainExceptOnCreate" if named else "Retain"), name
        assert r["UpdateReplacePolicy"] == "Retain", name


def test_every_bucket_denies_requests_without_tls(resources, stack):
    policies = of_type(resources, "AWS::S3::BucketPolicy").values()
    for name, bucket in _all_buckets(stack).items():
        ref = {"Ref": logical_id(stack, bucket)}
        docs = [props(p)["PolicyDocument"] for p in policies if props(p)["Bucket"] == ref]
        denies = [
            st
            for d in docs
            for st in d["Statement"]
            if st["Effect"] == "Deny" and st.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        ]
        assert denies, f"{name} bucket has no TLS-only policy"
        assert denies[0]["Action"] == "s3:*" and denies[0]["Principal"] == {"AWS": "*"}


def test_every_bucket_aborts_incomplete_multipart_uploads_after_a_day(resources, stack):
    for name, bucket in _all_buckets(stack).items():
        rules = props(_bucket(resources, stack, bucket))["LifecycleConfiguration"]["Rules"]
        assert any(r.get("AbortIncompleteMultipartUpload") == {"DaysAfterInitiation": 1} for r in rules), name


def _noncurrent_days(resources, stack, bucket):
    rules = props(_bucket(resources, stack, bucket))["LifecycleConfiguration"]["Rules"]
    (days,) = [r["NoncurrentVersionExpiration"]["NoncurrentDays"] for r in rules if "NoncurrentVersionExpiration" in r]
    return days


def test_uploads_and_media_are_versioned_and_expire_old_versions(resources, stack):
    for bucket in (stack.storage.uploads, stack.storage.media):
        p = props(_bucket(resources, stack, bucket))
        assert p["VersioningConfiguration"] == {"Status": "Enabled"}
    # A deleted or overwritten rendition stays recoverable for a month; an expired recording for a day.
    assert _noncurrent_days(resources, stack, stack.storage.media) == sizes.NONCURRENT_VERSION_DAYS == 30
    assert _noncurrent_days(resources, stack, stack.storage.uploads) == sizes.UPLOADS_NONCURRENT_VERSION_DAYS == 1


def test_raw_recordings_are_deleted_after_thirty_days_or_the_retention_period(resources, stack):
    rules = props(_bucket(resources, stack, stack.storage.uploads))["LifecycleConfiguration"]["Rules"]
    expected = min(stack.settings.retention_days, sizes.RECORDING_DAYS)
    assert [r["ExpirationInDays"] for r in rules if "ExpirationInDays" in r and "Prefix" not in r] == [expected] == [30]


def test_the_device_checks_uplink_probes_are_deleted_the_next_day(resources, stack):
    """Probes (keys.probe_key) sit under probe/, outside org/: no upload notification, and gone after a day."""
    from oneway.domain import keys
    from oneway_infra.constants import PROBE_KEY_PREFIX

    rules = props(_bucket(resources, stack, stack.storage.uploads))["LifecycleConfiguration"]["Rules"]
    (probes,) = [r for r in rules if r.get("Prefix") == PROBE_KEY_PREFIX == keys.PROBE_PREFIX]
    assert probes["ExpirationInDays"] == 1 and probes["Status"] == "Enabled"


def test_media_expires_some_days_after_the_longest_retention_an_organization_can_set(resources, stack):
    """A backstop behind retention and erasure: whatever they missed is expired after the longest deadline
    and the longest retention the API accepts, with a month to spare."""
    from oneway.service.views import NewInterview, OrganizationUpdate

    def most(model, field: str) -> int:
        return next(m.le for m in model.model_fields[field].metadata if getattr(m, "le", None) is not None)

    assert (most(OrganizationUpdate, "retention_days"), most(NewInterview, "deadline_days")) == (sizes.MAX_RETENTION_DAYS, sizes.MAX_DEADLINE_DAYS)
    rules = props(_bucket(resources, stack, stack.storage.media))["LifecycleConfiguration"]["Rules"]
    (days,) = [r["ExpirationInDays"] for r in rules if "ExpirationInDays" in r]
    assert days == sizes.MEDIA_EXPIRE_DAYS == sizes.MAX_DEADLINE_DAYS + sizes.MAX_RETENTION_DAYS + 30
    # Expired delete markers are still cleaned up: by the old rule at once, and by this one once old enough.
    assert [r.get("ExpiredObjectDeleteMarker") for r in rules if "ExpiredObjectDeleteMarker" in r] == [True]


def test_a_short_retention_period_deletes_recordings_sooner():
    from aws_cdk.assertions import Template

    _, short = build_test_app(retentionDays=7)
    t = Template.from_stack(short).to_json()["Resources"]
    rules = props(t[logical_id(short, short.storage.uploads)])["LifecycleConfiguration"]["Rules"]
    assert [r["ExpirationInDays"] for r in rules if "ExpirationInDays" in r and "Prefix" not in r] == [7]


def _transitions(resources, stack, bucket):
    rules = props(_bucket(resources, stack, bucket))["LifecycleConfiguration"]["Rules"]
    return [t for r in rules for t in r.get("Transitions", [])]


def test_renditions_move_to_intelligent_tiering_at_once(resources, stack):
    assert _transitions(resources, stack, stack.storage.media) == [
        {"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 0}
    ]


def test_recordings_stay_in_standard_until_they_expire(resources, stack):
    """They expire before Intelligent-Tiering could move them out of its Frequent Access tier
    (30 days without access): the transition and the monitoring would be paid for nothing."""
    assert _transitions(resources, stack, stack.storage.uploads) == []
    assert sizes.RECORDING_DAYS <= 30


def test_data_buckets_log_access_to_the_log_bucket(resources, stack):
    for bucket in (stack.storage.uploads, stack.storage.media, stack.storage.site):
        logging = props(_bucket(resources, stack, bucket))["LoggingConfiguration"]
        assert logging["DestinationBucketName"] == {"Ref": logical_id(stack, stack.storage.log_bucket)}


def _site_origin(stack):
    return {"Fn::Join": ["", ["https://", getatt(stack, stack.site.distribution, "DomainName")]]}


def test_uploads_cors_lets_the_site_put_parts_and_read_the_etag(resources, stack):
    rules = props(_bucket(resources, stack, stack.storage.uploads))["CorsConfiguration"]["CorsRules"]
    assert len(rules) == 1
    rule = rules[0]
    assert "PUT" in rule["AllowedMethods"]
    assert set(rule["AllowedMethods"]) <= {"PUT", "GET", "HEAD"}
    assert rule["ExposedHeaders"] == ["ETag"]
    assert rule["AllowedOrigins"] == [_site_origin(stack)]


def test_media_cors_lets_the_site_read_only(resources, stack):
    rules = props(_bucket(resources, stack, stack.storage.media))["CorsConfiguration"]["CorsRules"]
    assert len(rules) == 1
    assert sorted(rules[0]["AllowedMethods"]) == ["GET", "HEAD"]
    assert rules[0]["AllowedOrigins"] == [_site_origin(stack)]
    assert "ETag" in rules[0]["ExposedHeaders"]


def test_no_other_bucket_has_cors(resources, stack):
    for bucket in (stack.storage.site, stack.storage.log_bucket):
        assert "CorsConfiguration" not in props(_bucket(resources, stack, bucket))


def test_new_recordings_notify_the_upload_queue(resources, stack):
    (notification,) = of_type(resources, "Custom::S3BucketNotifications").values()
    p = props(notification)
    assert p["BucketName"] == {"Ref": logical_id(stack, stack.storage.uploads)}
    (queue_config,) = p["NotificationConfiguration"]["QueueConfigurations"]
    assert queue_config["Events"] == ["s3:ObjectCreated:*"]
    assert queue_config["QueueArn"] == getatt(stack, stack.pipeline.upload_queue)
    assert queue_config["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "org/"}]
