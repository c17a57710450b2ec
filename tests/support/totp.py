"""TOTP codes (RFC 6238, as authenticator apps make them) for the tests that sign in with two-step verification."""

from __future__ import annotations

import base64
import time

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

STEP = 30


def totp_code(secret: str, *, margin: float = 2.0) -> str:
    """The current code for a base32 secret (Cognito's SecretCode). Within ``margin`` seconds of the end of a
    30-second step it waits for the next one, so the code is still current when the server checks it."""
    if time.time() % STEP > STEP - margin:
        time.sleep(STEP - time.time() % STEP + 0.1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    return TOTP(key, 6, SHA1(), STEP, enforce_key_length=False).generate(time.time()).decode()
