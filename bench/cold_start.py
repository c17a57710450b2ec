"""Figure 1, cold start as Lambda bills it: a fresh interpreter imports a handler module, makes the
function's clients as its first request does (``deps.ports()``, the deliver function's
``deps.delivery_ports()``) and makes one DynamoDB call through its store (a GetItem) against a local
endpoint, a moto server this figure starts. The baseline is the smallest handler that could answer:
``import boto3``, one DynamoDB client, the same GetItem, in a fresh interpreter too. The import alone is
also reported, against ``import boto3`` alone.

Measured as Lambda runs the code: the functions/ asset as CDK packages it
(the folder infra/oneway_infra/code_asset.py stages: without oneway/local,
with the bytecode it compiles, since Python cannot write any into the
read-only /var/task), ``ONEWAY_MEDIA=aws``, and the Lambda
variables that switch Powertools' X-Ray tracing on (tracing is active in the
deployed functions). Each import runs in a new interpreter, taking turns with
the baseline; the figure is the median. ``python -X importtime`` gives the
breakdown shown in the notes. Also reported: the deployment package's size.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from .report import Goal, Row, median

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
HANDLERS = ("public_api", "staff_api", "on_upload", "on_media_event", "scheduled", "deliver")
RUNS = 9
GOAL = Goal(of="ratio", op="<=", target=1.3)  # the first request, as billed
IMPORT_GOAL = Goal(of="ratio", op="<=", target=1.6)  # the import alone
LAMBDA_LIMIT_MB = 250  # code and layers together, unzipped

_PROBE = "import time, importlib, sys; t = time.perf_counter(); importlib.import_module(sys.argv[1]); print(time.perf_counter() - t)"

# The first request: the handler's import, its clients, one DynamoDB GetItem (an item that is not there).
_FIRST_REQUEST = """
import time, importlib, sys
t = time.perf_counter()
importlib.import_module("oneway.handlers." + sys.argv[1])
from oneway.handlers import deps
ports = deps.delivery_ports() if sys.argv[1] == "deliver" else deps.ports()
ports.store.get_organization("bench-cold-start")
print(time.perf_counter() - t)
"""

# The minimal handler's first request: boto3, the DynamoDB client (with the same retry settings), the same GetItem.
_MINIMAL_REQUEST = """
import time, os, sys
t = time.perf_counter()
import boto3
from botocore.config import Config
client = boto3.client("dynamodb", config=Config(retries={"mode": "standard", "max_attempts": 4}))
client.get_item(TableName=os.environ["ONEWAY_TABLE_NAME"], Key={"pk": {"S": "ORG#bench-cold-start"}, "sk": {"S": "META"}},
                ConsistentRead=True)
print(time.perf_counter() - t)
"""


def lambda_site() -> tuple[Path | None, str]:
    """A folder with only what a deployed function has on its path: the layer's requirements
    (pyproject's [project].dependencies) and the runtime's boto3, installed for this machine.

    Built once with pip and kept under build/bench/; without it (no network), the venv's
    site-packages stand in, which hold many more packages (slower metadata scans).
    """
    with PYPROJECT.open("rb") as f:
        requirements = tomllib.load(f)["project"]["dependencies"]
    wanted = [*requirements, f"boto3=={metadata.version('boto3')}"]
    key = hashlib.sha256(json.dumps([sys.version_info[:2], wanted]).encode()).hexdigest()[:12]
    site = ROOT / "build" / "bench" / f"lambda-site-{key}"
    if (site / ".complete").exists():
        return site, "a folder with only the layer's requirements and boto3"
    shutil.rmtree(site, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input",
         "--only-binary=:all:", "--target", str(site), *wanted],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        shutil.rmtree(site, ignore_errors=True)
        return None, "the venv's site-packages (pip could not build a Lambda-like folder)"
    (site / ".complete").write_text("\n".join(wanted))
    return site, "a folder with only the layer's requirements and boto3"


def package_asset() -> Path:
    """The code asset's folder, staged as ``cdk synth`` stages it (the same function builds it)."""
    if str(ROOT / "infra") not in sys.path:
        sys.path.insert(0, str(ROOT / "infra"))
    from oneway_infra.code_asset import stage_code

    return stage_code(f"{sys.version_info.major}.{sys.version_info.minor}")


def zipped_size(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "asset.zip"
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(folder).as_posix())
        return out.stat().st_size


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def lambda_env(asset: Path, site: Path | None) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {
        **keep,
        "PYTHONPATH": os.pathsep.join(str(p) for p in (asset, site) if p),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LAMBDA_TASK_ROOT": str(asset),
        "AWS_LAMBDA_FUNCTION_NAME": "oneway-bench",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "oneway",
        "ONEWAY_MEDIA": "aws",
        "ONEWAY_STAGE": "bench",
    }


def _python(env: dict[str, str]) -> list[str]:
    # -S: no site-packages of the venv when a Lambda-like folder is on PYTHONPATH.
    return [sys.executable, "-S"] if env.get("ONEWAY_BENCH_SITE") else [sys.executable]


def import_seconds(module: str, env: dict[str, str]) -> float:
    out = subprocess.run([*_python(env), "-c", _PROBE, module], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def first_request_seconds(handler: str | None, env: dict[str, str]) -> float:
    """A fresh interpreter's first request: a handler's (``handler``), or the minimal one's (None)."""
    code, args = (_MINIMAL_REQUEST, []) if handler is None else (_FIRST_REQUEST, [handler])
    out = subprocess.run([*_python(env), "-c", code, *args], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"first request of {handler or 'the minimal handler'} failed: {out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def breakdown(module: str, env: dict[str, str], top: int = 5) -> list[tuple[str, float]]:
    """Where the import's time goes: ``-X importtime``'s own time of each module, summed by
    top-level package (ms), largest first."""
    err = subprocess.run([*_python(env), "-X", "importtime", "-c", f"import {module}"], env=env, capture_output=True, text=True, check=True).stderr
    by_package: dict[str, float] = {}
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line.split(":", 1)[1].split("|")
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + int(own) / 1000
    return sorted(by_package.items(), key=lambda kv: -kv[1])[:top]


def package_rows(asset: Path) -> list[Row]:
    code_unzipped, code_zipped = folder_size(asset), zipped_size(asset)
    layers = sorted((ROOT / "build" / "layer").glob("deps-*.zip"))
    details: dict[str, int | str] = {"code_bytes": code_unzipped, "code_zip_bytes": code_zipped}
    note = "the functions/ asset as CDK packages it (no oneway/local; bytecode for the runtime)"
    total = code_unzipped
    if layers:
        layer = layers[-1]
        with zipfile.ZipFile(layer) as zf:
            layer_unzipped = sum(i.file_size for i in zf.infolist())
        details |= {"layer": layer.name, "layer_bytes": layer_unzipped, "layer_zip_bytes": layer.stat().st_size}
        total += layer_unzipped
        note += f"; layer {layer.name}: {layer.stat().st_size / 1e6:.1f} MB zipped, {layer_unzipped / 1e6:.1f} MB unzipped"
        shown = f"{total / 1e6:.1f} MB unzipped ({(code_zipped + layer.stat().st_size) / 1e6:.1f} MB zipped)"
    else:
        note += "; the dependency layer is not built here (make synth builds it under build/layer/), so only the code is counted"
        shown = f"{total / 1e6:.2f} MB unzipped ({code_zipped / 1e6:.2f} MB zipped), layer not built"
    return [
        Row(
            figure="Deployment package: code asset + dependency layer",
            value=round(total / 1e6, 2),
            unit="MB",
            shown=shown,
            baseline_label="Lambda's limit, unzipped",
            baseline=LAMBDA_LIMIT_MB,
            baseline_shown=f"{LAMBDA_LIMIT_MB} MB",
            goal=Goal(of="value", op="<=", target=LAMBDA_LIMIT_MB, unit="MB"),
            note=note,
            details=details,
        )
    ]


def run(runs: int = RUNS) -> list[Row]:
    asset = package_asset()
    site, site_text = lambda_site()
    env = lambda_env(asset, site)
    if site:
        env["ONEWAY_BENCH_SITE"] = str(site)
    with local_dynamodb() as endpoint:
        request_env = {**env, **endpoint}
        rows = first_request_rows(request_env, runs, site_text)
    return rows + import_rows(env, runs) + package_rows(asset)


@contextmanager
def local_dynamodb() -> Iterator[dict[str, str]]:
    """A moto server in a process of its own with Oneway's table; the variables that point a function at it."""
    from oneway.adapters.dynamo import TABLE_DEFINITION

    from .harness import MotoProcess, free_port

    port = free_port()
    server = MotoProcess("127.0.0.1", port)
    server.start()
    try:
        endpoint = {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "ONEWAY_TABLE_NAME": "oneway-bench",
        }
        import boto3

        ddb = boto3.client("dynamodb", endpoint_url=endpoint["AWS_ENDPOINT_URL"], region_name="us-east-1",
                           aws_access_key_id="bench", aws_secret_access_key="bench")
        ddb.create_table(TableName=endpoint["ONEWAY_TABLE_NAME"], **TABLE_DEFINITION)
        yield endpoint
    finally:
        server.stop()


def first_request_rows(env: dict[str, str], runs: int, site_text: str) -> list[Row]:
    subjects: list[str | None] = [None, *HANDLERS]
    for handler in subjects:  # warm-up: the disk cache, and moto's first answer
        first_request_seconds(handler, env)
    samples: dict[str | None, list[float]] = {h: [] for h in subjects}
    for _ in range(runs):
        for handler in subjects:
            samples[handler].append(first_request_seconds(handler, env))
    base = median(samples[None]) * 1000
    rows = []
    for h in HANDLERS:
        rows.append(
            Row(
                figure=f"Cold start: {h}, import + clients + first DynamoDB call",
                value=round(median(samples[h]) * 1000, 1),
                baseline=round(base, 1),
                unit="ms",
                baseline_label="import boto3, one client, the same GetItem",
                goal=GOAL,
                note=("a fresh interpreter each time, taking turns with the baseline; moto in its own process answers the GetItem"
                      + (f"; packages from {site_text}" if h == HANDLERS[0] else "")),
                details={"samples_ms": [round(x * 1000, 1) for x in samples[h]],
                         "baseline_samples_ms": [round(x * 1000, 1) for x in samples[None]]},
            )
        )
    return rows


def import_rows(env: dict[str, str], runs: int) -> list[Row]:
    subjects = {"boto3": "boto3", **{h: f"oneway.handlers.{h}" for h in HANDLERS}}
    for module in subjects.values():
        import_seconds(module, env)
    samples: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(runs):
        for name, module in subjects.items():
            samples[name].append(import_seconds(module, env))
    base = median(samples["boto3"]) * 1000
    rows = []
    for h in HANDLERS:
        slowest = breakdown(f"oneway.handlers.{h}", env)
        rows.append(
            Row(
                figure=f"Cold start: import oneway.handlers.{h}",
                value=round(median(samples[h]) * 1000, 1),
                baseline=round(base, 1),
                unit="ms",
                baseline_label="import boto3",
                goal=IMPORT_GOAL,
                note="by package: " + ", ".join(f"{n} {ms:.0f} ms" for n, ms in slowest),
                details={"samples_ms": [round(s * 1000, 1) for s in samples[h]], "baseline_samples_ms": [round(s * 1000, 1) for s in samples["boto3"]]},
            )
        )
    return rows


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
