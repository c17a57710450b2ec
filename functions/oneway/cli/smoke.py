"""`oneway smoke`: the contract walk against a running deployment, and its verdict.

One candidate's whole life, through the HTTP contract only, as the review site
and the candidate app do it: sign in (Cognito ``USER_PASSWORD_AUTH`` against
the site's ``/config.json``), create an interview, invite, consent, record a
take by uploading the shipped sample answer through its presigned part URLs
(CORS preflight, PUT, ETag), submit, wait until the answer is ready with a
transcript and captions, fetch them, score, decide, erase, and check that
nothing of the candidate is left: not in the API, not in either bucket (no
object version, no open upload), not in the table.

The recruiter is a temporary admin of a temporary organization, made with the
operator's credentials the way ``oneway admin create-user`` makes one, and
removed at the end, whatever happened, with everything the organization holds
(``admin.remove_organization``). The operator's credentials also read the
buckets and the table for the final check; nothing else uses them.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from ..domain import keys
from ..domain.tokens import hash_token
from . import admin, sample_answer

HTTP_TIMEOUT = 30.0
RUBRIC = ("Communication", "Technical depth")
CONTENT_TYPES = {".webm": "video/webm", ".mp4": "video/mp4", ".mov": "video/quicktime", ".mkv": "video/x-matroska"}
SET_ASIDE = (
    "Oneway set the upload aside (not a video, or larger than declared or allowed) and would ask the candidate "
    "to record again (see the OnUpload function's log)"
)
# SES's mailbox simulator: accepted in the SES sandbox too, never delivered, outside the bounce and complaint
# figures; the label (after +) keeps runs apart. The "ready for review" email to the admin really goes out.
MAILBOX = "success+{label}@simulator.amazonses.com"
# The table's indexes are eventually consistent: how long an erased token may still be found there.
INDEX_SETTLE_SECONDS = 15.0


class StepFailed(Exception):
    """What a step found wrong, in words the operator can act on."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def _describe(method: str, url: str, answer: Answer) -> str:
    path = urllib.parse.urlsplit(url).path
    try:
        body = answer.json()
        if isinstance(body, dict) and "message" in body:
            detail = f"{body['code']}: {body['message']}" if body.get("code") else str(body["message"])
        else:
            detail = json.dumps(body)
    except ValueError:
        detail = answer.body.decode(errors="replace").strip()
        found = re.search(r"<Code>(.*?)</Code>.*?<Message>(.*?)</Message>", detail, re.S)  # S3's XML errors
        if found:
            detail = f"{found[1]}: {found[2]}"
    return f"{method} {path} answered {answer.status} {detail[:600]}"


def request(
    method: str,
    url: str,
    *,
    body: Any = None,
    data: bytes | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    expect: tuple[int, ...] = (200,),
) -> Answer:
    """One HTTP request; an unexpected status fails the step with the status and the body."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as r:
            answer = Answer(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as err:
        answer = Answer(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())
    except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
        reason = getattr(err, "reason", err)
        where = urllib.parse.urlsplit(url)
        raise StepFailed(f"{method} {where.scheme}://{where.netloc}{where.path}: no answer ({reason})") from None
    if answer.status not in expect:
        raise StepFailed(_describe(method, url, answer))
    return answer


class Report:
    """Prints each step with its duration; remembers the first failure."""

    def __init__(self, out: TextIO):
        self.out = out
        self.failure: str | None = None
        self.started = time.monotonic()
        self.steps = 0

    def line(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, str]]:
        """``note["detail"]`` set inside the block is printed after the step's name."""
        note: dict[str, str] = {}
        self.steps += 1
        began = time.monotonic()
        try:
            yield note
        except Exception as err:
            reason = str(err) if isinstance(err, (StepFailed, admin.AdminError)) else f"{type(err).__name__}: {err}"
            self.line(f"  FAILED  {name}  ({time.monotonic() - began:.1f} s)\n          {reason}")
            self.failure = self.failure or f"{name}: {reason}"
            raise StepFailed(reason) from None
        detail = f"  [{note['detail']}]" if note.get("detail") else ""
        self.line(f"  ok      {name:<52} {time.monotonic() - began:5.1f} s{detail}")


@dataclass
class Walk:
    """What the walk made, so that cleanup and the final check know where to look."""

    email: str = ""
    org_id: str = ""
    org_created: datetime | None = None
    token: str = ""  # the recruiter's access token
    api: str = ""
    site: str = ""
    origin: str = ""  # the site's origin, as the browser sends it to S3
    interview_id: str = ""
    question_id: str = ""
    candidate_id: str = ""
    invitation: str = ""  # the candidate's token
    transcript: str = ""
    answer_status: str = ""
    config: dict[str, Any] = field(default_factory=dict)


def run(
    deployment: admin.Deployment,
    *,
    sample: Path = sample_answer.PATH,
    timeout: float = 600.0,
    poll_every: float | None = None,
    out: TextIO = sys.stdout,
) -> bool:
    """The walk, then the cleanup; True when every step passed."""
    report = Report(out)
    walk = Walk()
    every = poll_every or (1.0 if deployment.local else 3.0)
    report.line(f"Oneway smoke test: {deployment.description}, site {deployment.site_url}")
    try:
        _walk(deployment, walk, report, sample=sample, timeout=timeout, every=every)
    except StepFailed:
        pass
    finally:
        report.line("cleanup")
        with suppress(StepFailed):
            _clean_up(deployment, walk, report)
    took = time.monotonic() - report.started
    if report.failure:
        report.line(f"FAIL: {report.failure}")
        return False
    report.line(f"PASS: the contract walk and its cleanup took {took:.1f} s ({report.steps} steps); nothing is left")
    return True


def _walk(deployment: admin.Deployment, walk: Walk, report: Report, *, sample: Path, timeout: float, every: float) -> None:
    data = sample.read_bytes()
    content_type = CONTENT_TYPES.get(sample.suffix.lower(), "application/octet-stream")
    step = report.step

    with step("read the site's config.json and health") as note:
        if not deployment.site_url:
            raise StepFailed("the deployment names no site URL (the stack's SiteUrl output)")
        walk.site = deployment.site_url.rstrip("/")
        walk.origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(walk.site))
        walk.config = request("GET", f"{walk.site}/config.json").json()
        missing = [k for k in ("apiUrl", "region", "userPoolClientId", "cognitoEndpoint") if not walk.config.get(k)]
        if missing:
            raise StepFailed(f"{walk.site}/config.json lacks {', '.join(missing)}")
        walk.api = walk.config["apiUrl"].rstrip("/")
        request("GET", f"{walk.api}/api/health")
        note["detail"] = f"stage {walk.config.get('stage')}, api {walk.api}"

    with step("create a temporary admin and organization") as note:
        tag = f"{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
        org_name, password = f"Oneway smoke {tag}", admin.generate_password()
        # Known before anything is made, so that the cleanup finds whatever a failure in between left.
        walk.email, walk.org_id = MAILBOX.format(label=f"oneway-smoke-{tag}"), admin.org_id_for(org_name)
        walk.org_created = datetime.now(UTC)
        outcome = admin.create_user(deployment, email=walk.email, org_name=org_name, password=password)
        if (outcome.email, outcome.org_id) != (walk.email, walk.org_id) or not (outcome.new_user and outcome.new_org):
            raise StepFailed(f"{outcome.email} or organization {outcome.org_id} existed already")
        note["detail"] = f"{outcome.email} in {outcome.org_id}"

    with step("sign in (Cognito USER_PASSWORD_AUTH)"):
        walk.token = _sign_in(walk.config, walk.email, password)
        me = request("GET", f"{walk.api}/api/me", token=walk.token).json()
        if me.get("orgId") != walk.org_id or me.get("role") != "admin":
            raise StepFailed(f"/api/me says {me}, not admin of {walk.org_id}")

    with step("create an interview (one video question, rubric of two)") as note:
        made = request(
            "POST",
            f"{walk.api}/api/interviews",
            token=walk.token,
            expect=(201,),
            body={
                "title": "Oneway smoke test",
                "description": "Made and removed by `oneway smoke`.",
                "questions": [
                    {"prompt": "Tell us about yourself.", "kind": "video", "thinkSeconds": 0, "answerSeconds": 60, "maxTakes": 1}
                ],
                "rubric": [{"name": name} for name in RUBRIC],
                "deadlineDays": 1,
            },
        ).json()
        walk.interview_id, walk.question_id = made["interviewId"], made["questions"][0]["questionId"]
        note["detail"] = walk.interview_id

    with step("invite a candidate (no email)") as note:
        invited = request(
            "POST",
            f"{walk.api}/api/interviews/{walk.interview_id}/invitations",
            token=walk.token,
            expect=(201,),
            # No invitation email: the link comes back in the answer.
            body={"candidates": [{"name": "Smoke Candidate", "email": MAILBOX.format(label=f"{walk.org_id}-candidate")}], "sendEmail": False},
        ).json()["items"][0]
        walk.candidate_id = invited["candidateId"]
        link = urllib.parse.urlsplit(invited["inviteUrl"])
        walk.invitation = urllib.parse.parse_qs(link.fragment).get("t", [""])[0]
        if not walk.invitation:
            raise StepFailed(f"the invitation link {invited['inviteUrl']!r} carries no #t= token")
        note["detail"] = walk.candidate_id

    cand = walk.invitation
    with step("open the session as the candidate"):
        session = request("GET", f"{walk.api}/api/c/session", token=cand).json()
        if [q["questionId"] for q in session["questions"]] != [walk.question_id]:
            raise StepFailed(f"the session shows questions {session['questions']}, not the one asked")

    with step("consent"):
        request("POST", f"{walk.api}/api/c/consent", token=cand, body={"accepted": True})

    with step("start a take"):
        take = request("POST", f"{walk.api}/api/c/questions/{walk.question_id}/takes", token=cand, expect=(201,)).json()
    take_path = f"{walk.api}/api/c/questions/{walk.question_id}/takes/{take['takeId']}"

    with step("upload the sample answer by presigned parts") as note:
        ticket = request("POST", f"{take_path}/upload", token=cand, body={"contentType": content_type, "size": len(data)}).json()
        size, parts = ticket["partSize"], []
        for part in ticket["parts"]:
            n = part["partNumber"]
            parts.append({"partNumber": n, "etag": _put_part(part["url"], data[(n - 1) * size : n * size], origin=walk.origin)})
        status = request("POST", f"{take_path}/complete", token=cand, body={"parts": parts}).json()
        note["detail"] = f"{len(data) // 1024} KiB in {len(parts)} part(s), {status.get('status')}"

    with step("submit the interview"):
        try:
            request("POST", f"{walk.api}/api/c/complete", token=cand)
        except StepFailed as err:
            if "answers_missing" in str(err):  # on_upload was quicker than this request
                raise StepFailed(f"{err}: {SET_ASIDE}") from None
            raise

    with step("wait until the answer is ready (transcript, captions)") as note:
        answer = _wait_ready(walk, timeout=timeout, every=every)
        walk.transcript = answer["transcript"]
        words = walk.transcript.split()
        note["detail"] = f"{answer.get('durationSeconds')} s of video; transcript: {' '.join(words[:8])}{' ...' if len(words) > 8 else ''}"

    with step("fetch the video, poster and captions"):
        for name in ("videoUrl", "posterUrl", "captionsUrl", "audioUrl"):
            if name == "audioUrl" and not answer.get(name):
                continue
            got = request("GET", answer[name], headers={"Origin": walk.origin})
            if not got.body:
                raise StepFailed(f"{name} answered 200 with an empty body")
            # The review app plays with crossorigin="anonymous": without this header it shows nothing.
            if name in ("videoUrl", "captionsUrl", "audioUrl") and got.header("Access-Control-Allow-Origin") not in (walk.origin, "*"):
                raise StepFailed(f"{name} has no Access-Control-Allow-Origin for {walk.origin}: the browser would refuse it")
            if name == "captionsUrl" and not got.body.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
                raise StepFailed(f"the captions are not WebVTT: {got.body[:80]!r}")

    with step("find the candidate by a word of the transcript") as note:
        term = _searchable(walk.transcript)
        hits = request("GET", f"{walk.api}/api/interviews/{walk.interview_id}/search?q={urllib.parse.quote(term)}", token=walk.token).json()
        if not any(c["candidateId"] == walk.candidate_id for c in hits["items"]):
            raise StepFailed(f"searching the interview for {term!r}, a word of the transcript, does not find the candidate")
        note["detail"] = repr(term)

    with step("score the rubric"):
        request(
            "PUT",
            f"{walk.api}/api/candidates/{walk.candidate_id}/review",
            token=walk.token,
            body={"scores": {RUBRIC[0]: 4, RUBRIC[1]: 5}, "comment": "Clear and concise.", "recommendation": "advance"},
        )

    with step("decide"):
        request(
            "POST",
            f"{walk.api}/api/candidates/{walk.candidate_id}/decision",
            token=walk.token,
            body={"decision": "advance", "note": "Smoke test: advance."},
            expect=(200, 201),
        )
        shown = request("GET", f"{walk.api}/api/candidates/{walk.candidate_id}", token=walk.token).json()
        if not shown.get("reviews") or (shown.get("decision") or {}).get("decision") != "advance":
            raise StepFailed(f"the candidate shows reviews {shown.get('reviews')} and decision {shown.get('decision')}")

    with step("erase the candidate"):
        request("DELETE", f"{walk.api}/api/candidates/{walk.candidate_id}", token=walk.token, expect=(200, 204))

    with step("check nothing of the candidate is left") as note:
        note["detail"] = _check_erased(deployment, walk)


def _sign_in(config: dict[str, Any], email: str, password: str) -> str:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.exceptions import ClientError, EndpointConnectionError

    idp = boto3.client(
        "cognito-idp", region_name=config["region"], endpoint_url=config["cognitoEndpoint"], config=Config(signature_version=UNSIGNED)
    )
    try:
        answer = idp.initiate_auth(
            ClientId=config["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": password}
        )
    except ClientError as err:
        error = err.response["Error"]
        hint = " (the app client must allow ALLOW_USER_PASSWORD_AUTH)" if "flow" in error.get("Message", "").lower() else ""
        raise StepFailed(f"Cognito answered {error['Code']}: {error.get('Message')}{hint}") from None
    except EndpointConnectionError as err:
        raise StepFailed(f"no answer from Cognito at {config['cognitoEndpoint']}: {err}") from None
    if "AuthenticationResult" not in answer:
        raise StepFailed(f"Cognito asked for {answer.get('ChallengeName')} instead of signing in")
    return answer["AuthenticationResult"]["AccessToken"]


def _put_part(url: str, chunk: bytes, *, origin: str) -> str:
    """One part as the browser sends it: CORS preflight, then the PUT; the ETag must be readable by the page."""
    pre = request(
        "OPTIONS", url, headers={"Origin": origin, "Access-Control-Request-Method": "PUT"}, expect=(200, 204)
    )
    if pre.header("Access-Control-Allow-Origin") not in (origin, "*") or "PUT" not in pre.header("Access-Control-Allow-Methods").upper():
        raise StepFailed(f"the uploads bucket's CORS does not let {origin} PUT parts (preflight headers {pre.headers})")
    # urllib would label the bytes as a form, which the local S3 then tries to parse; the browser sends a bare
    # Blob slice. The presigned URL signs only the host, so the label changes nothing on AWS.
    put = request("PUT", url, data=chunk, headers={"Origin": origin, "Content-Type": "application/octet-stream"})
    etag = put.header("ETag")
    exposed = [h.strip().lower() for h in put.header("Access-Control-Expose-Headers").split(",")]
    if not etag or "etag" not in exposed:
        raise StepFailed(f"a part's ETag is not exposed to the browser (ETag {etag!r}, exposed {exposed})")
    return etag


def _wait_ready(walk: Walk, *, timeout: float, every: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        shown = request("GET", f"{walk.api}/api/candidates/{walk.candidate_id}", token=walk.token).json()
        answer = next((a for a in shown["answers"] if a["questionId"] == walk.question_id), None)
        walk.answer_status = answer["status"] if answer else "missing"
        if answer and answer.get("refused"):
            raise StepFailed(f"{SET_ASIDE}: {answer['refused']}")
        if answer and answer["status"] == "pending":
            # The completed upload was the submitted take; an answer without one means it was set aside.
            raise StepFailed(f"the answer went back to pending: {SET_ASIDE}")
        if answer and answer["status"] == "failed":
            raise StepFailed(f"the answer failed: {answer.get('failure') or 'no reason given'} (see the OnUpload and OnMediaEvent logs)")
        if answer and answer["status"] == "ready":
            lacking = [k for k in ("videoUrl", "posterUrl", "captionsUrl", "transcript") if not answer.get(k)]
            if lacking and answer.get("transcriptAvailable") is not None:
                raise StepFailed(f"the answer is ready without {', '.join(lacking)} ({answer.get('failure') or 'no reason given'})")
            if not lacking:
                return answer
        if time.monotonic() > deadline:
            raise StepFailed(
                f"the answer is still {walk.answer_status!r} after {timeout:.0f} s "
                "(the upload queue, MediaConvert or Transcribe did not finish: see their logs and the alarms)"
            )
        time.sleep(every)


def _searchable(transcript: str) -> str:
    """The longest word of the transcript that the search index keeps."""
    from ..service.search import words

    found = sorted(words(transcript), key=lambda w: (-len(w), w))
    if not found:
        raise StepFailed(f"the transcript has no searchable word: {transcript!r}")
    return found[0]


def _check_erased(deployment: admin.Deployment, walk: Walk) -> str:
    """Nothing of the candidate: not through the API, not in the buckets, not in the table."""
    request("GET", f"{walk.api}/api/candidates/{walk.candidate_id}", token=walk.token, expect=(404,))
    request("GET", f"{walk.api}/api/c/session", token=walk.invitation, expect=(401,))
    if walk.transcript:
        term = _searchable(walk.transcript)
        hits = request("GET", f"{walk.api}/api/interviews/{walk.interview_id}/search?q={urllib.parse.quote(term)}", token=walk.token).json()
        if any(c["candidateId"] == walk.candidate_id for c in hits["items"]):
            raise StepFailed(f"searching the interview for {term!r} still finds the candidate")

    left = _candidate_leftovers(deployment, walk)
    if left:
        raise StepFailed(f"{len(left)} thing(s) of the erased candidate are left: " + "; ".join(left[:10]))
    return "API, search, both buckets, table"


def _candidate_leftovers(deployment: admin.Deployment, walk: Walk) -> list[str]:
    """What is stored of the candidate, read with the operator's credentials: object versions and open uploads
    under its prefix in both buckets, items of its partition, word postings of its transcript, its token."""
    from ..adapters.dynamo import DynamoStore
    from ..service.search import words

    org = walk.org_id
    prefix = keys.candidate_prefix(org, walk.interview_id, walk.candidate_id)
    s3 = deployment.client("s3")
    left: list[str] = []
    for bucket in (deployment.uploads_bucket, deployment.media_bucket):
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
            left += [f"s3://{bucket}/{v['Key']} ({v['VersionId']})" for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=prefix):
            left += [f"s3://{bucket}/{u['Key']} (open upload {u['UploadId']})" for u in page.get("Uploads", [])]

    store = DynamoStore(deployment.client("dynamodb"), deployment.table_name)
    left += [f"item {i['pk']} / {i['sk']}" for i in store.candidate_items(org, walk.candidate_id)]
    for word in sorted(words(walk.transcript)):
        if any(c == walk.candidate_id for c, _ in store.find_postings(org, walk.interview_id, word, 1000)):
            left.append(f"word posting {word!r}")
    deadline = time.monotonic() + INDEX_SETTLE_SECONDS
    while walk.invitation and store.find_candidate_by_token(hash_token(walk.invitation)) is not None:
        if time.monotonic() > deadline:
            left.append("the token index still leads to the candidate")
            break
        time.sleep(1)
    return left


def _clean_up(deployment: admin.Deployment, walk: Walk, report: Report) -> None:
    """Remove the temporary organization with everything in it, and the temporary user; then check."""
    if not walk.org_id:
        report.line("  (nothing was made)")
        return
    with report.step("remove the temporary organization and admin") as note:
        removed = admin.remove_organization(deployment, walk.org_id, since=(walk.org_created or datetime.now(UTC)).date())
        idp = deployment.client("cognito-idp")
        with suppress(idp.exceptions.UserNotFoundException):  # the user, even if its membership was never written
            idp.admin_delete_user(UserPoolId=deployment.user_pool_id, Username=walk.email)
        note["detail"] = f"{removed.candidates} candidate(s) erased, {removed.items} item(s), {removed.users} user(s)"
        if walk.answer_status == "processing":
            report.line(
                f"  note    the answer was still processing: a media job may yet write under "
                f"s3://{deployment.media_bucket}/{keys.candidate_prefix(walk.org_id, walk.interview_id, walk.candidate_id)}"
            )
    with report.step("check the temporary organization is gone"):
        _check_removed(deployment, walk)


def _check_removed(deployment: admin.Deployment, walk: Walk) -> None:
    from ..adapters.dynamo import DynamoStore

    store = DynamoStore(deployment.client("dynamodb"), deployment.table_name)
    today = datetime.now(UTC).date()
    left = [f"item {i['pk']} / {i['sk']}" for i in store.organization_items(walk.org_id, (walk.org_created or datetime.now(UTC)).date(), today)]
    if walk.candidate_id:
        left += _candidate_leftovers(deployment, walk)
    idp = deployment.client("cognito-idp")
    try:
        idp.admin_get_user(UserPoolId=deployment.user_pool_id, Username=walk.email)
        left.append(f"Cognito user {walk.email}")
    except idp.exceptions.UserNotFoundException:
        pass
    if left:
        raise StepFailed(f"{len(left)} thing(s) of the temporary organization are left: " + "; ".join(left[:10]))


def target(local: bool, *, stack: str | None, region: str | None, url: str | None, aws_port: int | None) -> admin.Deployment:
    if local:
        return admin.local_deployment(aws_port, site_url=url)
    deployment = admin.stack_deployment(stack or "oneway", region=region)
    missing = [name for name, value in (("SiteUrl", deployment.site_url), ("UploadsBucketName", deployment.uploads_bucket),
                                        ("MediaBucketName", deployment.media_bucket)) if not value]
    if missing:
        raise admin.AdminError(f"stack {stack!r} has no output {', '.join(missing)}: deploy the current Oneway (make deploy)")
    return deployment

