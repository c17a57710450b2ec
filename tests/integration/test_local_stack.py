"""`make dev`'s stack as a process: it serves the contract, and its state survives a restart."""

from __future__ import annotations

import pytest
import requests

from tests.support.client import Api, token_from, wait_for
from tests.support.stack import start_stack


@pytest.fixture
def state_dir(tmp_path):
    return tmp_path / "state"


def test_state_survives_a_clean_restart(state_dir, tmp_path):
    site = tmp_path / "site"
    (site / "c").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>review</title>")
    (site / "c" / "index.html").write_text("<!doctype html><title>candidate</title>")

    first = start_stack(state_dir, site_dir=site)
    try:
        cfg = first.config()
        assert set(cfg) >= {"apiUrl", "region", "userPoolId", "userPoolClientId", "cognitoEndpoint", "stage"}
        assert cfg["apiUrl"] == first.url and cfg["stage"] == "local"
        assert requests.get(f"{first.url}/c/", timeout=5).text.endswith("<title>candidate</title>")
        assert requests.get(f"{first.url}/c/", timeout=5).headers["Referrer-Policy"] == "no-referrer"
        assert "review" in requests.get(f"{first.url}/interviews/x", timeout=5).text
        assert requests.get(f"{first.url}/api/interviews", timeout=5).status_code == 401
        api = Api(first.url, first.sign_in())
        made = api.post("/api/interviews", {"title": "Kept", "questions": [{"prompt": "Hi?", "kind": "text"}]}, expect=201)
        inv = api.post(f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Ada", "email": "ada@example.com"}]}, expect=201)
        token = token_from(inv["items"][0]["inviteUrl"])
        Api(first.url, token).post("/api/c/consent", {"accepted": True})
        # The invitation email leaves through the outbox: the table's stream, the deliver function, SES.
        wait_for(first.outbox, timeout=15, what="the invitation email")
        assert_first_sign_in_challenge_is_cognitos(first, cfg)
    finally:
        first.stop()
    assert first.process.returncode == 0, first.log_path.read_text()[-2000:]

    second = start_stack(state_dir, site_dir=site)
    try:
        assert second.config()["userPoolId"] == cfg["userPoolId"]
        api = Api(second.url, second.sign_in())  # the same recruiter, the same password
        assert [i["title"] for i in api.get("/api/interviews")["items"]] == ["Kept"]
        session = Api(second.url, token).get("/api/c/session")  # the candidate's link still works
        assert session["status"] == "started" and session["interview"]["orgName"] == "Demo Company"
        assert len(second.outbox()) == 1  # the restarted stack's stream poller sends nothing twice
    finally:
        second.stop()


def assert_first_sign_in_challenge_is_cognitos(stack, cfg) -> None:
    """The embedded Cognito's NEW_PASSWORD_REQUIRED carries the userAttributes and requiredAttributes (JSON) that
    Cognito sends and amazon-cognito-identity-js parses (moto alone omits them; see local/aws.py)."""
    import json

    import boto3

    idp = boto3.client("cognito-idp", endpoint_url=stack.aws_endpoint, region_name=cfg["region"], aws_access_key_id="x", aws_secret_access_key="x")
    email = "first-time@example.com"
    idp.admin_create_user(
        UserPoolId=cfg["userPoolId"], Username=email, TemporaryPassword="Temporary-pass-1", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )
    first = idp.initiate_auth(
        ClientId=cfg["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": "Temporary-pass-1"}
    )
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert json.loads(first["ChallengeParameters"]["userAttributes"]) == {"email": email, "email_verified": "true"}
    assert json.loads(first["ChallengeParameters"]["requiredAttributes"]) == []


def test_web_pages_elsewhere_cannot_reach_the_embedded_aws_or_the_outbox(state_dir, tmp_path):
    """Only this machine's programs and the site's own pages reach the local stack: another web origin, another
    host name (DNS rebinding) and the outbox without the run's key are refused."""
    import boto3

    site = tmp_path / "site"
    (site / "c").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>review</title>")
    stack = start_stack(state_dir, site_dir=site)
    try:
        table = {"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"}
        evil = {"Origin": "https://evil.example"}
        # A page elsewhere, by fetch (the browser sends its Origin, preflight first).
        assert requests.post(stack.aws_endpoint, data="{}", headers={**table, **evil}, timeout=5).status_code == 403
        assert requests.options(stack.aws_endpoint, headers={**evil, "Access-Control-Request-Method": "POST"}, timeout=5).status_code == 403
        assert requests.get(f"{stack.aws_endpoint}/oneway-uploads", headers=evil, timeout=5).status_code == 403
        # DNS rebinding: the same address under the attacker's host name.
        assert requests.get(f"{stack.aws_endpoint}/oneway-uploads", headers={"Host": "rebound.evil.example"}, timeout=5).status_code == 403
        assert requests.get(f"{stack.url}/config.json", headers={"Host": "rebound.evil.example"}, timeout=5).status_code == 403
        # The site's own pages and programs still reach it.
        assert requests.options(
            f"{stack.aws_endpoint}/oneway-uploads/x", headers={"Origin": stack.url, "Access-Control-Request-Method": "PUT"}, timeout=5
        ).status_code == 200
        ddb = boto3.client("dynamodb", endpoint_url=stack.aws_endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        assert "oneway" in ddb.list_tables()["TableNames"]
        # The outbox wants this run's key; the first visit with it leaves a cookie for the next.
        assert requests.get(f"{stack.url}/dev/outbox", timeout=5).status_code == 403
        assert requests.get(f"{stack.url}/dev/outbox.json?key=guess", timeout=5).status_code == 403
        browser = requests.Session()
        assert browser.get(stack.outbox_url, timeout=5).status_code == 200
        assert browser.get(f"{stack.url}/dev/outbox.json", timeout=5).json() == []
    finally:
        stack.stop()
