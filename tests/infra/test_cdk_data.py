"""The DynamoDB tables: Oneway's state, and the audit log apart, where the functions may only add."""

from __future__ import annotations

import json

import pytest

from tests.infra.infra_support import logical_id, of_type, props, statements


@pytest.fixture(scope="module")
def tables(resources, stack):
    found = of_type(resources, "AWS::DynamoDB::Table")
    assert set(found) == {logical_id(stack, stack.data.table), logical_id(stack, stack.data.audit)}
    return found


@pytest.fixture
def table_of(tables, stack):
    return lambda resources: tables[logical_id(stack, stack.data.table)]


def test_keys_billing_and_protection(resources, table_of):
    t = table_of(resources)
    p = props(t)
    assert p["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert p["BillingMode"] == "PAY_PER_REQUEST"
    assert p["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert p["DeletionProtectionEnabled"] is True
    assert p["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert p["SSESpecification"]["SSEEnabled"] is True
    assert t["DeletionPolicy"] == "Retain"


def test_every_key_attribute_is_a_string(resources, table_of):
    attrs = props(table_of(resources))["AttributeDefinitions"]
    assert {a["AttributeName"] for a in attrs} == {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk"}
    assert {a["AttributeType"] for a in attrs} == {"S"}


def test_three_indexes_project_everything(resources, table_of):
    gsis = {g["IndexName"]: g for g in props(table_of(resources))["GlobalSecondaryIndexes"]}
    expected = {"byToken": "gsi1", "byOwner": "gsi2", "byDue": "gsi3"}
    assert set(gsis) == set(expected)
    for name, prefix in expected.items():
        assert gsis[name]["KeySchema"] == [
            {"AttributeName": f"{prefix}pk", "KeyType": "HASH"},
            {"AttributeName": f"{prefix}sk", "KeyType": "RANGE"},
        ]
        assert gsis[name]["Projection"] == {"ProjectionType": "ALL"}


def test_matches_the_table_the_local_stack_and_tests_create(resources, table_of):
    """functions/oneway/adapters/dynamo/keys.py declares the same table for moto: keep them equal."""
    from oneway.adapters.dynamo import TABLE_DEFINITION

    p = props(table_of(resources))
    assert p["KeySchema"] == TABLE_DEFINITION["KeySchema"]
    assert sorted(p["AttributeDefinitions"], key=str) == sorted(TABLE_DEFINITION["AttributeDefinitions"], key=str)
    ours = {g["IndexName"]: (g["KeySchema"], g["Projection"]) for g in p["GlobalSecondaryIndexes"]}
    theirs = {g["IndexName"]: (g["KeySchema"], g["Projection"]) for g in TABLE_DEFINITION["GlobalSecondaryIndexes"]}
    assert ours == theirs
    assert p["BillingMode"] == TABLE_DEFINITION["BillingMode"]



# -- the audit log ------------------------------------------------------------------------------


def _audit(tables, stack):
    return tables[logical_id(stack, stack.data.audit)]


def test_the_audit_table_is_kept_protected_and_recoverable(tables, stack):
    t = _audit(tables, stack)
    p = props(t)
    assert p["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert p["BillingMode"] == "PAY_PER_REQUEST"
    assert p["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert p["DeletionProtectionEnabled"] is True
    assert p["SSESpecification"]["SSEEnabled"] is True
    assert t["DeletionPolicy"] == "Retain"
    assert "TimeToLiveSpecification" not in p  # nothing expires an entry
    assert "GlobalSecondaryIndexes" not in p


def test_the_audit_tables_policy_denies_every_change_to_everyone(tables, stack):
    (statement,) = props(_audit(tables, stack))["ResourcePolicy"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny" and statement["Principal"] == {"AWS": "*"} and statement["Resource"] == "*"
    assert set(statement["Action"]) == {
        "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete",
    }
    assert "Condition" not in statement


def test_no_role_may_update_or_delete_on_the_audit_table_and_writers_may_only_put(resources, tables, stack):
    """Every statement of every role that names the audit table (or any table by wildcard)."""
    audit = logical_id(stack, stack.data.audit)
    arn = {"Fn::GetAtt": [audit, "Arn"]}
    readers, writers = set(), set()
    for role in of_type(resources, "AWS::IAM::Role"):
        for st in statements(resources, role):
            named = list(st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]])
            actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            # ListStreams names no stream or table (no resource type: "*" only), CDK grants it for a stream's mapping.
            dynamo = [a for a in actions if (a.startswith("dynamodb:") or a == "*") and a != "dynamodb:ListStreams"]
            if not dynamo:
                continue
            assert "*" not in named and not any(a == "dynamodb:*" or a == "*" for a in actions), (role, st)
            if arn in named or any(audit in json.dumps(r) for r in named):
                assert set(dynamo) <= {"dynamodb:PutItem", "dynamodb:Query"}, (role, st)
                assert named == [arn], (role, st)  # the audit table alone in the statement
                if "dynamodb:PutItem" in dynamo:
                    writers.add(role)
                if "dynamodb:Query" in dynamo:
                    readers.add(role)
    # Both API functions add entries (a share link's views are audited from the public one); only the staff one reads.
    fns = {"public_api": stack.api.public, "staff_api": stack.api.staff, "scheduled": stack.pipeline.scheduled}
    assert writers == {logical_id(stack, f.role) for f in fns.values()}
    assert readers == {logical_id(stack, stack.api.staff.role)}


def test_every_function_knows_the_audit_tables_name(resources, stack):
    from oneway.adapters.dynamo import AUDIT_TABLE_DEFINITION

    p = props(_audit(of_type(resources, "AWS::DynamoDB::Table"), stack))
    assert p["KeySchema"] == AUDIT_TABLE_DEFINITION["KeySchema"]
    assert p["AttributeDefinitions"] == AUDIT_TABLE_DEFINITION["AttributeDefinitions"]
    for fn in (stack.api.public, stack.api.staff, stack.pipeline.on_upload, stack.pipeline.on_media_event, stack.pipeline.scheduled, stack.delivery.function):
        env = props(resources[logical_id(stack, fn.function)])["Environment"]["Variables"]
        assert env["ONEWAY_AUDIT_TABLE_NAME"] == {"Ref": logical_id(stack, stack.data.audit)}
