"""What an erasure leaves behind until the media jobs it raced have ended: nothing of the person.

Erasing a candidate (on request or by retention) deletes their items and objects at once. A
transcode or transcription still running would write its outputs under the erased prefix later,
so the erasure also:

1. stops the jobs it can: a MediaConvert job is canceled ("Permanently cancel a job. Once you have
   canceled a job, you can't start it again": CancelJob, DELETE /2017-08-29/jobs/{id},
   https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs-id.html; a job that ended first
   answers with an error, which changes nothing, and its outputs are handled as in 2). A running
   Transcribe job cannot be stopped: DeleteTranscriptionJob refuses a job in a non-terminal state
   (https://docs.aws.amazon.com/transcribe/latest/APIReference/API_DeleteTranscriptionJob.html), so
   it is deleted once it ends;
2. keeps a marker, keyed by the candidate, with ids only: a job result that finds no take but a marker
   (``on_media_event``, or the reconciler) deletes the take's outputs and forgets its job, and so does
   an upload completed while the erasure ran (``on_upload``);
3. sweeps the candidate's prefix once more after the jobs' longest run (``sweep_due``, from the
   scheduled function, through a sparse index of the sweeps due: never a scan). MediaConvert ends a job
   at the latest 48 hours after it starts progressing
   (https://docs.aws.amazon.com/mediaconvert/latest/ug/ev_status_progressing.html); Transcribe documents
   no limit, but its inputs are bounded (4 hours) and Oneway's far shorter. The sweep comes three days
   after the erasure (``erasure_sweep_after_seconds``), then daily while a transcription is left to
   delete; the marker lives two weeks (``erasure_marker_days``), longer than any of it, and the
   table's TTL removes it.

Behind all three, the media bucket expires objects some days after the longest retention an
organization can set (infra/oneway_infra/storage.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from ..domain import keys
from ..domain.models import CandidateFile, ErasureMarker, JobKind, JobStatus, StepState
from ..ports import JobState, Ports

log = logging.getLogger(__name__)

RESWEEP = timedelta(days=1)


def mark(p: Ports, file: CandidateFile) -> ErasureMarker:
    """Before a candidate's items and objects go: cancel their running jobs and leave the marker."""
    c = file.candidate
    now = p.clock.now()
    jobs: list[str] = []
    for take in [*file.takes, *file.follow_up_media]:  # the candidate's follow-up question videos are theirs too
        if take.video_job_id and take.video == StepState.pending:
            jobs.append(f"video:{take.video_job_id}")
        if take.speech_job_id:
            jobs.append(f"speech:{take.speech_job_id}")  # a finished one too: Transcribe keeps the job's record
    marker = ErasureMarker(
        org_id=c.org_id,
        interview_id=c.interview_id,
        candidate_id=c.candidate_id,
        erased_at=now,
        expires_at=now + timedelta(days=p.settings.erasure_marker_days),
        sweep_at=now + timedelta(seconds=p.settings.erasure_sweep_after_seconds),
        jobs=_finish_jobs(p, jobs),
    )
    existing = p.store.get_erasure(c.org_id, c.candidate_id)
    if existing is not None:  # an erasure tried before and cut short: this one takes over
        marker.version, marker.jobs = existing.version, sorted(set(marker.jobs) | set(existing.jobs))
    p.store.save(marker)
    return marker


def _finish_jobs(p: Ports, jobs: list[str]) -> list[str]:
    """Cancel or delete each job; return those still to do (a transcription still running, a service busy)."""
    left = []
    for job in jobs:
        kind, _, job_id = job.partition(":")
        try:
            if kind == JobKind.video:
                p.media.cancel_transcode(job_id)
            elif not p.speech.delete_transcription(job_id):
                left.append(job)
        except Exception:  # a throttled or failing call must not stop the erasure: the sweep tries again
            log.warning("erasure: job %s could not be stopped yet", job, exc_info=True)
            left.append(job)
    return left


def clean_late_result(p: Ports, state: JobState) -> bool:
    """A job's result for a take that is gone: if its candidate was erased, delete what the job wrote
    (and, for a transcription, the job itself). True when it was an erased candidate's."""
    ref = state.ref
    if ref is None or not ref.candidate_id:  # an interview's question video is no candidate's
        return False
    marker = p.store.get_erasure(ref.org_id, ref.candidate_id)
    if marker is None:
        return False
    p.objects.delete_prefix(ref.prefix)
    if state.kind == JobKind.speech and state.status != JobStatus.running:
        _finish_jobs(p, [f"speech:{state.job_id}"])
    log.info("erasure: outputs of job %s for an erased candidate deleted", state.job_id)
    return True


def drop_late_upload(p: Ports, ref: keys.MediaRef, key: str) -> bool:
    """An uploaded recording whose take is gone: deleted if its candidate was erased (an upload the
    browser completed while the erasure ran). True when it was an erased candidate's."""
    if not ref.candidate_id or p.store.get_erasure(ref.org_id, ref.candidate_id) is None:
        return False
    p.objects.delete_upload(key)
    return True


def sweep_due(p: Ports, limit: int = 100) -> int:
    """Sweep the prefixes of erased candidates whose sweep is due; return how many were swept."""
    now = p.clock.now()
    swept = 0
    for marker in p.store.list_due_sweeps(now, limit):
        p.objects.delete_prefix(keys.candidate_prefix(marker.org_id, marker.interview_id, marker.candidate_id))
        marker.jobs = _finish_jobs(p, marker.jobs)
        marker.sweeps += 1
        again = now + RESWEEP
        marker.sweep_at = again if marker.jobs and again < marker.expires_at else None
        p.store.save(marker)
        swept += 1
    return swept
