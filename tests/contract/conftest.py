"""The synthesized stack, resolved for one account and region, once per session (cdk-nag off)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "infra"))

from aws_cdk.assertions import Template

from iam_mapping import Place
from iam_policy import Stack
from infra_support import TEST_ENV, build_test_app


def resolved_stack(**context) -> Stack:
    _, stack = build_test_app(**context)
    template = Template.from_stack(stack).to_json()
    return Stack(template, name=stack.stack_name, place=Place(account=TEST_ENV.account, region=TEST_ENV.region))


@pytest.fixture(scope="session")
def template_stack() -> Stack:
    return resolved_stack()
