"""The HTTP edge's own table of routes (handlers/http.py): complete, and the source of 404 and 405 answers.

Powertools keeps its route table private; Oneway's resolver keeps its own, filled through the public
``route`` that every route declaration goes through. If a Powertools release registered routes another
way, the table would miss them and these tests would fail.
"""

from __future__ import annotations

import json

from oneway.handlers import api
from oneway.local.gateway import LambdaContext
from tests.support.events import http_event


def test_the_route_table_holds_every_operation_of_the_document_and_the_document_itself(aws):
    doc = json.loads(api.openapi_document())
    documented = {(method.upper(), path) for path, operations in doc["paths"].items() for method in operations}
    table = {(r.method, r.openapi_path) for r in api.app.routes}
    assert table == documented | {("GET", "/api/openapi.json")}
    assert len(api.app.routes) == len(table), "a route declared twice"


def _answer(method: str, path: str) -> dict:
    return api.lambda_handler(http_event(method, path), LambdaContext("test"))


def test_a_known_path_with_another_method_is_405_with_allow(aws):
    answer = _answer("DELETE", "/api/health")
    assert answer["statusCode"] == 405 and answer["headers"]["Allow"] == "GET"
    assert json.loads(answer["body"])["code"] == "method_not_allowed"
    answer = _answer("POST", "/api/candidates/c-1")
    allowed = {r.method for r in api.app.routes if r.path == "/api/candidates/<candidateId>"}
    assert answer["statusCode"] == 405 and set(answer["headers"]["Allow"].split(", ")) == allowed
    assert {"GET", "DELETE"} <= allowed


def test_an_unknown_path_is_404(aws):
    for path in ("/api/nothing-here", "/api/candidates/c-1/nothing", "/api/candidates"):
        answer = _answer("GET", path)
        assert (answer["statusCode"], json.loads(answer["body"])["code"]) == (404, "route_not_found"), path


def test_a_parameter_the_routes_do_not_accept_is_404_not_405(aws):
    answer = _answer("POST", "/api/candidates/%0A%2B/answers/q1/retry")
    assert (answer["statusCode"], json.loads(answer["body"])["code"]) == (404, "route_not_found")
