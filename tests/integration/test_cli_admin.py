"""`oneway admin create-user`: on a deployed stack (moto, with a real CloudFormation stack and
its outputs) and on the local stack (a process, as `make dev` runs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3
import pytest
from moto import mock_aws

from oneway.adapters.dynamo import AUDIT_TABLE_DEFINITION, TABLE_DEFINITION, DynamoStore
from oneway.cli import admin
from oneway.cli.main import main
from oneway.domain.models import Role
from tests.support.client import Api
from tests.support.stack import ROOT, start_stack

REGION = "eu-west-1"
STACK_TEMPLATE = {
    "Resources": {"Alarms": {"Type": "AWS::SNS::Topic"}},
    "Outputs": {
        "UserPoolId": {"Value": "{pool}"},
        "UserPoolClientId": {"Value": "{client}"},
        "TableName": {"Value": "{table}"},
        "AuditTableName": {"Value": "oneway-Audit-4D5E6F"},
        "RetentionDays": {"Value": "90"},
    },
}


@pytest.fixture
def deployed(monkeypatch):
    """A Oneway-like stack in moto: the pool and table, and a CloudFormation stack whose outputs name them."""
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": REGION,
                 "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(k, v)
    for k in ("ONEWAY_AWS_PORT", "AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(k, raising=False)
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name=REGION)
        pool = idp.create_user_pool(
            PoolName="oneway",
            UsernameAttributes=["email"],
            Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True,
                                         "RequireNumbers": True, "RequireSymbols": True}},
        )["UserPool"]["Id"]
        client = idp.create_user_pool_client(
            UserPoolId=pool, ClientName="site", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        )["UserPoolClient"]["ClientId"]
        ddb = boto3.client("dynamodb", region_name=REGION)
        ddb.create_table(TableName="oneway-Table-1A2B3C", **TABLE_DEFINITION)
        ddb.create_table(TableName="oneway-Audit-4D5E6F", **AUDIT_TABLE_DEFINITION)
        template = json.dumps(STACK_TEMPLATE).replace("{pool}", pool).replace("{client}", client).replace(
            "{table}", "oneway-Table-1A2B3C"
        )
        boto3.client("cloudformation", region_name=REGION).create_stack(StackName="oneway", TemplateBody=template)
        yield {"idp": idp, "pool": pool, "client": client, "store": DynamoStore(ddb, "oneway-Table-1A2B3C", "oneway-Audit-4D5E6F")}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["admin", "create-user", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def user(env, email):
    return env["idp"].admin_get_user(UserPoolId=env["pool"], Username=email)


def test_the_first_admin_of_a_deployed_stack_gets_a_temporary_password_by_email(deployed, capsys):
    code, out, err = run(capsys, "--email", "Boss@Acme.example", "--org", "Acme Corp", "--stack", "oneway")
    assert code == 0, err
    assert "stack oneway in eu-west-1" in out and "emailed a temporary password" in out

    got = user(deployed, "boss@acme.example")
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # Cognito's temporary password: changed at first sign-in
    sub = next(a["Value"] for a in got["UserAttributes"] if a["Name"] == "sub")
    from datetime import UTC, datetime

    (added,) = deployed["store"].list_audit("acme-corp", datetime.now(UTC).strftime("%Y-%m"), 10)
    assert (added.actor, added.action, added.target, added.detail) == ("oneway:cli", "member.added", sub, {"role": "admin"})
    attributes = {a["Name"]: a["Value"] for a in got["UserAttributes"]}
    assert attributes["email_verified"] == "true"

    store = deployed["store"]
    member = store.get_member(attributes["sub"])
    assert (member.org_id, member.email, member.role) == ("acme-corp", "boss@acme.example", Role.admin)
    org = store.get_organization("acme-corp")
    assert org.name == "Acme Corp"
    assert org.retention_days == 90  # the deployment's retention, from the stack's outputs


def test_later_members_join_the_same_organization_and_can_sign_in_with_a_given_password(deployed, capsys):
    assert run(capsys, "--email", "boss@acme.example", "--org", "Acme Corp")[0] == 0  # --stack oneway by default
    created = deployed["store"].get_organization("acme-corp").created_at

    code, out, err = run(
        capsys, "--email", "rev@acme.example", "--org", "Acme Corp", "--role", "reviewer", "--password", "Review-Pass-1234", "--json"
    )
    assert code == 0, err
    outcome = json.loads(out)
    assert (outcome["org_id"], outcome["role"], outcome["new_org"], outcome["new_member"]) == ("acme-corp", "reviewer", False, True)
    assert outcome["password"] == "Review-Pass-1234" and outcome["emailed"] is False
    assert deployed["store"].get_organization("acme-corp").created_at == created  # found, not made again

    assert user(deployed, "rev@acme.example")["UserStatus"] == "CONFIRMED"
    tokens = deployed["idp"].initiate_auth(
        ClientId=deployed["client"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "rev@acme.example", "PASSWORD": "Review-Pass-1234"},
    )
    assert tokens["AuthenticationResult"]["AccessToken"]


def test_running_it_again_changes_nothing(deployed, capsys):
    assert run(capsys, "--email", "boss@acme.example", "--org", "Acme Corp")[0] == 0
    code, out, _ = run(capsys, "--email", "boss@acme.example", "--org", "Acme Corp", "--role", "reviewer")
    assert code == 0
    assert "found user" in out and "was a member already (admin); nothing changed" in out
    sub = {a["Name"]: a["Value"] for a in user(deployed, "boss@acme.example")["UserAttributes"]}["sub"]
    assert deployed["store"].get_member(sub).role == Role.admin


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org-id", "nope"], "there is no organization 'nope'"),
        (["--org", "ACME corp!"], "belongs to 'Acme Corp': join it with --org-id acme-corp"),
        (["--org", "Other", "--password", "short"], "does not meet the pool's policy"),
        (["--org", "Other", "--stack", "missing"], "no CloudFormation stack 'missing' in eu-west-1"),
    ],
)
def test_mistakes_are_explained_and_leave_nothing_behind(deployed, capsys, args, message):
    assert run(capsys, "--email", "boss@acme.example", "--org", "Acme Corp")[0] == 0
    code, _, err = run(capsys, "--email", "new@acme.example", *args)
    assert code == 1 and message in err
    with pytest.raises(deployed["idp"].exceptions.UserNotFoundException):
        user(deployed, "new@acme.example")
    assert deployed["store"].get_organization("other") is None


def test_a_member_of_one_organization_cannot_join_another(deployed, capsys):
    assert run(capsys, "--email", "boss@acme.example", "--org", "Acme Corp")[0] == 0
    code, _, err = run(capsys, "--email", "boss@acme.example", "--org", "Globex")
    assert code == 1 and "is a member of organization 'acme-corp' already" in err
    assert deployed["store"].get_organization("globex") is None


def remove(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["admin", "remove-user", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_leaver_is_removed_from_the_command_line_but_never_the_last_admin(deployed, capsys):
    from oneway.local.moto_patches import cognito_sessions_like_aws

    cognito_sessions_like_aws()  # AdminUserGlobalSignOut by sub, as on AWS
    assert run(capsys, "--email", "boss@acme.example", "--org", "Acme Corp", "--password", "Boss-Pass-12345")[0] == 0
    assert run(capsys, "--email", "rev@acme.example", "--org-id", "acme-corp", "--role", "reviewer", "--password", "Review-Pass-1234")[0] == 0
    sub = {a["Name"]: a["Value"] for a in user(deployed, "rev@acme.example")["UserAttributes"]}["sub"]
    session = deployed["idp"].initiate_auth(
        ClientId=deployed["client"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "rev@acme.example", "PASSWORD": "Review-Pass-1234"},
    )["AuthenticationResult"]

    code, out, err = remove(capsys, "--email", "Rev@Acme.example", "--json")
    assert code == 0, err
    assert json.loads(out) | {"target": None} == {
        "target": None, "email": "rev@acme.example", "user_id": sub, "org_id": "acme-corp", "assignments_dropped": 0, "shares_revoked": 0
    }
    assert deployed["store"].get_member(sub) is None
    with pytest.raises(deployed["idp"].exceptions.UserNotFoundException):
        user(deployed, "rev@acme.example")
    with pytest.raises(deployed["idp"].exceptions.NotAuthorizedException):
        deployed["idp"].initiate_auth(
            ClientId=deployed["client"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": session["RefreshToken"]}
        )
    (entry,) = [e for e in deployed["store"].list_audit("acme-corp", admin.SystemClock().now().strftime("%Y-%m"), 50) if e.action == "member.removed"]
    assert (entry.actor, entry.target) == ("oneway:cli", sub)

    code, _, err = remove(capsys, "--email", "boss@acme.example")
    assert code == 1 and "last admin" in err
    assert user(deployed, "boss@acme.example")["Enabled"] is True
    code, _, err = remove(capsys, "--email", "nobody@acme.example")
    assert code == 1 and "no account signs in with nobody@acme.example" in err


def test_organization_ids_are_stable_slugs():
    assert admin.org_id_for("Acme Corp") == admin.org_id_for("Acme Corp") == "acme-corp"
    assert admin.org_id_for("Müller & Söhne GmbH") == "muller-sohne-gmbh"
    assert admin.org_id_for("株式会社") == admin.org_id_for("株式会社") and admin.org_id_for("株式会社").startswith("org-")
    assert len({admin.generate_password() for _ in range(20)}) == 20


def test_the_console_script_is_declared():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["oneway"] == "oneway.cli.main:main"


def test_the_first_admin_of_the_local_stack_signs_in_to_the_api(tmp_path):
    stack = start_stack(tmp_path / "state", site_dir=tmp_path / "no-site")
    try:
        port = stack.aws_endpoint.rsplit(":", 1)[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "functions"), "ONEWAY_AWS_PORT": port}
        env.pop("AWS_ENDPOINT_URL", None)
        # No --local: ONEWAY_AWS_PORT says where the local stack is. No --password: one is generated.
        done = subprocess.run(
            [sys.executable, "-m", "oneway.cli", "admin", "create-user", "--email", "boss@acme.example", "--org", "Acme", "--json"],
            env=env, capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        outcome = json.loads(done.stdout)
        assert outcome["target"] == f"the local stack at http://127.0.0.1:{port}"
        me = Api(stack.url, stack.sign_in("boss@acme.example", outcome["password"])).get("/api/me")
        assert (me["email"], me["orgName"], me["orgId"], me["role"]) == ("boss@acme.example", "Acme", "acme", "admin")

        done = subprocess.run(
            [sys.executable, "-m", "oneway.cli", "admin", "create-user", "--local", "--aws-port", port,
             "--email", "rev@acme.example", "--org-id", "acme", "--role", "reviewer", "--password", "Review-Pass-1234"],
            env={**env, "ONEWAY_AWS_PORT": ""}, capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        me = Api(stack.url, stack.sign_in("rev@acme.example", "Review-Pass-1234")).get("/api/me")
        assert (me["orgName"], me["role"]) == ("Acme", "reviewer")
    finally:
        stack.stop()


def test_move_audit_takes_an_older_versions_entries_out_of_the_main_table(deployed, capsys):
    """Before the audit table, entries lived in the main table (where every function could change them)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    legacy = [
        {"pk": {"S": "ORG#acme#AUDIT#2026-10"}, "sk": {"S": f"2026-10-0{i}T10:00:00+00:00#e{i}"}, "type": {"S": "AuditEvent"},
         "org_id": {"S": "acme"}, "event_id": {"S": f"e{i}"}, "at": {"S": f"2026-10-0{i}T10:00:00Z"}, "actor": {"S": "alice"},
         "action": {"S": "candidate.viewed"}, "target": {"S": "c1"}, "detail": {"M": {}}}
        for i in range(1, 4)
    ]
    for item in legacy:
        ddb.put_item(TableName="oneway-Table-1A2B3C", Item=item)
    ddb.put_item(TableName="oneway-Table-1A2B3C", Item={"pk": {"S": "ORG#acme"}, "sk": {"S": "META"}, "type": {"S": "Organization"}})

    assert main(["admin", "move-audit", "--stack", "oneway"]) == 0
    assert "moved 3 audit entries" in capsys.readouterr().out
    moved = deployed["store"].list_audit("acme", "2026-10", 10)
    assert [e.event_id for e in moved] == ["e3", "e2", "e1"]
    left = ddb.scan(TableName="oneway-Table-1A2B3C")["Items"]
    assert [i["sk"]["S"] for i in left] == ["META"]  # the organization stays; no audit entry does
    assert main(["admin", "move-audit", "--stack", "oneway"]) == 0  # again: nothing to move
    assert "moved 0 audit entries" in capsys.readouterr().out
