"""A small client of Oneway's HTTP contract, as a script or a browser would use it."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import requests


class ApiError(Exception):
    def __init__(self, response: requests.Response):
        self.status = response.status_code
        try:
            self.body = response.json()
        except ValueError:
            self.body = {"message": response.text}
        super().__init__(f"{self.status} {self.body}")


class Api:
    def __init__(self, base: str, token: str | None = None, verify: str | bool = True):
        """``verify``: what https answers are checked against (a stack on the network address: its certificate file)."""
        self.base = base.rstrip("/")
        self.http = requests.Session()
        self.verify = verify
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, json=None, params=None, expect: int | None = None):
        r = self.http.request(method, f"{self.base}{path}", json=json, params=params, timeout=30, verify=self.verify)
        if expect is not None and r.status_code != expect:
            raise ApiError(r)
        if r.status_code >= 400 and expect is None:
            raise ApiError(r)
        return r.json() if r.content else None

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.call("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.call("PUT", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)


def token_from(invite_url: str) -> str:
    match = re.search(r"#t=([A-Za-z0-9_-]+)", invite_url)
    assert match, f"no token in the invitation link {invite_url}"
    return match.group(1)


def upload_take(cand: Api, question_id: str, take_id: str, data: bytes, content_type: str = "video/webm") -> dict:
    """Upload as the browser does: presigned multipart, part by part, then complete."""
    ticket = cand.post(f"/api/c/questions/{question_id}/takes/{take_id}/upload", {"contentType": content_type, "size": len(data)})
    size = ticket["partSize"]
    assert len(ticket["parts"]) == max(1, math.ceil(len(data) / size))
    parts = []
    for part in ticket["parts"]:
        n = part["partNumber"]
        r = requests.put(part["url"], data=data[(n - 1) * size : n * size], timeout=60, verify=cand.verify)
        r.raise_for_status()
        parts.append({"partNumber": n, "etag": r.headers["ETag"]})
    return cand.post(f"/api/c/questions/{question_id}/takes/{take_id}/complete", {"parts": parts})


def wait_for(predicate, timeout: float = 120, every: float = 0.5, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(every)


def read(path: Path) -> bytes:
    return path.read_bytes()
