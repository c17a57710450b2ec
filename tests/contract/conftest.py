"""The synthesized stack, resolved for one account and region, once per session (cdk-nag off)."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Template

from tests.contract.iam_mapping import Place
from tests.contract.iam_policy import Stack
from tests.infra.infra_support import DEFAULT_REGION, DUMMY_ACCOUNT, build_test_app


def resolved_stack(**context) -> Stack:
    _, stack = build_test_app(**context)
    template = Template.from_stack(stack).to_json()
    return Stack(template, name=stack.stack_name, place=Place(account=DUMMY_ACCOUNT, region=DEFAULT_REGION))


@pytest.fixture(scope="session")
def template_stack() -> Stack:
    return resolved_stack()
