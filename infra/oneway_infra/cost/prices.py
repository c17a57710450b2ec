"""AWS on-demand list prices for us-east-1, with the date and the page of each."""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3
PRICES_AS_OF = "2025-06"
PRICE_PAGES = {
    "MediaConvert": "https://aws.amazon.com/mediaconvert/pricing/",
    "Transcribe": "https://aws.amazon.com/transcribe/pricing/",
    "S3": "https://aws.amazon.com/s3/pricing/",
    "Lambda": "https://aws.amazon.com/lambda/pricing/",
    "API Gateway": "https://aws.amazon.com/api-gateway/pricing/",
    "DynamoDB": "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    "CloudFront": "https://aws.amazon.com/cloudfront/pricing/",
    "WAF": "https://aws.amazon.com/waf/pricing/",
    "SES": "https://aws.amazon.com/ses/pricing/",
    "CloudWatch & X-Ray": "https://aws.amazon.com/cloudwatch/pricing/ and https://aws.amazon.com/xray/pricing/",
}


@dataclass(frozen=True)
class Prices:
    """us-east-1 list prices in USD, first volume tier, no free tier (as of ``PRICES_AS_OF``)."""

    # MediaConvert on demand, per output minute (billed per second, at least 10 s per output),
    # AVC at <= 30 fps; more than 30 fps doubles the rate. Professional: AVC single-pass HQ,
    # the least a Professional output costs (multi-pass HQ and add-ons cost more).
    mediaconvert_basic: tuple[tuple[str, float], ...] = (("SD", 0.0075), ("HD", 0.015), ("UHD", 0.030))
    mediaconvert_professional: tuple[tuple[str, float], ...] = (("SD", 0.012), ("HD", 0.024), ("UHD", 0.048))
    mediaconvert_min_seconds: float = 10
    # An output with no video in its container (the audio-only rendition for blind review) is
    # billed by its duration at the audio-only rate, whatever its codec.
    mediaconvert_audio_only: float = 0.0030
    # Transcribe, standard batch (tier 1), per minute of audio, billed per second, 15 s minimum;
    # PII redaction and custom language models cost extra per minute.
    transcribe_per_minute: float = 0.024
    transcribe_pii_redaction_per_minute: float = 0.0024
    transcribe_custom_model_per_minute: float = 0.006
    transcribe_min_seconds: float = 15
    # S3: Standard; Intelligent-Tiering (frequent, infrequent after 30 days, archive instant after 90),
    # its monitoring fee, requests, lifecycle transitions, transfer out to the internet.
    s3_standard_gb_month: float = 0.023
    s3_frequent_gb_month: float = 0.023
    s3_infrequent_gb_month: float = 0.0125
    s3_archive_instant_gb_month: float = 0.004
    s3_monitoring_per_1000_objects_month: float = 0.0025
    s3_put_per_1000: float = 0.005
    s3_get_per_1000: float = 0.0004
    s3_transition_per_1000: float = 0.01
    s3_transfer_out_gb: float = 0.09
    # Lambda on arm64.
    lambda_gb_second: float = 0.0000133334
    lambda_per_million: float = 0.20
    # HTTP API.
    http_api_per_million: float = 1.00
    # DynamoDB on demand, storage and continuous backups (PITR).
    dynamodb_write_per_million: float = 0.625
    dynamodb_read_per_million: float = 0.125
    dynamodb_gb_month: float = 0.25
    dynamodb_pitr_gb_month: float = 0.20
    # CloudFront (North America / Europe: price class 100).
    cloudfront_transfer_out_gb: float = 0.085
    cloudfront_https_per_10000: float = 0.0100
    cloudfront_function_per_million: float = 0.10
    # AWS WAF: each web ACL and each rule per month (prorated by the hour), and every request the web ACL
    # inspects, allowed or blocked; a rate-based rule costs as any rule.
    waf_web_acl_month: float = 5.00
    waf_rule_month: float = 1.00
    waf_per_million: float = 0.60
    # SES, outbound email.
    ses_per_1000: float = 0.10
    # CloudWatch Logs ingestion, X-Ray traces recorded, alarms, dashboards.
    logs_ingest_gb: float = 0.50
    xray_per_million_traces: float = 5.00
    alarm_month: float = 0.10
    dashboard_month: float = 3.00

    def mediaconvert_rate(self, tier: str, resolution: str) -> float:
        return dict(self.mediaconvert_basic if tier == "Basic" else self.mediaconvert_professional)[resolution]


PRICES = Prices()
