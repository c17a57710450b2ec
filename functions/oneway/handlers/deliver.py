"""The outbox's consumer: carry out side effects once their state change has committed.

Two triggers (infra/oneway_infra/delivery.py): the table's stream, filtered to new outbox messages
(``{"Records": [...]}``: each message's first try), and a schedule (``{"tasks": ["retries"]}``: every
message and webhook delivery whose next try is due). The only function that sends email (SES),
publishes events (EventBridge) and calls customers' webhooks.

A record whose handling raises (not a failed delivery, which is recorded and retried on the message:
a store error, a bug) is reported as a batch item failure: Lambda retries the batch from it, halves
it on each failure, and after its retries sends the record's place in the stream to the dead-letter queue.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord, DynamoDBRecordEventName

from ..service import delivery
from .deps import delivery_ports

logger = Logger()
tracer = Tracer(auto_patch=False)  # deps.traced() patches botocore with the first client
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _record(record: DynamoDBRecord) -> None:
    image = record.dynamodb.new_image if record.dynamodb else {}
    if record.event_name != DynamoDBRecordEventName.INSERT or image.get("type") != "OutboxMessage":
        return  # the event filter lets only new outbox messages through; anything else is no work
    logger.set_correlation_id(image["message_id"])
    outcome = delivery.deliver_new(delivery_ports(), image["org_id"], image["message_id"], image.get("candidate_id"))
    logger.info("outbox message", extra={"kind": image.get("kind"), "topic": image.get("topic"), "outcome": outcome})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    if "Records" in (event or {}):
        return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    done = delivery.retry_due(delivery_ports())
    logger.info("retries", extra={"done": done})
    return {"retried": done}
