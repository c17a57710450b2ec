"""Alarms, dashboard, stack outputs."""

from __future__ import annotations

import json

from infra_support import getatt, logical_id, of_type, props


def _alarms(resources):
    return list(of_type(resources, "AWS::CloudWatch::Alarm").values())


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


def test_every_alarm_notifies_the_topic(resources, stack):
    topic = {"Ref": logical_id(stack, stack.observability.topic)}
    for alarm in _alarms(resources):
        assert props(alarm)["AlarmActions"] == [topic]


def test_alarms_on_dead_letters(resources, stack):
    dlqs = [stack.pipeline.upload_dlq, stack.pipeline.event_dlq]
    watched = [
        d["Value"]
        for a in _alarms(resources)
        if props(a)["MetricName"] == "ApproximateNumberOfMessagesVisible"
        for d in props(a)["Dimensions"]
    ]
    for q in dlqs:
        assert getatt(stack, q, "QueueName") in watched
    for a in _alarms(resources):
        if props(a)["MetricName"] == "ApproximateNumberOfMessagesVisible":
            assert props(a)["Threshold"] == 1
            assert props(a)["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_alarms_on_function_errors(resources, stack):
    p = stack.pipeline
    fns = [stack.api.function, p.on_upload, p.on_media_event, p.scheduled]
    watched = [
        d["Value"]
        for a in _alarms(resources)
        if props(a)["MetricName"] == "Errors" and props(a)["Namespace"] == "AWS/Lambda"
        for d in props(a)["Dimensions"]
    ]
    assert sorted(map(json.dumps, watched)) == sorted(json.dumps({"Ref": logical_id(stack, f.function)}) for f in fns)


def test_alarm_on_api_5xx(resources, stack):
    (api5xx,) = [a for a in _alarms(resources) if props(a)["MetricName"] == "5xx"]
    p = props(api5xx)
    assert p["Namespace"] == "AWS/ApiGateway"
    assert p["Dimensions"] == [{"Name": "ApiId", "Value": {"Ref": logical_id(stack, stack.api.http_api)}}]


def test_dashboard(resources):
    (dashboard,) = of_type(resources, "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(props(dashboard)["DashboardBody"])
    assert "AWS/Lambda" in body and "AWS/ApiGateway" in body and "AWS/SQS" in body


def test_outputs_have_fixed_logical_ids(template, stack):
    outputs = template.to_json()["Outputs"]
    assert set(outputs) == {
        "SiteUrl", "ApiUrl", "UserPoolId", "UserPoolClientId", "TableName", "UploadsBucketName", "MediaBucketName",
    }
    site = {"Fn::Join": ["", ["https://", getatt(stack, stack.site.distribution, "DomainName")]]}
    assert outputs["SiteUrl"]["Value"] == site
    assert outputs["ApiUrl"]["Value"] == site  # like config.json's apiUrl: the origin of /api/...
    assert outputs["UserPoolId"]["Value"] == {"Ref": logical_id(stack, stack.auth.user_pool)}
    assert outputs["UserPoolClientId"]["Value"] == {"Ref": logical_id(stack, stack.auth.client)}
    assert outputs["TableName"]["Value"] == {"Ref": logical_id(stack, stack.data.table)}
    assert outputs["UploadsBucketName"]["Value"] == {"Ref": logical_id(stack, stack.storage.uploads)}
    assert outputs["MediaBucketName"]["Value"] == {"Ref": logical_id(stack, stack.storage.media)}
