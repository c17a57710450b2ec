"""The HTTP edge: one resolver, one error mapping, identity from the request."""

from __future__ import annotations

import json

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from ..domain.errors import OnewayError, Unauthorized
from ..domain.models import Actor
from ..service import identity
from . import deps


def error(status: int, message: str, code: str, **extra) -> Response:
    return Response(
        status_code=status, content_type="application/json", body=json.dumps({"message": message, "code": code, **extra})
    )


def create_app() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)

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
        return error(404, "no such route", "route_not_found")

    return app


def current_actor(event) -> Actor:
    """The member behind a verified access token (checked by the API's JWT authorizer)."""
    authorizer = event.request_context.authorizer
    claims = (authorizer.jwt_claim if authorizer else None) or {}
    if not claims.get("sub"):
        raise Unauthorized("sign in to continue", "unauthenticated")
    return identity.actor_for(deps.ports(), claims["sub"])


def bearer_token(event) -> str | None:
    header = event.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None
