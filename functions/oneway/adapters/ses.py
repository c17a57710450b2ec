"""Mailer on SES."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..domain.errors import InvalidInput
from ..ports import Mail


class SesMailer:
    def __init__(self, client: Any, sender: str):
        self._ses = client
        self._sender = sender

    def send(self, mail: Mail) -> None:
        body = {"Text": {"Data": mail.text, "Charset": "UTF-8"}}
        if mail.html:
            body["Html"] = {"Data": mail.html, "Charset": "UTF-8"}
        try:
            self._ses.send_email(
                Source=self._sender,
                Destination={"ToAddresses": [mail.to]},
                Message={"Subject": {"Data": mail.subject, "Charset": "UTF-8"}, "Body": body},
            )
        except ClientError as err:
            if err.response["Error"]["Code"] != "InvalidParameterValue":
                raise
            # An address SES refuses (a domain it cannot parse): the caller's input, not a failure of Oneway.
            raise InvalidInput(f"cannot send email to {mail.to!r}: {err.response['Error']['Message']}", "undeliverable_address") from None
