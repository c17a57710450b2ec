"""Share links, on the in-memory ports: read-only, expiring, revocable, hashed at rest, audited."""

from __future__ import annotations

import json

import pytest

from oneway.domain.errors import Forbidden, Gone, Unauthorized
from oneway.domain.models import Actor, Role
from oneway.domain.tokens import hash_token
from oneway.handlers import api
from oneway.service import identity, interviews, invitations, recording, sharing
from oneway.service.views import InviteCandidates, NewInterview, ShareInput
from tests.support.events import call

ALICE = Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter)


@pytest.fixture
def candidate(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    iv = interviews.create_interview(ports, ALICE, NewInterview(title="Analyst", questions=[{"prompt": "Why us?", "kind": "text"}]))
    inv = invitations.invite_candidates(ports, ALICE, iv.interview_id, InviteCandidates(candidates=[{"name": "Ada Lovelace", "email": "ada@x.test"}], send_email=False))
    token = inv.items[0].invite_url.split("#t=")[1]
    c = ports.store.find_candidate_by_token(hash_token(token))
    recording.give_consent(ports, c)
    recording.answer_text(ports, ports.store.get_candidate("acme", c.candidate_id), "q1", "Because.")
    recording.complete_interview(ports, ports.store.get_candidate("acme", c.candidate_id))
    return c.candidate_id


def token_of(url: str) -> str:
    return url.split("#/share/")[1]


def test_a_link_shows_one_candidate_read_only_until_it_expires(ports, clock, candidate):
    made = sharing.create_share(ports, ALICE, candidate, ShareInput(minutes=60))
    token = token_of(made.url)
    assert made.url.startswith("http://127.0.0.1:8000/#/share/") and len(token) >= 43
    seen = sharing.view_shared(ports, token)
    assert seen.label == "Ada Lovelace" and seen.interview_title == "Analyst" and seen.answers[0].text == "Because."
    assert "ada@x.test" not in seen.model_dump_json()  # no email on a share link
    # Stored hashed: the token itself is nowhere in the candidate's items.
    file = ports.store.get_candidate_file("acme", candidate)
    assert file.shares[0].token_hash == hash_token(token) and token not in file.model_dump_json()
    assert file.shares[0].views == 1
    clock.advance(minutes=61)
    with pytest.raises(Gone) as err:
        sharing.view_shared(ports, token)
    assert err.value.code == "link_expired"


def test_a_revoked_link_stops_at_once_and_every_view_is_audited(ports, clock, candidate):
    made = sharing.create_share(ports, ALICE, candidate, ShareInput())
    token = token_of(made.url)
    sharing.view_shared(ports, token)
    sharing.view_shared(ports, token)
    sharing.revoke_share(ports, ALICE, candidate, made.share_id)
    with pytest.raises(Gone) as err:
        sharing.view_shared(ports, token)
    assert err.value.code == "link_revoked"
    with pytest.raises(Unauthorized):
        sharing.view_shared(ports, "not-a-token")
    month = clock.now().strftime("%Y-%m")
    actions = [(e.actor, e.action) for e in ports.store.list_audit("acme", month, 50)]
    assert actions.count((f"share:{made.share_id}", "candidate.viewed_by_link")) == 2
    assert ("alice", "candidate.shared") in actions and ("alice", "candidate.share_revoked") in actions
    assert sharing.list_shares(ports, ALICE, candidate).items[0].revoked_at is not None


def test_only_managers_share_and_the_route_needs_the_links_token(ports, candidate):
    identity.add_member(ports, "acme", "rita", "rita@acme.test", Role.reviewer)
    rita = Actor(user_id="rita", org_id="acme", email="rita@acme.test", role=Role.reviewer)
    with pytest.raises(Forbidden):
        sharing.create_share(ports, rita, candidate, ShareInput())
    status, made = call(api.lambda_handler, "POST", f"/api/candidates/{candidate}/shares", {"minutes": 5}, sub="alice")
    assert status == 201, made
    status, body = call(api.lambda_handler, "GET", "/api/share/candidate")
    assert status == 401 and body["code"] == "invalid_link"
    status, body = call(api.lambda_handler, "GET", "/api/share/candidate", token=token_of(made["url"]))
    assert status == 200 and body["label"] == "Ada Lovelace" and "email" not in json.dumps(body)
    status, body = call(api.lambda_handler, "DELETE", f"/api/candidates/{candidate}/shares/{made['shareId']}", sub="alice")
    assert status == 200 and body["revokedAt"]
    status, body = call(api.lambda_handler, "GET", "/api/share/candidate", token=token_of(made["url"]))
    assert status == 410 and body["code"] == "link_revoked"
