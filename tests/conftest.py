"""Shared fixtures: moto in-process with Oneway's table, buckets and queues."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from oneway.config import settings
from oneway.handlers import deps
from oneway.local import provision as local_provision
from tests.support import media_rules

# Every CreateJob and StartTranscriptionJob a test sends is checked against botocore's model and the
# rules AWS documents beyond it (tests/support/media_rules.py).
media_rules.install()

SITE = "http://127.0.0.1:8000"


class FixedClock:
    def __init__(self, now: datetime | None = None):
        self.at = now or datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **kw) -> None:
        self.at += timedelta(**kw)


@pytest.fixture
def aws(monkeypatch):
    """moto plays AWS; the handlers' settings point at it; caches start empty."""
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "ONEWAY_SITE_URL": SITE,
        "ONEWAY_MEDIA": "local",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "oneway-test",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        settings.cache_clear()
        stack = local_provision.provision(lambda n: boto3.client(n, region_name="us-east-1"), settings(), SITE)
        monkeypatch.setenv("ONEWAY_LOCAL_MEDIA_QUEUE_URL", stack.media_queue_url)
        monkeypatch.setenv("ONEWAY_UPLOADS_QUEUE_URL", stack.uploads_queue_url)
        settings.cache_clear()
        deps.ports.cache_clear()
        deps.aws_client.cache_clear()
        yield stack
        settings.cache_clear()
        deps.ports.cache_clear()
        deps.aws_client.cache_clear()


@pytest.fixture(autouse=True)
def media_requests_keep_the_rules():
    """A media job request that broke a documented rule fails its test, even where the code under
    test swallowed the error (the SQS batch processor turns it into a batch item failure)."""
    media_rules.VIOLATIONS.clear()
    yield
    broken, media_rules.VIOLATIONS[:] = list(media_rules.VIOLATIONS), []
    assert not broken, "media job requests broke documented rules:\n" + "\n".join(broken)


@pytest.fixture
def clock():
    return FixedClock()


@pytest.fixture
def ports(aws, clock):
    """The real adapters on moto, with a clock the test controls."""
    return dataclasses.replace(deps.ports(), clock=clock)


@pytest.fixture
def client():
    def make(name: str):
        return boto3.client(name, region_name="us-east-1")

    return make
