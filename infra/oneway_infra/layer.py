"""The dependency layer: the functions' runtime requirements, built for Lambda without Docker.

pip downloads the manylinux aarch64 wheels for the CPython of pyproject's
``requires-python`` (``constants.PYTHON_VERSION``) into
``build/layer/<hash>/python`` and the result is zipped once; the zip is the
layer asset. The hash covers the requirement list and the build recipe, so
repeated synths (tests, ``make synth``) reuse the zip and never call pip.

The requirements come from ``[project].dependencies`` in pyproject.toml: one
list for the local venv and the layer.
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
from pathlib import Path

from aws_cdk import RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from .constants import ARCHITECTURE, BUILD_DIR, PIP_PLATFORM, PYPROJECT, PYTHON_VERSION, RUNTIME

# Bump when the recipe below changes, so cached zips are rebuilt.
RECIPE_VERSION = 4

# The layer ships boto3 and botocore themselves (pinned in pyproject, the versions the tests ran
# with): /opt/python comes before the runtime's own copy on sys.path, so production calls AWS with
# the service models and parameter rules that were tested, not whatever the runtime bundles.
# Only what no import needs is left out.
LEFT_OUT = ("bin", "__pycache__")

# A zip entry date that is valid in every tool (zip cannot store dates before 1980).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def runtime_requirements(pyproject: Path = PYPROJECT) -> list[str]:
    with pyproject.open("rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    if not deps:
        raise ValueError(f"{pyproject}: [project].dependencies is empty")
    return [str(d) for d in deps]


def layer_key(requirements: list[str]) -> str:
    recipe = {
        "requirements": sorted(requirements),
        "platform": PIP_PLATFORM,
        "python": PYTHON_VERSION,
        "pruned": LEFT_OUT,
        "recipe": RECIPE_VERSION,
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


def compile_bytecode(folder: Path, version: str, what: str) -> None:
    """Write .pyc files the runtime can use, with a CPython of its ``version``. /opt and /var/task
    are read-only on Lambda: the bytecode is never re-validated against source timestamps, so
    cold starts do not recompile. Without such a Python, ``what`` ships without bytecode."""
    same = f"{sys.version_info.major}.{sys.version_info.minor}" == version
    python = sys.executable if same else shutil.which(f"python{version}")
    if not python:
        print(f"oneway: no python{version} found; {what} ships without .pyc files", file=sys.stderr)
        return
    subprocess.run([python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(folder)], check=True)


def _prune(target: Path) -> None:
    for entry in list(target.iterdir()):
        if entry.name in LEFT_OUT:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _zip(src: Path, dest: Path) -> None:
    """Zip ``src`` (the folder holding ``python/``) with stable order and dates."""
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(src.rglob("*")):
            if path.is_dir():
                continue
            info = zipfile.ZipInfo(path.relative_to(src).as_posix(), date_time=_ZIP_EPOCH)
            mode = 0o755 if os.access(path, os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def build_layer_zip(requirements: list[str] | None = None, cache_dir: Path | None = None) -> Path:
    """Return the layer zip for ``requirements``, building it with pip if it is not cached."""
    requirements = requirements or runtime_requirements()
    cache_dir = cache_dir or BUILD_DIR / "layer"
    key = layer_key(requirements)
    zip_path = cache_dir / f"deps-{key}.zip"
    if zip_path.exists():
        return zip_path

    cache_dir.mkdir(parents=True, exist_ok=True)
    print(f"oneway: building the dependency layer {zip_path.name} with pip ...", file=sys.stderr)
    # Build beside the cache, then rename: two synths at once never see half a zip.
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".build-") as tmp:
        root = Path(tmp) / "layer"
        target = root / "python"
        subprocess.run(
            [
                sys.executable, "-m", "pip", "install",
                "--quiet", "--disable-pip-version-check", "--no-input",
                "--platform", PIP_PLATFORM,
                "--implementation", "cp",
                "--python-version", PYTHON_VERSION,
                "--only-binary=:all:",
                # pip would write .pyc with timestamps checked against the source
                # mtime, which zip rounds to 2 s: compile below instead.
                "--no-compile",
                "--target", str(target),
                *requirements,
            ],
            check=True,
        )
        _prune(target)
        compile_bytecode(target, PYTHON_VERSION, "the layer")
        (target / "oneway-layer.json").write_text(json.dumps({"key": key, "requirements": requirements}, indent=2))
        partial = cache_dir / f".deps-{key}.zip.{os.getpid()}"
        _zip(root, partial)
        os.replace(partial, zip_path)
    for stale in cache_dir.glob("deps-*.zip"):
        if stale != zip_path:
            stale.unlink(missing_ok=True)
    return zip_path


class DependencyLayer(Construct):
    """A LayerVersion with the pip-built runtime dependencies."""

    def __init__(self, scope: Construct, construct_id: str, *, zip_path: Path | None = None) -> None:
        super().__init__(scope, construct_id)
        requirements = runtime_requirements()
        zip_path = zip_path or build_layer_zip(requirements)
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=lambda_.Code.from_asset(str(zip_path)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="Oneway runtime dependencies: " + ", ".join(requirements),
            removal_policy=RemovalPolicy.RETAIN,
        )
