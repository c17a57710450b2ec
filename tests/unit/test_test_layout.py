"""pytest imports test files by basename (rootdir-relative 'prepend' mode): two suites may not share one."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_test_file_names_are_unique_across_suites():
    names = Counter(p.name for p in TESTS.rglob("test_*.py") if not (p.parent / "__init__.py").exists())
    assert [n for n, k in names.items() if k > 1] == []
