"""Screening questions: yes/no, multiple choice and number, with an optional preferred answer.

An answer that misses the preferred answer flags the candidate for the reviewers; nothing here
rejects anyone. The rules a schema cannot state (an option named by a rule must be one of the
question's, a range must not be upside down) are checked here and refused as 400 ``invalid_screening``.
"""

from __future__ import annotations

import math

from .errors import InvalidInput
from .models import Question, QuestionKind, ScreeningRule, ScreeningValue

MIN_OPTIONS, MAX_OPTIONS = 2, 10


def _refuse(message: str) -> None:
    raise InvalidInput(message, "invalid_screening")


def check_question(q: Question, place: int) -> None:
    """A question's screening settings fit its kind (``place``: its number in the interview, for the message)."""
    name = f"question {place}"
    if not q.screening:
        if q.options or q.multiple or q.number_min is not None or q.number_max is not None or q.unit or q.rule is not None:
            _refuse(f"{name}: options, number bounds, a unit and a preferred answer belong to screening questions only")
        return
    if q.media_id:
        _refuse(f"{name}: a screening question has no question video")
    if q.kind != QuestionKind.choice and (q.options or q.multiple):
        _refuse(f"{name}: only a multiple-choice question has options")
    if q.kind != QuestionKind.number and (q.number_min is not None or q.number_max is not None or q.unit):
        _refuse(f"{name}: only a number question has bounds and a unit")
    if q.kind == QuestionKind.choice:
        if not MIN_OPTIONS <= len(q.options) <= MAX_OPTIONS:
            _refuse(f"{name}: a multiple-choice question has {MIN_OPTIONS} to {MAX_OPTIONS} options")
        if len({o.casefold() for o in q.options}) != len(q.options):
            _refuse(f"{name}: each option may appear once")
    if q.kind == QuestionKind.number and q.number_min is not None and q.number_max is not None and q.number_min > q.number_max:
        _refuse(f"{name}: the lowest number allowed is above the highest")
    if q.rule is not None:
        _check_rule(q, q.rule, name)


def _check_rule(q: Question, r: ScreeningRule, name: str) -> None:
    given = {"expected": r.expected is not None, "acceptable": r.acceptable is not None, "range": r.min is not None or r.max is not None}
    wanted = {QuestionKind.yes_no: "expected", QuestionKind.choice: "acceptable", QuestionKind.number: "range"}[q.kind]
    if any(v for k, v in given.items() if k != wanted):
        _refuse(f"{name}: a {q.kind.value} question's preferred answer is given by its {wanted} alone")
    if not given[wanted]:
        _refuse(f"{name}: the preferred answer is empty (leave it out for no rule)")
    if q.kind == QuestionKind.choice:
        acceptable = r.acceptable or []
        if not acceptable:
            _refuse(f"{name}: name at least one acceptable option")
        unknown = [a for a in acceptable if a not in q.options]
        if unknown:
            _refuse(f"{name}: the acceptable options must be options of the question: {', '.join(unknown)}")
    if q.kind == QuestionKind.number and r.min is not None and r.max is not None and r.min > r.max:
        _refuse(f"{name}: the preferred range's lowest value is above its highest")


def check_answer(q: Question, v: ScreeningValue) -> None:
    """A candidate's answer is one the question takes (the kind's one field, an option it offers, a number in bounds)."""
    fields = {"yes": v.yes is not None, "choices": v.choices is not None, "number": v.number is not None}
    wanted = {QuestionKind.yes_no: "yes", QuestionKind.choice: "choices", QuestionKind.number: "number"}[q.kind]
    if not fields[wanted] or any(given for k, given in fields.items() if k != wanted):
        raise InvalidInput(f"this question takes an answer in `{wanted}` alone", "wrong_answer_kind")
    if q.kind == QuestionKind.choice:
        chosen = v.choices or []
        if not chosen:
            raise InvalidInput("choose an option", "no_choice")
        if len(set(chosen)) != len(chosen):
            raise InvalidInput("each option may be chosen once", "duplicate_choice")
        if not q.multiple and len(chosen) != 1:
            raise InvalidInput("this question takes one option", "one_choice")
        if any(c not in q.options for c in chosen):
            raise InvalidInput("choose among the question's options", "unknown_choice")
    if q.kind == QuestionKind.number:
        n = v.number if v.number is not None else math.nan
        if not math.isfinite(n):
            raise InvalidInput("the answer must be a number", "not_a_number")
        if (q.number_min is not None and n < q.number_min) or (q.number_max is not None and n > q.number_max):
            raise InvalidInput(f"the answer must be between {_num(q.number_min)} and {_num(q.number_max)}", "number_out_of_bounds")


def misses_rule(q: Question, v: ScreeningValue) -> bool:
    """Does the answer miss the recruiter's preferred answer? (No rule: nothing to miss.)
    Multiple choice with several chosen: the answer meets the rule when it includes an acceptable option."""
    r = q.rule
    if r is None:
        return False
    match q.kind:
        case QuestionKind.yes_no:
            return r.expected is not None and v.yes != r.expected
        case QuestionKind.choice:
            return r.acceptable is not None and not any(c in r.acceptable for c in v.choices or [])
        case QuestionKind.number:
            n = v.number
            return n is None or (r.min is not None and n < r.min) or (r.max is not None and n > r.max)
    return False


def in_words(q: Question, v: ScreeningValue) -> str:
    """The answer as the reviewers and exports read it."""
    match q.kind:
        case QuestionKind.yes_no:
            return "Yes" if v.yes else "No"
        case QuestionKind.choice:
            return ", ".join(v.choices or [])
    return f"{_num(v.number)} {q.unit}".strip()


def rule_in_words(q: Question) -> str | None:
    """The preferred answer as the reviewers read it (never shown to candidates)."""
    r = q.rule
    if r is None:
        return None
    match q.kind:
        case QuestionKind.yes_no:
            return "Yes" if r.expected else "No"
        case QuestionKind.choice:
            return " or ".join(r.acceptable or [])
    unit = f" {q.unit}" if q.unit else ""
    if r.min is not None and r.max is not None:
        return f"{_num(r.min)} to {_num(r.max)}{unit}"
    return f"at least {_num(r.min)}{unit}" if r.min is not None else f"at most {_num(r.max)}{unit}"


def _num(n: float | None) -> str:
    if n is None:
        return "any"
    return str(int(n)) if float(n).is_integer() else f"{n:g}"
