"""One Python version: pyproject's requires-python drives the runtime, the layer and the venv."""

from __future__ import annotations

import re
import sys
import tomllib

import pytest

from oneway_infra import constants
from tests.infra.infra_support import REPO_ROOT, logical_id, of_type, props


def _requires_python() -> str:
    with (REPO_ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["requires-python"]


def test_the_version_is_read_from_pyproject():
    found = re.match(r">=\s*(3\.\d+)", _requires_python())
    assert found, _requires_python()
    low = found[1]
    assert low == constants.PYTHON_VERSION
    assert constants.RUNTIME.name == f"python{low}"


@pytest.mark.parametrize("spec", [">=3.13", ">=3.13,<3.15", "==3.13.*", "~=3.13"])
def test_anything_but_one_minor_version_is_refused(tmp_path, spec):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[project]\nname = "x"\nrequires-python = "{spec}"\n')
    with pytest.raises(ValueError, match="one minor version"):
        constants.python_version(pyproject)


def test_every_function_and_the_layer_use_it(resources, stack):
    runtime = f"python{constants.PYTHON_VERSION}"
    oneway = [props(f) for f in of_type(resources, "AWS::Lambda::Function").values() if props(f)["Handler"].startswith("oneway.")]
    assert oneway and {f["Runtime"] for f in oneway} == {runtime}
    assert props(resources[logical_id(stack, stack.layer)])["CompatibleRuntimes"] == [runtime]


def test_the_makefile_and_this_venv_use_it():
    """`make` creates the venv with this version; the tests run in that venv."""
    import subprocess

    out = subprocess.run(["make", "-s", "-C", str(REPO_ROOT), "--eval", "print-python:\n\t@echo $(PYTHON_VERSION)", "print-python"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == constants.PYTHON_VERSION
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == constants.PYTHON_VERSION
