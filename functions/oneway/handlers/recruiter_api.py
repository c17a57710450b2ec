"""Recruiter routes: a Cognito access token, the organization from the identity."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from ..domain.models import CandidateStatus
from ..service import analytics, identity, interviews, invitations, privacy, review
from ..service.views import (
    AnalyticsView,
    CandidateDetail,
    CandidateList,
    DecisionInput,
    DecisionView,
    InterviewList,
    InterviewView,
    InvitationList,
    InviteCandidates,
    MeView,
    NewInterview,
    ReviewInput,
    ReviewView,
    StatusView,
)
from .deps import ports
from .http import current_actor

router = APIGatewayHttpRouter()
ROUTE = {"tags": ["recruiter"], "security": [{"cognito": []}]}
Limit = Annotated[int, Query(ge=1, le=100)]


def actor():
    return current_actor(router.current_event)


def created(body):
    return Response(status_code=201, content_type="application/json", body=body)


@router.get("/api/me", **ROUTE)
def me() -> MeView:
    return identity.me(ports(), actor())


@router.post("/api/interviews", **ROUTE)
def create_interview(body: Annotated[NewInterview, Body()]) -> Response[InterviewView]:
    return created(interviews.create_interview(ports(), actor(), body))


@router.get("/api/interviews", **ROUTE)
def list_interviews(cursor: Annotated[str | None, Query()] = None, limit: Limit = 25) -> InterviewList:
    return interviews.list_interviews(ports(), actor(), cursor, limit)


@router.get("/api/interviews/<interviewId>", **ROUTE)
def get_interview(interviewId: str) -> InterviewView:
    return interviews.get_interview(ports(), actor(), interviewId)


@router.post("/api/interviews/<interviewId>/invitations", **ROUTE)
def invite(interviewId: str, body: Annotated[InviteCandidates, Body()]) -> Response[InvitationList]:
    return created(invitations.invite_candidates(ports(), actor(), interviewId, body))


@router.get("/api/interviews/<interviewId>/candidates", **ROUTE)
def list_candidates(
    interviewId: str,
    status: Annotated[CandidateStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query()] = None,
    limit: Limit = 50,
) -> CandidateList:
    return invitations.list_candidates(ports(), actor(), interviewId, status, cursor, limit)


@router.get("/api/interviews/<interviewId>/analytics", **ROUTE)
def interview_analytics(interviewId: str) -> AnalyticsView:
    return analytics.interview_analytics(ports(), actor(), interviewId)


@router.get("/api/candidates/<candidateId>", **ROUTE)
def get_candidate(candidateId: str) -> CandidateDetail:
    return review.candidate_detail(ports(), actor(), candidateId)


@router.put("/api/candidates/<candidateId>/review", **ROUTE)
def put_review(candidateId: str, body: Annotated[ReviewInput, Body()]) -> ReviewView:
    return review.submit_review(ports(), actor(), candidateId, body)


@router.post("/api/candidates/<candidateId>/decision", **ROUTE)
def decide(candidateId: str, body: Annotated[DecisionInput, Body()]) -> DecisionView:
    return review.decide(ports(), actor(), candidateId, body)


@router.delete("/api/candidates/<candidateId>", **ROUTE)
def erase(candidateId: str) -> StatusView:
    privacy.erase_candidate(ports(), actor(), candidateId)
    return StatusView(status="erased")
