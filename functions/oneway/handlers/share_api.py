"""The share-link route: a hiring manager's read-only view of one candidate, the link's token as a bearer."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from ..service.views import SharedCandidate
from .deps import ports
from .http import bearer_token
from .lazy import lazy

sharing = lazy("oneway.service.sharing")  # imported by the first call

router = APIGatewayHttpRouter()


@router.get("/api/share/candidate", tags=["share"], security=[{"share": []}])
def shared_candidate() -> SharedCandidate:
    return sharing.view_shared(ports(), bearer_token(router.current_event))
