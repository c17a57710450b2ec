"""The web ACL in front of CloudFront: one rate-based rule that limits each client address.

API Gateway's stage throttle (api.py) is one budget for everyone: a single client that floods the
candidate routes takes the budget of every candidate. The web ACL counts requests per client
address at CloudFront and blocks an address past its share (``sizes.address_rate_limit``) with
the API's own error shape, 429 ``rate_limited``, which the candidate app already backs off from.

A web ACL for CloudFront has scope CLOUDFRONT and is created in US East (N. Virginia), whatever the
region of the resources it protects: https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html
So in us-east-1 it is a construct of the Oneway stack; in any other region it is the only resource
of a companion stack in us-east-1 (``EdgeStack``), and the distribution reads its ARN from that stack's
output at deployment: a weak cross-region reference, ``Fn::GetStackOutput`` (cdk.json sets CDK's default
reference strength to weak), with no custom resource and no export that would lock either stack:
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html
https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/README.md#reference-strength

No managed rule group: the common rule set blocks bodies over 8 KB and body text that looks like
script or SQL, and the known-bad-inputs set blocks body text such as ``${jndi:`` or Java class names.
Oneway's bodies are its users' free text (a candidate's written answer to a technical question, a
rubric, a CSV of names), so those rules would refuse real answers; and Oneway runs no Java. Uploads
go from the browser straight to S3 and never pass the web ACL.
https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
"""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from . import checkov, sizes

# The region of every web ACL with scope CLOUDFRONT.
CLOUDFRONT_WAF_REGION = "us-east-1"
RATE_RULE = "requests-per-address"
RATE_LIMITED_BODY = "rate-limited"
# What the API answers to a throttled call (service/ratelimit.py, API Gateway's 429): the same shape.
RATE_LIMITED_JSON = json.dumps(
    {"message": "too many requests from your network: wait a minute and try again", "code": "rate_limited"},
    separators=(",", ":"),
)
# The rule counts API calls only: the site's files are cached at the edge and never reach the API.
API_PATH_PREFIX = "/api/"


def _visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    # Metrics and sampled requests are free; sampled requests are kept three hours.
    # https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-testing-view-sample.html
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def rate_rule(limit: int, window_seconds: int) -> dict[str, Any]:
    """The rate-based rule: per client address, API paths only, blocked with a 429 and the API's error body.

    https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
    (evaluation window 60, 120, 300 or 600 s; the lowest limit is 10)
    https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html
    """
    return {
        "name": RATE_RULE,
        "priority": 0,
        "statement": wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                aggregate_key_type="IP",
                limit=limit,
                evaluation_window_sec=window_seconds,
                scope_down_statement=wafv2.CfnWebACL.StatementProperty(
                    byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                        field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                        positional_constraint="STARTS_WITH",
                        search_string=API_PATH_PREFIX,
                        text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
                    )
                ),
            )
        ),
        "action": wafv2.CfnWebACL.RuleActionProperty(
            block=wafv2.CfnWebACL.BlockActionProperty(
                custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                    response_code=429,
                    custom_response_body_key=RATE_LIMITED_BODY,
                    response_headers=[
                        wafv2.CfnWebACL.CustomHTTPHeaderProperty(name="Retry-After", value=str(60)),
                    ],
                )
            )
        ),
        "visibility_config": _visibility(RATE_RULE),
    }


class EdgeFirewall(Construct):
    """A CLOUDFRONT-scope web ACL: allow by default, block an address past its rate."""

    def __init__(self, scope: Construct, construct_id: str, *, prefix: str) -> None:
        super().__init__(scope, construct_id)
        region = Stack.of(self).region
        if region != CLOUDFRONT_WAF_REGION:
            raise ValueError(
                f"a web ACL for CloudFront is created in {CLOUDFRONT_WAF_REGION}, not {region}: "
                "https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html"
            )
        self.limit = sizes.address_rate_limit()
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="CLOUDFRONT",
            description=(
                # CloudFormation's pattern for it allows no parentheses.
                f"Oneway {prefix}: at most {self.limit} API requests per client address in "
                f"{sizes.RATE_WINDOW_SECONDS} s, a whole cohort behind one address"
            ),
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            custom_response_bodies={
                RATE_LIMITED_BODY: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=RATE_LIMITED_JSON
                )
            },
            rules=[wafv2.CfnWebACL.RuleProperty(**rate_rule(self.limit, sizes.RATE_WINDOW_SECONDS))],
            visibility_config=_visibility(f"{prefix}-edge"),
        )
        # https://docs.aws.amazon.com/waf/latest/developerguide/logging.html (logs go to a destination
        # named aws-waf-logs-*, billed per GB; CloudWatch metrics and sampled requests are free)
        checkov.skip(
            self.web_acl,
            "CKV_AWS_192",
            "The Log4j check asks for AWS's known-bad-inputs rule group. Oneway runs no Java, and that group's "
            "body rules would block candidates' written answers that quote such strings (a security interview).",
        )
        self.arn = self.web_acl.attr_arn


class EdgeStack(Stack):
    """The web ACL alone, in us-east-1, for a Oneway stack in another region."""

    def __init__(self, scope: Construct, construct_id: str, *, prefix: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.firewall = EdgeFirewall(self, "Firewall", prefix=prefix)
