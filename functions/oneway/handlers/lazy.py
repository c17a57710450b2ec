"""Use-case modules imported on first use, so a cold start loads only what its first request needs."""

from __future__ import annotations

from importlib import import_module
from typing import Any


class LazyModule:
    """Stands for the module ``name`` and imports it when one of its attributes is first read.

    The import goes through Python's import system (thread-safe, once per process); later reads
    cost one dictionary lookup more than a plain module attribute.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy(name: str) -> Any:
    return LazyModule(name)
