"""The benchmark table: ratios and outcomes come from the numbers, never by hand."""

from __future__ import annotations

import json

from bench.report import Goal, Row, markdown, write

META = {"finished": "2026-11-25 12:00 UTC", "seconds": 12.0, "machine": {"python": "3.11", "cpus": 2, "load_average_at_end": [1.0, 1.0, 1.0]}}


def test_a_ratio_goal_passes_or_fails_on_the_measured_ratio():
    fast = Row(figure="x", value=150, baseline=100, unit="ms", goal=Goal(of="ratio", target=1.6)).settle()
    slow = Row(figure="x", value=170, baseline=100, unit="ms", goal=Goal(of="ratio", target=1.6)).settle()
    assert (fast.ratio, fast.outcome) == (1.5, "pass")
    assert (slow.ratio, slow.outcome) == (1.7, "FAIL")


def test_an_at_least_goal_and_a_value_goal():
    assert Row(figure="x", value=90, baseline=100, goal=Goal(of="ratio", op=">=", target=0.8)).settle().outcome == "pass"
    assert Row(figure="x", value=70, baseline=100, goal=Goal(of="ratio", op=">=", target=0.8)).settle().outcome == "FAIL"
    assert Row(figure="x", value=1.2, unit="s", goal=Goal(of="value", target=1.0, unit="s")).settle().outcome == "FAIL"


def test_same_compares_the_details_at_both_sizes():
    same = Row(figure="x", goal=Goal(of="same"), details={"oneway": {"requests": 3}, "baseline": {"requests": 3}}).settle()
    other = Row(figure="x", goal=Goal(of="same"), details={"oneway": {"requests": 4}, "baseline": {"requests": 3}}).settle()
    assert (same.outcome, other.outcome) == ("pass", "FAIL")


def test_missing_and_unmeasured_figures_say_so():
    missing = Row(figure="Cost", outcome="missing", goal=Goal(of="value", target=0.05, unit="$")).settle()
    reported = Row(figure="Peak memory", value=300, baseline=200, unit="MB").settle()
    assert missing.outcome == "missing" and missing.value is None
    assert (reported.outcome, reported.ratio) == ("reported", 1.5)


def test_the_table_and_the_json(tmp_path):
    rows = [
        Row(figure="Cold start", value=200, baseline=150, unit="ms", baseline_label="import boto3", goal=Goal(of="ratio", target=1.6), note="why").settle(),
        Row(figure="Cost", outcome="missing", note="no model"),
    ]
    text = markdown(rows, META)
    assert "| figure | Oneway | baseline | ratio | goal | result |" in text
    assert "| Cold start | 200 ms | 150 ms (import boto3) | 1.33x | ≤ 1.6x | pass |" in text
    assert "| Cost | — | — | — | — | missing |" in text
    assert "- **Cold start**: why" in text
    md, js = write(rows, META, tmp_path)
    assert md.read_text() == text
    saved = json.loads(js.read_text())
    assert [r["outcome"] for r in saved["rows"]] == ["pass", "missing"] and saved["seconds"] == 12.0


def test_a_full_run_copies_its_table_into_the_readme(tmp_path):
    from bench.runner import into_readme

    readme = tmp_path / "README.md"
    readme.write_text("# Oneway\n\n## Benchmarks\n\n<!-- bench:table -->\nold table\n<!-- /bench:table -->\n\nAfter.\n")
    table = markdown([Row(figure="Cost", value=0.04, unit="$", goal=Goal(of="value", target=0.05, unit="$")).settle()], META)
    assert into_readme(table, readme)
    text = readme.read_text()
    assert "old table" not in text and "| Cost | $0.0400 |" in text and text.endswith("<!-- /bench:table -->\n\nAfter.\n")
    assert "# Oneway benchmarks" not in text
    plain = tmp_path / "OTHER.md"
    plain.write_text("no markers")
    assert not into_readme(table, plain)
