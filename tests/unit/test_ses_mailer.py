"""SesMailer against SES's SendEmail through botocore's Stubber: the configuration set goes with every
email when the stack has one, and SES's refusals become the domain errors the API maps once."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from oneway.adapters.ses import ACCOUNT_REFUSALS, SesMailer
from oneway.domain.errors import EmailUnavailable, InvalidInput
from oneway.domain.models import Mail

SENDER = "interviews@acme.example"
MAIL = Mail(to="ada@example.com", subject="Your interview", text="Hello")


@pytest.fixture
def ses():
    client = boto3.client("ses", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def _request(**extra):
    return {
        "Source": SENDER,
        "Destination": {"ToAddresses": ["ada@example.com"]},
        "Message": {
            "Subject": {"Data": "Your interview", "Charset": "UTF-8"},
            "Body": {"Text": {"Data": "Hello", "Charset": "UTF-8"}},
        },
        **extra,
    }


def test_sends_with_the_configuration_set(ses):
    client, stub = ses
    stub.add_response("send_email", {"MessageId": "m-1"}, _request(ConfigurationSetName="oneway-mail"))
    SesMailer(client, SENDER, "oneway-mail").send(MAIL)


def test_sends_without_a_configuration_set_where_there_is_none(ses):
    client, stub = ses
    stub.add_response("send_email", {"MessageId": "m-1"}, _request())
    SesMailer(client, SENDER).send(MAIL)


def test_the_sandbox_refusing_an_unverified_recipient_is_email_unavailable_not_a_500(ses):
    client, stub = ses
    message = "Email address is not verified. The following identities failed the check in region US-EAST-1: ada@example.com"
    stub.add_client_error("send_email", service_error_code="MessageRejected", service_message=message, http_status_code=400)
    with pytest.raises(EmailUnavailable) as err:
        SesMailer(client, SENDER, "oneway-mail").send(MAIL)
    assert (err.value.status, err.value.code) == (503, "email_unavailable")
    assert "ada@example.com" in err.value.message and "sandbox" in err.value.message


@pytest.mark.parametrize("code", sorted(ACCOUNT_REFUSALS))
def test_every_refusal_of_the_account_is_email_unavailable(ses, code):
    client, stub = ses
    stub.add_client_error("send_email", service_error_code=code, service_message="refused", http_status_code=400)
    with pytest.raises(EmailUnavailable, match=code):
        SesMailer(client, SENDER, "oneway-mail").send(MAIL)


def test_the_refusals_are_sendemails_documented_errors():
    """Every code but the quota's Throttling is an error SendEmail declares in botocore's model."""
    model = boto3.client("ses", region_name="us-east-1").meta.service_model.operation_model("SendEmail")
    declared = {shape.metadata["error"]["code"] for shape in model.error_shapes}
    assert ACCOUNT_REFUSALS - {"Throttling"} == declared


def test_an_address_ses_cannot_parse_stays_the_callers_input(ses):
    client, stub = ses
    stub.add_client_error("send_email", service_error_code="InvalidParameterValue", service_message="Missing final '@domain'")
    with pytest.raises(InvalidInput) as err:
        SesMailer(client, SENDER).send(MAIL)
    assert (err.value.status, err.value.code) == (400, "undeliverable_address")


def test_anything_else_is_not_hidden(ses):
    from botocore.exceptions import ClientError

    client, stub = ses
    stub.add_client_error("send_email", service_error_code="InternalFailure", http_status_code=500)
    with pytest.raises(ClientError):
        SesMailer(client, SENDER).send(MAIL)


def test_the_api_answers_email_unavailable_with_503_and_its_code():
    """The one error mapping at the API edge: the domain error's status and code, the one error shape."""
    import json

    from oneway.handlers.http import create_app
    from oneway.local.gateway import LambdaContext
    from tests.support.events import http_event

    app = create_app()

    @app.get("/api/mail-test")
    def refused():
        raise EmailUnavailable("email to 'ada@example.com' cannot be sent now (MessageRejected: not verified)")

    answer = app.resolve(http_event("GET", "/api/mail-test"), LambdaContext("test"))
    assert answer["statusCode"] == 503
    assert json.loads(answer["body"])["code"] == "email_unavailable"
