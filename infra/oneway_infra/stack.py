"""The Oneway stack: storage, data, auth, API, media pipeline, site, observability."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import App, Aws, CfnOutput, Environment, Fn, ReferenceStrength, Stack, Token, Validations
from constructs import Construct, IConstruct

from . import checkov, nag
from .api import Api
from .auth import Auth
from .constants import CONTEXT_DEFAULTS, REPO_ROOT, as_bool
from .data import Data
from .delivery import Delivery
from .edge import CLOUDFRONT_WAF_REGION, EdgeFirewall, EdgeStack
from .layer import DependencyLayer
from .mail import Mail
from .observability import Observability
from .pipeline import MediaConvertRole, Pipeline
from .site import Site
from .storage import Storage

# Offline synth without credentials: CDK still wants an account and a region.
DUMMY_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"

_PREFIX = re.compile(r"^[a-z][a-z0-9-]{1,23}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Settings:
    """The context values that shape a deployment."""

    prefix: str
    stage: str
    sender_email: str
    retention_days: int
    site_dir: Path
    alarm_email: str
    domain_name: str
    certificate_arn: str
    threat_protection: bool
    reserved_concurrency: bool
    waf: bool
    nag: bool

    @classmethod
    def from_context(cls, scope: Construct) -> Settings:
        def get(key: str) -> Any:
            value = scope.node.try_get_context(key)
            return CONTEXT_DEFAULTS[key] if value is None else value

        prefix = str(get("stackPrefix"))
        if not _PREFIX.match(prefix):
            raise ValueError(f"stackPrefix {prefix!r}: 2-24 of a-z 0-9 -, starting with a letter (it names buckets)")
        sender = str(get("senderEmail"))
        if not _EMAIL.match(sender):
            raise ValueError(f"senderEmail {sender!r} is not an email address")
        return cls(
            prefix=prefix,
            stage=str(get("stage")),
            sender_email=sender,
            retention_days=int(get("retentionDays")),
            site_dir=Path(str(get("siteDir"))),
            alarm_email=str(get("alarmEmail") or ""),
            domain_name=str(get("domainName") or ""),
            certificate_arn=str(get("certificateArn") or ""),
            threat_protection=as_bool(get("threatProtection")),
            reserved_concurrency=as_bool(get("reservedConcurrency")),
            waf=as_bool(get("waf")),
            nag=as_bool(get("nag")),
        )


class OnewayStack(Stack):
    EVENT_BUS_NAME = "default"
    # The stack of the web ACL (us-east-1) when this one is elsewhere; build_app sets it.
    edge_stack: Stack | None

    def __init__(
        self, scope: Construct, construct_id: str, *, settings: Settings, web_acl_arn: str | None = None, **kwargs: Any
    ) -> None:
        """``web_acl_arn``: the web ACL of a companion stack in us-east-1 (``EdgeStack``), when this stack is in
        another region; in us-east-1 the stack makes its own when context ``waf`` is on."""
        super().__init__(scope, construct_id, **kwargs)
        s = self.settings = settings
        self.storage = Storage(self, "Storage", prefix=s.prefix, retention_days=s.retention_days)
        self.data = Data(self, "Data")
        self.auth = Auth(self, "Auth", threat_protection=s.threat_protection)
        self.layer = DependencyLayer(self, "Dependencies").layer
        self.mail = Mail(self, "Mail", prefix=s.prefix)
        self.mediaconvert = MediaConvertRole(self, "MediaConvert", uploads=self.storage.uploads, media=self.storage.media)

        # The API exists before the site (CloudFront routes /api/* to it); its
        # function comes after (it needs the site's URL).
        self.api = Api(self, "Api", auth=self.auth)
        # CloudFront's origin header: the random part of the stack's id (arn:...:stack/NAME/UUID), fixed for
        # the stack's life and known only inside the account (CloudFormation, the functions' settings).
        origin_secret = Fn.select(2, Fn.split("/", self.stack_id))
        self.edge = EdgeFirewall(self, "Edge", prefix=s.prefix) if s.waf and web_acl_arn is None else None
        self.site = self._site(origin_secret, web_acl_arn=self.edge.arn if self.edge else web_acl_arn)

        environment = self._function_environment()
        _public_fn, staff_fn = self.api.add_handlers(
            environment=environment,
            layer=self.layer,
            data=self.data,
            uploads=self.storage.uploads,
            media=self.storage.media,
            origin_secret=origin_secret,
        )
        self.pipeline = self._pipeline(environment)
        # A recruiter's retry of a failed answer asks on_upload, on its queue, to start the jobs:
        # the API itself holds no right to start media jobs.
        self.pipeline.accept_job_requests(staff_fn)
        # An erasure on request stops its candidate's running media jobs (it starts none).
        self.pipeline.allow_stopping_jobs(staff_fn)
        # The outbox: emails, events and webhook calls after their change has committed.
        self.delivery = self._delivery(environment)
        self.site.deploy_content(site_dir=s.site_dir, config=self._site_config())
        self.observability = self._observability()
        # Bounces and complaints of Oneway's mail reach the same topic as the alarms.
        self.mail.notify(self.observability.topic, delivery=self.pipeline.delivery_options)
        self._outputs()

        _acknowledge_cdk_internals(self)

    def _site(self, origin_secret: str, *, web_acl_arn: str | None) -> Site:
        s = self.settings
        site = Site(
            self,
            "Site",
            storage=self.storage,
            api_domain_name=self.api.domain_name,
            cognito_endpoint=self.auth.endpoint,
            origin_secret=origin_secret,
            web_acl_arn=web_acl_arn,
            domain_name=s.domain_name,
            certificate_arn=s.certificate_arn,
        )
        self.storage.allow_site_origin(site.url)
        return site

    def _function_environment(self) -> dict[str, str]:
        """The settings every function reads (functions/oneway/config.py)."""
        s, data, storage = self.settings, self.data, self.storage
        return {
            "ONEWAY_STAGE": s.stage,
            "ONEWAY_STACK_PREFIX": s.prefix,
            "ONEWAY_TABLE_NAME": data.table.table_name,
            "ONEWAY_AUDIT_TABLE_NAME": data.audit.table_name,
            "ONEWAY_UPLOADS_BUCKET": storage.uploads.bucket_name,
            "ONEWAY_MEDIA_BUCKET": storage.media.bucket_name,
            "ONEWAY_SITE_URL": self.site.url,
            "ONEWAY_MAIL_FROM": s.sender_email,
            "ONEWAY_SES_CONFIGURATION_SET": self.mail.configuration_set_name,
            "ONEWAY_MEDIA": "aws",
            "ONEWAY_MEDIACONVERT_ROLE_ARN": self.mediaconvert.role.role_arn,
            "ONEWAY_EVENT_BUS_NAME": self.EVENT_BUS_NAME,
            "ONEWAY_RETENTION_DAYS": str(s.retention_days),
            "POWERTOOLS_LOG_LEVEL": "INFO",
        }

    def _pipeline(self, environment: dict[str, str]) -> Pipeline:
        return Pipeline(
            self,
            "Pipeline",
            prefix=self.settings.prefix,
            environment=environment,
            layer=self.layer,
            data=self.data,
            uploads=self.storage.uploads,
            media=self.storage.media,
            mediaconvert_role=self.mediaconvert.role,
            reserved_concurrency=self.settings.reserved_concurrency,
        )

    def _delivery(self, environment: dict[str, str]) -> Delivery:
        return Delivery(
            self,
            "Delivery",
            environment=environment,
            layer=self.layer,
            data=self.data,
            pipeline=self.pipeline,
            sender_email=self.settings.sender_email,
            event_bus_name=self.EVENT_BUS_NAME,
            mail_configuration_set_arn=self.mail.configuration_set_arn,
        )

    def _site_config(self) -> dict[str, str]:
        """config.json, what the browser reads at start."""
        auth = self.auth
        return {
            "apiUrl": self.site.url,
            "region": Aws.REGION,
            "userPoolId": auth.user_pool.user_pool_id,
            "userPoolClientId": auth.client.user_pool_client_id,
            "cognitoEndpoint": auth.endpoint,
            "authFlow": "USER_SRP_AUTH",
            "stage": self.settings.stage,
        }

    def _observability(self) -> Observability:
        pipeline, delivery = self.pipeline, self.delivery
        return Observability(
            self,
            "Observability",
            prefix=self.settings.prefix,
            functions={
                **self.api.functions,
                "OnUpload": pipeline.on_upload,
                "OnMediaEvent": pipeline.on_media_event,
                "Scheduled": pipeline.scheduled,
                "Deliver": delivery.function,
            },
            dead_letter_queues={**pipeline.dead_letter_queues, "OutboxDeadLetters": delivery.dead_letters},
            stream_consumer=delivery.function,
            upload_queue=pipeline.upload_queue,
            http_api=self.api.http_api,
            event_delivery=pipeline.delivery_options,
            alarm_email=self.settings.alarm_email,
        )

    def _outputs(self) -> None:
        """The stack's outputs, with fixed logical ids."""
        site, auth, data, storage = self.site, self.auth, self.data, self.storage
        outputs = {
            "SiteUrl": (site.url, "The site (recruiters at /, candidates at /c/)"),
            # As in config.json: the origin that serves the contract's /api/... paths.
            "ApiUrl": (site.url, "Origin of the API (/api/...), the same as the site's"),
            # With a custom domain: the DNS record (CNAME or alias) points the domain here.
            "DistributionDomainName": (site.distribution.distribution_domain_name, "CloudFront's own host name"),
            "UserPoolId": (auth.user_pool.user_pool_id, "Cognito user pool of the recruiters"),
            "UserPoolClientId": (auth.client.user_pool_client_id, "Cognito app client (SRP and password auth)"),
            "TableName": (data.table.table_name, "DynamoDB table"),
            "AuditTableName": (data.audit.table_name, "DynamoDB table of the audit log (append-only)"),
            "UploadsBucketName": (storage.uploads.bucket_name, "Raw recordings"),
            "MediaBucketName": (storage.media.bucket_name, "Renditions, posters, captions, transcripts"),
            # For `oneway admin create-user`: a new organization gets the deployment's retention.
            "RetentionDays": (str(self.settings.retention_days), "Default retention of a new organization's candidates (days)"),
        }
        for logical_id, (value, description) in outputs.items():
            CfnOutput(self, logical_id, value=value, description=description)


def _acknowledge_cdk_internals(stack: Stack) -> None:
    """Lambda functions that CDK adds for custom resources (site deployment, bucket notifications)."""
    for child in stack.node.children:
        cid = child.node.id
        if cid.startswith("Custom::CDKBucketDeployment"):
            what = "CDK's BucketDeployment handler (copies the site into its bucket at deploy time)"
        elif cid.startswith("BucketNotificationsHandler"):
            what = "CDK's bucket-notification handler (configures the uploads bucket's notification once)"
        else:
            continue
        nag.acknowledge(
            child,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
            f"{what}: the basic execution policy only lets it write its own logs.",
        )
        nag.acknowledge(child, "AwsSolutions-L1", f"{what}: CDK chooses and maintains its runtime.")
        function = child.node.default_child
        checkov.skip(
            function,
            "CKV_AWS_116",
            f"{what}: CloudFormation invokes it for a custom resource and waits for its answer; a failure "
            "fails the deployment, which rolls back, so there is no event for a dead-letter queue to keep.",
        )
        checkov.skip(function, "CKV_AWS_117", f"{what}: {checkov.NO_VPC}")
        checkov.skip(
            function,
            "CKV_AWS_115",
            f"{what}: it runs only while CloudFormation deploys the stack. {checkov.RESERVED_CONCURRENCY_OFF}",
        )
        if cid.startswith("Custom::CDKBucketDeployment"):
            checkov.skip(
                function,
                "CKV_AWS_173",
                f"{what}: CDK sets one variable, the path of the runtime's CA bundle; no secret.",
            )
            _acknowledge_bucket_deployment(stack, child)


def _acknowledge_bucket_deployment(stack: Stack, handler: IConstruct) -> None:
    """The grants CDK gives its BucketDeployment handler (read the asset, sync the site bucket)."""
    site = stack.node.find_child("Storage").node.find_child("Site")
    qualifier = stack.node.try_get_context("@aws-cdk/core:bootstrapQualifier") or "hnb659fds"
    assets = f"cdk-{qualifier}-assets-{stack.account}-{stack.region}"
    # A literal partition when the region is known (feature flag enablePartitionLiterals).
    partition = "<AWS::Partition>" if Token.is_unresolved(stack.partition) else stack.partition
    why = "CDK's BucketDeployment handler (grants made by CDK):"
    findings = {
        "Action::s3:GetObject*": "reads the site's asset zip from the CDK assets bucket",
        "Action::s3:GetBucket*": "reads the location and settings of the buckets it syncs",
        "Action::s3:List*": "lists the site bucket to prune files of earlier deployments",
        "Action::s3:DeleteObject*": "prunes files of earlier deployments from the site bucket",
        "Action::s3:Abort*": "aborts its own interrupted multipart copies",
        f"Resource::arn:{partition}:s3:::{assets}/*": "the asset keys are content hashes in the CDK assets bucket",
        f"Resource::{nag.ref(site)}/*": "it syncs the whole site bucket, which holds only the site",
        "Resource::*": "cloudfront:CreateInvalidation and GetInvalidation have no narrower resource in this grant",
    }
    for finding, reason in findings.items():
        nag.acknowledge(handler, f"AwsSolutions-IAM5[{finding}]", f"{why} {reason}.")
    checkov.skip(
        handler.node.find_child("ServiceRole").node.find_child("DefaultPolicy").node.default_child,
        "CKV_AWS_111",
        f"{why} writes only to the site bucket (it syncs the site into it), and cloudfront:CreateInvalidation "
        "is granted on * because the distribution is created in the same deployment.",
    )


def cdk_json_context() -> dict[str, Any]:
    """The context of cdk.json, as the CDK CLI would pass it (for tests that build the app directly)."""
    return dict(json.loads((REPO_ROOT / "cdk.json").read_text()).get("context", {}))


def build_app(
    context: dict[str, Any] | None = None, *, outdir: str | None = None, env: Environment | None = None
) -> tuple[App, OnewayStack]:
    """The Oneway app: one stack named after the stack prefix; cdk-nag unless context ``nag`` is false.

    With the web ACL on (context ``waf``) and the stack outside us-east-1, a second stack,
    ``<prefix>-edge`` in us-east-1, holds the web ACL (CloudFront's rule, edge.py); ``stack.edge_stack``.
    """
    app = App(context=context or {}, outdir=outdir)
    settings = Settings.from_context(app)
    env = env or Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT") or DUMMY_ACCOUNT,
        region=os.environ.get("CDK_DEFAULT_REGION")
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION,
    )
    edge_stack = None
    if settings.waf and env.region != CLOUDFRONT_WAF_REGION:
        edge_stack = EdgeStack(
            app,
            f"{settings.prefix}-edge",
            prefix=settings.prefix,
            env=Environment(account=env.account, region=CLOUDFRONT_WAF_REGION),
            description=f"Oneway: the web ACL of the {settings.prefix} stack's CloudFront distribution",
        )
    stack = OnewayStack(
        app,
        settings.prefix,
        settings=settings,
        web_acl_arn=Stack.consume_reference(edge_stack.firewall.arn, ReferenceStrength.WEAK) if edge_stack else None,
        env=env,
        description="Oneway: self-hosted asynchronous video interviews",
    )
    stack.edge_stack = edge_stack
    if settings.nag:
        from cdk_nag import AwsSolutionsChecks

        Validations.of(app).add_plugins(AwsSolutionsChecks())
    return app, stack
