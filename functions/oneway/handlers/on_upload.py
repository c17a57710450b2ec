"""S3 ObjectCreated notifications (through SQS) -> start processing the recording."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from ..adapters.sqs import job_request_key
from ..service import pipeline
from .deps import ports

logger = Logger()
tracer = Tracer(auto_patch=False)  # deps.traced() patches botocore with the first client
processor = BatchProcessor(event_type=EventType.SQS)


def uploads_in(body: str) -> list[pipeline.UploadedObject]:
    """The objects an S3 notification names (none for s3:TestEvent)."""
    message = json.loads(body)
    return [
        pipeline.UploadedObject(
            bucket=r["s3"]["bucket"]["name"],
            key=unquote_plus(r["s3"]["object"]["key"]),
            etag=r["s3"]["object"].get("eTag", ""),
            size=r["s3"]["object"].get("size", 0),
        )
        for r in message.get("Records", [])
        if r.get("eventSource") == "aws:s3" and r.get("eventName", "").startswith("ObjectCreated")
    ]


def _record(record: SQSRecord) -> None:
    # One SQS message, one correlation id in every line logged for it.
    logger.set_correlation_id(record.message_id)
    key = job_request_key(record.body)
    if key is not None:  # a retried answer: this function starts its jobs
        logger.info("job request", extra={"key": key, "outcome": pipeline.start_requested_jobs(ports(), key)})
        return
    for upload in uploads_in(record.body):
        outcome = pipeline.start_processing(ports(), upload)
        logger.info("upload", extra={"key": upload.key, "outcome": outcome})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
