"""The local HTTP gateway: what API Gateway and CloudFront do on AWS.

``/api/*`` becomes an API Gateway (HTTP API, payload 2.0) event for the real
Lambda handler of its audience, as the deployed routes send it: candidate and
share routes, health and the OpenAPI document to the public function's handler
(``handlers/public_api.py``), the rest to the staff function's
(``handlers/staff_api.py``) once a Cognito access token verifies against the
embedded pool's keys, as the JWT authorizer does.
Everything else is the static site, ``/config.json`` and ``/dev/outbox`` (with the run's
key: ``guard.py``).
"""

from __future__ import annotations

import base64
import contextlib
import html
import importlib
import json
import multiprocessing
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jwt
import requests
from werkzeug.exceptions import NotFound
from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response

from ..handlers.api import audience
from ..handlers.http import ORIGIN_HEADER
from .guard import DEV_COOKIE, dev_key_given

STAFF_SCOPE = "aws.cognito.signin.user.admin"  # what the deployed JWT authorizer asks of recruiter routes


class LambdaContext:
    """The parts of the Lambda context that Powertools reads."""

    def __init__(self, name: str):
        self.function_name = name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 512
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


class JwtVerifier:
    """Checks Cognito access tokens as API Gateway's JWT authorizer would."""

    def __init__(self, aws_endpoint: str, region: str, pool_id: str, client_id: str):
        self._jwks_url = f"{aws_endpoint}/{pool_id}/.well-known/jwks.json"
        # moto signs with the issuer AWS would use, so the check is the same as on AWS.
        self._issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
        self._client_id = client_id
        self._keys: dict[str, Any] = {}

    def _key(self, kid: str):
        if kid not in self._keys:
            for jwk in requests.get(self._jwks_url, timeout=5).json()["keys"]:
                self._keys[jwk["kid"]] = jwt.PyJWK(jwk).key
        return self._keys[kid]

    def claims(self, token: str) -> dict[str, Any] | None:
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
            claims = jwt.decode(
                token, self._key(kid), algorithms=["RS256"], issuer=self._issuer, options={"require": ["exp", "sub"], "verify_aud": False}
            )
        except (jwt.PyJWTError, KeyError):
            return None
        # Access tokens of this app client only, with the scope the deployed route asks for (an ID token has none).
        if claims.get("token_use") != "access" or claims.get("client_id") != self._client_id:
            return None
        if STAFF_SCOPE not in str(claims.get("scope", "")).split():
            return None
        return claims


def api_event(request: Request, claims: dict[str, Any] | None) -> dict[str, Any]:
    body = request.get_data()
    try:
        text_body, encoded = (body.decode("utf-8", errors="strict") if body else None), False
    except UnicodeDecodeError:  # bytes that are not text: API Gateway passes them base64-encoded
        text_body, encoded = base64.b64encode(body).decode(), True
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode(),
        "headers": {k.lower(): v for k, v in request.headers.items()},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": request.host,
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.headers.get("User-Agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
            "timeEpoch": int(time.time() * 1000),
        },
        "body": text_body,
        "isBase64Encoded": encoded,
    }
    if request.args:
        event["queryStringParameters"] = {k: ",".join(request.args.getlist(k)) for k in request.args}
    if request.headers.getlist("Cookie"):
        event["cookies"] = request.headers.getlist("Cookie")
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return event


class LambdaPool:
    """Concurrent execution environments for one handler, as Lambda scales out: each worker
    process imports the handler once (its cold start) and runs one event at a time. The
    environment (endpoint, queue URLs, pool id) is the parent's at the time of the first call."""

    def __init__(self, handler: str, workers: int):
        self._name = handler.rsplit(".", 1)[-1]
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_load_handler, initargs=(handler,)
        )

    def __call__(self, event: dict, context: Any) -> dict:
        return self._pool.submit(_run_handler, event, context.function_name).result()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


_handler: Callable[[dict, Any], dict] | None = None


def _load_handler(module: str) -> None:
    global _handler  # noqa: PLW0603 (the worker process's one handler, set once at its start)
    from .aws_calls import start_from_environment

    start_from_environment("local stack API worker")
    _handler = importlib.import_module(module).lambda_handler


def _run_handler(event: dict, function_name: str) -> dict:
    assert _handler is not None
    return _handler(event, LambdaContext(function_name))


class Gateway:
    def __init__(
        self,
        *,
        api_handler: Callable[[dict, Any], dict] | None = None,
        public_handler: Callable[[dict, Any], dict] | None = None,
        staff_handler: Callable[[dict, Any], dict] | None = None,
        verifier: Callable[[], JwtVerifier],
        site_dir: Path,
        config_json: Callable[[], str],
        outbox: Callable[[], list[dict[str, Any]]],
        dev_key: str,
        origin_secret: str = "",
    ):
        # Each audience's function; ``api_handler`` serves both (a LambdaPool of handlers.api, which routes by path).
        public, staff = public_handler or api_handler, staff_handler or api_handler
        if public is None or staff is None:
            raise ValueError("the gateway needs a handler for each audience")
        self._handlers = {"public": public, "staff": staff}
        # An in-process handler runs one invocation at a time, as one Lambda instance does: the
        # resolver (shared by both audiences' handlers in one process) keeps the current request in
        # module state, so parallel threads would read each other's events. A LambdaPool runs as many
        # at once as it has worker processes.
        self._invoke = contextlib.nullcontext() if isinstance(api_handler, LambdaPool) else threading.Lock()
        self._verifier = verifier
        self._site = site_dir
        self._config = config_json
        self._outbox = outbox
        self._dev_key = dev_key
        self._origin_secret = origin_secret

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except NotFound:
            response = Response("not found", status=404)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/api/"):
            return self.api(request)
        if path == "/config.json":
            return Response(self._config(), content_type="application/json", headers={"Cache-Control": "no-store"})
        if path.startswith("/dev/"):
            return self.dev(request)
        return self.static(path)

    def dev(self, request: Request) -> Response:
        """The developer's pages, for whoever holds the key ``make dev`` printed (a cookie keeps it)."""
        if dev_key_given(request.environ, self._dev_key) is None:
            return Response(
                json.dumps({"message": "the developer pages want the key that make dev printed (?key=...)", "code": "dev_key_required"}),
                403,
                content_type="application/json",
            )
        if request.path not in ("/dev/outbox", "/dev/outbox.json"):
            raise NotFound()
        response = self.outbox(json_wanted=request.path.endswith(".json"))
        if request.args.get("key"):
            response.set_cookie(DEV_COOKIE, self._dev_key, path="/dev/", httponly=True, samesite="Strict")
        return response

    def api(self, request: Request) -> Response:
        claims = None
        served = audience(request.path)
        if served == "staff":
            scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
            claims = self._verifier().claims(token.strip()) if scheme.lower() == "bearer" else None
            if claims is None:
                return Response(json.dumps({"message": "Unauthorized", "code": "unauthorized"}), 401, content_type="application/json")
        event = api_event(request, claims)
        # As CloudFront does: the deployment's secret in the origin header, whatever the browser sent.
        event["headers"][ORIGIN_HEADER] = self._origin_secret
        with self._invoke:
            answer = self._handlers[served](event, LambdaContext(f"oneway-{served}-api"))
        body = answer.get("body") or ""
        data = base64.b64decode(body) if answer.get("isBase64Encoded") else body
        response = Response(data, status=answer.get("statusCode", 200))
        for k, v in (answer.get("headers") or {}).items():
            response.headers[k] = v
        for cookie in answer.get("cookies") or []:
            response.headers.add("Set-Cookie", cookie)
        # API answers are not cached, unless the handler says otherwise (an organization's logo, by its version),
        # as on AWS, where CloudFront and API Gateway pass the function's Cache-Control through.
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def static(self, path: str) -> Response:
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        target = safe_join(str(self._site), rel)
        if target is None:
            raise NotFound()
        file = Path(target)
        if not file.is_file():
            # Single-page apps: unknown paths under /c/ are the candidate app, the rest the review app.
            file = self._site / ("c/index.html" if path.startswith("/c/") else "index.html")
            if not file.is_file():
                return Response(
                    "The web site is not built yet: run `make web` (make dev does it for you).", 503, content_type="text/plain"
                )
        import mimetypes

        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = {"Cache-Control": "no-cache" if file.suffix == ".html" else "public, max-age=3600"}
        if path.startswith("/c/"):
            headers["Referrer-Policy"] = "no-referrer"
        return Response(file.read_bytes(), content_type=kind, headers=headers)

    def outbox(self, json_wanted: bool) -> Response:
        mails = self._outbox()
        if json_wanted:
            return Response(json.dumps(mails), content_type="application/json", headers={"Cache-Control": "no-store"})
        rows = "".join(
            f"<article><h2>{html.escape(m['subject'])}</h2><p><b>To:</b> {html.escape(', '.join(m['to']))}</p>"
            + (
                # The HTML part as a mail client shows it, in a frame that runs nothing and reaches nothing of this page.
                f'<iframe sandbox="" title="{html.escape(m["subject"], quote=True)}" srcdoc="{html.escape(m["html"], quote=True)}" '
                'style="width:100%;height:36rem;border:1px solid #ccd;border-radius:6px"></iframe>'
                "<details><summary>Text</summary>"
                if m.get("html")
                else ""
            )
            + f"<pre>{_linkify(html.escape(m['body']))}</pre>"
            + ("</details>" if m.get("html") else "")
            + "</article>"
            for m in reversed(mails)
        )
        page = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Oneway outbox</title>"
            "<style>body{font:16px system-ui;max-width:50rem;margin:2rem auto;padding:0 1rem}"
            "article{border:1px solid #ccd;border-radius:8px;padding:0 1rem;margin:1rem 0}pre{white-space:pre-wrap}</style>"
            f"<h1>Outbox</h1><p>The emails Oneway would have sent ({len(mails)}).</p>{rows or '<p>None yet.</p>'}</html>"
        )
        return Response(page, content_type="text/html")


def _linkify(text: str) -> str:
    import re

    return re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', text)
