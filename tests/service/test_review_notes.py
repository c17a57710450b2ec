"""Notes pinned to a moment of an answer: added by any member who may open the candidate, audited, shown to
others under the rule of independent scoring, removed by their author only, erased with the candidate."""

from __future__ import annotations

from tests.service.test_review_fairness import h, ok, org, submitted_candidates  # noqa: F401  (org is a fixture)
from tests.support.events import call


def test_a_note_at_a_moment_is_kept_shown_by_the_rule_of_reviews_and_removed_by_its_author(org, ports):  # noqa: F811
    _iid, (ada, _) = submitted_candidates()
    note = ok("POST", f"/api/candidates/{ada}/notes", {"questionId": "q1", "seconds": 12.34, "text": "Names the trade-off"}, expect=201)
    assert (note["questionId"], note["seconds"], note["text"], note["authorId"]) == ("q1", 12.3, "Names the trade-off", "alice")
    assert [n["noteId"] for n in ok("GET", f"/api/candidates/{ada}")["notes"]] == [note["noteId"]]
    # Another manager sees it only once they have reviewed (independent scoring), as with the reviews.
    assert ok("GET", f"/api/candidates/{ada}", sub="ann")["notes"] == []
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 3}}, sub="ann")
    assert [n["text"] for n in ok("GET", f"/api/candidates/{ada}", sub="ann")["notes"]] == ["Names the trade-off"]
    # Only its author removes it; an unknown question is refused.
    assert call(h, "DELETE", f"/api/candidates/{ada}/notes/{note['noteId']}", sub="ann")[0] == 403
    assert call(h, "POST", f"/api/candidates/{ada}/notes", {"questionId": "q9", "seconds": 1, "text": "x"}, sub="alice")[0] == 400
    ok("DELETE", f"/api/candidates/{ada}/notes/{note['noteId']}")
    assert ok("GET", f"/api/candidates/{ada}")["notes"] == []
    actions = [e.action for e in ports.store.list_audit("acme", ports.clock.now().strftime("%Y-%m"), 200)]
    assert "candidate.noted" in actions and "candidate.note_removed" in actions
