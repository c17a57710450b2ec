"""API fuzzing: schemathesis against /api/openapi.json on the local stack, every route and every check.

Recruiter routes get a Cognito access token, candidate routes an invitation
token and the share route a share link's token, each by the OpenAPI document's
security scheme. The checks include server errors, response schema conformance,
negative data rejection and ignored authentication. Heavy (a stack, a few
thousand requests): `make test-heavy`, and `make test` runs it too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_api import INTERVIEW
from tests.support.client import Api, token_from
from tests.support.stack import start_stack

pytestmark = [pytest.mark.heavy, pytest.mark.timeout(420)]

MAX_EXAMPLES = 6  # per operation and phase: enough for every check, small enough for minutes


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    # Fuzzing sends many invalid tokens on purpose: the per-address limit on failed lookups is lifted.
    s = start_stack(tmp_path_factory.mktemp("fuzz-stack"), env={"ONEWAY_TOKEN_FAILURES_PER_MINUTE": "1000000"})
    yield s
    s.stop()


def test_schemathesis_finds_nothing(stack, tmp_path):
    recruiter = Api(stack.url, stack.sign_in())
    made = recruiter.post("/api/interviews", INTERVIEW, expect=201)
    invited = recruiter.post(f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Fuzz", "email": "fuzz@example.com"}]}, expect=201)
    candidate = token_from(invited["items"][0]["inviteUrl"])
    auth = {"cognito": stack.sign_in(), "invitation": candidate}
    spec = recruiter.get("/api/openapi.json")
    if "share" in spec["components"].get("securitySchemes", {}):
        cid = invited["items"][0]["candidateId"]
        link = recruiter.post(f"/api/candidates/{cid}/shares", {"minutes": 600}, expect=201)
        auth["share"] = link["url"].rsplit("/", 1)[1]
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "".join(f'[auth.openapi.{name}]\nbearer = "{value}"\n\n' for name, value in auth.items())
        # Schema-valid data may still break a rule the schema cannot state (a reviewer who is no
        # member, a rubric item the interview lacks, a passed deadline): such answers are 400/410/413.
        + '[checks.positive_data_acceptance]\nexpected-statuses = ["2xx", "3xx", 400, 401, 403, 404, 409, 410, 413, 429]\n'
    )
    reports = tmp_path / "reports"
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(config),
            "run",
            f"{stack.url}/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--phases",
            "examples,coverage,fuzzing",
            "--workers",
            "2",
            "--seed",
            "20261125",
            "--suppress-health-check",
            "all",
            "--request-timeout",
            "60",
            # No timing verdicts in tests (a shared machine): only answers are judged.
            "--max-response-time",
            "120",
            "--report",
            "ndjson",
            "--report-dir",
            str(reports),
        ],
        capture_output=True,
        text=True,
        timeout=400,
    )
    requests = 0
    for line in (reports / next(p.name for p in reports.iterdir() if p.suffix == ".ndjson")).read_text().splitlines():
        requests += line.count('"request":')
    operations = sum(len(v) for v in spec["paths"].values())
    summary = "\n".join(run.stdout.splitlines()[-40:])
    print(f"\nschemathesis: {operations} operations, {requests} requests, exit {run.returncode}\n{summary}")
    assert run.returncode == 0, f"schemathesis found failures:\n{run.stdout[-12000:]}\n{run.stderr[-3000:]}"
    assert requests >= operations * 5, "too few requests for a meaningful run"
    (tmp_path / "schemathesis.json").write_text(json.dumps({"operations": operations, "requests": requests}))
