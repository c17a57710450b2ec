"""The outbox's consumer: the table's stream into the deliver function, its retries, dead letters and schedule."""

from __future__ import annotations

import json

from oneway.adapters.dynamo import (
    OUTBOX_STREAM_BATCH_SIZE,
    OUTBOX_STREAM_FILTER,
    OUTBOX_STREAM_RETRIES,
    TABLE_DEFINITION,
)
from tests.infra.infra_support import getatt, logical_id, of_type, props


def _stream_mapping(resources, stack):
    (mapping,) = [
        props(m) for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if props(m)["EventSourceArn"] == getatt(stack, stack.data.table, "StreamArn")
    ]
    return mapping


def test_the_table_streams_new_images_as_the_local_stack_does(resources, stack):
    table = props(resources[logical_id(stack, stack.data.table)])
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    assert TABLE_DEFINITION["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_the_stream_feeds_the_deliver_function_new_outbox_messages_only(resources, stack):
    m = _stream_mapping(resources, stack)
    assert m["FunctionName"] == {"Ref": logical_id(stack, stack.delivery.function.function)}
    # The same filter the local stack's poller applies (oneway/local/streams.py): INSERTs of outbox messages.
    (pattern,) = m["FilterCriteria"]["Filters"]
    assert json.loads(pattern["Pattern"]) == OUTBOX_STREAM_FILTER
    assert m["StartingPosition"] == "TRIM_HORIZON"  # messages written before the mapping existed are not skipped


def test_a_failing_batch_is_split_retried_then_noted_in_the_alarmed_dead_letter_queue(resources, stack):
    """As the local poller does it (the same numbers): partial batch responses, bisect, a few retries, then
    the record's place in the stream goes to the dead-letter queue; the message stays due in the table."""
    m = _stream_mapping(resources, stack)
    assert m["BatchSize"] == OUTBOX_STREAM_BATCH_SIZE
    assert m["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert m["BisectBatchOnFunctionError"] is True
    assert m["MaximumRetryAttempts"] == OUTBOX_STREAM_RETRIES
    assert 0 < m["MaximumRecordAgeInSeconds"] <= 24 * 3600  # within the stream's retention
    assert m["DestinationConfig"] == {"OnFailure": {"Destination": getatt(stack, stack.delivery.dead_letters)}}
    alarms = [props(a) for a in of_type(resources, "AWS::CloudWatch::Alarm").values()]
    assert any(
        a.get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and a["Dimensions"] == [{"Name": "QueueName", "Value": getatt(stack, stack.delivery.dead_letters, "QueueName")}]
        for a in alarms
    )


def test_a_schedule_retries_what_is_due(resources, stack):
    rules = [props(r) for r in of_type(resources, "AWS::Events::Rule").values() if "ScheduleExpression" in props(r)]
    (rule,) = [r for r in rules if r["Targets"][0]["Arn"] == getatt(stack, stack.delivery.function.function)]
    assert rule["ScheduleExpression"] == "cron(0/5 * * * ? *)"
    (target,) = rule["Targets"]
    assert json.loads(target["Input"]) == {"tasks": ["retries"]}
    assert "DeadLetterConfig" in target and target["RetryPolicy"]["MaximumRetryAttempts"] > 0


def test_the_deliver_function_outlasts_no_lease(resources, stack):
    """A try whose deliverer stopped is taken again when its lease ends: the function's timeout is shorter."""
    from oneway.service import delivery, webhooks

    timeout = props(resources[logical_id(stack, stack.delivery.function.function)])["Timeout"]
    assert timeout < delivery.LEASE.total_seconds() and timeout < webhooks.CLAIM.total_seconds()
