"""The local stack in this process, for the API figures: what `make dev` runs (workers on request).

A moto server on a free loopback port plays AWS (in this process, or in one of
its own with ``aws_process=True``, as the warm API figure runs it); the real API
handler sits behind the real local gateway (``oneway.local.gateway``), served
over HTTP as `make dev` serves it, with Cognito access tokens checked against
the embedded pool's keys; a second gateway with a no-op handler, served the
same way, is the baseline. Calls go over HTTP with a keep-alive session.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from .flows import HttpCall

EMAIL = "recruiter@example.com"
PASSWORD = "Bench-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def noop_handler(event: dict, context: Any) -> dict:
    """The baseline: a Lambda handler that does nothing and answers 200."""
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": "{}"}


# --- DynamoDB requests and the capacity they consume -----------------------------------------


def attribute_size(value: dict[str, Any]) -> int:
    """The size DynamoDB bills for one typed attribute value (its documented item-size rules)."""
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "N":
        digits = v.lstrip("-").replace(".", "").strip("0") or "0"  # leading and trailing zeros are trimmed
        return (len(digits) + 1) // 2 + 1
    if kind == "B":
        return len(v)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_size({kind[0]: x}) for x in v)
    if kind == "L":
        return 3 + sum(attribute_size(x) + 1 for x in v)
    if kind == "M":
        return 3 + sum(len(k.encode()) + attribute_size(x) + 1 for k, x in v.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def _read_units(total_bytes: int, consistent: bool) -> float:
    units = max(1, -(-total_bytes // 4096))
    return units * (1.0 if consistent else 0.5)


def _write_units(total_bytes: int) -> float:
    return float(max(1, -(-total_bytes // 1024)))


@dataclass
class Request:
    service: str
    operation: str
    rcu: float = 0.0
    wcu: float = 0.0
    seconds: float = 0.0
    # A DynamoDB request's parameters and answer, priced when asked (not inside the timed call).
    params: dict[str, Any] | None = None
    answer: dict[str, Any] | None = None


@dataclass
class AwsMeter:
    """The AWS requests the function's clients make: how long each took, and for DynamoDB,
    the capacity each consumes.

    moto answers ReturnConsumedCapacity with fixed numbers, so the units are
    computed here from the items read and written, by DynamoDB's documented
    rules: reads in 4 KB units (half for eventually consistent ones, GSI
    queries always), a query's items summed before rounding; writes in 1 KB
    units, twice in a transaction. An update's new size is not visible in
    its answer; updates here touch counter items far below 1 KB (1 unit).
    """

    requests: list[Request] = field(default_factory=list)
    _started: dict[int, float] = field(default_factory=dict)

    def attach(self, *clients: Any) -> AwsMeter:
        for client in clients:
            client.meta.events.register("before-parameter-build", _keep_params)
            client.meta.events.register("before-call", self._before)
            client.meta.events.register("after-call", self._after)
        return self

    def reset(self) -> None:
        self.requests.clear()

    def _before(self, **_):
        self._started[threading.get_ident()] = time.perf_counter()

    def _after(self, model, parsed, context=None, **_):
        # Only the time is taken here: pricing walks every item read, which is the meter's work, not the
        # function's, so it happens in summary(), outside the call being timed.
        seconds = time.perf_counter() - self._started.pop(threading.get_ident(), time.perf_counter())
        service = model.service_model.endpoint_prefix
        params = (context or {}).get("oneway_params", {}) if service == "dynamodb" else None
        self.requests.append(Request(service, model.name, seconds=seconds, params=params, answer=parsed if params is not None else None))

    def _priced(self, r: Request) -> Request:
        if r.service != "dynamodb" or r.params is None:
            return r
        priced = self.price(r.operation, r.params, r.answer or {})
        priced.seconds = r.seconds
        return priced

    @staticmethod
    def price(operation: str, request: dict[str, Any], answer: dict[str, Any]) -> Request:
        r = Request("dynamodb", operation)
        consistent = bool(request.get("ConsistentRead")) and "IndexName" not in request
        if operation == "GetItem":
            item = answer.get("Item")
            r.rcu = _read_units(item_size(item) if item else 0, consistent)
        elif operation in ("Query", "Scan"):
            r.rcu = _read_units(sum(item_size(i) for i in answer.get("Items", [])), consistent)
        elif operation == "BatchGetItem":
            for items in answer.get("Responses", {}).values():
                r.rcu += sum(_read_units(item_size(i), consistent) for i in items)
        elif operation == "PutItem":
            r.wcu = _write_units(item_size(request["Item"]))
        elif operation in ("UpdateItem", "DeleteItem"):
            r.wcu = 1.0
        elif operation == "BatchWriteItem":
            for writes in request.get("RequestItems", {}).values():
                r.wcu += sum(_write_units(item_size(w["PutRequest"]["Item"])) if "PutRequest" in w else 1.0 for w in writes)
        elif operation == "TransactWriteItems":
            for w in request.get("TransactItems", []):
                r.wcu += 2 * (_write_units(item_size(w["Put"]["Item"])) if "Put" in w else 1.0)
        elif operation == "TransactGetItems":
            r.rcu = sum(2 * _read_units(item_size(x["Item"]), True) for x in answer.get("Responses", []) if x.get("Item"))
        return r

    def summary(self) -> dict[str, Any]:
        """DynamoDB requests, their capacity and operations; seconds spent in any AWS call."""
        dynamo = [self._priced(r) for r in self.requests if r.service == "dynamodb"]
        ops: dict[str, int] = {}
        for r in dynamo:
            ops[r.operation] = ops.get(r.operation, 0) + 1
        return {
            "requests": len(dynamo),
            "rcu": sum(r.rcu for r in dynamo),
            "wcu": sum(r.wcu for r in dynamo),
            "operations": ops,
            "other_aws": sorted(f"{r.service}:{r.operation}" for r in self.requests if r.service != "dynamodb"),
            "dynamodb_seconds": sum(r.seconds for r in dynamo),
            "aws_seconds": sum(r.seconds for r in self.requests),
        }


def _keep_params(params, context, **_):
    """Keep the request's parameters in its context, for the after-call hook to price it."""
    context["oneway_params"] = params


# --- the stack -----------------------------------------------------------------------------------


@dataclass
class Harness:
    aws_endpoint: str
    call: HttpCall  # the API, as the recruiter unless a candidate's token is given
    noop: HttpCall  # the same gateway with the no-op handler
    meter: AwsMeter
    stop_workers: Callable[[], None] = lambda: None  # the event pump and media worker, when no longer needed

    def ports(self):
        from oneway.handlers import deps

        return deps.ports()

    def boto(self, service: str):
        import boto3

        # boto3-stubs types client() per literal service name; here the service is a parameter.
        return boto3.client(service, endpoint_url=self.aws_endpoint, region_name="us-east-1")  # type: ignore[call-overload]


class MotoProcess:
    """moto in a process of its own (``python -m moto.server``): the AWS stand-in's work then never holds
    the GIL of the process whose handler is being timed, as AWS's work never runs in a Lambda function."""

    def __init__(self, ip_address: str, port: int, verbose: bool = False):
        self._args = [sys.executable, "-m", "moto.server", "-H", ip_address, "-p", str(port)]
        self._address = (ip_address, port)
        self._proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self._proc = subprocess.Popen(self._args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"moto exited with {self._proc.returncode}")
            try:
                socket.create_connection(self._address, timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("moto did not start")

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(timeout=30)


@contextmanager
def local_stack(*, workers: bool = False, aws_process: bool = False) -> Iterator[Harness]:
    """The stack in this process; ``workers`` adds the event pump and the local media worker;
    ``aws_process`` runs moto in a process of its own (see ``MotoProcess``)."""
    aws_port = free_port()
    endpoint = f"http://127.0.0.1:{aws_port}"
    site = "http://127.0.0.1:8000"
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        ONEWAY_SITE_URL=site,
        ONEWAY_MEDIA="local",
        ONEWAY_STAGE="local",
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_SERVICE_NAME="oneway",
        POWERTOOLS_LOG_LEVEL="WARNING",
    )
    import logging

    logging.getLogger("botocore").setLevel(logging.WARNING)
    import boto3
    from moto.server import ThreadedMotoServer

    from oneway.config import Settings, settings
    from oneway.local import provision
    from oneway.local.gateway import Gateway, JwtVerifier

    with tempfile.TemporaryDirectory(prefix="oneway-bench-") as tmp:
        os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        server = (MotoProcess if aws_process else ThreadedMotoServer)(ip_address="127.0.0.1", port=aws_port, verbose=False)
        server.start()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        try:
            def client(name: str):
                # boto3-stubs types client() per literal service name; here the service is a parameter.
                return boto3.client(name, endpoint_url=endpoint, region_name="us-east-1")  # type: ignore[call-overload]

            stack = provision.provision(client, Settings(), site)
            os.environ["ONEWAY_LOCAL_MEDIA_QUEUE_URL"] = stack.media_queue_url
            settings.cache_clear()
            from oneway.handlers import api, deps

            deps.ports.cache_clear()
            deps.aws_client.cache_clear()
            deps.aws_session.cache_clear()
            provision.ensure_demo(deps.ports(), client("cognito-idp"), stack.user_pool_id, EMAIL, PASSWORD)
            token = client("cognito-idp").initiate_auth(
                ClientId=stack.user_pool_client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD},
            )["AuthenticationResult"]["AccessToken"]
            verifier = JwtVerifier(endpoint, "us-east-1", stack.user_pool_id, stack.user_pool_client_id)
            gateway = partial(Gateway, verifier=lambda: verifier, site_dir=Path(tmp) / "site", config_json=lambda: "{}", outbox=list, dev_key="bench")
            meter = AwsMeter().attach(*(deps.aws_client(name) for name in ("dynamodb", "s3", "ses", "events")))
            stoppers: list[Callable[[], None]] = []

            def stop_workers() -> None:
                while stoppers:
                    stoppers.pop(0)()

            running = [stop_workers]
            if workers:
                from oneway.handlers import on_media_event, on_upload, scheduled
                from oneway.local.media_worker import MediaWorker
                from oneway.local.pump import Pump

                pump = Pump(
                    sqs=client("sqs"),
                    uploads_queue_url=stack.uploads_queue_url,
                    on_upload=on_upload.lambda_handler,
                    on_media_event=on_media_event.lambda_handler,
                    scheduled=scheduled.lambda_handler,
                    reconcile_every=30,
                )
                worker = MediaWorker(client("sqs"), client("s3"), settings(), pump.media_event)
                pump.start()
                worker.start()
                stoppers += [lambda: worker.stop(timeout=30), pump.stop]
            servers = [
                make_server("127.0.0.1", free_port(), gateway(api_handler=handler), threaded=True)
                for handler in (api.lambda_handler, noop_handler)
            ]
            for s in servers:
                threading.Thread(target=s.serve_forever, daemon=True).start()
                running.append(s.shutdown)
            try:
                yield Harness(
                    aws_endpoint=endpoint,
                    call=HttpCall(f"http://127.0.0.1:{servers[0].server_port}", token),
                    noop=HttpCall(f"http://127.0.0.1:{servers[1].server_port}", token),
                    meter=meter,
                    stop_workers=stop_workers,
                )
            finally:
                for stop in running:
                    stop()
        finally:
            server.stop()
