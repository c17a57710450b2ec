"""The HTTP API's Lambda: health, the OpenAPI document, recruiter and candidate routes."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths

from . import candidate_api, recruiter_api, share_api
from .http import create_app

logger = Logger()
tracer = Tracer()
app = create_app()
app.include_router(recruiter_api.router)
app.include_router(candidate_api.router)
app.include_router(share_api.router)


@app.get("/api/health", tags=["public"])
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/openapi.json", tags=["public"], include_in_schema=False)
def openapi():
    return Response(status_code=200, content_type="application/json", body=openapi_document())


def openapi_document() -> str:
    # Imported here: the OpenAPI models take ~0.1 s to build, and only this route needs them.
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    return app.get_openapi_json_schema(
        title="Oneway API",
        version="1.0.0",
        description="Asynchronous video interviews: recruiter routes (Cognito) and candidate routes (invitation token).",
        security_schemes={
            "cognito": HTTPBearer(bearerFormat="JWT", description="A Cognito access token of a member of the organization"),
            "invitation": HTTPBearer(description="The candidate's invitation token, from the link's #t= fragment"),
            "share": HTTPBearer(description="A share link's token, from the link's #/share/ fragment"),
        },
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    return app.resolve(event, context)
