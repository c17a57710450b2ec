"""Webhook SSRF: which URLs and addresses a webhook may reach, and the pinning of the address checked.

No network: the resolver is a fake, and the connection is a socket pair whose other end answers as a
receiver would, so the tests see which address a delivery connected to and what it sent.
"""

from __future__ import annotations

import socket
import ssl
import threading
from typing import cast

import pytest

from oneway.adapters.http import PinnedPoster
from oneway.domain import webhook_targets
from oneway.domain.errors import InvalidInput

# Every address a public webhook URL must never reach, IPv4 and IPv6, with what it is.
REFUSED = {
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "0.0.0.0": "unspecified",
    "10.0.0.1": "private",
    "172.16.5.4": "private",
    "192.168.1.1": "private",
    "169.254.169.254": "link-local (the instance metadata service)",
    "169.254.170.2": "link-local (the container credentials endpoint)",
    "100.64.0.1": "shared address space (carrier NAT)",
    "192.0.0.8": "IETF protocol assignments",
    "192.0.2.1": "documentation",
    "198.18.0.1": "benchmarking",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "broadcast",
    "::1": "IPv6 loopback",
    "::": "IPv6 unspecified",
    "fe80::1": "IPv6 link-local",
    "fe80::1%eth0": "IPv6 link-local with a zone",
    "fd00::1": "unique local",
    "fc00::1": "unique local",
    "fec0::1": "site-local",
    "ff02::1": "IPv6 multicast",
    "2001:db8::1": "IPv6 documentation",
    "::ffff:127.0.0.1": "IPv4-mapped loopback",
    "::ffff:10.0.0.1": "IPv4-mapped private",
    "::ffff:169.254.169.254": "IPv4-mapped metadata service",
    "2002:a00:1::1": "6to4 around 10.0.0.1",
    "2002:7f00:1::1": "6to4 around 127.0.0.1",
    "64:ff9b::a00:1": "NAT64 around 10.0.0.1",
    "64:ff9b:1::1": "local-use NAT64",
    "not-an-address": "no address at all",
}
ACCEPTED = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:82b::200e", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_an_address_inside_a_network_is_refused(address):
    assert webhook_targets.refusal(address) is not None, REFUSED[address]


@pytest.mark.parametrize("address", ACCEPTED)
def test_a_public_address_is_accepted(address):
    assert webhook_targets.refusal(address) is None


def test_loopback_is_accepted_only_where_the_local_stack_allows_it_and_nothing_else_with_it():
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        assert webhook_targets.refusal(address, loopback=True) is None
    for address in ("10.0.0.1", "169.254.169.254", "fd00::1", "0.0.0.0"):
        assert webhook_targets.refusal(address, loopback=True) is not None


def test_one_refused_address_refuses_the_host():
    """A name that answers a public and a private address is not trusted with either."""
    assert webhook_targets.check(["93.184.216.34", "2606:4700:4700::1111"]) == "93.184.216.34"
    with pytest.raises(webhook_targets.TargetRefused):
        webhook_targets.check(["93.184.216.34", "10.0.0.1"])
    with pytest.raises(webhook_targets.TargetRefused):
        webhook_targets.check([])


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # https only
        "http://localhost:8080/x",  # not outside the local stack
        "http://127.0.0.1/x",
        "ftp://hooks.example.com/",
        "https://user:pass@hooks.example.com/",  # no credentials in the URL
        "https://hooks.example.com:99999/",  # no such port
        "https:///x",
        "https://hooks.example.com/a b",
        "https://hooks.example.com/#frag",
        "javascript:alert(1)",
    ],
)
def test_a_url_of_another_form_is_refused(url):
    with pytest.raises(InvalidInput) as refused:
        webhook_targets.parse(url)
    assert refused.value.message == webhook_targets.REFUSED


def test_the_local_stack_may_use_http_to_loopback_only():
    assert webhook_targets.parse("http://127.0.0.1:8123/hook", loopback=True).port == 8123
    assert webhook_targets.parse("http://localhost/hook", loopback=True).host == "localhost"
    with pytest.raises(InvalidInput):
        webhook_targets.parse("http://hooks.example.com/", loopback=True)


def test_a_url_keeps_its_host_port_and_path():
    t = webhook_targets.parse("https://Hooks.Example.com.:8443/in/oneway?x=1")
    assert (t.scheme, t.host, t.port, t.path) == ("https", "hooks.example.com", 8443, "/in/oneway?x=1")
    assert webhook_targets.parse("https://[2606:4700:4700::1111]/").host == "2606:4700:4700::1111"


# -- the delivery: one resolution, the address checked is the address connected to ----------------------


class Resolver:
    """Answers in turn: a name whose DNS answer changes between two lookups (DNS rebinding)."""

    def __init__(self, *answers: list[str]):
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class Receiver:
    """The far end of each connection: reads one request, answers ``status``; keeps where and what."""

    def __init__(self, status: int = 204):
        self.status = status
        self.connected_to: list[tuple[str, int]] = []
        self.requests: list[bytes] = []

    def __call__(self, address: tuple[str, int], timeout: float) -> socket.socket:
        self.connected_to.append(address)
        ours, theirs = socket.socketpair()
        threading.Thread(target=self._serve, args=(theirs,), daemon=True).start()
        return ours

    def _serve(self, sock: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        while len(body) < length:
            body += sock.recv(65536)
        self.requests.append(head + b"\r\n\r\n" + body)
        sock.sendall(f"HTTP/1.1 {self.status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
        sock.close()


class Tls:
    """A TLS context that records the server name it was asked for and leaves the bytes alone."""

    def __init__(self):
        self.server_names: list[str] = []

    def wrap_socket(self, sock, server_hostname=None):
        self.server_names.append(server_hostname)
        return sock


def _poster(resolver, receiver, **kw):
    tls = Tls()
    # The poster calls one method of its TLS context, wrap_socket, which the stand-in has.
    return PinnedPoster(resolver=resolver, connect=receiver, tls=cast(ssl.SSLContext, tls), **kw), tls


def test_a_delivery_connects_to_the_address_it_checked_with_the_name_in_host_and_sni():
    resolver, receiver = Resolver(["93.184.216.34"], ["127.0.0.1"]), Receiver(204)
    poster, tls = _poster(resolver, receiver)
    assert poster.post("https://hooks.example.com/in", b'{"a":1}', {"Content-Type": "application/json"}) == 204
    assert resolver.asked == ["hooks.example.com"]  # resolved once, not again by the HTTP client
    assert receiver.connected_to == [("93.184.216.34", 443)]
    assert tls.server_names == ["hooks.example.com"]  # the certificate is checked for the name
    (request,) = receiver.requests
    assert request.startswith(b"POST /in HTTP/1.1\r\n") and b"\r\nHost: hooks.example.com\r\n" in request
    assert request.endswith(b'{"a":1}')


def test_a_name_that_rebinds_to_a_private_address_is_refused_at_the_next_delivery():
    """The webhook was checked when it was made (a public answer); the next lookup answers the metadata
    service: the delivery refuses it and connects nowhere."""
    resolver, receiver = Resolver(["93.184.216.34"], ["169.254.169.254"]), Receiver()
    poster, _ = _poster(resolver, receiver)
    assert poster.resolve("hooks.example.com") == ["93.184.216.34"]  # the check at creation
    with pytest.raises(webhook_targets.TargetRefused):
        poster.post("https://hooks.example.com/in", b"{}", {})
    assert receiver.connected_to == []


def test_each_delivery_checks_again_and_pins_what_it_checked():
    resolver = Resolver(["93.184.216.34"], ["10.1.2.3"], ["8.8.8.8"])
    receiver = Receiver()
    poster, _ = _poster(resolver, receiver)
    assert poster.post("https://hooks.example.com/", b"{}", {}) == 204
    with pytest.raises(webhook_targets.TargetRefused):
        poster.post("https://hooks.example.com/", b"{}", {})
    assert poster.post("https://hooks.example.com/", b"{}", {}) == 204
    assert receiver.connected_to == [("93.184.216.34", 443), ("8.8.8.8", 443)]


def test_an_ip_literal_url_inside_a_network_is_refused_without_a_connection():
    receiver = Receiver()
    poster, _ = _poster(lambda host: [host], receiver)
    for url in ("https://169.254.169.254/latest/meta-data/", "https://[::1]/", "https://[::ffff:10.0.0.1]/", "https://10.0.0.1:8443/"):
        with pytest.raises(webhook_targets.TargetRefused):
            poster.post(url, b"{}", {})
    assert receiver.connected_to == []


def test_the_local_stack_delivers_over_http_to_loopback():
    receiver = Receiver(200)
    poster, tls = _poster(lambda host: ["127.0.0.1"], receiver, loopback=True)
    assert poster.post("http://localhost:8123/hook", b"{}", {}) == 200
    assert receiver.connected_to == [("127.0.0.1", 8123)] and tls.server_names == []
    assert b"\r\nHost: localhost:8123\r\n" in receiver.requests[0]
