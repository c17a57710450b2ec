"""A guest on a share link writes within the link's scope alone, on the DynamoDB adapter (moto): its one
candidate, while the link is live, under a name, and never under another guest's name; each write audited."""

from __future__ import annotations

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.service import identity
from tests.support.events import call

h = api.lambda_handler
INTERVIEW = {"title": "Analyst", "questions": [{"prompt": "Why us?", "kind": "text"}], "rubric": [{"name": "Clarity"}]}
OPINION = {"guestName": "Hana Ito", "scores": {"Clarity": 4}, "comment": "Clear."}


def ok(method, path, body=None, sub="alice", expect=200, **kw):
    status, answer = call(h, method, path, body, sub=sub, **kw)
    assert status == expect, (method, path, status, answer)
    return answer


@pytest.fixture
def world(ports, clock, monkeypatch):
    from oneway.handlers import deps

    monkeypatch.setattr(deps.ports(), "clock", clock)
    p = deps.ports()
    out = {}
    for org in ("acme", "globex"):
        identity.create_organization(p, org.title(), org_id=org)
        identity.add_member(p, org, f"{org}-alice", f"alice@{org}.test", Role.recruiter)
        iid = ok("POST", "/api/interviews", INTERVIEW, sub=f"{org}-alice", expect=201)["interviewId"]
        people = [{"name": n, "email": f"{n.lower()}@{org}-x.test"} for n in ("Ada", "Bea")]
        items = ok("POST", f"/api/interviews/{iid}/invitations", {"candidates": people, "sendEmail": False}, sub=f"{org}-alice", expect=201)["items"]
        for item in items:
            token = item["inviteUrl"].split("#t=")[1]
            assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
            assert call(h, "POST", "/api/c/questions/q1/text", {"text": "Because."}, token=token)[0] in (200, 201)
            assert call(h, "POST", "/api/c/complete", token=token)[0] == 200
        ada, bea = (i["candidateId"] for i in items)
        made = ok("POST", f"/api/candidates/{ada}/shares", {"minutes": 60}, sub=f"{org}-alice", expect=201)
        out[org] = {"ada": ada, "bea": bea, "link": made["url"].split("#/share/")[1], "shareId": made["shareId"]}
    return out


def opinions(org: str, candidate_id: str, sub: str) -> list[dict]:
    # A member sees guests' opinions once they have scored (independent scoring).
    ok("PUT", f"/api/candidates/{candidate_id}/review", {"scores": {"Clarity": 3}}, sub=sub)
    return ok("GET", f"/api/candidates/{candidate_id}", sub=sub)["guestOpinions"]


def test_a_guest_writes_to_the_links_candidate_only(world, clock):
    acme = world["acme"]
    status, saved = call(h, "PUT", "/api/share/opinion", OPINION, token=acme["link"])
    assert status == 200, saved
    # The route names no candidate; a body that tries to is refused, and nothing reaches another candidate
    # of the organization or the other organization's.
    status, err = call(h, "PUT", "/api/share/opinion", {**OPINION, "guestName": "Eve", "candidateId": acme["bea"]}, token=acme["link"])
    assert status == 422, err
    assert [g["label"] for g in opinions("acme", acme["ada"], "acme-alice")] == ["Hana Ito (guest)"]
    assert opinions("acme", acme["bea"], "acme-alice") == []
    assert opinions("globex", world["globex"]["ada"], "globex-alice") == []
    # Globex's link writes to globex's candidate, whatever acme's ids it is given.
    status, _ = call(h, "PUT", "/api/share/opinion", {**OPINION, "guestName": "Gus"}, token=world["globex"]["link"])
    assert status == 200
    assert [g["label"] for g in ok("GET", f"/api/candidates/{acme['ada']}", sub="acme-alice")["guestOpinions"]] == ["Hana Ito (guest)"]


def test_no_write_after_revocation_or_expiry_or_without_a_name(world, clock):
    acme = world["acme"]
    for body in ({**OPINION, "guestName": ""}, {**OPINION, "guestName": "   "}, {k: v for k, v in OPINION.items() if k != "guestName"}, {**OPINION, "guestName": "<script>"}):
        status, err = call(h, "PUT", "/api/share/opinion", body, token=acme["link"])
        assert status == 422, (body, err)
    status, err = call(h, "PUT", "/api/share/opinion", OPINION, token="not-a-link-token-at-all-0000000000000000")
    assert (status, err["code"]) == (401, "invalid_link")
    status, err = call(h, "PUT", "/api/share/opinion", OPINION, token=world["acme"]["link"] + "x")
    assert (status, err["code"]) == (401, "invalid_link")
    ok("DELETE", f"/api/candidates/{acme['ada']}/shares/{acme['shareId']}", sub="acme-alice")
    status, err = call(h, "PUT", "/api/share/opinion", OPINION, token=acme["link"])
    assert (status, err["code"]) == (410, "link_revoked")
    short = ok("POST", f"/api/candidates/{acme['bea']}/shares", {"minutes": 1}, sub="acme-alice", expect=201)["url"].split("#/share/")[1]
    clock.advance(minutes=2)
    status, err = call(h, "PUT", "/api/share/opinion", OPINION, token=short)
    assert (status, err["code"]) == (410, "link_expired")
    assert opinions("acme", acme["ada"], "acme-alice") == [] and opinions("acme", acme["bea"], "acme-alice") == []


def test_a_guest_cannot_write_under_another_guests_name(world):
    link = world["acme"]["link"]
    status, first = call(h, "PUT", "/api/share/opinion", OPINION, token=link)
    assert status == 200 and first["guestSecret"]
    status, err = call(h, "PUT", "/api/share/opinion", {**OPINION, "guestName": "hana ITO", "scores": {"Clarity": 1}}, token=link)
    assert (status, err["code"]) == (409, "guest_name_taken")
    status, err = call(h, "PUT", "/api/share/opinion", {**OPINION, "guestSecret": "y" * 43, "scores": {"Clarity": 1}}, token=link)
    assert (status, err["code"]) == (409, "guest_name_taken")
    status, again = call(h, "PUT", "/api/share/opinion", {**OPINION, "guestSecret": first["guestSecret"], "scores": {"Clarity": 2}}, token=link)
    assert status == 200 and again["scores"] == {"Clarity": 2}
    assert [g["scores"] for g in opinions("acme", world["acme"]["ada"], "acme-alice")] == [{"Clarity": 2}]


def test_each_guest_write_is_audited_with_the_link_and_the_name(world, ports):
    identity.add_member(ports, "acme", "acme-ann", "ann@acme.test", Role.admin)
    link, share_id = world["acme"]["link"], world["acme"]["shareId"]
    assert call(h, "PUT", "/api/share/opinion", OPINION, token=link)[0] == 200
    entries = ok("GET", "/api/audit", sub="acme-ann", query={"action": "candidate.guest_reviewed"})["items"]
    assert [(e["actor"], e["target"], e["detail"]) for e in entries] == [(f"share:{share_id}", world["acme"]["ada"], {"share": share_id, "guest": "Hana Ito"})]


def test_an_access_request_export_holds_the_guests_opinion_and_no_secret(world):
    link = world["acme"]["link"]
    status, saved = call(h, "PUT", "/api/share/opinion", OPINION, token=link)
    assert status == 200
    exported = ok("GET", f"/api/candidates/{world['acme']['ada']}/export", sub="acme-alice")
    (item,) = [i for i in exported["items"] if i.get("type") == "GuestOpinion"]
    assert item["guest_name"] == "Hana Ito" and item["comment"] == "Clear."
    assert "secret_hash" not in item and saved["guestSecret"] not in str(exported)
