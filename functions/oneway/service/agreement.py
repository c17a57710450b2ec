"""Reviewer agreement: Krippendorff's alpha over the candidates reviewers share.

alpha = 1 - D_o / D_e, from the coincidence matrix of the pairable values
(Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011). Units with
fewer than two values are not pairable and drop out; any number of reviewers,
with missing values. Metrics: nominal, ordinal (rank distances weighted by the
marginal frequencies) and interval (squared difference).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Literal

Metric = Literal["nominal", "ordinal", "interval"]


def alpha(units: Iterable[Iterable[float]], metric: Metric = "interval") -> float | None:
    """Alpha for ``units``, each the values the raters gave one unit (missing ones left out).
    None when nothing is pairable or every value is the same (alpha is undefined)."""
    coincidence: dict[tuple[float, float], float] = defaultdict(float)
    for unit in units:
        values = list(unit)
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidence[(c, k)] += 1 / (m - 1)
    n_c: dict[float, float] = defaultdict(float)
    for (c, _), w in coincidence.items():
        n_c[c] += w
    n = sum(n_c.values())
    if n <= 1 or len(n_c) < 2:
        return None
    delta = _metric(metric, n_c)
    observed = sum(w * delta(c, k) for (c, k), w in coincidence.items())
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in n_c for k in n_c) / (n - 1)
    return 1 - observed / expected


def _metric(metric: Metric, n_c: Mapping[float, float]) -> Callable[[float, float], float]:
    if metric == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if metric == "interval":
        return lambda c, k: float(c - k) ** 2
    if metric == "ordinal":
        ranks = sorted(n_c)
        pos = {v: i for i, v in enumerate(ranks)}

        def ordinal(c: float, k: float) -> float:
            lo, hi = sorted((pos[c], pos[k]))
            between = sum(n_c[ranks[g]] for g in range(lo, hi + 1))
            return (between - (n_c[c] + n_c[k]) / 2) ** 2

        return ordinal
    raise ValueError(f"unknown metric {metric}")


def by_rater(ratings: Mapping[Hashable, Mapping[Hashable, float]]) -> list[list[float]]:
    """{unit: {rater: value}} -> the units' value lists (the shape ``alpha`` takes)."""
    return [list(values.values()) for values in ratings.values()]
