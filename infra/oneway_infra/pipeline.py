"""The media pipeline.

  uploads bucket --ObjectCreated--> uploads queue (DLQ after 5 receives) --> on_upload
      on_upload starts MediaConvert (with the MediaConvert role) and Transcribe at once
  EventBridge: MediaConvert / Transcribe job state changes --> on_media_event
  EventBridge schedules --> scheduled: every 5 minutes {"tasks": ["reconcile", "reminders"]},
      daily {"tasks": ["retention", "sweeps"]} (the sweeps: erased candidates' prefixes, once their jobs are over)

None of these functions sends email or events: a candidate ready for review, a reminder, are outbox
messages saved with their change, which the deliver function carries out (delivery.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Aws, Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from . import checkov, grants, nag, sizes
from .constants import (
    OBJECT_KEY_PREFIX,
    ON_MEDIA_EVENT_RESERVED_CONCURRENCY,
    ON_UPLOAD_TIMEOUT,
    SCHEDULED_RESERVED_CONCURRENCY,
    UPLOAD_BATCH_SIZE,
    UPLOAD_MAX_CONCURRENCY,
    UPLOAD_QUEUE_MAX_RECEIVE,
)
from .data import Data
from .lambdas import PythonFunction

DLQ_RETENTION = Duration.days(14)
EVENT_RETRY_ATTEMPTS = 8
EVENT_MAX_AGE = Duration.hours(6)

# What the scheduled function does every SCHEDULE_EVERY_MINUTES (handlers/scheduled.py), in this order.
FREQUENT_TASKS = ("reconcile", "reminders")

MEDIACONVERT_DETAIL_TYPE = "MediaConvert Job State Change"
MEDIACONVERT_FINAL_STATES = ["COMPLETE", "ERROR", "CANCELED"]
TRANSCRIBE_FINAL_STATES = ["COMPLETED", "FAILED"]

DESCRIBE_ENDPOINTS_REASON = (
    "mediaconvert:DescribeEndpoints has no resource-level permissions (older SDKs ask "
    "for the account endpoint before any job call)."
)
START_TRANSCRIPTION_REASON = (
    "transcribe:StartTranscriptionJob has no resource type in the Service Authorization Reference, "
    "so only Resource '*' matches it; conditions on transcribe:OutputBucketName and "
    "transcribe:OutputKey limit it to jobs that write into this stack's media bucket under org/."
)


def secure_queue(scope: Construct, construct_id: str, **kwargs) -> sqs.Queue:
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        **kwargs,
    )
    checkov.skip(queue, "CKV_AWS_27", checkov.QUEUE_KMS)
    return queue


class MediaConvertRole(Construct):
    """The role MediaConvert assumes to read a recording and write its renditions."""

    def __init__(self, scope: Construct, construct_id: str, *, uploads: s3.IBucket, media: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            # The trust policy MediaConvert documents: the service principal, no condition. MediaConvert
            # does not document sending aws:SourceAccount or aws:SourceArn when it assumes the role, so a
            # condition on them would refuse every job; only roles this stack's functions may pass
            # (iam:PassRole with iam:PassedToService) reach it.
            # https://docs.aws.amazon.com/mediaconvert/latest/ug/creating-the-iam-role-in-iam.html
            # https://docs.aws.amazon.com/mediaconvert/latest/ug/iam-role.html
            assumed_by=iam.ServicePrincipal("mediaconvert.amazonaws.com"),
            description="Oneway: MediaConvert reads recordings and writes renditions",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(sid="ReadRecordings", actions=["s3:GetObject"], resources=[grants.objects(uploads)])
        )
        self.role.add_to_policy(
            iam.PolicyStatement(sid="WriteRenditions", actions=["s3:PutObject"], resources=[grants.objects(media)])
        )
        for bucket, what in ((uploads, "Reads the recording of one take"), (media, "Writes the renditions of one take")):
            nag.acknowledge(
                self.role,
                f"AwsSolutions-IAM5[Resource::{nag.ref(bucket)}/{OBJECT_KEY_PREFIX}*]",
                f"{what}. {grants.OBJECT_WILDCARD_REASON}",
            )


class Pipeline(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        environment: Mapping[str, str],
        layer: lambda_.ILayerVersion,
        data: Data,
        uploads: s3.Bucket,
        media: s3.IBucket,
        mediaconvert_role: iam.IRole,
        reserved_concurrency: bool = True,
    ) -> None:
        super().__init__(scope, construct_id)
        self.prefix = prefix
        self.mediaconvert_arn = f"arn:{Aws.PARTITION}:mediaconvert:{Aws.REGION}:{Aws.ACCOUNT_ID}"
        function_options = {"environment": environment, "layer": layer}

        # -- uploads: S3 -> SQS -> on_upload ------------------------------------------
        self.upload_dlq, self.upload_queue = self._upload_queues(uploads)
        self.on_upload = self._on_upload(function_options)
        self._let_on_upload_start_jobs(data, uploads, media, mediaconvert_role)

        # -- job state changes: EventBridge -> on_media_event -----------------------------
        self.event_dlq = self._event_dead_letters()
        self.on_media_event = self._on_media_event(function_options, reserved_concurrency)
        self._let_on_media_event_record_results(data, uploads, media)
        self.mediaconvert_rule, self.transcribe_rule = self._job_state_rules()

        # -- schedules: reconcile lost job events, apply retention --------------------------
        self.scheduled = self._scheduled(function_options, reserved_concurrency)
        self._let_scheduled_reconcile_and_erase(data, uploads, media)
        self.frequent_schedule, self.daily_schedule = self._schedules()

    # -- uploads ----------------------------------------------------------------------------

    def _upload_queues(self, uploads: s3.Bucket) -> tuple[sqs.Queue, sqs.Queue]:
        dlq = secure_queue(self, "UploadDeadLetters", retention_period=DLQ_RETENTION)
        queue = secure_queue(
            self,
            "Uploads",
            # At least six times the function timeout (AWS guidance for SQS sources).
            visibility_timeout=Duration.seconds(ON_UPLOAD_TIMEOUT.to_seconds() * 6),
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=UPLOAD_QUEUE_MAX_RECEIVE),
        )
        uploads.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.SqsDestination(queue),
            s3.NotificationKeyFilter(prefix=OBJECT_KEY_PREFIX),
        )
        return dlq, queue

    def _on_upload(self, function_options: Mapping) -> PythonFunction:
        up = PythonFunction(
            self,
            "OnUpload",
            handler="oneway.handlers.on_upload.lambda_handler",
            description="Oneway: check an uploaded recording, start transcoding and transcription",
            **function_options,
            service_name="oneway-on-upload",
            timeout=ON_UPLOAD_TIMEOUT,
            memory_size=sizes.FUNCTION_MEMORY_MB["on_upload"],
            star_resource_reason=f"{DESCRIBE_ENDPOINTS_REASON} {START_TRANSCRIPTION_REASON}",
        )
        up.function.add_event_source(
            sources.SqsEventSource(
                self.upload_queue,
                batch_size=UPLOAD_BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=UPLOAD_MAX_CONCURRENCY,
            )
        )
        # https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
        up.keeps_failures_in(
            "The SQS event source invokes on_upload synchronously: a record that fails returns to the uploads "
            f"queue and, after {UPLOAD_QUEUE_MAX_RECEIVE} receives, goes to that queue's dead-letter queue "
            "(its RedrivePolicy), which has an alarm."
        )
        return up

    def _let_on_upload_start_jobs(
        self, data: Data, uploads: s3.Bucket, media: s3.IBucket, mediaconvert_role: iam.IRole
    ) -> None:
        up = self.on_upload
        data.grant_read_write(up.role)
        grants.grant_objects(
            up, "InspectRecording", uploads, ["s3:GetObject"], "Head and ranged read of an uploaded recording;"
            " Transcribe also reads it with the caller's rights."
        )
        # A recording erased before its notification is handled must head as 404, not 403.
        grants.grant_head_missing(up, "HeadMissingRecording", uploads)
        grants.grant_objects(
            up, "TranscriptOutput", media, ["s3:PutObject"], "Transcribe writes the transcript and captions"
            " with the rights of the caller that started the job."
        )
        up.grant(
            "StartTranscode",
            ["mediaconvert:CreateJob"],
            # CreateJob is authorized on the queue, job template and presets a job names (the Service
            # Authorization Reference lists no job resource for it:
            # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselementalmediaconvert.html).
            # Oneway's jobs name no template or preset and go to the account's on-demand Default queue.
            [f"{self.mediaconvert_arn}:queues/Default"],
        )
        up.grant("MediaConvertEndpoints", ["mediaconvert:DescribeEndpoints"], ["*"])
        up.grant(
            "PassMediaConvertRole",
            ["iam:PassRole"],
            [mediaconvert_role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "mediaconvert.amazonaws.com"}},
        )
        # No resource type for this action in the Service Authorization Reference: "*" with the output
        # location as the condition (the SAR lists transcribe:OutputBucketName and transcribe:OutputKey for it).
        # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazontranscribe.html
        up.grant(
            "StartTranscription",
            ["transcribe:StartTranscriptionJob"],
            ["*"],
            conditions={
                "StringEquals": {"transcribe:OutputBucketName": media.bucket_name},
                "StringLike": {"transcribe:OutputKey": f"{OBJECT_KEY_PREFIX}*"},
            },
        )
        # A refused recording is deleted, every version (service/pipeline.py quarantine).
        grants.grant_erase(up, "DeleteRefused", [uploads], "A recording refused by the checks after upload is deleted, every version.")

    # -- job state changes ------------------------------------------------------------------

    def _event_dead_letters(self) -> sqs.Queue:
        dlq = secure_queue(self, "EventDeadLetters", retention_period=DLQ_RETENTION)
        nag.acknowledge(
            dlq,
            "AwsSolutions-SQS3",
            "This queue is itself the dead-letter queue of the EventBridge targets (rule targets "
            "name it directly, not through a RedrivePolicy); its depth has an alarm.",
        )
        return dlq

    def _on_media_event(self, function_options: Mapping, reserved_concurrency: bool) -> PythonFunction:
        me = PythonFunction(
            self,
            "OnMediaEvent",
            handler="oneway.handlers.on_media_event.lambda_handler",
            description="Oneway: record MediaConvert and Transcribe results",
            **function_options,
            service_name="oneway-on-media-event",
            timeout=Duration.seconds(60),
            memory_size=sizes.FUNCTION_MEMORY_MB["on_media_event"],
            reserved_concurrency=ON_MEDIA_EVENT_RESERVED_CONCURRENCY if reserved_concurrency else None,
        )
        self._keep_failed_invocations(me)
        return me

    def _let_on_media_event_record_results(self, data: Data, uploads: s3.Bucket, media: s3.IBucket) -> None:
        me = self.on_media_event
        data.grant_read_write(me.role)
        grants.grant_objects(me, "ReadMedia", media, ["s3:GetObject"], "Reads a finished transcript to store it.")
        # A job that finishes after its candidate's erasure deletes what it wrote (the take's prefix, both
        # buckets), and a finished transcription of an erased candidate is deleted (service/erasure.py).
        grants.grant_erase(me, "EraseLateOutputs", [uploads, media], "A job result for an erased candidate deletes the take's outputs.")
        self.allow_stopping_jobs(me, transcodes=False)

    def _job_state_rules(self) -> tuple[events.Rule, events.Rule]:
        me, prefix = self.on_media_event, self.prefix
        mediaconvert_rule = events.Rule(
            self,
            "MediaConvertJobs",
            description="Oneway: MediaConvert jobs of this stack that finished",
            event_pattern=events.EventPattern(
                source=["aws.mediaconvert"],
                detail_type=[MEDIACONVERT_DETAIL_TYPE],
                detail={"status": MEDIACONVERT_FINAL_STATES, "userMetadata": {"stack": [prefix]}},
            ),
            targets=[self.target(me.function)],
        )
        transcribe_rule = events.Rule(
            self,
            "TranscribeJobs",
            description="Oneway: Transcribe jobs of this stack that finished",
            event_pattern=events.EventPattern(
                source=["aws.transcribe"],
                detail_type=["Transcribe Job State Change"],
                detail={
                    "TranscriptionJobStatus": TRANSCRIBE_FINAL_STATES,
                    "TranscriptionJobName": events.Match.prefix(f"{prefix}."),
                },
            ),
            targets=[self.target(me.function)],
        )
        return mediaconvert_rule, transcribe_rule

    # -- schedules --------------------------------------------------------------------------

    def _scheduled(self, function_options: Mapping, reserved_concurrency: bool) -> PythonFunction:
        sc = PythonFunction(
            self,
            "Scheduled",
            handler="oneway.handlers.scheduled.lambda_handler",
            description="Oneway: reconcile media jobs, apply retention",
            **function_options,
            service_name="oneway-scheduled",
            timeout=Duration.minutes(5),
            memory_size=sizes.FUNCTION_MEMORY_MB["scheduled"],
            reserved_concurrency=SCHEDULED_RESERVED_CONCURRENCY if reserved_concurrency else None,
            star_resource_reason=DESCRIBE_ENDPOINTS_REASON,
        )
        self._keep_failed_invocations(sc)
        return sc

    def _let_scheduled_reconcile_and_erase(self, data: Data, uploads: s3.Bucket, media: s3.IBucket) -> None:
        sc, prefix = self.scheduled, self.prefix
        data.grant_read_write(sc.role)
        data.grant_audit_append(sc.role)  # retention's erasures are audited
        sc.grant("GetTranscodeJob", ["mediaconvert:GetJob"], [f"{self.mediaconvert_arn}:jobs/*"])
        sc.acknowledge_wildcard(
            "Resource::arn:<AWS::Partition>:mediaconvert:<AWS::Region>:<AWS::AccountId>:jobs/*",
            "MediaConvert assigns job ids at run time; the reconciler reads the state of this "
            "account's jobs in this region only (read-only).",
        )
        sc.grant("MediaConvertEndpoints", ["mediaconvert:DescribeEndpoints"], ["*"])
        # GetTranscriptionJob does have a resource type, transcription-job/${JobName} (SAR, above).
        sc.grant("GetTranscriptionJob", ["transcribe:GetTranscriptionJob"], [self._transcribe_jobs])
        sc.acknowledge_wildcard(
            f"Resource::arn:<AWS::Partition>:transcribe:<AWS::Region>:<AWS::AccountId>:transcription-job/{prefix}.*",
            self._transcribe_reason,
        )
        grants.grant_erase(
            sc, "Retention", [uploads, media], "Retention deletes a candidate's media, every version, after the period."
        )
        # Retention erases like a request does (running jobs stopped), and the sweeps finish off what is left.
        self.allow_stopping_jobs(sc)
        # A reconciled job is finished exactly as on_media_event would finish it: read the transcript
        # (the event and the reviewers' email are outbox messages).
        grants.grant_objects(sc, "ReadMedia", media, ["s3:GetObject"], "Reads a finished transcript to store it.")
        # A retried answer whose job request was lost is asked for again (on_upload starts the jobs).
        self.accept_job_requests(sc)

    def _schedules(self) -> tuple[events.Rule, events.Rule]:
        """One schedule for the frequent tasks, run one after the other by one invocation: two rules
        firing together would ask for a second concurrent invocation, which reserved concurrency 1
        throttles (and the throttle alarm would fire at every coincidence). Both schedules are cron
        expressions, so the daily retention run (minute 17) never starts with a tick (every 5 minutes)."""
        sc = self.scheduled
        frequent = events.Rule(
            self,
            "Frequent",
            description="Oneway: finish media jobs whose events were lost, remind candidates",
            schedule=events.Schedule.cron(minute=f"0/{sizes.SCHEDULE_EVERY_MINUTES}"),
            targets=[self.target(sc.function, {"tasks": list(FREQUENT_TASKS)})],
        )
        daily = events.Rule(
            self,
            "Retention",
            description="Oneway: delete candidates' data and media after the retention period",
            schedule=events.Schedule.cron(minute=str(sizes.RETENTION_MINUTE), hour=str(sizes.RETENTION_HOUR_UTC)),
            targets=[self.target(sc.function, {"tasks": ["retention", "sweeps"]})],
        )
        return frequent, daily

    # -- shared -----------------------------------------------------------------------------

    @property
    def _transcribe_jobs(self) -> str:
        return f"arn:{Aws.PARTITION}:transcribe:{Aws.REGION}:{Aws.ACCOUNT_ID}:transcription-job/{self.prefix}.*"

    @property
    def _transcribe_reason(self) -> str:
        return (
            "Transcription job names are made per take at run time; all of them begin with the "
            f"stack prefix '{self.prefix}.', so the grant covers this stack's jobs only."
        )

    def _keep_failed_invocations(self, fn: PythonFunction) -> None:
        """EventBridge invokes asynchronously: its DLQ catches failed deliveries, and
        this on-failure destination catches events the function itself failed on
        after Lambda's own retries. Both land in the same alarmed queue."""
        fn.function.configure_async_invoke(
            on_failure=destinations.SqsDestination(self.event_dlq),
            retry_attempts=2,
            max_event_age=EVENT_MAX_AGE,
        )
        # https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
        fn.keeps_failures_in(
            "Failed asynchronous invocations go to an on-failure destination (EventInvokeConfig), the alarmed "
            "EventDeadLetters queue; AWS recommends destinations over a function DLQ (they carry the error and "
            "the response), and a DLQ beside it would only be a second place for the same failures."
        )

    @property
    def delivery_options(self) -> dict:
        """Retries and the dead-letter queue for any EventBridge target of the pipeline."""
        return {"dead_letter_queue": self.event_dlq, "retry_attempts": EVENT_RETRY_ATTEMPTS, "max_event_age": EVENT_MAX_AGE}

    def target(self, fn: lambda_.IFunction, payload: dict | None = None) -> targets.LambdaFunction:
        """A rule target for ``fn``, with the pipeline's retries and dead-letter queue."""
        return targets.LambdaFunction(
            fn,
            event=events.RuleTargetInput.from_object(payload) if payload is not None else None,
            **self.delivery_options,
        )

    @property
    def functions(self) -> list[PythonFunction]:
        return [self.on_upload, self.on_media_event, self.scheduled]

    def allow_stopping_jobs(self, fn: PythonFunction, *, transcodes: bool = True) -> None:
        """Let ``fn`` stop an erased candidate's media jobs: cancel a transcode (MediaConvert CancelJob), and
        delete a transcription once it has ended (Transcribe DeleteTranscriptionJob, with GetTranscriptionJob
        to tell a running job from a gone one). Destructive only, and only for jobs (this stack's transcriptions)."""
        mediaconvert_jobs = f"arn:{Aws.PARTITION}:mediaconvert:{Aws.REGION}:{Aws.ACCOUNT_ID}:jobs/*"
        transcribe_jobs = self._transcribe_jobs
        if transcodes:
            fn.grant("CancelTranscode", ["mediaconvert:CancelJob"], [mediaconvert_jobs])
            fn.acknowledge_wildcard(
                "Resource::arn:<AWS::Partition>:mediaconvert:<AWS::Region>:<AWS::AccountId>:jobs/*",
                "MediaConvert assigns job ids at run time; an erasure cancels the jobs of its candidate's "
                "answers, in this account and region only.",
            )
        fn.grant("DeleteTranscription", ["transcribe:DeleteTranscriptionJob", "transcribe:GetTranscriptionJob"], [transcribe_jobs])
        fn.acknowledge_wildcard(
            f"Resource::arn:<AWS::Partition>:transcribe:<AWS::Region>:<AWS::AccountId>:transcription-job/{self.prefix}.*",
            "Transcription job names are made per take at run time; all of them begin with the stack prefix "
            f"'{self.prefix}.', so the grant covers this stack's jobs only.",
        )

    def accept_job_requests(self, fn: PythonFunction) -> None:
        """Let ``fn`` ask on_upload, on the uploads queue, to start a retried answer's media jobs."""
        fn.function.add_environment("ONEWAY_UPLOADS_QUEUE_URL", self.upload_queue.queue_url)
        self.upload_queue.grant_send_messages(fn.role)

    @property
    def dead_letter_queues(self) -> dict[str, sqs.IQueue]:
        return {"UploadDeadLetters": self.upload_dlq, "EventDeadLetters": self.event_dlq}
