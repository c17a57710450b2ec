"""Events on EventBridge: Oneway's domain events for other systems."""

from __future__ import annotations

import json
from typing import Any

SOURCE = "oneway"


class EventBridgeEvents:
    def __init__(self, client: Any, bus_name: str):
        self._events = client
        self._bus = bus_name

    def publish(self, detail_type: str, detail: dict[str, Any]) -> None:
        self._events.put_events(
            Entries=[{"Source": SOURCE, "DetailType": detail_type, "Detail": json.dumps(detail, default=str), "EventBusName": self._bus}]
        )
