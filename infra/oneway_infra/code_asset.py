"""The functions' code asset: ``functions/`` as deployed, with its bytecode.

Lambda's ``/var/task`` is read-only, so Python cannot keep the bytecode it
compiles there: without ``.pyc`` files in the asset, every cold start compiles
each Oneway module it imports. The asset is staged under
``build/code/<hash>/`` (the hash covers every file shipped, the Python version
and this recipe), the sources with ``.pyc`` files written by a CPython of the
runtime's version as unchecked-hash bytecode, like the layer's (``layer.py``).

Nothing here imports the CDK, so the cold-start benchmark imports the very
folder that is deployed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from .layer import compile_bytecode

REPO_ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS_DIR = REPO_ROOT / "functions"
BUILD_DIR = REPO_ROOT / "build" / "code"

# Bump when the recipe below changes, so staged folders are rebuilt.
RECIPE_VERSION = 1

# What the code asset leaves out: the local stack and the admin CLI (never deployed), caches,
# tests and packaging metadata.
CODE_EXCLUDES = [
    "oneway/local",
    "oneway/local/**",
    "oneway/cli",
    "oneway/cli/**",
    "**/__pycache__",
    "**/__pycache__/**",
    "**/*.pyc",
    "tests",
    "tests/**",
    "**/tests/**",
    "**/test_*.py",
    "*.egg-info",
    "*.egg-info/**",
    "**/.pytest_cache/**",
]


def excluded(rel: str, patterns: list[str] = CODE_EXCLUDES) -> bool:
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(rel, pat) for pat in patterns for p in prefixes)


def shipped_files(root: Path = FUNCTIONS_DIR) -> list[Path]:
    return [p for p in sorted(root.rglob("*")) if p.is_file() and not excluded(p.relative_to(root).as_posix())]


def stage_code(python_version: str, build_dir: Path = BUILD_DIR, root: Path = FUNCTIONS_DIR) -> Path:
    """The staged asset folder for the current sources (built once per content and Python version)."""
    files = shipped_files(root)
    digest = hashlib.sha256(
        json.dumps(
            [RECIPE_VERSION, python_version, [(p.relative_to(root).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest()) for p in files]]
        ).encode()
    ).hexdigest()[:16]
    dest = build_dir / digest
    if dest.is_dir():
        return dest
    build_dir.mkdir(parents=True, exist_ok=True)
    # Build beside the result, then rename: two synths at once never see half a folder.
    tmp = Path(tempfile.mkdtemp(dir=build_dir, prefix=".build-"))
    try:
        for path in files:
            target = tmp / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        compile_bytecode(tmp, python_version, "the code asset")
        try:
            os.replace(tmp, dest)
        except OSError:
            if not dest.is_dir():  # not another build's finished folder: a real failure
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # Older folders go after an hour (a synth or benchmark running at the same time may still read one).
    for stale in build_dir.iterdir():
        if stale.is_dir() and stale != dest and time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    return dest
