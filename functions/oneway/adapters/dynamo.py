"""Store on one DynamoDB table: the one place that knows the key design.

| item          | pk                       | sk                    | indexes                                   |
|---------------|--------------------------|-----------------------|-------------------------------------------|
| organization  | ORG#o                    | META                  |                                           |
| member        | USER#sub                 | META                  | byInterview: ORG#o#MEMBERS / email        |
| interview     | ORG#o                    | INTERVIEW#i           |                                           |
| counters      | ORG#o#INTERVIEW#i        | STATS                 |                                           |
| question video| ORG#o#INTERVIEW#i        | QMEDIA#m              | byProcessing (sparse): PROCESSING / since |
|               |                          |                       | byInterview (sparse, until a save uses it): QMEDIA_LOOSE / createdAt#m |
| candidate     | ORG#o#CANDIDATE#c        | META                  | byToken: TOKEN#hash; byInterview: ORG#o#INTERVIEW#i / status#invitedAt#c |
| take          | ORG#o#CANDIDATE#c        | ANSWER#q#TAKE#t       | byProcessing (sparse): PROCESSING / since |
|               |                          |                       | (candidates there too: RETAIN#day / o#c)  |
| reminder      | ORG#o#CANDIDATE#c        | REMINDER              | byProcessing (sparse): REMIND / due#o#c   |
| text answer   | ORG#o#CANDIDATE#c        | ANSWER#q#TEXT         |                                           |
| review        | ORG#o#CANDIDATE#c        | REVIEW#sub            |                                           |
| rating        | ORG#o#CANDIDATE#c        | RATING#sub            | byInterview: ORG#o#INTERVIEW#i#RATINGS / c#sub |
| assignment    | ORG#o#CANDIDATE#c        | ASSIGN#sub            | byInterview: ORG#o#REVIEWER#sub / i#c     |
| share link    | ORG#o#CANDIDATE#c        | SHARE#id              | byToken: SHARE#hash / SHARE; byInterview: ORG#o#SHARES_BY#sub / createdAt#id |
| word posting  | ORG#o#INTERVIEW#i#WORD#w | c#q                   | (search by transcript words)              |
| webhook       | ORG#o                    | WEBHOOK#id            |                                           |
| bank question | ORG#o                    | BANK#id               |                                           |
| delivery      | ORG#o#WEBHOOK#id         | DELIVERY#id           | byProcessing (sparse): WEBHOOK_DUE / at#id |
| rate counter  | LIMIT#name               | window (minute)       | (ttl: deleted by DynamoDB after it)       |
| erasure marker| ORG#o#ERASED#c           | ERASURE               | byProcessing (sparse): SWEEP / at#o#c; ttl |
| outbox message| ORG#o#CANDIDATE#c (about a candidate), else ORG#o#OUTBOX#id | OUTBOX#id | byProcessing (sparse, while pending): OUTBOX_DUE / at#id; ttl |

Every write goes to the table's stream (new images); the deliver function takes the outbox messages
from it (an event filter on ``type``) and carries them out after the commit (service/delivery.py).

The audit log is a table of its own, which the functions may add to and read, never change
(infra/oneway_infra/data.py):

| item          | pk                       | sk                    |
|---------------|--------------------------|-----------------------|
| audit event   | ORG#o#AUDIT#yyyy-mm      | ts#id (id: random)    |

A candidate and everything under it share one partition, so reading a whole
candidate or erasing it is one query, whatever the number of candidates.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ..domain.errors import InvalidInput, StaleWrite
from ..domain.keys import TakeRef
from ..domain.models import (
    Assignment,
    AuditEvent,
    Candidate,
    CandidateFile,
    CandidateStatus,
    Entity,
    ErasureMarker,
    Interview,
    Member,
    Organization,
    OutboxMessage,
    OutboxStatus,
    Page,
    QuestionMedia,
    Rating,
    Reminder,
    Review,
    BankQuestion,
    Delivery,
    Webhook,
    Share,
    Take,
    TakeStatus,
    TextAnswer,
    TimedNote,
)

_ser = TypeSerializer()
_de = TypeDeserializer()

GSI_TOKEN = "byToken"
GSI_INTERVIEW = "byInterview"
GSI_PROCESSING = "byProcessing"
PROCESSING = "PROCESSING"
RETAIN = "RETAIN"
WEBHOOK_DUE = "WEBHOOK_DUE"
LIMIT = "LIMIT"  # rate counters: LIMIT#name / window, removed by the table's TTL
REMIND = "REMIND"
SWEEP = "SWEEP"  # erased candidates' prefixes to sweep again (sparse, while one is due)
OUTBOX_DUE = "OUTBOX_DUE"  # outbox messages not yet carried out, by the time they may be tried (sparse)
QMEDIA_LOOSE = "QMEDIA_LOOSE"  # question videos no saved question uses yet (sparse, swept by the retention task)


def _candidate_pk(org_id: str, candidate_id: str) -> str:
    return f"ORG#{org_id}#CANDIDATE#{candidate_id}"


def _keys(entity: Entity) -> dict[str, str]:
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
            return {"pk": f"ORG#{entity.org_id}", "sk": f"INTERVIEW#{entity.interview_id}"}
        case Candidate():
            keys = {
                "pk": _candidate_pk(entity.org_id, entity.candidate_id),
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
                "pk": _candidate_pk(entity.org_id, entity.candidate_id),
                "sk": f"ANSWER#{entity.question_id}#TAKE#{entity.take_id}",
            }
            if entity.status == TakeStatus.processing and entity.processing_since:
                keys |= {"gsi3pk": PROCESSING, "gsi3sk": f"{entity.processing_since.isoformat()}#{entity.take_id}"}
            return keys
        case QuestionMedia():
            keys = {"pk": f"ORG#{entity.org_id}#INTERVIEW#{entity.interview_id}", "sk": f"QMEDIA#{entity.media_id}"}
            if not entity.attached:
                keys |= {"gsi2pk": QMEDIA_LOOSE, "gsi2sk": f"{entity.created_at.isoformat()}#{entity.media_id}"}
            if entity.status == TakeStatus.processing and entity.processing_since:
                keys |= {"gsi3pk": PROCESSING, "gsi3sk": f"{entity.processing_since.isoformat()}#{entity.media_id}"}
            return keys
        case Reminder():
            keys = {"pk": _candidate_pk(entity.org_id, entity.candidate_id), "sk": "REMINDER"}
            if entity.due_at:
                keys |= {"gsi3pk": REMIND, "gsi3sk": f"{entity.due_at.isoformat()}#{entity.org_id}#{entity.candidate_id}"}
            return keys
        case TextAnswer():
            return {"pk": _candidate_pk(entity.org_id, entity.candidate_id), "sk": f"ANSWER#{entity.question_id}#TEXT"}
        case Review():
            return {"pk": _candidate_pk(entity.org_id, entity.candidate_id), "sk": f"REVIEW#{entity.reviewer_id}"}
        case TimedNote():
            return {"pk": _candidate_pk(entity.org_id, entity.candidate_id), "sk": f"NOTE#{entity.question_id}#{entity.note_id}"}
        case Rating():
            return {
                "pk": _candidate_pk(entity.org_id, entity.candidate_id),
                "sk": f"RATING#{entity.reviewer_id}",
                "gsi2pk": f"ORG#{entity.org_id}#INTERVIEW#{entity.interview_id}#RATINGS",
                "gsi2sk": f"{entity.candidate_id}#{entity.reviewer_id}",
            }
        case BankQuestion():
            return {"pk": f"ORG#{entity.org_id}", "sk": f"BANK#{entity.question_id}"}
        case Webhook():
            return {"pk": f"ORG#{entity.org_id}", "sk": f"WEBHOOK#{entity.webhook_id}"}
        case Delivery():
            keys = {"pk": f"ORG#{entity.org_id}#WEBHOOK#{entity.webhook_id}", "sk": f"DELIVERY#{entity.delivery_id}"}
            if entity.status == "pending" and entity.next_attempt_at:
                keys |= {"gsi3pk": WEBHOOK_DUE, "gsi3sk": f"{entity.next_attempt_at.isoformat()}#{entity.delivery_id}"}
            return keys
        case Share():
            return {
                "pk": _candidate_pk(entity.org_id, entity.candidate_id),
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
            home = _candidate_pk(entity.org_id, entity.candidate_id) if entity.candidate_id else f"ORG#{entity.org_id}#OUTBOX#{entity.message_id}"
            keys = {"pk": home, "sk": f"OUTBOX#{entity.message_id}"}
            if entity.status == OutboxStatus.pending and entity.next_attempt_at:
                keys |= {"gsi3pk": OUTBOX_DUE, "gsi3sk": f"{entity.next_attempt_at.isoformat()}#{entity.message_id}"}
            return keys
        case Assignment():
            return {
                "pk": _candidate_pk(entity.org_id, entity.candidate_id),
                "sk": f"ASSIGN#{entity.reviewer_id}",
                "gsi2pk": f"ORG#{entity.org_id}#REVIEWER#{entity.reviewer_id}",
                "gsi2sk": f"{entity.interview_id}#{entity.candidate_id}",
            }
    raise TypeError(f"no key design for {type(entity).__name__}")


# Held here: pydantic keeps parametrized generic models in a weak cache, and a page class that the garbage
# collector took between two calls is created and built again by the next one (a millisecond or more).
_INTERVIEW_PAGE, _CANDIDATE_PAGE, _AUDIT_PAGE = Page[Interview], Page[Candidate], Page[AuditEvent]

_TYPES: dict[str, type[Entity]] = {
    t.__name__: t
    for t in (
        Organization, Member, Interview, Candidate, Take, TextAnswer, Review, Rating, Assignment, Reminder, Share, Webhook, Delivery,
        BankQuestion, QuestionMedia, ErasureMarker, OutboxMessage, TimedNote,
    )
}


def _to_item(entity: Entity, **extra: Any) -> dict[str, Any]:
    data = json.loads(entity.model_dump_json(exclude_none=True), parse_float=Decimal)
    if isinstance(entity, ErasureMarker | OutboxMessage):
        extra["ttl"] = int(entity.expires_at.timestamp())  # the table's TTL deletes the item after it
    return {**data, **_keys(entity), "type": type(entity).__name__, **extra}


def _from_item(item: dict[str, Any]) -> Entity:
    return _TYPES[item["type"]].model_validate(item)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _encode(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in item.items()}


def _number(text: str) -> int | float:
    if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
        return int(text)
    exact = Decimal(text)
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def _value(typed: dict[str, Any]) -> Any:
    """One attribute value as plain Python: what ``_plain(_de.deserialize(typed))`` gives, in one pass
    for the common types (every item read goes through here; a page of 50 candidates is ~1,700 values)."""
    if "S" in typed:
        return typed["S"]
    if "N" in typed:
        return _number(typed["N"])
    if "M" in typed:
        return {k: _value(v) for k, v in typed["M"].items()}
    if "L" in typed:
        return [_value(v) for v in typed["L"]]
    if "BOOL" in typed:
        return typed["BOOL"]
    if "NULL" in typed:
        return None
    return _plain(_de.deserialize(typed))  # sets and binary values


def _decode(item: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, typed in item.items():
        text = typed.get("S")  # most attributes: no call for them
        out[name] = text if text is not None else _value(typed)
    return out


def _typed(item: dict | None, kind: type[Entity]) -> Any:
    """``item`` as a ``kind``; None when there is no item or it holds something else."""
    if not item or item.get("type") != kind.__name__:
        return None
    return kind.model_validate(item)


def _cursor_out(last_key: dict | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(_decode(last_key)).encode()).decode()


def _cursor_in(cursor: str | None, expected_pk: tuple[str, str]) -> dict | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, dict) or key.get(expected_pk[0]) != expected_pk[1]:
            raise ValueError
        return _encode({k: str(v) for k, v in key.items()})
    except (ValueError, TypeError):
        raise InvalidInput("the cursor is not valid for this list", "bad_cursor") from None


# The stream records the deliver function is given (a Lambda event filter, infra/oneway_infra/delivery.py; the
# local stack's poller applies it too): new outbox messages only, not the table's every write.
# https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
OUTBOX_STREAM_FILTER: dict[str, Any] = {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"type": {"S": ["OutboxMessage"]}}}}
# How the stream's records reach it: in batches of this many, a failing batch retried this many times (split in half
# each time) before its failed record's place goes to the dead-letter queue. The messages' own retries come after.
OUTBOX_STREAM_BATCH_SIZE = 10
OUTBOX_STREAM_RETRIES = 3


TOKEN_OWNERS_KEPT = 10_000  # about 1 MB of a warm function's memory


# An audit page reads at most this many times ``limit`` entries to find ``limit`` that match its filters.
AUDIT_PAGE_READS = 10


class DynamoStore:
    def __init__(self, client: Any, table_name: str, audit_table_name: str = ""):
        self._db = client
        self._table = table_name
        self._audit = audit_table_name
        # Where a token's hash led: a hash belongs to one candidate for good (a new link is a new hash),
        # so a warm function asks the token index once per token, and reads the candidate itself every time.
        self._token_owners: dict[str, tuple[str, str]] = {}

    # -- writes ------------------------------------------------------------
    def save(self, *entities: Entity, counters: dict[tuple[str, str], dict[str, int]] | None = None) -> None:
        writes = []
        for e in entities:
            item = _to_item(e, version=e.version + 1)
            if e.version == 0:
                cond = {"ConditionExpression": "attribute_not_exists(pk)"}
            else:
                cond = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": {"N": str(e.version)}}}
            writes.append({"Put": {"TableName": self._table, "Item": _encode(item), **cond}})
        for (org_id, interview_id), deltas in (counters or {}).items():
            deltas = {k: v for k, v in deltas.items() if v}
            if not deltas:
                continue
            names = {f"#c{i}": k for i, k in enumerate(deltas)}
            values = {f":c{i}": {"N": str(v)} for i, v in enumerate(deltas.values())}
            writes.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": _encode({"pk": f"ORG#{org_id}#INTERVIEW#{interview_id}", "sk": "STATS"}),
                        "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(deltas))),
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values,
                    }
                }
            )
        if not writes:
            return
        try:
            if len(writes) == 1 and "Put" in writes[0]:
                self._db.put_item(**writes[0]["Put"])
            elif len(writes) == 1:
                self._db.update_item(**writes[0]["Update"])
            else:
                self._db.transact_write_items(TransactItems=writes)
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code == "ConditionalCheckFailedException" or (
                code == "TransactionCanceledException" and "ConditionalCheckFailed" in str(err)
            ):
                raise StaleWrite("the item changed since it was read; try again") from None
            raise
        for e in entities:
            e.version += 1

    def _audit_table(self) -> str:
        if not self._audit:
            raise RuntimeError("this store was made without the audit table's name")
        return self._audit

    def append_audit(self, event: AuditEvent) -> None:
        """Add an entry to the audit table; a put that would replace an existing entry is refused."""
        item = json.loads(event.model_dump_json(), parse_float=Decimal)
        item |= {
            "pk": f"ORG#{event.org_id}#AUDIT#{event.at:%Y-%m}",
            "sk": f"{event.at.isoformat()}#{event.event_id}",
            "type": "AuditEvent",
        }
        self._db.put_item(TableName=self._audit_table(), Item=_encode(item), ConditionExpression="attribute_not_exists(pk)")

    def move_legacy_audit(self) -> int:
        """Move the audit entries that versions before the audit table kept in the main table into the audit
        table (each put refuses an existing key, so a second run moves nothing twice), deleting each from the
        main table once it is in the audit table. An operator's one-off upgrade step (``oneway admin
        move-audit``): it scans the main table, which no function ever does."""
        moved = 0
        for page in self._db.get_paginator("scan").paginate(
            TableName=self._table,
            FilterExpression="#type = :audit AND begins_with(pk, :org)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={":audit": {"S": "AuditEvent"}, ":org": {"S": "ORG#"}},
        ):
            for item in page["Items"]:
                try:
                    self._db.put_item(TableName=self._audit_table(), Item=item, ConditionExpression="attribute_not_exists(pk)")
                except ClientError as err:
                    if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise
                self._db.delete_item(TableName=self._table, Key={"pk": item["pk"], "sk": item["sk"]})
                moved += 1
        return moved

    def add_count(self, name: str, window: str, expires_at: datetime) -> int:
        answer = self._db.update_item(
            TableName=self._table,
            Key=_encode({"pk": f"{LIMIT}#{name}", "sk": window}),
            UpdateExpression="ADD hits :one SET #ttl = :ttl",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":ttl": {"N": str(int(expires_at.timestamp()))}},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["hits"]["N"])

    def candidate_items(self, org_id: str, candidate_id: str) -> list[dict[str, Any]]:
        return self._partition(_candidate_pk(org_id, candidate_id))

    def delete_candidate(self, org_id: str, candidate_id: str) -> int:
        return self._delete_keys(self._partition(_candidate_pk(org_id, candidate_id), keys_only=True))

    def organization_items(self, org_id: str, since: date, until: date) -> list[dict[str, Any]]:
        """Every item of an organization in this table: its partition, each interview's and webhook's, its
        candidates', its members, and the audit months from ``since`` to ``until`` that versions before the audit
        table kept here. A candidate's word postings are not among them: they go with the candidate's erasure
        (``service/privacy.py``), which comes first. The audit table is not read: its entries (ids only) outlive
        the organization, as they outlive an erased candidate."""
        org = f"ORG#{org_id}"
        items = self._partition(org)
        for item in list(items):
            kind, _, ident = item["sk"].partition("#")
            if kind == "INTERVIEW":
                items += self._partition(f"{org}#INTERVIEW#{ident}")
                for candidate in self._index_partition(GSI_INTERVIEW, f"{org}#INTERVIEW#{ident}"):
                    items += self._partition(_candidate_pk(org_id, candidate["candidate_id"]))
            elif kind == "WEBHOOK":
                items += self._partition(f"{org}#WEBHOOK#{ident}")
        items += self._index_partition(GSI_INTERVIEW, f"{org}#MEMBERS")
        month = date(since.year, since.month, 1)
        while month <= until:
            items += self._partition(f"{org}#AUDIT#{month:%Y-%m}")
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return items

    def delete_organization(self, org_id: str, since: date, until: date) -> int:
        """Delete ``organization_items``; returns how many there were."""
        keys = {(i["pk"], i["sk"]) for i in self.organization_items(org_id, since, until)}
        return self._delete_keys([{"pk": pk, "sk": sk} for pk, sk in sorted(keys)])

    def _partition(self, pk: str, *, keys_only: bool = False) -> list[dict[str, Any]]:
        """Every item of one table partition (its keys only with ``keys_only``), read consistently."""
        items: list[dict[str, Any]] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
            ConsistentRead=True,
            **({"ProjectionExpression": "pk, sk"} if keys_only else {}),
        ):
            items += [_decode(i) for i in page["Items"]]
        return items

    def _index_partition(self, index: str, pk: str) -> list[dict[str, Any]]:
        attr = {GSI_TOKEN: "gsi1", GSI_INTERVIEW: "gsi2", GSI_PROCESSING: "gsi3"}[index]
        items: list[dict[str, Any]] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            IndexName=index,
            KeyConditionExpression=f"{attr}pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
        ):
            items += [_decode(i) for i in page["Items"]]
        return items

    def _delete_keys(self, keys: list[dict[str, Any]]) -> int:
        for i in range(0, len(keys), 25):
            request: dict | None = {self._table: [{"DeleteRequest": {"Key": _encode(k)}} for k in keys[i : i + 25]]}
            while request:
                request = self._db.batch_write_item(RequestItems=request).get("UnprocessedItems") or None
        return len(keys)

    # -- reads -------------------------------------------------------------
    def _get(self, pk: str, sk: str) -> dict | None:
        item = self._db.get_item(TableName=self._table, Key=_encode({"pk": pk, "sk": sk}), ConsistentRead=True).get("Item")
        return _decode(item) if item else None

    def _one(self, pk: str, sk: str, kind: type[Entity]) -> Any:
        return _typed(self._get(pk, sk), kind)

    def get_organization(self, org_id: str) -> Organization | None:
        return self._one(f"ORG#{org_id}", "META", Organization)

    def get_member(self, user_id: str) -> Member | None:
        return self._one(f"USER#{user_id}", "META", Member)

    def get_interview(self, org_id: str, interview_id: str) -> Interview | None:
        return self._one(f"ORG#{org_id}", f"INTERVIEW#{interview_id}", Interview)

    def get_candidate(self, org_id: str, candidate_id: str) -> Candidate | None:
        return self._one(_candidate_pk(org_id, candidate_id), "META", Candidate)

    def get_take(self, ref: TakeRef) -> Take | None:
        return self._one(_candidate_pk(ref.org_id, ref.candidate_id), f"ANSWER#{ref.question_id}#TAKE#{ref.take_id}", Take)

    def _get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Items by (pk, sk), read consistently with BatchGetItem (keys it leaves unprocessed are asked again)."""
        found: dict[tuple[str, str], dict] = {}
        request: dict | None = {self._table: {"Keys": [_encode({"pk": pk, "sk": sk}) for pk, sk in keys], "ConsistentRead": True}}
        while request:
            answer = self._db.batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(self._table, []):
                plain = _decode(item)
                found[(plain["pk"], plain["sk"])] = plain
            request = answer.get("UnprocessedKeys") or None
        return found

    def get_take_and_interview(self, ref: TakeRef) -> tuple[Take | None, Interview | None]:
        take_key = (_candidate_pk(ref.org_id, ref.candidate_id), f"ANSWER#{ref.question_id}#TAKE#{ref.take_id}")
        interview_key = (f"ORG#{ref.org_id}", f"INTERVIEW#{ref.interview_id}")
        items = self._get_many([take_key, interview_key])
        return _typed(items.get(take_key), Take), _typed(items.get(interview_key), Interview)

    def get_question_media(self, org_id: str, interview_id: str, media_id: str) -> QuestionMedia | None:
        return self._one(f"ORG#{org_id}#INTERVIEW#{interview_id}", f"QMEDIA#{media_id}", QuestionMedia)

    def list_loose_question_media(self, created_before: datetime, limit: int) -> list[QuestionMedia]:
        return [QuestionMedia.model_validate(i) for i in self._sorted_before(GSI_INTERVIEW, QMEDIA_LOOSE, created_before.isoformat(), limit)]

    def list_question_media(self, org_id: str, interview_id: str, limit: int = 200) -> list[QuestionMedia]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}#INTERVIEW#{interview_id}"}, ":sk": {"S": "QMEDIA#"}},
            ConsistentRead=True,
            Limit=limit,
        )
        return [QuestionMedia.model_validate(_decode(i)) for i in page["Items"]]

    def get_counters(self, org_id: str, interview_id: str) -> dict[str, int]:
        item = self._get(f"ORG#{org_id}#INTERVIEW#{interview_id}", "STATS") or {}
        return {k: v for k, v in item.items() if k not in ("pk", "sk")}

    def get_counters_many(self, org_id: str, interview_ids: list[str]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for i in range(0, len(interview_ids), 100):  # BatchGetItem takes up to 100 keys
            keys = [(f"ORG#{org_id}#INTERVIEW#{iid}", "STATS") for iid in interview_ids[i : i + 100]]
            for (pk, _), item in self._get_many(keys).items():
                out[pk.rsplit("#", 1)[1]] = {k: v for k, v in item.items() if k not in ("pk", "sk")}
        return out

    def _query(self, *, cursor_key: tuple[str, str], cursor: str | None, limit: int, **kwargs: Any) -> tuple[list[dict], str | None]:
        start = _cursor_in(cursor, cursor_key)
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = self._db.query(TableName=self._table, Limit=limit, **kwargs)
        return [_decode(i) for i in page["Items"]], _cursor_out(page.get("LastEvaluatedKey"))

    def list_interviews(self, org_id: str, cursor: str | None, limit: int) -> Page[Interview]:
        pk = f"ORG#{org_id}"
        items, nxt = self._query(
            cursor_key=("pk", pk),
            cursor=cursor,
            limit=limit,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": pk}, ":sk": {"S": "INTERVIEW#"}},
            ScanIndexForward=False,
        )
        return _INTERVIEW_PAGE(items=[Interview.model_validate(i) for i in items], next_cursor=nxt)

    def list_candidates(
        self, org_id: str, interview_id: str, status: CandidateStatus | None, cursor: str | None, limit: int
    ) -> Page[Candidate]:
        pk = f"ORG#{org_id}#INTERVIEW#{interview_id}"
        cond, values = "gsi2pk = :pk", {":pk": {"S": pk}}
        if status:
            cond += " AND begins_with(gsi2sk, :st)"
            values[":st"] = {"S": f"{status.value}#"}
        items, nxt = self._query(
            cursor_key=("gsi2pk", pk),
            cursor=cursor,
            limit=limit,
            IndexName=GSI_INTERVIEW,
            KeyConditionExpression=cond,
            ExpressionAttributeValues=values,
        )
        return _CANDIDATE_PAGE(items=[Candidate.model_validate(i) for i in items], next_cursor=nxt)

    def _token_hit(self, key: str) -> dict | None:
        """The item a hashed token points to, from the (eventually consistent) token index."""
        page = self._db.query(
            TableName=self._table,
            IndexName=GSI_TOKEN,
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": key}},
            Limit=1,
        )
        return _decode(page["Items"][0]) if page["Items"] else None

    def find_candidate_by_token(self, token_hash: str) -> Candidate | None:
        owner = self._token_owners.get(token_hash)
        if owner is None:
            hit = self._token_hit(f"TOKEN#{token_hash}")
            if hit is None:
                return None
            owner = (hit["org_id"], hit["candidate_id"])
        # Read the item itself for its current state (a new or revoked token, or an erasure, counts at once).
        current = self.get_candidate(*owner)
        if current is None or current.token_hash != token_hash:
            self._token_owners.pop(token_hash, None)
            return None
        if len(self._token_owners) >= TOKEN_OWNERS_KEPT:
            self._token_owners.pop(next(iter(self._token_owners)))  # the oldest
        self._token_owners[token_hash] = owner
        return current

    def get_candidate_file(self, org_id: str, candidate_id: str) -> CandidateFile | None:
        items: list[dict] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": _candidate_pk(org_id, candidate_id)}},
            ConsistentRead=True,
        ):
            items += [_decode(i) for i in page["Items"]]
        entities = [_from_item(i) for i in items if i.get("type") in _TYPES]
        candidate = next((e for e in entities if isinstance(e, Candidate)), None)
        if candidate is None:
            return None
        return CandidateFile(
            candidate=candidate,
            takes=[e for e in entities if isinstance(e, Take)],
            texts=[e for e in entities if isinstance(e, TextAnswer)],
            reviews=[e for e in entities if isinstance(e, Review)],
            assignments=[e for e in entities if isinstance(e, Assignment)],
            ratings=[e for e in entities if isinstance(e, Rating)],
            shares=[e for e in entities if isinstance(e, Share)],
            messages=sorted((e for e in entities if isinstance(e, OutboxMessage)), key=lambda m: m.message_id, reverse=True),
            notes=sorted((e for e in entities if isinstance(e, TimedNote)), key=lambda n: (n.question_id, n.seconds, n.note_id)),
        )

    # -- the transcript index: one item per (word, candidate, question) ------------
    def _postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words, request: str) -> None:
        keys = [
            {"pk": f"ORG#{org_id}#INTERVIEW#{interview_id}#WORD#{w}", "sk": f"{candidate_id}#{question_id}"} for w in sorted(words)
        ]
        for i in range(0, len(keys), 25):
            batch = [
                {"PutRequest": {"Item": _encode({**k, "type": "Posting", "candidate_id": candidate_id})}}
                if request == "put"
                else {"DeleteRequest": {"Key": _encode(k)}}
                for k in keys[i : i + 25]
            ]
            pending = {self._table: batch}
            while pending:
                pending = self._db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None

    def put_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words) -> None:
        self._postings(org_id, interview_id, candidate_id, question_id, words, "put")

    def delete_postings(self, org_id: str, interview_id: str, candidate_id: str, question_id: str, words) -> None:
        self._postings(org_id, interview_id, candidate_id, question_id, words, "delete")

    def find_postings(self, org_id: str, interview_id: str, word: str, limit: int) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}#INTERVIEW#{interview_id}#WORD#{word}"}},
            ProjectionExpression="sk",
        ):
            out += [tuple(i["sk"]["S"].rsplit("#", 1)) for i in page["Items"]]
            if len(out) >= limit:
                break
        return out[:limit]

    def list_bank(self, org_id: str, limit: int = 500) -> list[BankQuestion]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}"}, ":sk": {"S": "BANK#"}},
            Limit=limit,
        )
        return [BankQuestion.model_validate(_decode(i)) for i in page["Items"]]

    def get_bank_question(self, org_id: str, question_id: str) -> BankQuestion | None:
        return self._one(f"ORG#{org_id}", f"BANK#{question_id}", BankQuestion)

    def list_webhooks(self, org_id: str) -> list[Webhook]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}"}, ":sk": {"S": "WEBHOOK#"}},
            ConsistentRead=True,
        )
        return [Webhook.model_validate(_decode(i)) for i in page["Items"]]

    def get_webhook(self, org_id: str, webhook_id: str) -> Webhook | None:
        return self._one(f"ORG#{org_id}", f"WEBHOOK#{webhook_id}", Webhook)

    def list_deliveries(self, org_id: str, webhook_id: str, limit: int = 20) -> list[Delivery]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"ORG#{org_id}#WEBHOOK#{webhook_id}"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [Delivery.model_validate(_decode(i)) for i in page["Items"]]

    def list_due_deliveries(self, now: datetime, limit: int) -> list[Delivery]:
        # "~" sorts after "#": every delivery due at or before now.
        return [Delivery.model_validate(i) for i in self._sorted_before(GSI_PROCESSING, WEBHOOK_DUE, f"{now.isoformat()}~", limit)]

    # -- the outbox: side effects saved with their state change, carried out by the deliver function ------
    def get_message(self, org_id: str, message_id: str, candidate_id: str | None = None) -> OutboxMessage | None:
        home = _candidate_pk(org_id, candidate_id) if candidate_id else f"ORG#{org_id}#OUTBOX#{message_id}"
        return self._one(home, f"OUTBOX#{message_id}", OutboxMessage)

    def list_candidate_messages(self, org_id: str, candidate_id: str, limit: int = 50) -> list[OutboxMessage]:
        page = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": _candidate_pk(org_id, candidate_id)}, ":sk": {"S": "OUTBOX#"}},
            ConsistentRead=True,
            ScanIndexForward=False,  # ids sort by creation time: newest first
            Limit=limit,
        )
        return [OutboxMessage.model_validate(_decode(i)) for i in page["Items"]]

    def list_due_messages(self, now: datetime, limit: int) -> list[OutboxMessage]:
        # "~" sorts after "#": every message due at or before now.
        return [OutboxMessage.model_validate(i) for i in self._sorted_before(GSI_PROCESSING, OUTBOX_DUE, f"{now.isoformat()}~", limit)]

    def find_share_by_token(self, token_hash: str) -> Share | None:
        hit = self._token_hit(f"SHARE#{token_hash}")
        if hit is None:
            return None
        # Read the item itself (a revocation must count at once).
        current = self._one(_candidate_pk(hit["org_id"], hit["candidate_id"]), f"SHARE#{hit['share_id']}", Share)
        return current if current and current.token_hash == token_hash else None

    def delete_item(self, entity: Entity) -> None:
        self._db.delete_item(TableName=self._table, Key=_encode({k: v for k, v in _keys(entity).items() if k in ("pk", "sk")}))

    def _sorted_before(self, index: str, pk: str, below: str, limit: int) -> list[dict]:
        """The first ``limit`` items of one partition of ``index`` whose sort key sorts before ``below``."""
        attr = {GSI_INTERVIEW: "gsi2", GSI_PROCESSING: "gsi3"}[index]
        page = self._db.query(
            TableName=self._table,
            IndexName=index,
            KeyConditionExpression=f"{attr}pk = :pk AND {attr}sk < :below",
            ExpressionAttributeValues={":pk": {"S": pk}, ":below": {"S": below}},
            Limit=limit,
        )
        return [_decode(i) for i in page["Items"]]

    def _gsi2_all(self, pk: str, kind: type[Entity], limit: int) -> list[Any]:
        """Every item of one byInterview partition, at most ``limit`` (a bounded, paged query)."""
        out: list[Any] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            IndexName=GSI_INTERVIEW,
            KeyConditionExpression="gsi2pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
        ):
            out += [kind.model_validate(_decode(i)) for i in page["Items"]]
            if len(out) >= limit:
                break
        return out[:limit]

    def list_members(self, org_id: str, limit: int = 500) -> list[Member]:
        return self._gsi2_all(f"ORG#{org_id}#MEMBERS", Member, limit)

    def list_ratings(self, org_id: str, interview_id: str, limit: int = 5000) -> list[Rating]:
        return self._gsi2_all(f"ORG#{org_id}#INTERVIEW#{interview_id}#RATINGS", Rating, limit)

    def list_assignments(self, org_id: str, reviewer_id: str, limit: int = 500) -> list[Assignment]:
        return self._gsi2_all(f"ORG#{org_id}#REVIEWER#{reviewer_id}", Assignment, limit)

    def list_shares_by(self, org_id: str, user_id: str, limit: int = 1000) -> list[Share]:
        return self._gsi2_all(f"ORG#{org_id}#SHARES_BY#{user_id}", Share, limit)

    def list_processing_takes(self, started_before: datetime, limit: int) -> list[Take | QuestionMedia]:
        return [_from_item(i) for i in self._sorted_before(GSI_PROCESSING, PROCESSING, started_before.isoformat(), limit)]  # type: ignore[misc]

    def list_due_for_erasure(self, day: date, limit: int) -> list[tuple[str, str]]:
        page = self._db.query(
            TableName=self._table,
            IndexName=GSI_PROCESSING,
            KeyConditionExpression="gsi3pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"{RETAIN}#{day.isoformat()}"}},
            ProjectionExpression="org_id, candidate_id",
            Limit=limit,
        )
        return [(i["org_id"]["S"], i["candidate_id"]["S"]) for i in page["Items"]]

    def get_erasure(self, org_id: str, candidate_id: str) -> ErasureMarker | None:
        return self._one(f"ORG#{org_id}#ERASED#{candidate_id}", "ERASURE", ErasureMarker)

    def list_due_sweeps(self, now: datetime, limit: int) -> list[ErasureMarker]:
        # "~" sorts after "#": every sweep due at or before now.
        return [ErasureMarker.model_validate(i) for i in self._sorted_before(GSI_PROCESSING, SWEEP, f"{now.isoformat()}~", limit)]

    def get_reminder(self, org_id: str, candidate_id: str) -> Reminder | None:
        return self._one(_candidate_pk(org_id, candidate_id), "REMINDER", Reminder)

    def list_due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        # "~" sorts after "#": every reminder due at or before now.
        return [Reminder.model_validate(i) for i in self._sorted_before(GSI_PROCESSING, REMIND, f"{now.isoformat()}~", limit)]

    def list_audit(self, org_id: str, month: str, limit: int) -> list[AuditEvent]:
        return self.audit_page(org_id, month, limit=limit).items

    def audit_page(
        self, org_id: str, month: str, *, actor: str | None = None, action: str | None = None, cursor: str | None = None, limit: int = 100
    ) -> Page[AuditEvent]:
        """One page of an organization's month, newest first, of the entries by ``actor`` whose action is or
        begins with ``action`` (``member.`` for every member action). Each read asks for no more than the
        entries still wanted, so a page never skips an entry; at most AUDIT_PAGE_READS reads a page."""
        pk = f"ORG#{org_id}#AUDIT#{month}"
        conditions, names, values = [], {}, {":pk": {"S": pk}}
        if actor:
            conditions.append("#actor = :actor")
            names["#actor"], values[":actor"] = "actor", {"S": actor}
        if action:
            conditions.append("(#action = :action OR begins_with(#action, :prefix))")
            names["#action"], values[":action"] = "action", {"S": action}
            values[":prefix"] = {"S": action if action.endswith(".") else f"{action}."}
        filters = {"FilterExpression": " AND ".join(conditions), "ExpressionAttributeNames": names} if conditions else {}
        found: list[AuditEvent] = []
        start = _cursor_in(cursor, ("pk", pk))
        for _ in range(AUDIT_PAGE_READS):
            page = self._db.query(
                TableName=self._audit_table(),
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues=values,
                ScanIndexForward=False,
                Limit=limit - len(found),
                **filters,
                **({"ExclusiveStartKey": start} if start else {}),
            )
            found += [AuditEvent.model_validate(_decode(i)) for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        return _AUDIT_PAGE(items=found, next_cursor=_cursor_out(start))


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
        for name, p in ((GSI_TOKEN, "gsi1"), (GSI_INTERVIEW, "gsi2"), (GSI_PROCESSING, "gsi3"))
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
