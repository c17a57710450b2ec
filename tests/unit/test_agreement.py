"""Krippendorff's alpha against the worked examples in Krippendorff (2011),
"Computing Krippendorff's Alpha-Reliability" (Departmental Papers, Annenberg School)."""

from __future__ import annotations

import pytest

from oneway.service.agreement import alpha

# Section C: four observers, twelve units, missing values (None).
A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]


def units(*raters):
    return [[v for v in unit if v is not None] for unit in zip(*raters, strict=False)]


@pytest.mark.parametrize(("metric", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_four_observers_with_missing_values(metric, expected):
    assert alpha(units(A, B, C, D), metric) == pytest.approx(expected, abs=0.0005)


def test_two_observers_binary_data():
    # Section A: two observers, ten units, binary values: alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert alpha(units(a, b), "nominal") == pytest.approx(0.095, abs=0.0005)


def test_perfect_agreement_is_one_and_units_rated_once_drop_out():
    assert alpha([[1, 1], [3, 3, 3], [5, 5], [2]], "interval") == 1.0


def test_undefined_without_pairable_values_or_variation():
    assert alpha([[1], [2]]) is None
    assert alpha([[4, 4], [4, 4]]) is None


def test_systematic_disagreement_is_below_zero():
    value = alpha([[1, 5], [5, 1], [1, 5]], "interval")
    assert value is not None and value < 0
