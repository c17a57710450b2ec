"""Privacy: consent with its notice version, erasure of everything, export for an access
request, and an audit log that records views, shares, decisions, exports and deletions
and that no route can edit. (Retention by time travel: tests/integration/test_pipeline.py
and the per-organization period below.)"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from oneway.domain.models import Role
from oneway.handlers import api
from oneway.service import identity, privacy
from tests.integration.test_api import INTERVIEW
from tests.integration.test_pipeline import drain_uploads, finish_events, media_jobs, put_transcript, record_and_upload
from tests.security.routes import routes
from tests.support.events import call
from tests.support.media import make_webm

h = api.lambda_handler


@pytest.fixture
def acme(ports, clock, monkeypatch):
    from oneway.handlers import deps

    monkeypatch.setattr(deps.ports(), "clock", clock)
    identity.create_organization(ports, "Acme", org_id="acme")
    identity.add_member(ports, "acme", "alice", "alice@acme.test", Role.recruiter)
    identity.add_member(ports, "acme", "root", "root@acme.test", Role.admin)
    identity.add_member(ports, "acme", "rita", "rita@acme.test", Role.reviewer)
    return ports


@pytest.fixture(scope="module")
def webm(tmp_path_factory):
    return make_webm(tmp_path_factory.mktemp("media") / "a.webm", seconds=1, size=(160, 120)).read_bytes()


def r(method, path, body=None, sub="alice"):
    return call(h, method, path, body, sub=sub)


def everything(client, aws, webm) -> dict:
    """A candidate with every kind of data: consent, a processed video, an unfinished upload,
    a text answer, a review, a decision, a share link and the media jobs' records."""
    _, made = r("POST", "/api/interviews", INTERVIEW)
    _, inv = r("POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Ada Lovelace", "email": "ada@lovelace.test"}]})
    item = inv["items"][0]
    w = {"token": item["inviteUrl"].split("#t=")[1], "candidate_id": item["candidateId"], "interview_id": made["interviewId"]}
    assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=w["token"])[0] == 200
    record_and_upload(w, client, webm)
    assert call(h, "POST", "/api/c/questions/q2/text", {"text": "Because it is fair."}, token=w["token"])[0] == 200
    assert call(h, "POST", "/api/c/complete", token=w["token"])[0] == 200
    drain_uploads(client, aws)
    jobs = media_jobs(client, aws)
    video_event, speech_event, speech_job = finish_events(jobs)
    put_transcript(client, speech_job, "hello")
    from oneway.handlers import on_media_event
    from oneway.local.gateway import LambdaContext

    for event in (video_event, speech_event):
        on_media_event.lambda_handler(event, LambdaContext("t"))
    # The transcode's outputs where MediaConvert writes them: the MP4, the poster and the audio-only rendition.
    for path in (o["outputFilePaths"][0] for g in video_event["detail"]["outputGroupDetails"] for o in g["outputDetails"]):
        client("s3").put_object(Bucket="oneway-media", Key=path.split("oneway-media/", 1)[1], Body=b"rendition")
    # A second take of nothing: an unfinished multipart upload under the candidate's prefix.
    s3 = client("s3")
    prefix = f"org/acme/interview/{w['interview_id']}/candidate/{w['candidate_id']}/"
    s3.create_multipart_upload(Bucket="oneway-uploads", Key=f"{prefix}question/q1/take/zzz/recording.webm")
    s3.put_object(Bucket="oneway-media", Key=f"{prefix}question/q1/take/zzz/jobs/video-1.json", Body=b"{}")  # a media job record
    cid = w["candidate_id"]
    assert r("GET", f"/api/candidates/{cid}")[0] == 200
    assert r("PUT", f"/api/candidates/{cid}/review", {"scores": {"Depth": 4}})[0] == 200
    # Follow-up questions, asked before the decision: a written one answered, a video one part uploaded.
    asked = {"questions": [{"prompt": "Which report are you proudest of?", "kind": "text"}, {"prompt": "Show us how you would explain it"}]}
    assert r("POST", f"/api/candidates/{cid}/follow-ups", asked)[0] == 201
    assert call(h, "POST", "/api/c/questions/f1-1/text", {"text": "The churn report."}, token=w["token"])[0] == 200
    status, follow_take = call(h, "POST", "/api/c/questions/f1-2/takes", token=w["token"])
    assert status == 201, follow_take
    status, ticket = call(
        h, "POST", f"/api/c/questions/f1-2/takes/{follow_take['takeId']}/upload", {"contentType": "video/webm", "size": 1000}, token=w["token"]
    )
    assert status == 200, ticket
    # A follow-up question's video a member uploaded for this candidate (the server's key, under their prefix).
    status, video = r("POST", f"/api/candidates/{cid}/follow-up-videos", {"contentType": "video/webm", "size": len(webm)})
    assert status == 201, video
    video_key = f"{prefix}question-media/{video['mediaId']}/recording.webm"
    assert video_key in video["parts"][0]["url"]
    s3.put_object(Bucket="oneway-uploads", Key=video_key, Body=webm)
    assert r("POST", f"/api/candidates/{cid}/decision", {"decision": "advance", "note": "strong"})[0] == 200
    if any(x.key == "POST /api/candidates/<candidateId>/shares" for x in routes()):
        assert r("POST", f"/api/candidates/{cid}/shares", {"minutes": 60})[0] == 201
    return {**w, "prefix": prefix}


def test_consent_is_stored_with_the_notice_version(acme, client):
    _, made = r("POST", "/api/interviews", INTERVIEW)
    _, inv = r("POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Bo", "email": "bo@x.test"}]})
    token, cid = inv["items"][0]["inviteUrl"].split("#t=")[1], inv["items"][0]["candidateId"]
    _status, session = call(h, "GET", "/api/c/session", token=token)
    assert session["consentRequired"] is True and session["noticeVersion"] == acme.settings.notice_version
    assert call(h, "POST", "/api/c/consent", {"accepted": True}, token=token)[0] == 200
    stored = acme.store.get_candidate("acme", cid)
    assert stored.consent_at == acme.clock.now() and stored.notice_version == acme.settings.notice_version


def _mentions(client, *needles: str) -> list[str]:
    found = []
    for item in client("dynamodb").scan(TableName="oneway")["Items"]:
        text = json.dumps(item)
        if any(n in text for n in needles):
            found.append(f"{item['pk']['S']} | {item['sk']['S']}")
    return found


def test_erasure_leaves_nothing_of_the_candidate(acme, client, aws, webm):
    w = everything(client, aws, webm)
    cid, s3 = w["candidate_id"], client("s3")
    assert len(_mentions(client, cid)) >= 4  # candidate, take, text answer, review, ...
    assert [m for m in _mentions(client, cid) if m.endswith("| FOLLOWUP#0001")]  # the follow-up round
    assert [m for m in _mentions(client, cid) if "| QMEDIA#" in m]  # a follow-up question's video
    assert any("/question-media/" in v["Key"] for v in s3.list_object_versions(Bucket="oneway-uploads", Prefix=w["prefix"])["Versions"])
    assert any("/question/f1-2/" in u["Key"] for u in s3.list_multipart_uploads(Bucket="oneway-uploads", Prefix=w["prefix"])["Uploads"])
    for bucket in ("oneway-uploads", "oneway-media"):
        assert s3.list_object_versions(Bucket=bucket, Prefix=w["prefix"]).get("Versions"), bucket
    assert s3.list_multipart_uploads(Bucket="oneway-uploads", Prefix=w["prefix"]).get("Uploads")
    media = [v["Key"] for v in s3.list_object_versions(Bucket="oneway-media", Prefix=w["prefix"])["Versions"]]
    assert any(k.endswith("/recording-audio.m4a") for k in media) and any(k.endswith("/recording.mp4") for k in media)

    status, body = r("DELETE", f"/api/candidates/{cid}")
    assert (status, body) == (200, {"status": "erased"})

    for bucket in ("oneway-uploads", "oneway-media"):
        listing = s3.list_object_versions(Bucket=bucket, Prefix=w["prefix"])
        assert not listing.get("Versions") and not listing.get("DeleteMarkers"), bucket
        assert not s3.list_multipart_uploads(Bucket=bucket, Prefix=w["prefix"]).get("Uploads"), bucket
    # Not one item of the table names the candidate, by id, name or email, under any key or index,
    # except the audit trail's record of the erasure itself and the erasure's marker, which a media job
    # still running finds (ids only, no personal data; the marker goes by the table's TTL).
    left = [m for m in _mentions(client, cid, "Ada Lovelace", "ada@lovelace.test") if "#AUDIT#" not in m]
    assert left == [f"ORG#acme#ERASED#{cid} | ERASURE"]
    marker = client("dynamodb").get_item(TableName="oneway", Key={"pk": {"S": f"ORG#acme#ERASED#{cid}"}, "sk": {"S": "ERASURE"}})["Item"]
    assert set(marker) <= {"pk", "sk", "gsi3pk", "gsi3sk", "type", "version", "ttl", "org_id", "interview_id", "candidate_id", "erased_at", "expires_at", "sweep_at", "sweeps", "jobs"}
    assert int(marker["ttl"]["N"]) <= int((acme.clock.now() + timedelta(days=14)).timestamp())
    trail = json.dumps(client("dynamodb").scan(TableName="oneway")["Items"])
    assert "Ada Lovelace" not in trail and "ada@lovelace.test" not in trail
    assert call(h, "GET", "/api/c/session", token=w["token"])[0] == 401
    assert r("GET", f"/api/candidates/{cid}")[0] == 404


def test_export_holds_every_item_and_every_object(acme, client, aws, webm):
    w = everything(client, aws, webm)
    cid = w["candidate_id"]
    assert r("GET", f"/api/candidates/{cid}/export", sub="rita")[0] == 403  # reviewers cannot export
    status, export = r("GET", f"/api/candidates/{cid}/export")
    assert status == 200, export
    stored = client("dynamodb").query(
        TableName="oneway", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": f"ORG#acme#CANDIDATE#{cid}"}}
    )["Items"]
    assert len(export["items"]) == len(stored)
    kinds = {i.get("type") for i in export["items"]}
    assert {"Candidate", "Take", "TextAnswer", "Review"} <= kinds
    person = next(i for i in export["items"] if i["type"] == "Candidate")
    assert person["name"] == "Ada Lovelace" and person["email"] == "ada@lovelace.test" and person["notice_version"]
    assert "token_hash" not in person and "pk" not in person
    s3 = client("s3")
    everything_stored = {
        (b, o["Key"])
        for b in ("oneway-uploads", "oneway-media")
        for o in s3.list_objects_v2(Bucket=b, Prefix=w["prefix"]).get("Contents", [])
    }
    exported = {(f"oneway-{o['bucket']}", o["key"]) for o in export["objects"]}
    assert exported == everything_stored and any(k.endswith("recording.webm") for _, k in exported)
    assert {"recording.mp4", "recording.0000000.jpg", "recording-audio.m4a"} <= {k.rsplit("/", 1)[1] for b, k in exported if b == "oneway-media"}
    for o in export["objects"]:
        assert f"X-Amz-Expires={export['urlExpiresInSeconds']}" in o["url"] and o["size"] >= 0
    # Each link downloads the object it names.
    import requests  # noqa: F401  (moto serves presigned GETs in process through botocore only)

    first = export["objects"][0]
    body = s3.get_object(Bucket=f"oneway-{first['bucket']}", Key=first["key"])["Body"].read()
    assert len(body) == first["size"]


def test_the_audit_log_records_views_shares_decisions_exports_and_deletions(acme, client, aws, webm, clock):
    w = everything(client, aws, webm)
    cid = w["candidate_id"]
    assert r("GET", f"/api/candidates/{cid}/export")[0] == 200
    assert r("DELETE", f"/api/candidates/{cid}")[0] == 200
    month = clock.now().strftime("%Y-%m")
    assert r("GET", f"/api/audit?month={month}")[0] == 403  # the audit log is for admins
    status, log = call(h, "GET", "/api/audit", sub="root", query={"month": month})
    assert status == 200, log
    actions = {(e["action"], e["target"], e["actor"]) for e in log["items"]}
    wanted = {"candidate.viewed", "candidate.decided", "candidate.exported", "candidate.erased"}
    if any(x.key == "POST /api/candidates/<candidateId>/shares" for x in routes()):
        wanted.add("candidate.shared")
    assert wanted <= {a for a, t, _ in actions if t == cid}, actions
    assert ("candidate.erased", cid, "alice") in actions
    assert "Ada" not in json.dumps(log)
    assert call(h, "GET", "/api/audit", sub="root", query={"month": "2026-13"})[0] == 422


def test_no_route_can_change_or_delete_the_audit_log():
    for route in routes():
        if "audit" in route.path:
            assert route.method == "GET", route.key
    from oneway.ports import Store

    audit_methods = sorted(m for m in dir(Store) if "audit" in m)
    assert audit_methods == ["append_audit", "audit_page", "list_audit"], "the store appends and reads audit entries, nothing else"


def test_retention_follows_each_organizations_period(acme, clock):
    from oneway.service import recording

    org = acme.store.get_organization("acme")
    org.retention_days = 30
    acme.store.save(org)
    identity.create_organization(acme, "Globex", org_id="globex")
    identity.add_member(acme, "globex", "gina", "gina@globex.test", Role.recruiter)
    tokens = {}
    for sub in ("alice", "gina"):
        _, made = r("POST", "/api/interviews", INTERVIEW, sub=sub)
        _, inv = r("POST", f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "C", "email": "c@x.test"}]}, sub=sub)
        tokens[sub] = (inv["items"][0]["inviteUrl"].split("#t=")[1], inv["items"][0]["candidateId"])
    short = recording.authenticate(acme, tokens["alice"][0])
    clock.at = short.expires_at + timedelta(days=29)
    assert privacy.apply_retention(acme) == 0
    clock.at = short.expires_at + timedelta(days=30)
    assert privacy.apply_retention(acme) == 1
    assert acme.store.get_candidate("acme", tokens["alice"][1]) is None
    assert acme.store.get_candidate("globex", tokens["gina"][1]) is not None  # 180 days there
