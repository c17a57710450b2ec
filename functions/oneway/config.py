"""Settings, read once from the environment.

Every variable is prefixed ``ONEWAY_``; a missing required one fails at cold
start with pydantic's message, not deep inside a request.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MiB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONEWAY_", extra="ignore")

    region: str = Field("us-east-1", validation_alias="AWS_REGION")
    # Set only where something else plays AWS (the local stack, tests).
    aws_endpoint_url: str | None = Field(None, validation_alias="AWS_ENDPOINT_URL")
    stage: str = "local"
    stack_prefix: str = "oneway"

    table_name: str = "oneway"
    uploads_bucket: str = "oneway-uploads"
    media_bucket: str = "oneway-media"
    site_url: str = "http://127.0.0.1:8000"
    mail_from: str = "interviews@oneway.local"
    event_bus_name: str = "default"
    # The recruiters' user pool: admins invite members into it from the review site.
    user_pool_id: str = ""

    # Which adapters run the media work: MediaConvert + Transcribe, or this machine.
    media: Literal["aws", "local"] = "local"
    mediaconvert_role_arn: str = ""
    mediaconvert_queue_arn: str = ""
    # The SQS queue that feeds the local media workers (local stack only).
    local_media_queue_url: str = ""
    # The uploads queue (S3 notifications -> on_upload): a retried answer's jobs are asked for on it,
    # so that on_upload stays the one function that starts media jobs.
    uploads_queue_url: str = ""

    # Uploads: one part size for every browser; URLs live at most 15 minutes.
    part_size: int = 8 * MiB
    max_upload_bytes: int = 1024 * MiB
    presign_seconds: int = Field(900, ge=60, le=900)
    download_seconds: int = Field(3600, ge=60, le=43200)

    # Reminders to candidates who have not finished: this many hours before their deadline.
    reminder_hours: list[int] = [48, 24]
    # The upload size bound of an answer: its answer time at this bitrate, plus container slack.
    max_recording_bits_per_second: int = 8_000_000

    # Failed invitation-token lookups allowed per source address per minute; then 429 until the minute ends.
    token_failures_per_minute: int = Field(30, ge=1)

    retention_days: int = 180
    notice_version: str = "2026-11"

    # A job still running after this long is asked for its state by the reconciler.
    reconcile_after_seconds: int = 600


@cache
def settings() -> Settings:
    return Settings()
