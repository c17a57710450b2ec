"""Guests' opinions through share links, on the in-memory ports: a named guest scores and comments one
candidate, within the link's scope; the team sees "<name> (guest)" apart from members' reviews, under
independent scoring, and the members' agreement never counts them."""

from __future__ import annotations

import pytest

from oneway.domain.errors import Conflict, Gone, InvalidInput, TooManyRequests
from oneway.domain.models import Actor, Role
from oneway.domain.tokens import hash_token
from oneway.handlers import api
from oneway.service import analytics, identity, interviews, invitations, recording, review, sharing
from oneway.service.views import (
    DecisionInput,
    GuestOpinionInput,
    InviteCandidates,
    NewInterview,
    ReviewInput,
    ShareInput,
)
from tests.support.events import call

ALICE = Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter)
BOB = Actor(user_id="bob", org_id="acme", email="bob@acme.test", role=Role.recruiter)


def invite(ports, iid: str, name: str, submit: bool = True) -> str:
    inv = invitations.invite_candidates(ports, ALICE, iid, InviteCandidates(candidates=[{"name": name, "email": f"{name.split()[0].lower()}@x.test"}], send_email=False))
    c = ports.store.find_candidate_by_token(hash_token(inv.items[0].invite_url.split("#t=")[1]))
    if submit:
        recording.give_consent(ports, c)
        recording.answer_text(ports, ports.store.get_candidate("acme", c.candidate_id), "q1", "Because.")
        recording.complete_interview(ports, ports.store.get_candidate("acme", c.candidate_id))
    return c.candidate_id


@pytest.fixture
def world(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    identity.add_member(ports, "acme", "bob", "bob@acme.test", Role.recruiter)
    iv = interviews.create_interview(
        ports,
        ALICE,
        NewInterview(title="Analyst", questions=[{"prompt": "Why us?", "kind": "text"}], rubric=[{"name": "Clarity"}, {"name": "Depth"}]),
    )
    return {"interview": iv.interview_id, "ada": invite(ports, iv.interview_id, "Ada Lovelace"), "bea": invite(ports, iv.interview_id, "Bea Smith")}


def link(ports, candidate_id: str, minutes: int = 60) -> tuple[str, str]:
    made = sharing.create_share(ports, ALICE, candidate_id, ShareInput(minutes=minutes))
    return made.url.split("#/share/")[1], made.share_id


def opinion(name: str, **kw) -> GuestOpinionInput:
    return GuestOpinionInput(guest_name=name, **kw)


def test_a_guest_rates_and_comments_once_per_name_and_the_team_sees_it_apart(ports, clock, world):
    token, share_id = link(ports, world["ada"])
    seen = sharing.view_shared(ports, token)
    assert seen.accepts_opinions and [r.name for r in seen.rubric] == ["Clarity", "Depth"] and seen.share_id == share_id

    given = sharing.give_guest_opinion(ports, token, opinion("  Hana   Ito ", scores={"Clarity": 4}, comment="Clear and calm.", recommendation="advance"))
    assert given.label == "Hana Ito (guest)" and given.scores == {"Clarity": 4}
    assert given.guest_secret is not None and len(given.guest_secret) >= 43
    clock.advance(minutes=5)
    # The same name (case and spaces aside) with the secret of the first save revises the one opinion.
    again = sharing.give_guest_opinion(
        ports, token, opinion("hana ito", guest_secret=given.guest_secret, scores={"Clarity": 5, "Depth": 3}, comment="Better on a second look.")
    )
    assert again.guest_name == "Hana Ito" and again.guest_secret is None and again.updated_at > again.submitted_at
    # Without it, another holder of the link cannot write under that name.
    for secret in (None, "x" * 43):
        with pytest.raises(Conflict) as err:
            sharing.give_guest_opinion(ports, token, opinion("Hana Ito", guest_secret=secret, scores={"Clarity": 1}))
        assert err.value.code == "guest_name_taken"

    file = ports.store.get_candidate_file("acme", world["ada"])
    assert len(file.guest_opinions) == 1 and file.reviews == [] and file.ratings == []  # apart from members' reviews
    assert file.guest_opinions[0].secret_hash == hash_token(given.guest_secret) and given.guest_secret not in file.model_dump_json()

    # Independent scoring: a member sees guests' opinions once they have scored, like others' reviews.
    before = review.candidate_detail(ports, ALICE, world["ada"])
    assert before.guest_opinions == [] and before.hidden_guest_opinions == 1
    review.submit_review(ports, ALICE, world["ada"], ReviewInput(scores={"Clarity": 3, "Depth": 3}))
    after = review.candidate_detail(ports, ALICE, world["ada"])
    assert [(g.label, g.scores) for g in after.guest_opinions] == [("Hana Ito (guest)", {"Clarity": 5, "Depth": 3})]
    assert after.hidden_guest_opinions == 0 and [r.reviewer_id for r in after.reviews] == ["alice"]

    # Each save is audited with the link's id and the guest's name.
    actions = [(e.actor, e.action, e.detail) for e in ports.store.list_audit("acme", clock.now().strftime("%Y-%m"), 50)]
    guest_writes = [a for a in actions if a[1] == "candidate.guest_reviewed"]
    assert len(guest_writes) == 2 and all(a[0] == f"share:{share_id}" and a[2] == {"share": share_id, "guest": "Hana Ito"} for a in guest_writes)


def test_guests_never_count_in_the_members_agreement(ports, world):
    for cid in (world["ada"], world["bea"]):
        review.submit_review(ports, ALICE, cid, ReviewInput(scores={"Clarity": 5, "Depth": 5}))
        review.submit_review(ports, BOB, cid, ReviewInput(scores={"Clarity": 5, "Depth": 4}))
    members_only = analytics.reviewer_agreement(ports, "acme", world["interview"])
    for cid in (world["ada"], world["bea"]):
        token, _ = link(ports, cid)
        sharing.give_guest_opinion(ports, token, opinion("Guest One", scores={"Clarity": 1, "Depth": 1}))
        sharing.give_guest_opinion(ports, token, opinion("Guest Two", scores={"Clarity": 2, "Depth": 5}))
    assert analytics.reviewer_agreement(ports, "acme", world["interview"]) == members_only
    review.decide(ports, ALICE, world["ada"], DecisionInput(decision="advance", note="Strong."))
    dist = {s.name: s.counts for s in analytics.interview_analytics(ports, ALICE, world["interview"]).scores}
    assert sum(dist["Clarity"]) == 2  # two members' scores of the decided candidate; no guest's


def test_the_link_bounds_what_a_guest_writes(ports, clock, world):
    token, share_id = link(ports, world["ada"], minutes=24 * 60)
    with pytest.raises(InvalidInput) as bad:
        sharing.give_guest_opinion(ports, token, opinion("Hana", scores={"Charm": 5}))
    assert bad.value.code == "unknown_rubric_item"
    with pytest.raises(InvalidInput) as bad:
        sharing.give_guest_opinion(ports, token, opinion("Hana", comment="   "))
    assert bad.value.code == "empty_opinion"
    # A candidate who has not submitted takes no opinions.
    pending = invite(ports, world["interview"], "Cy Young", submit=False)
    early, _ = link(ports, pending)
    assert sharing.view_shared(ports, early).accepts_opinions is False
    with pytest.raises(Conflict) as refused:
        sharing.give_guest_opinion(ports, early, opinion("Hana", scores={"Clarity": 3}))
    assert refused.value.code == "not_submitted"
    # At most GUESTS_PER_LINK names per link; a name already there may still revise.
    secrets = [sharing.give_guest_opinion(ports, token, opinion(f"Guest {i}", scores={"Clarity": 3})).guest_secret for i in range(sharing.GUESTS_PER_LINK)]
    with pytest.raises(Conflict) as refused:
        sharing.give_guest_opinion(ports, token, opinion("One Too Many", scores={"Clarity": 3}))
    assert refused.value.code == "too_many_guests"
    sharing.give_guest_opinion(ports, token, opinion("Guest 0", guest_secret=secrets[0], scores={"Clarity": 4}))
    # And a number of saves per link an hour (every try counts, the refused one above too).
    for _ in range(sharing.GUEST_WRITES_PER_HOUR - sharing.GUESTS_PER_LINK - 2):
        sharing.give_guest_opinion(ports, token, opinion("Guest 1", guest_secret=secrets[1], scores={"Clarity": 2}))
    with pytest.raises(TooManyRequests):
        sharing.give_guest_opinion(ports, token, opinion("Guest 1", guest_secret=secrets[1], scores={"Clarity": 1}))
    clock.advance(hours=1)
    sharing.give_guest_opinion(ports, token, opinion("Guest 1", guest_secret=secrets[1], scores={"Clarity": 1}))
    # Revoked or expired: nothing more is written.
    sharing.revoke_share(ports, ALICE, world["ada"], share_id)
    with pytest.raises(Gone) as gone:
        sharing.give_guest_opinion(ports, token, opinion("Guest 1", guest_secret=secrets[1], scores={"Clarity": 5}))
    assert gone.value.code == "link_revoked"
    short, _ = link(ports, world["bea"], minutes=1)
    clock.advance(minutes=2)
    with pytest.raises(Gone) as gone:
        sharing.give_guest_opinion(ports, short, opinion("Hana", scores={"Clarity": 5}))
    assert gone.value.code == "link_expired"
    assert ports.store.get_candidate_file("acme", world["bea"]).guest_opinions == []


def test_the_routes_take_the_links_token_and_a_name(ports, world):
    token, _ = link(ports, world["ada"])
    body = {"guestName": "Hana Ito", "scores": {"Clarity": 4}, "comment": "Good."}
    status, saved = call(api.lambda_handler, "PUT", "/api/share/opinion", body, token=token)
    assert status == 200 and saved["label"] == "Hana Ito (guest)" and saved["scores"] == {"Clarity": 4}
    status, again = call(api.lambda_handler, "PUT", "/api/share/opinion", {**body, "guestSecret": saved["guestSecret"], "comment": "Very good."}, token=token)
    assert status == 200 and again["comment"] == "Very good." and again.get("guestSecret") is None
    status, err = call(api.lambda_handler, "PUT", "/api/share/opinion", body, token=token)
    assert status == 409 and err["code"] == "guest_name_taken"
    status, err = call(api.lambda_handler, "PUT", "/api/share/opinion", {**body, "guestName": "   "}, token=token)
    assert status == 422
    status, err = call(api.lambda_handler, "PUT", "/api/share/opinion", {"scores": {"Clarity": 4}}, token=token)
    assert status == 422
    status, err = call(api.lambda_handler, "PUT", "/api/share/opinion", {**body, "comment": "x" * 2001}, token=token)
    assert status == 422
    status, err = call(api.lambda_handler, "PUT", "/api/share/opinion", {**body, "scores": {"Clarity": 6}}, token=token)
    assert status == 422
    status, err = call(api.lambda_handler, "PUT", "/api/share/opinion", body)
    assert status == 401 and err["code"] == "invalid_link"
    status, detail = call(api.lambda_handler, "GET", f"/api/candidates/{world['ada']}", sub="alice")
    assert status == 200 and detail["hiddenGuestOpinions"] == 1 and detail["guestOpinions"] == []


def test_a_link_to_a_blind_interview_stays_blind_for_the_guest(ports, world):
    iv = interviews.create_interview(
        ports, ALICE, NewInterview(title="Blind analyst", questions=[{"prompt": "Why us?", "kind": "text"}], rubric=[{"name": "Clarity"}], blind=True)
    )
    cid = invite(ports, iv.interview_id, "Dora Blind")
    token, _ = link(ports, cid)
    seen = sharing.view_shared(ports, token)
    assert seen.blind and seen.label.startswith("Candidate ") and "Dora" not in seen.model_dump_json()
    saved = sharing.give_guest_opinion(ports, token, opinion("Hana Ito", scores={"Clarity": 4}, comment="Good."))
    assert "Dora" not in saved.model_dump_json()
    review.submit_review(ports, ALICE, cid, ReviewInput(scores={"Clarity": 3}))
    assert [g.label for g in review.candidate_detail(ports, ALICE, cid).guest_opinions] == ["Hana Ito (guest)"]
