"""The audit log's table, evaluated as IAM would: every role of the stack may at most add an entry; none may
change or delete one; only the API (which shows the log to admins) may read it.

The calls the functions really make on it (PutItem with a condition, Query) are in the suites' record and
evaluated by test_iam_contract.py; this file asks the other question: what could a role do if its code
were turned against the log?
"""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import patch

import pytest

from oneway.service import audit
from tests.contract.iam_contract import Contract
from tests.contract.iam_mapping import request
from tests.contract.iam_policy import Principal, evaluate

MUTATIONS = ("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete")


@pytest.fixture(scope="module")
def contract(template_stack) -> Contract:
    return Contract(template_stack)


@pytest.fixture(scope="module")
def audit_table(contract) -> str:
    (name,) = {f.environment["ONEWAY_AUDIT_TABLE_NAME"] for f in contract.functions.values()}
    main = {f.environment["ONEWAY_TABLE_NAME"] for f in contract.functions.values()}
    assert name not in main, "the audit log has a table of its own"
    return contract.mapper.regional("dynamodb", f"table/{name}")


def _roles(contract: Contract) -> dict[str, str]:
    """Every role of the stack, the functions' and CDK's own, by logical id."""
    return {logical: logical for logical in contract.stack.of_type("AWS::IAM::Role")}


# The one AWS managed policy a role of the stack holds (CDK's own helpers): it grants CloudWatch Logs only.
# https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
BASIC_EXECUTION = {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}


def _statements(contract: Contract, role: str) -> list[dict]:
    stack = contract.stack
    managed = [str(stack.resolve(a)) for a in stack.props(role).get("ManagedPolicyArns", [])]
    assert all(a.endswith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole") for a in managed), (role, managed)
    inline = {**stack.props(role), "ManagedPolicyArns": []}
    original = stack.props
    with patch.object(stack, "props", lambda logical: inline if logical == role else original(logical)):
        return [*stack.permission_statements(role), *([BASIC_EXECUTION] if managed else [])]


def _allowed(contract: Contract, role: str, action: str, resource: str) -> bool:
    who = contract.role_principal(role)
    decision = evaluate(who, request(action, resource), _statements(contract, role), contract.stack.resource_statements(resource))
    return decision.allowed


def test_no_role_of_the_stack_may_change_or_delete_an_audit_entry(contract, audit_table):
    roles = _roles(contract)
    assert len(roles) >= 6
    allowed = [(role, action) for role in roles for action in MUTATIONS if _allowed(contract, role, action, audit_table)]
    assert allowed == []


def test_the_functions_that_audit_may_only_add_and_the_staff_api_alone_may_read(contract, audit_table):
    may = {
        name: {a for a in ("dynamodb:PutItem", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan") if _allowed(contract, f.role_id, a, audit_table)}
        for name, f in contract.functions.items()
    }
    assert may == {
        "staff_api": {"dynamodb:PutItem", "dynamodb:Query"},  # every use case audits; admins read the log
        "public_api": {"dynamodb:PutItem"},  # a share link's views are audited
        "scheduled": {"dynamodb:PutItem"},  # retention's erasures are audited
        "on_upload": set(),
        "on_media_event": set(),
        "deliver": set(),
    }


def test_the_tables_policy_denies_changes_even_to_a_principal_allowed_everything(contract, audit_table):
    """An administrator of the account (dynamodb:* on *) still may not change an entry while the policy stands."""
    admin = Principal(arn=f"arn:aws:iam::{contract.stack.place.account}:role/Admin", account=contract.stack.place.account)
    everything = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    resource = contract.stack.resource_statements(audit_table)
    for action in MUTATIONS:
        decision = evaluate(admin, request(action, audit_table), everything, resource)
        assert not decision.allowed and decision.denied_by, action
    assert evaluate(admin, request("dynamodb:PutItem", audit_table), everything, resource).allowed


def test_an_entry_is_written_with_a_condition_and_a_random_key(aws, ports, clock):
    """The one write the functions make on it: PutItem, refused if the key exists; the key ends in a random id."""
    from oneway.domain.models import Role
    from oneway.handlers import api
    from oneway.local import aws_calls
    from oneway.service import identity
    from tests.support.events import call

    recorder = aws_calls.start(aws_calls.Recorder(source="audit", per_test=False))
    try:
        identity.create_organization(ports, "Acme", org_id="acme")
        identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.admin)
        assert call(api.lambda_handler, "PATCH", "/api/organization", {"retentionDays": 90}, sub="alice")[0] == 200
    finally:
        aws_calls.stop(recorder)
    puts = [c for c in recorder.calls if c["operation"] == "PutItem" and c["params"].get("TableName") == "${ONEWAY_AUDIT_TABLE_NAME}"]
    assert puts and all(c["function"] == "staff_api" for c in puts)
    (event,) = [e for e in ports.store.list_audit("acme", datetime.now(UTC).strftime("%Y-%m"), 10) if e.action == "organization.updated"]
    assert len(event.event_id) == 24  # new_id(): the time in ms, then 48 random bits
    assert event.detail == {"retention_days": 90, "before": {"retention_days": 180}}
    assert audit.change(1, 2) == {"from": 1, "to": 2}
