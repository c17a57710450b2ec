"""The candidate list's review figures, written with each review (no read of the reviews): how many
reviews, whether the viewer reviewed, the viewer's mean score and the average over reviewers, which keeps
to independent scoring (hidden until the viewer has reviewed or the candidate is decided)."""

from __future__ import annotations

from tests.service.test_review_fairness import ok, org, submitted_candidates  # noqa: F401  (org is a fixture)


def rows(iid, sub="alice"):
    return {c["candidateId"]: c for c in ok("GET", f"/api/interviews/{iid}/candidates", sub=sub)["items"]}


def test_the_list_says_who_reviewed_my_score_and_the_average_once_i_may_see_it(org):  # noqa: F811
    iid, (ada, alan) = submitted_candidates()
    before = rows(iid)[ada]
    assert (before["reviews"], before["reviewedByMe"], before["myScore"], before["averageScore"]) == (0, False, None, None)

    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 4, "Depth": 2}}, sub="ann")
    mine = rows(iid)[ada]  # alice has not reviewed: the others' average stays hidden
    assert (mine["reviews"], mine["reviewedByMe"], mine["myScore"], mine["averageScore"]) == (1, False, None, None)
    assert rows(iid, "ann")[ada]["myScore"] == 3 and rows(iid, "ann")[ada]["averageScore"] == 3

    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 5, "Depth": 5}})
    mine = rows(iid)[ada]
    assert (mine["reviews"], mine["reviewedByMe"], mine["myScore"], mine["averageScore"]) == (2, True, 5, 4)
    # A second save of one's review replaces its mean, it does not add a review.
    ok("PUT", f"/api/candidates/{ada}/review", {"scores": {"Clarity": 3, "Depth": 3}})
    assert (rows(iid)[ada]["reviews"], rows(iid)[ada]["averageScore"]) == (2, 3)

    # Once decided, everyone sees the average; a review without scores counts as a review, not in the average.
    ok("PUT", f"/api/candidates/{alan}/review", {"scores": {}, "comment": "Strong."}, sub="ann")
    ok("POST", f"/api/candidates/{alan}/decision", {"decision": "advance", "note": "ok"}, sub="ann")
    alan_row = rows(iid)[alan]
    assert (alan_row["reviews"], alan_row["reviewedByMe"], alan_row["averageScore"]) == (1, False, None)
