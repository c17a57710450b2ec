"""Mail: the SES configuration set that every Oneway email is sent with, and what it records.

- Bounces and complaints are published to EventBridge (the default bus: the only one an SES
  event destination supports) and reach the alarm topic, one message per event, through a rule
  filtered on this configuration set's name (SES tags each event's mail with it).
- Delivery requires TLS: an invitation carries a link whose token is the candidate's key.
- Reputation metrics (bounce and complaint rates) go to CloudWatch, free of charge.

The functions send with ``ConfigurationSetName`` (ONEWAY_SES_CONFIGURATION_SET); ses:SendEmail is
then authorized on the configuration set too (grants.grant_send_email).

https://docs.aws.amazon.com/ses/latest/dg/using-configuration-sets.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ses-configurationseteventdestination-eventbridgedestination.html
https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html (detail types)
https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html (the mail's
``ses:configuration-set`` tag)
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Aws
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from constructs import Construct

BOUNCE_DETAIL_TYPES = ["Email Bounced", "Email Complaint Received"]


class Mail(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, prefix: str) -> None:
        super().__init__(scope, construct_id)
        self.prefix = prefix
        self.configuration_set = ses.ConfigurationSet(
            self,
            "ConfigurationSet",
            configuration_set_name=f"{prefix}-mail",
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
            reputation_metrics=True,
            sending_enabled=True,
        )
        self.default_bus = events.EventBus.from_event_bus_name(self, "DefaultBus", "default")
        self.events = self.configuration_set.add_event_destination(
            "BouncesAndComplaints",
            destination=ses.EventDestination.event_bus(self.default_bus),
            events=[ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
        )

    @property
    def configuration_set_name(self) -> str:
        return self.configuration_set.configuration_set_name

    @property
    def configuration_set_arn(self) -> str:
        return f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:configuration-set/{self.configuration_set_name}"

    def notify(self, topic: sns.ITopic, *, delivery: Mapping) -> events.Rule:
        """One message on ``topic`` per bounce or complaint of this configuration set's mail."""
        detail = events.EventField.from_path
        self.bounces = events.Rule(
            self,
            "BouncesAndComplaintsToAlarms",
            description=f"Oneway ({self.prefix}): an email bounced or its recipient complained",
            event_pattern=events.EventPattern(
                source=["aws.ses"],
                detail_type=BOUNCE_DETAIL_TYPES,
                detail={"mail": {"tags": {"ses:configuration-set": [self.configuration_set_name]}}},
            ),
            targets=[
                targets.SnsTopic(
                    topic,
                    message=events.RuleTargetInput.from_text(
                        f"Oneway ({self.prefix}): {detail('$.detail.eventType')} for the email "
                        f"\"{detail('$.detail.mail.commonHeaders.subject')}\" to "
                        f"{detail('$.detail.mail.destination')}. A bounce usually means a mistyped address: "
                        "check the recipient's address in Oneway. SES stops sending to an "
                        "address that bounced (its suppression list); a high bounce or complaint rate can "
                        "pause the account's sending."
                    ),
                    **delivery,
                )
            ],
        )
        return self.bounces
