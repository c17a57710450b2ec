"""Adapters chosen once per cold start from settings, and cached for warm calls."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import cache

from ..config import settings
from ..ports import DeadLetters, Events, Mailer, Media, Ports, Speech


@cache
def traced() -> None:
    """Trace the AWS SDK's calls (X-Ray, where tracing is on): patched when the first client is made,
    so a cold start imports botocore once, with boto3, not before (the handlers' Tracers do not patch)."""
    from aws_lambda_powertools import Tracer

    Tracer(auto_patch=False).patch(["botocore"])


_making = threading.Lock()  # a boto3 session is not safe to make clients from in two threads at once


@cache
def aws_client(service: str):
    with _making:
        return _make_client(service)


def _make_client(service: str):
    traced()
    from botocore.config import Config

    s = settings()
    config = Config(
        region_name=s.region,
        retries={"mode": "standard", "max_attempts": 4},
        # The adapters build every request from typed code, and AWS checks them anyway: botocore's own
        # check of each request's shape costs ~0.15 ms of CPU per call on a warm function. The tests run it,
        # with the media services' documented rules, on every media job request (tests/support/media_rules.py).
        parameter_validation=False,
        signature_version="s3v4" if service == "s3" else None,
        # Behind a custom endpoint (the local stack) buckets are addressed by path.
        s3={"addressing_style": "path" if s.aws_endpoint_url else "virtual"},
    )
    return aws_session().client(service, config=config)


@cache
def aws_session():
    """The one boto3 session that makes every client: its loader reads the endpoint rules and each service's
    model once, whatever the number of clients. The S3 adapter signs part URLs with its credentials (a client
    keeps its own private)."""
    import boto3

    return boto3.session.Session()


class LazyClient:
    """Stands for ``aws_client(service)`` and makes it when first used: a cold start makes only the clients
    its first request calls (a client costs its service model's loading, tens of milliseconds for MediaConvert's)."""

    def __init__(self, service: str) -> None:
        self._service = service

    def __getattr__(self, attr: str):
        return getattr(aws_client(self._service), attr)

    def __repr__(self) -> str:
        return f"<client {self._service!r}, made on first use>"


@cache
def ports() -> Ports:
    """What the API and the pipeline's functions use. No mailer, no event bus: their use cases write
    outbox messages, which the deliver function carries out (``delivery_ports``)."""
    from ..adapters.clock import SystemClock
    from ..adapters.dynamo import DynamoStore
    from ..adapters.s3 import S3Objects

    traced()  # before any client, the media adapters' own included
    s = settings()
    media: Media
    speech: Speech
    if s.media == "aws":
        from ..adapters.mediaconvert import MediaConvertMedia
        from ..adapters.transcribe import TranscribeSpeech

        media, speech = MediaConvertMedia(LazyClient("mediaconvert"), s), TranscribeSpeech(LazyClient("transcribe"), s)
    else:
        from ..adapters.local_media import LocalMedia
        from ..adapters.local_speech import LocalSpeech

        media, speech = LocalMedia.from_settings(s), LocalSpeech.from_settings(s)
    return Ports(
        settings=s,
        store=DynamoStore(aws_client("dynamodb"), s.table_name, s.audit_table_name),
        objects=S3Objects(
            LazyClient("s3"),
            uploads_bucket=s.uploads_bucket,
            media_bucket=s.media_bucket,
            presign_seconds=s.presign_seconds,
            download_seconds=s.download_seconds,
            credentials=aws_session().get_credentials(),
        ),
        media=media,
        speech=speech,
        clock=SystemClock(),
        directory=_directory(s),
        http=_http(s),
        job_requests=_job_requests(s),
    )


@dataclass(frozen=True)
class Outbound:
    mailer: Mailer
    events: Events
    dead_letters: DeadLetters | None


@cache
def outbound() -> Outbound:
    """The side effects outside Oneway (SES, EventBridge, the dead-letter queue): the deliver function's alone."""
    from ..adapters.eventbridge import EventBridgeEvents
    from ..adapters.ses import SesMailer

    s = settings()
    return Outbound(
        mailer=SesMailer(LazyClient("ses"), s.mail_from, s.ses_configuration_set),
        events=EventBridgeEvents(LazyClient("events"), s.event_bus_name),
        dead_letters=_dead_letters(s),
    )


def delivery_ports() -> Ports:
    """The deliver function's ports: everyone's, and the side effects outside Oneway."""
    out = outbound()
    return replace(ports(), mailer=out.mailer, events=out.events, dead_letters=out.dead_letters)


def _dead_letters(s):
    if not s.outbox_dead_letters_url:
        return None
    from ..adapters.sqs import SqsDeadLetters

    return SqsDeadLetters(LazyClient("sqs"), s.outbox_dead_letters_url)


def _job_requests(s):
    if not s.uploads_queue_url:
        return None
    from ..adapters.sqs import SqsJobRequests

    return SqsJobRequests(LazyClient("sqs"), s.uploads_queue_url)


def _http(s):
    from ..adapters.http import PinnedPoster

    return PinnedPoster(loopback=s.webhooks_to_loopback)


def _directory(s):
    if not s.user_pool_id:
        return None
    from ..adapters.cognito import CognitoDirectory

    return CognitoDirectory(LazyClient("cognito-idp"), s.user_pool_id, email_by_cognito=not s.aws_endpoint_url)
