"""Plain numbers that both the constructs and the cost model (the ``cost`` package) read.

No CDK import here: the cost model runs without starting jsii.
"""

from __future__ import annotations

# Lambda memory per function (MB); CPU grows with it.
FUNCTION_MEMORY_MB = {"public_api": 1024, "staff_api": 1024, "on_upload": 512, "on_media_event": 512, "scheduled": 512, "deliver": 512}

# The scheduled function's runs: every 5 minutes one invocation reconciles jobs whose events
# were lost and sends due reminders (each a query of what is due); once a day, at 03:17 UTC, it
# applies retention (a minute no 5-minute run starts at). The deliver function's retries (emails,
# events, webhook deliveries due again) run on the same 5-minute schedule.
SCHEDULE_EVERY_MINUTES = 5
RETENTION_HOUR_UTC = 3
RETENTION_MINUTE = 17

# Buckets (storage.py). Renditions move to S3 Intelligent-Tiering at once: they are watched
# in their first days and rarely after, kept for the retention period, and Intelligent-Tiering
# moves an object to its Infrequent Access tier after 30 days without access and to Archive
# Instant Access after 90, with no retrieval fee when a reviewer comes back. Recordings do not:
# they expire after RECORDING_DAYS, before any object could leave the Frequent Access tier, so
# the transition request and the monitoring fee would be paid for no saving.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/intelligent-tiering-overview.html
# https://aws.amazon.com/s3/pricing/ (monitoring per 1,000 objects, transition requests per 1,000)
INTELLIGENT_TIERING_AFTER_DAYS = 0
# Which data bucket moves its objects to Intelligent-Tiering (storage.py); the cost model
# (cost.tiering_choice) prices both choices for each, and a test keeps this the cheaper one.
INTELLIGENT_TIERING = {"uploads": False, "media": True}
# Objects under 128 KB (posters, captions, transcripts) are neither transitioned by a lifecycle rule
# nor monitored: they stay at the Frequent Access (Standard) price and pay no monitoring fee.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
INTELLIGENT_TIERING_MIN_OBJECT_KB = 128
# Raw recordings serve the pipeline only: once transcoded and transcribed (minutes),
# reviewers watch the rendition. They are kept long enough to run a failed job
# again, then deleted (or at the end of the retention period, if that comes first).
RECORDING_DAYS = 30
# How long a deleted or replaced object stays recoverable as a noncurrent version.
# Recording keys are never reused, so an upload's noncurrent version only
# follows its planned expiry: keep it a day.
NONCURRENT_VERSION_DAYS = 30
UPLOADS_NONCURRENT_VERSION_DAYS = 1
# The media bucket's backstop: any object is expired this long after it was written, past the longest
# a candidate's media may be kept (an interview's longest deadline, then the longest retention an
# organization can set; the API's bounds, which a test keeps equal), with a month to spare. Retention
# and erasure delete media long before; this catches whatever they missed (a job that wrote after an
# erasure and every sweep). Expired objects then go as noncurrent versions after NONCURRENT_VERSION_DAYS.
MAX_RETENTION_DAYS = 3650
MAX_DEADLINE_DAYS = 90
MEDIA_EXPIRE_DAYS = MAX_DEADLINE_DAYS + MAX_RETENTION_DAYS + 30
ABORT_MULTIPART_DAYS = 1
ACCESS_LOG_DAYS = 365


# The candidate routes' throttle (requests per second, burst), from a load model: a cohort with one
# deadline (a class, a hiring event) sends its last answers in the same minute. Each finishing
# candidate calls the API about this many times in that minute: start the take, ask for the upload's
# part URLs, complete the upload, complete the interview, send feedback, read the session again (the
# part PUTs go to S3, not to the API). The burst absorbs arrivals bunched within the minute; the
# candidate app backs off and retries a throttled (429) call (web/src/shared/api.ts).
COHORT_CANDIDATES = 1000
REQUESTS_PER_FINISH = 6
FINISH_WINDOW_SECONDS = 60
BURST_FACTOR = 2


def candidate_throttle(
    cohort: int = COHORT_CANDIDATES, requests: int = REQUESTS_PER_FINISH, window: int = FINISH_WINDOW_SECONDS
) -> tuple[int, int]:
    """(rate, burst) for the candidate routes: the cohort's requests spread over the window."""
    rate = -(-cohort * requests // window)
    return rate, rate * BURST_FACTOR


# The web ACL's per-address rate rule (edge.py), from the same cohort. Many candidates may reach Oneway
# from one address (a university's or a company's NAT, a mobile carrier's CGNAT), and blocking them
# minutes before their deadline is the worst thing a limit can do; so one address may send what the
# whole cohort sends to the API in one evaluation window: each candidate finishes (REQUESTS_PER_FINISH)
# and records one more answer (REQUESTS_PER_ANSWER: start the take, the upload's part URLs, fresh URLs,
# complete the upload, read the session). Only API calls count: the site's files come from the edge cache.
# That is about 37 requests a second sustained, a third of the candidate routes' stage budget
# (candidate_throttle): one address can no longer take the whole budget from everyone else.
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
RATE_WINDOW_SECONDS = 300
REQUESTS_PER_ANSWER = 5
# The web ACL's rules (edge.py), each billed per month (cost/idle.py; a template test keeps the two equal).
WAF_RULES = 1


def address_rate_limit(
    cohort: int = COHORT_CANDIDATES, finish: int = REQUESTS_PER_FINISH, answer: int = REQUESTS_PER_ANSWER
) -> int:
    """API requests one client address may send in RATE_WINDOW_SECONDS before the web ACL blocks it."""
    return cohort * (finish + answer)
