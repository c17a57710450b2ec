"""Search by transcript words: an inverted index written when a transcript lands, erased with the candidate."""

from __future__ import annotations

import pytest

from oneway.domain.errors import Forbidden, InvalidInput
from oneway.domain.models import Actor, Role, Take, TakeStatus
from oneway.service import identity, interviews, invitations, privacy, search
from oneway.service.views import InviteCandidates, NewInterview

ALICE = Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter)


@pytest.fixture
def seeded(ports, clock):
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    iv = interviews.create_interview(ports, ALICE, NewInterview(title="Engineer", questions=[{"prompt": "A system you built"}, {"prompt": "A failure"}]))
    people = [{"name": n, "email": f"{n.lower()}@x.test"} for n in ("Ada", "Grace", "Alan")]
    inv = invitations.invite_candidates(ports, ALICE, iv.interview_id, InviteCandidates(candidates=people, send_email=False))
    ids = {i.name: i.candidate_id for i in inv.items}
    said = {
        ("Ada", "q1"): "I built a Kafka pipeline for billing data.",
        ("Ada", "q2"): "Our deploy failed because of a missing index.",
        ("Grace", "q1"): "I wrote a compiler, then a billing system.",
        ("Alan", "q1"): "I broke the Enigma cipher.",
    }
    for (name, q), text in said.items():
        take = Take(org_id="acme", interview_id=iv.interview_id, candidate_id=ids[name], question_id=q, take_id="t1",
                    status=TakeStatus.ready, created_at=clock.now(), transcript=text)
        ports.store.save(take)
        search.index_take(ports, take)
    return iv.interview_id, ids


def names(ports, interview_id, q):
    return sorted(c.name for c in search.search_candidates(ports, ALICE, interview_id, q).items)


def test_words_are_normalised():
    assert search.words("The Kafka-pipeline's CAFÉ, naïve 42 a I") == {"kafka-pipeline's", "cafe", "naive"}


def test_search_finds_candidates_by_words_in_any_answer_and_intersects_words(ports, seeded):
    iid, _ = seeded
    assert names(ports, iid, "billing") == ["Ada", "Grace"]
    assert names(ports, iid, "Billing KAFKA") == ["Ada"]
    assert names(ports, iid, "index") == ["Ada"]  # the second answer counts too
    assert names(ports, iid, "enigma compiler") == []
    assert names(ports, iid, "nothing") == []
    with pytest.raises(InvalidInput):
        names(ports, iid, "a I of")
    with pytest.raises(Forbidden):
        search.search_candidates(ports, Actor(user_id="r", org_id="acme", email="r@x", role=Role.reviewer), iid, "billing")


def test_erasing_a_candidate_erases_their_words(ports, seeded):
    iid, ids = seeded
    privacy.erase_candidate(ports, ALICE, ids["Ada"])
    assert names(ports, iid, "billing") == ["Grace"]
    assert ports.store.find_postings("acme", iid, "kafka", 10) == []


def test_each_hit_says_which_answer_and_the_words_around_the_match(ports, seeded):
    iid, _ = seeded
    hits = {h.name: h for h in search.search_candidates(ports, ALICE, iid, "billing").items}
    assert [(m.question_id, m.word, m.snippet) for m in hits["Ada"].matches] == [("q1", "billing", "I built a Kafka pipeline for billing data.")]
    assert [m.question_id for m in hits["Grace"].matches] == ["q1"]
    # Two words in two answers: each answer says which of them it holds.
    both = search.search_candidates(ports, ALICE, iid, "kafka index").items
    assert [(m.question_id, m.word) for m in both[0].matches] == [("q1", "Kafka"), ("q2", "index.")]


def test_a_hit_gives_the_second_the_word_was_said_from_the_transcripts_word_times(ports, seeded, clock, monkeypatch):
    iid, ids = seeded
    doc = {"results": {"transcripts": [{"transcript": "we shipped telemetry"}], "items": [
        {"type": "pronunciation", "start_time": "0.5", "alternatives": [{"content": "we"}]},
        {"type": "pronunciation", "start_time": "1.25", "alternatives": [{"content": "shipped"}]},
        {"type": "pronunciation", "start_time": "2.75", "alternatives": [{"content": "telemetry"}]},
        {"type": "punctuation", "alternatives": [{"content": "."}]},
    ]}}
    monkeypatch.setattr(ports.objects, "read_media_json", lambda key: doc if key == "t.json" else {})
    take = Take(org_id="acme", interview_id=iid, candidate_id=ids["Alan"], question_id="q2", take_id="t1",
                status=TakeStatus.ready, created_at=clock.now(), transcript="we shipped telemetry", transcript_key="t.json")
    ports.store.save(take)
    search.index_take(ports, take)
    [hit] = search.search_candidates(ports, ALICE, iid, "Telemetry").items
    assert [(m.question_id, m.word, m.seconds, m.snippet) for m in hit.matches] == [("q2", "telemetry", 2.75, "we shipped telemetry")]
