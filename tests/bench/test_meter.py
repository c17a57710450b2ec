"""The DynamoDB meter: item sizes and capacity units by DynamoDB's documented rules, and its hooks."""

from __future__ import annotations

from bench.harness import AwsMeter, item_size


def item(size: int, name: str = "data") -> dict:
    """An item of exactly ``size`` bytes: one string attribute."""
    return {name: {"S": "x" * (size - len(name))}}


def test_item_sizes():
    assert item_size({"name": {"S": "Jane"}}) == 8
    assert item_size({"n": {"N": "100"}}) == 1 + 2  # "1": one significant digit -> 1 byte, +1
    assert item_size({"n": {"N": "-12345.6"}}) == 1 + 4
    assert item_size({"ok": {"BOOL": True}, "no": {"NULL": True}}) == 6
    assert item_size({"m": {"M": {"a": {"S": "xy"}}}}) == 1 + 3 + (1 + 2 + 1)
    assert item_size({"l": {"L": [{"S": "ab"}, {"S": "c"}]}}) == 1 + 3 + (2 + 1) + (1 + 1)


def test_reads_come_in_4kb_units_half_price_when_eventually_consistent():
    price = AwsMeter.price
    assert price("GetItem", {"ConsistentRead": True}, {"Item": item(5000)}).rcu == 2.0
    assert price("GetItem", {}, {"Item": item(5000)}).rcu == 1.0
    assert price("GetItem", {"ConsistentRead": True}, {}).rcu == 1.0  # nothing found still costs a unit
    # A query sums its items before rounding; a GSI is read eventually consistent whatever is asked.
    three = [item(2000), item(2000), item(2000)]
    assert price("Query", {"ConsistentRead": True}, {"Items": three}).rcu == 2.0
    assert price("Query", {"IndexName": "byOwner"}, {"Items": three}).rcu == 1.0


def test_writes_come_in_1kb_units_twice_in_a_transaction():
    price = AwsMeter.price
    assert price("PutItem", {"Item": item(1500)}, {}).wcu == 2.0
    transaction = {"TransactItems": [{"Put": {"Item": item(1500)}}, {"Update": {"Key": {}}}]}
    assert price("TransactWriteItems", transaction, {}).wcu == 2 * 2 + 2 * 1
    batch = {"RequestItems": {"t": [{"PutRequest": {"Item": item(800)}}, {"PutRequest": {"Item": item(2100)}}]}}
    assert price("BatchWriteItem", batch, {}).wcu == 1 + 3


def test_the_meter_counts_what_a_client_sends(ports):
    from oneway.handlers import deps

    meter = AwsMeter().attach(deps.aws_client("dynamodb"))
    assert ports.store.get_candidate("org", "nobody") is None
    ports.store.get_interview("org", "nothing")
    summary = meter.summary()
    assert summary["requests"] == 2 and summary["operations"] == {"GetItem": 2}
    assert summary["rcu"] == 2.0 and summary["wcu"] == 0
    meter.reset()
    assert meter.summary()["requests"] == 0
