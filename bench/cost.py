"""Figure 6, cost: what an answered minute and a 10-minute interview cost on AWS, from the cost model.

The model is ``infra/oneway_infra/cost/`` (``estimate(answered_minutes)``),
which reads Oneway's real settings (MediaConvert job, Transcribe request,
recorder bitrates, retention, Lambda sizes) and AWS list prices. The
baseline is what the two media services alone charge for the same minutes
(MediaConvert and Transcribe): everything else Oneway runs is the ratio
above 1. If the model is not there, the figure says "missing" instead of a
number.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .report import Goal, Row

ROOT = Path(__file__).resolve().parents[1]
PER_MINUTE_GOAL = 0.05
MEDIA_SERVICES = ("MediaConvert", "Transcribe")


def run() -> list[Row]:
    sys.path.insert(0, str(ROOT / "infra"))
    try:
        from oneway_infra.cost import estimate
    except ImportError as error:
        why = f"the cost model (infra/oneway_infra/cost/, estimate()) is not there yet: {error}"
        return [
            Row(figure="Cost: per answered minute", outcome="missing", goal=Goal(of="value", target=PER_MINUTE_GOAL, unit="$"), note=why),
            Row(figure="Cost: per 10-minute interview", outcome="missing", note=why),
        ]
    rows = []
    for minutes, label, goal in (
        (1.0, "Cost: per answered minute", PER_MINUTE_GOAL),
        (10.0, "Cost: per 10-minute interview (10 answered minutes)", 10 * PER_MINUTE_GOAL),
    ):
        e = estimate(answered_minutes=minutes)
        media = sum(e.by_service.get(s, 0.0) for s in MEDIA_SERVICES)
        top = sorted(e.by_service.items(), key=lambda kv: -kv[1])
        rows.append(
            Row(
                figure=label,
                value=round(e.total_usd, 5),
                baseline=round(media, 5),
                unit="$",
                baseline_label="MediaConvert + Transcribe alone",
                goal=Goal(of="value", op="<=", target=goal, unit="$"),
                note=", ".join(f"{s} ${usd:.4f}" for s, usd in top if usd >= 0.00005)
                + (" (the per-minute goal times 10)" if minutes > 1 else ""),
                details={"by_service": {k: round(v, 6) for k, v in e.by_service.items()}},
            )
        )
    return rows


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
