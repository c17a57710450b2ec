"""The pipeline's log lines carry a correlation id: the SQS message's, the EventBridge event's."""

from __future__ import annotations

import json
from typing import Any

from oneway.handlers import on_media_event, on_upload
from oneway.local.gateway import LambdaContext


def test_on_upload_logs_each_message_under_its_id():
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent"}  # no object: nothing to start
    event: dict[str, Any] = {
        "Records": [
            {"messageId": mid, "receiptHandle": "r", "body": json.dumps(test_event), "attributes": {}, "messageAttributes": {},
             "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:oneway-uploads", "awsRegion": "us-east-1"}
            for mid in ("m-1", "m-2")
        ]
    }
    assert on_upload.lambda_handler(event, LambdaContext("on_upload")) == {"batchItemFailures": []}
    assert on_upload.logger.get_correlation_id() == "m-2"  # the last message handled


def test_on_media_event_logs_under_the_eventbridge_event_id():
    event = {
        "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "source": "aws.mediaconvert",
        "detail-type": "MediaConvert Job State Change",
        "detail": {"status": "COMPLETE", "jobId": "j", "userMetadata": {"stack": "another-stack"}},
    }
    assert on_media_event.lambda_handler(event, LambdaContext("on_media_event")) == {"changed": False}
    assert on_media_event.logger.get_correlation_id() == event["id"]
