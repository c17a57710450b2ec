"""Scheduled work: finish jobs whose completion events were lost; apply retention (and sweep erased prefixes);
remind candidates; retry webhooks."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from ..service import erasure, notifications, pipeline, privacy, webhooks
from .deps import ports

logger = Logger()

TASKS = {"reconcile": pipeline.reconcile, "retention": privacy.apply_retention, "reminders": notifications.send_reminders,
         "webhooks": webhooks.retry_due, "sweeps": erasure.sweep_due}


@logger.inject_lambda_context
def lambda_handler(event, context):
    task = (event or {}).get("task", "reconcile")
    result = TASKS[task](ports())
    logger.info("scheduled", extra={"task": task, "result": result})
    return {"task": task, "result": result}
