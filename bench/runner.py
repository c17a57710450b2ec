"""Runs the figures, each in its own Python process, and writes bench/results/latest.{md,json}.

A figure module has ``run() -> list[Row]`` and ends with ``figure_main(run)``,
so it can also run alone: ``python -m bench.cold_start``. A figure that
breaks becomes an ``error`` row; the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from .report import RESULTS, Row, machine, markdown, now_text, write

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
README_START, README_END = "<!-- bench:table -->", "<!-- /bench:table -->"

# (module, title, time limit in seconds); the order of the table.
FIGURES = [
    ("cold_start", "Cold start", 1200),
    ("api_latency", "Warm API latency", 300),
    ("scale", "Scale", 600),
    ("pipeline", "Local pipeline", 900),
    ("upload", "Upload", 300),
    ("live_upload", "Upload while recording", 1200),
    ("cost", "Cost", 60),
    ("review", "Review", 600),
    ("review_keys", "Review by keyboard", 900),
    ("mass_hiring", "Mass-hiring day", 600),
]


def figure_main(run: Callable[[], list[Row]]) -> None:
    """Entry point of one figure: ``python -m bench.<figure> [--out rows.json]``."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, help="write the rows here as JSON (else print the table)")
    args = ap.parse_args()
    rows = [r.settle() for r in run()]
    if args.out:
        args.out.write_text(json.dumps([r.model_dump(mode="json") for r in rows]))
    else:
        print(markdown(rows, {"finished": now_text(), "seconds": 0, "machine": machine()}))


def run_figure(module: str, title: str, limit: float) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix=f"oneway-bench-{module}-") as tmp:
        out = Path(tmp) / "rows.json"
        log = Path(tmp) / "log.txt"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)])}
        started = time.monotonic()
        try:
            with log.open("wb") as sink:
                # A session of its own: a figure that overruns is ended with what it started (moto, a stack).
                proc = subprocess.Popen(
                    [sys.executable, "-m", f"bench.{module}", "--out", str(out)],
                    cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
                )
                try:
                    proc.wait(timeout=limit)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    raise
            failed = proc.returncode != 0 or not out.exists()
            why = f"exit {proc.returncode}"
        except subprocess.TimeoutExpired:
            failed, why = True, f"took longer than {limit:.0f} s"
        tail = log.read_text(errors="replace")[-4000:]
        print(f"bench: {title}: {'failed (' + why + ')' if failed else 'done'} in {time.monotonic() - started:.0f} s", flush=True)
        if failed:
            print(tail, file=sys.stderr)
            last = next((line for line in reversed(tail.strip().splitlines()) if line.strip()), why)
            return [Row(figure=title, outcome="error", note=f"the benchmark failed ({why}): {last[:300]}")]
        return [Row.model_validate(r) for r in json.loads(out.read_text())]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description="Oneway's benchmarks, each beside its baseline.")
    ap.add_argument("figures", nargs="*", help=f"some of: {', '.join(m for m, _, _ in FIGURES)} (default: all)")
    ap.add_argument("--results", type=Path, default=RESULTS, help="where latest.md and latest.json go")
    args = ap.parse_args(argv)
    chosen = [f for f in FIGURES if not args.figures or f[0] in args.figures]
    unknown = set(args.figures) - {m for m, _, _ in FIGURES}
    if unknown:
        ap.error(f"unknown figures: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    rows: list[Row] = []
    for module, title, limit in chosen:
        try:
            rows += run_figure(module, title, limit)
        except Exception:  # the harness itself: report and go on
            traceback.print_exc()
            rows.append(Row(figure=title, outcome="error", note="the harness failed; see the output of make bench"))
    meta = {"finished": now_text(), "seconds": round(time.monotonic() - started, 1), "machine": machine()}
    md, js = write(rows, meta, args.results)
    print(md.read_text())
    print(f"bench: wrote {md.relative_to(ROOT) if md.is_relative_to(ROOT) else md} and {js.name}")
    if len(chosen) == len(FIGURES) and args.results == RESULTS and into_readme(md.read_text()):
        print("bench: copied the table into README.md")
    return 0


def into_readme(table: str, readme: Path = README) -> bool:
    """Put the table (without its title) between the README's bench markers; False without them."""
    text = readme.read_text()
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    body = table.split("\n", 2)[2].strip()  # drop the "# Oneway benchmarks" title
    readme.write_text(text[: start + len(README_START)] + "\n" + body + "\n" + text[end:])
    return True
