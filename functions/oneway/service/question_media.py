"""Question videos: a recruiter records a question in the builder; the answers' pipeline captions it.

The browser uploads the recording straight to S3 (presigned multipart, one
server-made key per recording, like a candidate's take); the S3 event starts
the same transcode and transcription (``pipeline.start_processing``), which
leave an MP4, a poster, WebVTT captions and a transcript. A question points
at its video by ``media_id``. Videos belong to the interview: they change
only while the interview may (until its first invitation), and a save drops
the videos no question uses any more, objects included. A recruiter may also
upload a video file (same route, same checks, same pipeline), and may do it
before the interview's first save: the builder asks for a draft's id
(``interviews.new_draft``), the videos wait under it, and the first save with
that id attaches them (the sweep deletes those no save attached).

A follow-up question may come as a video too (``follow_ups.py``): a member who may ask the candidate
follow-ups records or uploads it through the same upload and pipeline, but it is the candidate's, not the
interview's: its item sits in the candidate's partition and its objects under the candidate's prefix, so an
erasure takes it along; asking the round attaches it.
"""

from __future__ import annotations

import functools
import math
from datetime import timedelta

from ..domain import keys
from ..domain.errors import Conflict, InvalidInput, NotFound, TooLarge
from ..domain.models import (
    SHOWN_STATUS,
    Actor,
    CandidateFile,
    Interview,
    InterviewDraft,
    QuestionKind,
    QuestionMedia,
    TakeStatus,
)
from ..domain.tokens import new_id
from ..ports import Ports
from . import retry_stale
from .access import MANAGERS, candidate_file, check_editable
from .limits import MAX_PARTS, recording_limit
from .views import CompleteUpload, NewInterview, PartUrl, QuestionMediaTicket, QuestionMediaView, UploadRequest

# The builder stops a question video at five minutes; the upload bound follows from it.
MAX_SECONDS = 300
# How long a builder's draft id serves (the first save after that needs a new one).
DRAFT_LIFE = timedelta(days=1)


def load_draft(p: Ports, org_id: str, interview_id: str) -> InterviewDraft:
    """The organization's draft of an interview not saved yet (one made for another organization is none)."""
    draft = p.store.get_draft(org_id, interview_id)
    if draft is None or draft.expires_at <= p.clock.now():
        raise NotFound("no such interview draft; open the builder again", "draft_not_found")
    return draft


def _owner(p: Ports, actor: Actor, interview_id: str) -> tuple[Interview | None, str]:
    """The caller's interview, or None for a draft of one not saved yet; and the id."""
    actor.require(*MANAGERS)
    interview = p.store.get_interview(actor.org_id, interview_id)
    if interview is None:
        try:
            load_draft(p, actor.org_id, interview_id)
        except NotFound:
            raise NotFound("no such interview", "interview_not_found") from None
    return interview, interview_id


def begin_upload(p: Ports, actor: Actor, interview_id: str, cmd: UploadRequest) -> QuestionMediaTicket:
    interview, interview_id = _owner(p, actor, interview_id)
    if interview is not None:
        check_editable(p, interview)
    media = QuestionMedia(org_id=actor.org_id, interview_id=interview_id, media_id=new_id(), created_by=actor.user_id, created_at=p.clock.now())
    return _begin(p, media, cmd)


def _begin(p: Ports, media: QuestionMedia, cmd: UploadRequest) -> QuestionMediaTicket:
    limit = recording_limit(p, MAX_SECONDS)
    if cmd.size > limit:
        raise TooLarge(f"a question video may be at most {limit / 2**20:.0f} MiB ({MAX_SECONDS // 60} minutes)", "recording_too_large")
    count = math.ceil(cmd.size / p.settings.part_size)
    if count > MAX_PARTS:
        raise TooLarge("the recording has too many parts", "recording_too_large")
    key = keys.recording_key(media.ref, cmd.content_type)
    upload_id = p.objects.create_multipart_upload(key, cmd.content_type)
    media.begin_upload(key, upload_id, cmd.content_type, cmd.size, p.clock.now())
    p.store.save(media)
    # Each part's exact length is signed into its URL, as for a candidate's answer.
    parts = p.objects.presign_parts(key, upload_id, media.part_lengths(p.settings.part_size, range(1, count + 1)))
    return QuestionMediaTicket(
        media_id=media.media_id,
        upload_id=upload_id,
        part_size=p.settings.part_size,
        parts=[PartUrl(part_number=u.part_number, url=u.url) for u in parts],
    )


def _load(p: Ports, org_id: str, interview_id: str, media_id: str) -> QuestionMedia:
    media = p.store.get_question_media(org_id, interview_id, media_id)
    if media is None:
        raise NotFound("no such question video in this interview", "media_not_found")
    return media


def complete_upload(p: Ports, actor: Actor, interview_id: str, media_id: str, cmd: CompleteUpload) -> QuestionMediaView:
    _owner(p, actor, interview_id)
    return _complete(p, _load(p, actor.org_id, interview_id, media_id), cmd)


def _complete(p: Ports, media: QuestionMedia, cmd: CompleteUpload) -> QuestionMediaView:
    if media.status not in (TakeStatus.uploading, TakeStatus.uploaded) or not media.upload_id or not media.upload_key:
        raise Conflict("this question video has no upload in progress", "no_upload")
    numbers = [part.part_number for part in cmd.parts]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("each part may be listed once", "duplicate_part")

    # Recorded first: the object's S3 event may arrive before this call returns.
    def record() -> QuestionMedia:
        current = load_ref(p, media.ref)
        if current is None:
            raise NotFound("no such question video", "media_not_found")
        if current.status == TakeStatus.uploading:
            current.mark_uploaded(p.clock.now())
            p.store.save(current)
        return current

    current = retry_stale(record)
    p.objects.complete_multipart_upload(media.upload_key, media.upload_id, [(x.part_number, x.etag) for x in cmd.parts])
    return view(p, current)


def load_ref(p: Ports, ref: keys.QuestionMediaRef) -> QuestionMedia | None:
    """The interview's question video, or a candidate's follow-up question video, that a ref names."""
    if ref.candidate_id:
        return p.store.get_follow_up_media(ref.org_id, ref.candidate_id, ref.media_id)
    return p.store.get_question_media(ref.org_id, ref.interview_id, ref.media_id)


# -- follow-up questions' videos: one candidate's ----------------------------------
def _follow_up_file(p: Ports, actor: Actor, candidate_id: str) -> CandidateFile:
    """The candidate, for a member who may ask them follow-up questions (follow_ups.ask: the same members)."""
    return candidate_file(p, actor, candidate_id)


def begin_follow_up_upload(p: Ports, actor: Actor, candidate_id: str, cmd: UploadRequest) -> QuestionMediaTicket:
    c = _follow_up_file(p, actor, candidate_id).candidate
    media = QuestionMedia(
        org_id=c.org_id, interview_id=c.interview_id, candidate_id=c.candidate_id, media_id=new_id(),
        created_by=actor.user_id, created_at=p.clock.now(),
    )
    return _begin(p, media, cmd)


def _follow_up_media(p: Ports, actor: Actor, candidate_id: str, media_id: str) -> QuestionMedia:
    _follow_up_file(p, actor, candidate_id)
    media = p.store.get_follow_up_media(actor.org_id, candidate_id, media_id)
    if media is None:
        raise NotFound("no such follow-up question video for this candidate", "media_not_found")
    return media


def complete_follow_up_upload(p: Ports, actor: Actor, candidate_id: str, media_id: str, cmd: CompleteUpload) -> QuestionMediaView:
    return _complete(p, _follow_up_media(p, actor, candidate_id, media_id), cmd)


def get_follow_up_media(p: Ports, actor: Actor, candidate_id: str, media_id: str) -> QuestionMediaView:
    return view(p, _follow_up_media(p, actor, candidate_id, media_id))


def get_media(p: Ports, actor: Actor, interview_id: str, media_id: str) -> QuestionMediaView:
    _owner(p, actor, interview_id)
    return view(p, _load(p, actor.org_id, interview_id, media_id))


def view(p: Ports, media: QuestionMedia) -> QuestionMediaView:
    ready = media.status == TakeStatus.ready

    def url(key: str | None) -> str | None:
        return p.objects.presign_download(key) if ready and key else None

    return QuestionMediaView(
        media_id=media.media_id,
        status=SHOWN_STATUS[media.status],
        video_url=url(media.video_key),
        poster_url=url(media.poster_key),
        captions_url=url(media.captions_key),
        transcript=media.transcript if ready else None,
        duration_seconds=media.duration_seconds if ready else None,
        failure=media.failure if media.status == TakeStatus.failed else None,
    )


def urls(p: Ports, interview: Interview, media_id: str | None, candidate_id: str | None = None) -> dict[str, str | None]:
    """Presigned links to a ready question video (for the candidate); empty when there is none.
    ``candidate_id``: a follow-up question's video, asked of that candidate."""
    ref = keys.QuestionMediaRef(org_id=interview.org_id, interview_id=interview.interview_id, media_id=media_id, candidate_id=candidate_id) if media_id else None
    media = load_ref(p, ref) if ref else None
    if media is None or media.status != TakeStatus.ready:
        return {}
    shown = view(p, media)
    return {"video_url": shown.video_url, "poster_url": shown.poster_url, "captions_url": shown.captions_url}


def check_videos(p: Ports, org_id: str, interview_id: str | None, cmd: NewInterview) -> None:
    """Each video an interview names must be one recorded for this interview and not failed; a question's, on a
    video question."""
    named = [(f"question {i}", q.media_id) for i, q in enumerate(cmd.questions, start=1) if q.media_id]
    for i, q in enumerate(cmd.questions, start=1):
        if q.media_id and q.kind != QuestionKind.video:
            raise InvalidInput(f"question {i}: only a video question can come as a video", "media_on_text_question")
    named += [(what, m) for what, m in (("the welcome video", cmd.intro_media_id), ("the closing video", cmd.closing_media_id)) if m]
    for what, media_id in named:
        media = p.store.get_question_media(org_id, interview_id, media_id) if interview_id else None
        if media is None:
            raise InvalidInput(f"{what}: no such video in this interview", "media_not_found")
        if media.status == TakeStatus.failed:
            raise InvalidInput(f"{what}: the video could not be processed ({media.failure}); record it again", "media_failed")


def settle(p: Ports, interview: Interview) -> int:
    """After a save: the videos its questions use are attached; the others (re-recorded, removed)
    are deleted, items and objects. Returns how many were deleted."""
    used = interview.media_ids()
    dropped = 0
    for media in p.store.list_question_media(interview.org_id, interview.interview_id):
        if media.media_id in used:
            if not media.attached:
                retry_stale(functools.partial(_attach, p, media))
            continue
        _drop(p, media)
        dropped += 1
    return dropped


def _attach(p: Ports, media: QuestionMedia) -> None:
    current = load_ref(p, media.ref)
    if current is not None and not current.attached:
        current.attached = True
        p.store.save(current)


def _drop(p: Ports, media: QuestionMedia) -> None:
    p.objects.delete_prefix(media.ref.prefix)
    p.store.delete_item(media)


LOOSE_AFTER = timedelta(days=1)


def sweep_loose(p: Ports, limit: int = 100) -> int:
    """Delete question videos recorded more than a day ago that no saved question uses (a builder
    left without saving): nothing a recruiter recorded outlives its use. Returns how many."""
    swept = 0
    for media in p.store.list_loose_question_media(p.clock.now() - LOOSE_AFTER, limit):
        if media.candidate_id:  # a follow-up question's video: used once a round of the candidate's asks with it
            rounds = p.store.list_follow_ups(media.org_id, media.candidate_id)
            used = {q.media_id for r in rounds for q in r.questions if q.media_id}
        else:
            interview = p.store.get_interview(media.org_id, media.interview_id)
            used = interview.media_ids() if interview is not None else set()
        if media.media_id in used:
            retry_stale(functools.partial(_attach, p, media))  # used after all (a save that stopped before attaching)
            continue
        _drop(p, media)
        swept += 1
    return swept


def check_ready(p: Ports, interview: Interview) -> None:
    """Candidates are invited only once every video of the interview can be played."""
    named = [(f"the video of question {q.question_id[1:]}", q.media_id) for q in interview.questions]
    named += [("the welcome video", interview.intro_media_id), ("the closing video", interview.closing_media_id)]
    for what, media_id in named:
        if not media_id:
            continue
        media = p.store.get_question_media(interview.org_id, interview.interview_id, media_id)
        if media is None or media.status != TakeStatus.ready:
            state = SHOWN_STATUS[media.status] if media else "missing"
            raise Conflict(f"{what} is {state}; invite once it is ready", "media_not_ready")


def copy_to(p: Ports, source: Interview, copy: Interview) -> list[QuestionMedia]:
    """A duplicate gets its own copies of the ready videos (so either interview may change alone); a
    video that is not ready is left out (its question, or the welcome or closing, has none)."""
    copies: list[QuestionMedia] = []

    def copied(media_id: str | None) -> str | None:
        media = p.store.get_question_media(source.org_id, source.interview_id, media_id) if media_id else None
        if media is None or media.status != TakeStatus.ready:
            return None
        moved = media.model_copy(update={"interview_id": copy.interview_id, "version": 0, "attached": True})
        old, new = media.ref.prefix, moved.ref.prefix
        p.objects.copy_media(old, new)
        for field in ("video_key", "poster_key", "captions_key", "transcript_key"):
            value = getattr(media, field)
            setattr(moved, field, new + value.removeprefix(old) if value else None)
        copies.append(moved)
        return moved.media_id

    for q in copy.questions:
        q.media_id = copied(q.media_id)
    copy.intro_media_id, copy.closing_media_id = copied(copy.intro_media_id), copied(copy.closing_media_id)
    return copies
