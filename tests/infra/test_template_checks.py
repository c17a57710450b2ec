"""The synthesized template through cfn-lint and checkov, and every function's runtime through AWS's calendar.

Four templates: the deployed settings (cdk.json, in us-east-1 with its web ACL); a variant with every
optional branch on (a custom domain, reserved concurrency, threat protection) in another region, and
the companion stack that holds its web ACL in us-east-1; and the deployed settings with the web ACL off.

- cfn-lint (the pinned release of pyproject's dev extra): no error, no warning but the ones ignored
  below, each with its reason, in every region the deployment guide names.
- checkov (its own venv, `make checkov`): no failed check. A check that does not fit Oneway is skipped
  on its resource, in code, with its reason (infra/oneway_infra/checkov.py), as cdk-nag findings are.
- The runtime calendar: cfn-lint ships AWS's Lambda runtime lifecycle dates
  (cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json). Every function of the template, CDK's own
  included, runs a runtime that is neither deprecated nor blocked for creation in the next 18 months.
"""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from datetime import date
from importlib import resources as package_files
from pathlib import Path

import pytest

from tests.infra.infra_support import REPO_ROOT, build_test_app, of_type, props

# Regions of docs/deploy.md ("A region with MediaConvert, Transcribe and SES").
REGIONS = ["us-east-1", "eu-west-1", "eu-central-1"]

# cfn-lint rules that do not apply to a CDK-synthesized template, each with its reason.
CFN_LINT_IGNORED = {
    "W3005": "CDK writes an explicit DependsOn from each function to its role and policy (so the policy exists "
    "before the first invocation), next to the Fn::GetAtt of the role's ARN; the duplicate edge is harmless "
    "and is CDK's to remove, not Oneway's.",
}

CHECKOV = REPO_ROOT / ".venv" / "checkov" / "bin" / "checkov"
RUNTIME_HORIZON_MONTHS = 18


# The other branches of the stack's settings: a custom domain (the viewer-TLS policy is set, not
# skipped), reserved concurrency on, Cognito's threat protection on; outside us-east-1, so that the web
# ACL lives in its companion stack.
VARIANT_REGION = "eu-west-1"
VARIANT = {
    "domainName": "interviews.example.com",
    "certificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
    "reservedConcurrency": "true",
    "threatProtection": "true",
}


@pytest.fixture(scope="module")
def template_file(template, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "oneway.template.json"
    path.write_text(json.dumps(template.to_json(), indent=1))
    return path


@pytest.fixture(scope="module")
def variant_files(tmp_path_factory) -> list[Path]:
    """The variant's Oneway stack, its edge stack in us-east-1, and the default settings without the web ACL."""
    from aws_cdk.assertions import Template

    folder = tmp_path_factory.mktemp("variant")
    _, stack = build_test_app(region=VARIANT_REGION, **VARIANT)
    _, no_waf = build_test_app(waf="false")
    files = []
    for name, s in (("oneway-variant", stack), ("oneway-variant-edge", stack.edge_stack), ("oneway-no-waf", no_waf)):
        path = folder / f"{name}.template.json"
        path.write_text(json.dumps(Template.from_stack(s).to_json(), indent=1))
        files.append(path)
    return files


def _pinned(requirement_list: list[str], name: str) -> str:
    (spec,) = [r for r in requirement_list if r.split("==")[0].strip().lower() == name]
    return spec.split("==")[1].strip()


def _pyproject() -> dict:
    with (REPO_ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


# --- cfn-lint -----------------------------------------------------------------------------------------


def test_cfn_lint_is_the_pinned_release():
    from cfnlint.version import __version__

    assert __version__ == _pinned(_pyproject()["project"]["optional-dependencies"]["dev"], "cfn-lint")


@pytest.fixture(scope="module")
def cfn_lint_matches(template_file, variant_files) -> list:
    from cfnlint.api import ManualArgs, lint_file

    return [m for path in (template_file, *variant_files) for m in lint_file(path, config=ManualArgs(regions=REGIONS))]


def test_cfn_lint_finds_no_error_and_no_unexplained_warning(cfn_lint_matches):
    found = [
        f"{m.rule.id} {m.message} ({'/'.join(map(str, m.path))})"
        for m in cfn_lint_matches
        if m.rule.id not in CFN_LINT_IGNORED
    ]
    assert found == [], f"{len(found)} cfn-lint findings:\n" + "\n".join(found)


def test_every_ignored_cfn_lint_rule_still_fires_and_has_a_reason(cfn_lint_matches):
    """An ignore that no longer matches anything is stale: remove it."""
    fired = {m.rule.id for m in cfn_lint_matches}
    for rule, reason in CFN_LINT_IGNORED.items():
        assert rule in fired, f"{rule} no longer fires: remove it from CFN_LINT_IGNORED"
        assert not rule.startswith("E"), f"{rule}: errors are fixed, never ignored"
        assert len(reason) >= 60, rule


# --- checkov ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checkov_report(template_file, variant_files) -> dict:
    if not CHECKOV.exists():
        pytest.fail(f"checkov is not installed at {CHECKOV}: run `make checkov` (make test does)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [str(CHECKOV), *(f for path in (template_file, *variant_files) for f in ("--file", str(path))), "--framework", "cloudformation",
         "--output", "json", "--compact", "--skip-download"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]  # 1: failed checks, reported below
    report = json.loads(run.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov_is_the_pinned_release(checkov_report):
    pinned = _pinned(_pyproject()["dependency-groups"]["checkov"], "checkov")
    assert checkov_report["summary"]["checkov_version"] == pinned, "run `make checkov`"


def test_checkov_finds_nothing_unexplained(checkov_report):
    failed = [
        f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in checkov_report["results"]["failed_checks"]
    ]
    assert checkov_report["summary"]["parsing_errors"] == 0
    assert failed == [], f"{len(failed)} checkov findings (fix them, or skip with a reason: oneway_infra/checkov.py):\n" + "\n".join(failed)
    assert checkov_report["summary"]["passed"] > 100
    results = checkov_report["results"]
    checked = {c["file_abs_path"] for c in [*results["passed_checks"], *results["skipped_checks"]]}
    assert len(checked) == 4, checked  # the default template, the variant and its edge stack, no web ACL


def test_every_checkov_skip_gives_a_specific_reason(checkov_report, resources, template_file):
    skipped = [c for c in checkov_report["results"]["skipped_checks"] if c["file_abs_path"] == str(template_file)]
    assert skipped, "the report lists no skipped check: the template's checkov metadata was not read"
    written = {
        (logical_id, s["id"]): s["comment"]
        for logical_id, r in resources.items()
        for s in r.get("Metadata", {}).get("checkov", {}).get("skip", [])
    }
    assert {(c["resource"].split(".", 1)[1], c["check_id"]) for c in skipped} == set(written)
    for (logical_id, check), reason in written.items():
        assert check.startswith("CKV_AWS_"), (logical_id, check)
        assert len(reason) >= 40 and reason.lower() not in {"false positive", "not needed", "by design"}, (logical_id, check)


# --- the Lambda runtime calendar ----------------------------------------------------------------------


def _lifecycle() -> dict[str, dict]:
    path = package_files.files("cfnlint") / "data" / "AdditionalSpecs" / "LmbdRuntimeLifecycle.json"
    return json.loads(path.read_text())


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))


def _runtimes(resources) -> dict[str, str | None]:
    """Each function's runtime (None for a container image) and each layer's compatible ones."""
    found = {lid: props(r).get("Runtime") for lid, r in of_type(resources, "AWS::Lambda::Function").items()}
    found |= {
        f"{lid} (layer)": runtime
        for lid, r in of_type(resources, "AWS::Lambda::LayerVersion").items()
        for runtime in props(r).get("CompatibleRuntimes", [])
    }
    return found


def test_every_function_runs_a_runtime_supported_for_the_next_18_months(resources):
    calendar = _lifecycle()
    horizon = _months_later(date.today(), RUNTIME_HORIZON_MONTHS)
    runtimes = _runtimes(resources)
    # Oneway's four functions and CDK's own: the site deployment and the bucket notifications.
    assert len([lid for lid in runtimes if "(layer)" not in lid]) >= 6
    late = []
    for logical_id, runtime in runtimes.items():
        assert runtime, f"{logical_id} has no Runtime (a container image would need its own check)"
        dates = calendar.get(runtime)
        assert dates is not None, f"{logical_id}: {runtime} is not in cfn-lint's runtime calendar"
        for event in ("deprecated", "create-block"):
            when = dates.get(event)
            if when is not None and date.fromisoformat(when) <= horizon:
                late.append(f"{logical_id}: {runtime} {event} on {when} (before {horizon})")
    assert late == [], "\n".join(late)


def test_oneway_functions_run_the_python_of_pyproject(resources):
    from oneway_infra.constants import RUNTIME

    oneway = {props(r)["Runtime"] for r in of_type(resources, "AWS::Lambda::Function").values()
              if props(r).get("Handler", "").startswith("oneway.")}
    assert oneway == {RUNTIME.name}
