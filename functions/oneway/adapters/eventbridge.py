"""Events on EventBridge: Oneway's domain events for other systems.

PutEvents answers 200 even when it took none of the entries: each refused entry carries an
ErrorCode, and FailedEntryCount counts them. An event the bus refused raises, so the outbox
message that carries it is tried again.
https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevents.html (handling failures)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

SOURCE = "oneway"


class EventNotTaken(Exception):
    """The bus answered but refused the entry (throttled, an internal failure ...)."""


class EventBridgeEvents:
    def __init__(self, client: Any, bus_name: str):
        self._events = client
        self._bus = bus_name

    def publish(self, detail_type: str, detail: dict[str, Any]) -> None:
        answer = self._events.put_events(
            Entries=[{"Source": SOURCE, "DetailType": detail_type, "Detail": json.dumps(detail, default=str), "EventBusName": self._bus}]
        )
        if answer.get("FailedEntryCount", 0):
            entry: Mapping[str, Any] = next((e for e in answer.get("Entries", []) if e.get("ErrorCode")), {})
            raise EventNotTaken(f"{detail_type}: {entry.get('ErrorCode', 'refused')}: {entry.get('ErrorMessage', '')}")
