"""Oneway's HTTP contract driven as the apps drive it, by any ``call(method, path, body, token=, expect=)``."""

from __future__ import annotations

import http.client
import math
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

APP_UPLOADER = Path(__file__).resolve().parents[1] / "web" / "src" / "candidate" / "upload.ts"
# Parts in flight at once: read from the candidate app's uploader, the one place it is set.
_parallel = re.search(r"^const PARALLEL_PARTS = (\d+)$", APP_UPLOADER.read_text(), re.MULTILINE)
if _parallel is None:
    raise RuntimeError(f"{APP_UPLOADER} no longer sets PARALLEL_PARTS")
PARALLEL_PARTS = int(_parallel.group(1))

INTERVIEW = {
    "title": "Backend engineer",
    "description": "Remote, full time",
    "questions": [
        {"prompt": "Tell us about a system you built", "kind": "video", "thinkSeconds": 10, "answerSeconds": 120, "maxTakes": 10},
        {"prompt": "How do you review code?", "kind": "video", "thinkSeconds": 10, "answerSeconds": 120, "maxTakes": 10},
        {"prompt": "Why this team?", "kind": "text", "thinkSeconds": 0, "answerSeconds": 300, "maxTakes": 1},
    ],
    "rubric": [{"name": "Communication", "description": "clear and structured"}, {"name": "Depth"}],
    "deadlineDays": 14,
}


class Call(Protocol):
    def __call__(self, method: str, path: str, body: Any = None, *, token: str | None = None, expect: int | None = None) -> Any: ...


@dataclass
class Invitee:
    candidate_id: str
    token: str


class HttpCall:
    """``Call`` over HTTP, for a stack in another process; ``token`` defaults to the recruiter's."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base.rstrip("/"), token
        self.http = requests.Session()

    def send(self, method: str, path: str, body: Any = None, *, token: str | None = None) -> requests.Response:
        return self.http.request(method, self.base + path, json=body, headers={"Authorization": f"Bearer {token or self.token}"}, timeout=60)

    def __call__(self, method: str, path: str, body: Any = None, *, token: str | None = None, expect: int | None = None) -> Any:
        r = self.send(method, path, body, token=token)
        if (expect is not None and r.status_code != expect) or r.status_code >= 400:
            raise AssertionError(f"{method} {path}: {r.status_code} {r.text[:500]}")
        return r.json() if r.content else None


def token_of(invite_url: str) -> str:
    match = re.search(r"#t=([A-Za-z0-9_-]+)", invite_url)
    if match is None:
        raise ValueError(f"no token in the invitation link {invite_url}")
    return match.group(1)


def create_interview(call: Call, spec: dict | None = None) -> dict:
    return call("POST", "/api/interviews", spec or INTERVIEW, expect=201)


def invite(call: Call, interview_id: str, count: int, prefix: str = "Candidate") -> list[Invitee]:
    people = [{"name": f"{prefix} {i:05d}", "email": f"{prefix.lower()}{i:05d}@example.com"} for i in range(count)]
    made: list[Invitee] = []
    for start in range(0, count, 90):
        answer = call("POST", f"/api/interviews/{interview_id}/invitations", {"candidates": people[start : start + 90], "sendEmail": False}, expect=201)
        made += [Invitee(i["candidateId"], token_of(i["inviteUrl"])) for i in answer["items"]]
    return made


def take_path(question_id: str, take_id: str) -> str:
    return f"/api/c/questions/{question_id}/takes/{take_id}"


CHUNK = 64 * 1024


class NetworkCut(Exception):
    pass


class Wire:
    """Counts the body bytes sent; ``cut_after`` drops every connection once that many went out."""

    def __init__(self, cut_after: int | None = None):
        self.sent = 0
        self.cut_after = cut_after
        self.down = threading.Event()
        self._lock = threading.Lock()

    def put(self, url: str, data: bytes | memoryview) -> str:
        parts = urlsplit(url)
        if parts.hostname is None:
            raise ValueError(f"a part URL without a host: {url}")
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        try:
            conn.putrequest("PUT", f"{parts.path}?{parts.query}", skip_accept_encoding=True)
            conn.putheader("Content-Length", str(len(data)))
            conn.endheaders()
            view = memoryview(data)
            for start in range(0, len(view), CHUNK):
                if self.down.is_set():
                    raise NetworkCut()
                piece = view[start : start + CHUNK]
                conn.send(piece)
                with self._lock:
                    self.sent += len(piece)
                    if self.cut_after is not None and self.sent >= self.cut_after:
                        self.down.set()
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"PUT part: {response.status} {body[:300]!r}")
            etag = response.getheader("ETag")
            if etag is None:
                raise RuntimeError("PUT part: 200 without an ETag")
            return etag
        finally:
            conn.close()


def send_parts(wire: Wire, urls: dict[int, str], data: bytes, part_size: int) -> dict[int, str]:
    """PUT the parts, PARALLEL_PARTS at a time; return the ETags of those that got through."""
    view = memoryview(data)

    def put(number: int) -> tuple[int, str | None]:
        try:
            return number, wire.put(urls[number], view[(number - 1) * part_size : number * part_size])
        except (NetworkCut, OSError):
            return number, None

    with ThreadPoolExecutor(max_workers=PARALLEL_PARTS) as pool:
        return {n: etag for n, etag in pool.map(put, sorted(urls)) if etag}


def upload(call: Call, token: str, question_id: str, take_id: str, data: bytes, wire: Wire | None = None) -> dict[int, str]:
    """As the candidate app: ask for the part URLs, PUT the parts straight to S3, complete.

    Without a ``wire`` every part must get through; with one that drops (a network cut), the
    upload is left unfinished, and the ETags of the parts that got through are returned.
    """
    path = take_path(question_id, take_id)
    ticket = call("POST", f"{path}/upload", {"contentType": "video/webm", "size": len(data)}, token=token)
    assert len(ticket["parts"]) == max(1, math.ceil(len(data) / ticket["partSize"]))
    etags = send_parts(wire or Wire(), {p["partNumber"]: p["url"] for p in ticket["parts"]}, data, ticket["partSize"])
    if len(etags) == len(ticket["parts"]):
        complete(call, token, question_id, take_id, etags)
    else:
        assert wire is not None, "a part did not get through"
    return etags


def complete(call: Call, token: str, question_id: str, take_id: str, etags: dict[int, str]) -> None:
    parts = [{"partNumber": n, "etag": e} for n, e in sorted(etags.items())]
    call("POST", f"{take_path(question_id, take_id)}/complete", {"parts": parts}, token=token)


def answer_all(call: Call, token: str, video: bytes, *, complete: bool = True) -> list[tuple[str, str]]:
    """Consent, one take per video question (uploaded), text for text questions; return (question, take)."""
    call("POST", "/api/c/consent", {"accepted": True}, token=token)
    session = call("GET", "/api/c/session", token=token)
    takes = []
    for q in session["questions"]:
        if q["kind"] == "video":
            take = call("POST", f"/api/c/questions/{q['questionId']}/takes", token=token, expect=201)
            upload(call, token, q["questionId"], take["takeId"], video)
            takes.append((q["questionId"], take["takeId"]))
        else:
            call("POST", f"/api/c/questions/{q['questionId']}/text", {"text": "Because the team ships carefully."}, token=token)
    if complete:
        call("POST", "/api/c/complete", token=token)
    return takes


def wait_until(predicate: Callable[[], Any], timeout: float, every: float = 0.1, what: str = "a condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def wait_ready(call: Call, candidate_id: str, timeout: float) -> None:
    """Wait until every answer of the candidate is processed (the candidate's status is ready)."""
    wait_until(lambda: call("GET", f"/api/candidates/{candidate_id}")["status"] == "ready", timeout, 0.5, "a ready candidate")
