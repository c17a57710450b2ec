"""Alarms, the MediaConvert failure notice, the dashboard, stack outputs."""

from __future__ import annotations

import json

from oneway_infra import cost
from tests.infra.infra_support import getatt, logical_id, of_type, props


def _alarms(resources):
    return list(of_type(resources, "AWS::CloudWatch::Alarm").values())


def _simple(resources, metric_name):
    return [props(a) for a in _alarms(resources) if props(a).get("MetricName") == metric_name]


def _functions(stack):
    p = stack.pipeline
    return {
        "PublicApi": stack.api.public, "StaffApi": stack.api.staff, "OnUpload": p.on_upload, "OnMediaEvent": p.on_media_event,
        "Scheduled": p.scheduled, "Deliver": stack.delivery.function,
    }


def test_alarm_topic_is_tls_only_and_has_the_subscriber(resources, stack):
    topic_id = logical_id(stack, stack.observability.topic)
    (sub,) = of_type(resources, "AWS::SNS::Subscription").values()
    assert props(sub)["Protocol"] == "email"
    assert props(sub)["Endpoint"] == "ops@example.com" and props(sub)["TopicArn"] == {"Ref": topic_id}
    (policy,) = of_type(resources, "AWS::SNS::TopicPolicy").values()
    assert any(
        st["Effect"] == "Deny" and st.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        for st in props(policy)["PolicyDocument"]["Statement"]
    )


def test_every_alarm_notifies_the_topic_when_it_fires_and_clears(resources, stack):
    topic = {"Ref": logical_id(stack, stack.observability.topic)}
    for alarm in _alarms(resources):
        assert props(alarm)["AlarmActions"] == [topic]
        assert props(alarm)["OKActions"] == [topic]


def test_alarms_on_dead_letters(resources, stack):
    alarms = _simple(resources, "ApproximateNumberOfMessagesVisible")
    watched = [d["Value"] for a in alarms for d in a["Dimensions"]]
    for q in (stack.pipeline.upload_dlq, stack.pipeline.event_dlq, stack.delivery.dead_letters):
        assert getatt(stack, q, "QueueName") in watched
    for a in alarms:
        assert (a["Threshold"], a["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def _watched_functions(alarms):
    return sorted(json.dumps(d["Value"]) for a in alarms for d in a["Dimensions"] if d["Name"] == "FunctionName")


def test_alarms_on_every_function_s_errors(resources, stack):
    alarms = [a for a in _simple(resources, "Errors") if a["Namespace"] == "AWS/Lambda"]
    expected = sorted(json.dumps({"Ref": logical_id(stack, f.function)}) for f in _functions(stack).values())
    assert _watched_functions(alarms) == expected
    assert {a["Threshold"] for a in alarms} == {1}


def test_alarms_on_throttles_at_once_for_the_api_and_when_sustained_for_the_pipeline(resources, stack):
    alarms = _simple(resources, "Throttles")
    expected = sorted(json.dumps({"Ref": logical_id(stack, f.function)}) for f in _functions(stack).values())
    assert _watched_functions(alarms) == expected
    api = [json.dumps({"Ref": logical_id(stack, fn.function)}) for fn in (stack.api.public, stack.api.staff)]
    for a in alarms:
        periods = 1 if _watched_functions([a])[0] in api else 3
        assert (a["Threshold"], a["EvaluationPeriods"], a["Period"]) == (1, periods, 300)


def test_alarm_on_the_outbox_falling_behind(resources, stack):
    """The stream's oldest record not yet handed to the deliver function: emails and events waiting."""
    (lag,) = _simple(resources, "IteratorAge")
    assert lag["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": logical_id(stack, stack.delivery.function.function)}}]
    assert (lag["Threshold"], lag["Statistic"], lag["Period"]) == (300_000, "Maximum", 300)


def test_alarm_on_an_upload_backlog(resources, stack):
    (backlog,) = _simple(resources, "ApproximateAgeOfOldestMessage")
    assert backlog["Dimensions"] == [{"Name": "QueueName", "Value": getatt(stack, stack.pipeline.upload_queue, "QueueName")}]
    assert backlog["Threshold"] == 900


def test_alarm_on_the_api_5xx_rate(resources, stack):
    (rate,) = [props(a) for a in _alarms(resources) if "Metrics" in props(a)]
    expression = next(m for m in rate["Metrics"] if "Expression" in m)
    assert expression["Expression"] == "IF(requests >= 20, 100 * errors / requests, 0)"
    assert expression.get("ReturnData", True) is True
    inputs = {m["Id"]: m["MetricStat"] for m in rate["Metrics"] if "MetricStat" in m}
    api = [{"Name": "ApiId", "Value": {"Ref": logical_id(stack, stack.api.http_api)}}]
    assert inputs["requests"]["Metric"] == {"Namespace": "AWS/ApiGateway", "MetricName": "Count", "Dimensions": api}
    assert inputs["errors"]["Metric"] == {"Namespace": "AWS/ApiGateway", "MetricName": "5xx", "Dimensions": api}
    assert rate["Threshold"] == 5


def test_a_failed_mediaconvert_job_of_this_stack_is_sent_to_the_topic(resources, stack):
    rule = props(resources[logical_id(stack, stack.observability.failed_transcodes)])
    assert rule["EventPattern"] == {
        "source": ["aws.mediaconvert"],
        "detail-type": ["MediaConvert Job State Change"],
        "detail": {"status": ["ERROR"], "userMetadata": {"stack": ["oneway"]}},
    }
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Ref": logical_id(stack, stack.observability.topic)}
    assert target["DeadLetterConfig"] == {"Arn": getatt(stack, stack.pipeline.event_dlq)}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
    message = json.dumps(target["InputTransformer"])
    for field in ("$.detail.jobId", "$.detail.errorCode", "$.detail.errorMessage"):
        assert field in message
    # EventBridge may publish to the topic.
    (policy,) = of_type(resources, "AWS::SNS::TopicPolicy").values()
    assert any(
        st["Effect"] == "Allow" and st["Principal"] == {"Service": "events.amazonaws.com"} and st["Action"] == "sns:Publish"
        for st in props(policy)["PolicyDocument"]["Statement"]
    )


def test_the_cost_model_counts_the_alarms(resources):
    assert len(_alarms(resources)) == cost.STACK_ALARMS


def test_dashboard(resources):
    (dashboard,) = of_type(resources, "AWS::CloudWatch::Dashboard").values()
    assert props(dashboard)["DashboardName"] == "oneway"  # the stack prefix
    body = json.dumps(props(dashboard)["DashboardBody"])
    for metric in ("AWS/Lambda", "Throttles", "AWS/ApiGateway", "AWS/SQS", "TriggeredRules", "alarms"):
        assert metric in body, metric


def test_outputs_have_fixed_logical_ids(template, stack):
    outputs = template.to_json()["Outputs"]
    assert set(outputs) == {
        "SiteUrl", "ApiUrl", "UserPoolId", "UserPoolClientId", "TableName", "UploadsBucketName", "MediaBucketName",
        "RetentionDays", "DistributionDomainName", "AuditTableName",
    }
    site = {"Fn::Join": ["", ["https://", getatt(stack, stack.site.distribution, "DomainName")]]}
    assert outputs["SiteUrl"]["Value"] == site
    assert outputs["ApiUrl"]["Value"] == site  # like config.json's apiUrl: the origin of /api/...
    assert outputs["UserPoolId"]["Value"] == {"Ref": logical_id(stack, stack.auth.user_pool)}
    assert outputs["UserPoolClientId"]["Value"] == {"Ref": logical_id(stack, stack.auth.client)}
    assert outputs["TableName"]["Value"] == {"Ref": logical_id(stack, stack.data.table)}
    assert outputs["AuditTableName"]["Value"] == {"Ref": logical_id(stack, stack.data.audit)}  # for the CLI
    assert outputs["UploadsBucketName"]["Value"] == {"Ref": logical_id(stack, stack.storage.uploads)}
    assert outputs["MediaBucketName"]["Value"] == {"Ref": logical_id(stack, stack.storage.media)}
    assert outputs["RetentionDays"]["Value"] == "180"
    assert outputs["DistributionDomainName"]["Value"] == getatt(stack, stack.site.distribution, "DomainName")
