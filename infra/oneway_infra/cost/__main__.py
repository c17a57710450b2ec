"""python -m oneway_infra.cost: print the figures, or (--write) regenerate docs/cost.md."""

from __future__ import annotations

import argparse
import sys

from .document import COST_DOC, markdown
from .model import SERVICES, estimate
from .settings import REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m oneway_infra.cost", description="Oneway's cost per answered minute.")
    ap.add_argument("--write", action="store_true", help=f"rewrite {COST_DOC.relative_to(REPO_ROOT)}")
    args = ap.parse_args(argv)
    if args.write:
        COST_DOC.parent.mkdir(parents=True, exist_ok=True)
        COST_DOC.write_text(markdown())
        print(f"wrote {COST_DOC}")
        return 0
    minute, interview = estimate(1.0), estimate(10.0)
    print(f"{'service':<20} {'answered minute':>16} {'10-min interview':>17}")
    for s in SERVICES:
        print(f"{s:<20} {minute.by_service[s]:>16.5f} {interview.by_service[s]:>17.5f}")
    print(f"{'total':<20} {minute.total_usd:>16.5f} {interview.total_usd:>17.5f}")
    print(f"{'per answered minute':<20} {minute.per_answered_minute:>16.5f} {interview.per_answered_minute:>17.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
