"""Request bodies: every route that reads one takes a JSON object, and nothing else.

A body that is valid JSON but not an object (an array, even one that holds a valid
object, a string, null, a number) is refused with 422 ``validation_failed`` before
any use case runs, on every route of the resolver's table that declares a body.
"""

from __future__ import annotations

import base64
import json

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.local.gateway import LambdaContext
from oneway.service import identity
from tests.security.routes import openapi, query_params, request_body, routes
from tests.support.events import call, http_event

h = api.lambda_handler


def body_routes():
    out = []
    for route in routes():
        op = openapi()["paths"].get(route.openapi_path, {}).get(route.method.lower(), {})
        if "application/json" in op.get("requestBody", {}).get("content", {}):
            out.append(route)
    return out


@pytest.fixture
def ports(memory_ports):
    """The use cases on the in-memory ports (no moto): what is checked here is the service's, not the adapters'."""
    return memory_ports


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
        # A route whose body is optional (the document does not require it) takes no body: only other shapes are wrong.
        op = openapi()["paths"][route.openapi_path][route.method.lower()]
        optional = not op["requestBody"].get("required")
        for body in ([valid], [], "text", 5, True) if optional else ([valid], [], "text", None, 5, True):
            status, answer = call(h, route.method, route.url(ids), body, query=query_params(route) or None, **caller)
            if status != 422 or answer.get("code") != "validation_failed":
                wrong.append(f"{route.key} with {body!r:.40}: {status} {answer}")
    assert not wrong, "\n".join(wrong)


def test_the_member_route_answers_an_array_with_422_and_changes_nothing(acme, ports):
    status, answer = call(h, "PATCH", "/api/members/rita", [{"role": "admin"}], sub="ann")
    assert (status, answer["code"]) == (422, "validation_failed")
    assert answer["message"].startswith("body")
    assert ports.store.get_member("rita").role == Role.reviewer


def _send(body: str | None, content_type: str | None, *, encoded: bool = False) -> tuple[int, dict]:
    """PATCH /api/members/rita as ann, with the raw body and Content-Type given."""
    event = http_event("PATCH", "/api/members/rita", sub="ann")
    event["headers"].pop("content-type", None)
    if content_type is not None:
        event["headers"]["content-type"] = content_type
    event["body"], event["isBase64Encoded"] = body, encoded
    answer = h(event, LambdaContext("test"))
    return answer["statusCode"], json.loads(answer["body"])


# API Gateway passes a multipart body base64-encoded.
MULTIPART = base64.b64encode(b'--x\r\nContent-Disposition: form-data; name="role"\r\n\r\nadmin\r\n--x--\r\n').decode()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # What an HTML form of another site can send without asking the browser's CORS preflight.
        ("application/x-www-form-urlencoded", "role=admin"),
        ("multipart/form-data; boundary=x", MULTIPART),
        ("multipart/form-data", '{"role": "admin"}'),  # no boundary: Powertools' form parser would fail
        ("text/plain", '{"role": "admin"}'),
        ("text/plain;charset=UTF-8", '{"role": "admin"}'),
        ("application/xml", "<role>admin</role>"),
    ],
)
def test_a_body_of_another_type_is_refused_with_415_and_changes_nothing(acme, ports, content_type, body):
    status, answer = _send(body, content_type, encoded=body is MULTIPART)
    assert (status, answer["code"]) == (415, "unsupported_media_type")
    assert ports.store.get_member("rita").role == Role.reviewer


def test_a_form_that_fails_validation_is_refused_for_its_type_not_its_fields(acme, ports):
    status, answer = _send("colour=blue", "application/x-www-form-urlencoded")
    assert (status, answer["code"]) == (415, "unsupported_media_type")


def test_bytes_that_are_not_utf8_are_refused_with_400(acme, ports):
    status, answer = _send(base64.b64encode(b'{"role": "\xff\xfe"}').decode(), "application/json", encoded=True)
    assert (status, answer["code"]) == (400, "invalid_json")
    assert ports.store.get_member("rita").role == Role.reviewer


def test_json_that_does_not_parse_is_refused_with_422(acme, ports):
    status, answer = _send('{"role": ', "application/json")
    assert (status, answer["code"]) == (422, "validation_failed")


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", None])
def test_a_json_object_is_read_with_or_without_its_type(acme, ports, content_type):
    status, answer = _send('{"role": "admin"}', content_type)
    assert status == 200, answer
    assert ports.store.get_member("rita").role == Role.admin


def test_a_route_without_a_body_refuses_a_body_of_another_type_too(acme):
    event = http_event("GET", "/api/members", sub="ann")
    event["headers"]["content-type"], event["body"] = "text/plain", "hello"
    answer = h(event, LambdaContext("test"))
    assert (answer["statusCode"], json.loads(answer["body"])["code"]) == (415, "unsupported_media_type")
