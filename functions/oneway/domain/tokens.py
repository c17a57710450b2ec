"""Invitation tokens: 256 random bits shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
import time

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # The token carries 256 bits of entropy, so one SHA-256 is enough: no
    # dictionary or brute force can reach it, and lookups stay one GSI query.
    return hashlib.sha256(token.encode()).hexdigest()


def new_id() -> str:
    """A 24-character id that sorts by creation time (ms), then 64 random bits."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(6)}"
