"""What Lambda's event source mapping does with the table's stream, for the local stack and the tests.

moto implements the DynamoDB Streams API (DescribeStream, GetShardIterator, GetRecords) and writes a
stream record for every put, update, delete and transaction of a table whose stream is on; this poller
reads it the way Lambda does for the deliver function (infra/oneway_infra/delivery.py):

- the records of each shard in order, in batches of ``batch_size``, filtered by the same event filter
  (``OUTBOX_STREAM_FILTER``: a record that does not match is passed over, as Lambda drops it);
- each batch handed to the real handler in the shape Lambda gives it (``eventSourceARN`` included);
- a batch item failure (``batchItemFailures``), or a handler that raises, retries the batch from the
  first failed record, split in half each time (bisect on error), at most ``max_retries`` times; then
  the failed record's place in the stream goes to ``on_failure`` (the dead-letter queue) and the poller
  moves past it, as Lambda's on-failure destination gets a batch's shard and sequence numbers;
- where it got to is kept per shard (in ``checkpoint``, a file, across restarts of the local stack).

https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("oneway.local")

Handler = Callable[[dict, Any], dict | None]


def matches(pattern: Any, value: Any) -> bool:
    """Whether ``value`` matches an event filter ``pattern`` (exact values only: what Oneway's filters use).
    https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html"""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(k in value and matches(p, value[k]) for k, p in pattern.items())
    if isinstance(pattern, list):
        return value in pattern
    raise ValueError(f"unsupported filter pattern {pattern!r}")


class StreamPoller:
    def __init__(
        self,
        *,
        streams: Any,
        stream_arn: str,
        handler: Handler,
        context: Callable[[], Any],
        pattern: dict[str, Any] | None = None,
        batch_size: int = 10,
        max_retries: int = 3,
        on_failure: Callable[[dict[str, Any]], None] | None = None,
        checkpoint: Path | None = None,
        region: str = "us-east-1",
    ):
        self._streams = streams
        self.stream_arn = stream_arn
        self._handler = handler
        self._context = context
        self._pattern = pattern
        self._batch_size = batch_size
        self._max_retries = max_retries
        self._on_failure = on_failure
        self._checkpoint = checkpoint
        self._region = region
        self._done: dict[str, str] = json.loads(checkpoint.read_text()) if checkpoint and checkpoint.exists() else {}

    def poll(self) -> int:
        """Read every shard once to its end; hand the matching records over. How many were handed over."""
        handed = 0
        for shard in self._streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]:
            handed += self._poll_shard(shard["ShardId"])
        return handed

    def drain(self, rounds: int = 20) -> int:
        """Poll until a round finds nothing new (handlers may write records that are delivered in turn)."""
        total = 0
        for _ in range(rounds):
            handed = self.poll()
            total += handed
            if not handed:
                break
        return total

    def _records(self, shard_id: str) -> list[dict[str, Any]]:
        after = self._done.get(shard_id)
        ask = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after} if after else {"ShardIteratorType": "TRIM_HORIZON"}
        iterator = self._streams.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard_id, **ask)["ShardIterator"]
        found: list[dict[str, Any]] = []
        while iterator:
            page = self._streams.get_records(ShardIterator=iterator, Limit=1000)
            found += page["Records"]
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
        return found

    def _lambda_record(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "eventID": r.get("eventID") or uuid.uuid4().hex,
            "eventName": r["eventName"],
            "eventVersion": r.get("eventVersion", "1.1"),
            "eventSource": "aws:dynamodb",
            "awsRegion": r.get("awsRegion", self._region),
            "dynamodb": {k: (v.timestamp() if isinstance(v, datetime) else v) for k, v in r["dynamodb"].items()},
            "eventSourceARN": self.stream_arn,
        }

    def _poll_shard(self, shard_id: str) -> int:
        records = [self._lambda_record(r) for r in self._records(shard_id)]
        if not records:
            return 0
        handed = 0
        pending = [r for r in records if self._pattern is None or matches(self._pattern, r)]
        size, retries = self._batch_size, 0
        while pending:
            batch = pending[:size]
            failed_at = self._invoke(batch)
            if failed_at is None:
                handed += len(batch)
                pending = pending[len(batch) :]
                size, retries = self._batch_size, 0
                self._advance(shard_id, batch[-1])
                continue
            # Everything before the first failure is done; retry from it, in a batch half as large.
            handed += failed_at
            if failed_at:
                self._advance(shard_id, batch[failed_at - 1])
            pending = pending[failed_at:]
            retries = 0 if failed_at else retries + 1
            size = max(1, len(batch[failed_at:]) // 2)
            if retries > self._max_retries:
                self._give_up(shard_id, pending[0], retries)
                self._advance(shard_id, pending[0])
                pending, size, retries = pending[1:], self._batch_size, 0
        self._advance(shard_id, records[-1])
        return handed

    def _invoke(self, batch: list[dict[str, Any]]) -> int | None:
        """Hand a batch over; None when all of it was handled, else the index of the first failed record."""
        try:
            answer = self._handler({"Records": batch}, self._context()) or {}
        except Exception:
            log.exception("stream batch failed (the whole batch is retried)")
            return 0
        failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
        for i, r in enumerate(batch):
            if r["dynamodb"]["SequenceNumber"] in failed:
                return i
        return None

    def _advance(self, shard_id: str, record: dict[str, Any]) -> None:
        sequence = record["dynamodb"]["SequenceNumber"]
        if int(sequence) <= int(self._done.get(shard_id, "0")):
            return
        self._done[shard_id] = sequence
        if self._checkpoint:
            self._checkpoint.write_text(json.dumps(self._done))

    def _give_up(self, shard_id: str, record: dict[str, Any], attempts: int) -> None:
        """What Lambda sends its on-failure destination for a stream batch: where the records are, not the records."""
        sequence = record["dynamodb"]["SequenceNumber"]
        note = {
            "requestContext": {"condition": "RetryAttemptsExhausted", "approximateInvokeCount": attempts},
            "timestamp": datetime.now(UTC).isoformat(),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": sequence,
                "endSequenceNumber": sequence,
                "batchSize": 1,
                "streamArn": self.stream_arn,
            },
        }
        log.error("stream record %s given up after %d tries", sequence, attempts)
        if self._on_failure is not None:
            self._on_failure(note)

    def run(self, stopped: Callable[[float], bool], every: float = 0.5) -> None:
        """Poll until ``stopped(every)`` says so (a threading.Event's wait)."""
        while not stopped(every):
            try:
                self.poll()
            except Exception:
                log.exception("stream poller")
                time.sleep(1)


def outbox_poller(stream_arn: str, dead_letters_url: str, *, region: str = "us-east-1", checkpoint: Path | None = None) -> StreamPoller:
    """The deliver function's event source mapping, as infra/oneway_infra/delivery.py configures it on AWS:
    the table's stream, filtered to new outbox messages, into ``handlers/deliver.py``; records that fail
    every retry are noted on the outbox's dead-letter queue."""
    import boto3
    from botocore.config import Config

    from ..adapters.dynamo import OUTBOX_STREAM_BATCH_SIZE, OUTBOX_STREAM_FILTER, OUTBOX_STREAM_RETRIES
    from ..handlers import deliver
    from .gateway import LambdaContext

    # botocore addresses DynamoDB Streams by account (``<account>.streams-ddb.<region>``) unless told not to,
    # which moto in process does not route; the local stack's endpoint makes it moot there.
    streams = boto3.client("dynamodbstreams", region_name=region, config=Config(account_id_endpoint_mode="disabled"))
    sqs = boto3.client("sqs", region_name=region)

    def dead_letter(note: dict[str, Any]) -> None:
        if dead_letters_url:
            sqs.send_message(QueueUrl=dead_letters_url, MessageBody=json.dumps(note))

    return StreamPoller(
        streams=streams,
        stream_arn=stream_arn,
        handler=deliver.lambda_handler,
        context=lambda: LambdaContext("oneway-deliver"),
        pattern=OUTBOX_STREAM_FILTER,
        batch_size=OUTBOX_STREAM_BATCH_SIZE,  # as the deployed event source mapping (infra/oneway_infra/delivery.py)
        max_retries=OUTBOX_STREAM_RETRIES,
        on_failure=dead_letter,
        checkpoint=checkpoint,
        region=region,
    )
