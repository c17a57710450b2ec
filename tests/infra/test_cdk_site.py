"""CloudFront: OAC to the site bucket, /api/* to the HTTP API, TLS, headers, logs, content."""

from __future__ import annotations

import json
import re

import pytest

from tests.infra.infra_support import TEST_CONTEXT, build_test_app, getatt, logical_id, of_type, props

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


@pytest.fixture(scope="module")
def config(resources):
    (distribution,) = of_type(resources, "AWS::CloudFront::Distribution").values()
    return props(distribution)["DistributionConfig"]


def _origin(config, origin_id):
    return next(o for o in config["Origins"] if o["Id"] == origin_id)


def test_site_bucket_behind_origin_access_control(resources, stack, config):
    default = config["DefaultCacheBehavior"]
    origin = _origin(config, default["TargetOriginId"])
    assert origin["DomainName"] == getatt(stack, stack.storage.site, "RegionalDomainName")
    (oac_id, oac), = of_type(resources, "AWS::CloudFront::OriginAccessControl").items()
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert props(oac)["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    assert props(oac)["OriginAccessControlConfig"]["OriginAccessControlOriginType"] == "s3"
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_default_behavior_redirects_to_https_and_routes_the_spa(resources, config):
    default = config["DefaultCacheBehavior"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["DefaultRootObject"] == "index.html"
    (assoc,) = default["FunctionAssociations"]
    assert assoc["EventType"] == "viewer-request"
    (function,) = of_type(resources, "AWS::CloudFront::Function").values()
    code = props(function)["FunctionCode"]
    assert "/c/index.html" in code and "/index.html" in code


def test_spa_router_sends_candidate_routes_to_the_candidate_app():
    """Run the CloudFront Function's logic (JS) through node on a few paths."""
    import shutil
    import subprocess

    from oneway_infra.site import SPA_ROUTER_JS

    if not shutil.which("node"):
        pytest.skip("node not installed")
    cases = {"/": "/index.html", "/interviews/42": "/index.html", "/c/": "/c/index.html", "/c": "/c/index.html",
             "/c/anything": "/c/index.html", "/assets/app.js": "/assets/app.js", "/c/app.js": "/c/app.js",
             "/config.json": "/config.json"}
    script = SPA_ROUTER_JS + "\nconst cases = " + json.dumps(list(cases)) + ";\n" + (
        "console.log(JSON.stringify(cases.map(u => handler({request: {uri: u}}).uri)));"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert dict(zip(cases, json.loads(out), strict=False)) == cases


def test_api_behavior_is_uncached_and_forwards_the_viewer_request(stack, config):
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert sorted(api["AllowedMethods"]) == sorted(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"])
    assert api["ViewerProtocolPolicy"] in ("https-only", "redirect-to-https")
    origin = _origin(config, api["TargetOriginId"])
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    # The origin is the execute-api host of the HTTP API (no dependency on routes or stage).
    assert origin["DomainName"] == {
        "Fn::Join": ["", [{"Ref": logical_id(stack, stack.api.http_api)}, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}]]
    }


def test_access_logs_go_to_the_log_bucket(stack, config):
    assert config["Logging"]["Bucket"] == getatt(stack, stack.storage.log_bucket, "RegionalDomainName")


def test_security_headers(resources, config):
    (policy_id, policy), = of_type(resources, "AWS::CloudFront::ResponseHeadersPolicy").items()
    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": policy_id}
    headers = props(policy)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = json.dumps(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                      "https://cognito-idp.", "oneway-uploads-", "oneway-media-"):
        assert directive in csp, directive
    assert "'unsafe-eval'" not in csp
    hsts = headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 31536000 and hsts["IncludeSubdomains"] is True
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"


def test_site_content_and_config_json_are_deployed_and_invalidated(resources, stack):
    (deployment,) = of_type(resources, "Custom::CDKBucketDeployment").values()
    p = props(deployment)
    assert p["DestinationBucketName"] == {"Ref": logical_id(stack, stack.storage.site)}
    assert p["DistributionId"] == {"Ref": logical_id(stack, stack.site.distribution)}
    assert p["DistributionPaths"] == ["/*"]
    assert p["Prune"] is True
    markers = json.dumps(p["SourceMarkers"])
    # config.json: apiUrl (the distribution), userPoolId, userPoolClientId, cognitoEndpoint.
    for ref in (logical_id(stack, stack.auth.user_pool), logical_id(stack, stack.auth.client),
                logical_id(stack, stack.site.distribution), "https://cognito-idp."):
        assert ref in markers, ref


def test_config_json_carries_the_fields_the_site_reads(app_and_stack, template):
    """The json_data source is an asset: read the staged config.json from the cloud assembly."""
    from pathlib import Path

    app, _ = app_and_stack
    configs = list(Path(app.outdir).glob("asset.*/config.json"))
    assert len(configs) == 1
    # Deploy-time values are markers that stand for whole JSON values.
    text = re.sub(r"<<marker:0x[0-9a-f]+:\d+>>", '"deploy-time"', configs[0].read_text())
    body = json.loads(text)
    assert set(body) == {"apiUrl", "region", "userPoolId", "userPoolClientId", "cognitoEndpoint", "authFlow", "stage"}
    assert body["authFlow"] == "USER_SRP_AUTH" and body["stage"] == "prod"


def test_without_a_web_build_a_placeholder_page_is_deployed(app_and_stack, template):
    from pathlib import Path

    app, _ = app_and_stack
    assert not (Path(TEST_CONTEXT["siteDir"]).exists())
    pages = list(Path(app.outdir).glob("asset.*/index.html"))
    assert pages and "Oneway" in pages[0].read_text()


def test_custom_domain_gets_tls12_2021_minimum():
    """A second, small synth: with a custom domain, the viewer certificate and minimum TLS."""
    from aws_cdk.assertions import Template
    _, stack = build_test_app(
        domainName="interviews.example.com",
        certificateArn="arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
    )
    t = Template.from_stack(stack).to_json()["Resources"]
    (dist,) = of_type(t, "AWS::CloudFront::Distribution").values()
    cfg = props(dist)["DistributionConfig"]
    assert cfg["Aliases"] == ["interviews.example.com"]
    assert cfg["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert cfg["ViewerCertificate"]["SslSupportMethod"] == "sni-only"
    # checkov's viewer-TLS check is met, not skipped (it is skipped only for the default certificate).
    skips = [e["id"] for e in dist.get("Metadata", {}).get("checkov", {}).get("skip", [])]
    assert "CKV_AWS_174" not in skips and "CKV_AWS_68" not in skips  # the web ACL is on (test_cdk_edge.py)
    env = next(props(f)["Environment"]["Variables"] for f in of_type(t, "AWS::Lambda::Function").values()
               if props(f)["Handler"] == "oneway.handlers.staff_api.lambda_handler")
    assert env["ONEWAY_SITE_URL"] == "https://interviews.example.com"


def test_every_path_candidate_pages_included_gets_the_security_headers(resources, config):
    """/c/... (the candidate app, whose URL fragment holds the token) is served by the default
    behavior; no behavior of the distribution goes without the headers policy."""
    (policy_id,) = of_type(resources, "AWS::CloudFront::ResponseHeadersPolicy")
    behaviors = [config["DefaultCacheBehavior"], *config.get("CacheBehaviors", [])]
    assert [b.get("PathPattern") for b in behaviors[1:]] == ["/api/brand/*", "/api/*"]  # nothing else matches /c/...
    for behavior in behaviors:
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": policy_id}


def test_logos_are_cached_at_the_edge_by_version_and_nothing_else_of_the_api(resources, config):
    """/api/brand/* (an organization's logo, in pages and emails): GET and HEAD only, to the API's origin, cached by
    the v query string alone for as long as the function says; every other API path stays uncached."""
    brand, api = config["CacheBehaviors"]
    assert (brand["PathPattern"], api["PathPattern"]) == ("/api/brand/*", "/api/*")
    assert brand["TargetOriginId"] == api["TargetOriginId"]
    assert sorted(brand["AllowedMethods"]) == ["GET", "HEAD"]
    assert brand["ViewerProtocolPolicy"] == "https-only"
    policies = of_type(resources, "AWS::CloudFront::CachePolicy")
    (logo,) = [props(p)["CachePolicyConfig"] for k, p in policies.items() if brand["CachePolicyId"] == {"Ref": k}]
    assert logo["MinTTL"] == 0 and logo["MaxTTL"] == 365 * 86400
    keys = logo["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keys["QueryStringsConfig"] == {"QueryStringBehavior": "whitelist", "QueryStrings": ["v"]}
    assert keys["HeadersConfig"] == {"HeaderBehavior": "none"} and keys["CookiesConfig"] == {"CookieBehavior": "none"}
    assert api["CachePolicyId"] == CACHING_DISABLED
