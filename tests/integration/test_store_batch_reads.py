"""A take and its interview in one request: what begin_upload reads before handing out part URLs."""

from __future__ import annotations

from oneway.domain.keys import TakeRef
from tests.integration.test_pipeline import c, invited  # noqa: F401  (the fixture)


def test_a_take_and_its_interview_come_back_from_one_batch_read(invited, ports):  # noqa: F811
    c(invited, "POST", "/api/c/consent", {"accepted": True})
    status, take = c(invited, "POST", "/api/c/questions/q1/takes")
    assert status == 201
    ref = TakeRef(org_id="acme", interview_id=invited["interview_id"], candidate_id=invited["candidate_id"], question_id="q1", take_id=take["takeId"])
    calls = []
    ports.store._db.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    got, interview = ports.store.get_take_and_interview(ref)
    assert calls == ["BatchGetItem"]
    assert got == ports.store.get_take(ref)
    assert interview == ports.store.get_interview("acme", invited["interview_id"])
    # Unknown keys give None, and a key of another kind of item gives nothing of the wrong type.
    missing, same = ports.store.get_take_and_interview(ref.model_copy(update={"take_id": "nope"}))
    assert missing is None and same == interview
    assert ports.store.get_take_and_interview(ref.model_copy(update={"interview_id": "nope"}))[1] is None


def test_begin_upload_reads_the_take_and_interview_together(invited, ports):  # noqa: F811
    c(invited, "POST", "/api/c/consent", {"accepted": True})
    _, take = c(invited, "POST", "/api/c/questions/q1/takes")
    calls = []
    ports.store._db.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    status, ticket = c(invited, "POST", f"/api/c/questions/q1/takes/{take['takeId']}/upload", {"contentType": "video/webm", "size": 20 * 2**20})
    assert status == 200 and len(ticket["parts"]) == 3
    assert calls.count("BatchGetItem") == 1 and calls.count("GetItem") == 1  # the candidate (a valid token reads no rate counter)
    status, answer = c(invited, "POST", "/api/c/questions/q1/takes/nope/upload", {"contentType": "video/webm", "size": 1024})
    assert (status, answer["code"]) == (404, "take_not_found")
