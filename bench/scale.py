"""Figure 3, scale: what each API call costs in DynamoDB for an interview of 100 and of 10,000 candidates.

Both interviews live in one table (with the organization's other data), so
the larger one also makes the table 100 times bigger. The candidates are
written in bulk with ``batch_write_item``, as items made by the DynamoDB
adapter's own key design from domain models (10,000 API calls would take
minutes on moto and measure nothing more). One candidate of each interview
is invited through the API; the calls are made as that candidate and as
the recruiter. For each call, the DynamoDB requests and the capacity they
consume (computed by DynamoDB's rules, see ``harness.AwsMeter``) must be the
same at both sizes: pages are read by cursor, nothing is scanned, and the
analytics read counters kept on write.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from oneway.adapters.dynamo import codec
from oneway.domain.models import Candidate, CandidateStatus, QuestionProgress
from oneway.domain.tokens import new_id
from oneway.local.provision import DEMO_ORG_ID

from .flows import create_interview, invite
from .harness import Harness, local_stack
from .report import Goal, Row

SIZES = (100, 10_000)
PAGE = 25
# Microseconds on purpose: isoformat() drops them when zero, and every item should be the same size.
INVITED = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)


def seed(h: Harness, interview: dict, count: int) -> None:
    """``count`` candidates who started the interview, written 25 at a time."""
    store = h.ports().store
    table = h.ports().settings.table_name
    ddb = h.boto("dynamodb")
    questions = [q["questionId"] for q in interview["questions"]]
    items = []
    for i in range(count):
        candidate = Candidate(
            org_id=DEMO_ORG_ID,
            interview_id=interview["interviewId"],
            candidate_id=new_id(),
            name=f"Seeded {i:05d}",
            email=f"seeded{i:05d}@example.com",
            token_hash=hashlib.sha256(f"{interview['interviewId']}/{i}".encode()).hexdigest(),
            status=CandidateStatus.started,
            invited_at=INVITED,
            expires_at=INVITED + timedelta(days=14),
            consent_at=INVITED + timedelta(hours=1),
            notice_version="2026-11",
            progress={q: QuestionProgress() for q in questions},
            retain_until=date(2027, 5, 16),
        )
        items.append({"PutRequest": {"Item": codec.encode(codec.to_item(candidate, version=1))}})
    for start in range(0, len(items), 25):
        request: dict[str, list[dict[str, Any]]] | None = {table: items[start : start + 25]}
        while request:
            request = ddb.batch_write_item(RequestItems=request).get("UnprocessedItems") or None
    store.save(counters={(DEMO_ORG_ID, interview["interviewId"]): {"started": count, "invited": count}})


def calls(h: Harness, iid: str, candidate_id: str, token: str) -> list[tuple[str, str, str, dict | None, str | None]]:
    """(label, method, path, body, candidate token) of the calls measured; cursors are followed."""
    first = h.call("GET", f"/api/interviews/{iid}/candidates?limit={PAGE}")
    assert len(first["items"]) == PAGE and first["nextCursor"], "the first page must be full"
    return [
        ("GET /api/interviews/{id}/candidates, first page", "GET", f"/api/interviews/{iid}/candidates?limit={PAGE}", None, None),
        ("GET /api/interviews/{id}/candidates, next page (cursor)", "GET", f"/api/interviews/{iid}/candidates?limit={PAGE}&cursor={first['nextCursor']}", None, None),
        ("GET /api/interviews/{id}/candidates?status=started", "GET", f"/api/interviews/{iid}/candidates?limit={PAGE}&status=started", None, None),
        ("GET /api/interviews/{id}/analytics", "GET", f"/api/interviews/{iid}/analytics", None, None),
        ("GET /api/interviews/{id}", "GET", f"/api/interviews/{iid}", None, None),
        ("GET /api/candidates/{id}", "GET", f"/api/candidates/{candidate_id}", None, None),
        ("GET /api/c/session", "GET", "/api/c/session", None, token),
        ("POST /api/interviews/{id}/invitations (one)", "POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": "Late Comer", "email": "late@example.com"}], "sendEmail": False}, None),
    ]


def cost(h: Harness, method: str, path: str, body: dict | None, token: str | None) -> dict:
    h.meter.reset()
    h.call(method, path, body, token=token)
    return h.meter.summary()


def shown(c: dict) -> str:
    parts = [f"{c['requests']} req", f"{c['rcu']:g} RCU"]
    if c["wcu"]:
        parts.append(f"{c['wcu']:g} WCU")
    return " · ".join(parts)


def run() -> list[Row]:
    with local_stack() as h:
        measured: dict[int, list[tuple[str, dict]]] = {}
        for size in SIZES:
            interview = create_interview(h.call)
            (probe,) = invite(h.call, interview["interviewId"], 1, prefix="Probe")
            seed(h, interview, size)
            funnel = h.call("GET", f"/api/interviews/{interview['interviewId']}/analytics")["funnel"]
            assert funnel["invited"] == size + 1, f"seeding went wrong: {funnel}"
            made = calls(h, interview["interviewId"], probe.candidate_id, probe.token)
            measured[size] = [(label, cost(h, method, path, body, token)) for label, method, path, body, token in made]
        small, large = SIZES
        rows = []
        for (label, a), (_, b) in zip(measured[small], measured[large], strict=True):
            keep = ("requests", "rcu", "wcu", "operations")
            rows.append(
                Row(
                    figure=f"Scale: {label}",
                    shown=f"{shown(b)} (at {large:,})",
                    baseline_shown=shown(a),
                    baseline_label=f"at {small:,} candidates",
                    goal=Goal(of="same"),
                    note="" if {k: a[k] for k in keep} == {k: b[k] for k in keep} else f"differs: {a['operations']} vs {b['operations']}",
                    details={"oneway": {k: b[k] for k in keep}, "baseline": {k: a[k] for k in keep}},
                )
            )
        scans = sum(c["operations"].get("Scan", 0) for size in SIZES for _, c in measured[size])
        rows.append(
            Row(
                figure="Scale: Scan requests in all the calls above",
                value=scans,
                unit="",
                shown=str(scans),
                goal=Goal(of="value", op="<=", target=0),
            )
        )
        return rows


if __name__ == "__main__":
    from .runner import figure_main

    figure_main(run)
