"""Use cases, one module per area. They take ``Ports`` and never import boto3."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.errors import StaleWrite


def retry_stale[T](attempt: Callable[[], T], tries: int = 4) -> T:
    """Run a read-modify-write until nobody else saved in between."""
    for i in range(tries):
        try:
            return attempt()
        except StaleWrite:
            if i == tries - 1:
                raise
    raise AssertionError("unreachable")


def first_then[T](value: T, read: Callable[[], T]) -> Callable[[], T]:
    """The item for each attempt of a read-modify-write: first ``value``, which this request read
    (consistently) moments ago; after a conflicting write, the stored one, read again."""
    first = [value]
    return lambda: first.pop() if first else read()
