"""MediaConvert and Transcribe job state changes (EventBridge) -> the take's outcome."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.logging import correlation_paths

from ..adapters import mediaconvert, transcribe
from ..config import settings
from ..service import pipeline
from .deps import ports

logger = Logger()
tracer = Tracer(auto_patch=False)  # deps.traced() patches botocore with the first client


# The EventBridge event's id follows the job's result through the logs.
@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE)
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    state = mediaconvert.parse_event(event, settings().stack_prefix) or transcribe.parse_event(event, settings().stack_prefix)
    if state is None:
        logger.info("not ours", extra={"source": event.get("source"), "detail_type": event.get("detail-type")})
        return {"changed": False}
    # A NotYet error propagates, so EventBridge (or the local pump) delivers the event again later.
    changed = pipeline.record_media_result(ports(), state)
    logger.info("media result", extra={"job": state.job_id, "kind": state.kind, "status": state.status, "changed": changed})
    return {"changed": changed}
