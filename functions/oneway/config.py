"""Settings, read once from the environment.

Every variable is prefixed ``ONEWAY_``; a missing required one fails at cold
start with pydantic's message, not deep inside a request.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

MiB = 1024 * 1024


class Settings(BaseModel):
    """Each field not given is read from the environment: ``ONEWAY_<FIELD>`` (in any case), or the variable
    its alias names (``AWS_REGION``); a list as JSON. The rules of pydantic-settings, which a cold start
    then need not import (its import costs more than this whole module)."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, given: Any) -> Any:
        if not isinstance(given, dict):
            return given
        environment = {name.upper(): value for name, value in os.environ.items()}
        found: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            key = field.validation_alias if isinstance(field.validation_alias, str) else name
            value = environment.get(key.upper() if key != name else f"ONEWAY_{name.upper()}")
            if value is not None:
                found[key] = json.loads(value) if get_origin(field.annotation) in (list, dict, set, tuple) else value
        return {**found, **given}

    region: str = Field("us-east-1", validation_alias="AWS_REGION")
    # Set only where something else plays AWS (the local stack, tests).
    aws_endpoint_url: str | None = Field(None, validation_alias="AWS_ENDPOINT_URL")
    stage: str = "local"
    stack_prefix: str = "oneway"

    table_name: str = "oneway"
    # The audit log's table: the functions add entries and admins read them; nothing changes one.
    audit_table_name: str = "oneway-audit"
    uploads_bucket: str = "oneway-uploads"
    media_bucket: str = "oneway-media"
    site_url: str = "http://127.0.0.1:8000"
    mail_from: str = "interviews@oneway.local"
    # The SES configuration set every email is sent with (it records bounces and complaints); none locally.
    ses_configuration_set: str = ""
    event_bus_name: str = "default"
    # The recruiters' user pool: admins invite members into it from the review site.
    user_pool_id: str = ""
    # What CloudFront (locally: the gateway) puts in the X-Oneway-Origin header of every API request it
    # forwards. The API answers only requests that carry it, so its execute-api host is no way around
    # CloudFront. Empty: no check, on the local stage only (tests that call the handler directly).
    origin_secret: str = ""
    # Local stack only: webhooks may also go to http://127.0.0.1 or localhost (a receiver on this machine).
    # Never set on AWS: there, a webhook goes to https on a public address only (domain/webhook_targets.py).
    webhooks_to_loopback: bool = False

    # Which adapters run the media work: MediaConvert + Transcribe, or this machine.
    media: Literal["aws", "local"] = "local"
    mediaconvert_role_arn: str = ""
    mediaconvert_queue_arn: str = ""
    # The SQS queue that feeds the local media workers (local stack only).
    local_media_queue_url: str = ""
    # The uploads queue (S3 notifications -> on_upload): a retried answer's jobs are asked for on it,
    # so that on_upload stays the one function that starts media jobs.
    uploads_queue_url: str = ""
    # The outbox's dead-letter queue: the deliver function leaves a note there of each message it gave up on
    # (Lambda also sends the stream's failed batches there). Empty: the note goes to the log only.
    outbox_dead_letters_url: str = ""

    # Uploads: one part size for every browser; URLs live at most 15 minutes.
    part_size: int = 8 * MiB
    # A take sent while it is recorded goes in parts of this size as the recording grows: the smaller the part,
    # the less is left when the candidate sends it. S3's smallest part but the last is 5 MiB
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). Only tests set it lower,
    # together with the local S3's own minimum (a test recording of a few seconds makes kilobytes, not MiB).
    live_part_size: int = Field(5 * MiB, ge=64 * 1024)
    # Off: the candidate app uploads a take after it is recorded, whole (a switch for a browser that misbehaves;
    # the benchmark's baseline).
    live_uploads: bool = True
    max_upload_bytes: int = 1024 * MiB
    presign_seconds: int = Field(900, ge=60, le=900)
    download_seconds: int = Field(3600, ge=60, le=43200)

    # Reminders to candidates who have not finished: this many hours before their deadline.
    reminder_hours: list[int] = [48, 24]
    # The upload size bound of an answer: its answer time at this bitrate, plus container slack.
    max_recording_bits_per_second: int = 8_000_000

    # Failed invitation-token lookups allowed per source address per minute; then 429 until the minute ends.
    token_failures_per_minute: int = Field(30, ge=1)
    # Requests to the public apply links (service/applying.py) per source address, and per interview, per minute.
    apply_per_source_per_minute: int = Field(20, ge=1)
    apply_per_interview_per_minute: int = Field(120, ge=1)

    retention_days: int = 180
    # After an erasure, the candidate's prefix is swept again this long after (past MediaConvert's 48-hour
    # limit on a job, with a day to spare), and the erasure's marker (ids only) is kept this many days.
    erasure_sweep_after_seconds: int = 3 * 86_400
    erasure_marker_days: int = Field(14, ge=4)
    notice_version: str = "2026-11"

    # A job still running after this long is asked for its state by the reconciler.
    reconcile_after_seconds: int = 600
    # A transcription that cannot be started (Transcribe at its quota, or refusing) is asked for again
    # on each reconcile run for this long; then the step fails and the answer is reviewable without it.
    speech_start_limit_seconds: int = 86_400


@cache
def settings() -> Settings:
    return Settings()
