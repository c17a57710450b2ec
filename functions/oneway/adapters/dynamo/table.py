"""The table itself: conditional saves and transactions, and the reads every aggregate's module builds on."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ...domain.errors import StaleWrite
from ...domain.models import Entity
from .codec import cursor_in, cursor_out, decode, encode, to_item, typed
from .keys import GSI_OWNER, GSI_TOKEN, INDEX_ATTRIBUTES, check_one_save, keys


class Table:
    """One DynamoDB table (and the audit table beside it). ``save`` is the unit of work of every aggregate:
    the entities it is given, from any aggregate, are written together or not at all."""

    def __init__(self, client: Any, table_name: str, audit_table_name: str = ""):
        self._db = client
        self._table = table_name
        self._audit = audit_table_name
        # Where a token's hash led: a hash belongs to one candidate for good (a new link is a new hash),
        # so a warm function asks the token index once per token, and reads the candidate itself every time.
        self._token_owners: dict[str, tuple[str, str]] = {}

    def save(self, *entities: Entity, counters: dict[tuple[str, str], dict[str, int]] | None = None) -> None:
        check_one_save(entities, counters)
        writes = []
        for e in entities:
            item = to_item(e, version=e.version + 1)
            cond: dict[str, Any]
            if e.version == 0:
                cond = {"ConditionExpression": "attribute_not_exists(pk)"}
            else:
                cond = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": {"N": str(e.version)}}}
            writes.append({"Put": {"TableName": self._table, "Item": encode(item), **cond}})
        for (org_id, interview_id), given in (counters or {}).items():
            deltas = {k: v for k, v in given.items() if v}
            if not deltas:
                continue
            names = {f"#c{i}": k for i, k in enumerate(deltas)}
            values = {f":c{i}": {"N": str(v)} for i, v in enumerate(deltas.values())}
            writes.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": encode({"pk": f"ORG#{org_id}#INTERVIEW#{interview_id}", "sk": "STATS"}),
                        "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(deltas))),
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values,
                    }
                }
            )
        if not writes:
            return
        try:
            if len(writes) == 1 and "Put" in writes[0]:
                self._db.put_item(**writes[0]["Put"])
            elif len(writes) == 1:
                self._db.update_item(**writes[0]["Update"])
            else:
                self._db.transact_write_items(TransactItems=writes)
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code == "ConditionalCheckFailedException" or (
                code == "TransactionCanceledException" and "ConditionalCheckFailed" in str(err)
            ):
                raise StaleWrite("the item changed since it was read; try again") from None
            raise
        for e in entities:
            e.version += 1

    def delete_item(self, entity: Entity) -> None:
        self._db.delete_item(TableName=self._table, Key=encode({k: v for k, v in keys(entity).items() if k in ("pk", "sk")}))

    def _get(self, pk: str, sk: str) -> dict | None:
        item = self._db.get_item(TableName=self._table, Key=encode({"pk": pk, "sk": sk}), ConsistentRead=True).get("Item")
        return decode(item) if item else None

    def _one(self, pk: str, sk: str, kind: type[Entity]) -> Any:
        return typed(self._get(pk, sk), kind)

    def _get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Items by (pk, sk), read consistently with BatchGetItem (keys it leaves unprocessed are asked again)."""
        found: dict[tuple[str, str], dict] = {}
        request: dict | None = {self._table: {"Keys": [encode({"pk": pk, "sk": sk}) for pk, sk in keys], "ConsistentRead": True}}
        while request:
            answer = self._db.batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(self._table, []):
                plain = decode(item)
                found[(plain["pk"], plain["sk"])] = plain
            request = answer.get("UnprocessedKeys") or None
        return found

    def _partition(self, pk: str, *, keys_only: bool = False) -> list[dict[str, Any]]:
        """Every item of one table partition (its keys only with ``keys_only``), read consistently."""
        items: list[dict[str, Any]] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
            ConsistentRead=True,
            **({"ProjectionExpression": "pk, sk"} if keys_only else {}),
        ):
            items += [decode(i) for i in page["Items"]]
        return items

    def _index_partition(self, index: str, pk: str) -> list[dict[str, Any]]:
        attr = INDEX_ATTRIBUTES[index]
        items: list[dict[str, Any]] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            IndexName=index,
            KeyConditionExpression=f"{attr}pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
        ):
            items += [decode(i) for i in page["Items"]]
        return items

    def _delete_keys(self, keys: list[dict[str, Any]]) -> int:
        for i in range(0, len(keys), 25):
            request: dict | None = {self._table: [{"DeleteRequest": {"Key": encode(k)}} for k in keys[i : i + 25]]}
            while request:
                request = self._db.batch_write_item(RequestItems=request).get("UnprocessedItems") or None
        return len(keys)

    def _query(self, *, cursor_key: tuple[str, str], cursor: str | None, limit: int, **kwargs: Any) -> tuple[list[dict], str | None]:
        start = cursor_in(cursor, cursor_key)
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = self._db.query(TableName=self._table, Limit=limit, **kwargs)
        return [decode(i) for i in page["Items"]], cursor_out(page.get("LastEvaluatedKey"))

    def _sorted_before(self, index: str, pk: str, below: str, limit: int) -> list[dict]:
        """The first ``limit`` items of one partition of ``index`` whose sort key sorts before ``below``."""
        attr = INDEX_ATTRIBUTES[index]
        page = self._db.query(
            TableName=self._table,
            IndexName=index,
            KeyConditionExpression=f"{attr}pk = :pk AND {attr}sk < :below",
            ExpressionAttributeValues={":pk": {"S": pk}, ":below": {"S": below}},
            Limit=limit,
        )
        return [decode(i) for i in page["Items"]]

    def _owner_partition(self, pk: str, kind: type[Entity], limit: int) -> list[Any]:
        """Every item of one byOwner partition, at most ``limit`` (a bounded, paged query)."""
        out: list[Any] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            IndexName=GSI_OWNER,
            KeyConditionExpression="gsi2pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
        ):
            out += [kind.model_validate(decode(i)) for i in page["Items"]]
            if len(out) >= limit:
                break
        return out[:limit]

    def _token_hit(self, key: str) -> dict | None:
        """The item a hashed token points to, from the (eventually consistent) token index."""
        page = self._db.query(
            TableName=self._table,
            IndexName=GSI_TOKEN,
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": key}},
            Limit=1,
        )
        return decode(page["Items"][0]) if page["Items"] else None

    def _audit_table(self) -> str:
        if not self._audit:
            raise RuntimeError("this store was made without the audit table's name")
        return self._audit
