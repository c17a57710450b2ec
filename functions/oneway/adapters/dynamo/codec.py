"""Items to and from DynamoDB's typed attribute values, and the lists' cursors: shared by every aggregate's module."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from ...domain.errors import InvalidInput
from ...domain.models import (
    Application,
    Assignment,
    AuditEvent,
    BankQuestion,
    Candidate,
    CandidateFile,
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
    Page,
    QuestionMedia,
    Rating,
    Reminder,
    Review,
    Share,
    Take,
    TextAnswer,
    TimedNote,
    Webhook,
)
from .keys import keys

SERIALIZER = TypeSerializer()
DESERIALIZER = TypeDeserializer()

# Held here: pydantic keeps parametrized generic models in a weak cache, and a page class that the garbage
# collector took between two calls is created and built again by the next one (a millisecond or more).
INTERVIEW_PAGE, CANDIDATE_PAGE, AUDIT_PAGE = Page[Interview], Page[Candidate], Page[AuditEvent]

TYPES: dict[str, type[Entity]] = {
    t.__name__: t
    for t in (
        Organization, Member, Interview, Candidate, Take, TextAnswer, Review, Rating, Assignment, Reminder, Share, Webhook, Delivery,
        BankQuestion, InterviewDraft, InterviewTemplate, QuestionMedia, ErasureMarker, OutboxMessage, TimedNote, Application, GuestOpinion,
        FollowUpRound,
    )
}


def to_item(entity: Entity, **extra: Any) -> dict[str, Any]:
    data = json.loads(entity.model_dump_json(exclude_none=True), parse_float=Decimal)
    if isinstance(entity, ErasureMarker | OutboxMessage | InterviewDraft | Application):
        extra["ttl"] = int(entity.expires_at.timestamp())  # the table's TTL deletes the item after it
    return {**data, **keys(entity), "type": type(entity).__name__, **extra}


def from_item(item: dict[str, Any]) -> Entity:
    return TYPES[item["type"]].model_validate(item)


def candidate_file(items: Iterable[dict[str, Any]]) -> CandidateFile | None:
    """A candidate's partition (plain items) as the file the use cases read: the same for both stores."""
    entities = [from_item(i) for i in items if i.get("type") in TYPES]
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
        guest_opinions=sorted((e for e in entities if isinstance(e, GuestOpinion)), key=lambda g: (g.submitted_at, g.guest_key)),
        follow_ups=sorted((e for e in entities if isinstance(e, FollowUpRound)), key=lambda r: r.number),
        follow_up_media=[e for e in entities if isinstance(e, QuestionMedia)],
    )


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def encode(item: dict[str, Any]) -> dict[str, Any]:
    return {k: SERIALIZER.serialize(v) for k, v in item.items()}


def _number(text: str) -> int | float:
    if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
        return int(text)
    exact = Decimal(text)
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def _value(typed: dict[str, Any]) -> Any:
    """One attribute value as plain Python: what ``plain(DESERIALIZER.deserialize(typed))`` gives, in one pass
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
    return plain(DESERIALIZER.deserialize(typed))  # type: ignore[arg-type]  # sets and binary values (the stub wants a TypedDict)


def decode(item: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, typed in item.items():
        text = typed.get("S")  # most attributes: no call for them
        out[name] = text if text is not None else _value(typed)
    return out


def typed(item: dict | None, kind: type[Entity]) -> Any:
    """``item`` as a ``kind``; None when there is no item or it holds something else."""
    if not item or item.get("type") != kind.__name__:
        return None
    return kind.model_validate(item)


def cursor_out(last_key: dict | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(decode(last_key)).encode()).decode()


def cursor_in(cursor: str | None, expected_pk: tuple[str, str]) -> dict | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, dict) or key.get(expected_pk[0]) != expected_pk[1]:
            raise ValueError
        return encode({k: str(v) for k, v in key.items()})
    except (ValueError, TypeError):
        raise InvalidInput("the cursor is not valid for this list", "bad_cursor") from None
