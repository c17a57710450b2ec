"""Run Oneway on this machine: python -m oneway.local (what `make dev` starts).

Embedded AWS (moto) on ONEWAY_AWS_PORT (8001), the site and the API on
ONEWAY_PORT (8000), the event pump, the local media workers and a demo
organization whose recruiter signs in with ONEWAY_DEMO_EMAIL / _PASSWORD.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import secrets
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from . import lan

ROOT = Path(__file__).resolve().parents[3]


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m oneway.local", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=int(_env("ONEWAY_PORT", "8000")))
    ap.add_argument("--aws-port", type=int, default=int(_env("ONEWAY_AWS_PORT", "8001")))
    ap.add_argument("--state-dir", type=Path, default=Path(_env("ONEWAY_STATE_DIR", str(ROOT / ".state"))))
    ap.add_argument("--site-dir", type=Path, default=Path(_env("ONEWAY_SITE_DIR", str(ROOT / "web" / "dist"))))
    ap.add_argument(
        "--lan",
        action="store_true",
        default=lan.enabled(),
        help="serve the site over https on this machine's network address (ONEWAY_LAN_HOST, or found), so a phone "
        "can take an interview; the embedded AWS stays on loopback (make dev LAN=1)",
    )
    ap.add_argument("--reconcile-every", type=float, default=60.0)
    ap.add_argument("--save-every", type=float, default=30.0, help="seconds between saves of the embedded AWS's state (0: at exit only)")
    ap.add_argument(
        "--api-workers",
        type=int,
        default=int(_env("ONEWAY_API_WORKERS", "1")),
        help="API execution environments: 1 runs the handler in this process, one request at a time; "
        "more run it in that many worker processes, requests in parallel as on Lambda",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    log = logging.getLogger("oneway.local")
    args.state_dir.mkdir(parents=True, exist_ok=True)

    # On the network address (--lan): https with a certificate made here, the embedded AWS still on loopback.
    web_host = lan.network_address() if args.lan else args.host
    tls = lan.certificate(args.state_dir / "tls", web_host) if args.lan else None
    site = f"https://{web_host}:{args.port}" if args.lan else f"http://{args.host}:{args.port}"
    # The gateway plays CloudFront: it puts this run's secret in the origin header of every API request,
    # and the API refuses a request without it, as on AWS.
    origin_secret = secrets.token_urlsafe(32)
    aws_endpoint = f"http://{args.host}:{args.aws_port}"
    # Everything below, the real handlers included, talks to the embedded AWS.
    os.environ.update(
        AWS_ENDPOINT_URL=aws_endpoint,
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_REGION=_env("AWS_REGION", "us-east-1"),
        AWS_DEFAULT_REGION=_env("AWS_REGION", "us-east-1"),
        ONEWAY_SITE_URL=site,
        ONEWAY_MEDIA="local",
        ONEWAY_STAGE="local",
        ONEWAY_ORIGIN_SECRET=origin_secret,
        # Test webhooks go to a receiver on this machine (never on AWS).
        ONEWAY_WEBHOOKS_TO_LOOPBACK="true",
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_SERVICE_NAME="oneway",
        POWERTOOLS_LOG_LEVEL=_env("POWERTOOLS_LOG_LEVEL", "WARNING"),
    )

    from .aws import ACCOUNT, EmbeddedAws
    from .aws_calls import start_from_environment
    from .guard import LoopbackGuard, loopback_hosts, site_origins

    # ONEWAY_RECORD_AWS_CALLS=<file>: write each AWS call a function makes to that file (the IAM contract test).
    start_from_environment("local stack")

    origins = {site} if args.lan else site_origins(args.host, args.port)
    aws = EmbeddedAws(args.host, args.aws_port, args.state_dir, site_origins=origins)
    aws.start()

    import boto3

    from ..config import Settings, settings
    from . import provision

    def client(name: str):
        # boto3-stubs types client() per literal service name; here the service is a parameter.
        return boto3.client(name, endpoint_url=aws_endpoint, region_name=os.environ["AWS_REGION"])  # type: ignore[call-overload]

    stack = provision.provision(client, Settings(), site)
    os.environ["ONEWAY_LOCAL_MEDIA_QUEUE_URL"] = stack.media_queue_url
    os.environ["ONEWAY_UPLOADS_QUEUE_URL"] = stack.uploads_queue_url  # retries ask on_upload for their jobs
    os.environ["ONEWAY_USER_POOL_ID"] = stack.user_pool_id
    os.environ["ONEWAY_OUTBOX_DEAD_LETTERS_URL"] = stack.outbox_dead_letters_url
    settings.cache_clear()

    from ..handlers import deliver, deps, on_media_event, on_upload, public_api, scheduled, staff_api
    from .gateway import Gateway, JwtVerifier, LambdaPool
    from .media_worker import MediaWorker
    from .pump import Pump
    from .streams import outbox_poller

    password_file = args.state_dir / "demo-password"
    password = os.environ.get("ONEWAY_DEMO_PASSWORD") or (
        password_file.read_text().strip() if password_file.exists() else f"Demo-{secrets.token_urlsafe(9)}1a"
    )
    password_file.write_text(password)
    email = _env("ONEWAY_DEMO_EMAIL", "recruiter@example.com")
    provision.ensure_demo(deps.ports(), client("cognito-idp"), stack.user_pool_id, email, password)

    pump = Pump(
        sqs=client("sqs"),
        uploads_queue_url=stack.uploads_queue_url,
        on_upload=on_upload.lambda_handler,
        on_media_event=on_media_event.lambda_handler,
        scheduled=scheduled.lambda_handler,
        deliver=deliver.lambda_handler,
        outbox=outbox_poller(
            stack.stream_arn, stack.outbox_dead_letters_url, region=os.environ["AWS_REGION"], checkpoint=args.state_dir / "outbox-stream.json"
        ),
        reconcile_every=args.reconcile_every,
    )
    worker = MediaWorker(client("sqs"), client("s3"), settings(), pump.media_event)
    verifier = JwtVerifier(aws_endpoint, os.environ["AWS_REGION"], stack.user_pool_id, stack.user_pool_client_id)
    # On the network address the browser signs in through the site (lan.py), never at the embedded AWS.
    config = provision.config_json(settings(), stack, site, f"{site}{lan.COGNITO_PATH}" if args.lan else aws_endpoint)

    def outbox():
        from moto.ses.models import ses_backends

        backend = ses_backends[ACCOUNT][os.environ["AWS_REGION"]]
        return [
            # body: the text a reader without HTML gets (the text alternative when the email has both parts)
            {
                "to": m.destinations.get("ToAddresses", []),
                "subject": m.subject,
                "body": getattr(m, "text", None) or m.body,
                "text": getattr(m, "text", None) or m.body,
                "html": getattr(m, "html", None),
                "from": m.source,
            }
            for m in backend.sent_messages
            if hasattr(m, "subject")
        ]

    # A new key for the developer pages at every start (tests and scripts read it from the state folder).
    dev_key = secrets.token_urlsafe(16)
    (args.state_dir / "dev-key").write_text(dev_key)
    # More workers: one pool of processes running handlers.api, which hands each request to its audience's handler.
    pool = LambdaPool("oneway.handlers.api", args.api_workers) if args.api_workers > 1 else None
    app = Gateway(
        api_handler=pool,
        public_handler=None if pool else public_api.lambda_handler,
        staff_handler=None if pool else staff_api.lambda_handler,
        verifier=lambda: verifier,
        site_dir=args.site_dir,
        config_json=lambda: config,
        outbox=outbox,
        dev_key=dev_key,
        origin_secret=origin_secret,
    )
    served: Any = app
    if args.lan:
        served = lan.LanProxy(app, site=site, aws_endpoint=aws_endpoint, access_key="local", secret_key="local")
    guarded = LoopbackGuard(served, hosts={f"{web_host}:{args.port}"} if args.lan else loopback_hosts(args.host, args.port), origins=origins)

    from werkzeug.serving import make_server

    server = make_server(web_host, args.port, guarded, threaded=True, ssl_context=(str(tls[0]), str(tls[1])) if tls else None)
    pump.start()
    worker.start()
    stopping = threading.Event()

    def snapshot_loop() -> None:
        while args.save_every > 0 and not stopping.wait(args.save_every):
            # A dict changed, or an object was deleted, while being saved: next round.
            with contextlib.suppress(RuntimeError, ValueError):
                aws.snapshot()

    threading.Thread(target=snapshot_loop, name="snapshot", daemon=True).start()

    def shutdown(*_):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    if tls:
        print(
            f"\nOn a phone on the same network: open {site} (the certificate is made on this machine: accept it once;"
            f" it is {tls[0]}), or scan the QR code shown after inviting a candidate.",
            flush=True,
        )
    print(
        f"\nOneway is running at {site}\n"
        f"  sign in as {email} with password {password}\n"
        f"  emails sent: {site}/dev/outbox?key={dev_key}\n"
        f"  embedded AWS: {aws_endpoint} (programs on this machine and this site's pages only)\n"
        f"  state: {args.state_dir}    stop with Ctrl-C\n",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        log.info("stopping")
        worker.stop(timeout=10)
        pump.stop()
        if pool is not None:
            pool.close()
        aws.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
