"""The table's key design, in one place: each item's keys, the indexes, the table as the CDK app declares it.

docs/architecture.md has the item table and the access patterns (every query: its key or index, the items it
finds). Every key but the rate counters' begins with the organization.

The indexes are named for what they serve, not for one of the items in them:

- ``byToken`` (``gsi1``): a hashed token to what it opens (a candidate's invitation, a share link), and an
  interview's public apply slug to the interview.
- ``byOwner`` (``gsi2``): the items one owner lists (an interview's candidates and ratings, an organization's
  members, a reviewer's assignments, a member's share links, the question videos no question uses).
- ``byDue`` (``gsi3``): work queues by time, every partition sparse (media still processing, retention ends,
  reminders, webhook deliveries and outbox messages due for a try, erasure sweeps).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ...domain.models import (
    Application,
    Assignment,
    BankQuestion,
    Candidate,
    Delivery,
    Entity,
    ErasureMarker,
    FollowUpRound,
    GuestOpinion,
    Interview,
    InterviewDraft,
    InterviewTemplate,
    Member,
    Organization,
    OutboxMessage,
    OutboxStatus,
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

GSI_TOKEN = "byToken"
GSI_OWNER = "byOwner"
GSI_DUE = "byDue"
# Each index's key attributes: ``{prefix}pk`` / ``{prefix}sk``.
INDEX_ATTRIBUTES: dict[str, str] = {GSI_TOKEN: "gsi1", GSI_OWNER: "gsi2", GSI_DUE: "gsi3"}

# The sparse partitions of byDue (and byOwner's loose question videos).
PROCESSING = "PROCESSING"
RETAIN = "RETAIN"
WEBHOOK_DUE = "WEBHOOK_DUE"
LIMIT = "LIMIT"  # rate counters: LIMIT#name / window, removed by the table's TTL
REMIND = "REMIND"
SWEEP = "SWEEP"  # erased candidates' prefixes to sweep again (sparse, while one is due)
OUTBOX_DUE = "OUTBOX_DUE"  # outbox messages not yet carried out, by the time they may be tried (sparse)
QMEDIA_LOOSE = "QMEDIA_LOOSE"  # question videos no saved question uses yet (sparse, swept by the retention task)


# One save is one transaction: at most 100 actions, each on an item of its own.
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
SAVE_ACTIONS_MAX = 100


def check_one_save(entities: tuple[Entity, ...], counters: dict | None) -> None:
    """Refuse, before anything is written, a save DynamoDB would refuse: more than SAVE_ACTIONS_MAX actions,
    or two of them on one item."""
    actions = [(k["pk"], k["sk"]) for k in map(keys, entities)]
    actions += [(f"ORG#{o}#INTERVIEW#{i}", "STATS") for (o, i), deltas in (counters or {}).items() if any(deltas.values())]
    if len(actions) > SAVE_ACTIONS_MAX:
        raise ValueError(f"one save holds at most {SAVE_ACTIONS_MAX} items, not {len(actions)}")
    if len(set(actions)) < len(actions):
        raise ValueError("one save holds each item once")


def candidate_pk(org_id: str, candidate_id: str) -> str:
    return f"ORG#{org_id}#CANDIDATE#{candidate_id}"


def deadlines_pk(org_id: str, interview_id: str) -> str:
    """byOwner: the deadlines of an interview's candidates who still have to answer (their reminders), soonest first."""
    return f"ORG#{org_id}#INTERVIEW#{interview_id}#DEADLINES"


FOLLOW_UP = "FOLLOWUP#"


def follow_up_sk(number: int) -> str:
    """A follow-up round in its candidate's partition; zero-padded, so rounds sort by number."""
    return f"{FOLLOW_UP}{number:04d}"


def utc_iso(at: datetime) -> str:
    """A time as a sort key: in UTC, so that keys of different offsets sort in time order."""
    return at.astimezone(UTC).isoformat()


def outbox_pk(org_id: str, message_id: str, candidate_id: str | None) -> str:
    """A message about a candidate lives (and is erased) with the candidate; any other in a partition of its own."""
    return candidate_pk(org_id, candidate_id) if candidate_id else f"ORG#{org_id}#OUTBOX#{message_id}"


def keys(entity: Entity) -> dict[str, str]:
    match entity:
        case Organization():
            return {"pk": f"ORG#{entity.org_id}", "sk": "META"}
        case Member():
            return {
                "pk": f"USER#{entity.user_id}",
                "sk": "META",
                "gsi2pk": f"ORG#{entity.org_id}#MEMBERS",
                "gsi2sk": entity.email,
            }
        case Interview():
            keys = {"pk": f"ORG#{entity.org_id}", "sk": f"INTERVIEW#{entity.interview_id}"}
            if entity.apply:  # the public apply link's slug finds its interview
                keys |= {"gsi1pk": f"APPLY#{entity.apply.slug}", "gsi1sk": "INTERVIEW"}
            return keys
        case Application():
            return {"pk": f"ORG#{entity.org_id}#INTERVIEW#{entity.interview_id}#APPLICANT#{entity.email_key}", "sk": "APPLICATION"}
        case Candidate():
            keys = {
                "pk": candidate_pk(entity.org_id, entity.candidate_id),
                "sk": "META",
                "gsi1pk": f"TOKEN#{entity.token_hash}",
                "gsi1sk": "CANDIDATE",
                "gsi2pk": f"ORG#{entity.org_id}#INTERVIEW#{entity.interview_id}",
                "gsi2sk": f"{entity.status.value}#{entity.invited_at.isoformat()}#{entity.candidate_id}",
            }
            if entity.retain_until:
                keys |= {"gsi3pk": f"{RETAIN}#{entity.retain_until.isoformat()}", "gsi3sk": f"{entity.org_id}#{entity.candidate_id}"}
            return keys
        case Take():
            keys = {
                "pk": candidate_pk(entity.org_id, entity.candidate_id),
                "sk": f"ANSWER#{entity.question_id}#TAKE#{entity.take_id}",
            }
            if entity.status == TakeStatus.processing and entity.processing_since:
                keys |= {"gsi3pk": PROCESSING, "gsi3sk": f"{entity.processing_since.isoformat()}#{entity.take_id}"}
            return keys
        case QuestionMedia():
            # A follow-up question's video lives in its candidate's partition: their erasure takes it along.
            home = candidate_pk(entity.org_id, entity.candidate_id) if entity.candidate_id else f"ORG#{entity.org_id}#INTERVIEW#{entity.interview_id}"
            keys = {"pk": home, "sk": f"QMEDIA#{entity.media_id}"}
            if not entity.attached:
                keys |= {"gsi2pk": QMEDIA_LOOSE, "gsi2sk": f"{entity.created_at.isoformat()}#{entity.media_id}"}
            if entity.status == TakeStatus.processing and entity.processing_since:
                keys |= {"gsi3pk": PROCESSING, "gsi3sk": f"{entity.processing_since.isoformat()}#{entity.media_id}"}
            return keys
        case Reminder():
            keys = {"pk": candidate_pk(entity.org_id, entity.candidate_id), "sk": "REMINDER"}
            if entity.awaiting:
                keys |= {"gsi2pk": deadlines_pk(entity.org_id, entity.interview_id), "gsi2sk": f"{utc_iso(entity.deadline)}#{entity.candidate_id}"}
            if entity.due_at:
                keys |= {"gsi3pk": REMIND, "gsi3sk": f"{entity.due_at.isoformat()}#{entity.org_id}#{entity.candidate_id}"}
            return keys
        case FollowUpRound():
            return {"pk": candidate_pk(entity.org_id, entity.candidate_id), "sk": follow_up_sk(entity.number)}
        case TextAnswer():
            return {"pk": candidate_pk(entity.org_id, entity.candidate_id), "sk": f"ANSWER#{entity.question_id}#TEXT"}
        case Review():
            return {"pk": candidate_pk(entity.org_id, entity.candidate_id), "sk": f"REVIEW#{entity.reviewer_id}"}
        case TimedNote():
            return {"pk": candidate_pk(entity.org_id, entity.candidate_id), "sk": f"NOTE#{entity.question_id}#{entity.note_id}"}
        case GuestOpinion():
            return {"pk": candidate_pk(entity.org_id, entity.candidate_id), "sk": f"GUEST#{entity.share_id}#{entity.guest_key}"}
        case Rating():
            return {
                "pk": candidate_pk(entity.org_id, entity.candidate_id),
                "sk": f"RATING#{entity.reviewer_id}",
                "gsi2pk": f"ORG#{entity.org_id}#INTERVIEW#{entity.interview_id}#RATINGS",
                "gsi2sk": f"{entity.candidate_id}#{entity.reviewer_id}",
            }
        case BankQuestion():
            return {"pk": f"ORG#{entity.org_id}", "sk": f"BANK#{entity.question_id}"}
        case InterviewDraft():
            return {"pk": f"ORG#{entity.org_id}#INTERVIEW#{entity.interview_id}", "sk": "DRAFT"}
        case InterviewTemplate():
            return {"pk": f"ORG#{entity.org_id}", "sk": f"TEMPLATE#{entity.template_id}"}
        case Webhook():
            return {"pk": f"ORG#{entity.org_id}", "sk": f"WEBHOOK#{entity.webhook_id}"}
        case Delivery():
            keys = {"pk": f"ORG#{entity.org_id}#WEBHOOK#{entity.webhook_id}", "sk": f"DELIVERY#{entity.delivery_id}"}
            if entity.status == "pending" and entity.next_attempt_at:
                keys |= {"gsi3pk": WEBHOOK_DUE, "gsi3sk": f"{entity.next_attempt_at.isoformat()}#{entity.delivery_id}"}
            return keys
        case Share():
            return {
                "pk": candidate_pk(entity.org_id, entity.candidate_id),
                "sk": f"SHARE#{entity.share_id}",
                "gsi1pk": f"SHARE#{entity.token_hash}",
                "gsi1sk": "SHARE",
                "gsi2pk": f"ORG#{entity.org_id}#SHARES_BY#{entity.created_by}",
                "gsi2sk": f"{entity.created_at.isoformat()}#{entity.share_id}",
            }
        case ErasureMarker():
            # Outside the candidate's partition, which the erasure deletes; ids only.
            keys = {"pk": f"ORG#{entity.org_id}#ERASED#{entity.candidate_id}", "sk": "ERASURE"}
            if entity.sweep_at:
                keys |= {"gsi3pk": SWEEP, "gsi3sk": f"{entity.sweep_at.isoformat()}#{entity.org_id}#{entity.candidate_id}"}
            return keys
        case OutboxMessage():
            home = outbox_pk(entity.org_id, entity.message_id, entity.candidate_id)
            keys = {"pk": home, "sk": f"OUTBOX#{entity.message_id}"}
            if entity.status == OutboxStatus.pending and entity.next_attempt_at:
                keys |= {"gsi3pk": OUTBOX_DUE, "gsi3sk": f"{entity.next_attempt_at.isoformat()}#{entity.message_id}"}
            return keys
        case Assignment():
            return {
                "pk": candidate_pk(entity.org_id, entity.candidate_id),
                "sk": f"ASSIGN#{entity.reviewer_id}",
                "gsi2pk": f"ORG#{entity.org_id}#REVIEWER#{entity.reviewer_id}",
                "gsi2sk": f"{entity.interview_id}#{entity.candidate_id}",
            }
    raise TypeError(f"no key design for {type(entity).__name__}")


TABLE_DEFINITION: dict[str, Any] = {
    # The table as the CDK app declares it; the local stack and tests create it from this.
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [
        {"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk")
    ],
    "GlobalSecondaryIndexes": [
        {
            "IndexName": name,
            "KeySchema": [{"AttributeName": f"{p}pk", "KeyType": "HASH"}, {"AttributeName": f"{p}sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }
        for name, p in INDEX_ATTRIBUTES.items()
    ],
    "BillingMode": "PAY_PER_REQUEST",
    # The outbox's consumer reads the new image of each write (infra/oneway_infra/data.py).
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
}

AUDIT_TABLE_DEFINITION: dict[str, Any] = {
    # The audit table as the CDK app declares it (keys only; its resource policy lives in infra/).
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk")],
    "BillingMode": "PAY_PER_REQUEST",
}
