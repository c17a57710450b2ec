"""What no setting fixes: how Oneway is used (API calls, views, durations), each with its number."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    """Assumptions about use, each with its number; docs/cost.md lists them."""

    interview_minutes: float = 10.0  # answered minutes in one interview (per-interview costs spread over them)
    answer_minutes: float = 2.0  # the length of one answer
    views_per_answer: int = 2  # two reviewers each watch every answer once, in full
    candidate_calls_per_answer: int = 5  # start take, upload, complete, session refreshes
    candidate_calls_per_interview: int = 6  # session, consent, complete, feedback, config.json
    reviewer_calls_per_interview: int = 14  # two reviewers: lists, the candidate, review, decision
    site_loads_per_interview: int = 3  # the candidate app once, the review app for two reviewers
    site_bytes_per_load: int = 450_000  # the built web app (JS, CSS, HTML), compressed
    site_requests_per_load: int = 8
    emails_per_interview: int | None = None  # None: the invitation, every reminder (config.py), "ready for review"
    api_seconds: float = 0.15  # warm API call (Lambda duration), public (candidates) or staff (reviewers)
    # The outbox: one message per email and per domain event (completed, ready, decided), each carried out by the
    # deliver function (one invocation each: the stream hands them over as they come) and written, claimed and
    # marked done in the table. The stream's reads by Lambda are free (https://aws.amazon.com/dynamodb/pricing/on-demand/).
    events_per_interview: int = 3
    deliver_seconds: float = 0.2
    writes_per_outbox_message: int = 4  # in its change's transaction (2 units), the try's claim, its outcome
    on_upload_seconds: float = 0.8  # inspect the object, start two jobs
    on_media_event_seconds: float = 0.3  # one per job (video, speech)
    log_bytes_per_invocation: int = 2_000  # structured JSON lines
    writes_per_answer: int = 30  # DynamoDB write units: take, upload, pipeline transitions, counters
    reads_per_answer: int = 60  # DynamoDB read units, reviewers' views included
    writes_per_interview: int = 20  # invitation, consent, reviews, decision, audit entries
    reads_per_interview: int = 60
    table_bytes_per_answer: int = 12_000  # take items, transcript text
    poster_bytes: int = 60_000  # an 864x486 JPEG
    transcript_bytes_per_minute: int = 35_000  # Transcribe JSON with word timings, and WebVTT
    mediaconvert_reads: int = 4  # ranged GETs of the recording, per job
    transcribe_reads: int = 2
    rendition_bps: int | None = None  # the rendition's average bitrate; None: QVBR's ceiling (MaxBitrate + audio)
