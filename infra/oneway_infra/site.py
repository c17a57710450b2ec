"""The site: CloudFront in front of the site bucket (OAC) and, under /api/*, the HTTP API.

Site and API share one origin, so the browser needs no CORS for the API. The
built web folder (context ``siteDir``, default ``web/dist``) is deployed with
``config.json`` for the browser; without a build, a placeholder page is
deployed instead so that synth and tests never need the web build.
"""

from __future__ import annotations

import re
from pathlib import Path

from aws_cdk import Aws, Duration, RemovalPolicy, Token
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from . import checkov, nag
from .constants import LOG_RETENTION, REPO_ROOT
from .storage import Storage

# Single-page apps: a path without a file extension is a client-side route.
# The candidate app lives under /c/ (links are SITE/c/#t=TOKEN), the recruiter app at /.
SPA_ROUTER_JS = """\
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = (uri === '/c' || uri.indexOf('/c/') === 0) ? '/c/index.html' : '/index.html';
  }
  return request;
}
"""

PLACEHOLDER_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Oneway</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Oneway</h1><p>The web app has not been built into this deployment yet
(run the web build, then deploy again).</p></body></html>
"""

# CloudFront takes viewer certificates from ACM in US East (N. Virginia) only, whatever the stack's region.
# https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"
_ACM_CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:acm:(?P<region>[a-z0-9-]+):\d{12}:certificate/[0-9A-Za-z-]+$")


def check_certificate_arn(arn: str) -> None:
    """Refuse at synth what CloudFront would refuse at deploy time, minutes into the deployment."""
    if Token.is_unresolved(arn):
        return
    m = _ACM_CERTIFICATE_ARN.match(arn)
    if not m:
        raise ValueError(
            f"context certificateArn {arn!r} is not an ACM certificate ARN "
            f"(arn:aws:acm:{CLOUDFRONT_CERTIFICATE_REGION}:ACCOUNT:certificate/ID)"
        )
    if m["region"] != CLOUDFRONT_CERTIFICATE_REGION:
        raise ValueError(
            f"context certificateArn {arn!r} is in {m['region']}, but CloudFront uses ACM certificates from "
            f"{CLOUDFRONT_CERTIFICATE_REGION} (US East, N. Virginia) only. Request or import the certificate for "
            f"your domain in {CLOUDFRONT_CERTIFICATE_REGION} (aws acm request-certificate --region "
            f"{CLOUDFRONT_CERTIFICATE_REGION} ...) and give that ARN; the stack itself can stay in any region. "
            "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html"
        )


# CloudFront adds this header, with the deployment's secret, to every request it forwards to the API;
# the API refuses a request without it (functions/oneway/handlers/http.py, the same name in lower case).
# HTTP APIs take neither a web ACL nor a resource policy, so the execute-api host cannot be closed
# otherwise: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html
ORIGIN_HEADER = "X-Oneway-Origin"

# Browsers revalidate every file (cheap 304s from the edge); the edge keeps
# files for a day and each deployment invalidates them.
BROWSER_CACHE_CONTROL = "public, max-age=0, must-revalidate"


def _s3_hosts(bucket_name: str) -> list[str]:
    # Presigned URLs use the regional virtual-hosted name (some SDKs the global one in us-east-1).
    return [f"https://{bucket_name}.s3.{Aws.REGION}.amazonaws.com", f"https://{bucket_name}.s3.amazonaws.com"]


def content_security_policy(*, uploads_bucket: str, media_bucket: str, cognito_endpoint: str) -> str:
    media = " ".join(_s3_hosts(media_bucket))
    uploads = " ".join(_s3_hosts(uploads_bucket))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Inline style attributes are common in small UI code; scripts stay strict.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {media}",
            # Recording preview (blob:, mediastream:) and playback of renditions and captions.
            f"media-src 'self' blob: mediastream: {media}",
            # The API (same origin), Cognito sign-in, part uploads, transcripts.
            f"connect-src 'self' {cognito_endpoint} {uploads} {media}",
            "font-src 'self'",
            "worker-src 'self' blob:",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "upgrade-insecure-requests",
        ]
    )


class Site(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        storage: Storage,
        api_domain_name: str,
        cognito_endpoint: str,
        origin_secret: str,
        web_acl_arn: str | None = None,
        domain_name: str = "",
        certificate_arn: str = "",
    ) -> None:
        super().__init__(scope, construct_id)
        if bool(domain_name) != bool(certificate_arn):
            raise ValueError("context domainName and certificateArn go together: give both or neither")
        if certificate_arn:
            check_certificate_arn(certificate_arn)
        self._storage = storage
        self.headers = self._security_headers(
            content_security_policy(
                uploads_bucket=storage.uploads_name,
                media_bucket=storage.media_name,
                cognito_endpoint=cognito_endpoint,
            )
        )
        self.router = self._spa_router()
        site_cache = self._site_cache()
        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", certificate_arn) if certificate_arn else None
        )
        self.distribution = self._distribution(
            site_cache=site_cache,
            api_domain_name=api_domain_name,
            origin_secret=origin_secret,
            web_acl_arn=web_acl_arn,
            domain_name=domain_name,
            certificate=certificate,
        )
        self._acknowledge_distribution(web_acl_arn=web_acl_arn, certificate=certificate)
        self.url = f"https://{domain_name or self.distribution.distribution_domain_name}"

    def _security_headers(self, csp: str) -> cloudfront.ResponseHeadersPolicy:
        return cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="Oneway security headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=csp, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(730), include_subdomains=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
            ),
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(
                custom_headers=[
                    cloudfront.ResponseCustomHeader(
                        header="Permissions-Policy",
                        value="camera=(self), microphone=(self), geolocation=(), payment=(), usb=()",
                        override=True,
                    ),
                    cloudfront.ResponseCustomHeader(
                        header="Cross-Origin-Opener-Policy", value="same-origin", override=True
                    ),
                ]
            ),
        )

    def _spa_router(self) -> cloudfront.Function:
        return cloudfront.Function(
            self,
            "SpaRouter",
            comment="Oneway: client-side routes to the app's index.html",
            code=cloudfront.FunctionCode.from_inline(SPA_ROUTER_JS),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )

    def _site_cache(self) -> cloudfront.CachePolicy:
        return cloudfront.CachePolicy(
            self,
            "SiteCache",
            comment="Oneway static site: kept at the edge, invalidated on deploy",
            min_ttl=Duration.days(1),
            default_ttl=Duration.days(1),
            max_ttl=Duration.days(365),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )

    def _logo_cache(self) -> cloudfront.CachePolicy:
        """Logos by path and ``v``; the function's Cache-Control sets how long (min 0, so its 5 minutes for an
        address without the current version hold too; a minimum above 0 would override no-store). No header or
        cookie is part of the key; DefaultTTL serves only an answer without Cache-Control.
        https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-cachepolicy-cachepolicyconfig.html"""
        return cloudfront.CachePolicy(
            self,
            "LogoCache",
            comment="Oneway organizations' logos: by version, as long as the API's Cache-Control says",
            min_ttl=Duration.seconds(0),
            default_ttl=Duration.minutes(5),
            max_ttl=Duration.days(365),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.allow_list("v"),
            header_behavior=cloudfront.CacheHeaderBehavior.none(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        )

    def _distribution(
        self,
        *,
        site_cache: cloudfront.ICachePolicy,
        api_domain_name: str,
        origin_secret: str,
        web_acl_arn: str | None,
        domain_name: str,
        certificate: acm.ICertificate | None,
    ) -> cloudfront.Distribution:
        """The site bucket (OAC) by default, the HTTP API under /api/*, with the origin secret (logos under
        /api/brand/* cached at the edge, the rest not)."""
        storage = self._storage
        api_origin = origins.HttpOrigin(
            api_domain_name,
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            custom_headers={ORIGIN_HEADER: origin_secret},
        )
        return cloudfront.Distribution(
            self,
            "Distribution",
            comment="Oneway site and API",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(storage.site),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
                cache_policy=site_cache,
                response_headers_policy=self.headers,
                compress=True,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.router, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            additional_behaviors={
                # An organization's logo (pages and emails): kept at the edge by its version (the only query
                # string in the key), for as long as the function's Cache-Control says (a year for a version).
                "/api/brand/*": cloudfront.BehaviorOptions(
                    origin=api_origin,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                    cache_policy=self._logo_cache(),
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    response_headers_policy=self.headers,
                ),
                "/api/*": cloudfront.BehaviorOptions(
                    origin=api_origin,
                    # An API call must not be redirected (a POST would lose its body).
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    response_headers_policy=self.headers,
                ),
            },
            domain_names=[domain_name] if domain_name else None,
            certificate=certificate,
            # Settable only with a custom certificate (the default one is fixed by CloudFront).
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate else None,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=storage.log_bucket,
            log_file_prefix="cloudfront/",
            web_acl_id=web_acl_arn,
        )

    def _acknowledge_distribution(self, *, web_acl_arn: str | None, certificate: acm.ICertificate | None) -> None:
        nag.acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "Candidates are invited from anywhere; there is no country to block.",
        )
        if web_acl_arn is None:
            no_waf = (
                "The deployment turned the web ACL off (context waf=false) to save its monthly fee (docs/cost.md): "
                "the API keeps its stage and route throttles, a per-address limit on failed token lookups, and "
                "JWT or invitation-token checks, but one client address may use a whole route's throttle."
            )
            nag.acknowledge(self.distribution, "AwsSolutions-CFR2", no_waf)
            checkov.skip(self.distribution, "CKV_AWS_68", no_waf)
        if not certificate:
            # https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html: with
            # CloudFrontDefaultCertificate, CloudFront sets the security policy itself, whatever is asked.
            default_certificate = (
                "Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose "
                "minimum protocol cannot be set; with context domainName/certificateArn it is TLSv1.2_2021."
            )
            nag.acknowledge(self.distribution, "AwsSolutions-CFR4", default_certificate)
            checkov.skip(self.distribution, "CKV_AWS_174", default_certificate)

    def deploy_content(self, *, site_dir: Path, config: dict) -> s3deploy.BucketDeployment:
        """The web build (or a placeholder) and config.json, in one deployment (prune keeps both)."""
        site_dir = site_dir if site_dir.is_absolute() else REPO_ROOT / site_dir
        if (site_dir / "index.html").is_file():
            content = [s3deploy.Source.asset(str(site_dir))]
        else:
            content = [
                s3deploy.Source.data("index.html", PLACEHOLDER_HTML),
                s3deploy.Source.data("c/index.html", PLACEHOLDER_HTML),
            ]
        log_group = logs.LogGroup(self, "DeployLogs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY)
        checkov.skip(log_group, "CKV_AWS_158", checkov.LOGS_KMS)
        return s3deploy.BucketDeployment(
            self,
            "Content",
            destination_bucket=self._storage.site,
            sources=[*content, s3deploy.Source.json_data("config.json", config)],
            prune=True,
            cache_control=[s3deploy.CacheControl.from_string(BROWSER_CACHE_CONTROL)],
            distribution=self.distribution,
            distribution_paths=["/*"],
            memory_limit=512,
            log_group=log_group,
        )
