"""Helpers for the infra tests: the test context and template lookups.

Kept out of conftest.py so that test modules import them by their own name
(tests.infra.infra_support).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# Before the first aws_cdk import starts the jsii runtime (node 20 is EOL for jsii).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

REPO_ROOT = Path(__file__).resolve().parents[2]

from aws_cdk import Environment  # noqa: E402

from oneway_infra.stack import DEFAULT_REGION, DUMMY_ACCOUNT, build_app, cdk_json_context  # noqa: E402

# The deployed context (cdk.json) with what the tests pin: no nag, no web build
# (the placeholder page), an alarm subscriber.
TEST_CONTEXT = {
    **cdk_json_context(),
    "nag": "false",
    "siteDir": "build/no-such-web-build",
    "alarmEmail": "ops@example.com",
}
# Never the machine's AWS settings.
TEST_ENV = Environment(account=DUMMY_ACCOUNT, region=DEFAULT_REGION)


def build_test_app(outdir: str | None = None, *, region: str | None = None, **context: Any):
    """The app as the CLI would build it from cdk.json, with the test context on top (in ``region``, or
    the test environment's)."""
    env = Environment(account=TEST_ENV.account, region=region) if region else TEST_ENV
    return build_app({**TEST_CONTEXT, **context}, env=env, outdir=outdir)


def of_type(resources: dict[str, dict[str, Any]], cfn_type: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in resources.items() if r["Type"] == cfn_type}


def props(resource: dict[str, Any]) -> dict[str, Any]:
    return resource.get("Properties", {})


def logical_id(stack, construct) -> str:
    element = construct.node.default_child if construct.node.default_child is not None else construct
    return stack.resolve(element.logical_id)


def getatt(stack, construct, attribute: str = "Arn") -> dict:
    return {"Fn::GetAtt": [logical_id(stack, construct), attribute]}


def statements(resources: dict[str, dict[str, Any]], role_logical_id: str) -> list[dict[str, Any]]:
    """Every statement of the inline policies attached to one role."""
    found = []
    for r in of_type(resources, "AWS::IAM::Policy").values():
        if {"Ref": role_logical_id} in props(r).get("Roles", []):
            found += props(r)["PolicyDocument"]["Statement"]
    return found


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]
