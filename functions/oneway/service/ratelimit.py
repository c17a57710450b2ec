"""Who may use a candidate route: a live invitation token, and a limit on guessing.

Unknown, malformed, expired and revoked tokens get one and the same answer, so
an answer tells nothing about which tokens exist (``Candidate.link_live`` says
when a link expires: answering closes at the deadline with a 410, the link a
grace week later). Failed lookups are counted per source address and minute
(one counter item, deleted by the table's TTL); past the limit a failed lookup
is answered 429. A live token is always served and counts nothing: candidates
behind one NAT share an address, and one of them sending junk must not lock
out the others. A token carries 256 random bits, so guessing cannot succeed
anyway: the limit slows enumeration and tells a script to back off.
"""

from __future__ import annotations

from datetime import timedelta

from ..domain.errors import TooManyRequests, Unauthorized
from ..domain.models import Candidate
from ..ports import Ports
from . import recording

INVALID = "this interview link is not valid"


def authenticate(p: Ports, token: str | None, source: str | None) -> Candidate:
    """The candidate behind a live token; a failed lookup counts against its source, 429 past the limit."""
    now = p.clock.now()
    try:
        candidate = recording.authenticate(p, token)
    except Unauthorized:
        candidate = None
    if candidate is not None and candidate.link_live(now):
        return candidate
    if token:  # a request without a token guesses nothing
        name, window = f"token-failures#{source or 'unknown'}", now.strftime("%Y-%m-%dT%H:%M")
        if p.store.add_count(name, window, now + timedelta(minutes=5)) > p.settings.token_failures_per_minute:
            raise TooManyRequests("too many attempts with invalid interview links; wait a minute", "rate_limited")
    raise Unauthorized(INVALID, "invalid_token")
