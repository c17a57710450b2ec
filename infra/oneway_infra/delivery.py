"""The outbox's consumer: the deliver function, the one that sends email, publishes events and calls webhooks.

  table --stream (new images)--> event source mapping (filter: new outbox messages) --> deliver
      batches of OUTBOX_STREAM_BATCH_SIZE, partial batch responses, split in half on an error, at most
      OUTBOX_STREAM_RETRIES retries; then the failed records' place goes to OutboxDeadLetters (alarmed)
  EventBridge schedule, every SCHEDULE_EVERY_MINUTES --> deliver {"tasks": ["retries"]}
      emails, events and webhook deliveries due for another try (service/delivery.py)

Every use case writes its side effects as outbox messages in the transaction of its change
(functions/oneway/service/outbox.py); this function alone holds ses:SendEmail and events:PutEvents,
and makes the outbound webhook calls.

https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (DynamoDB Streams and Lambda; the role's stream rights)
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html (batch size, bisect, retries, record age)
https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html (on-failure destinations of a stream)
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html (partial batch responses)
https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html (event filters on DynamoDB records)
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from oneway.adapters.dynamo import OUTBOX_STREAM_BATCH_SIZE, OUTBOX_STREAM_FILTER, OUTBOX_STREAM_RETRIES

from . import grants, nag, sizes
from .data import DELIVER_TABLE_ACTIONS, Data
from .lambdas import PythonFunction
from .pipeline import DLQ_RETENTION, Pipeline, secure_queue

# Longer than any one batch takes (ten messages; an event calls each subscribed webhook, 5 s at most each), and
# shorter than a try's lease (service/delivery.py LEASE, 5 minutes), after which another deliverer may take it.
DELIVER_TIMEOUT = Duration.minutes(3)
# The stream keeps a record 24 hours; a record this old is given up to the dead-letter queue (the message itself
# stays in the table, due for the scheduled retries).
DELIVER_MAX_RECORD_AGE = Duration.hours(6)


class Delivery(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        environment: Mapping[str, str],
        layer: lambda_.ILayerVersion,
        data: Data,
        pipeline: Pipeline,
        sender_email: str,
        event_bus_name: str,
        mail_configuration_set_arn: str = "",
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letters = self._dead_letters()
        self.function = fn = self._deliver_function(environment, layer)
        self._grant_delivery(data, sender_email, event_bus_name, mail_configuration_set_arn)
        self.stream_source = self._stream_source(data)
        fn.function.add_event_source(self.stream_source)
        self.schedule = self._retries(pipeline)

    def _dead_letters(self) -> sqs.Queue:
        queue = secure_queue(self, "OutboxDeadLetters", retention_period=DLQ_RETENTION)
        nag.acknowledge(
            queue,
            "AwsSolutions-SQS3",
            "This queue is itself a dead-letter queue: the on-failure destination of the deliver function's "
            "stream and schedule, and where it notes the outbox messages it gave up on; its depth has an alarm.",
        )
        return queue

    def _deliver_function(self, environment: Mapping[str, str], layer: lambda_.ILayerVersion) -> PythonFunction:
        return PythonFunction(
            self,
            "Deliver",
            handler="oneway.handlers.deliver.lambda_handler",
            description="Oneway: send the emails, events and webhook calls that committed changes left in the outbox",
            environment=environment,
            layer=layer,
            service_name="oneway-deliver",
            timeout=DELIVER_TIMEOUT,
            memory_size=sizes.FUNCTION_MEMORY_MB["deliver"],
            star_resource_reason=(
                "dynamodb:ListStreams, which CDK grants with the stream's event source mapping, has no resource-level "
                "permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html); "
                "the stream's own actions are granted on the table's stream ARN."
            ),
        )

    def _grant_delivery(self, data: Data, sender_email: str, event_bus_name: str, mail_configuration_set_arn: str) -> None:
        fn = self.function
        fn.function.add_environment("ONEWAY_OUTBOX_DEAD_LETTERS_URL", self.dead_letters.queue_url)
        data.grant_read_write(fn.role, DELIVER_TABLE_ACTIONS)
        grants.grant_send_email(fn, sender_email, mail_configuration_set_arn)
        grants.grant_put_events(fn, event_bus_name)
        # Notes of given-up messages; Lambda sends the stream's and the schedule's failures with this role too.
        self.dead_letters.grant_send_messages(fn.role)

    def _stream_source(self, data: Data) -> sources.DynamoEventSource:
        # The stream's new outbox messages: their first try, within a second of the commit. CDK grants the
        # role the stream's DescribeStream, GetRecords, GetShardIterator and ListStreams.
        return sources.DynamoEventSource(
            data.table,
            starting_position=lambda_.StartingPosition.TRIM_HORIZON,
            batch_size=OUTBOX_STREAM_BATCH_SIZE,
            bisect_batch_on_error=True,
            retry_attempts=OUTBOX_STREAM_RETRIES,
            max_record_age=DELIVER_MAX_RECORD_AGE,
            report_batch_item_failures=True,
            on_failure=sources.SqsDlq(self.dead_letters),
            filters=[{"pattern": json.dumps(OUTBOX_STREAM_FILTER)}],
        )

    def _retries(self, pipeline: Pipeline) -> events.Rule:
        """Every message and webhook delivery whose next try is due. EventBridge invokes asynchronously."""
        fn = self.function
        rule = events.Rule(
            self,
            "Retries",
            description="Oneway: try again the emails, events and webhook deliveries that are due",
            schedule=events.Schedule.cron(minute=f"0/{sizes.SCHEDULE_EVERY_MINUTES}"),
            targets=[pipeline.target(fn.function, {"tasks": ["retries"]})],
        )
        fn.function.configure_async_invoke(
            on_failure=destinations.SqsDestination(self.dead_letters), retry_attempts=2, max_event_age=Duration.hours(1)
        )
        # https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
        fn.keeps_failures_in(
            "The stream's event source mapping sends records that fail every retry to the alarmed OutboxDeadLetters "
            "queue (its on-failure destination), and the schedule's failed invocations go there too (EventInvokeConfig); "
            "the messages themselves stay in the table, due for the scheduled retries."
        )
        return rule
