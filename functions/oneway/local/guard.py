"""What keeps web pages elsewhere away from the local stack's servers on loopback.

A page open in the developer's browser (any site) can send requests to 127.0.0.1: by
fetch from its own origin (the browser adds ``Origin``), or, after DNS rebinding, as
"same origin" under its own host name (the browser sends that name in ``Host``). The
embedded AWS checks no signature, so either would read the whole table and every
recording. Both servers therefore answer only their own host names, and only the
site's origin among browsers; programs (boto3, the tests, the CLI) send no ``Origin``.
``/dev/*`` (the outbox shows invitation links and temporary passwords) also wants the
per-run key that ``make dev`` prints.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
DEV_COOKIE = "oneway_dev_key"


def loopback_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` values under which a server bound to ``host:port`` is reached on this machine."""
    names = {host, *LOOPBACK_NAMES} if host in LOOPBACK_NAMES or host in ("0.0.0.0", "::") else {host}
    return {f"{name}:{port}".lower() for name in names}


def site_origins(host: str, port: int) -> set[str]:
    return {f"http://{h}" for h in loopback_hosts(host, port)}


def _refuse(start_response: Callable, status: str, message: str, code: str) -> list[bytes]:
    body = json.dumps({"message": message, "code": code}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class LoopbackGuard:
    """WSGI middleware: refuse other host names (DNS rebinding) and other web origins."""

    def __init__(self, app: Callable, *, hosts: Iterable[str], origins: Iterable[str]):
        self.app = app
        self.hosts = {h.lower() for h in hosts}
        self.origins = set(origins)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        host = (environ.get("HTTP_HOST") or "").lower()
        if host not in self.hosts:
            return _refuse(start_response, "403 Forbidden", f"this server answers only {sorted(self.hosts)}", "unknown_host")
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in self.origins:
            return _refuse(start_response, "403 Forbidden", "requests from other web origins are refused", "foreign_origin")
        return self.app(environ, start_response)


def dev_key_given(environ: dict[str, Any], key: str) -> str | None:
    """The key a ``/dev/*`` request carries (``?key=`` or the cookie set on the first visit), if it is ``key``."""
    given = (parse_qs(environ.get("QUERY_STRING", "")).get("key") or [""])[0]
    if not given:
        for part in (environ.get("HTTP_COOKIE") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == DEV_COOKIE:
                given = value
    return given if given and hmac.compare_digest(given.encode(), key.encode()) else None
