"""The edge: a web ACL on CloudFront with a per-address rate rule, and CloudFront as the API's only door.

In us-east-1 the web ACL is part of the Oneway stack; in another region a companion stack in us-east-1
holds it (a CLOUDFRONT-scope web ACL exists only there:
https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html), and the
distribution reads its ARN through CDK's cross-region references. Context ``waf=false`` turns it off.
"""

from __future__ import annotations

import json

import pytest
from aws_cdk import Environment, Stack
from aws_cdk.assertions import Template

from tests.infra.infra_support import TEST_CONTEXT, getatt, logical_id, of_type, props


def _distribution(resources) -> dict:
    (distribution,) = of_type(resources, "AWS::CloudFront::Distribution").values()
    return distribution


def _api_origin(config) -> dict:
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    return next(o for o in config["Origins"] if o["Id"] == api["TargetOriginId"])


def _rule(acl) -> dict:
    (rule,) = props(acl)["Rules"]
    return rule


@pytest.fixture(scope="module")
def elsewhere():
    """The app with its stack in eu-west-1: (Oneway stack's resources, edge stack's resources, stacks)."""
    from oneway_infra.stack import build_app

    _app, stack = build_app({**TEST_CONTEXT}, env=Environment(account="000000000000", region="eu-west-1"))
    assert stack.edge_stack is not None, "outside us-east-1 the web ACL has a stack of its own"
    return Template.from_stack(stack).to_json()["Resources"], Template.from_stack(stack.edge_stack).to_json()["Resources"], stack


def test_a_cloudfront_web_acl_with_one_rate_rule_per_address(resources):
    from oneway_infra import sizes

    (acl,) = of_type(resources, "AWS::WAFv2::WebACL").values()
    p = props(acl)
    assert p["Scope"] == "CLOUDFRONT" and p["DefaultAction"] == {"Allow": {}}
    rule = _rule(acl)
    statement = rule["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP"
    assert statement["EvaluationWindowSec"] == sizes.RATE_WINDOW_SECONDS == 300
    assert statement["Limit"] == sizes.address_rate_limit() == 11_000
    # API calls only: the site's files come from the edge cache.
    match = statement["ScopeDownStatement"]["ByteMatchStatement"]
    assert (match["FieldToMatch"], match["PositionalConstraint"], match["SearchString"]) == ({"UriPath": {}}, "STARTS_WITH", "/api/")
    assert p["VisibilityConfig"]["CloudWatchMetricsEnabled"] and rule["VisibilityConfig"]["SampledRequestsEnabled"]


def test_a_blocked_address_gets_the_apis_429(resources):
    (acl,) = of_type(resources, "AWS::WAFv2::WebACL").values()
    response = _rule(acl)["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    assert {"Name": "Retry-After", "Value": "60"} in response["ResponseHeaders"]
    body = props(acl)["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    assert body["ContentType"] == "APPLICATION_JSON"
    assert json.loads(body["Content"])["code"] == "rate_limited"  # the API's own error shape and code


def test_no_managed_rule_group_inspects_the_bodies(resources):
    """Candidates' written answers are free text: no rule group that blocks on body content."""
    (acl,) = of_type(resources, "AWS::WAFv2::WebACL").values()
    assert "ManagedRuleGroupStatement" not in json.dumps(props(acl)["Rules"])


def test_the_distribution_is_associated_with_the_web_acl(resources, stack):
    config = props(_distribution(resources))["DistributionConfig"]
    assert config["WebACLId"] == getatt(stack, stack.edge.web_acl)
    skipped = {s["id"] for s in _distribution(resources).get("Metadata", {}).get("checkov", {}).get("skip", [])}
    assert "CKV_AWS_68" not in skipped


def test_the_rate_limit_lets_a_whole_cohort_behind_one_address_finish_and_bounds_one_address():
    """The load model of the candidate throttle: 1,000 candidates, all behind one NAT, each finishing and
    recording one more answer in the window, stay under the limit; one address sustains at most half of
    the candidate routes' budget."""
    from oneway_infra import sizes

    limit = sizes.address_rate_limit()
    cohort_in_window = sizes.COHORT_CANDIDATES * (sizes.REQUESTS_PER_FINISH + sizes.REQUESTS_PER_ANSWER)
    assert limit >= cohort_in_window
    rate, _ = sizes.candidate_throttle()
    assert limit / sizes.RATE_WINDOW_SECONDS <= rate / 2
    assert limit >= 10  # WAF's lowest limit


def test_cloudfront_sends_the_origin_secret_that_the_api_function_expects(resources, stack):
    from oneway.handlers.http import ORIGIN_HEADER as HANDLER_HEADER
    from oneway_infra.site import ORIGIN_HEADER

    origin = _api_origin(props(_distribution(resources))["DistributionConfig"])
    (header,) = origin["OriginCustomHeaders"]
    assert header["HeaderName"] == ORIGIN_HEADER and header["HeaderName"].lower() == HANDLER_HEADER
    # The random part of the stack's id: fixed for the stack's life, known only inside the account.
    assert header["HeaderValue"] == {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
    api_functions = {logical_id(stack, fn.function) for fn in (stack.api.public, stack.api.staff)}
    for fid in api_functions:  # both API functions check it: the public routes and the staff routes
        assert props(resources[fid])["Environment"]["Variables"]["ONEWAY_ORIGIN_SECRET"] == header["HeaderValue"]
    # No other origin (the site bucket) gets it, and no other function knows it.
    config = props(_distribution(resources))["DistributionConfig"]
    assert [o for o in config["Origins"] if o.get("OriginCustomHeaders")] == [origin]
    others = [r for k, r in of_type(resources, "AWS::Lambda::Function").items() if k not in api_functions]
    assert all("ONEWAY_ORIGIN_SECRET" not in json.dumps(props(r).get("Environment", {})) for r in others)


def test_outside_us_east_1_the_web_acl_lives_in_a_companion_stack_in_us_east_1(elsewhere):
    main, edge, stack = elsewhere
    assert stack.region == "eu-west-1" and stack.edge_stack.region == "us-east-1"
    assert stack.edge_stack.stack_name == "oneway-edge"
    assert of_type(main, "AWS::WAFv2::WebACL") == {}
    ((acl_id, acl),) = of_type(edge, "AWS::WAFv2::WebACL").items()
    assert props(acl)["Scope"] == "CLOUDFRONT"
    assert set(edge) == {acl_id}  # nothing else in us-east-1
    # The distribution reads the ARN from the edge stack's output at deployment (Fn::GetStackOutput, a weak
    # reference: no custom resource, and either stack can change without the other refusing it).
    reference = props(_distribution(main))["DistributionConfig"]["WebACLId"]["Fn::GetStackOutput"]
    assert (reference["StackName"], reference["Region"]) == ("oneway-edge", "us-east-1")
    outputs = Template.from_stack(stack.edge_stack).to_json()["Outputs"]
    assert outputs[reference["OutputName"]]["Value"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    assert of_type(main, "Custom::CrossRegionExportReader") == {}


def test_the_edge_stack_is_deployed_before_the_oneway_stack(elsewhere):
    _, _, stack = elsewhere
    assert stack.edge_stack in stack.dependencies


def test_a_web_acl_outside_us_east_1_is_refused_at_synth():
    from aws_cdk import App

    from oneway_infra.edge import EdgeFirewall

    with pytest.raises(ValueError, match="us-east-1"):
        EdgeFirewall(Stack(App(), "x", env=Environment(account="000000000000", region="eu-west-1")), "Edge", prefix="x")


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_without_waf_there_is_no_web_acl_and_the_skip_says_why(region):
    from oneway_infra.stack import build_app

    app, stack = build_app({**TEST_CONTEXT, "waf": "false"}, env=Environment(account="000000000000", region=region))
    assert stack.edge_stack is None and stack.edge is None
    assert [s for s in app.node.children if isinstance(s, Stack)] == [stack]
    resources = Template.from_stack(stack).to_json()["Resources"]
    assert of_type(resources, "AWS::WAFv2::WebACL") == {}
    distribution = _distribution(resources)
    assert "WebACLId" not in props(distribution)["DistributionConfig"]
    (skip,) = [s for s in distribution["Metadata"]["checkov"]["skip"] if s["id"] == "CKV_AWS_68"]
    assert "waf=false" in skip["comment"]
    # The origin secret does not depend on the web ACL.
    assert _api_origin(props(distribution)["DistributionConfig"])["OriginCustomHeaders"]


def test_the_cost_model_counts_the_web_acls_rules(resources):
    from oneway_infra import sizes

    (acl,) = of_type(resources, "AWS::WAFv2::WebACL").values()
    assert len(props(acl)["Rules"]) == sizes.WAF_RULES
