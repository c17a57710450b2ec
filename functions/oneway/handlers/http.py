"""The HTTP edge: one resolver, one error mapping, identity from the request."""

from __future__ import annotations

import hmac
import json

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from aws_lambda_powertools.event_handler.middlewares.openapi_validation import OpenAPIRequestValidationMiddleware
from pydantic import BaseModel

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
    body = {"message": "call the API through the site's address", "code": "direct_access_refused"}
    return {"statusCode": 403, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def error(status: int, message: str, code: str, **extra) -> Response:
    return Response(
        status_code=status, content_type="application/json", body=json.dumps({"message": message, "code": code, **extra})
    )


class JsonBodies(OpenAPIRequestValidationMiddleware):
    """The API reads JSON bodies only: another declared type or bytes that are not UTF-8 are refused
    with the one error shape, before any parsing; and a body that a route reads as an object must be
    a JSON object (Powertools would take the first item of an array for it, as it does with a
    repeated query parameter)."""

    def _get_body(self, app):
        event = app.current_event
        kind = (event.headers.get("content-type") or "").strip().lower()
        if event.body and kind and not kind.startswith("application/json"):
            raise UnsupportedMediaType("request bodies are application/json", "unsupported_media_type")
        try:
            body = super()._get_body(app)
        except UnicodeDecodeError:
            raise InvalidInput("the request body is not UTF-8 JSON", "invalid_json") from None
        if body is not None and not isinstance(body, dict) and _reads_objects(app.context.get("_route")):
            raise RequestValidationError(
                [{"type": "model_type", "loc": ("body",), "msg": "Input should be a JSON object", "input": None}]
            )
        return body


def _reads_objects(route) -> bool:
    """Whether every body parameter of the route is a model (a JSON object), not a list or a scalar."""
    params = route.dependant.body_params if route is not None else []
    return bool(params) and all(
        isinstance(f.field_info.annotation, type)
        and issubclass(f.field_info.annotation, BaseModel)
        and not getattr(f.field_info.annotation, "__pydantic_root_model__", False)
        for f in params
    )


def create_app() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    app._request_validation_middleware = JsonBodies()

    @app.exception_handler(OnewayError)
    def domain_error(err: OnewayError) -> Response:
        return error(err.status, err.message, err.code)

    @app.exception_handler(RequestValidationError)
    def invalid(err: RequestValidationError) -> Response:
        problems = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")} for e in err.errors()
        ]
        first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"][1:] or first["loc"])
        return error(422, f"{where}: {first['msg']}" if where else first["msg"], "validation_failed", errors=problems)

    @app.not_found
    def not_found(_err: Exception) -> Response:
        path = app.current_event.path
        allowed = sorted({r.method.upper() for r in [*app._static_routes, *app._dynamic_routes] if r.rule.match(path)})
        if allowed:  # the path exists, the method does not
            answer = error(405, f"this path takes {', '.join(allowed)}", "method_not_allowed")
            answer.headers["Allow"] = ", ".join(allowed)
            return answer
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
