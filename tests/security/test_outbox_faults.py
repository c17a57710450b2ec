"""Side effects after the commit, through the outbox: nothing lost, nothing sent twice.

Every test runs the real handlers on moto: the API's requests leave their emails and events in the
table (outbox messages, in the transaction of their change); the table's stream hands them to the real
deliver handler (oneway/local/streams.py plays Lambda's event source mapping: batches, partial failures,
bisect, retries, the dead-letter queue); the deliver function's schedule retries what is due. SES,
EventBridge and a webhook endpoint fail and recover; each notification is counted where it lands.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from moto.ses.models import ses_backends

from oneway.domain.models import Role
from oneway.handlers import api, deliver, deps
from oneway.local import aws_calls
from oneway.local.gateway import LambdaContext
from oneway.service import delivery, identity, webhooks
from oneway.service.views import WebhookInput
from tests.support.events import call

INTERVIEW = {
    "title": "Support engineer",
    "questions": [{"prompt": "Why this role?", "kind": "text", "thinkSeconds": 0, "answerSeconds": 120, "maxTakes": 1}],
    "deadlineDays": 7,
}
PEOPLE = [{"name": f"Cand {i}", "email": f"cand{i}@example.com"} for i in range(3)]


class Endpoint:
    """A webhook receiver that answers the given statuses in turn (0: connection refused), then 200. It notes
    which function called it (aws_calls' attribution): only the deliver function may."""

    def __init__(self, *statuses: int):
        self.statuses = list(statuses)
        self.accepted: list[dict] = []
        self.callers: set[str | None] = set()

    def resolve(self, host):
        return ["93.184.216.34"]

    def post(self, url, body, headers):
        self.callers.add(aws_calls.calling_function())
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 0:
            raise ConnectionError("connection refused")
        if 200 <= status < 300:
            self.accepted.append(json.loads(body))
        return status


class Flaky:
    """Wraps an AWS client's method: the first ``failures`` calls fail as ``fail`` does, the rest go through."""

    def __init__(self, real, failures: int, fail):
        self.real, self.failures, self.fail = real, failures, fail
        self.calls = 0
        self.through: list[dict] = []

    def __call__(self, **kw):
        self.calls += 1
        if self.calls <= self.failures:
            return self.fail(**kw)
        self.through.append(kw)
        return self.real(**kw)


def _ses_refuses(code: str, message: str = "refused"):
    def fail(**_):
        raise ClientError({"Error": {"Code": code, "Message": message}}, "SendEmail")

    return fail


def _bus_refuses(**kw):
    return {"FailedEntryCount": len(kw["Entries"]), "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "try again"}]}


@pytest.fixture
def world(ports, clock, monkeypatch, outbox):
    """Acme (Alice, an admin who owns the interview), a webhook on every event, the handlers on the test's clock."""
    live = deps.ports()
    monkeypatch.setattr(live, "clock", clock)
    endpoint = Endpoint()
    monkeypatch.setattr(live, "http", endpoint)
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.admin)
    admin = identity.actor_for(live, "alice")
    webhooks.create_webhook(live, admin, WebhookInput(url="https://hooks.acme.test/oneway", events=list(webhooks.EVENTS)))
    status, made = call(api.lambda_handler, "POST", "/api/interviews", INTERVIEW, sub="alice")
    assert status == 201, made
    return {"interview": made["interviewId"], "endpoint": endpoint, "outbox": outbox, "clock": clock, "monkeypatch": monkeypatch}


def sent_mail() -> Counter:
    return Counter((m.destinations["ToAddresses"][0], m.subject) for m in ses_backends["123456789012"]["us-east-1"].sent_messages)


def retry_until_quiet(world, rounds: int = 12, every: timedelta = timedelta(minutes=10)) -> None:
    """The deliver function's schedule, run as time passes, until nothing is due."""
    for _ in range(rounds):
        world["clock"].advance(seconds=every.total_seconds())
        deliver.lambda_handler({"tasks": ["retries"]}, LambdaContext("oneway-deliver"))


def invite(world, people=PEOPLE) -> list[dict]:
    status, inv = call(api.lambda_handler, "POST", f"/api/interviews/{world['interview']}/invitations", {"candidates": people, "sendEmail": True}, sub="alice")
    assert status == 201, inv  # whatever SES does: the request sends nothing
    return inv["items"]


def finish(item: dict) -> None:
    token = item["inviteUrl"].split("#t=")[1]
    for method, path, body in (("POST", "/api/c/consent", {"accepted": True}), ("POST", "/api/c/questions/q1/text", {"text": "Because."}), ("POST", "/api/c/complete", None)):
        status, answer = call(api.lambda_handler, method, path, body, token=token)
        assert status == 200, (path, answer)


def test_ses_eventbridge_and_a_webhook_failing_then_recovering_lose_nothing_and_repeat_nothing(world):
    mp, endpoint = world["monkeypatch"], world["endpoint"]
    ses, bus = deps.aws_client("ses"), deps.aws_client("events")
    mail = Flaky(ses.send_email, 3, _ses_refuses("Throttling", "Maximum sending rate exceeded"))
    events = Flaky(bus.put_events, 2, _bus_refuses)
    mp.setattr(ses, "send_email", mail)
    mp.setattr(bus, "put_events", events)
    endpoint.statuses = [500, 0, 503]

    # Three invitations, one candidate who finishes (completed, then ready: the owner's email), one decision.
    items = invite(world)
    finish(items[0])
    cid = items[0]["candidateId"]
    status, _ = call(api.lambda_handler, "POST", f"/api/candidates/{cid}/decision", {"decision": "advance", "note": "good"}, sub="alice")
    assert status == 200

    world["outbox"].drain()  # the stream: first tries, some refused
    status, page = call(api.lambda_handler, "GET", f"/api/candidates/{items[1]['candidateId']}", sub="alice")
    assert status == 200 and {e["status"] for e in page["emails"]} <= {"sent", "retrying"}
    retry_until_quiet(world)

    # Every email once: three invitations and the owner's "ready for review".
    expected_mail = {(p["email"], f"Acme: your video interview for {INTERVIEW['title']}") for p in PEOPLE}
    sent = sent_mail()
    # The owner's "ready for review" names the candidate.
    ready = [(to, subject) for to, subject in sent if subject.startswith("Ready for review: ")]
    assert len(ready) == 1 and ready[0][0] == "alice@acme.test" and ready[0][1].endswith(f" for {INTERVIEW['title']}")
    expected_mail.add(ready[0])
    assert sent == Counter(expected_mail)
    assert mail.calls == 4 + 3  # three refusals, each retried once
    # Every event once on the bus, and once at the webhook (one delivery each, accepted once).
    published = Counter((e["DetailType"], json.loads(e["Detail"])["candidateId"]) for kw in events.through for e in kw["Entries"])
    assert published == Counter({("candidate.completed", cid): 1, ("candidate.ready", cid): 1, ("candidate.decided", cid): 1})
    delivered = Counter((d["type"], d["data"]["candidateId"]) for d in endpoint.accepted)
    assert delivered == Counter({("candidate.completed", cid): 1, ("candidate.ready", cid): 1, ("candidate.decided", cid): 1})
    assert len({d["id"] for d in endpoint.accepted}) == 3
    assert endpoint.callers == {"deliver"}, "only the deliver function calls webhooks"
    # And the candidates' pages say so.
    for item in items:
        status, page = call(api.lambda_handler, "GET", f"/api/candidates/{item['candidateId']}", sub="alice")
        assert [(e["kind"], e["status"]) for e in page["emails"]] == [("invitation", "sent")], page["emails"]


def test_an_invitation_is_saved_when_ses_refuses_and_its_email_fails_visibly_to_the_dead_letter_queue(world, aws, client):
    """The SES sandbox refuses an unverified recipient: the invitation stands (201), the email is retried with
    backoff, then failed on the candidate's page and noted in the outbox's dead-letter queue (alarmed)."""
    mp = world["monkeypatch"]
    ses = deps.aws_client("ses")
    sandbox = _ses_refuses("MessageRejected", "Email address is not verified. The following identities failed the check: cand0@example.com")
    mail = Flaky(ses.send_email, 1000, sandbox)
    mp.setattr(ses, "send_email", mail)
    (item,) = invite(world, PEOPLE[:1])
    world["outbox"].drain()
    status, st = call(api.lambda_handler, "GET", f"/api/candidates/{item['candidateId']}/invitation", sub="alice")
    (email,) = st["emails"]
    assert (email["kind"], email["status"], email["attempts"]) == ("invitation", "retrying", 1)
    assert email["lastError"] == delivery.EMAIL_REFUSED and "cand0@example.com" not in json.dumps(st["emails"])
    retry_until_quiet(world, rounds=delivery.MAX_ATTEMPTS + 2, every=timedelta(hours=1))  # backoff: 1, 2, 4 ... 64 minutes
    assert mail.calls == delivery.MAX_ATTEMPTS and not mail.through
    (email,) = call(api.lambda_handler, "GET", f"/api/candidates/{item['candidateId']}/invitation", sub="alice")[1]["emails"]
    assert (email["status"], email["attempts"]) == ("failed", delivery.MAX_ATTEMPTS)
    notes = client("sqs").receive_message(QueueUrl=aws.outbox_dead_letters_url, MaxNumberOfMessages=10)["Messages"]
    (note,) = [json.loads(m["Body"]) for m in notes]
    assert (note["type"], note["candidateId"], note["topic"], note["attempts"]) == ("oneway:outbox-given-up", item["candidateId"], "invitation", delivery.MAX_ATTEMPTS)
    # The link of a failed email is not kept either: only its hash, on the candidate.
    token = item["inviteUrl"].split("#t=")[1]
    assert token not in json.dumps(client("dynamodb").scan(TableName="oneway")["Items"])
    # The recruiter can send a fresh link once SES accepts.
    mp.setattr(ses, "send_email", Flaky(mail.real, 0, sandbox))
    status, _again = call(api.lambda_handler, "POST", f"/api/candidates/{item['candidateId']}/invitation/resend", sub="alice")
    assert status == 200
    world["outbox"].drain()
    assert sent_mail()[(PEOPLE[0]["email"], f"Acme: your video interview for {INTERVIEW['title']}")] == 1


def test_an_address_ses_can_never_mail_fails_at_once_without_retries(world, aws, client):
    mp = world["monkeypatch"]
    ses = deps.aws_client("ses")
    mail = Flaky(ses.send_email, 1000, _ses_refuses("InvalidParameterValue", "Missing final '@domain'"))
    mp.setattr(ses, "send_email", mail)
    (item,) = invite(world, PEOPLE[:1])
    world["outbox"].drain()
    retry_until_quiet(world, rounds=3)
    assert mail.calls == 1
    (email,) = call(api.lambda_handler, "GET", f"/api/candidates/{item['candidateId']}/invitation", sub="alice")[1]["emails"]
    assert (email["status"], email["lastError"]) == ("failed", delivery.ADDRESS_REFUSED)
    assert "Messages" not in client("sqs").receive_message(QueueUrl=aws.outbox_dead_letters_url)  # the recruiter's to fix, not the operator's


def test_a_crash_after_the_save_and_before_any_delivery_still_delivers(world, monkeypatch):
    """The request's function stops right after its transaction committed (a timeout, a crash): its caller gets
    an error, the change stands, and its email and events still go out, once."""
    store = deps.ports().store
    real_save = store.save

    class Crash(Exception):
        pass

    def save_then_crash(*entities, **kw):
        real_save(*entities, **kw)
        if any(type(e).__name__ == "OutboxMessage" for e in entities):
            raise Crash("the function stopped after the commit")

    monkeypatch.setattr(store, "save", save_then_crash)
    with pytest.raises(Crash):
        call(api.lambda_handler, "POST", f"/api/interviews/{world['interview']}/invitations", {"candidates": PEOPLE[:1], "sendEmail": True}, sub="alice")
    monkeypatch.setattr(store, "save", real_save)
    world["outbox"].drain()
    assert sent_mail() == Counter({(PEOPLE[0]["email"], f"Acme: your video interview for {INTERVIEW['title']}"): 1})
    # Even with the stream gone (records expired, the mapping off), the scheduled retries find it: it is due.
    retry_until_quiet(world, rounds=2)
    assert sum(sent_mail().values()) == 1


def test_a_message_the_stream_never_handed_over_is_sent_by_the_scheduled_retries(world):
    invite(world, PEOPLE[:2])  # no drain: the stream's records never reach the function
    world["clock"].advance(minutes=1)
    deliver.lambda_handler({"tasks": ["retries"]}, LambdaContext("oneway-deliver"))
    assert sum(sent_mail().values()) == 0  # the stream is given its head start first
    retry_until_quiet(world, rounds=1)
    assert sum(sent_mail().values()) == 2
    world["outbox"].drain()  # the stream late after all: nothing twice
    assert sum(sent_mail().values()) == 2


def test_a_deliverer_that_dies_mid_try_leaves_the_message_to_the_next_one_once_its_lease_ends(world):
    mp = world["monkeypatch"]
    ses = deps.aws_client("ses")

    class Died(BaseException):
        """The function's process ends (a timeout): nothing of it catches this."""

    def die(**_):
        raise Died()

    mail = Flaky(ses.send_email, 1, die)
    mp.setattr(ses, "send_email", mail)
    invite(world, PEOPLE[:1])
    with pytest.raises(Died):
        world["outbox"].drain()
    world["outbox"].drain()  # Lambda retries the batch: the message's try is leased to the dead deliverer
    assert sum(sent_mail().values()) == 0
    world["clock"].advance(seconds=delivery.LEASE.total_seconds() - 60)
    deliver.lambda_handler({"tasks": ["retries"]}, LambdaContext("oneway-deliver"))
    assert sum(sent_mail().values()) == 0  # still leased
    retry_until_quiet(world, rounds=2)
    assert sum(sent_mail().values()) == 1 and mail.calls == 2


def test_a_duplicate_stream_record_delivers_once(world):
    invite(world, PEOPLE[:1])
    first = world["outbox"]
    records = []
    real = first._handler

    def keep(event, context):
        records.extend(event["Records"])
        return real(event, context)

    first._handler = keep
    first.drain()
    assert sum(sent_mail().values()) == 1
    # The same records again: in one batch twice, and in a batch of their own (as Lambda may after a retry).
    for batch in (records + records, records):
        answer = deliver.lambda_handler({"Records": batch}, LambdaContext("oneway-deliver"))
        assert answer == {"batchItemFailures": []}
    assert sum(sent_mail().values()) == 1


def test_a_record_the_function_fails_on_is_retried_split_then_noted_in_the_dead_letter_queue_and_still_sent(world, aws, client):
    """Not a refused email but a failure of the function itself (the table throttled, a bug): the batch is retried
    from that record and split, then its place in the stream goes to the dead-letter queue; the message stays
    due in the table, and the scheduled retries send it."""
    mp = world["monkeypatch"]
    store = deps.ports().store
    real = store.get_message
    failures = {"left": 1 + 3}  # the first try and every retry of the stream

    def throttled(*a, **kw):
        if failures["left"] > 0:
            failures["left"] -= 1
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "GetItem")
        return real(*a, **kw)

    mp.setattr(store, "get_message", throttled)
    invite(world, PEOPLE[:1])
    world["outbox"].drain()
    assert sum(sent_mail().values()) == 0
    (note,) = [json.loads(m["Body"]) for m in client("sqs").receive_message(QueueUrl=aws.outbox_dead_letters_url)["Messages"]]
    assert note["requestContext"]["condition"] == "RetryAttemptsExhausted" and note["DDBStreamBatchInfo"]["streamArn"] == aws.stream_arn
    retry_until_quiet(world, rounds=1)
    assert sum(sent_mail().values()) == 1


def test_no_request_or_pipeline_function_sends_email_or_events_itself(world):
    """The requests leave their side effects in the table; SES and EventBridge see nothing until the deliver function runs."""
    items = invite(world)
    finish(items[0])
    assert sum(sent_mail().values()) == 0 and world["endpoint"].accepted == []
    world["outbox"].drain()
    assert sum(sent_mail().values()) == 4 and len(world["endpoint"].accepted) == 2  # completed, ready


def test_bus_refusals_retry_the_event_and_leave_the_webhooks_to_their_own_schedule(world):
    """An event's message: its webhooks are called once, on its first try; a try that failed on the bus only
    publishes again."""
    mp = world["monkeypatch"]
    bus = deps.aws_client("events")
    events = Flaky(bus.put_events, 3, _bus_refuses)
    mp.setattr(bus, "put_events", events)
    finish(invite(world, PEOPLE[:1])[0])
    world["outbox"].drain()
    assert len(world["endpoint"].accepted) == 2 and events.through == []
    retry_until_quiet(world)
    assert len(world["endpoint"].accepted) == 2
    assert Counter(e["DetailType"] for kw in events.through for e in kw["Entries"]) == Counter({"candidate.completed": 1, "candidate.ready": 1})
    world["clock"].advance(days=1)
    assert delivery.retry_due(deps.delivery_ports()) == 0


def test_a_bulk_invitation_of_a_hundred_commits_in_transactions_and_sends_each_email_once(world):
    """Each candidate, its reminder and its email in one transaction with the others of its batch (DynamoDB takes
    at most 100 actions in one: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html)."""
    from oneway.service import invitations

    db = deps.aws_client("dynamodb")
    sizes: list[int] = []
    real = db.transact_write_items

    def counted(**kw):
        sizes.append(len(kw["TransactItems"]))
        return real(**kw)

    world["monkeypatch"].setattr(db, "transact_write_items", counted)
    people = [{"name": f"Person {i}", "email": f"p{i}@example.com"} for i in range(100)]
    items = invite(world, people)
    assert len(items) == 100
    assert len(sizes) == -(-100 // invitations.BATCH) and max(sizes) <= 100
    world["outbox"].drain()
    sent = sent_mail()
    assert len(sent) == 100 and set(sent.values()) == {1}


def test_events_and_webhooks_carry_ids_statuses_and_decisions_only(world):
    """What leaves for the bus and the receivers' URLs names no one: no candidate's name or email, no decision
    note, no accommodation note, no answer (SECURITY.md, "Webhook receivers")."""
    bus = deps.aws_client("events")
    published: list[dict] = []
    real = bus.put_events

    def put_events(**kw):
        published.extend(json.loads(e["Detail"]) for e in kw["Entries"])
        return real(**kw)

    world["monkeypatch"].setattr(bus, "put_events", put_events)
    secret = {"name": "Zelda Quixote-Private", "email": "zelda.private@example.com"}
    (item,) = invite(world, [secret])
    token = item["inviteUrl"].split("#t=")[1]
    status, _ = call(api.lambda_handler, "POST", "/api/c/accommodations", {"kind": "extra_time", "note": "my-dyslexia-note"}, token=token)
    assert status == 201
    finish(item)
    status, _ = call(api.lambda_handler, "POST", f"/api/candidates/{item['candidateId']}/decision", {"decision": "reject", "note": "my-private-reason"}, sub="alice")
    assert status == 200
    world["outbox"].drain()
    retry_until_quiet(world)

    delivered = [d["data"] for d in world["endpoint"].accepted]
    assert {d["type"] for d in world["endpoint"].accepted} == set(webhooks.EVENTS)
    assert {json.dumps(d) for d in delivered} <= {json.dumps(d) for d in published}, "the receivers get what the bus gets"
    assert len(published) == 4  # completed, ready, decided, and the accommodation request on the bus
    for detail in published:
        assert set(detail) <= {"orgId", "interviewId", "candidateId", "decision", "kind"}, detail
        text = json.dumps(detail)
        for private in (*secret.values(), "my-dyslexia-note", "my-private-reason", "Because."):
            assert private not in text, (private, detail)
