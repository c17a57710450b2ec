"""The pip-built dependency layer: requirements from pyproject, aarch64 wheels, cached."""

from __future__ import annotations

import re
import tomllib
import zipfile

from oneway_infra import layer
from oneway_infra.constants import PYTHON_VERSION
from tests.infra.infra_support import REPO_ROOT, logical_id, props

CPYTHON = "cpython-" + PYTHON_VERSION.replace(".", "")  # cpython-313


def test_requirements_come_from_pyproject():
    with (REPO_ROOT / "pyproject.toml").open("rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    assert layer.runtime_requirements() == deps


def test_cache_key_depends_on_requirements_only_as_a_set():
    reqs = layer.runtime_requirements()
    assert layer.layer_key(reqs) == layer.layer_key(list(reversed(reqs)))
    assert layer.layer_key(reqs) != layer.layer_key([*reqs, "extra==1.0"])


def test_prune_keeps_the_sdk_and_drops_scripts(tmp_path):
    for name in ("botocore", "boto3", "pydantic", "bin", "__pycache__", "botocore-1.0.dist-info"):
        (tmp_path / name).mkdir()
    (tmp_path / "six.py").write_text("")
    layer._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boto3", "botocore", "botocore-1.0.dist-info", "pydantic", "six.py"]


def test_the_layer_pins_the_sdk_the_tests_run_with():
    """boto3 is a runtime requirement (so the layer ships it), pinned to the version in this venv."""
    import boto3

    pins = dict(r.split("==", 1) for r in layer.runtime_requirements() if "==" in r)
    assert pins["boto3"] == boto3.__version__


def test_layer_zip_holds_aarch64_wheels_and_bytecode_for_the_lambda_python(stack):
    """The stack was built: its layer zip is in the cache (built at most once per requirement list)."""
    path = layer.build_layer_zip()  # cached: returns at once
    assert path.parent == REPO_ROOT / "build" / "layer"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        pyc = next(n for n in names if n.endswith(f"pydantic/__pycache__/main.{CPYTHON}.pyc"))
        # Hash-based, unchecked bytecode (flags == 1): valid whatever the zip did to mtimes.
        assert int.from_bytes(zf.read(pyc)[4:8], "little") == 1
    assert all(n.startswith("python/") for n in names)
    tops = {n.split("/")[1] for n in names}
    assert {"aws_lambda_powertools", "pydantic", "pydantic_core", "aws_xray_sdk"} <= tops
    assert {"botocore", "boto3", "s3transfer"} <= tops
    # The botocore the tests ran with, not the runtime's.
    import botocore

    init = zf_text(path, "python/botocore/__init__.py")
    version = re.search(r"__version__ = '([^']+)'", init)
    assert version and version[1] == botocore.__version__
    assert any(n.endswith(f"{CPYTHON}-aarch64-linux-gnu.so") for n in names if n.startswith("python/pydantic_core/"))
    assert any(n.endswith(f".{CPYTHON}.pyc") for n in names)


def test_layer_version_is_for_the_lambda_python_on_arm64(resources, stack):
    p = props(resources[logical_id(stack, stack.layer)])
    assert p["CompatibleRuntimes"] == [f"python{PYTHON_VERSION}"]
    assert p["CompatibleArchitectures"] == ["arm64"]


def zf_text(path, name: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode()
