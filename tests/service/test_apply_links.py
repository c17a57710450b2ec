"""Self-apply links, on the in-memory ports: a code to the address first, then exactly an invitation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from oneway.domain.errors import Conflict, Gone, InvalidInput, NotFound, TooManyRequests
from oneway.domain.models import Actor, MailTopic, Role
from oneway.domain.tokens import hash_token
from oneway.service import applying, identity, interviews, privacy, recording
from oneway.service.views import ApplyConfirm, ApplyInput, ApplyLinkInput, NewInterview

ALICE = Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter)
REVIEWER = Actor(user_id="rob", org_id="acme", email="rob@acme.test", role=Role.reviewer)
SRC = "203.0.113.7"


@pytest.fixture
def link(ports):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    iv = interviews.create_interview(ports, ALICE, NewInterview(title="Analyst", questions=[{"prompt": "Why us?", "kind": "text"}]))
    made = applying.set_apply_link(ports, ALICE, iv.interview_id, ApplyLinkInput(open=True, cap=3))
    assert made.url is not None
    return iv.interview_id, made.url.rsplit("/", 1)[1]


def codes(ports, clock, to: str) -> list[str]:
    """The codes emailed to ``to``, newest last (from the outbox)."""
    due = ports.store.list_due_messages(clock.now() + timedelta(days=1), 500)
    mails = sorted((m for m in due if m.topic == MailTopic.apply_code and m.mail.to == to), key=lambda m: m.created_at)
    found = [re.search(r"\b(\d{6})\b", m.mail.text) for m in mails]
    assert all(found)
    return [f.group(1) for f in found if f]


def invitations_to(ports, clock, to: str) -> list[str]:
    due = ports.store.list_due_messages(clock.now() + timedelta(days=1), 500)
    return [m.mail.text for m in due if m.topic == MailTopic.invitation and m.mail.to == to]


def apply(ports, slug, email="ada@x.test", name="Ada Lovelace", src=SRC):
    return applying.apply(ports, slug, ApplyInput(name=name, email=email, consent=True), src)


def test_a_confirmed_address_becomes_a_candidate_exactly_as_an_invitation(ports, clock, link):
    iid, slug = link
    assert len(slug) >= 22  # 128 random bits, base64url
    page = applying.apply_page(ports, slug, SRC)
    assert page.model_dump(exclude={"notice", "brand"}) == {"interview_title": "Analyst", "org_name": "Acme", "open": True, "locale": "en"}
    assert page.brand is not None and page.brand.model_dump() == {"name": "Acme", "accent": "#0f766e", "logo_url": None}  # Oneway's look
    assert "Acme" in page.notice
    apply(ports, slug, email="Ada@X.test")
    # No candidate before the code comes back.
    assert ports.store.list_candidates("acme", iid, None, None, 10).items == []
    code = codes(ports, clock, "ada@x.test")[-1]
    got = applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=code), SRC)
    token = got.invite_url.split("#t=")[1]
    cand = ports.store.find_candidate_by_token(hash_token(token))
    assert cand.name == "Ada Lovelace" and cand.email == "ada@x.test" and cand.interview_id == iid
    assert recording.session(ports, cand, None).interview.title == "Analyst"
    assert ports.store.get_reminder("acme", cand.candidate_id) is not None
    assert len(invitations_to(ports, clock, "ada@x.test")) == 1 and token in invitations_to(ports, clock, "ada@x.test")[0]
    counters = ports.store.get_counters("acme", iid)
    assert counters["applied"] == 1 and counters["invited"] == 1
    assert applying.get_apply_link(ports, ALICE, iid).applied == 1
    # The code is spent; the application keeps no name nor address.
    with pytest.raises(InvalidInput):
        applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=code), SRC)
    stored = ports.store.get_application("acme", iid, applying.email_key("ada@x.test"))
    assert stored.candidate_id == cand.candidate_id and stored.email == "" and stored.name == "" and code not in stored.model_dump_json()
    actions = [(e.actor, e.action, e.target) for e in ports.store.list_audit("acme", clock.now().strftime("%Y-%m"), 50)]
    assert ("applicant", "application.confirmed", cand.candidate_id) in actions
    assert ("alice", "apply_link.opened", iid) in actions


def test_the_same_address_twice_gets_its_invitation_resent_not_a_second_candidate(ports, clock, link):
    iid, slug = link
    apply(ports, slug)
    first = applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=codes(ports, clock, "ada@x.test")[-1]), SRC)
    clock.advance(minutes=2)
    again = apply(ports, slug)
    assert again.model_dump().keys() == {"email", "expires_at"}  # the same answer as a first application
    second = applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=codes(ports, clock, "ada@x.test")[-1]), SRC)
    assert len(ports.store.list_candidates("acme", iid, None, None, 10).items) == 1
    assert ports.store.get_counters("acme", iid)["applied"] == 1
    # A fresh link; the old one stops working.
    assert ports.store.find_candidate_by_token(hash_token(first.invite_url.split("#t=")[1])) is None
    assert ports.store.find_candidate_by_token(hash_token(second.invite_url.split("#t=")[1])) is not None


def test_wrong_codes_expiry_and_five_tries(ports, clock, link):
    iid, slug = link
    apply(ports, slug)
    code = codes(ports, clock, "ada@x.test")[-1]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(InvalidInput) as err:
            applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=wrong), SRC)
        assert err.value.code == "wrong_code"
    with pytest.raises(Gone) as spent:  # the fifth wrong try spends the code
        applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=wrong), SRC)
    assert spent.value.code == "code_expired"
    with pytest.raises(Gone) as spent:  # even the right one, now
        applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=code), SRC)
    assert spent.value.code == "code_expired"
    # A new code works; one 15 minutes old does not.
    clock.advance(minutes=1)
    apply(ports, slug)
    clock.advance(minutes=15)
    with pytest.raises(Gone):
        applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=codes(ports, clock, "ada@x.test")[-1]), SRC)
    assert ports.store.list_candidates("acme", iid, None, None, 10).items == []
    # An address that never applied answers as a wrong code (nothing tells which addresses applied).
    with pytest.raises(InvalidInput) as err:
        applying.confirm(ports, slug, ApplyConfirm(email="nobody@x.test", code=code), SRC)
    assert err.value.code == "wrong_code"


def test_cap_closed_unknown_and_roles(ports, clock, link):
    iid, slug = link
    for i in range(3):
        apply(ports, slug, email=f"p{i}@x.test", src=f"198.51.100.{i}")
        applying.confirm(ports, slug, ApplyConfirm(email=f"p{i}@x.test", code=codes(ports, clock, f"p{i}@x.test")[-1]), f"198.51.100.{i}")
    with pytest.raises(Conflict) as err:
        apply(ports, slug, email="late@x.test")
    assert err.value.code == "apply_cap_reached"
    assert applying.apply_page(ports, slug, SRC).open is False
    applying.set_apply_link(ports, ALICE, iid, ApplyLinkInput(open=True, cap=10))
    apply(ports, slug, email="late@x.test")
    closed = applying.set_apply_link(ports, ALICE, iid, ApplyLinkInput(open=False))
    assert closed.open is False and closed.url is not None and closed.url.endswith(slug)  # the same URL when opened again
    with pytest.raises(Gone) as gone:
        apply(ports, slug, email="other@x.test")
    assert gone.value.code == "apply_closed"
    with pytest.raises(Gone):  # a code sent before the close does not make a candidate after it
        applying.confirm(ports, slug, ApplyConfirm(email="late@x.test", code=codes(ports, clock, "late@x.test")[-1]), SRC)
    assert applying.apply_page(ports, slug, SRC).open is False
    with pytest.raises(NotFound):
        applying.apply_page(ports, slug[:-2] + ("AA" if not slug.endswith("AA") else "BB"), SRC)
    with pytest.raises(NotFound):  # the interview's id is no slug
        applying.apply_page(ports, iid, SRC)
    from oneway.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        applying.set_apply_link(ports, REVIEWER, iid, ApplyLinkInput(open=True))
    actions = [e.action for e in ports.store.list_audit("acme", clock.now().strftime("%Y-%m"), 100)]
    assert "apply_link.closed" in actions and "apply_link.cap" in actions


def test_rate_limits_per_source_interview_and_address(ports, clock, link, monkeypatch):
    _, slug = link
    monkeypatch.setattr(ports.settings, "apply_per_source_per_minute", 3)
    for _ in range(3):
        applying.apply_page(ports, slug, SRC)
    with pytest.raises(TooManyRequests) as err:
        applying.apply_page(ports, slug, SRC)
    assert err.value.retry_after is not None and 1 <= err.value.retry_after <= 61
    applying.apply_page(ports, slug, "198.51.100.1")  # another source is not held back
    clock.advance(minutes=1)
    applying.apply_page(ports, slug, SRC)
    # Per interview: many sources, one interview.
    monkeypatch.setattr(ports.settings, "apply_per_interview_per_minute", 2)
    clock.advance(minutes=1)
    apply(ports, slug, email="a@x.test", src="10.0.0.1")
    apply(ports, slug, email="b@x.test", src="10.0.0.2")
    with pytest.raises(TooManyRequests):
        apply(ports, slug, email="c@x.test", src="10.0.0.3")
    # Per address: at most five codes an hour to one mailbox, whoever asks.
    monkeypatch.setattr(ports.settings, "apply_per_interview_per_minute", 1000)
    monkeypatch.setattr(ports.settings, "apply_per_source_per_minute", 1000)
    for i in range(4):
        apply(ports, slug, email="a@x.test", src=f"10.1.0.{i}")
    with pytest.raises(TooManyRequests):
        apply(ports, slug, email="a@x.test", src="10.2.0.1")


def test_consent_is_required(ports, link):
    _, slug = link
    with pytest.raises(InvalidInput) as err:
        applying.apply(ports, slug, ApplyInput(name="Ada", email="ada@x.test", consent=False), SRC)
    assert err.value.code == "consent_required"


def test_erasing_an_applicant_forgets_the_application_and_the_address_may_apply_afresh(ports, clock, link):
    iid, slug = link
    apply(ports, slug)
    first = applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=codes(ports, clock, "ada@x.test")[-1]), SRC)
    gone = ports.store.find_candidate_by_token(hash_token(first.invite_url.split("#t=")[1]))
    privacy.erase_candidate(ports, ALICE, gone.candidate_id)
    # Nothing keeps the address's hash or the erased candidate's id.
    assert ports.store.get_application("acme", iid, applying.email_key("ada@x.test")) is None
    # Applying again makes a new candidate (not a re-sent link to the erased one).
    apply(ports, slug)
    again = applying.confirm(ports, slug, ApplyConfirm(email="ada@x.test", code=codes(ports, clock, "ada@x.test")[-1]), SRC)
    new = ports.store.find_candidate_by_token(hash_token(again.invite_url.split("#t=")[1]))
    assert new is not None and new.candidate_id != gone.candidate_id
    assert ports.store.get_application("acme", iid, applying.email_key("ada@x.test")).candidate_id == new.candidate_id
