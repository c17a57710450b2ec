"""Screening questions (yes/no, multiple choice, number) with the recruiter's preferred answer: the builder's
settings are checked (422 for what the schema states, 400 invalid_screening for the rest), candidates answer
in a form and never learn the rule, an answer that misses it flags the candidate (list, candidate page,
CSV, analytics) and nothing rejects anyone."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.service.test_review_fairness import call_raw, h, ok, org  # noqa: F401  (org is a fixture)
from tests.support.events import call

SCREENING: dict[str, Any] = {
    "title": "Warehouse lead",
    "questions": [
        {"prompt": "Do you hold a forklift licence?", "kind": "yes_no", "rule": {"expected": True}},
        {
            "prompt": "Which shifts can you work?",
            "kind": "choice",
            "options": ["Early", "Late", "Night"],
            "multiple": True,
            "rule": {"acceptable": ["Night"]},
        },
        {"prompt": "Years leading a team?", "kind": "number", "numberMin": 0, "numberMax": 60, "unit": "years", "rule": {"min": 2}},
        {"prompt": "Which site?", "kind": "choice", "options": ["North", "South"]},
        {"prompt": "Why this role?", "kind": "text"},
    ],
}


def invite(iid: str, name: str) -> tuple[str, str]:
    inv = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": [{"name": name, "email": f"{name.lower()}@x.test"}]}, expect=201)
    item = inv["items"][0]
    token = item["inviteUrl"].split("#t=")[1]
    assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
    return item["candidateId"], token


def answer(token: str, qid: str, body: dict[str, Any], expect: int = 200) -> dict[str, Any]:
    status, got = call(h, "POST", f"/api/c/questions/{qid}/screening", body, token=token)
    assert status == expect, got
    return got


def test_each_kind_is_stored_and_shown_without_its_rule(org):  # noqa: F811
    iid = ok("POST", "/api/interviews", SCREENING, expect=201)["interviewId"]
    questions = ok("GET", f"/api/interviews/{iid}")["questions"]
    assert [q["kind"] for q in questions] == ["yes_no", "choice", "number", "choice", "text"]
    assert questions[1]["options"] == ["Early", "Late", "Night"] and questions[1]["multiple"] is True
    assert questions[1]["rule"]["acceptable"] == ["Night"] and questions[2]["rule"]["min"] == 2 and questions[3]["rule"] is None
    _, token = invite(iid, "Ada")
    session = call(h, "GET", "/api/c/session", token=token)[1]
    shown = session["questions"]
    # The candidate's form: prompt, options, bounds and unit, and which questions are screening questions...
    assert [q["screening"] for q in shown] == [True, True, True, True, False]
    assert shown[0]["prompt"] == "Do you hold a forklift licence?" and shown[1]["options"] == ["Early", "Late", "Night"]
    assert (shown[2]["numberMin"], shown[2]["numberMax"], shown[2]["unit"]) == (0, 60, "years")
    # ... and never the preferred answer.
    assert "rule" not in str(session) and "acceptable" not in str(session) and "expected" not in str(session)
    # A screening question takes no take and no text; a text question takes no screening answer.
    assert call(h, "POST", "/api/c/questions/q1/takes", token=token)[1]["code"] == "not_a_video_question"
    assert call(h, "POST", "/api/c/questions/q1/text", {"text": "yes"}, token=token)[1]["code"] == "not_a_text_question"
    assert answer(token, "q5", {"yes": True}, expect=400)["code"] == "not_a_screening_question"


def test_answers_that_miss_a_rule_flag_the_candidate_and_nothing_rejects(org, ports):  # noqa: F811
    iid = ok("POST", "/api/interviews", SCREENING, expect=201)["interviewId"]
    ada, ada_token = invite(iid, "Ada")
    bob, bob_token = invite(iid, "Bob")
    # Ada meets every rule (a multiple choice meets its rule when it includes an acceptable option).
    answer(ada_token, "q1", {"yes": True})
    answer(ada_token, "q2", {"choices": ["Early", "Night"]})
    answer(ada_token, "q3", {"number": 2})
    answer(ada_token, "q4", {"choices": ["South"]})
    # Bob misses two: no licence, and one year only; his shifts meet the rule.
    answer(bob_token, "q1", {"yes": False})
    answer(bob_token, "q2", {"choices": ["Night"]})
    answer(bob_token, "q3", {"number": 1.5})
    answer(bob_token, "q4", {"choices": ["North"]})
    assert ports.store.get_candidate("acme", bob).screening_missed == ["q1", "q3"]
    items = {c["candidateId"]: c for c in ok("GET", f"/api/interviews/{iid}/candidates")["items"]}
    assert items[ada]["screeningMissed"] == [] and items[bob]["screeningMissed"] == ["q1", "q3"]
    # Changing an answer before submitting recomputes the flag.
    answer(bob_token, "q2", {"choices": ["Early"]})
    answer(bob_token, "q3", {"number": 5})
    assert ports.store.get_candidate("acme", bob).screening_missed == ["q1", "q2"]
    # Flagged candidates submit and go on like anyone: nothing rejects them.
    for token in (ada_token, bob_token):
        assert call(h, "POST", "/api/c/questions/q5/text", {"text": "I like order."}, token=token)[0] == 200
        assert call(h, "POST", "/api/c/complete", token=token)[0] == 200
    bob_page = ok("GET", f"/api/candidates/{bob}")
    assert bob_page["status"] != "rejected" and bob_page.get("decision") is None
    by_q = {a["questionId"]: a for a in bob_page["answers"]}
    assert (by_q["q1"]["text"], by_q["q1"]["missedRule"], by_q["q1"]["preferred"]) == ("No", True, "Yes")
    assert (by_q["q2"]["text"], by_q["q2"]["missedRule"], by_q["q2"]["preferred"]) == ("Early", True, "Night")
    assert (by_q["q3"]["text"], by_q["q3"]["missedRule"], by_q["q3"]["preferred"]) == ("5 years", False, "at least 2 years")
    assert (by_q["q4"]["missedRule"], by_q["q4"]["preferred"]) == (False, None)
    # Analytics count flagged candidates (Bob, once, whatever he changed), and the exports carry the flags.
    assert ok("GET", f"/api/interviews/{iid}/analytics")["flagged"] == 1
    rows = {r["candidate_id"]: r for r in csv.DictReader(io.StringIO(call_raw("GET", f"/api/interviews/{iid}/candidates.csv")[1]))}
    assert rows[bob]["screening_flags"] == "1 2" and rows[ada]["screening_flags"] == ""
    figures = list(csv.reader(io.StringIO(call_raw("GET", f"/api/interviews/{iid}/analytics.csv")[1])))
    assert ["screening_questions", "flagged_candidates", "1"] in figures


def test_an_answer_that_meets_the_rule_again_clears_the_flag_and_the_count(org, ports):  # noqa: F811
    iid = ok("POST", "/api/interviews", SCREENING, expect=201)["interviewId"]
    cid, token = invite(iid, "Cy")
    answer(token, "q1", {"yes": False})
    assert ok("GET", f"/api/interviews/{iid}/analytics")["flagged"] == 1
    answer(token, "q1", {"yes": True})
    assert ports.store.get_candidate("acme", cid).screening_missed == []
    assert ok("GET", f"/api/interviews/{iid}/analytics")["flagged"] == 0


def test_blind_review_still_shows_screening_answers(org):  # noqa: F811
    iid = ok("POST", "/api/interviews", {**SCREENING, "blind": True}, expect=201)["interviewId"]
    cid, token = invite(iid, "Dee")
    answer(token, "q1", {"yes": False})
    page = ok("GET", f"/api/candidates/{cid}")
    q1 = next(a for a in page["answers"] if a["questionId"] == "q1")
    assert page["name"] != "Dee" and (q1["text"], q1["missedRule"]) == ("No", True)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"yes": True, "number": 3}, "wrong_answer_kind"),
        ({"number": 3}, "wrong_answer_kind"),
        ({"choices": ["Nope"]}, "unknown_choice"),
    ],
)
def test_answers_the_question_does_not_take_are_refused(org, body, code):  # noqa: F811
    iid = ok("POST", "/api/interviews", SCREENING, expect=201)["interviewId"]
    _, token = invite(iid, "Eve")
    assert answer(token, "q4" if "choices" in body else "q1", body, expect=400)["code"] == code


def test_answers_out_of_the_form_are_refused(org):  # noqa: F811
    iid = ok("POST", "/api/interviews", SCREENING, expect=201)["interviewId"]
    _, token = invite(iid, "Fay")
    assert answer(token, "q4", {"choices": ["North", "South"]}, expect=400)["code"] == "one_choice"
    assert answer(token, "q2", {"choices": ["Night", "Night"]}, expect=400)["code"] == "duplicate_choice"
    assert answer(token, "q3", {"number": 61}, expect=400)["code"] == "number_out_of_bounds"
    assert answer(token, "q3", {"number": -1}, expect=400)["code"] == "number_out_of_bounds"
    # What the schema states is a 422: a string for a number, a number for yes, an empty choice list, an unknown field.
    bodies: list[dict[str, Any]] = [{"number": "5"}, {"yes": 1}, {"choices": []}, {"maybe": True}]
    for body in bodies:
        assert answer(token, "q3", body, expect=422)
    # The unanswered questions stay open: nothing was stored.
    assert not any(q["answered"] for q in call(h, "GET", "/api/c/session", token=token)[1]["questions"])


def _with(question: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Checks", "questions": [question]}


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ({"prompt": "Pick", "kind": "choice", "options": ["Only one"]}, "2 to 10 options"),
        ({"prompt": "Pick", "kind": "choice", "options": ["A", "a"]}, "once"),
        ({"prompt": "Pick", "kind": "choice", "options": ["A", "B"], "rule": {"acceptable": ["C"]}}, "options of the question: C"),
        ({"prompt": "Pick", "kind": "choice", "options": ["A", "B"], "rule": {"expected": True}}, "acceptable alone"),
        ({"prompt": "Licence?", "kind": "yes_no", "rule": {"min": 1}}, "expected alone"),
        ({"prompt": "Licence?", "kind": "yes_no", "rule": {}}, "preferred answer is empty"),
        ({"prompt": "Licence?", "kind": "yes_no", "options": ["A", "B"]}, "only a multiple-choice"),
        ({"prompt": "Years?", "kind": "number", "numberMin": 10, "numberMax": 1}, "lowest number allowed"),
        ({"prompt": "Years?", "kind": "number", "rule": {"min": 5, "max": 2}}, "preferred range"),
        ({"prompt": "Tell us", "kind": "video", "rule": {"expected": True}}, "screening questions only"),
        ({"prompt": "Tell us", "kind": "text", "unit": "years"}, "screening questions only"),
    ],
)
def test_screening_settings_that_do_not_fit_are_refused_with_a_reason(org, question, words):  # noqa: F811
    status, got = call(h, "POST", "/api/interviews", _with(question), sub="alice")
    assert (status, got["code"]) == (400, "invalid_screening") and words in got["message"] and "question 1" in got["message"]


@pytest.mark.parametrize(
    "question",
    [
        {"prompt": "Pick", "kind": "choice", "options": [str(i) for i in range(11)]},  # more than 10
        {"prompt": "Pick", "kind": "choice", "options": ["A", " "]},  # a blank option
        {"prompt": "Years?", "kind": "number", "numberMin": "1"},  # a string for a number
        {"prompt": "Years?", "kind": "number", "rule": {"min": 1e13}},  # out of range
        {"prompt": "Licence?", "kind": "yes_no", "rule": {"expected": "yes"}},
        {"prompt": "Licence?", "kind": "yes_no", "rule": {"acceptable": []}},
        {"prompt": "Licence?", "kind": "maybe"},
    ],
)
def test_settings_the_schema_states_are_422(org, question):  # noqa: F811
    status, got = call(h, "POST", "/api/interviews", _with(question), sub="alice")
    assert status == 422, got


def test_rules_lock_with_the_questions_after_the_first_invitation(org):  # noqa: F811
    iid = ok("POST", "/api/interviews", SCREENING, expect=201)["interviewId"]
    invite(iid, "Gus")
    moved = {**SCREENING, "questions": [{**SCREENING["questions"][0], "rule": {"expected": False}}, *SCREENING["questions"][1:]]}
    status, got = call(h, "PUT", f"/api/interviews/{iid}", moved, sub="alice")
    assert (status, got["code"]) == (409, "questions_locked")
    # The same questions and rules, as the builder sends them back with a new title, still save.
    assert ok("PUT", f"/api/interviews/{iid}", {**SCREENING, "title": "Warehouse lead (nights)"})["title"] == "Warehouse lead (nights)"
