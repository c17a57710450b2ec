"""The stack's CloudWatch dashboard: a row for the API, one for the functions, one for the queues,
failed jobs and the alarms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_events as events
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .lambdas import PythonFunction


def add_dashboard(
    scope: Construct,
    *,
    prefix: str,
    functions: Mapping[str, PythonFunction],
    dead_letter_queues: Mapping[str, sqs.IQueue],
    upload_queue: sqs.IQueue,
    http_api: apigw.HttpApi,
    failed_transcodes: events.Rule,
    alarms: Sequence[cw.Alarm],
    period: Duration,
) -> cw.Dashboard:
    dashboard = cw.Dashboard(scope, "Dashboard", dashboard_name=prefix, default_interval=Duration.days(1))
    dashboard.add_widgets(*_api_row(http_api, period))
    dashboard.add_widgets(*_function_row(functions, period))
    dashboard.add_widgets(*_queue_row(upload_queue, dead_letter_queues, failed_transcodes, alarms, period))
    return dashboard


def _api_row(http_api: apigw.HttpApi, period: Duration) -> list[cw.IWidget]:
    return [
        cw.GraphWidget(
            title="API requests and errors",
            left=[http_api.metric_count(period=period, statistic="Sum")],
            right=[
                http_api.metric_client_error(period=period, statistic="Sum"),
                http_api.metric_server_error(period=period, statistic="Sum"),
            ],
            width=12,
        ),
        cw.GraphWidget(
            title="API latency (p50, p99)",
            left=[
                http_api.metric_latency(period=period, statistic="p50"),
                http_api.metric_latency(period=period, statistic="p99"),
            ],
            width=12,
        ),
    ]


def _function_row(functions: Mapping[str, PythonFunction], period: Duration) -> list[cw.IWidget]:
    return [
        cw.GraphWidget(
            title="Function invocations",
            left=[fn.function.metric_invocations(period=period, label=name) for name, fn in functions.items()],
            width=6,
        ),
        cw.GraphWidget(
            title="Function errors",
            left=[fn.function.metric_errors(period=period, label=name) for name, fn in functions.items()],
            width=6,
        ),
        cw.GraphWidget(
            title="Function throttles",
            left=[fn.function.metric_throttles(period=period, label=name) for name, fn in functions.items()],
            width=6,
        ),
        cw.GraphWidget(
            title="Function duration p99",
            left=[
                fn.function.metric_duration(period=period, statistic="p99", label=name)
                for name, fn in functions.items()
            ],
            width=6,
        ),
    ]


def _queue_row(
    upload_queue: sqs.IQueue,
    dead_letter_queues: Mapping[str, sqs.IQueue],
    failed_transcodes: events.Rule,
    alarms: Sequence[cw.Alarm],
    period: Duration,
) -> list[cw.IWidget]:
    failed_transcodes_metric = cw.Metric(
        namespace="AWS/Events",
        metric_name="TriggeredRules",
        dimensions_map={"RuleName": failed_transcodes.rule_name},
        period=period,
        statistic="Sum",
        label="failed MediaConvert jobs",
    )
    return [
        cw.GraphWidget(
            title="Upload queue",
            left=[
                upload_queue.metric_approximate_number_of_messages_visible(period=period, label="visible"),
                upload_queue.metric_approximate_age_of_oldest_message(period=period, label="oldest (s)"),
            ],
            width=8,
        ),
        cw.GraphWidget(
            title="Dead letters",
            left=[
                q.metric_approximate_number_of_messages_visible(period=period, label=name)
                for name, q in dead_letter_queues.items()
            ],
            width=8,
        ),
        cw.GraphWidget(title="Failed MediaConvert jobs", left=[failed_transcodes_metric], width=8),
        cw.AlarmStatusWidget(title="Alarms", alarms=list(alarms), width=24),
    ]
