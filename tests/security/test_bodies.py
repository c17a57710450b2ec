"""Request bodies: every route that reads one takes a JSON object, and nothing else.

A body that is valid JSON but not an object (an array, even one that holds a valid
object, a string, null, a number) is refused with 422 ``validation_failed`` before
any use case runs, on every route of the resolver's table that declares a body.
"""

from __future__ import annotations

import pytest

from oneway.domain.models import Role
from oneway.service import identity
from tests.security.routes import openapi, query_params, request_body, routes
from tests.support.events import call
from oneway.handlers import api

h = api.lambda_handler


def body_routes():
    out = []
    for route in routes():
        op = openapi()["paths"].get(route.openapi_path, {}).get(route.method.lower(), {})
        if "application/json" in op.get("requestBody", {}).get("content", {}):
            out.append(route)
    return out


@pytest.fixture
def acme(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "ann", "ann@acme.test", Role.admin)
    identity.add_member(ports, "acme", "rita", "rita@acme.test", Role.reviewer)


def test_routes_with_a_body_are_found():
    keys = {r.key for r in body_routes()}
    assert "PATCH /api/members/<userId>" in keys and "POST /api/c/consent" in keys
    assert len(keys) > 20


def test_a_body_that_is_not_a_json_object_is_refused_on_every_route(acme):
    wrong = []
    for route in body_routes():
        valid = request_body(route)
        ids = {"userId": "rita"}
        caller = {"sub": "ann"} if "cognito" in route.schemes else {"token": "no-such-token"}
        for body in ([valid], [], "text", None, 5, True):
            status, answer = call(h, route.method, route.url(ids), body, query=query_params(route) or None, **caller)
            if status != 422 or answer.get("code") != "validation_failed":
                wrong.append(f"{route.key} with {body!r:.40}: {status} {answer}")
    assert not wrong, "\n".join(wrong)


def test_the_member_route_answers_an_array_with_422_and_changes_nothing(acme, ports):
    status, answer = call(h, "PATCH", "/api/members/rita", [{"role": "admin"}], sub="ann")
    assert (status, answer["code"]) == (422, "validation_failed")
    assert answer["message"].startswith("body")
    assert ports.store.get_member("rita").role == Role.reviewer
