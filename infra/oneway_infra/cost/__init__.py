"""What Oneway costs on AWS, per answered minute and per interview, from its real settings.

Read from the code, so the estimate moves when a setting does:
  - the MediaConvert outputs: ``job_request`` (functions/oneway/adapters/mediaconvert.py),
    each classified into MediaConvert's Basic or Professional tier and a resolution class (tiers.py);
  - the Transcribe request: ``transcribe.job_request``;
  - what the browser records (size, frame rate, bitrates): web/src/shared/media.ts (settings.py);
  - the retention period: cdk.json; the multipart part size: functions/oneway/config.py;
  - Lambda memory, lifecycle days, the scheduled function's runs, the web ACL's rules: sizes.py;
  - whether the web ACL is on: cdk.json (context ``waf``).
Prices are AWS on-demand list prices for us-east-1 (``PRICES`` in prices.py, with the date and the
page of each). Usage that no setting fixes (API calls, views, durations) is in ``Usage`` (usage.py).
The estimate is model.py; storage.py weighs S3 Standard against Intelligent-Tiering; sensitivity.py
and idle.py give what moves the figure and what an idle deployment costs; document.py writes docs/cost.md.

    python -m oneway_infra.cost            # print the figures
    python -m oneway_infra.cost --write    # regenerate docs/cost.md from them
"""

from .document import COST_DOC, markdown
from .idle import STACK_ALARMS, idle_month
from .model import SERVICES, TARGET_PER_ANSWERED_MINUTE, CostEstimate, Line, estimate
from .prices import GIB, PRICE_PAGES, PRICES, PRICES_AS_OF, Prices
from .sensitivity import sensitivity
from .settings import (
    CDK_JSON,
    RECORDER_SOURCE,
    REPO_ROOT,
    Recorder,
    deployed_setting,
    mediaconvert_job,
    recorder,
    retention_days,
    transcribe_job,
    waf_enabled,
)
from .storage import TieringChoice, monitored, object_storage_usd, tiering_choice
from .tiers import OutputPrice, classify_outputs, resolution_class
from .usage import Usage

__all__ = [
    "CDK_JSON", "COST_DOC", "GIB", "PRICES", "PRICES_AS_OF", "PRICE_PAGES", "RECORDER_SOURCE", "REPO_ROOT",
    "SERVICES", "STACK_ALARMS", "TARGET_PER_ANSWERED_MINUTE", "CostEstimate", "Line", "OutputPrice", "Prices",
    "Recorder", "TieringChoice", "Usage", "classify_outputs", "deployed_setting", "estimate", "idle_month",
    "markdown", "mediaconvert_job", "monitored", "object_storage_usd", "recorder", "resolution_class",
    "retention_days", "sensitivity", "tiering_choice", "transcribe_job", "waf_enabled",
]
