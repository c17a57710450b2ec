"""An in-memory table: items under the same keys as the DynamoDB table (``dynamo/keys.py``), so orderings,
sparse indexes and cursors are those of the real store; the contract suite (tests/contract) runs both."""

from __future__ import annotations

import base64
import copy
import json
import threading
from collections.abc import Callable
from typing import Any

from ...domain.errors import InvalidInput, StaleWrite
from ...domain.models import Application, Entity, ErasureMarker, OutboxMessage
from ..dynamo.keys import INDEX_ATTRIBUTES, check_one_save, keys

Key = tuple[str, str]


def item_of(entity: Entity, version: int) -> dict[str, Any]:
    """What the DynamoDB adapter stores for ``entity``, as plain JSON values."""
    item = json.loads(entity.model_dump_json(exclude_none=True)) | keys(entity) | {"type": type(entity).__name__, "version": version}
    if isinstance(entity, ErasureMarker | OutboxMessage | Application):
        item["ttl"] = int(entity.expires_at.timestamp())
    return item


def typed(item: dict | None, kind: type[Entity]) -> Any:
    """``item`` as a ``kind``; None when there is no item or it holds something else."""
    if not item or item.get("type") != kind.__name__:
        return None
    return kind.model_validate(item)


def cursor_out(last: dict[str, Any], key_names: tuple[str, ...]) -> str:
    return base64.urlsafe_b64encode(json.dumps({k: last[k] for k in key_names}).encode()).decode()


def cursor_in(cursor: str | None, expected_pk: tuple[str, str]) -> dict | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, dict) or key.get(expected_pk[0]) != expected_pk[1]:
            raise ValueError
        return key
    except (ValueError, TypeError):
        raise InvalidInput("the cursor is not valid for this list", "bad_cursor") from None


class MemoryTable:
    """The table and the audit table as dicts of items by (pk, sk); one lock makes each save atomic."""

    def __init__(self) -> None:
        self._items: dict[Key, dict[str, Any]] = {}
        self._audit_items: dict[Key, dict[str, Any]] = {}
        self._lock = threading.RLock()

    # -- writes ------------------------------------------------------------
    def save(self, *entities: Entity, counters: dict[tuple[str, str], dict[str, int]] | None = None) -> None:
        check_one_save(entities, counters)
        with self._lock:
            puts = []
            for e in entities:
                item = item_of(e, e.version + 1)
                current = self._items.get((item["pk"], item["sk"]))
                if (current is not None) if e.version == 0 else (current is None or current.get("version") != e.version):
                    raise StaleWrite("the item changed since it was read; try again")
                puts.append(item)
            for item in puts:
                self._items[(item["pk"], item["sk"])] = item
            for (org_id, interview_id), deltas in (counters or {}).items():
                key = (f"ORG#{org_id}#INTERVIEW#{interview_id}", "STATS")
                stats = self._items.setdefault(key, {"pk": key[0], "sk": key[1]})
                for name, delta in deltas.items():
                    if delta:
                        stats[name] = stats.get(name, 0) + delta
            for e in entities:
                e.version += 1

    def delete_item(self, entity: Entity) -> None:
        k = keys(entity)
        with self._lock:
            self._items.pop((k["pk"], k["sk"]), None)

    # -- reads -------------------------------------------------------------
    def _get(self, pk: str, sk: str) -> dict | None:
        item = self._items.get((pk, sk))
        return copy.deepcopy(item) if item is not None else None

    def _one(self, pk: str, sk: str, kind: type[Entity]) -> Any:
        return typed(self._get(pk, sk), kind)

    def _partition(self, pk: str, prefix: str = "", *, newest_first: bool = False) -> list[dict[str, Any]]:
        """The items of one partition whose sort key begins with ``prefix``, by sort key."""
        with self._lock:
            found = [copy.deepcopy(i) for (p, s), i in self._items.items() if p == pk and s.startswith(prefix)]
        return sorted(found, key=lambda i: i["sk"], reverse=newest_first)

    def _index(self, index: str, pk: str, accept: Callable[[str], bool] = lambda sk: True) -> list[dict[str, Any]]:
        """The items of one index partition whose index sort key ``accept`` takes, by that sort key."""
        attr = INDEX_ATTRIBUTES[index]
        with self._lock:
            found = [
                copy.deepcopy(i) for i in self._items.values() if i.get(f"{attr}pk") == pk and f"{attr}sk" in i and accept(i[f"{attr}sk"])
            ]
        return sorted(found, key=lambda i: (i[f"{attr}sk"], i["pk"], i["sk"]))

    def _sorted_before(self, index: str, pk: str, below: str, limit: int) -> list[dict]:
        return self._index(index, pk, lambda sk: sk < below)[:limit]

    @staticmethod
    def _page(
        items: list[dict], key_names: tuple[str, ...], cursor: str | None, expected_pk: tuple[str, str], limit: int, *, newest_first: bool = False
    ) -> tuple[list[dict], str | None]:
        """One page of ``items`` (in the order of ``key_names``' values, the partition key first) after ``cursor``'s
        place, which need not be an item still there; a cursor when more remain."""
        start = cursor_in(cursor, expected_pk)
        if start is not None:
            place = tuple(str(start.get(k, "")) for k in key_names[1:])
            after = (lambda i: i > place) if not newest_first else (lambda i: i < place)
            items = [i for i in items if after(tuple(i[k] for k in key_names[1:]))]
        page = items[:limit]
        return page, cursor_out(page[-1], key_names) if len(items) > limit else None
