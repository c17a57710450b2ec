"""Scheduled work: finish jobs whose completion events were lost; apply retention (and sweep erased
prefixes); remind candidates. (Webhook and email retries are the deliver function's.)

One schedule runs the frequent tasks one after the other in one invocation ({"tasks": [...]}), so that
two schedules never ask for the function at the same moment (its reserved concurrency may be 1).
{"task": name} runs one task.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from .deps import ports
from .lazy import lazy

logger = Logger()

# Each task's module loads when the task first runs: a cold start for reconciling loads no retention code.
erasure, notifications, pipeline, privacy = (lazy(f"oneway.service.{m}") for m in ("erasure", "notifications", "pipeline", "privacy"))
# The lambdas look the function up when the task runs, which is what defers the module's load.
TASKS = {
    "reconcile": lambda p: pipeline.reconcile(p),  # noqa: PLW0108
    "retention": lambda p: privacy.apply_retention(p),  # noqa: PLW0108
    "reminders": lambda p: notifications.send_reminders(p),  # noqa: PLW0108
    "sweeps": lambda p: erasure.sweep_due(p),  # noqa: PLW0108
}


class ScheduledTasksFailed(RuntimeError):
    """Some tasks of a run raised: the invocation fails (and is retried) after every task had its turn."""


@logger.inject_lambda_context
def lambda_handler(event, context):
    event = event or {}
    if "tasks" not in event:
        task = event.get("task", "reconcile")
        result = TASKS[task](ports())
        logger.info("scheduled", extra={"task": task, "result": result})
        return {"task": task, "result": result}
    results, failed = {}, []
    for task in event["tasks"]:
        try:  # a failing task must not keep the others from their turn
            results[task] = TASKS[task](ports())
        except Exception:
            logger.exception("scheduled task failed", extra={"task": task})
            failed.append(task)
    logger.info("scheduled", extra={"results": results, "failed": failed})
    if failed:
        raise ScheduledTasksFailed(f"scheduled tasks failed: {', '.join(failed)}")
    return {"results": results}
