"""Outgoing HTTP for webhooks, with the standard library: one POST to a checked, pinned address.

Each delivery resolves the host once, checks every address (``domain/webhook_targets.py``), then
connects to the address it checked, while the request carries the host's name in its Host header
and TLS server name (so the certificate is verified for the name). Nothing resolves the name again
between the check and the connection, so an answer that changes in between (DNS rebinding) reaches
nothing. One short timeout, no redirects (a webhook answers where it is registered), no proxy.
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
from collections.abc import Callable

from ..domain import webhook_targets

Resolver = Callable[[str], list[str]]
Connector = Callable[[tuple[str, int], float], socket.socket]


def resolve(host: str) -> list[str]:
    """Every address of ``host`` (A and AAAA), in the resolver's order, without repeats."""
    found: list[str] = []
    for *_, sockaddr in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM):
        address = str(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


class _PinnedHttps(http.client.HTTPSConnection):
    def __init__(self, target: webhook_targets.Target, address: str, timeout: float, context: ssl.SSLContext, connect: Connector):
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address, self._connect, self._timeout, self._tls = address, connect, timeout, context

    def connect(self) -> None:
        raw = self._connect((self._address, self.port), self._timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


class _PinnedHttp(http.client.HTTPConnection):
    """Plain http: only to loopback, on the local stack (webhook_targets.parse refuses it elsewhere)."""

    def __init__(self, target: webhook_targets.Target, address: str, timeout: float, connect: Connector):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address, self._connect, self._timeout = address, connect, timeout

    def connect(self) -> None:
        self.sock = self._connect((self._address, self.port), self._timeout)


class PinnedPoster:
    """The webhooks' HttpPoster: ``resolve`` for the check when a webhook is made, ``post`` for a delivery."""

    def __init__(
        self,
        *,
        timeout: float = 5.0,
        loopback: bool = False,
        resolver: Resolver = resolve,
        connect: Connector = socket.create_connection,
        tls: ssl.SSLContext | None = None,
    ):
        self._timeout = timeout
        self._loopback = loopback
        self._resolve = resolver
        self._connect = connect
        self._given_tls = tls

    @functools.cached_property
    def _tls(self) -> ssl.SSLContext:
        # Made at the first https delivery: loading the system's CA certificates takes ~50 ms, which a cold
        # start of a function that delivers no webhook need not pay.
        return self._given_tls or ssl.create_default_context()

    def resolve(self, host: str) -> list[str]:
        return self._resolve(host)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body``; the answer's status. Raises TargetRefused for an address the rules refuse, OSError
        (or http.client's errors) when the endpoint cannot be reached."""
        target = webhook_targets.parse(url, loopback=self._loopback)
        try:
            addresses = self._resolve(target.host)
        except OSError as err:
            raise webhook_targets.TargetRefused(f"{target.host} does not resolve: {err}") from None
        address = webhook_targets.check(addresses, loopback=self._loopback)
        if target.scheme == "https":
            connection: http.client.HTTPConnection = _PinnedHttps(target, address, self._timeout, self._tls, self._connect)
        else:
            connection = _PinnedHttp(target, address, self._timeout, self._connect)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            return connection.getresponse().status
        finally:
            connection.close()
