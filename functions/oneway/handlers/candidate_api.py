"""Candidate routes: the invitation token as a bearer, no account."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from ..service.views import (
    AccommodationRequest,
    AccommodationView,
    CandidateCopy,
    CompleteUpload,
    ConsentInput,
    FeedbackInput,
    PartsRequest,
    PartUrls,
    ScreeningInput,
    SessionView,
    StatusView,
    TakeInput,
    TakeUploadRequest,
    TakeView,
    TextInput,
    UplinkProbe,
    UploadState,
    UploadTicket,
)
from .deps import ports
from .http import RouteDoc, bearer_token
from .lazy import lazy

# Imported by the first call that uses them.
ratelimit = lazy("oneway.service.ratelimit")
recording = lazy("oneway.service.recording")
privacy = lazy("oneway.service.privacy")

router = APIGatewayHttpRouter()
ROUTE: RouteDoc = {"tags": ["candidate"], "security": [{"invitation": []}]}
TAKE = "/api/c/questions/<questionId>/takes/<takeId>"


def candidate():
    event = router.current_event
    return ratelimit.authenticate(ports(), bearer_token(event), event.request_context.http.source_ip)


@router.get("/api/c/session", **ROUTE)
def session() -> SessionView:
    return recording.session(ports(), candidate(), router.current_event.headers.get("accept-language"))


@router.get("/api/c/copy", **ROUTE)
def copy() -> CandidateCopy:
    """The candidate's own copy of their answers: text, transcripts and their videos to save (short-lived URLs)."""
    return privacy.candidate_copy(ports(), candidate())


@router.post("/api/c/consent", **ROUTE)
def consent(body: Annotated[ConsentInput, Body()]) -> StatusView:
    return recording.give_consent(ports(), candidate())


@router.post("/api/c/questions/<questionId>/takes", **ROUTE)
def start_take(questionId: str, body: Annotated[TakeInput, Body()] = TakeInput()) -> Response[TakeView]:  # noqa: B008
    """The body (optional, a JSON object): the form the candidate chose for this take; a standard video when none."""
    view = recording.start_take(ports(), candidate(), questionId, body)
    return Response(status_code=201, content_type="application/json", body=view)


@router.post("/api/c/uplink-probe", **ROUTE)
def uplink_probe() -> UplinkProbe:
    """Where the device check times a small upload, to recommend a recording form for the connection."""
    return recording.uplink_probe(ports(), candidate())


@router.post(f"{TAKE}/upload", **ROUTE)
def begin_upload(questionId: str, takeId: str, body: Annotated[TakeUploadRequest, Body()]) -> UploadTicket:
    return recording.begin_upload(ports(), candidate(), questionId, takeId, body)


@router.post(f"{TAKE}/upload/parts", **ROUTE)
def refresh_parts(questionId: str, takeId: str, body: Annotated[PartsRequest, Body()]) -> PartUrls:
    return recording.refresh_parts(ports(), candidate(), questionId, takeId, body)


@router.delete(f"{TAKE}/upload", **ROUTE)
def abort_upload(questionId: str, takeId: str) -> StatusView:
    """A discarded take: its unfinished upload is aborted (the parts S3 holds go)."""
    return recording.abort_upload(ports(), candidate(), questionId, takeId)


@router.get(f"{TAKE}/upload", **ROUTE)
def upload_state(questionId: str, takeId: str) -> UploadState:
    return recording.upload_state(ports(), candidate(), questionId, takeId)


@router.post(f"{TAKE}/complete", **ROUTE)
def complete_upload(questionId: str, takeId: str, body: Annotated[CompleteUpload, Body()]) -> StatusView:
    return recording.complete_upload(ports(), candidate(), questionId, takeId, body)


@router.post("/api/c/questions/<questionId>/text", **ROUTE)
def answer_text(questionId: str, body: Annotated[TextInput, Body()]) -> StatusView:
    return recording.answer_text(ports(), candidate(), questionId, body.text)


@router.post("/api/c/questions/<questionId>/screening", **ROUTE)
def answer_screening(questionId: str, body: Annotated[ScreeningInput, Body()]) -> StatusView:
    """A screening question's answer: yes/no, the chosen options, or a number."""
    return recording.answer_screening(ports(), candidate(), questionId, body)


@router.post("/api/c/complete", **ROUTE)
def complete() -> StatusView:
    return recording.complete_interview(ports(), candidate())


@router.post("/api/c/follow-ups/complete", **ROUTE)
def complete_follow_ups() -> StatusView:
    """Send the answers to the follow-up questions waiting for them (every one answered)."""
    return recording.complete_follow_ups(ports(), candidate())


@router.post("/api/c/feedback", **ROUTE)
def feedback(body: Annotated[FeedbackInput, Body()]) -> StatusView:
    return recording.give_feedback(ports(), candidate(), body)


@router.post("/api/c/accommodations", **ROUTE)
def ask_accommodation(body: Annotated[AccommodationRequest, Body()]) -> Response[AccommodationView]:
    return Response(status_code=201, content_type="application/json", body=recording.ask_accommodation(ports(), candidate(), body))
