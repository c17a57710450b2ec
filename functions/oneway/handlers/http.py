"""The HTTP edge: one resolver, one error mapping, identity from the request."""

from __future__ import annotations

import base64
import hmac
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypedDict

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from ..domain.errors import InvalidInput, OnewayError, Unauthorized, UnsupportedMediaType
from ..domain.models import Actor
from . import deps
from .lazy import lazy

identity = lazy("oneway.service.identity")  # imported by the first recruiter call

# The header CloudFront adds to every request it forwards to the API (infra/oneway_infra/site.py),
# named in lower case as API Gateway's payload 2.0 names every header.
ORIGIN_HEADER = "x-oneway-origin"


def through_cloudfront(event: dict) -> bool:
    """Whether the request came through CloudFront: it carries the origin header with the deployment's
    secret. The header is taken out of the event, so that nothing after this check can echo it."""
    s = deps.settings()
    given = (event.get("headers") or {}).pop(ORIGIN_HEADER, "")
    if not s.origin_secret:
        return s.stage == "local"  # the tests' direct calls; a deployed API always has its secret
    return hmac.compare_digest(given.encode(), s.origin_secret.encode())


def refused_origin() -> dict:
    """The answer to a request that went around CloudFront (the execute-api host called directly)."""
    return answer(403, "call the API through the site's address", "direct_access_refused")


def answer(status: int, message: str, code: str) -> dict:
    """An error answer made before any route is chosen, in the one error shape."""
    body = {"message": message, "code": code}
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def error(status: int, message: str, code: str, **extra) -> Response:
    return Response(
        status_code=status, content_type="application/json", body=json.dumps({"message": message, "code": code, **extra})
    )


class RouteDoc(TypedDict):
    """What each route of a router says about itself in the OpenAPI document, passed as ``**ROUTE``."""

    tags: list[str]
    security: list[dict[str, list[str]]]


class Route(NamedTuple):
    method: str  # upper case
    path: str  # Powertools' form, with <param> placeholders
    func: Callable

    @property
    def openapi_path(self) -> str:
        return re.sub(r"<(\w+)>", r"{\1}", self.path)

    def matches(self, path: str) -> bool:
        pattern = "".join("[^/]+" if part.startswith("<") else re.escape(part) for part in re.split(r"(<\w+>)", self.path))
        return re.fullmatch(pattern, path) is not None


class Resolver(APIGatewayHttpResolver):
    """Powertools' resolver for HTTP API events, with two things of Oneway's own, through public methods:

    - the API reads JSON bodies only: a body of another type never reaches Powertools' parsers (which
      read forms too), nor bytes that are not UTF-8;
    - a table of its routes, which Powertools keeps private: a wrong method's 405 with ``Allow``, the
      OpenAPI document's 201s and the tests that cover every route read it. Every route, the app's and its
      routers', is declared through ``route`` (tests/integration/test_http_edge.py checks the table is whole).
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.routes: list[Route] = []

    def route(self, rule: str, method: str | list[str] | tuple[str], *args: Any, **kwargs: Any):
        register = super().route(rule, method, *args, **kwargs)

        def remember(func):
            self.routes += [Route(m.upper(), rule, func) for m in ([method] if isinstance(method, str) else method)]
            return register(func)

        return remember

    def resolve(self, event, context) -> dict[str, Any]:
        refusal = refused_body(event)
        if refusal is not None:
            return answer(refusal.status, refusal.message, refusal.code)
        return super().resolve(event, context)


def refused_body(event: Mapping[str, Any]) -> OnewayError | None:
    """Why the API does not read this request's body, if it does not: a body of another declared type than
    JSON (what a form or a fetch of another site can send without a CORS preflight) or bytes that are not
    UTF-8, whatever the route would make of them."""
    body = event.get("body")
    if not body:
        return None
    kind = next((v for k, v in (event.get("headers") or {}).items() if k.lower() == "content-type"), "").strip().lower()
    if kind and not kind.startswith("application/json"):
        return UnsupportedMediaType("request bodies are application/json", "unsupported_media_type")
    if event.get("isBase64Encoded"):
        try:
            base64.b64decode(body, validate=True).decode("utf-8")
        except ValueError:  # bytes that are not UTF-8, or not base64 at all
            return InvalidInput("the request body is not UTF-8 JSON", "invalid_json")
    return None


def json_object(text: str) -> dict:
    """A request body, which must be a JSON object: every route that reads a body reads one object (Powertools
    would bind the first item of an array to a model, as it does with a repeated query parameter)."""
    body = json.loads(text)
    if not isinstance(body, dict):
        raise RequestValidationError([{"type": "model_type", "loc": ("body",), "msg": "Input should be a JSON object", "input": None}])
    return body


def create_app() -> Resolver:
    app = Resolver(enable_validation=True, json_body_deserializer=json_object)

    @app.exception_handler(OnewayError)
    def domain_error(err: OnewayError) -> Response:
        refused = error(err.status, err.message, err.code)
        if getattr(err, "retry_after", None):
            refused.headers["Retry-After"] = str(err.retry_after)  # type: ignore[attr-defined]
        return refused

    @app.exception_handler(RequestValidationError)
    def invalid(err: RequestValidationError) -> Response:
        problems: list[dict[str, Any]] = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")} for e in err.errors()
        ]
        first: dict[str, Any] = problems[0] if problems else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"][1:] or first["loc"])
        return error(422, f"{where}: {first['msg']}" if where else first["msg"], "validation_failed", errors=problems)

    @app.not_found
    def not_found(_err: Exception) -> Response:
        path = app.current_event.path
        allowed = sorted({r.method for r in app.routes if r.matches(path)})
        # The path exists, the method does not (with a method it takes, a parameter of characters that
        # Powertools' routes do not accept: no such route).
        if allowed and app.current_event.http_method.upper() not in allowed:
            refused = error(405, f"this path takes {', '.join(allowed)}", "method_not_allowed")
            refused.headers["Allow"] = ", ".join(allowed)
            return refused
        return error(404, "no such route", "route_not_found")

    return app


def current_actor(event, *, mfa_setup: bool = False) -> Actor:
    """The member behind a verified access token (checked by the API's JWT authorizer). ``mfa_setup``: the
    route serves a member who must still set up two-step verification."""
    authorizer = event.request_context.authorizer
    claims = (authorizer.jwt_claim if authorizer else None) or {}
    # The authorizer matches its audience against ``aud`` or, without one, ``client_id``: an ID token of the
    # same app client (``aud``) passes it too. Cognito says which token it is in ``token_use``.
    if not claims.get("sub") or claims.get("token_use") != "access":
        raise Unauthorized("sign in to continue", "unauthenticated")
    return identity.actor_for(deps.ports(), claims["sub"], mfa_setup=mfa_setup)


def bearer_token(event) -> str | None:
    header = event.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None
