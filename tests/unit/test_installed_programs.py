"""Every program the tests, the local stack and the benchmarks start is installed by `make`.

A new machine has Debian's base, Python and Node only: a program started by code here
(``subprocess.run(["sox", ...])``, ``shutil.which("chromium")``) must come from the venv or
from `make system`'s list, or `make test` fails there while passing on a machine where it
was once installed by hand.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("tests", "functions", "bench")
# On every machine that can run `make` at all (Debian's base, Python and Node).
ALWAYS_THERE = {"make", "git", "bash", "sh", "env", "node", "npm", "npx", "true", "false"}
STARTERS = {"run", "Popen", "check_call", "check_output", "call"}


def started_programs() -> dict[str, str]:
    """{program: where} for each literal program name code starts or looks up."""
    found: dict[str, str] = {}
    for root in SOURCES:
        for path in (ROOT / root).rglob("*.py"):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                first = node.args[0]
                if name in STARTERS and isinstance(first, (ast.List, ast.Tuple)) and first.elts:
                    first = first.elts[0]
                elif name != "which":
                    continue
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    program = first.value.rsplit("/", 1)[-1]
                    found.setdefault(program, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def make_variable(name: str) -> list[str]:
    out = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "--eval", f"print-var:\n\t@echo $({name})", "print-var"],
        capture_output=True, text=True, check=True,
    ).stdout
    return out.split()


def test_the_scan_finds_what_the_tests_start():
    programs = started_programs()
    assert {"espeak-ng", "chromium"} <= set(programs)


def test_every_started_program_is_installed_by_make():
    system = {entry.split(":", 1)[0] for entry in make_variable("SYSTEM_PROGRAMS")}
    missing = {
        program: where
        for program, where in started_programs().items()
        if not program.startswith("python")
        and program not in ALWAYS_THERE
        and program not in system
        and not (ROOT / ".venv" / "bin" / program).exists()
    }
    assert not missing, f"started but installed by neither `make system` nor the venv: {missing}"


def test_each_system_program_has_its_package_installed():
    packages = set(make_variable("SYSTEM_PACKAGES"))
    for entry in make_variable("SYSTEM_PROGRAMS"):
        program, package = entry.split(":", 1)
        assert package in packages, (program, package)
