"""Copies of answers, on the in-memory ports: a manager's download of one answer's video (not a reviewer, not in
blind review, not another organization's; audited) and a candidate's own copy of their answers (text, transcript and
their videos to save, named by interview and question; audited with the candidate as the actor)."""

from __future__ import annotations

import pytest

from oneway.domain.errors import Forbidden, NotFound
from oneway.domain.models import Actor, Role, StepState, Take, TakeStatus
from oneway.domain.tokens import hash_token
from oneway.service import identity, interviews, invitations, privacy
from oneway.service.views import InviteCandidates, NewInterview

ALICE = Actor(user_id="alice", org_id="acme", email="alice@acme.test", role=Role.recruiter)
RITA = Actor(user_id="rita", org_id="acme", email="rita@acme.test", role=Role.reviewer)
BLIND = Actor(user_id="bea", org_id="acme", email="bea@acme.test", role=Role.recruiter, blind=True)
GIL = Actor(user_id="gil", org_id="globex", email="gil@globex.test", role=Role.admin)


@pytest.fixture
def answered(ports):
    """Ada answered a video question (processed: MP4 and transcript) and a written one."""
    for org in ("acme", "globex"):
        identity.create_organization(ports, org.title(), org_id=org)
    identity.add_member(ports, "acme", "alice", ALICE.email, Role.recruiter)
    iv = interviews.create_interview(
        ports, ALICE, NewInterview(title="Support Agent (Tier 1)", questions=[{"prompt": "Tell us about you."}, {"prompt": "Why us?", "kind": "text"}])
    )
    inv = invitations.invite_candidates(ports, ALICE, iv.interview_id, InviteCandidates(candidates=[{"name": "Ada Lovelace", "email": "ada@x.test"}], send_email=False))
    cand = ports.store.find_candidate_by_token(hash_token(inv.items[0].invite_url.split("#t=")[1]))
    return ports, cand, iv


def process(ports, cand, iv) -> None:
    """The first question's take, submitted and processed (the pipeline's own path is tested on moto)."""
    q1 = iv.questions[0].question_id
    c = ports.store.get_candidate("acme", cand.candidate_id)
    prefix = f"org/acme/interview/{iv.interview_id}/candidate/{c.candidate_id}/question/{q1}/take/t1/"
    take = Take(
        org_id="acme", interview_id=iv.interview_id, candidate_id=c.candidate_id, question_id=q1, take_id="t1",
        created_at=ports.clock.now(), status=TakeStatus.ready, video=StepState.done, speech=StepState.done,
        video_key=prefix + "video.mp4", transcript="I like puzzles.", duration_seconds=12.0,
    )
    c.submit_take(q1, "t1")
    ports.store.save(c, take)


def test_a_manager_saves_an_answer_video_under_a_plain_name_and_it_is_audited(answered):
    ports, cand, iv = answered
    q1 = iv.questions[0].question_id
    with pytest.raises(NotFound) as none:
        privacy.download_answer(ports, ALICE, cand.candidate_id, q1)
    assert none.value.code == "no_video"
    process(ports, cand, iv)
    got = privacy.download_answer(ports, ALICE, cand.candidate_id, q1)
    assert got.filename == "ada-lovelace-question-1.mp4" and got.url.endswith("?save_as=ada-lovelace-question-1.mp4")
    month = ports.clock.now().strftime("%Y-%m")
    assert [(e.actor, e.target, e.detail) for e in ports.store.list_audit("acme", month, 100) if e.action == "answer.downloaded"] == [
        ("alice", cand.candidate_id, {"question_id": q1})
    ]
    with pytest.raises(Forbidden):
        privacy.download_answer(ports, RITA, cand.candidate_id, q1)  # reviewers watch, they do not keep copies
    with pytest.raises(Forbidden):
        privacy.download_answer(ports, BLIND, cand.candidate_id, q1)
    with pytest.raises(NotFound):
        privacy.download_answer(ports, GIL, cand.candidate_id, q1)


def test_a_candidate_gets_their_own_copy_from_their_link(answered):
    ports, cand, iv = answered
    from oneway.service import recording

    recording.give_consent(ports, cand)
    recording.answer_text(ports, ports.store.get_candidate("acme", cand.candidate_id), iv.questions[1].question_id, "Because.")
    early = privacy.candidate_copy(ports, ports.store.get_candidate("acme", cand.candidate_id))
    assert [(a.ready, a.text, a.video_url) for a in early.answers] == [(False, None, None), (True, "Because.", None)]
    process(ports, cand, iv)
    copy = privacy.candidate_copy(ports, ports.store.get_candidate("acme", cand.candidate_id))
    assert copy.interview_title == "Support Agent (Tier 1)" and copy.org_name == "Acme"
    video, text = copy.answers
    assert video.ready and video.transcript == "I like puzzles." and video.video_filename == "support-agent-tier-1-question-1.mp4"
    assert video.video_url is not None and video.video_url.endswith("?save_as=support-agent-tier-1-question-1.mp4")
    assert text.kind == "text" and text.text == "Because."
    month = ports.clock.now().strftime("%Y-%m")
    made = [e for e in ports.store.list_audit("acme", month, 100) if e.action == "candidate.copy_made"]
    assert sorted(((e.actor, e.target, e.detail) for e in made), key=lambda m: m[2]["videos"]) == [  # one clock tick: any order
        (f"candidate:{cand.candidate_id}", cand.candidate_id, {"videos": 0}),
        (f"candidate:{cand.candidate_id}", cand.candidate_id, {"videos": 1}),
    ]
