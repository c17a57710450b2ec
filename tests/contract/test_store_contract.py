"""The Store port's contract, aggregate by aggregate, run on both adapters: DynamoDB (on moto) and the
in-memory fake that the service tests use. What one does, the other does; a fake that drifts fails here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import boto3
import pytest
from moto import mock_aws

from oneway.adapters.dynamo import AUDIT_TABLE_DEFINITION, TABLE_DEFINITION, DynamoStore
from oneway.adapters.memory import MemoryStore
from oneway.domain.errors import InvalidInput, StaleWrite
from oneway.domain.keys import TakeRef
from oneway.domain.models import (
    Assignment,
    AuditEvent,
    BankQuestion,
    Candidate,
    CandidateStatus,
    Delivery,
    ErasureMarker,
    FollowUpRound,
    FollowUpState,
    GuestOpinion,
    Interview,
    InterviewDraft,
    InterviewTemplate,
    Mail,
    Member,
    Organization,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Question,
    QuestionMedia,
    Rating,
    Reminder,
    Review,
    Share,
    Take,
    TakeStatus,
    TextAnswer,
    TimedNote,
    Webhook,
)

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["dynamodb", "memory"])
def store(request, monkeypatch):
    if request.param == "memory":
        yield MemoryStore()
        return
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(TableName="oneway", **TABLE_DEFINITION)
        client.create_table(TableName="oneway-audit", **AUDIT_TABLE_DEFINITION)
        yield DynamoStore(client, "oneway", "oneway-audit")


def interview(n: int = 1, org: str = "acme") -> Interview:
    return Interview(
        org_id=org, interview_id=f"i{n:03d}", title=f"Interview {n}", created_by="amy", created_at=T0 + timedelta(minutes=n),
        questions=[Question(question_id="q1", prompt="Why us?")],
    )


def candidate(n: int = 1, status: CandidateStatus = CandidateStatus.invited, org: str = "acme", interview_id: str = "i001", **kw) -> Candidate:
    return Candidate(
        org_id=org, interview_id=interview_id, candidate_id=f"c{n:03d}", name=f"Candidate {n}", email=f"c{n}@x.test",
        token_hash=f"hash{org}{n}", status=status, invited_at=T0 + timedelta(minutes=n), expires_at=T0 + timedelta(days=14), **kw,
    )


def take(n: int = 1, candidate_id: str = "c001", **kw) -> Take:
    return Take(org_id="acme", interview_id="i001", candidate_id=candidate_id, question_id="q1", take_id=f"t{n}", created_at=T0, **kw)


def message(n: int, candidate_id: str | None = "c001", **kw) -> OutboxMessage:
    return OutboxMessage(
        org_id="acme", message_id=f"m{n:03d}", candidate_id=candidate_id, kind=OutboxKind.mail, topic="invitation",
        mail=Mail(to="c1@x.test", subject="Hi", text="Hello"), created_at=T0, expires_at=T0 + timedelta(days=30), **kw,
    )


# -- the unit of work: conditional saves, one atomic save for a change and its outbox messages ------------------
class TestWrites:
    def test_a_new_entity_is_saved_once_its_key_is_unique(self, store):
        store.save(interview())
        with pytest.raises(StaleWrite):
            store.save(interview())  # version 0 again: the key exists
        assert store.get_interview("acme", "i001").version == 1

    def test_a_save_with_a_stale_version_is_refused(self, store):
        first = interview()
        store.save(first)
        a, b = store.get_interview("acme", "i001"), store.get_interview("acme", "i001")
        a.title = "A"
        store.save(a)
        assert a.version == 2
        b.title = "B"
        with pytest.raises(StaleWrite):
            store.save(b)
        assert store.get_interview("acme", "i001").title == "A"

    def test_a_state_change_and_its_outbox_message_commit_together_or_not_at_all(self, store):
        store.save(candidate())
        c = store.get_candidate("acme", "c001")
        stale = store.get_candidate("acme", "c001")
        c.status = CandidateStatus.completed
        store.save(c, message(1))
        assert store.get_message("acme", "m001", "c001").topic == "invitation"
        stale.status = CandidateStatus.started
        with pytest.raises(StaleWrite):
            store.save(stale, message(2))
        assert store.get_message("acme", "m002", "c001") is None  # the message went with the refused change
        assert store.get_candidate("acme", "c001").status == CandidateStatus.completed

    def test_a_save_holds_each_item_once_and_at_most_a_transactions_worth(self, store):
        with pytest.raises(ValueError, match="each item once"):
            store.save(interview(), interview())
        with pytest.raises(ValueError, match="at most 100 items"):
            store.save(*(candidate(n) for n in range(1, 101)), counters={("acme", "i001"): {"invited": 100}})
        assert store.get_interview("acme", "i001") is None and store.get_candidate("acme", "c001") is None
        store.save(*(candidate(n) for n in range(1, 100)), counters={("acme", "i001"): {"invited": 99}})
        assert store.get_counters("acme", "i001") == {"invited": 99}

    def test_counters_are_added_in_the_same_save(self, store):
        store.save(interview(), counters={("acme", "i001"): {"invited": 2, "completed": 0}})
        store.save(candidate(), counters={("acme", "i001"): {"invited": 1, "completed": 1}})
        assert store.get_counters("acme", "i001") == {"invited": 3, "completed": 1}
        assert store.get_counters("acme", "i999") == {}

    def test_counters_of_many_interviews_in_one_read(self, store):
        store.save(interview(1), interview(2), interview(3), counters={("acme", "i001"): {"invited": 2}, ("acme", "i002"): {"invited": 1}})
        assert store.get_counters_many("acme", ["i001", "i002", "i003"]) == {"i001": {"invited": 2}, "i002": {"invited": 1}}
        assert store.get_counters_many("other", ["i001"]) == {}

    def test_delete_item(self, store):
        store.save(interview())
        store.delete_item(store.get_interview("acme", "i001"))
        assert store.get_interview("acme", "i001") is None


# -- organizations and members -----------------------------------------------------------------------------
class TestOrganizations:
    def test_organization_and_members(self, store):
        store.save(Organization(org_id="acme", name="Acme", created_at=T0))
        store.save(*(Member(org_id="acme", user_id=u, email=f"{u}@acme.test", created_at=T0) for u in ("zed", "amy", "bob")))
        store.save(Member(org_id="other", user_id="olga", email="olga@other.test", created_at=T0))
        assert store.get_organization("acme").name == "Acme"
        assert store.get_organization("nope") is None
        assert store.get_member("amy").org_id == "acme"
        assert store.get_member("acme") is None
        assert [m.user_id for m in store.list_members("acme")] == ["amy", "bob", "zed"]  # by email
        assert [m.user_id for m in store.list_members("acme", limit=2)] == ["amy", "bob"]


# -- interviews, question videos, the question bank ----------------------------------------------------------
class TestInterviews:
    def test_interviews_page_newest_first_with_cursors_of_their_own_organization(self, store):
        store.save(*(interview(n) for n in range(1, 6)))
        store.save(interview(1, org="other"))
        first = store.list_interviews("acme", None, 2)
        assert [i.interview_id for i in first.items] == ["i005", "i004"]
        second = store.list_interviews("acme", first.next_cursor, 2)
        assert [i.interview_id for i in second.items] == ["i003", "i002"]
        last = store.list_interviews("acme", second.next_cursor, 5)
        assert [i.interview_id for i in last.items] == ["i001"] and last.next_cursor is None
        with pytest.raises(InvalidInput):
            store.list_interviews("other", first.next_cursor, 2)
        with pytest.raises(InvalidInput):
            store.list_interviews("acme", "not a cursor", 2)

    def test_a_get_of_the_wrong_kind_finds_nothing(self, store):
        store.save(BankQuestion(org_id="acme", question_id="b1", prompt="Tell us", created_by="amy", created_at=T0))
        assert store.get_interview("acme", "b1") is None
        assert store.get_bank_question("acme", "b1").prompt == "Tell us"
        assert [b.question_id for b in store.list_bank("acme")] == ["b1"]
        assert store.list_interviews("acme", None, 10).items == []

    def test_an_organization_s_templates_apart_from_its_interviews_and_bank(self, store):
        def template(tid, org="acme", name="Support"):
            q = Question(question_id="q1", prompt="Why us?", think_seconds=15, answer_seconds=60)
            return InterviewTemplate(org_id=org, template_id=tid, name=name, title="Support lead", questions=[q], reminder_hours=[72, 24], created_by="amy", created_at=T0)

        store.save(template("t1"), template("t2", name="Sales"), template("t9", org="other"))
        store.save(BankQuestion(org_id="acme", question_id="t1", prompt="Tell us", created_by="amy", created_at=T0))
        got = store.get_template("acme", "t1")
        assert (got.name, got.questions[0].answer_seconds, got.reminder_hours) == ("Support", 60, [72, 24])
        assert sorted(t.template_id for t in store.list_templates("acme")) == ["t1", "t2"]
        assert store.get_template("other", "t1") is None and store.get_interview("acme", "t1") is None
        assert [b.question_id for b in store.list_bank("acme")] == ["t1"]
        store.delete_item(got)
        assert [t.template_id for t in store.list_templates("acme")] == ["t2"]

    def test_an_interview_draft_is_its_organization_s(self, store):
        store.save(InterviewDraft(org_id="acme", interview_id="i777", created_by="amy", created_at=T0, expires_at=T0 + timedelta(days=1)))
        assert store.get_draft("acme", "i777").expires_at == T0 + timedelta(days=1)
        assert store.get_draft("other", "i777") is None and store.get_interview("acme", "i777") is None
        assert store.list_question_media("acme", "i777") == []

    def test_question_videos_and_the_loose_ones(self, store):
        def media(n, **kw):
            return QuestionMedia(org_id="acme", interview_id="i001", media_id=f"m{n}", created_by="amy", created_at=T0 + timedelta(hours=n), **kw)

        store.save(media(1), media(2, attached=True), media(3))
        assert store.get_question_media("acme", "i001", "m2").attached
        assert [m.media_id for m in store.list_question_media("acme", "i001")] == ["m1", "m2", "m3"]
        assert [m.media_id for m in store.list_loose_question_media(T0 + timedelta(hours=2, minutes=30), 10)] == ["m1"]
        assert [m.media_id for m in store.list_loose_question_media(T0 + timedelta(days=1), 10)] == ["m1", "m3"]
        m1 = store.get_question_media("acme", "i001", "m1")
        m1.attached = True
        store.save(m1)
        assert [m.media_id for m in store.list_loose_question_media(T0 + timedelta(days=1), 10)] == ["m3"]


# -- candidates and takes ------------------------------------------------------------------------------------
class TestCandidates:
    def test_candidates_by_status_then_invitation_time_in_pages(self, store):
        store.save(*(candidate(n, CandidateStatus.invited if n % 2 else CandidateStatus.completed) for n in range(1, 8)))
        store.save(candidate(1, interview_id="i002", org="acme2"))
        everyone = store.list_candidates("acme", "i001", None, None, 100)
        assert [c.candidate_id for c in everyone.items] == ["c002", "c004", "c006", "c001", "c003", "c005", "c007"]
        invited = store.list_candidates("acme", "i001", CandidateStatus.invited, None, 3)
        assert [c.candidate_id for c in invited.items] == ["c001", "c003", "c005"]
        rest = store.list_candidates("acme", "i001", CandidateStatus.invited, invited.next_cursor, 3)
        assert [c.candidate_id for c in rest.items] == ["c007"] and rest.next_cursor is None
        with pytest.raises(InvalidInput):
            store.list_candidates("acme", "i002", None, invited.next_cursor, 3)

    def test_a_status_change_moves_the_candidate_in_the_list(self, store):
        store.save(candidate(1), candidate(2))
        c = store.get_candidate("acme", "c001")
        c.status = CandidateStatus.ready
        store.save(c)
        assert [x.candidate_id for x in store.list_candidates("acme", "i001", CandidateStatus.invited, None, 10).items] == ["c002"]
        assert [x.candidate_id for x in store.list_candidates("acme", "i001", CandidateStatus.ready, None, 10).items] == ["c001"]

    def test_a_candidate_is_found_by_its_current_token_only(self, store):
        store.save(candidate(1))
        assert store.find_candidate_by_token("hashacme1").candidate_id == "c001"
        c = store.get_candidate("acme", "c001")
        c.token_hash = "newhash"
        store.save(c)
        assert store.find_candidate_by_token("hashacme1") is None
        assert store.find_candidate_by_token("newhash").candidate_id == "c001"
        assert store.find_candidate_by_token("nothing") is None

    def test_the_candidate_file_holds_everything_of_the_candidate(self, store):
        store.save(interview(), candidate(1), candidate(2))
        store.save(
            take(1), take(2),
            TextAnswer(org_id="acme", interview_id="i001", candidate_id="c001", question_id="q2", text="Hi", answered_at=T0),
            Review(org_id="acme", candidate_id="c001", reviewer_id="amy", submitted_at=T0),
            Rating(org_id="acme", interview_id="i001", candidate_id="c001", reviewer_id="amy", scores={"Depth": 4}),
            Assignment(org_id="acme", interview_id="i001", candidate_id="c001", reviewer_id="amy", assigned_by="bob", assigned_at=T0),
            message(1), message(2),
            TimedNote(org_id="acme", candidate_id="c001", question_id="q1", note_id="n2", author_id="amy", seconds=30.0, text="later", created_at=T0),
            TimedNote(org_id="acme", candidate_id="c001", question_id="q1", note_id="n1", author_id="amy", seconds=4.5, text="early", created_at=T0),
            GuestOpinion(org_id="acme", candidate_id="c001", share_id="s1", guest_key="k2", guest_name="Lee", secret_hash="h2", scores={"Depth": 2},
                         submitted_at=T0 + timedelta(minutes=1), updated_at=T0 + timedelta(minutes=1)),
            GuestOpinion(org_id="acme", candidate_id="c001", share_id="s1", guest_key="k1", guest_name="Hana", secret_hash="h1", comment="Good.",
                         submitted_at=T0, updated_at=T0),
        )
        f = store.get_candidate_file("acme", "c001")
        assert f.candidate.candidate_id == "c001"
        assert [t.take_id for t in f.takes] == ["t1", "t2"]
        assert [t.text for t in f.texts] == ["Hi"]
        assert [r.reviewer_id for r in f.reviews] == ["amy"] and f.ratings[0].scores == {"Depth": 4}
        assert [a.reviewer_id for a in f.assignments] == ["amy"]
        assert [m.message_id for m in f.messages] == ["m002", "m001"]
        assert [(n.seconds, n.text) for n in f.notes] == [(4.5, "early"), (30.0, "later")]  # by question, then moment
        assert [(g.guest_name, g.scores, g.comment) for g in f.guest_opinions] == [("Hana", {}, "Good."), ("Lee", {"Depth": 2}, None)]  # first given first
        assert f.reviews[0].reviewer_id == "amy" and len(f.reviews) == 1  # guests' opinions are not reviews
        assert store.get_candidate_file("acme", "c002").takes == []
        assert store.get_candidate_file("acme", "c999") is None

    def test_follow_up_rounds_live_in_the_candidates_partition_by_number(self, store):
        def round_(n, **kw):
            return FollowUpRound(
                org_id="acme", interview_id="i001", candidate_id="c001", number=n, asked_by="amy", asked_at=T0, due_at=T0 + timedelta(days=5),
                questions=[Question(question_id=f"f{n}-1", prompt=f"Round {n}: tell us more")], **kw,
            )

        store.save(interview(), candidate(1, status=CandidateStatus.ready), candidate(2, status=CandidateStatus.ready))
        # Ten after two: the numbers sort as numbers, not as text.
        store.save(round_(10), round_(2, state=FollowUpState.cancelled), round_(1, state=FollowUpState.answered))
        assert [(r.number, r.state) for r in store.list_follow_ups("acme", "c001")] == [
            (1, FollowUpState.answered), (2, FollowUpState.cancelled), (10, FollowUpState.open)
        ]
        f = store.get_candidate_file("acme", "c001")
        assert [r.number for r in f.follow_ups] == [1, 2, 10] and f.open_follow_ups().number == 10
        assert f.follow_ups[2].questions[0].prompt == "Round 10: tell us more"
        assert store.list_follow_ups("acme", "c002") == [] and store.get_candidate_file("acme", "c002").open_follow_ups() is None
        with pytest.raises(StaleWrite):  # a second round with the same number is refused, like any new item that exists
            store.save(round_(10))
        # A follow-up question's video: in the candidate's partition (their file holds it), apart from the interview's,
        # loose until a round is asked with it.
        video = QuestionMedia(org_id="acme", interview_id="i001", candidate_id="c001", media_id="m9", created_by="amy", created_at=T0)
        store.save(video)
        assert store.get_follow_up_media("acme", "c001", "m9") == video.model_copy(update={"version": 1})
        assert store.get_follow_up_media("acme", "c002", "m9") is None and store.get_question_media("acme", "i001", "m9") is None
        assert store.list_question_media("acme", "i001") == []
        assert [m.media_id for m in store.get_candidate_file("acme", "c001").follow_up_media] == ["m9"]
        assert [m.media_id for m in store.list_loose_question_media(T0 + timedelta(days=1), 10)] == ["m9"]
        store.delete_candidate("acme", "c001")
        assert store.list_follow_ups("acme", "c001") == [] and store.get_follow_up_media("acme", "c001", "m9") is None

    def test_takes_and_the_processing_ones(self, store):
        store.save(interview())
        store.save(take(1, status=TakeStatus.processing, processing_since=T0), take(2, status=TakeStatus.processing, processing_since=T0 + timedelta(hours=1)), take(3))
        ref = TakeRef(org_id="acme", interview_id="i001", candidate_id="c001", question_id="q1", take_id="t1")
        t, i = store.get_take_and_interview(ref)
        assert t.take_id == "t1" and i.interview_id == "i001"
        assert store.get_take(ref.model_copy(update={"take_id": "t9"})) is None
        assert [x.take_id for x in store.list_processing_takes(T0 + timedelta(minutes=30), 10)] == ["t1"]
        assert [x.take_id for x in store.list_processing_takes(T0 + timedelta(days=1), 10)] == ["t1", "t2"]
        t.status, t.processing_since = TakeStatus.ready, None
        store.save(t)
        assert [x.take_id for x in store.list_processing_takes(T0 + timedelta(days=1), 10)] == ["t2"]

    def test_reminders_due(self, store):
        def reminder(n, due):
            return Reminder(org_id="acme", interview_id="i001", candidate_id=f"c{n:03d}", due_at=due, deadline=T0 + timedelta(days=7))

        store.save(reminder(1, T0 + timedelta(hours=2)), reminder(2, T0), reminder(3, None))
        assert [r.candidate_id for r in store.list_due_reminders(T0 + timedelta(hours=3), 10)] == ["c002", "c001"]
        assert [r.candidate_id for r in store.list_due_reminders(T0, 10)] == ["c002"]
        assert store.get_reminder("acme", "c003").due_at is None

    def test_the_next_deadline_of_an_interview_is_its_soonest_awaiting_one_still_ahead(self, store):
        def reminder(n, days, interview_id="i001", **kw):
            return Reminder(org_id="acme", interview_id=interview_id, candidate_id=f"c{n:03d}", deadline=T0 + timedelta(days=days), **kw)

        store.save(
            reminder(1, -1), reminder(2, 5, awaiting=False), reminder(3, 6), reminder(4, 7),
            reminder(5, 1, interview_id="i002"),
            # Another offset for the same moment sorts as that moment.
            Reminder(org_id="acme", interview_id="i003", candidate_id="c006", deadline=(T0 + timedelta(days=2)).astimezone(timezone(timedelta(hours=-8)))),
        )
        assert store.next_deadline("acme", "i001", T0) == T0 + timedelta(days=6)
        assert store.next_deadline("acme", "i001", T0 + timedelta(days=6)) == T0 + timedelta(days=7)  # a deadline reached has passed
        assert store.next_deadline("acme", "i002", T0) == T0 + timedelta(days=1)
        assert store.next_deadline("acme", "i003", T0 + timedelta(days=1, hours=23)) == T0 + timedelta(days=2)
        assert store.next_deadline("other", "i001", T0) is None
        assert store.next_deadline("acme", "i001", T0 + timedelta(days=8)) is None


# -- retention and erasure -----------------------------------------------------------------------------------
class TestErasure:
    def test_retention_erasure_and_sweeps(self, store):
        day = date(2027, 5, 1)
        store.save(candidate(1, retain_until=day), candidate(2, retain_until=day), candidate(3), take(1), message(1))
        assert sorted(store.list_due_for_erasure(day, 10)) == [("acme", "c001"), ("acme", "c002")]
        items = store.candidate_items("acme", "c001")
        assert {i["type"] for i in items} == {"Candidate", "Take", "OutboxMessage"}
        assert store.delete_candidate("acme", "c001") == 3
        assert store.get_candidate("acme", "c001") is None and store.get_message("acme", "m001", "c001") is None
        assert store.list_due_for_erasure(day, 10) == [("acme", "c002")]
        marker = ErasureMarker(org_id="acme", interview_id="i001", candidate_id="c001", erased_at=T0, expires_at=T0 + timedelta(days=30), sweep_at=T0 + timedelta(hours=1))
        store.save(marker)
        assert store.get_erasure("acme", "c001").sweep_at == T0 + timedelta(hours=1)
        assert store.list_due_sweeps(T0, 10) == []
        assert [m.candidate_id for m in store.list_due_sweeps(T0 + timedelta(hours=1), 10)] == ["c001"]


# -- reviews and sharing -------------------------------------------------------------------------------------
class TestReviewsAndSharing:
    def test_ratings_of_an_interview_and_assignments_of_a_reviewer(self, store):
        store.save(
            Rating(org_id="acme", interview_id="i001", candidate_id="c002", reviewer_id="amy", scores={"a": 3}),
            Rating(org_id="acme", interview_id="i001", candidate_id="c001", reviewer_id="bob", scores={"a": 5}),
            Rating(org_id="acme", interview_id="i002", candidate_id="c009", reviewer_id="bob"),
            Assignment(org_id="acme", interview_id="i001", candidate_id="c001", reviewer_id="amy", assigned_by="bob", assigned_at=T0),
        )
        assert [(r.candidate_id, r.reviewer_id) for r in store.list_ratings("acme", "i001")] == [("c001", "bob"), ("c002", "amy")]
        assert [a.candidate_id for a in store.list_assignments("acme", "amy")] == ["c001"]
        assert store.list_assignments("acme", "bob") == []

    def test_share_links_by_token_and_by_maker(self, store):
        def share(n, by="amy"):
            return Share(org_id="acme", candidate_id="c001", share_id=f"s{n}", token_hash=f"sh{n}", created_by=by, created_at=T0 + timedelta(minutes=n), expires_at=T0 + timedelta(days=7))

        store.save(share(2), share(1), share(3, by="bob"))
        assert store.find_share_by_token("sh1").share_id == "s1"
        assert store.find_share_by_token("hashacme1") is None  # a candidate's token opens no share link
        assert [s.share_id for s in store.list_shares_by("acme", "amy")] == ["s1", "s2"]
        s1 = store.find_share_by_token("sh1")
        s1.revoked_at = T0
        store.save(s1)
        assert store.find_share_by_token("sh1").revoked_at == T0


# -- the audit log and rate counters -------------------------------------------------------------------------
class TestAudit:
    def test_audit_pages_newest_first_filtered_with_cursors(self, store):
        for n in range(7):
            store.append_audit(AuditEvent(org_id="acme", event_id=f"e{n}", at=T0 + timedelta(minutes=n), actor="amy" if n % 2 else "bob", action="member.added" if n < 3 else "candidate.viewed", target=f"t{n}"))
        store.append_audit(AuditEvent(org_id="acme", event_id="x", at=datetime(2026, 12, 1, tzinfo=UTC), actor="amy", action="a", target="t"))
        assert [e.event_id for e in store.list_audit("acme", "2026-11", 100)] == ["e6", "e5", "e4", "e3", "e2", "e1", "e0"]
        first = store.audit_page("acme", "2026-11", limit=3)
        assert [e.event_id for e in first.items] == ["e6", "e5", "e4"]
        second = store.audit_page("acme", "2026-11", cursor=first.next_cursor, limit=3)
        assert [e.event_id for e in second.items] == ["e3", "e2", "e1"]
        assert [e.event_id for e in store.audit_page("acme", "2026-11", actor="amy").items] == ["e5", "e3", "e1"]
        assert [e.event_id for e in store.audit_page("acme", "2026-11", action="member").items] == ["e2", "e1", "e0"]
        assert [e.event_id for e in store.audit_page("acme", "2026-11", actor="bob", action="member.").items] == ["e2", "e0"]
        with pytest.raises(InvalidInput):
            store.audit_page("acme", "2026-12", cursor=first.next_cursor)

    def test_rate_counters_count(self, store):
        assert [store.add_count("token:1.2.3.4", "2026-11-25T12:00", T0 + timedelta(hours=1)) for _ in range(3)] == [1, 2, 3]
        assert store.add_count("token:1.2.3.4", "2026-11-25T12:01", T0 + timedelta(hours=1)) == 1


# -- search --------------------------------------------------------------------------------------------------
class TestSearch:
    def test_postings_put_found_and_deleted(self, store):
        store.put_postings("acme", "i001", "c001", "q1", {"python", "teams"})
        store.put_postings("acme", "i001", "c002", "q2", {"python"})
        store.put_postings("acme", "i002", "c003", "q1", {"python"})
        assert store.find_postings("acme", "i001", "python", 10) == [("c001", "q1"), ("c002", "q2")]
        assert store.find_postings("acme", "i001", "python", 1) == [("c001", "q1")]
        store.delete_postings("acme", "i001", "c001", "q1", {"python"})
        assert store.find_postings("acme", "i001", "python", 10) == [("c002", "q2")]
        assert store.find_postings("acme", "i001", "teams", 10) == [("c001", "q1")]


# -- the outbox, webhooks and deliveries ---------------------------------------------------------------------
class TestOutbox:
    def test_messages_with_and_without_a_candidate_and_the_due_ones(self, store):
        store.save(message(1, next_attempt_at=T0 + timedelta(minutes=2)), message(2, next_attempt_at=T0), message(3, candidate_id=None, next_attempt_at=T0 + timedelta(minutes=1)))
        assert store.get_message("acme", "m003").candidate_id is None
        assert store.get_message("acme", "m003", "c001") is None
        assert [m.message_id for m in store.list_candidate_messages("acme", "c001")] == ["m002", "m001"]
        assert [m.message_id for m in store.list_due_messages(T0 + timedelta(minutes=1), 10)] == ["m002", "m003"]
        m2 = store.get_message("acme", "m002", "c001")
        m2.status, m2.next_attempt_at = OutboxStatus.sent, None
        store.save(m2)
        assert [m.message_id for m in store.list_due_messages(T0 + timedelta(hours=1), 10)] == ["m003", "m001"]
        m1a, m1b = store.get_message("acme", "m001", "c001"), store.get_message("acme", "m001", "c001")
        store.save(m1a)
        with pytest.raises(StaleWrite):  # two deliverers claim one message: the second claim is refused
            store.save(m1b)

    def test_webhooks_and_their_deliveries(self, store):
        store.save(*(Webhook(org_id="acme", webhook_id=f"w{n}", url="https://h.test/", events=["candidate.ready"], secret="s", created_by="amy", created_at=T0) for n in (2, 1)))
        assert [w.webhook_id for w in store.list_webhooks("acme")] == ["w1", "w2"]
        assert store.get_webhook("acme", "w1").url == "https://h.test/"

        def delivery(n, **kw):
            return Delivery(org_id="acme", webhook_id="w1", delivery_id=f"d{n}", event="candidate.ready", body="{}", created_at=T0, **kw)

        store.save(delivery(1, next_attempt_at=T0), delivery(2, next_attempt_at=T0 + timedelta(hours=1)), delivery(3, status="delivered"))
        assert [d.delivery_id for d in store.list_deliveries("acme", "w1")] == ["d3", "d2", "d1"]
        assert [d.delivery_id for d in store.list_deliveries("acme", "w1", limit=1)] == ["d3"]
        assert [d.delivery_id for d in store.list_due_deliveries(T0, 10)] == ["d1"]
