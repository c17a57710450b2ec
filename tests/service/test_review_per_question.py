"""A rubric item may apply to one question: the builder names the question (one of the interview's), reviewers score
it on that question's answer alone and independently of each other, and analytics, agreement and the CSV export
tell it apart from the items scored on the whole interview."""

from __future__ import annotations

import csv
import io

from tests.service.test_review_fairness import call_raw, h, ok, org, submitted_candidates  # noqa: F401  (org is a fixture)
from tests.support.events import call

PER_QUESTION = {
    "title": "Analyst",
    "questions": [{"prompt": "Describe a report you built", "kind": "text"}, {"prompt": "Why us?", "kind": "text"}],
    "rubric": [{"name": "Clarity"}, {"name": "Report quality", "questionId": "q1", "anchors": ["", "", "", "", "A report people act on"]}],
}


def test_a_rubric_item_names_a_question_of_the_interview(org):  # noqa: F811
    iid = ok("POST", "/api/interviews", PER_QUESTION, expect=201)["interviewId"]
    rubric = ok("GET", f"/api/interviews/{iid}")["rubric"]
    assert [(r["name"], r["questionId"]) for r in rubric] == [("Clarity", None), ("Report quality", "q1")]
    # A question the interview does not have is refused, on creation and on edit, with a reason.
    wrong = {**PER_QUESTION, "rubric": [{"name": "Depth", "questionId": "q3"}]}
    status, answer = call(h, "POST", "/api/interviews", wrong, sub="alice")
    assert (status, answer["code"]) == (400, "unknown_question") and "Depth" in answer["message"]
    status, answer = call(h, "PUT", f"/api/interviews/{iid}", wrong, sub="alice")
    assert (status, answer["code"]) == (400, "unknown_question")
    # Removing the question an item names is refused too; naming the remaining one is fine.
    one = {**PER_QUESTION, "questions": PER_QUESTION["questions"][:1], "rubric": [{"name": "Motivation", "questionId": "q2"}]}
    assert call(h, "PUT", f"/api/interviews/{iid}", one, sub="alice")[0] == 400
    moved = {**one, "rubric": [{"name": "Motivation", "questionId": "q1"}]}
    assert ok("PUT", f"/api/interviews/{iid}", moved)["rubric"][0]["questionId"] == "q1"
    # An item without a question applies to the whole interview, as before.
    assert ok("POST", "/api/interviews", {**PER_QUESTION, "rubric": [{"name": "Clarity"}]}, expect=201)["rubric"][0]["questionId"] is None


def test_per_question_scores_are_independent_and_need_that_questions_answer(org, ports):  # noqa: F811
    iid, (ada, alan) = submitted_candidates(PER_QUESTION)
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 2, "Report quality": 5}}, sub="alice")
    # Independent: the second reviewer sees no one's scores before scoring.
    assert ok("GET", f"/api/candidates/{ada}", sub="ann")["reviews"] == []
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Report quality": 4}}, sub="ann")
    seen = {r["reviewerId"]: r["scores"] for r in ok("GET", f"/api/candidates/{ada}", sub="ann")["reviews"]}
    assert seen == {"alice": {"Clarity": 2, "Report quality": 5}, "ann": {"Report quality": 4}}
    # Without an answer to its question, a per-question item cannot be scored (the whole-interview one can).
    file = ports.store.get_candidate_file("acme", alan)
    ports.store.delete_item(file.text("q1"))
    status, answer = call(h, "PUT", f"/api/candidates/{alan}/review", {"scores": {"Report quality": 3}}, sub="alice")
    assert (status, answer["code"]) == (409, "question_not_answered") and "Report quality" in answer["message"]
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {"Clarity": 3}}, sub="alice")

    # Analytics: each item's distribution says its question; agreement pairs the scores of one item on one candidate.
    ok("POST", f"/api/candidates/{ada}/decision", {"decision": "advance", "note": "clear reports"})
    stats = ok("GET", f"/api/interviews/{iid}/analytics")
    assert [(s["name"], s["questionId"], s["counts"]) for s in stats["scores"]] == [
        ("Clarity", None, [0, 1, 0, 0, 0]),
        ("Report quality", "q1", [0, 0, 0, 1, 1]),
    ]
    assert stats["agreement"]["sharedCandidates"] == 1 and stats["agreement"]["reviewers"] == 2

    # The CSV export heads a per-question item with its question, and gives the mean of that item alone.
    rows = list(csv.DictReader(io.StringIO(call_raw("GET", f"/api/interviews/{iid}/candidates.csv")[1])))
    assert "Report quality (question 1)" in rows[0] and "Clarity" in rows[0]
    ada_row = next(r for r in rows if r["candidate_id"] == ada)
    assert (ada_row["Clarity"], ada_row["Report quality (question 1)"]) == ("2.00", "4.50")
