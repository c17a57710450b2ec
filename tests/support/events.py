"""API Gateway (HTTP API, payload 2.0) events, built as the local gateway builds them."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from oneway.local.gateway import LambdaContext, api_event


def http_event(
    method: str, path: str, body: Any = None, *, sub: str | None = None, token: str | None = None, query: dict | None = None, headers: dict | None = None
):
    headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    builder = EnvironBuilder(method=method, path=path, query_string=query, headers=headers, data=json.dumps(body) if body is not None else None)
    claims = {"sub": sub, "token_use": "access", "client_id": "test"} if sub else None
    return api_event(Request(builder.get_environ()), claims)


def call(handler, method: str, path: str, body: Any = None, **kw) -> tuple[int, Any]:
    answer = handler(http_event(method, path, body, **kw), LambdaContext("test"))
    text = answer.get("body") or ""
    return answer["statusCode"], json.loads(text) if text else None
