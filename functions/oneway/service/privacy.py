"""Personal data leaving or leaving Oneway: access requests (every item and object of a candidate), copies of
answers (a manager's download of one answer's video, a candidate's own copy of their answers), erasure on request
and retention."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from typing import TYPE_CHECKING

from ..domain import keys
from ..domain.errors import NotFound
from ..domain.models import (
    Actor,
    AnswerForm,
    Candidate,
    CandidateFile,
    FollowUpState,
    Interview,
    Question,
    QuestionKind,
    Take,
)
from ..ports import Ports
from . import audit, erasure, interviews, question_media, review, search

if TYPE_CHECKING:  # the API's views load when a route needs them, not with the pipeline's functions
    from .views import AnswerDownload, CandidateCopy, CandidateExport

SYSTEM = "oneway:retention"
# Key attributes and the token hash say nothing about the person; the rest of every item is theirs.
_INTERNAL = {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", "version", "ttl", "token_hash", "secret_hash"}
CATCH_UP_DAYS = 14  # a retention run also covers days missed while it did not run


def erase_candidate(p: Ports, actor: Actor, candidate_id: str) -> dict[str, int]:
    """Erasure on request: every object version and every item of one candidate."""
    actor.require(*interviews.MANAGERS)
    return _erase(p, actor.org_id, candidate_id, actor.user_id, "request")


def export_candidate(p: Ports, actor: Actor, candidate_id: str) -> CandidateExport:
    """An access request: every item stored about the candidate, and a download link for every object."""
    from .views import CandidateExport, ExportedObject

    actor.require(*interviews.MANAGERS)
    review.require_sighted(actor)
    cand = p.store.get_candidate(actor.org_id, candidate_id)
    if cand is None:
        raise NotFound("no such candidate", "candidate_not_found")
    items = [{k: v for k, v in item.items() if k not in _INTERNAL} for item in p.store.candidate_items(cand.org_id, cand.candidate_id)]
    found = p.objects.export_objects(keys.candidate_prefix(cand.org_id, cand.interview_id, cand.candidate_id))
    audit.record(p, actor.org_id, actor.user_id, "candidate.exported", candidate_id, items=len(items), objects=len(found))
    return CandidateExport(
        candidate_id=candidate_id,
        exported_at=p.clock.now(),
        url_expires_in_seconds=p.settings.download_seconds,
        items=items,
        objects=[ExportedObject(bucket=b, key=k, size=n, url=u) for b, k, n, u in found],
    )


def download_answer(p: Ports, actor: Actor, candidate_id: str, question_id: str) -> AnswerDownload:
    """A manager saves one answer's video (the MP4 reviewers watch), audited. Reviewers watch and do not keep
    copies; a member in blind review gets no picture of the candidate at all."""
    from .views import AnswerDownload

    actor.require(*interviews.MANAGERS)
    review.require_sighted(actor)
    file = p.store.get_candidate_file(actor.org_id, candidate_id)
    if file is None:
        raise NotFound("no such candidate", "candidate_not_found")
    interview = p.store.get_interview(actor.org_id, file.candidate.interview_id)
    if interview is None:
        raise NotFound("no such interview", "interview_not_found")
    label = _label(interview, file, question_id)
    take = file.submitted_take(question_id)
    key, suffix = _saved(take)
    if key is None:
        raise NotFound("this answer has no video to download yet", "no_video")
    filename = _filename(file.candidate.name, label, suffix=suffix)
    url = p.objects.presign_download(key, save_as=filename)
    audit.record(p, actor.org_id, actor.user_id, "answer.downloaded", candidate_id, question_id=question_id)
    return AnswerDownload(url=url, filename=filename, url_expires_in_seconds=p.settings.download_seconds)


def _saved(take: Take | None) -> tuple[str | None, str]:
    """The rendition a saved copy of an answer is (key, file suffix): the MP4, or a sound-only answer's .m4a."""
    if take is not None and take.form == AnswerForm.audio:
        return take.audio_key, ".m4a"
    return (take.video_key if take else None), ".mp4"


def candidate_copy(p: Ports, cand: Candidate) -> CandidateCopy:
    """The candidate's own copy of their answers, from their link: each question, what they wrote, the transcript
    of what they said and their video to save. Reviews, scores and notes are the team's: an access request to the
    organization (``export_candidate``) covers everything stored. Audited, the candidate as the actor."""
    from .views import CandidateCopy, CopiedAnswer

    file = p.store.get_candidate_file(cand.org_id, cand.candidate_id)
    interview = p.store.get_interview(cand.org_id, cand.interview_id)
    if file is None or interview is None:
        raise NotFound("no such invitation", "candidate_not_found")
    org = p.store.get_organization(cand.org_id)
    answers = []
    # The interview's questions, then the follow-up questions asked of the candidate (a withdrawn round's none).
    asked = [(f"question-{n}", q) for n, q in enumerate(interview.questions, start=1)]
    asked += [(f"follow-up-{r.number}-{n}", q) for r in file.follow_ups if r.state != FollowUpState.cancelled for n, q in enumerate(r.questions, start=1)]
    for label, q in asked:
        text = file.text(q.question_id)
        take = None if text is not None else file.submitted_take(q.question_id)
        key, suffix = _saved(take)
        name = _filename(interview.title, label, suffix=suffix)
        video = p.objects.presign_download(key, save_as=name) if key else None
        answers.append(
            CopiedAnswer(
                question_id=q.question_id,
                prompt=q.prompt,
                kind=QuestionKind.text if text is not None else q.kind,
                text=text.text if text else None,
                transcript=take.transcript if take else None,
                video_url=video,
                video_filename=name if video else None,
                ready=text is not None or video is not None,
                follow_up=label.startswith("follow-up"),
            )
        )
    audit.record(p, cand.org_id, f"candidate:{cand.candidate_id}", "candidate.copy_made", cand.candidate_id, videos=sum(a.video_url is not None for a in answers))
    return CandidateCopy(
        interview_title=interview.title,
        org_name=org.name if org else "",
        made_at=p.clock.now(),
        url_expires_in_seconds=p.settings.download_seconds,
        answers=answers,
    )


def _label(interview: Interview, file: CandidateFile, question_id: str) -> str:
    """An answer's name in a file name: ``question-2``, or ``follow-up-1-2`` for a follow-up question's."""
    for r in file.follow_ups:
        for n, q in enumerate(r.questions, start=1):
            if q.question_id == question_id:
                return f"follow-up-{r.number}-{n}"
    return f"question-{_number(interview.questions, question_id)}"


def _number(questions: list[Question], question_id: str) -> int:
    for number, q in enumerate(questions, start=1):
        if q.question_id == question_id:
            return number
    raise NotFound("no such question in this interview", "unknown_question")


def _filename(*parts: str, suffix: str) -> str:
    """A file name of plain ASCII letters, digits and dashes (a header's quoted string takes it as it is)."""
    ascii_text = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode().lower()
    return (re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80] or "answer") + suffix


def _erase(p: Ports, org_id: str, candidate_id: str, by: str, why: str) -> dict[str, int]:
    file = p.store.get_candidate_file(org_id, candidate_id)
    if file is None:
        raise NotFound("no such candidate", "candidate_not_found")
    cand = file.candidate
    # First the marker (and the running jobs canceled), then the items, then the objects: a job result
    # that comes before the items go is recorded and its outputs deleted with the rest; one that comes
    # after finds no take but the marker, and deletes its outputs itself (erasure.py).
    erasure.mark(p, file)
    search.forget_candidate(p, file)  # the transcript index lives outside the candidate's partition
    _forget_application(p, cand)  # and so does the record of applying through the interview's public link
    items = p.store.delete_candidate(cand.org_id, cand.candidate_id)
    objects = p.objects.delete_prefix(keys.candidate_prefix(cand.org_id, cand.interview_id, cand.candidate_id))
    audit.record(p, org_id, by, "candidate.erased", candidate_id, objects=objects, items=items, reason=why)
    return {"objects": objects, "items": items}


def _forget_application(p: Ports, cand: Candidate) -> None:
    """The application that made this candidate (keyed by a hash of their address) goes with them: it would
    otherwise tell that the address applied, and send the same address's next application to a candidate
    who is gone. An application of the same address that became another candidate stays."""
    from .applying import email_key

    app = p.store.get_application(cand.org_id, cand.interview_id, email_key(cand.email))
    if app is not None and app.candidate_id == cand.candidate_id:
        p.store.delete_item(app)


def apply_retention(p: Ports, limit: int = 500) -> int:
    """Erase the candidates whose retention period has ended (today and the days before)."""
    today = p.clock.now().date()
    erased = 0
    for back in range(CATCH_UP_DAYS, -1, -1):
        for org_id, candidate_id in p.store.list_due_for_erasure(today - timedelta(days=back), limit - erased):
            try:
                _erase(p, org_id, candidate_id, SYSTEM, "retention")
                erased += 1
            except NotFound:
                continue
            if erased >= limit:
                return erased
    question_media.sweep_loose(p)  # question videos recorded in a builder and never saved
    return erased
