"""Interview analytics from counters and aggregates kept up to date on write.

One read of the interview's counters (the STATS item: funnel, per-question answers,
score and duration histograms, reviews per reviewer per day, candidates screened per member
per day, feedback ratings) and one bounded query of its ratings (one item per review, for
reviewer agreement). Nothing here scans.

Screened per recruiter per day (the article's headline figure: about 5 with live screening calls,
15 with asynchronous interviews) comes from ``screened.{member}.{day}`` counters that a member's
first review of a candidate, or their decision on a candidate they did not review, adds to in the
same save (review.py). A counter, not the audit log: the analytics page already reads the STATS
item, whereas the audit partitions are per organization and month, so reading them would cost a
query over every event of the organization for each month of the interview. A member's figure is
their candidates over the days they screened at least one (their working days on this interview).
Follow-up questions are counted apart (``followup.*``, service/follow_ups.py): the rate is candidates asked over
candidates who submitted, the completion rounds answered over rounds not cancelled; their answers never count in
the per-question drop-off.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator

from ..domain.cells import spreadsheet_safe
from ..domain.errors import InvalidInput
from ..domain.models import Actor, Candidate, Decision, Rating
from ..ports import Ports
from . import agreement, audit, interviews, review, stats
from .views import (
    AgreementView,
    AnalyticsView,
    FollowUpView,
    FunnelView,
    MemberScreening,
    QuestionStats,
    RatingSummary,
    ReviewerThroughput,
    ScoreDistribution,
    ScreeningView,
)

AGREEMENT_METRIC: agreement.Metric = "interval"
MAX_CHOSEN = 100  # candidates chosen for one export (the table's bulk limit)


def interview_analytics(p: Ports, actor: Actor, interview_id: str) -> AnalyticsView:
    actor.require(*interviews.MANAGERS)
    interview = interviews.load(p, actor, interview_id)
    n = p.store.get_counters(actor.org_id, interview_id)
    funnel = FunnelView(
        invited=n.get("invited", 0),
        opened=n.get("opened", 0),
        started=n.get("started", 0),
        completed=n.get("completed", 0),
        ready=n.get("ready", 0),
        decided=n.get("decided", 0),
    )
    questions = []
    previous = funnel.started
    for q in interview.questions:
        answered = n.get(f"answered.{q.question_id}", 0)
        questions.append(QuestionStats(question_id=q.question_id, prompt=q.prompt, answered=answered, drop_off=max(0, previous - answered)))
        previous = answered
    feedback_count = n.get("feedback.count", 0)
    complete = stats.median_seconds(stats.histogram(n, "complete"))
    decide = stats.median_seconds(stats.histogram(n, "decide"))
    return AnalyticsView(
        interview_id=interview_id,
        funnel=funnel,
        completion_rate=round(funnel.completed / funnel.started, 4) if funnel.started else None,
        questions=questions,
        decisions={d.value: n.get(f"decision.{d.value}", 0) for d in Decision},
        feedback_count=feedback_count,
        feedback_average=round(n.get("feedback.sum", 0) / feedback_count, 2) if feedback_count else None,
        feedback_ratings=[max(0, n.get(f"feedback.rating.{i}", 0)) for i in range(1, 6)],
        median_minutes_to_complete=round(complete / 60, 1) if complete is not None else None,
        median_hours_to_decision=round(decide / 3600, 1) if decide is not None else None,
        scores=[
            ScoreDistribution(name=r.name, question_id=r.question_id, counts=[max(0, n.get(f"score.{r.name}.{i}", 0)) for i in range(1, 6)])
            for r in interview.rubric
        ],
        agreement=reviewer_agreement(p, actor.org_id, interview_id),
        throughput=_throughput(p, actor.org_id, n),
        screening=_screening(p, n),
        fairness=_ratings(n, "fairness"),
        convenience=_ratings(n, "convenience"),
        follow_ups=_follow_ups(n, funnel.completed),
    )


def _follow_ups(n: dict[str, int], submitted: int) -> FollowUpView:
    asked, rounds = n.get("followup.candidates", 0), n.get("followup.rounds", 0)
    answered, cancelled = n.get("followup.answered", 0), n.get("followup.cancelled", 0)
    sent = rounds - cancelled
    return FollowUpView(
        rate=round(asked / submitted, 4) if submitted else None,
        candidates_asked=asked,
        submitted=submitted,
        rounds=rounds,
        rounds_answered=answered,
        rounds_cancelled=cancelled,
        completion=round(answered / sent, 4) if sent > 0 else None,
    )


def _ratings(n: dict[str, int], name: str) -> RatingSummary:
    count = max(0, n.get(f"feedback.{name}.count", 0))
    return RatingSummary(
        count=count,
        average=round(n.get(f"feedback.{name}.sum", 0) / count, 2) if count else None,
        counts=[max(0, n.get(f"feedback.{name}.{i}", 0)) for i in range(1, 6)],
    )


def _screening(p: Ports, n: dict[str, int]) -> ScreeningView:
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for key, count in n.items():
        if key.startswith("screened.") and count > 0:
            _, member_id, day = key.split(".", 2)
            per[member_id][day] = count
    members = []
    for member_id, days in sorted(per.items()):
        member = p.store.get_member(member_id)
        total = sum(days.values())
        members.append(
            MemberScreening(
                member_id=member_id,
                member_email=member.email if member else "",
                candidates=total,
                days=len(days),
                per_day=round(total / len(days), 1),
                by_day=dict(sorted(days.items())),
            )
        )
    mean = round(sum(m.per_day for m in members) / len(members), 1) if members else None
    return ScreeningView(per_day=mean, members=members)


def analytics_csv(p: Ports, actor: Actor, interview_id: str) -> str:
    """Every figure of the analytics page as rows of (section, item, value): one file a spreadsheet reads."""
    a = interview_analytics(p, actor, interview_id)
    out = io.StringIO()
    w = csv.writer(out)

    def row(section: str, item: object, value: object) -> None:
        w.writerow([spreadsheet_safe(str(c)) for c in (section, item, "" if value is None else value)])

    row("section", "item", "value")
    for name, value in a.funnel.model_dump().items():
        row("funnel", name, value)
    row("funnel", "completion_rate", a.completion_rate)
    row("timing", "median_minutes_to_complete", a.median_minutes_to_complete)
    row("timing", "median_hours_to_decision", a.median_hours_to_decision)
    for i, q in enumerate(a.questions, 1):
        row("drop_off", f"question {i}", q.drop_off)
        row("answered", f"question {i}", q.answered)
    for name, count in a.decisions.items():
        row("decisions", name, count)
    screening = a.screening
    if screening is not None:
        row("screened_per_day", "reference_live_screening_calls", screening.reference_live)
        row("screened_per_day", "reference_async", screening.reference_async)
        row("screened_per_day", "team", screening.per_day)
        for m in screening.members:
            who = m.member_email or m.member_id
            row("screened_per_day", who, m.per_day)
            for day, count in m.by_day.items():
                row("screened_by_day", f"{who} {day}", count)
    row("feedback", "count", a.feedback_count)
    row("feedback", "average", a.feedback_average)
    for name, summary in (("fairness", a.fairness), ("convenience", a.convenience)):
        if summary is None:
            continue
        row(name, "count", summary.count)
        row(name, "average", summary.average)
        for i, count in enumerate(summary.counts, 1):
            row(name, f"rated {i}", count)
    row("follow_ups", "rate", a.follow_ups.rate)
    row("follow_ups", "candidates_asked", a.follow_ups.candidates_asked)
    row("follow_ups", "rounds", a.follow_ups.rounds)
    row("follow_ups", "rounds_answered", a.follow_ups.rounds_answered)
    row("follow_ups", "rounds_cancelled", a.follow_ups.rounds_cancelled)
    row("follow_ups", "completion", a.follow_ups.completion)
    row("agreement", "alpha", a.agreement.alpha if a.agreement else None)
    for s in a.scores:
        for i, count in enumerate(s.counts, 1):
            row("scores", f"{s.name} {i}", count)
    audit.record(p, actor.org_id, actor.user_id, "analytics.exported", interview_id)
    return out.getvalue()


def reviewer_agreement(p: Ports, org_id: str, interview_id: str) -> AgreementView:
    """Krippendorff's alpha (interval) over every (candidate, rubric item) that two reviewers or more scored."""
    by_unit: dict[tuple[str, str], list[int]] = defaultdict(list)
    reviewers = set()
    for rating in p.store.list_ratings(org_id, interview_id):
        reviewers.add(rating.reviewer_id)
        for item, score in rating.scores.items():
            by_unit[(rating.candidate_id, item)].append(score)
    shared = {cand for (cand, _), values in by_unit.items() if len(values) >= 2}
    value = agreement.alpha(by_unit.values(), AGREEMENT_METRIC)
    return AgreementView(
        metric=AGREEMENT_METRIC,
        alpha=round(value, 3) if value is not None else None,
        shared_candidates=len(shared),
        reviewers=len(reviewers),
    )


def _throughput(p: Ports, org_id: str, n: dict[str, int]) -> list[ReviewerThroughput]:
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for key, count in n.items():
        if key.startswith("reviewed.") and count > 0:
            _, reviewer, day = key.split(".", 2)
            per[reviewer][day] = count
    out = []
    for reviewer, days in sorted(per.items()):
        member = p.store.get_member(reviewer)
        out.append(ReviewerThroughput(reviewer_id=reviewer, reviewer_email=member.email if member else "", per_day=dict(sorted(days.items()))))
    return out


def candidates_csv(p: Ports, actor: Actor, interview_id: str, limit: int = 2000, candidate_ids: list[str] | None = None) -> str:
    """The interview's candidates with their mean scores and decisions, as CSV (paged reads, at most ``limit``),
    or only the chosen ones (at most MAX_CHOSEN, one read each); for a member in blind review, labels instead of
    names and no emails."""
    actor.require(*interviews.MANAGERS)
    interview = interviews.load(p, actor, interview_id)
    chosen = list(dict.fromkeys(candidate_ids)) if candidate_ids is not None else None
    if chosen is not None and not 1 <= len(chosen) <= MAX_CHOSEN:
        raise InvalidInput(f"choose between 1 and {MAX_CHOSEN} candidates", "bad_selection")
    items = [r.name for r in interview.rubric]
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    raters: dict[str, list[Rating]] = defaultdict(list)
    for rating in p.store.list_ratings(actor.org_id, interview_id):
        raters[rating.candidate_id].append(rating)
        for item, score in rating.scores.items():
            scores[rating.candidate_id][item].append(score)
    out = io.StringIO()
    w = csv.writer(out)

    def row(*cells: object) -> None:
        w.writerow([spreadsheet_safe(str(c)) for c in cells])

    # An item scored on one question says which in its heading.
    place = {q.question_id: n + 1 for n, q in enumerate(interview.questions)}
    headings = [f"{r.name} (question {place.get(r.question_id, r.question_id)})" if r.question_id else r.name for r in interview.rubric]
    row("candidate_id", "name", "email", "status", "invited_at", "completed_at", "reviews", *headings, "decision", "decision_note")
    seen = 0
    for c in _candidates(p, actor.org_id, interview_id, limit, chosen):
        seen += 1
        mine = scores.get(c.candidate_id, {})
        reviews = len(raters.get(c.candidate_id, []))
        # Independent scoring holds in the export too: blank until the caller has scored or the candidate is decided.
        shown = review.sees_scores(actor.user_id, c, raters.get(c.candidate_id, []))
        means = [f"{sum(v) / len(v):.2f}" if shown and (v := mine.get(i)) else "" for i in items]
        name, email = (review.blind_label(c.candidate_id), "") if actor.blind else (c.name, c.email)
        row(
            c.candidate_id, name, email, c.status.value, c.invited_at.isoformat(),
            c.completed_at.isoformat() if c.completed_at else "", reviews, *means,
            c.decision.value if c.decision else "", c.decision_note or "",
        )
    # Every candidate's name and email at once: a bulk export, audited.
    audit.record(p, actor.org_id, actor.user_id, "candidates.exported", interview_id, rows=seen, chosen=chosen is not None)
    return out.getvalue()


def _candidates(p: Ports, org_id: str, interview_id: str, limit: int, chosen: list[str] | None) -> Iterator[Candidate]:
    """The interview's candidates page by page, or the chosen ones of this interview in the order given (a chosen id
    of another interview, or of nobody, is left out)."""
    if chosen is not None:
        for cid in chosen:
            cand = p.store.get_candidate(org_id, cid)
            if cand is not None and cand.interview_id == interview_id:
                yield cand
        return
    cursor, seen = None, 0
    while seen < limit:
        page = p.store.list_candidates(org_id, interview_id, None, cursor, 100)
        yield from page.items
        seen += len(page.items)
        cursor = page.next_cursor
        if not cursor:
            return
