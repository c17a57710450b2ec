"""Interview templates: an interview's words and settings saved under a name, to start the next one from.

The organization's own templates are items of its partition (``ORG#o`` / ``TEMPLATE#t``); a few
built in for common roles live here, with anchored rubrics. A template keeps no question video:
videos belong to their interview (question_media.py), so a template's questions come as words.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..domain.errors import NotFound
from ..domain.models import Actor, InterviewTemplate, Question, QuestionKind, RubricItem
from ..domain.tokens import new_id
from ..ports import Ports
from . import audit
from .access import MANAGERS
from .views import NewTemplate, QuestionView, RubricView, TemplateList, TemplateView

BUILT_IN_PREFIX = "builtin-"


def _q(n: int, prompt: str, answer: int = 120, think: int = 30, kind: QuestionKind = QuestionKind.video) -> Question:
    return Question(question_id=f"q{n}", prompt=prompt, kind=kind, think_seconds=think, answer_seconds=answer, max_takes=2)


def _r(name: str, description: str, *anchors: str) -> RubricItem:
    return RubricItem(name=name, description=description, anchors=list(anchors))


def _built_in(slug: str, name: str, title: str, description: str, questions: list[Question], rubric: list[RubricItem]) -> InterviewTemplate:
    return InterviewTemplate(
        org_id="",
        template_id=BUILT_IN_PREFIX + slug,
        name=name,
        title=title,
        description=description,
        questions=questions,
        rubric=rubric,
        created_by="oneway",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


BUILT_IN: list[InterviewTemplate] = [
    _built_in(
        "customer-support",
        "Customer support",
        "Customer support specialist",
        "You would help our customers by email, chat and phone. This interview takes about 15 minutes.",
        [
            _q(1, "Tell us about a time you helped a customer who was upset. What did you do, and how did it end?"),
            _q(2, "A customer asks for something our policy does not allow. How do you answer them?", answer=60),
            _q(3, "Write the reply you would send to: “My order arrived broken and I need it by Friday.”", answer=300, kind=QuestionKind.text),
        ],
        [
            _r(
                "Empathy",
                "Acknowledges the customer's feelings and keeps their trust.",
                "Ignores or dismisses the customer's feelings",
                "Acknowledges feelings in passing",
                "Names the customer's concern and responds to it",
                "Puts the customer at ease while solving the problem",
                "Turns an upset customer into a loyal one, with a clear example",
            ),
            _r(
                "Problem solving",
                "Finds the real problem and a workable answer.",
                "No clear answer to the problem",
                "An answer, but not to the real problem",
                "A workable answer to the real problem",
                "A workable answer with a fallback",
                "Solves it and prevents it from happening again",
            ),
            _r(
                "Clarity",
                "Writes and speaks plainly, in order.",
                "Hard to follow",
                "Understandable with effort",
                "Clear and in order",
                "Clear, concise and friendly",
                "A model answer the team could reuse",
            ),
        ],
    ),
    _built_in(
        "software-engineer",
        "Software engineer",
        "Software engineer",
        "You would design, build and run our product with a small team. This interview takes about 20 minutes.",
        [
            _q(1, "Walk us through a system you built: what it did, the hardest decision you made, and what you would change now.", answer=180, think=60),
            _q(2, "Tell us about a bug that took you long to find. How did you find it?", answer=120),
            _q(3, "How do you decide that a piece of code is ready to ship?", answer=120),
            _q(4, "Explain a technical concept you know well to someone outside engineering.", answer=120, think=60),
        ],
        [
            _r(
                "Technical depth",
                "Understands the why behind the choices, not just the what.",
                "Describes tools without understanding them",
                "Knows the basics, little reasoning",
                "Explains choices and their trade-offs",
                "Weighs alternatives with evidence",
                "Insight a senior engineer would learn from",
            ),
            _r(
                "Debugging",
                "Works from evidence to cause.",
                "Guesses",
                "Tries things until something works",
                "Forms and tests hypotheses",
                "Systematic, and narrows the problem down quickly",
                "Systematic, and fixes the cause for good (tests, monitoring)",
            ),
            _r(
                "Communication",
                "Makes technical ideas clear to the listener.",
                "Unclear even to engineers",
                "Clear only to specialists",
                "Clear to an engineer",
                "Clear to anyone, with a good example",
                "Memorable and precise",
            ),
        ],
    ),
    _built_in(
        "sales",
        "Sales representative",
        "Sales representative",
        "You would find, win and grow customer accounts. This interview takes about 15 minutes.",
        [
            _q(1, "Pitch us a product you love in one minute.", answer=60, think=30),
            _q(2, "Tell us about a deal you lost. What did you learn?", answer=120),
            _q(3, "A prospect says: “It's too expensive.” What do you say next?", answer=60, think=15),
        ],
        [
            _r(
                "Persuasion",
                "Builds a case around what the buyer needs.",
                "Lists features",
                "Some benefits, not tied to the buyer",
                "Benefits tied to the buyer's needs",
                "A compelling case with evidence",
                "Would win the deal",
            ),
            _r(
                "Handling objections",
                "Treats an objection as a question to answer.",
                "Gives up or argues",
                "Repeats the pitch",
                "Asks a question to understand the objection",
                "Reframes the objection around value",
                "Turns the objection into a reason to buy",
            ),
            _r(
                "Learning",
                "Learns from results, good and bad.",
                "Blames others",
                "Describes what happened, no lesson",
                "Draws a lesson",
                "Draws a lesson and changed how they work",
                "Changed how the team works",
            ),
        ],
    ),
]


def _view(t: InterviewTemplate, p: Ports) -> TemplateView:
    return TemplateView(
        template_id=t.template_id,
        name=t.name,
        built_in=t.template_id.startswith(BUILT_IN_PREFIX),
        title=t.title,
        description=t.description,
        welcome=t.welcome,
        questions=[QuestionView(**q.model_dump()) for q in t.questions],
        rubric=[RubricView(**r.model_dump()) for r in t.rubric],
        deadline_days=t.deadline_days,
        practice_question=t.practice_question,
        blind=t.blind,
        language=t.language,
        reminders=t.reminders,
        reminder_hours=t.reminder_hours if t.reminder_hours is not None else sorted(p.settings.reminder_hours, reverse=True),
        allow_audio_answers=t.allow_audio_answers,
    )


def list_templates(p: Ports, actor: Actor) -> TemplateList:
    """The organization's templates by name, then the built-in ones."""
    actor.require(*MANAGERS)
    own = sorted(p.store.list_templates(actor.org_id), key=lambda t: t.name.lower())
    return TemplateList(items=[_view(t, p) for t in [*own, *BUILT_IN]])


def save_template(p: Ports, actor: Actor, cmd: NewTemplate) -> TemplateView:
    """Save the builder's interview (saved or not) as a template; its question videos stay behind."""
    actor.require(*MANAGERS)
    template = InterviewTemplate(
        org_id=actor.org_id,
        template_id=new_id(),
        name=cmd.name,
        title=cmd.title,
        description=cmd.description,
        welcome=cmd.welcome,
        questions=[Question(question_id=f"q{i + 1}", **q.model_dump(exclude={"media_id"})) for i, q in enumerate(cmd.questions)],
        rubric=[RubricItem(**r.model_dump()) for r in cmd.rubric],
        deadline_days=cmd.deadline_days,
        practice_question=cmd.practice_question,
        blind=cmd.blind,
        allow_audio_answers=cmd.allow_audio_answers,
        language=cmd.language,
        reminders=cmd.reminders,
        reminder_hours=sorted(set(cmd.reminder_hours), reverse=True) if cmd.reminder_hours is not None else None,
        created_by=actor.user_id,
        created_at=p.clock.now(),
    )
    p.store.save(template)
    audit.record(p, actor.org_id, actor.user_id, "template.saved", template.template_id, name=template.name)
    return _view(template, p)


def delete_template(p: Ports, actor: Actor, template_id: str) -> None:
    actor.require(*MANAGERS)
    template = None if template_id.startswith(BUILT_IN_PREFIX) else p.store.get_template(actor.org_id, template_id)
    if template is None:
        raise NotFound("no such template of this organization", "template_not_found")
    p.store.delete_item(template)
    audit.record(p, actor.org_id, actor.user_id, "template.deleted", template_id)
