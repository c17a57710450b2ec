"""Mailer on SES (API v1 SendEmail), with the stack's configuration set when there is one.

SES's refusals become domain errors, each mapped once to an HTTP status at the API edge:
- an address SES cannot parse (InvalidParameterValue) is the caller's input: InvalidInput;
- a refusal of the account's state, not of the input, is EmailUnavailable (503): the sandbox
  refusing an unverified recipient (MessageRejected), sending paused for the account or the
  configuration set, a MAIL FROM domain SES cannot verify, a missing configuration set, and the
  sending quota (Throttling, once botocore's retries are spent).
https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html (errors)
https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html (Throttling)

Emails arrive rendered (service/mail_layout.py): the text and, when there is one, the HTML go as the two parts
of the body, which SES sends as alternatives of one message; no SES template is involved.
https://docs.aws.amazon.com/ses/latest/APIReference/API_Body.html
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..domain.errors import EmailUnavailable, InvalidInput
from ..domain.models import Mail

# SES error codes (botocore's model of SendEmail) that refuse a message for the account's sake.
ACCOUNT_REFUSALS = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "ConfigurationSetDoesNotExist",
        "ConfigurationSetSendingPausedException",
        "AccountSendingPausedException",
        "Throttling",
    }
)


class SesMailer:
    def __init__(self, client: Any, sender: str, configuration_set: str = ""):
        self._ses = client
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, mail: Mail) -> None:
        body = {"Text": {"Data": mail.text, "Charset": "UTF-8"}}
        if mail.html:
            body["Html"] = {"Data": mail.html, "Charset": "UTF-8"}
        request: dict[str, Any] = {
            "Source": self._sender,
            "Destination": {"ToAddresses": [mail.to]},
            "Message": {"Subject": {"Data": mail.subject, "Charset": "UTF-8"}, "Body": body},
        }
        if self._configuration_set:  # bounces and complaints are recorded through it
            request["ConfigurationSetName"] = self._configuration_set
        try:
            self._ses.send_email(**request)
        except ClientError as err:
            code, message = err.response["Error"]["Code"], err.response["Error"].get("Message", "")
            if code == "InvalidParameterValue":
                # An address SES refuses (a domain it cannot parse): the caller's input, not a failure of Oneway.
                raise InvalidInput(f"cannot send email to {mail.to!r}: {message}", "undeliverable_address") from None
            if code in ACCOUNT_REFUSALS:
                raise EmailUnavailable(_unavailable(mail.to, code, message)) from None
            raise


def _unavailable(to: str, code: str, message: str) -> str:
    text = f"email to {to!r} cannot be sent now ({code}: {message})"
    if code == "MessageRejected" and "not verified" in message:
        # The SES sandbox: only verified recipients until the account has production access.
        text += "; the SES account is in the sandbox (docs/deploy.md: leaving the SES sandbox)"
    return text
