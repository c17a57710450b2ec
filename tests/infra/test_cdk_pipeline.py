"""Queues, EventBridge rules and schedules of the media pipeline."""

from __future__ import annotations

import json

from tests.infra.infra_support import build_test_app, getatt, logical_id, of_type, props


def test_upload_queue_has_a_dead_letter_queue_after_five_receives(resources, stack):
    q = props(resources[logical_id(stack, stack.pipeline.upload_queue)])
    assert q["RedrivePolicy"] == {"deadLetterTargetArn": getatt(stack, stack.pipeline.upload_dlq), "maxReceiveCount": 5}
    assert q["VisibilityTimeout"] >= 6 * 60


def test_every_queue_is_encrypted_and_tls_only(resources):
    queues = of_type(resources, "AWS::SQS::Queue")
    assert len(queues) == 4  # uploads and its dead letters, EventBridge's dead letters, the outbox's dead letters
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


def _schedules(resources, stack) -> dict[str, list[str]]:
    """Schedule expression -> the tasks its one target asks the scheduled function for."""
    scheduled = getatt(stack, stack.pipeline.scheduled.function)
    found = {}
    for rule in of_type(resources, "AWS::Events::Rule").values():
        p = props(rule)
        if "ScheduleExpression" in p and p["Targets"][0]["Arn"] != getatt(stack, stack.delivery.function.function):
            (target,) = p["Targets"]
            assert target["Arn"] == scheduled
            assert "DeadLetterConfig" in target and "RetryPolicy" in target
            found[p["ScheduleExpression"]] = json.loads(target["Input"])["tasks"]
    return found


def _minutes(expression: str) -> set[int]:
    """The minutes of the hour at which a cron(...) schedule fires (the forms Oneway uses)."""
    minute = expression.removeprefix("cron(").split()[0]
    if "/" in minute:
        start, step = minute.split("/")
        return set(range(int(start), 60, int(step)))
    return {int(m) for m in minute.split(",")}


def test_one_schedule_runs_the_frequent_tasks_and_one_applies_retention_daily(resources, stack):
    from oneway.handlers.scheduled import TASKS

    schedules = _schedules(resources, stack)
    assert schedules == {
        "cron(0/5 * * * ? *)": ["reconcile", "reminders"],
        "cron(17 3 * * ? *)": ["retention", "sweeps"],
    }
    assert {t for tasks in schedules.values() for t in tasks} == set(TASKS)


def test_the_schedules_never_start_at_the_same_minute(resources, stack):
    """With reserved concurrency 1, two schedules firing together would throttle one of them, and the
    throttle alarm would fire at every coincidence: the scheduled function gets one frequent schedule,
    and the daily run starts at a minute the frequent one never does."""
    expressions = list(_schedules(resources, stack))
    assert all(e.startswith("cron(") for e in expressions)  # rate(...) starts whenever the rule was created
    minutes = [_minutes(e) for e in expressions]
    assert set.intersection(*minutes) == set()


def test_eventbridge_may_invoke_on_media_event_and_scheduled(resources, stack):
    perms = [props(p) for p in of_type(resources, "AWS::Lambda::Permission").values()]
    for fn in (stack.pipeline.on_media_event, stack.pipeline.scheduled):
        assert any(
            p["Principal"] == "events.amazonaws.com" and p["FunctionName"] == getatt(stack, fn.function) for p in perms
        )


def test_every_eventbridge_target_retries_and_keeps_what_it_could_not_deliver(resources, stack):
    rules = of_type(resources, "AWS::Events::Rule")
    assert len(rules) == 7  # two job rules, three schedules (two scheduled, one deliver), failed transcodes and mail bounces to the alarm topic
    for rule_id, rule in rules.items():
        for target in props(rule)["Targets"]:
            assert target["DeadLetterConfig"] == {"Arn": getatt(stack, stack.pipeline.event_dlq)}, rule_id
            assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1, rule_id
            assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] <= 6 * 3600, rule_id


def test_every_asynchronously_invoked_function_retries_then_keeps_the_failed_event(resources, stack):
    """Functions that EventBridge invokes are invoked asynchronously: retries, then the DLQ."""
    targeted = {json.dumps(t["Arn"]) for r in of_type(resources, "AWS::Events::Rule").values() for t in props(r)["Targets"]}
    configs = {json.dumps(props(c)["FunctionName"]): props(c) for c in of_type(resources, "AWS::Lambda::EventInvokeConfig").values()}
    for fn in (stack.pipeline.on_media_event, stack.pipeline.scheduled):
        assert json.dumps(getatt(stack, fn.function)) in targeted
        config = configs[json.dumps({"Ref": logical_id(stack, fn.function)})]
        assert config["MaximumRetryAttempts"] == 2
        assert config["DestinationConfig"]["OnFailure"]["Destination"] == getatt(stack, stack.pipeline.event_dlq)


def test_an_upload_burst_waits_in_the_queue(resources, stack):
    (mapping,) = [m for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values() if "Uploads" in str(props(m)["EventSourceArn"])]
    assert props(mapping)["ScalingConfig"] == {"MaximumConcurrency": 5}


def _reserved(resources, stack, fn):
    return props(resources[logical_id(stack, fn.function)]).get("ReservedConcurrentExecutions")


def test_reserved_concurrency_is_off_by_default(resources, stack):
    """New accounts may have a concurrency quota of 10, and Lambda keeps 100 unreserved: any
    reservation would fail their first deployment (docs/deploy.md, first-deploy checklist)."""
    from oneway_infra.constants import CONTEXT_DEFAULTS
    from oneway_infra.stack import cdk_json_context

    assert CONTEXT_DEFAULTS["reservedConcurrency"] is False and cdk_json_context()["reservedConcurrency"] is False
    for fn in (*stack.pipeline.functions, *stack.api.functions.values(), stack.delivery.function):
        assert _reserved(resources, stack, fn) is None, fn.node.path


def test_reserved_concurrency_caps_the_bursty_functions_and_leaves_the_api_free_when_turned_on():
    from aws_cdk.assertions import Template

    _, big = build_test_app(reservedConcurrency="true")
    t = Template.from_stack(big).to_json()["Resources"]
    p = big.pipeline
    assert _reserved(t, big, p.on_media_event) == 5
    assert _reserved(t, big, p.scheduled) == 1  # runs never overlap: one frequent schedule (above)
    assert _reserved(t, big, big.api.public) is None and _reserved(t, big, big.api.staff) is None
    assert _reserved(t, big, big.delivery.function) is None  # its stream's mapping runs one batch per shard at a time
    assert _reserved(t, big, p.on_upload) is None  # capped by its event source instead
