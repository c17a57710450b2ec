"""CloudFront is the only door to the API: a request without the deployment's origin header is refused
before anything else runs, and the local gateway adds the header as CloudFront does."""

from __future__ import annotations

import json

import pytest
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from oneway.config import settings
from oneway.handlers import api, public_api, staff_api
from oneway.handlers.http import ORIGIN_HEADER
from oneway.local.gateway import Gateway, JwtVerifier, LambdaContext
from tests.support.events import http_event

SECRET = "b5f3c0de-0000-4000-8000-0123456789ab"


@pytest.fixture
def ports(memory_ports):
    """The use cases on the in-memory ports (no moto): what is checked here is the service's, not the adapters'."""
    return memory_ports


@pytest.fixture
def deployed(monkeypatch):
    """The API function as the stack configures it: a stage that is not local, and the origin secret."""
    monkeypatch.setenv("ONEWAY_STAGE", "prod")
    monkeypatch.setenv("ONEWAY_ORIGIN_SECRET", SECRET)
    settings.cache_clear()
    yield
    settings.cache_clear()


def _answer(event) -> tuple[int, dict]:
    answer = api.lambda_handler(event, LambdaContext("test"))
    return answer["statusCode"], json.loads(answer.get("body") or "null")


def _with(value: str | None, path: str = "/api/health", **kw):
    event = http_event("GET", path, **kw)
    if value is not None:
        event["headers"][ORIGIN_HEADER] = value
    return event


@pytest.mark.parametrize("value", [None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper()])
def test_a_request_without_the_origin_secret_is_refused(deployed, value):
    status, body = _answer(_with(value))
    assert status == 403 and body["code"] == "direct_access_refused"


@pytest.mark.parametrize(("handler", "path"), [(public_api, "/api/c/session"), (public_api, "/api/share/candidate"), (staff_api, "/api/me")])
def test_both_api_functions_refuse_a_request_without_the_origin_secret(deployed, handler, path):
    """The public function (candidates, share links) and the staff function check the header alike, first."""
    for value in (None, "wrong"):
        answer = handler.lambda_handler(_with(value, path, sub="alice"), LambdaContext("test"))
        assert (answer["statusCode"], json.loads(answer["body"])["code"]) == (403, "direct_access_refused")


@pytest.mark.parametrize(
    ("handler", "path"),
    [(public_api, "/api/me"), (public_api, "/api/interviews"), (staff_api, "/api/c/session"), (staff_api, "/api/share/candidate"), (staff_api, "/api/health")],
)
def test_each_api_function_serves_its_own_audience_only(deployed, handler, path, monkeypatch):
    """Whatever API Gateway sends it, the public function answers no staff route and the staff function no
    candidate or share route: 404, before any route code or store access."""
    from oneway.handlers import deps

    def no_store():
        raise AssertionError("the request reached the adapters")

    monkeypatch.setattr(deps, "ports", no_store)
    answer = handler.lambda_handler(_with(SECRET, path, sub="alice", token="t" * 43), LambdaContext("test"))
    assert (answer["statusCode"], json.loads(answer["body"])["code"]) == (404, "route_not_found")


def test_the_check_comes_before_the_routes_and_the_identity(deployed, monkeypatch):
    """A recruiter route that would need the store is refused without reaching it."""
    from oneway.handlers import deps

    def no_store():
        raise AssertionError("the request reached the adapters")

    monkeypatch.setattr(deps, "ports", no_store)
    status, body = _answer(_with(None, "/api/me", sub="alice"))
    assert (status, body["code"]) == (403, "direct_access_refused")


def test_a_request_with_the_origin_secret_is_served(deployed):
    status, body = _answer(_with(SECRET))
    assert (status, body) == (200, {"status": "ok"})


def test_the_secret_does_not_reach_the_routes(deployed, monkeypatch):
    seen = {}
    original = api.app.resolve

    def resolve(event, context):
        seen.update(event["headers"])
        return original(event, context)

    monkeypatch.setattr(api.app, "resolve", resolve)
    assert _answer(_with(SECRET))[0] == 200
    assert ORIGIN_HEADER not in seen


def test_a_deployed_api_without_a_secret_refuses_everything(monkeypatch):
    """Fail closed: an API stage other than local with no secret configured serves nothing."""
    monkeypatch.setenv("ONEWAY_STAGE", "prod")
    monkeypatch.delenv("ONEWAY_ORIGIN_SECRET", raising=False)
    settings.cache_clear()
    try:
        assert _answer(_with(None))[0] == 403
        assert _answer(_with("anything"))[0] == 403
    finally:
        settings.cache_clear()


def test_the_local_gateway_adds_the_secret_as_cloudfront_does(tmp_path):
    """Whatever the browser sends in the header, the handler gets the run's secret."""
    seen = []

    def handler(event, context):
        seen.append(event["headers"].get(ORIGIN_HEADER))
        return {"statusCode": 200, "body": "{}"}

    def no_verifier() -> JwtVerifier:
        raise AssertionError("the health route reads no token")

    gateway = Gateway(
        api_handler=handler, verifier=no_verifier, site_dir=tmp_path, config_json=lambda: "{}", outbox=list,
        dev_key="k", origin_secret=SECRET,
    )
    for sent in ({}, {"X-Oneway-Origin": "forged"}):
        request = Request(EnvironBuilder(method="GET", path="/api/health", headers=Headers(sent)).get_environ())
        assert gateway.dispatch(request).status_code == 200
    assert seen == [SECRET, SECRET]
