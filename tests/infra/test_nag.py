"""cdk-nag AwsSolutions: no finding left unacknowledged.

A separate app with the checks on (they abort synthesis on any finding, so
they stay out of the template session). On failure the message lists every
open finding with its construct path and the id to acknowledge it with.
"""

from __future__ import annotations

import json
from pathlib import Path

from infra_support import build_test_app


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


def test_no_unacknowledged_aws_solutions_findings(tmp_path):
    app, _ = build_test_app(outdir=str(tmp_path), nag="true")
    try:
        app.synth()
    except RuntimeError as e:
        report = tmp_path / "validation-report.json"
        findings = _open_findings(report) if report.exists() else []
        raise AssertionError(f"{len(findings)} open cdk-nag findings:\n" + "\n".join(findings) or str(e)) from None
    report = tmp_path / "validation-report.json"
    if report.exists():
        assert _open_findings(report) == []
