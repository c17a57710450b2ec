"""Self-apply routes: an interview's public link for a job ad, no account and no token (the slug is public).
Under ``/api/c/``, so API Gateway sends them to the public function with the candidate routes."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from ..service.views import ApplyAccepted, ApplyConfirm, ApplyInput, ApplyPage, ApplyResult
from .deps import ports
from .http import RouteDoc
from .lazy import lazy

applying = lazy("oneway.service.applying")  # imported by the first call

router = APIGatewayHttpRouter()
ROUTE: RouteDoc = {"tags": ["apply"], "security": []}


def source() -> str | None:
    return router.current_event.request_context.http.source_ip


@router.get("/api/c/apply/<slug>", **ROUTE)
def apply_page(slug: str) -> ApplyPage:
    """The interview's title, the organization's name and look, and whether it takes applications: nothing else."""
    return applying.apply_page(ports(), slug, source(), router.current_event.headers.get("accept-language"))


@router.post("/api/c/apply/<slug>", **ROUTE)
def apply(slug: str, body: Annotated[ApplyInput, Body()]) -> ApplyAccepted:
    """Email a 6-digit code to the address given (15 minutes, 5 tries); no candidate yet."""
    return applying.apply(ports(), slug, body, source())


@router.post("/api/c/apply/<slug>/confirm", **ROUTE)
def confirm(slug: str, body: Annotated[ApplyConfirm, Body()]) -> ApplyResult:
    """The code: the candidate is made (or, for an address that applied before, re-invited); their private link."""
    return applying.confirm(ports(), slug, body, source())
