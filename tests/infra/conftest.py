"""One synthesized Oneway stack per test session (CDK synth is the slow part).

cdk-nag is off here: its findings would abort Template.from_stack. The nag
suite (test_nag.py) builds its own app with the checks on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

# Before the first aws_cdk import starts the jsii runtime (node 20 is EOL for jsii).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# Synth must never depend on the machine's AWS settings.
for _var in ("CDK_DEFAULT_ACCOUNT", "CDK_DEFAULT_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"):
    os.environ.pop(_var, None)

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "infra"))

from aws_cdk.assertions import Template  # noqa: E402
from oneway_infra.stack import OnewayStack, build_app, cdk_json_context  # noqa: E402

# The deployed context (cdk.json) with what the tests pin: no nag, no web build
# (the placeholder page), an alarm subscriber.
TEST_CONTEXT = {
    **cdk_json_context(),
    "nag": "false",
    "siteDir": "build/no-such-web-build",
    "alarmEmail": "ops@example.com",
}


@pytest.fixture(scope="session")
def app_and_stack():
    return build_app(TEST_CONTEXT)


@pytest.fixture(scope="session")
def stack(app_and_stack) -> OnewayStack:
    return app_and_stack[1]


@pytest.fixture(scope="session")
def template(stack) -> Template:
    return Template.from_stack(stack)


@pytest.fixture(scope="session")
def resources(template) -> dict[str, dict[str, Any]]:
    return template.to_json()["Resources"]


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
