"""Alarms to an SNS topic (dead letters, function errors, API 5xx) and a small dashboard."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from . import nag
from .lambdas import PythonFunction

PERIOD = Duration.minutes(5)
API_5XX_THRESHOLD = 5


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
        alarm_email: str = "",
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Alarms", display_name="Oneway alarms", enforce_ssl=True)
        nag.acknowledge(
            self.topic,
            "AwsSolutions-SNS2",
            "Alarm notifications carry alarm names and states only, no interview data. CloudWatch cannot "
            "publish to a topic under the AWS-managed SNS key, and a customer key costs more per month "
            "than an idle Oneway stack.",
        )
        if alarm_email:
            self.topic.add_subscription(subs.EmailSubscription(alarm_email))
        action = cw_actions.SnsAction(self.topic)

        self.alarms: list[cw.Alarm] = []

        def alarm(construct_id: str, metric: cw.IMetric, threshold: float, description: str) -> cw.Alarm:
            a = cw.Alarm(
                self,
                construct_id,
                metric=metric,
                threshold=threshold,
                evaluation_periods=1,
                comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
                alarm_description=f"Oneway ({prefix}): {description}",
            )
            a.add_alarm_action(action)
            a.add_ok_action(action)
            self.alarms.append(a)
            return a

        for name, queue in dead_letter_queues.items():
            alarm(
                f"{name}Depth",
                queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
                1,
                f"messages in the dead-letter queue {name}: work that failed every retry",
            )
        for name, fn in functions.items():
            alarm(
                f"{name}Errors",
                fn.function.metric_errors(period=PERIOD, statistic="Sum"),
                1,
                f"the {name} function raised errors",
            )
        alarm(
            "Api5xx",
            http_api.metric_server_error(period=PERIOD, statistic="Sum"),
            API_5XX_THRESHOLD,
            f"the HTTP API answered 5xx at least {API_5XX_THRESHOLD} times in 5 minutes",
        )

        self.dashboard = cw.Dashboard(self, "Dashboard", default_interval=Duration.days(1))
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="API requests and errors",
                left=[http_api.metric_count(period=PERIOD, statistic="Sum")],
                right=[
                    http_api.metric_client_error(period=PERIOD, statistic="Sum"),
                    http_api.metric_server_error(period=PERIOD, statistic="Sum"),
                ],
                width=12,
            ),
            cw.GraphWidget(
                title="API latency (p50, p99)",
                left=[
                    http_api.metric_latency(period=PERIOD, statistic="p50"),
                    http_api.metric_latency(period=PERIOD, statistic="p99"),
                ],
                width=12,
            ),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Function invocations",
                left=[fn.function.metric_invocations(period=PERIOD, label=name) for name, fn in functions.items()],
                width=8,
            ),
            cw.GraphWidget(
                title="Function errors",
                left=[fn.function.metric_errors(period=PERIOD, label=name) for name, fn in functions.items()],
                width=8,
            ),
            cw.GraphWidget(
                title="Function duration p99",
                left=[
                    fn.function.metric_duration(period=PERIOD, statistic="p99", label=name)
                    for name, fn in functions.items()
                ],
                width=8,
            ),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Upload queue",
                left=[
                    upload_queue.metric_approximate_number_of_messages_visible(period=PERIOD, label="visible"),
                    upload_queue.metric_approximate_age_of_oldest_message(period=PERIOD, label="oldest (s)"),
                ],
                width=12,
            ),
            cw.GraphWidget(
                title="Dead letters",
                left=[
                    q.metric_approximate_number_of_messages_visible(period=PERIOD, label=name)
                    for name, q in dead_letter_queues.items()
                ],
                width=12,
            ),
            cw.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=24),
        )
