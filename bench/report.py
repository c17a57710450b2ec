"""One row per measured figure, its goal, and the table and JSON that `make bench` writes."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

RESULTS = Path(__file__).resolve().parent / "results"

Outcome = Literal["pass", "FAIL", "reported", "missing", "error"]


class Goal(BaseModel):
    """``ratio <= 1.6``, ``value <= 1.0``, ``ratio >= 0.8``, or ``value == baseline`` (``same``)."""

    of: Literal["ratio", "value", "same"]
    op: Literal["<=", ">="] = "<="
    target: float = 0.0
    unit: str = ""

    def text(self) -> str:
        if self.of == "same":
            return "= baseline"
        sign = "≤" if self.op == "<=" else "≥"
        if self.of == "ratio":
            return f"{sign} {self.target:g}x"
        if self.unit == "$":
            return f"{sign} ${self.target:.2f}"
        return f"{sign} {self.target:g} {self.unit}".rstrip()

    def met(self, row: Row) -> bool | None:
        if self.of == "same":
            return row.details.get("oneway") == row.details.get("baseline") if "oneway" in row.details else row.value == row.baseline
        number = row.ratio if self.of == "ratio" else row.value
        if number is None:
            return None
        return number <= self.target if self.op == "<=" else number >= self.target


class Row(BaseModel):
    figure: str
    value: float | None = None
    baseline: float | None = None
    unit: str = ""
    baseline_label: str = ""
    goal: Goal | None = None
    shown: str | None = None  # how to print the value when a number alone says too little
    baseline_shown: str | None = None
    ratio: float | None = None
    outcome: Outcome = "reported"
    note: str = ""
    details: dict[str, Any] = Field(default_factory=dict)

    def settle(self) -> Row:
        """Compute the ratio and the outcome from the numbers (never set by hand, except missing/error)."""
        if self.outcome in ("missing", "error"):
            return self
        if self.value is not None and self.baseline:
            self.ratio = round(self.value / self.baseline, 3)
        if self.goal is None:
            self.outcome = "reported"
        else:
            met = self.goal.met(self)
            self.outcome = "reported" if met is None else ("pass" if met else "FAIL")
        return self


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "$":
        return f"${value:.4f}"
    if unit in ("s",):
        return f"{value:.2f} s"
    if unit in ("ms",):
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "MB/s":
        return f"{value:.0f} MB/s"
    return f"{value:g} {unit}".rstrip()


# --- measuring ---------------------------------------------------------------------------


def median(samples: Iterable[float]) -> float:
    return statistics.median(list(samples))


def timed(action: Callable[[], Any]) -> float:
    """Seconds that ``action`` takes (wall clock)."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# --- output ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import os

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "system": f"{platform.system()} {platform.machine()}",
        "load_average_at_end": [round(x, 2) for x in load],
    }


def markdown(rows: list[Row], meta: dict[str, Any]) -> str:
    lines = [
        "# Oneway benchmarks",
        "",
        (f"Run {meta['finished']} with `make bench` ({meta['seconds']:.0f} s; Python {meta['machine']['python']}, "
        f"{meta['machine']['cpus']} CPUs, load average {meta['machine']['load_average_at_end'][0]} at the end). "
        "Each figure ran beside its baseline in the same run; times are medians."),
        "",
        "| figure | Oneway | baseline | ratio | goal | result |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = r.baseline_shown or fmt(r.baseline, r.unit)
        if r.baseline_label and (r.baseline is not None or r.baseline_shown):
            base = f"{base} ({r.baseline_label})"
        elif r.baseline_label:
            base = r.baseline_label
        value = r.shown or fmt(r.value, r.unit)
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "—"
        goal = r.goal.text() if r.goal else "—"
        result = {"pass": "pass", "FAIL": "**FAIL**", "reported": "—", "missing": "missing", "error": "**error**"}[r.outcome]
        lines.append(f"| {r.figure} | {value} | {base} | {ratio} | {goal} | {result} |")
    notes = [(r.figure, r.note) for r in rows if r.note]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- **{figure}**: {note}" for figure, note in notes]
    return "\n".join(lines) + "\n"


def write(rows: list[Row], meta: dict[str, Any], out_dir: Path = RESULTS) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js = out_dir / "latest.md", out_dir / "latest.json"
    md.write_text(markdown(rows, meta))
    js.write_text(json.dumps({**meta, "rows": [r.model_dump(mode="json") for r in rows]}, indent=2) + "\n")
    return md, js


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
