"""The event pump: what SQS triggers and EventBridge rules do on AWS.

S3 notifications wait in the uploads queue; the pump hands them to the real
``on_upload`` handler in SQS batches and deletes only what it processed.
Media job events from the local workers go to ``on_media_event``, with
retries like EventBridge's. The table's stream goes to ``deliver`` (the
outbox: streams.py plays Lambda's event source mapping). The reconciler and
the deliver function's retries run every minute.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from .gateway import LambdaContext
from .streams import StreamPoller

log = logging.getLogger("oneway.local")


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {"ApproximateReceiveCount": m.get("Attributes", {}).get("ApproximateReceiveCount", "1")},
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


class Pump:
    def __init__(
        self,
        *,
        sqs: Any,
        uploads_queue_url: str,
        on_upload: Callable[[dict, Any], dict],
        on_media_event: Callable[[dict, Any], Any],
        scheduled: Callable[[dict, Any], Any],
        deliver: Callable[[dict, Any], Any] | None = None,
        outbox: StreamPoller | None = None,
        reconcile_every: float = 60.0,
    ):
        self._sqs = sqs
        self._queue_url = uploads_queue_url
        self._queue_arn = sqs.get_queue_attributes(QueueUrl=uploads_queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self._on_upload = on_upload
        self._on_media_event = on_media_event
        self._scheduled = scheduled
        self._deliver = deliver
        self._outbox = outbox
        self._reconcile_every = reconcile_every
        self._events: queue.Queue[tuple[float, int, dict]] = queue.Queue()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._uploads_loop, name="pump-uploads", daemon=True),
            threading.Thread(target=self._events_loop, name="pump-media-events", daemon=True),
            threading.Thread(target=self._schedule_loop, name="pump-schedule", daemon=True),
        ]
        if outbox is not None:
            self._threads.append(threading.Thread(target=outbox.run, args=(self._stop.wait, 0.3), name="pump-outbox", daemon=True))

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)

    def media_event(self, event: dict) -> None:
        """What an EventBridge rule would deliver to on_media_event."""
        self._events.put((time.monotonic(), 0, event))

    def _uploads_loop(self) -> None:
        while not self._stop.is_set():
            try:
                got = self._sqs.receive_message(
                    QueueUrl=self._queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"]
                ).get("Messages", [])
                if not got:
                    continue
                answer = self._on_upload(sqs_event(got, self._queue_arn), LambdaContext("oneway-on-upload")) or {}
                failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
                done = [m for m in got if m["MessageId"] not in failed]
                if done:
                    self._sqs.delete_message_batch(
                        QueueUrl=self._queue_url,
                        Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
                    )
            except Exception:
                log.exception("upload pump")
                self._stop.wait(1)

    def _events_loop(self) -> None:
        while not self._stop.is_set():
            try:
                due, attempt, event = self._events.get(timeout=0.5)
            except queue.Empty:
                continue
            wait = due - time.monotonic()
            if wait > 0:
                self._events.put((due, attempt, event))
                self._stop.wait(min(wait, 0.2))
                continue
            try:
                self._on_media_event(event, LambdaContext("oneway-on-media-event"))
            except Exception as err:
                if attempt < 8:
                    # EventBridge retries with backoff; so do we.
                    self._events.put((time.monotonic() + min(30, 0.5 * 2**attempt), attempt + 1, event))
                    log.info("media event retried later: %s", err)
                else:
                    log.exception("media event dropped after retries (the reconciler will finish it)")

    def _schedule_loop(self) -> None:
        while not self._stop.wait(self._reconcile_every):
            for task in ("reconcile", "reminders", "sweeps"):  # reminders, sweeps: one query of what is due
                try:
                    self._scheduled({"task": task}, LambdaContext("oneway-scheduled"))
                except Exception:
                    log.exception(task)
            if self._deliver is not None:  # emails, events and webhook deliveries due for another try
                try:
                    self._deliver({"tasks": ["retries"]}, LambdaContext("oneway-deliver"))
                except Exception:
                    log.exception("deliver retries")
