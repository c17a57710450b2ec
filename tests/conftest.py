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
from oneway.local import moto_patches
from oneway.local import provision as local_provision
from tests.support import media_rules

# Every CreateJob and StartTranscriptionJob a test sends is checked against botocore's model and the
# rules AWS documents beyond it (tests/support/media_rules.py).
media_rules.install()
# In-process moto keeps an email's HTML as its body; each sent message also keeps ``text`` and ``html``, as the
# local stack's does, so tests read the text alternative people without HTML read.
moto_patches.ses_keeps_both_bodies()

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
        monkeypatch.setenv("ONEWAY_OUTBOX_DEAD_LETTERS_URL", stack.outbox_dead_letters_url)
        settings.cache_clear()
        deps.ports.cache_clear()
        deps.outbound.cache_clear()
        deps.aws_client.cache_clear()
        deps.aws_session.cache_clear()
        yield stack
        settings.cache_clear()
        deps.ports.cache_clear()
        deps.outbound.cache_clear()
        deps.aws_client.cache_clear()
        deps.aws_session.cache_clear()


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
def memory_ports(monkeypatch, clock):
    """In-memory ports, no moto (tests/support/memory.py): the store's fake, held to the DynamoDB adapter's
    contract by tests/contract/test_store_contract.py. The handlers a test calls get them too."""
    from tests.support.memory import memory_ports as make
    from tests.support.memory import use_ports

    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        # Nothing here may reach AWS: a client made by mistake finds no endpoint.
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "ONEWAY_SITE_URL": SITE,
        "ONEWAY_MEDIA": "local",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "oneway-test",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    settings.cache_clear()
    ports = make(clock, settings())
    use_ports(monkeypatch, ports)
    yield ports
    settings.cache_clear()


@pytest.fixture
def outbox(aws):
    """The deliver function fed from the table's stream, as Lambda's event source mapping feeds it
    (oneway/local/streams.py): ``outbox.drain()`` hands over every new record, as many rounds as it takes."""
    from oneway.local.streams import outbox_poller

    return outbox_poller(aws.stream_arn, aws.outbox_dead_letters_url)


@pytest.fixture
def client():
    def make(name: str):
        # boto3-stubs types client() per literal service name; here the service is a parameter.
        return boto3.client(name, region_name="us-east-1")  # type: ignore[call-overload]

    return make


# -- the IAM contract test's record of the functions' AWS calls (tests/contract) ------------------
# Every AWS call a function makes in this session, in-process or in a local stack started as a
# subprocess (which inherits ONEWAY_RECORD_AWS_CALLS), goes to one file; the contract test runs
# last and evaluates them against the functions' roles in the synthesized template.

def pytest_configure(config):
    import tempfile

    from oneway.local import aws_calls

    path = os.environ.get(aws_calls.ENV) or os.path.join(tempfile.mkdtemp(prefix="oneway-aws-calls-"), "calls.jsonl")
    os.environ[aws_calls.ENV] = path
    config._oneway_aws_calls = aws_calls.start(aws_calls.Recorder(path, source="pytest", per_test=True))


def pytest_collection_modifyitems(session, config, items):
    """The contract test reads what every other suite recorded: it runs after them."""
    last = {id(i) for i in items if "contract" in i.nodeid.split("::")[0].split("/")[:-1]}
    items[:] = [i for i in items if id(i) not in last] + [i for i in items if id(i) in last]


@pytest.fixture(scope="session")
def recorded_aws_calls(pytestconfig):
    """The file of this session's recorded calls (oneway/local/aws_calls.py)."""
    return pytestconfig._oneway_aws_calls.path
