"""The organizations' logos, for anyone: pages and emails show them (an email read days later too), so the
address needs no token and never expires. An organization's id gives its logo and nothing else."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from .deps import ports
from .http import RouteDoc
from .lazy import lazy

branding = lazy("oneway.service.branding")  # imported by the first call

router = APIGatewayHttpRouter()
ROUTE: RouteDoc = {"tags": ["public"], "security": []}
# Asked for by its version, a logo never changes (a new logo has a new version): caches keep it a year. The
# address without the current version (an old email, a guess) is answered with the current logo, kept briefly.
IMMUTABLE, BRIEF = "public, max-age=31536000, immutable", "public, max-age=300"


@router.get("/api/brand/<orgId>/logo", **ROUTE, responses={200: {"description": "The logo (PNG, JPEG or WebP)", "content": {"image/*": {}}}})
def logo(orgId: str, v: Annotated[str | None, Query(max_length=64)] = None):  # no return type: the body is bytes, not JSON
    found = branding.public_logo(ports(), orgId, v)
    return Response(
        status_code=200,
        content_type=found.content_type,
        body=found.body,
        headers={
            "Cache-Control": IMMUTABLE if found.current else BRIEF,
            "X-Content-Type-Options": "nosniff",
            # Opened on its own, the picture can run nothing (it cannot anyway: no SVG is accepted).
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )
