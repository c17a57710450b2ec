"""The one DynamoDB table."""

from __future__ import annotations

from infra_support import of_type, props


def _table(resources):
    (table,) = of_type(resources, "AWS::DynamoDB::Table").values()
    return table


def test_keys_billing_and_protection(resources):
    t = _table(resources)
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


def test_every_key_attribute_is_a_string(resources):
    attrs = props(_table(resources))["AttributeDefinitions"]
    assert {a["AttributeName"] for a in attrs} == {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk"}
    assert {a["AttributeType"] for a in attrs} == {"S"}


def test_three_indexes_project_everything(resources):
    gsis = {g["IndexName"]: g for g in props(_table(resources))["GlobalSecondaryIndexes"]}
    expected = {"byToken": "gsi1", "byInterview": "gsi2", "byProcessing": "gsi3"}
    assert set(gsis) == set(expected)
    for name, prefix in expected.items():
        assert gsis[name]["KeySchema"] == [
            {"AttributeName": f"{prefix}pk", "KeyType": "HASH"},
            {"AttributeName": f"{prefix}sk", "KeyType": "RANGE"},
        ]
        assert gsis[name]["Projection"] == {"ProjectionType": "ALL"}


def test_matches_the_table_the_local_stack_and_tests_create(resources):
    """functions/oneway/adapters/dynamo.py declares the same table for moto: keep them equal."""
    from oneway.adapters.dynamo import TABLE_DEFINITION

    p = props(_table(resources))
    assert p["KeySchema"] == TABLE_DEFINITION["KeySchema"]
    assert sorted(p["AttributeDefinitions"], key=str) == sorted(TABLE_DEFINITION["AttributeDefinitions"], key=str)
    ours = {g["IndexName"]: (g["KeySchema"], g["Projection"]) for g in p["GlobalSecondaryIndexes"]}
    theirs = {g["IndexName"]: (g["KeySchema"], g["Projection"]) for g in TABLE_DEFINITION["GlobalSecondaryIndexes"]}
    assert ours == theirs
    assert p["BillingMode"] == TABLE_DEFINITION["BillingMode"]
