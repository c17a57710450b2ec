"""Where a webhook may be delivered: https on a public address, nothing inside a network.

An admin chooses the URL and Oneway's functions send to it, from inside AWS: a URL that reaches the
instance metadata service (169.254.169.254), a private network (10.x, fd00::/8) or the function itself
(127.0.0.1, [::1]) would let an admin make Oneway call what only Oneway can reach. So a URL must be
https, and every address its host resolves to must be public: not loopback, private, link-local,
multicast, reserved, unspecified, shared (100.64.0.0/10), site- or unique-local, documentation or
benchmarking space, nor an IPv4-mapped, 6to4 or Teredo IPv6 address around such an IPv4 address.
The rules are checked when the webhook is made and again at every delivery, on the address the
delivery then connects to (``adapters/http.py`` pins it), so a name that changes its answer between
the two (DNS rebinding) cannot redirect a delivery.

The local stack sends its test webhooks to a receiver on this machine: with ``loopback`` (a setting
only the local stack turns on), http and loopback addresses are accepted too, and nothing else more.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import InvalidInput

# The one answer to a URL that is refused, whatever the reason: creating webhooks must not tell an admin
# which internal names exist or resolve (it would make Oneway a scanner of its own network).
REFUSED = "the webhook URL must be an https address on a public host"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


class TargetRefused(Exception):
    """A delivery's host resolved to no address, or to one that the rules refuse."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as in the URL, without brackets: the Host header and the TLS server name
    port: int
    path: str  # path and query, at least "/"


def parse(url: str, *, loopback: bool = False) -> Target:
    """The URL's parts, if its form is acceptable (its addresses are checked by ``check``)."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        raise InvalidInput(REFUSED, "webhook_url_refused") from None
    local_http = loopback and parts.scheme == "http" and host in LOOPBACK_NAMES
    if (parts.scheme != "https" and not local_http) or not host or parts.username is not None or parts.password is not None:
        raise InvalidInput(REFUSED, "webhook_url_refused")
    if parts.fragment or any(c.isspace() for c in url):
        raise InvalidInput(REFUSED, "webhook_url_refused")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=host, port=port or (443 if parts.scheme == "https" else 80), path=path)


def refusal(address: str, *, loopback: bool = False) -> str | None:
    """Why a delivery may not connect to ``address`` (None: it may)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) changes nothing
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return refusal(str(ip.ipv4_mapped), loopback=loopback)
        embedded = [ip.sixtofour, *(ip.teredo or ())]
        for inner in filter(None, embedded):
            why = refusal(str(inner))
            if why:
                return f"embeds {inner}: {why}"
        if ip.is_site_local:
            return "site-local"
    if loopback and ip.is_loopback:
        return None
    for attribute in ("is_unspecified", "is_loopback", "is_link_local", "is_multicast", "is_private", "is_reserved"):
        if getattr(ip, attribute):
            return attribute.removeprefix("is_").replace("_", "-")
    if not ip.is_global:  # shared address space (100.64.0.0/10) and the other special-purpose blocks
        return "not globally reachable"
    return None


def check(addresses: list[str], *, loopback: bool = False) -> str:
    """The address to connect to: the first one, when every address the host resolved to is acceptable.
    One refused address refuses them all (a name that answers both public and private is not trusted)."""
    if not addresses:
        raise TargetRefused("the host resolved to no address")
    for address in addresses:
        why = refusal(address, loopback=loopback)
        if why:
            raise TargetRefused(f"{address} is {why}")
    return addresses[0]
