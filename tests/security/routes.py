"""The API's route table, read from the resolver itself, and a minimal valid request for each route.

Tests that must cover every route iterate ``routes()``: a route added to the API
is in the table at once, so it cannot be forgotten by a test.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from oneway.handlers import api

PARAM = re.compile(r"<(\w+)>")


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with <param> placeholders, as the resolver has it
    schemes: tuple[str, ...]  # OpenAPI security schemes: ("cognito",), ("invitation",) or () for public

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def openapi_path(self) -> str:
        return PARAM.sub(r"{\1}", self.path)

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    def url(self, values: dict[str, str]) -> str:
        return PARAM.sub(lambda m: values.get(m.group(1), "unknown"), self.path)


def routes() -> list[Route]:
    found = []
    for r in api.app.routes:
        operation = openapi()["paths"].get(r.openapi_path, {}).get(r.method.lower(), {})
        schemes = tuple(name for requirement in operation.get("security", []) for name in requirement)
        found.append(Route(r.method, r.path, schemes))
    assert found, "the resolver lists no routes"
    return sorted(set(found), key=lambda r: (r.path, r.method))


@cache
def openapi() -> dict[str, Any]:
    return json.loads(api.openapi_document())


def _resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = {**doc["components"]["schemas"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def minimal(schema: dict, doc: dict | None = None) -> Any:
    """The smallest value that the JSON schema accepts (required fields only, lowest bounds)."""
    doc = doc or openapi()
    schema = _resolve(schema, doc)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, doc).get("type") != "null"]
            return minimal(options[0], doc)
    if "allOf" in schema:
        return minimal(schema["allOf"][0], doc)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema.get("type") != "object":
        return schema["default"]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal(props[name], doc) for name in schema.get("required", []) if name in props}
    if kind == "array":
        return [minimal(schema.get("items", {}), doc) for _ in range(max(1, schema.get("minItems", 0)) if schema.get("minItems") else 0)]
    if kind == "integer":
        return int(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in schema else 1))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2030-01-01T00:00:00Z"
        if fmt == "date":
            return "2030-01-01"
        if fmt == "email" or "@" in schema.get("pattern", ""):
            return "someone@example.com"
        plain = "x" * max(1, schema.get("minLength", 1))
        if "pattern" in schema:  # the first ordinary value that fits
            tries = (plain, "https://example.com/x", "2030-01", "2030-01-01", "1", "en-US", "Europe/Paris", "0123456789abcdef01234567")
            return next((t for t in tries if re.search(schema["pattern"], t)), plain)
        return plain
    return None


def request_body(route: Route) -> Any:
    """A valid body for the route (None when it takes none)."""
    op = openapi()["paths"].get(route.openapi_path, {}).get(route.method.lower(), {})
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return minimal(content["application/json"]["schema"])


def query_params(route: Route) -> dict[str, str]:
    """Values for the route's required query parameters."""
    op = openapi()["paths"].get(route.openapi_path, {}).get(route.method.lower(), {})
    return {
        p["name"]: str(minimal(p.get("schema", {})))
        for p in op.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }
