"""Interview analytics from counters kept up to date on write: a constant number of reads."""

from __future__ import annotations

from ..domain.models import Actor, Decision
from ..ports import Ports
from . import interviews
from .views import AnalyticsView, FunnelView, QuestionStats


def interview_analytics(p: Ports, actor: Actor, interview_id: str) -> AnalyticsView:
    interview = interviews.load(p, actor, interview_id)
    n = p.store.get_counters(actor.org_id, interview_id)
    funnel = FunnelView(
        invited=n.get("invited", 0),
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
    return AnalyticsView(
        interview_id=interview_id,
        funnel=funnel,
        completion_rate=round(funnel.completed / funnel.started, 4) if funnel.started else None,
        questions=questions,
        decisions={d.value: n.get(f"decision.{d.value}", 0) for d in Decision},
        feedback_count=feedback_count,
        feedback_average=round(n.get("feedback.sum", 0) / feedback_count, 2) if feedback_count else None,
    )
