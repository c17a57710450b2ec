"""SQS: job requests on the uploads queue (on_upload reads them beside S3's notifications), and the
outbox's dead-letter queue (the deliver function's notes of messages it gave up on)."""

from __future__ import annotations

import json
from typing import Any

# The shape of a job request on the uploads queue (an S3 notification has "Records" instead).
START_JOBS = "oneway:start-jobs"


def job_request_body(upload_key: str) -> str:
    return json.dumps({"type": START_JOBS, "key": upload_key})


def job_request_key(body: str) -> str | None:
    """The recording a job request names; None for anything else (S3 notifications)."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if isinstance(message, dict) and message.get("type") == START_JOBS and isinstance(message.get("key"), str):
        return message["key"]
    return None


class SqsJobRequests:
    def __init__(self, client: Any, queue_url: str):
        self.client = client
        self.queue_url = queue_url

    def request_jobs(self, upload_key: str) -> None:
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=job_request_body(upload_key))


class SqsDeadLetters:
    """The outbox's dead-letter queue, which Lambda also sends the stream's failed batches to (alarmed)."""

    def __init__(self, client: Any, queue_url: str):
        self.client = client
        self.queue_url = queue_url

    def put(self, note: dict[str, Any]) -> None:
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps({"type": "oneway:outbox-given-up", **note}))
