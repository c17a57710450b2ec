"""Follow-up questions that come as a video, on the in-memory ports: a member who may ask the candidate follow-ups
uploads the video to a key the server makes under the candidate's prefix; the same pipeline processes it; a round
naming a video not ready yet is refused (409 media_not_ready); the candidate gets its links with the prompt, the
reviewers see it beside the answer; an erasure leaves nothing of it, and one never asked is swept."""

from __future__ import annotations

from oneway.domain import keys
from oneway.domain.models import JobKind, JobStatus, Role
from oneway.ports import JobState
from oneway.service import identity, pipeline, privacy
from tests.service.test_follow_ups import actions, invite_and_submit
from tests.service.test_review_fairness import h, ok, org  # noqa: F401  (org is a fixture)
from tests.support.events import call

# The head of a WebM file (EBML magic): enough for the upload check, which reads the first bytes.
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 2000


def upload_video(ports, candidate_id: str, sub: str = "alice") -> tuple[str, str]:
    """Upload a follow-up question's video as the browser does; (media id, the object's key)."""
    ticket = ok("POST", f"/api/candidates/{candidate_id}/follow-up-videos", {"contentType": "video/webm", "size": len(WEBM)}, sub=sub, expect=201)
    key = ticket["parts"][0]["url"].split("/uploads/", 1)[1].split("?", 1)[0]
    done = ok("POST", f"/api/candidates/{candidate_id}/follow-up-videos/{ticket['mediaId']}/complete", {"parts": [{"partNumber": 1, "etag": "e1"}]}, sub=sub)
    assert done["status"] == "uploading" or done["status"] == "processing", done
    ports.objects.objects[f"uploads/{key}"] = WEBM
    return ticket["mediaId"], key


def process(ports, key: str) -> None:
    """The pipeline, with the media jobs' results as the media and speech services would send them."""
    assert pipeline.start_processing(ports, pipeline.UploadedObject(bucket=ports.settings.uploads_bucket, key=key)) == pipeline.Outcome.started
    ref = keys.parse_media_key(key)
    assert isinstance(ref, keys.QuestionMediaRef) and ref.candidate_id
    base = keys.media_prefix(ref)
    started = ports.store.get_follow_up_media(ref.org_id, ref.candidate_id, ref.media_id)
    assert started.status == "processing" and started.video_job_id and started.speech_job_id
    for name in ("recording.mp4", "recording.jpg", "transcript.vtt"):
        ports.objects.objects[f"media/{base}{name}"] = b"x"
    assert pipeline.record_media_result(ports, JobState(
        job_id=started.video_job_id, kind=JobKind.video, status=JobStatus.complete, ref=ref,
        video_key=f"{base}recording.mp4", poster_key=f"{base}recording.jpg", audio_key=f"{base}recording-audio.m4a", duration_seconds=4.0,
    ))
    assert pipeline.record_media_result(ports, JobState(job_id=started.speech_job_id, kind=JobKind.speech, status=JobStatus.complete, ref=ref, captions_key=f"{base}transcript.vtt"))


def test_a_follow_up_question_video_is_the_candidates_ready_before_asking_shown_to_both_and_erased(org, ports):  # noqa: F811
    _, [(ada, token), (alan, _)] = invite_and_submit()
    # Checked like any recording: a type that is no video, a file beyond the bound.
    status, body = call(h, "POST", f"/api/candidates/{ada}/follow-up-videos", {"contentType": "application/pdf", "size": 5000}, sub="alice")
    assert (status, body["code"]) == (400, "unsupported_media_type")
    status, body = call(h, "POST", f"/api/candidates/{ada}/follow-up-videos", {"contentType": "video/webm", "size": 10**11}, sub="alice")
    assert (status, body["code"]) == (413, "recording_too_large")

    media_id, key = upload_video(ports, ada)
    # The server's key, under the candidate's prefix (the candidate's erasure reaches it), never the interview's videos.
    cand = ports.store.get_candidate("acme", ada)
    assert key == f"{keys.candidate_prefix('acme', cand.interview_id, ada)}question-media/{media_id}/recording.webm"
    assert ports.store.get_question_media("acme", cand.interview_id, media_id) is None
    assert ports.store.get_follow_up_media("acme", ada, media_id).candidate_id == ada
    # Another candidate's video is no video of this one's.
    assert call(h, "GET", f"/api/candidates/{alan}/follow-up-videos/{media_id}", sub="alice")[0] == 404

    question = {"prompt": "Show us the dashboard you built", "mediaId": media_id}
    # Not ready yet: refused, nothing asked, nothing sent.
    status, body = call(h, "POST", f"/api/candidates/{ada}/follow-ups", {"questions": [question]}, sub="alice")
    assert (status, body["code"]) == (409, "media_not_ready"), body
    assert ok("GET", f"/api/candidates/{ada}")["followUps"] == []
    # Only on a video question; only a video of this candidate's.
    status, body = call(h, "POST", f"/api/candidates/{ada}/follow-ups", {"questions": [{**question, "kind": "text"}]}, sub="alice")
    assert (status, body["code"]) == (400, "media_on_text_question")
    status, body = call(h, "POST", f"/api/candidates/{alan}/follow-ups", {"questions": [question]}, sub="alice")
    assert (status, body["code"]) == (400, "media_not_found")

    process(ports, key)
    assert ok("GET", f"/api/candidates/{ada}/follow-up-videos/{media_id}")["status"] == "ready"
    asked = ok("POST", f"/api/candidates/{ada}/follow-ups", {"questions": [question, {"prompt": "Anything else?", "kind": "text"}]}, expect=201)
    shown = asked["questions"][0]["media"]
    assert shown["mediaId"] == media_id and shown["status"] == "ready" and shown["videoUrl"].endswith(f"{media_id}/recording.mp4")
    assert asked["questions"][1]["media"] is None
    assert ports.store.get_follow_up_media("acme", ada, media_id).attached
    (asked_event,) = [a for a in actions(ports) if a[0] == "followup.asked"]
    assert asked_event[2]["videos"] == 1
    # A video asks once.
    ok("POST", f"/api/candidates/{ada}/follow-ups/1/cancel")
    status, body = call(h, "POST", f"/api/candidates/{ada}/follow-ups", {"questions": [question]}, sub="alice")
    assert (status, body["code"]) == (400, "media_not_found")
    media2, key2 = upload_video(ports, ada, sub="ann")
    process(ports, key2)
    ok("POST", f"/api/candidates/{ada}/follow-ups", {"questions": [{**question, "mediaId": media2}]}, sub="ann", expect=201)

    # The candidate: the question comes as a video, whose links come with the prompt when a take starts.
    session = call(h, "GET", "/api/c/session", token=token)[1]
    (q,) = session["followUps"]["questions"]
    assert (q["questionId"], q["hasVideo"], q["prompt"]) == ("f2-1", True, None)
    status, take = call(h, "POST", "/api/c/questions/f2-1/takes", token=token)
    assert status == 201 and take["videoUrl"].endswith(f"{media2}/recording.mp4") and take["captionsUrl"].endswith(f"{media2}/transcript.vtt")
    # Every reviewer's page: the question's video beside its answer.
    rounds = ok("GET", f"/api/candidates/{ada}")["followUps"]
    assert [r["questions"][0]["media"]["mediaId"] for r in rounds] == [media_id, media2]

    # A video uploaded and never asked is swept after a day; the asked ones stay.
    loose, loose_key = upload_video(ports, ada)
    ports.clock.advance(days=1, seconds=1)
    privacy.apply_retention(ports)
    assert ports.store.get_follow_up_media("acme", ada, loose) is None and f"uploads/{loose_key}" not in ports.objects.objects
    assert ports.store.get_follow_up_media("acme", ada, media2) is not None

    # Erasure: nothing of the videos is left, items or objects.
    ok("DELETE", f"/api/candidates/{ada}", sub="ann")
    assert ports.store.get_follow_up_media("acme", ada, media_id) is None and ports.store.get_follow_up_media("acme", ada, media2) is None
    assert not [k for k in ports.objects.objects if f"/candidate/{ada}/" in k]


def test_who_may_upload_a_follow_up_video_is_who_may_ask(org, ports):  # noqa: F811
    _, [(ada, _), (alan, _)] = invite_and_submit()
    body = {"contentType": "video/webm", "size": 5000}
    # A reviewer only for a candidate assigned to them; to anyone else the candidate does not exist.
    assert call(h, "POST", f"/api/candidates/{ada}/follow-up-videos", body, sub="rita")[0] == 404
    ok("PUT", f"/api/candidates/{ada}/assignments", {"reviewerId": "rita"})
    media_id = ok("POST", f"/api/candidates/{ada}/follow-up-videos", body, sub="rita", expect=201)["mediaId"]
    assert ok("GET", f"/api/candidates/{ada}/follow-up-videos/{media_id}", sub="rita")["status"] == "uploading"
    # Another organization: nothing.
    identity.create_organization(ports, "Globex", org_id="globex")
    identity.add_member(ports, "globex", "gus", "gus@globex.test", Role.admin)
    assert call(h, "POST", f"/api/candidates/{ada}/follow-up-videos", body, sub="gus")[0] == 404
    assert call(h, "GET", f"/api/candidates/{ada}/follow-up-videos/{media_id}", sub="gus")[0] == 404
    status, refused = call(h, "POST", f"/api/candidates/{ada}/follow-up-videos/{media_id}/complete", {"parts": [{"partNumber": 1, "etag": "e"}]}, sub="gus")
    assert (status, refused["code"]) == (404, "candidate_not_found")
    assert alan
