"""One synthesized Oneway stack per test session (CDK synth is the slow part).

cdk-nag is off here: its findings would abort Template.from_stack. The nag
suite (test_nag.py) builds its own app with the checks on.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from oneway_infra.stack import OnewayStack
from tests.infra.infra_support import build_test_app


@pytest.fixture(scope="session")
def app_and_stack():
    return build_test_app()


@pytest.fixture(scope="session")
def stack(app_and_stack) -> OnewayStack:
    return app_and_stack[1]


@pytest.fixture(scope="session")
def template(stack) -> Template:
    return Template.from_stack(stack)


@pytest.fixture(scope="session")
def resources(template) -> dict[str, dict[str, Any]]:
    return template.to_json()["Resources"]
