"""The HTTP API's Lambda: health, the OpenAPI document, recruiter and candidate routes."""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths

from . import candidate_api, recruiter_api, share_api
from .http import create_app, refused_origin, through_cloudfront

logger = Logger()
tracer = Tracer(auto_patch=False)  # deps.traced() patches botocore with the first client
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

    doc = app.get_openapi_schema(
        title="Oneway API",
        version="1.0.0",
        description="Asynchronous video interviews: recruiter routes (Cognito) and candidate routes (invitation token).",
        security_schemes={
            "cognito": HTTPBearer(bearerFormat="JWT", description="A Cognito access token of a member of the organization"),
            "invitation": HTTPBearer(description="The candidate's invitation token, from the link's #t= fragment"),
            "share": HTTPBearer(description="A share link's token, from the link's #/share/ fragment"),
        },
    ).model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(document_errors(doc), indent=2)


ERROR_STATUSES = {
    "400": "The request is not valid for the current state or data",
    "401": "No valid token",
    "403": "The caller's role does not allow this",
    "404": "No such resource (in the caller's organization)",
    "405": "The path exists, the method does not",
    "409": "The current state does not allow this",
    "410": "The interview's deadline has passed",
    "413": "The recording is too large",
    "415": "The request body is not JSON",
    "429": "Too many requests or failed token lookups",
    "503": "Email cannot be sent now (the SES sandbox, paused sending or the sending quota)",
}


def document_errors(doc: dict) -> dict:
    """Every operation may answer with the one error shape ``{message, code}``: say so in the document."""
    doc.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
        "type": "object",
        "title": "Error",
        "required": ["message", "code"],
        "properties": {"message": {"type": "string"}, "code": {"type": "string"}},
    }
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    created = {(r.method.lower(), r.openapi_path) for r in app.routes if "Response[" in str(r.func.__annotations__.get("return", ""))}
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            if (method, path) in created and "200" in operation.get("responses", {}) and method == "post":
                operation["responses"].setdefault("201", {**operation["responses"]["200"], "description": "Created"})
            if isinstance(operation, dict) and "responses" in operation:
                for status, description in ERROR_STATUSES.items():
                    operation["responses"].setdefault(status, {"description": description, "content": ref})
    return doc


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    if not through_cloudfront(event):
        return refused_origin()
    return app.resolve(event, context)
