"""Settings come from ONEWAY_* variables (any case), AWS_REGION and AWS_ENDPOINT_URL; arguments win."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from oneway.config import Settings


@pytest.fixture
def env(monkeypatch):
    for name in ("ONEWAY_TABLE_NAME", "ONEWAY_PRESIGN_SECONDS", "ONEWAY_REMINDER_HOURS", "ONEWAY_MEDIA", "AWS_REGION", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_variables_fill_the_fields_they_name(env):
    env.setenv("ONEWAY_TABLE_NAME", "t1")
    env.setenv("oneway_presign_seconds", "600")  # the name's case does not matter
    env.setenv("ONEWAY_REMINDER_HOURS", "[72, 1]")  # a list as JSON
    env.setenv("AWS_REGION", "eu-west-1")
    env.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    env.setenv("ONEWAY_SOMETHING_ELSE", "ignored")
    s = Settings()
    assert (s.table_name, s.presign_seconds, s.reminder_hours) == ("t1", 600, [72, 1])
    assert (s.region, s.aws_endpoint_url) == ("eu-west-1", "http://127.0.0.1:5000")
    assert Settings(table_name="given").table_name == "given"  # an argument wins over the environment


def test_defaults_without_variables(env):
    s = Settings()
    assert (s.table_name, s.region, s.aws_endpoint_url, s.media) == ("oneway", "us-east-1", None, "local")


@pytest.mark.parametrize(("name", "value"), [("ONEWAY_PRESIGN_SECONDS", "3600"), ("ONEWAY_MEDIA", "gpu"), ("ONEWAY_REMINDER_HOURS", "48")])
def test_a_wrong_value_fails_with_pydantics_message(env, name, value):
    env.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
