"""The HTTP API: one resolver for every route, served by two functions by audience.

- ``public_api.py``: candidate routes (``/api/c/*``, the invitation token), share links
  (``/api/share/*``, the link's token), organizations' logos (``/api/brand/*``), health and the OpenAPI
  document; no account.
- ``staff_api.py``: recruiter and admin routes (a Cognito access token, checked by API Gateway's
  JWT authorizer and again here).

The same code in both, each function with its own role (infra/oneway_infra/api.py): a candidate
route runs where no right to erase, to manage accounts or to read the audit log exists. Each
function answers only its own audience's routes (``serve``), whatever API Gateway sends it.
``lambda_handler`` below routes as API Gateway does, for the tests and the local stack's workers.
"""

from __future__ import annotations

import json
from typing import Literal

from aws_lambda_powertools.event_handler import Response

from . import apply_api, brand_api, candidate_api, recruiter_api, share_api
from .http import create_app, refused_origin, through_cloudfront

app = create_app()
app.include_router(recruiter_api.router)
app.include_router(candidate_api.router)
app.include_router(share_api.router)
app.include_router(apply_api.router)
app.include_router(brand_api.router)


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


Audience = Literal["public", "staff"]
# API Gateway's routes to the public function (infra/oneway_infra/api.py); everything else under /api/ is staff.
PUBLIC_PREFIXES = ("/api/c/", "/api/share/", "/api/brand/")
PUBLIC_PATHS = ("/api/health", "/api/openapi.json")


def audience(path: str) -> Audience:
    """Which function serves a path, as API Gateway's routes decide."""
    return "public" if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES) else "staff"


def _path(event: dict) -> str:
    return event.get("rawPath") or ((event.get("requestContext") or {}).get("http") or {}).get("path") or ""


def serve(event: dict, context, served: Audience) -> dict:
    """One request to the function of audience ``served``: CloudFront's origin header first (both functions),
    then only that audience's routes."""
    if not through_cloudfront(event):
        return refused_origin()
    if audience(_path(event)) != served:
        return _not_here()
    return app.resolve(event, context)


def _not_here() -> dict:
    """A route of the other audience (API Gateway never sends one here): the answer to a path that does not exist."""
    return {"statusCode": 404, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"message": "no such route", "code": "route_not_found"})}


def lambda_handler(event, context):
    """Route as API Gateway does: public paths to the public function's handler, the rest to the staff one's."""
    from . import public_api, staff_api

    handler = public_api.lambda_handler if audience(_path(event)) == "public" else staff_api.lambda_handler
    return handler(event, context)
