"""Alarms to an SNS topic and a dashboard.

Alarms: dead letters, function errors, function throttles, an upload backlog, the outbox's
stream falling behind and the API's 5xx rate. Failed MediaConvert jobs of this stack reach the same topic straight from
EventBridge, one message per job with its error. The topic emails ``alarmEmail``.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Aws, Duration
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from . import checkov, nag
from .dashboard import add_dashboard
from .lambdas import PythonFunction
from .pipeline import MEDIACONVERT_DETAIL_TYPE

PERIOD = Duration.minutes(5)
# The API's 5xx rate, in percent of requests, over 5 minutes with at least this many requests.
API_5XX_PERCENT = 5
API_5XX_MIN_REQUESTS = 20
# Uploads wait in the queue during a burst (on_upload's concurrency is capped); this long is too long.
UPLOAD_BACKLOG_SECONDS = 15 * 60
# The outbox's stream: its oldest record not yet handed to the deliver function (Lambda's IteratorAge). A second
# is usual; this long means emails and events wait (the function failing, throttled or stopped).
# https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (IteratorAge)
OUTBOX_LAG_SECONDS = 5 * 60
# Throttling of the API is an error a user sees; the pipeline's capped functions may be
# throttled in a burst (their events are retried), so only sustained throttling alarms.
SUSTAINED_PERIODS = 3


class Observability(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        functions: Mapping[str, PythonFunction],
        dead_letter_queues: Mapping[str, sqs.IQueue],
        upload_queue: sqs.IQueue,
        http_api: apigw.HttpApi,
        event_delivery: Mapping,
        alarm_email: str = "",
        stream_consumer: PythonFunction | None = None,
        user_facing: tuple[str, ...] = ("PublicApi", "StaffApi"),
    ) -> None:
        super().__init__(scope, construct_id)
        self.prefix = prefix
        self.topic = self._alarm_topic(alarm_email)
        self._action = cw_actions.SnsAction(self.topic)
        self.alarms: list[cw.Alarm] = []
        self._dead_letter_alarms(dead_letter_queues)
        self._function_alarms(functions, user_facing)
        self._upload_backlog_alarm(upload_queue)
        if stream_consumer is not None:
            self._outbox_lag_alarm(stream_consumer)
        self.api_5xx_rate = self._api_5xx_alarm(http_api)
        self._let_cloudwatch_publish()
        self.failed_transcodes = self._failed_transcodes_rule(event_delivery)
        self.dashboard = add_dashboard(
            self,
            prefix=prefix,
            functions=functions,
            dead_letter_queues=dead_letter_queues,
            upload_queue=upload_queue,
            http_api=http_api,
            failed_transcodes=self.failed_transcodes,
            alarms=self.alarms,
            period=PERIOD,
        )

    def _alarm_topic(self, alarm_email: str) -> sns.Topic:
        topic = sns.Topic(self, "Alarms", display_name="Oneway alarms", enforce_ssl=True)
        # https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (AWS services that publish to
        # an encrypted topic need a customer managed key whose policy lets them use it)
        unencrypted_topic = (
            "Alarm notifications carry alarm names and states only, no interview data. CloudWatch cannot "
            "publish to a topic under the AWS-managed SNS key, and a customer key costs more per month "
            "than an idle Oneway stack."
        )
        nag.acknowledge(topic, "AwsSolutions-SNS2", unencrypted_topic)
        checkov.skip(topic, "CKV_AWS_26", unencrypted_topic)
        if alarm_email:
            topic.add_subscription(subs.EmailSubscription(alarm_email))
        return topic

    def _alarm(
        self, construct_id: str, metric: cw.IMetric, threshold: float, description: str, periods: int = 1
    ) -> cw.Alarm:
        a = cw.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description=f"Oneway ({self.prefix}): {description}",
        )
        a.add_alarm_action(self._action)
        a.add_ok_action(self._action)
        self.alarms.append(a)
        return a

    def _dead_letter_alarms(self, dead_letter_queues: Mapping[str, sqs.IQueue]) -> None:
        for name, queue in dead_letter_queues.items():
            self._alarm(
                f"{name}Depth",
                queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
                1,
                f"messages in the dead-letter queue {name}: work that failed every retry",
            )

    def _function_alarms(self, functions: Mapping[str, PythonFunction], user_facing: tuple[str, ...]) -> None:
        for name, fn in functions.items():
            self._alarm(
                f"{name}Errors",
                fn.function.metric_errors(period=PERIOD, statistic="Sum"),
                1,
                f"the {name} function raised errors",
            )
        for name, fn in functions.items():
            periods = 1 if name in user_facing else SUSTAINED_PERIODS
            self._alarm(
                f"{name}Throttles",
                fn.function.metric_throttles(period=PERIOD, statistic="Sum"),
                1,
                f"the {name} function was throttled"
                + ("" if periods == 1 else f" in {periods} periods of 5 minutes in a row"),
                periods,
            )

    def _upload_backlog_alarm(self, upload_queue: sqs.IQueue) -> None:
        self._alarm(
            "UploadBacklog",
            upload_queue.metric_approximate_age_of_oldest_message(period=PERIOD, statistic="Maximum"),
            UPLOAD_BACKLOG_SECONDS,
            f"an upload has waited {UPLOAD_BACKLOG_SECONDS // 60} minutes or more for processing",
        )

    def _outbox_lag_alarm(self, stream_consumer: PythonFunction) -> None:
        self._alarm(
            "OutboxLag",
            stream_consumer.function.metric("IteratorAge", period=PERIOD, statistic="Maximum"),
            OUTBOX_LAG_SECONDS * 1000,  # milliseconds
            f"an outbox message has waited {OUTBOX_LAG_SECONDS // 60} minutes or more for the deliver function",
        )

    def _api_5xx_alarm(self, http_api: apigw.HttpApi) -> cw.MathExpression:
        rate = cw.MathExpression(
            expression=f"IF(requests >= {API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)",
            using_metrics={
                "requests": http_api.metric_count(period=PERIOD, statistic="Sum"),
                "errors": http_api.metric_server_error(period=PERIOD, statistic="Sum"),
            },
            period=PERIOD,
            label="API 5xx (% of requests)",
        )
        self._alarm(
            "Api5xxRate",
            rate,
            API_5XX_PERCENT,
            f"{API_5XX_PERCENT}% or more of the API's requests (at least {API_5XX_MIN_REQUESTS}) failed "
            "with 5xx in 5 minutes",
        )
        return rate

    def _let_cloudwatch_publish(self) -> None:
        """The topic's policy (enforce_ssl, the EventBridge target) replaces SNS's default one: CloudWatch
        may publish only if the policy says so, for this stack's alarms (aws:SourceArn) in this account."""
        # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
        # https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
        # https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsOfThisStack",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "ArnEquals": {"aws:SourceArn": [a.alarm_arn for a in self.alarms]},
                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                },
            )
        )

    def _failed_transcodes_rule(self, event_delivery: Mapping) -> events.Rule:
        """A MediaConvert job of this stack failed: one message per job, with its error."""
        prefix = self.prefix
        return events.Rule(
            self,
            "MediaConvertErrors",
            description=f"Oneway ({prefix}): a MediaConvert job failed",
            event_pattern=events.EventPattern(
                source=["aws.mediaconvert"],
                detail_type=[MEDIACONVERT_DETAIL_TYPE],
                detail={"status": ["ERROR"], "userMetadata": {"stack": [prefix]}},
            ),
            targets=[
                targets.SnsTopic(
                    self.topic,
                    message=events.RuleTargetInput.from_text(
                        f"Oneway ({prefix}): MediaConvert job {events.EventField.from_path('$.detail.jobId')} "
                        f"failed with {events.EventField.from_path('$.detail.errorCode')}: "
                        f"{events.EventField.from_path('$.detail.errorMessage')} "
                        f"(organization {events.EventField.from_path('$.detail.userMetadata.orgId')}, "
                        f"candidate {events.EventField.from_path('$.detail.userMetadata.candidateId')}). "
                        "The answer shows as failed; the candidate may record it again."
                    ),
                    **event_delivery,
                )
            ],
        )
