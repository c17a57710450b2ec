"""cdk-nag AwsSolutions: no finding left unacknowledged, and a specific reason for each acknowledgment.

A separate app with the checks on (they abort synthesis on any finding, so
they stay out of the template session), synthesized once for this module. On
failure the message lists every open finding with its construct path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.infra.infra_support import build_test_app


def _open_findings(report: Path) -> list[str]:
    data = json.loads(report.read_text())
    found = []
    for plugin in data.get("pluginReports", []):
        if plugin["pluginName"] != "AwsSolutions":
            continue
        for v in plugin.get("violations", []):
            for c in v["violatingConstructs"]:
                found.append(f"{v['ruleName']} at {c['constructPath']}: {v['description']}")
    return found


@pytest.fixture(scope="module", params=["us-east-1", "eu-west-1"])
def assembly(request, tmp_path_factory):
    """(outdir, stack name, open findings) of one synthesis with the checks on: in us-east-1 (the web ACL in
    the stack) and in another region (the web ACL in its companion stack in us-east-1)."""
    outdir = tmp_path_factory.mktemp("nag")
    app, stack = build_test_app(outdir=str(outdir), region=request.param, nag="true")
    report = outdir / "validation-report.json"
    try:
        app.synth()
    except RuntimeError as e:
        return outdir, stack.stack_name, _open_findings(report) if report.exists() else [str(e)]
    return outdir, stack.stack_name, _open_findings(report) if report.exists() else []


def test_no_unacknowledged_aws_solutions_findings(assembly):
    _, _, findings = assembly
    assert findings == [], f"{len(findings)} open cdk-nag findings:\n" + "\n".join(findings)


def test_every_acknowledgment_gives_a_specific_reason(assembly):
    """Read back from the cloud assembly: each acknowledged finding, with its reason."""
    outdir, stack_name, findings = assembly
    assert findings == []
    metadata = json.loads((outdir / f"{stack_name}.metadata.json").read_text())
    acknowledged = {
        (path, rule): reason
        for path, entries in metadata.items()
        for entry in entries
        if entry["type"] == "aws:cdk:acknowledged-rules"
        for rule, reason in entry["data"].items()
    }
    assert len(acknowledged) > 20
    for (path, rule), reason in acknowledged.items():
        assert rule.startswith("Annotation::AwsSolutions-"), rule
        assert len(reason) >= 40 and reason.lower() not in {"false positive", "not needed", "by design"}, (path, rule)
        if "AwsSolutions-IAM4" in rule:  # AWS-managed policies: basic execution of CDK's own helpers, nothing else
            assert rule.endswith("service-role/AWSLambdaBasicExecutionRole]"), (path, rule)
            assert "CDK" in reason, (path, rule)
    # Wildcard resources and actions: each acknowledged one by one, with its own reason.
    wildcards = [reason for (_, rule), reason in acknowledged.items() if "AwsSolutions-IAM5[" in rule]
    assert len(wildcards) >= 10
