"""What an idle deployment costs per month."""

from __future__ import annotations

from .. import sizes
from .prices import PRICES, Prices
from .settings import waf_enabled

# CloudWatch alarms of the stack (observability.py; a template test keeps the two equal).
STACK_ALARMS = 18


def idle_month(
    prices: Prices = PRICES, alarms: int = STACK_ALARMS, dashboards: int = 1, waf: bool | None = None
) -> dict[str, float]:
    """Fixed monthly costs with nobody using Oneway (free tiers ignored)."""
    minutes = 30 * 24 * 60
    runs = minutes / sizes.SCHEDULE_EVERY_MINUTES + 30  # and the daily retention run
    per_run = 0.5 * sizes.FUNCTION_MEMORY_MB["scheduled"] / 1024 * prices.lambda_gb_second + prices.lambda_per_million / 1e6
    # The deliver function's retries, on the same schedule: two queries of what is due (0.2 s).
    retry_runs = minutes / sizes.SCHEDULE_EVERY_MINUTES
    per_retry_run = 0.2 * sizes.FUNCTION_MEMORY_MB["deliver"] / 1024 * prices.lambda_gb_second + prices.lambda_per_million / 1e6
    edge = (
        {"AWS WAF web ACL": prices.waf_web_acl_month, f"AWS WAF rules ({sizes.WAF_RULES})": sizes.WAF_RULES * prices.waf_rule_month}
        if (waf_enabled() if waf is None else waf)
        else {}
    )
    return {
        f"CloudWatch alarms ({alarms})": alarms * prices.alarm_month,
        "CloudWatch dashboard": dashboards * prices.dashboard_month,
        f"scheduled runs: reconciler and reminders every {sizes.SCHEDULE_EVERY_MINUTES} min, "
        "retention daily (Lambda, 0.5 s each)": runs * per_run,
        f"the outbox's retries (emails, events, webhooks) every {sizes.SCHEDULE_EVERY_MINUTES} min (Lambda, 0.2 s each)": retry_runs * per_retry_run,
        "X-Ray traces of the scheduled runs": (runs + retry_runs) * prices.xray_per_million_traces / 1e6,
        **edge,
    }
