"""Plain numbers that both the constructs and the cost model (``cost.py``) read.

No CDK import here: the cost model runs without starting jsii.
"""

from __future__ import annotations

# Lambda memory per function (MB); CPU grows with it.
FUNCTION_MEMORY_MB = {"api": 1024, "on_upload": 512, "on_media_event": 512, "scheduled": 512}

# The scheduled function's runs: the reconciler (it asks for the state of jobs whose
# events were lost) and the candidates' reminders.
RECONCILE_EVERY_MINUTES = 5
REMINDERS_EVERY_MINUTES = 15

# Buckets (storage.py). Objects move to S3 Intelligent-Tiering at once: recordings
# are read in their first days and rarely after, and Intelligent-Tiering moves
# them to cheaper tiers by itself, with no retrieval fee when a reviewer comes back.
INTELLIGENT_TIERING_AFTER_DAYS = 0
# Raw recordings serve the pipeline only: once transcoded and transcribed (minutes),
# reviewers watch the rendition. They are kept long enough to run a failed job
# again, then deleted (or at the end of the retention period, if that comes first).
RECORDING_DAYS = 30
# How long a deleted or replaced object stays recoverable as a noncurrent version.
# Recording keys are never reused, so an upload's noncurrent version only
# follows its planned expiry: keep it a day.
NONCURRENT_VERSION_DAYS = 30
UPLOADS_NONCURRENT_VERSION_DAYS = 1
ABORT_MULTIPART_DAYS = 1
ACCESS_LOG_DAYS = 365
