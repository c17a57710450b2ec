"""Queues, EventBridge rules and schedules of the media pipeline."""

from __future__ import annotations

import json

from infra_support import getatt, logical_id, of_type, props


def test_upload_queue_has_a_dead_letter_queue_after_five_receives(resources, stack):
    q = props(resources[logical_id(stack, stack.pipeline.upload_queue)])
    assert q["RedrivePolicy"] == {"deadLetterTargetArn": getatt(stack, stack.pipeline.upload_dlq), "maxReceiveCount": 5}
    assert q["VisibilityTimeout"] >= 6 * 60


def test_every_queue_is_encrypted_and_tls_only(resources):
    queues = of_type(resources, "AWS::SQS::Queue")
    assert len(queues) == 3
    for qid, q in queues.items():
        p = props(q)
        assert p.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in p, qid
    tls_only = set()
    for policy in of_type(resources, "AWS::SQS::QueuePolicy").values():
        for st in props(policy)["PolicyDocument"]["Statement"]:
            if st["Effect"] == "Deny" and st.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}:
                tls_only |= {q["Ref"] for q in props(policy)["Queues"]}
    assert tls_only == set(queues)


def _rule(resources, stack, rule):
    return props(resources[logical_id(stack, rule)])


def test_mediaconvert_rule_matches_this_stacks_finished_jobs(resources, stack):
    p = _rule(resources, stack, stack.pipeline.mediaconvert_rule)
    assert p["EventPattern"] == {
        "source": ["aws.mediaconvert"],
        "detail-type": ["MediaConvert Job State Change"],
        "detail": {"status": ["COMPLETE", "ERROR", "CANCELED"], "userMetadata": {"stack": ["oneway"]}},
    }


def test_transcribe_rule_matches_this_stacks_finished_jobs(resources, stack):
    p = _rule(resources, stack, stack.pipeline.transcribe_rule)
    assert p["EventPattern"] == {
        "source": ["aws.transcribe"],
        "detail-type": ["Transcribe Job State Change"],
        "detail": {"TranscriptionJobStatus": ["COMPLETED", "FAILED"], "TranscriptionJobName": [{"prefix": "oneway."}]},
    }


def test_job_rules_target_on_media_event_with_retries_and_a_dlq(resources, stack):
    for rule in (stack.pipeline.mediaconvert_rule, stack.pipeline.transcribe_rule):
        (target,) = _rule(resources, stack, rule)["Targets"]
        assert target["Arn"] == getatt(stack, stack.pipeline.on_media_event.function)
        assert target["DeadLetterConfig"] == {"Arn": getatt(stack, stack.pipeline.event_dlq)}
        assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0


def test_schedules_reconcile_every_five_minutes_and_retention_daily(resources, stack):
    scheduled = getatt(stack, stack.pipeline.scheduled.function)
    found = {}
    for rule in of_type(resources, "AWS::Events::Rule").values():
        p = props(rule)
        if "ScheduleExpression" in p:
            (target,) = p["Targets"]
            assert target["Arn"] == scheduled
            assert "DeadLetterConfig" in target and "RetryPolicy" in target
            found[json.loads(target["Input"])["task"]] = p["ScheduleExpression"]
    assert found["reconcile"] == "rate(5 minutes)"
    assert found["retention"].startswith("cron(") and found["retention"].endswith(" * * ? *)")
    assert set(found) == {"reconcile", "retention"}


def test_eventbridge_may_invoke_on_media_event_and_scheduled(resources, stack):
    perms = [props(p) for p in of_type(resources, "AWS::Lambda::Permission").values()]
    for fn in (stack.pipeline.on_media_event, stack.pipeline.scheduled):
        assert any(
            p["Principal"] == "events.amazonaws.com" and p["FunctionName"] == getatt(stack, fn.function) for p in perms
        )
