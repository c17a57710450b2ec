"""Items read from DynamoDB become plain Python: the fast decoder gives what boto3's deserializer does."""

from __future__ import annotations

from decimal import Decimal

from boto3.dynamodb.types import TypeSerializer

from oneway.adapters.dynamo import codec

VALUES = {
    "s": "text", "empty": "", "int": 42, "neg": -7, "zero": 0, "big": 10**20, "float": Decimal("1.25"), "negf": Decimal("-0.5"),
    "whole": Decimal("3.0"), "exp": Decimal("1E+3"), "true": True, "false": False, "none": None,
    "list": [1, "a", [Decimal("2.5"), {"x": None}], False], "map": {"a": {"b": [Decimal("0.1"), "c"]}, "n": 3},
    "strings": {"a", "b"}, "numbers": {Decimal("1"), Decimal("2.5")}, "bytes": b"\x00\x01",
}


def test_the_decoder_gives_what_the_boto3_deserializer_and_plain_numbers_give():
    item = {k: TypeSerializer().serialize(v) for k, v in VALUES.items()}
    expected = {k: codec.plain(codec.DESERIALIZER.deserialize(v)) for k, v in item.items()}
    decoded = codec.decode(item)
    assert decoded == expected
    assert {k: type(v) for k, v in decoded.items()} == {k: type(v) for k, v in expected.items()}
    assert decoded["int"] == 42 and type(decoded["whole"]) is int and decoded["float"] == 1.25
    assert decoded["exp"] == 1000 and decoded["map"]["a"]["b"][0] == 0.1
