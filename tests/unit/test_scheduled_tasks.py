"""The scheduled handler: one invocation runs a schedule's tasks in order, and one failing task
neither hides the others' turn nor its own failure (the invocation fails and is retried)."""

from __future__ import annotations

import pytest

from oneway.handlers import scheduled
from oneway.local.gateway import LambdaContext


@pytest.fixture
def tasks(monkeypatch):
    ran: list[str] = []

    def task(name, fail=False):
        def run(_ports):
            ran.append(name)
            if fail:
                raise RuntimeError(f"{name} failed")
            return len(ran)

        return run

    monkeypatch.setattr(scheduled, "ports", object)
    monkeypatch.setattr(
        scheduled,
        "TASKS",
        {"reconcile": task("reconcile"), "sweeps": task("sweeps", fail=True), "reminders": task("reminders"),
         "retention": task("retention")},
    )
    return ran


def test_a_schedule_runs_its_tasks_one_after_the_other(tasks):
    answer = scheduled.lambda_handler({"tasks": ["reconcile", "reminders"]}, LambdaContext("oneway-scheduled"))
    assert tasks == ["reconcile", "reminders"]
    assert answer == {"results": {"reconcile": 1, "reminders": 2}}


def test_a_failing_task_leaves_the_others_their_turn_then_fails_the_invocation(tasks):
    with pytest.raises(scheduled.ScheduledTasksFailed, match="sweeps"):
        scheduled.lambda_handler({"tasks": ["reconcile", "sweeps", "reminders"]}, LambdaContext("oneway-scheduled"))
    assert tasks == ["reconcile", "sweeps", "reminders"]


def test_one_task_by_name_still_works(tasks):
    assert scheduled.lambda_handler({"task": "retention"}, LambdaContext("oneway-scheduled")) == {"task": "retention", "result": 1}

