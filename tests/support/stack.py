"""Start the local stack (python -m oneway.local) in a subprocess for a test session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    url: str
    aws_endpoint: str
    state_dir: Path
    email: str
    password: str
    process: subprocess.Popen
    log_path: Path
    # What an https client trusts (a stack on the network address: its own certificate file); True: the usual.
    verify: str | bool = True

    def config(self) -> dict:
        return requests.get(f"{self.url}/config.json", timeout=5, verify=self.verify).json()

    def sign_in(self, email: str | None = None, password: str | None = None) -> str:
        cfg = self.config()
        idp = boto3.client(
            "cognito-idp",
            endpoint_url=cfg["cognitoEndpoint"],
            region_name=cfg["region"],
            aws_access_key_id="x",
            aws_secret_access_key="x",
            verify=self.verify,
        )
        answer = idp.initiate_auth(
            ClientId=cfg["userPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email or self.email, "PASSWORD": password or self.password},
        )
        return answer["AuthenticationResult"]["AccessToken"]

    @property
    def outbox_url(self) -> str:
        """The outbox page with this run's key (the stack writes it to its state folder at start)."""
        return f"{self.url}/dev/outbox?key={(self.state_dir / 'dev-key').read_text().strip()}"

    def outbox(self) -> list[dict]:
        return requests.get(self.outbox_url.replace("/dev/outbox?", "/dev/outbox.json?"), timeout=5, verify=self.verify).json()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_stack(
    state_dir: Path,
    *,
    site_dir: Path | None = None,
    reconcile_every: float = 5.0,
    save_every: float = 30.0,
    env: dict | None = None,
    lan_host: str | None = None,
) -> Stack:
    """``lan_host``: serve the site over https on that address (make dev LAN=1), with the stack's own certificate."""
    port, aws_port = free_port(), free_port()
    password = "Test-password-123"
    email = "recruiter@example.com"
    log_path = state_dir / "stack.log"
    state_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oneway.local",
            "--port",
            str(port),
            "--aws-port",
            str(aws_port),
            "--state-dir",
            str(state_dir),
            "--site-dir",
            str(site_dir or ROOT / "web" / "dist"),
            "--reconcile-every",
            str(reconcile_every),
            "--save-every",
            str(save_every),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "functions"),
            "ONEWAY_DEMO_PASSWORD": password,
            "ONEWAY_DEMO_EMAIL": email,
            **({"ONEWAY_LAN": "1", "ONEWAY_LAN_HOST": lan_host} if lan_host else {}),
            **(env or {}),
        },
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
    )
    url = f"https://{lan_host}:{port}" if lan_host else f"http://127.0.0.1:{port}"
    cert = state_dir / "tls" / "cert.pem"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the local stack exited: {log_path.read_text()[-3000:]}")
        try:
            verify: str | bool = str(cert) if lan_host else True
            if (not lan_host or cert.exists()) and requests.get(f"{url}/api/health", timeout=5, verify=verify).ok:
                return Stack(url, f"http://127.0.0.1:{aws_port}", state_dir, email, password, proc, log_path, verify)
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"the local stack did not start: {log_path.read_text()[-3000:]}")
