"""The local stack on the machine's network address, over https, so that a phone can take an interview.

Opt in with ``make dev LAN=1`` (``ONEWAY_LAN=1``): browsers give a page the camera only in a secure
context, and a phone reaches this machine by its network address, not by 127.0.0.1. So the site and
the API are served over https on that address with a certificate made here once (``certificate``,
kept in the state folder and reused while it names the address and is valid). The phone will warn
that no authority vouches for it: the evaluator accepts it once.

The embedded AWS stays on loopback. The browser still needs two of its services, and reaches them
through the site's own origin, never the moto server itself:

- S3 presigned URLs (answer uploads, videos, captions). The API's answers carry URLs that point at
  the embedded S3 on loopback; ``LanProxy`` rewrites them to ``/s3/...`` on the site and forwards
  each such request to the embedded S3 as signed: method, path and query unchanged. Only requests
  whose SigV4 query signature checks out with the stack's credentials, in time, are forwarded
  (moto checks no signature, so the proxy does): nothing but what the API handed out is reachable.
- Cognito sign-in for the review app: ``/cognito`` forwards only the user pool calls a browser makes
  with a password or its own tokens (``COGNITO_PUBLIC``), never an admin call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import os
import socket
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import requests
from werkzeug.wrappers import Request, Response

S3_PREFIX = "/s3"
COGNITO_PATH = "/cognito"
# The user pool operations a browser calls without AWS credentials (amazon-cognito-identity-js): sign-in and its
# challenges, the forgotten-password flow, and what a signed-in user does with their own access token.
COGNITO_PUBLIC = frozenset(
    f"AWSCognitoIdentityProviderService.{op}"
    for op in (
        "InitiateAuth", "RespondToAuthChallenge", "ForgotPassword", "ConfirmForgotPassword", "GetUser", "ChangePassword",
        "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference", "GlobalSignOut", "RevokeToken",
    )
)  # fmt: skip
CERT_DAYS = 365
# Headers of the embedded S3's answers that the browser needs (ETag for multipart, ranges for video seeking).
S3_ANSWER_HEADERS = ("Content-Type", "Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified", "Cache-Control")
S3_REQUEST_HEADERS = ("Content-Type", "Range", "If-None-Match", "If-Modified-Since")


def enabled() -> bool:
    return os.environ.get("ONEWAY_LAN", "").lower() in ("1", "true", "yes", "on")


def network_address() -> str:
    """This machine's address on its network (``ONEWAY_LAN_HOST`` overrides): the source address of the
    route to a public address (a UDP socket only picks the route; nothing is sent)."""
    given = os.environ.get("ONEWAY_LAN_HOST")
    if given:
        return given
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never answers, needs no network to pick a route
            return str(s.getsockname()[0])
        except OSError:
            raise SystemExit("no network address found: connect to a network, or set ONEWAY_LAN_HOST") from None


def certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for ``host`` (and localhost), made once and reused while it names the host
    and has a month left. Returns (certificate, private key) as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    now = dt.datetime.now(dt.UTC)
    if cert_path.exists() and key_path.exists():
        existing = x509.load_pem_x509_certificate(cert_path.read_bytes())
        names = existing.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        named = {str(n) for n in names.get_values_for_type(x509.IPAddress)} | set(names.get_values_for_type(x509.DNSName))
        if host in named and existing.not_valid_after_utc - now > dt.timedelta(days=30):
            return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Oneway local ({host})")])
    try:
        alt: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(host))]
    except ValueError:
        alt = [x509.DNSName(host)]
    alt += [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CERT_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        # Self-signed and its own authority, so that a client can trust exactly this file (a test, or a phone's profile).
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def presigned_ok(
    method: str, raw_path: str, query: str, headers: dict[str, str], *, host: str, access_key: str, secret_key: str, now: dt.datetime
) -> bool:
    """Does the request carry a valid, unexpired SigV4 query signature (a presigned URL) for ``host``?
    The canonical request as S3 builds it for query-string authentication:
    https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html"""
    params = parse_qsl(query, keep_blank_values=True)
    q = dict(params)
    credential = q.get("X-Amz-Credential", "").split("/")
    if q.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" or len(credential) != 5 or credential[0] != access_key or credential[3:] != ["s3", "aws4_request"]:
        return False
    try:
        signed_at = dt.datetime.strptime(q["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        expires = int(q["X-Amz-Expires"])
        signature, signed_headers = q["X-Amz-Signature"], q["X-Amz-SignedHeaders"].split(";")
    except (KeyError, ValueError):
        return False
    if not signed_at - dt.timedelta(minutes=5) <= now <= signed_at + dt.timedelta(seconds=expires):
        return False
    lower = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{h}:{host if h == 'host' else ' '.join(lower.get(h, '').split())}\n" for h in signed_headers)
    canonical_query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(params) if k != "X-Amz-Signature")
    canonical = "\n".join([method, raw_path, canonical_query, canonical_headers, ";".join(signed_headers), "UNSIGNED-PAYLOAD"])
    scope = "/".join(credential[1:])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", q["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"AWS4{secret_key}".encode()
    for part in credential[1:]:
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature)


class LanProxy:
    """WSGI middleware in front of the gateway on the network address: ``/s3/...`` and ``/cognito`` to the
    embedded AWS (checked as above), and the embedded S3's address in API answers rewritten to ``/s3``."""

    def __init__(self, app: Callable, *, site: str, aws_endpoint: str, access_key: str, secret_key: str, clock: Callable[[], dt.datetime] | None = None):
        self.app = app
        self.site = site.rstrip("/")
        self.aws = aws_endpoint.rstrip("/")
        self.aws_host = self.aws.split("://", 1)[1]
        self.access_key, self.secret_key = access_key, secret_key
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.http = requests.Session()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(S3_PREFIX + "/"):
            return self.s3(Request(environ))(environ, start_response)
        if path in (COGNITO_PATH, COGNITO_PATH + "/"):
            return self.cognito(Request(environ))(environ, start_response)
        if path.startswith("/api/"):
            return self.api(environ, start_response)
        return self.app(environ, start_response)

    def api(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        held: dict[str, Any] = {}

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            held.update(status=status, headers=headers)
            return lambda _data: None

        chunks = self.app(environ, hold)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        body = body.replace(f"{self.aws}/".encode(), f"{self.site}{S3_PREFIX}/".encode())
        headers = [(k, str(len(body)) if k.lower() == "content-length" else v) for k, v in held["headers"]]
        start_response(held["status"], headers)
        return [body]

    def s3(self, request: Request) -> Response:
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
        raw_path, _, query = raw.partition("?")
        raw_path = raw_path[len(S3_PREFIX) :]
        signed = presigned_ok(
            request.method, raw_path, query, dict(request.headers), host=self.aws_host, access_key=self.access_key, secret_key=self.secret_key, now=self.clock()
        )
        if request.method not in ("GET", "HEAD", "PUT") or not signed:
            return _refused(403, "only the presigned addresses the API hands out are served here", "not_presigned")
        answer = self.http.request(
            request.method,
            f"{self.aws}{raw_path}?{query}",
            data=request.get_data() if request.method == "PUT" else None,
            headers={h: request.headers[h] for h in S3_REQUEST_HEADERS if h in request.headers},
            stream=True,
            timeout=60,
        )
        response = Response(answer.iter_content(64 * 1024), status=answer.status_code, direct_passthrough=True)
        for h in S3_ANSWER_HEADERS:
            if h in answer.headers:
                response.headers[h] = answer.headers[h]
        return response

    def cognito(self, request: Request) -> Response:
        target = request.headers.get("X-Amz-Target", "")
        if request.method != "POST" or target not in COGNITO_PUBLIC:
            return _refused(403, "only the user pool's sign-in calls are served here", "not_a_sign_in_call")
        answer = self.http.post(
            f"{self.aws}/",
            data=request.get_data(),
            headers={"X-Amz-Target": target, "Content-Type": request.headers.get("Content-Type", "application/x-amz-json-1.1")},
            timeout=30,
        )
        return Response(answer.content, status=answer.status_code, content_type=answer.headers.get("Content-Type", "application/x-amz-json-1.1"))


def _refused(status: int, message: str, code: str) -> Response:
    return Response(json.dumps({"message": message, "code": code}), status, content_type="application/json")
