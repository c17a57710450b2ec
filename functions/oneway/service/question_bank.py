"""The organization's question bank: questions saved once, added to any interview."""

from __future__ import annotations

from ..domain import screening
from ..domain.errors import NotFound
from ..domain.models import Actor, BankQuestion, Question
from ..domain.tokens import new_id
from ..ports import Ports
from . import interviews
from .views import BankQuestionList, BankQuestionView, QuestionSpec


def _view(q: BankQuestion) -> BankQuestionView:
    return BankQuestionView(**q.model_dump(include=set(BankQuestionView.model_fields)))


def add(p: Ports, actor: Actor, cmd: QuestionSpec) -> BankQuestionView:
    actor.require(*interviews.MANAGERS)
    q = BankQuestion(org_id=actor.org_id, question_id=new_id(), created_by=actor.user_id, created_at=p.clock.now(), **cmd.model_dump())
    screening.check_question(Question(**q.model_dump(exclude={"version"})), 1)
    p.store.save(q)
    return _view(q)


def list_bank(p: Ports, actor: Actor) -> BankQuestionList:
    actor.require(*interviews.MANAGERS)
    return BankQuestionList(items=[_view(q) for q in sorted(p.store.list_bank(actor.org_id), key=lambda q: q.prompt.lower())])


def remove(p: Ports, actor: Actor, question_id: str) -> None:
    actor.require(*interviews.MANAGERS)
    q = p.store.get_bank_question(actor.org_id, question_id)
    if q is None:
        raise NotFound("no such question in the bank", "question_not_found")
    p.store.delete_item(q)
