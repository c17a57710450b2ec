"""The share-link routes: a hiring manager's view of one candidate and their opinion as a named guest,
the link's token as a bearer."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from ..service.views import GuestOpinionInput, GuestOpinionSaved, SharedCandidate
from .deps import ports
from .http import RouteDoc, bearer_token
from .lazy import lazy

sharing = lazy("oneway.service.sharing")  # imported by the first call

router = APIGatewayHttpRouter()
SHARE: RouteDoc = {"tags": ["share"], "security": [{"share": []}]}


@router.get("/api/share/candidate", **SHARE)
def shared_candidate() -> SharedCandidate:
    return sharing.view_shared(ports(), bearer_token(router.current_event))


@router.put("/api/share/opinion", **SHARE)
def give_guest_opinion(cmd: Annotated[GuestOpinionInput, Body()]) -> GuestOpinionSaved:
    return sharing.give_guest_opinion(ports(), bearer_token(router.current_event), cmd)
