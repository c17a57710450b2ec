"""What the candidate e2e tests share: an interview made through the API, the steps a candidate
takes in the page, PUT bodies seen on the wire, the stored object, and axe-core."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import boto3
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.support.client import Api, token_from
from tests.support.stack import ROOT

AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
VIDEO_PROMPT = "Tell us about a problem you solved."
TEXT_PROMPT = "What would you like to learn here?"
# Apart from the walkthrough's interview title: both run on one stack.
TITLE = "Customer care specialist"


@dataclass
class Invited:
    recruiter: Api
    interview_id: str
    candidate_id: str
    url: str
    org_id: str

    @property
    def token(self) -> str:
        return token_from(self.url)


def invite(
    stack,
    *,
    think: int = 2,
    answer: int = 10,
    takes: int = 2,
    practice: bool = False,
    text: bool = True,
    name: str = "Ada Lovelace",
    language: str = "en-US",
) -> Invited:
    recruiter = Api(stack.url, stack.sign_in())
    questions = [{"prompt": VIDEO_PROMPT, "kind": "video", "thinkSeconds": think, "answerSeconds": answer, "maxTakes": takes}]
    if text:
        questions.append({"prompt": TEXT_PROMPT, "kind": "text", "thinkSeconds": 0, "answerSeconds": 120, "maxTakes": 1})
    made = recruiter.post(
        "/api/interviews",
        {
            "title": TITLE,
            "description": "Two short questions about how you work.",
            "questions": questions,
            "practiceQuestion": practice,
            "language": language,
        },
    )
    email = re.sub(r"\W+", ".", name.lower()) + f".{made['interviewId'][-6:]}@example.com"
    inv = recruiter.post(f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": name, "email": email}], "sendEmail": False})
    item = inv["items"][0]
    return Invited(recruiter, made["interviewId"], item["candidateId"], item["inviteUrl"], recruiter.get("/api/me")["orgId"])


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"candidate-{name}.png"), full_page=True)


def axe(page: Page, name: str) -> None:
    """axe-core (WCAG 2.x A/AA rules) on the page as it stands: no violation allowed."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})) }"
    )
    assert result == [], f"axe on {name}: {result}"


def consent(page: Page, url: str, artifacts=None, *, check_axe: bool = True) -> None:
    page.goto(url)
    expect(page.get_by_test_id("welcome")).to_be_visible()
    if check_axe:
        axe(page, "welcome")
    if artifacts:
        shot(page, artifacts, "01-welcome")
    page.get_by_label(re.compile("I agree to the recording")).check()
    page.get_by_role("button", name="I agree and continue").click()


def device_check(page: Page, artifacts=None, *, check_axe: bool = False) -> None:
    allow = page.get_by_role("button", name="Turn on camera and microphone")
    expect(page.get_by_test_id("device-check")).to_be_visible()
    if allow.count():
        allow.click()
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.videoWidth > 0 }")
    if check_axe:
        axe(page, "device check")
    if artifacts:
        shot(page, artifacts, "02-device-check")
    page.get_by_role("button", name="Continue").click()


def start(page: Page) -> None:
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_test_id("capture")).to_be_visible()


def record(page: Page, seconds: float) -> None:
    page.get_by_role("button", name="Start recording now").click()
    expect(page.get_by_test_id("capture")).to_have_attribute("data-phase", "record")
    page.wait_for_timeout(seconds * 1000)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_label("Your recorded answer")).to_be_visible()


def answer_text(page: Page, text: str = "I would like to learn how you run support at scale.") -> None:
    expect(page.get_by_test_id("text-question")).to_be_visible(timeout=30_000)
    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Submit answer").click()


def finish(page: Page) -> None:
    expect(page.get_by_test_id("finish")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_test_id("done")).to_be_visible()


@dataclass
class Wire:
    """The bodies of the part PUTs that reached storage, by part number (the last one wins)."""

    parts: dict[int, bytes] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)
    fresh_url_requests: int = 0

    def sha256(self) -> str:
        return hashlib.sha256(b"".join(self.parts[n] for n in sorted(self.parts))).hexdigest()


def is_part_put(request) -> bool:
    return request.method == "PUT" and "partNumber=" in request.url


def part_number(url: str) -> int:
    match = re.search(r"partNumber=(\d+)", url)
    assert match, f"no part number in {url}"
    return int(match.group(1))


def watch_wire(context: BrowserContext, wire: Wire, first=None) -> None:
    """Record every part PUT; ``first(route)`` handles the first one instead (to fail or stall it)."""
    state = {"first": first}

    def on_put(route: Route) -> None:
        request = route.request
        wire.urls.append(request.url)
        if state["first"]:
            handler, state["first"] = state["first"], None
            handler(route)
            return
        wire.parts[part_number(request.url)] = request.post_data_buffer or b""
        route.continue_()

    def on_parts(route: Route) -> None:
        wire.fresh_url_requests += 1
        route.continue_()

    context.route(lambda url: "partNumber=" in url, lambda route: on_put(route) if is_part_put(route.request) else route.continue_())
    context.route(re.compile(r".*/upload/parts$"), on_parts)


def stored_object(stack, inv: Invited) -> bytes:
    """The recording S3 holds for the candidate's first question."""
    s3 = boto3.client("s3", endpoint_url=stack.aws_endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    prefix = f"org/{inv.org_id}/interview/{inv.interview_id}/candidate/{inv.candidate_id}/"
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"] if "upload" in b["Name"]]
    for bucket in buckets:
        for obj in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
            return s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
    raise AssertionError(f"no recording under {prefix}")


def set_deadline(stack, inv: Invited, at: datetime) -> None:
    """Move the stored deadline (the tests' way to let time pass)."""
    ddb = boto3.client("dynamodb", endpoint_url=stack.aws_endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    table = next(t for t in ddb.list_tables()["TableNames"])
    ddb.update_item(
        TableName=table,
        Key={"pk": {"S": f"ORG#{inv.org_id}#CANDIDATE#{inv.candidate_id}"}, "sk": {"S": "META"}},
        UpdateExpression="SET expires_at = :at",
        ExpressionAttributeValues={":at": {"S": at.astimezone(UTC).isoformat()}},
    )


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def kept_recordings(page: Page) -> list[dict]:
    """What the page keeps in IndexedDB until the server confirms: question, upload begun, size, sha256."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open('oneway-candidate', 1)
            open.onerror = () => reject(open.error)
            open.onsuccess = () => {
                const all = open.result.transaction('recordings').objectStore('recordings').getAll()
                all.onsuccess = async () => {
                    const out = []
                    for (const r of all.result) {
                        const digest = await crypto.subtle.digest('SHA-256', await r.blob.arrayBuffer())
                        const hex = Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('')
                        out.push({questionId: r.questionId, sending: !!r.sending, size: r.blob.size, sha256: hex})
                    }
                    open.result.close()
                    resolve(out)
                }
            }
        })"""
    )
