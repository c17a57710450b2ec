"""The HTTP API (API Gateway v2, payload format 2.0) and its two Lambda functions, one per audience.

Routes:                                    function
  GET /api/health, GET /api/openapi.json   public      no authentication
  ANY /api/c/{proxy+}                      public      candidates: the invitation token is checked in code
  GET, PUT /api/share/{proxy+}             public      share links (no account): the candidate, a guest's opinion; the link's token is checked in code
  GET /api/brand/{proxy+}                  public      organizations' logos, for their pages and emails (no account: an id shows a logo only)
  ANY /api/{proxy+}                        staff       recruiters and admins: Cognito JWT authorizer

Both functions run the same code (functions/oneway/handlers/api.py, by ``public_api`` and ``staff_api``),
each with a role of its own, derived from what its routes call (the IAM contract test, tests/contract):
the public one presigns a candidate's uploads and reads media, and holds no right to erase, to manage
accounts, to read the audit log or to ask for media jobs. Neither sends email or events: the outbox's
deliver function does (delivery.py).

The API is built in two steps: ``Api(...)`` creates the HttpApi and its stage
(CloudFront needs the API's domain), then ``add_handlers(...)`` adds the
functions and the routes (the functions need the site's URL).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import jsii
from aws_cdk import Aws, RemovalPolicy
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from . import checkov, grants, nag, sizes
from .auth import Auth
from .constants import (
    API_BURST_LIMIT,
    API_RATE_LIMIT,
    API_TIMEOUT,
    CANDIDATE_BURST_LIMIT,
    CANDIDATE_RATE_LIMIT,
    LOG_RETENTION,
    PROBE_KEY_PREFIX,
    SHARE_BURST_LIMIT,
    SHARE_RATE_LIMIT,
)
from .data import PUBLIC_TABLE_ACTIONS, Data
from .lambdas import PythonFunction

CANDIDATE_ROUTE = "/api/c/{proxy+}"
SHARE_ROUTE = "/api/share/{proxy+}"
BRAND_ROUTE = "/api/brand/{proxy+}"
RECRUITER_ROUTE = "/api/{proxy+}"
PUBLIC_ROUTES = ("/api/health", "/api/openapi.json")
# The scope of every access token that Cognito's own sign-in (SRP, USER_PASSWORD_AUTH) issues; ID tokens have none.
STAFF_SCOPE = "aws.cognito.signin.user.admin"

ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "method": "$context.httpMethod",
    "routeKey": "$context.routeKey",
    "path": "$context.path",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "latency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
}


@jsii.implements(apigw.IAccessLogSettings)
class _AccessLogSettings:
    def __init__(self, destination: apigw.IAccessLogDestination, format: apigw_v1.AccessLogFormat) -> None:
        self._destination = destination
        self._format = format

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw_v1.AccessLogFormat:
        return self._format


class Api(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, auth: Auth) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = auth.user_pool
        self.http_api = apigw.HttpApi(
            self,
            "HttpApi",
            description="Oneway API (served to browsers through CloudFront under /api/*)",
            # Same origin through CloudFront: no CORS. The stage is made below,
            # with throttling and access logs.
            create_default_stage=False,
        )
        self.access_logs = logs.LogGroup(
            self, "AccessLogs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
        )
        checkov.skip(self.access_logs, "CKV_AWS_158", checkov.LOGS_KMS)
        self.stage = apigw.HttpStage(
            self,
            "Stage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigw.ThrottleSettings(rate_limit=API_RATE_LIMIT, burst_limit=API_BURST_LIMIT),
            access_log_settings=_AccessLogSettings(
                apigw.LogGroupLogDestination(self.access_logs),
                apigw_v1.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FORMAT)),
            ),
        )
        self.authorizer = authorizers.HttpJwtAuthorizer(
            "CognitoJwt",
            auth.issuer,
            jwt_audience=[auth.client.user_pool_client_id],
            authorizer_name="cognito",
        )
        self.public: PythonFunction | None = None
        self.staff: PythonFunction | None = None

    @property
    def domain_name(self) -> str:
        """The execute-api host: depends on the HttpApi resource only (not on routes or the stage)."""
        return f"{self.http_api.api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"

    def _function(
        self, construct_id: str, *, handler: str, description: str, service_name: str, memory: str,
        environment: Mapping[str, str], layer: lambda_.ILayerVersion, origin_secret: str,
    ) -> PythonFunction:
        fn = PythonFunction(
            self,
            construct_id,
            handler=f"oneway.handlers.{handler}.lambda_handler",
            description=description,
            environment=environment,
            layer=layer,
            service_name=service_name,
            timeout=API_TIMEOUT,
            memory_size=sizes.FUNCTION_MEMORY_MB[memory],
            environment_reason=(
                "The environment holds resource names, ARNs and settings, and one value the API compares with "
                "a request header: ONEWAY_ORIGIN_SECRET, which CloudFront sends to prove a request came through "
                "it (resolved at deployment from the stack id). It is no credential: it opens no route, each "
                "wants its own token; the distribution's configuration, readable by the same principals, holds "
                "it too. Lambda encrypts the environment at rest with an AWS managed key."
            ),
        )
        # The value CloudFront puts in its origin header (site.py): requests without it are refused.
        fn.function.add_environment("ONEWAY_ORIGIN_SECRET", origin_secret)
        # https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html (DLQs and
        # destinations serve asynchronous invocations only)
        fn.keeps_failures_in(
            "API Gateway invokes the API synchronously: a failed request is answered to its caller (5xx, "
            "alarmed by the API's 5xx rate); a dead-letter queue would only ever see asynchronous invocations."
        )
        return fn

    def add_handlers(
        self,
        *,
        environment: Mapping[str, str],
        layer: lambda_.ILayerVersion,
        data: Data,
        uploads: s3.IBucket,
        media: s3.IBucket,
        origin_secret: str,
    ) -> tuple[PythonFunction, PythonFunction]:
        """The public and the staff function, their grants and their routes; returns (public, staff)."""
        public = self._function(
            "Public", handler="public_api", description="Oneway HTTP API, public: candidate and share-link routes, health, OpenAPI",
            service_name="oneway-public-api", memory="public_api", environment=environment, layer=layer, origin_secret=origin_secret,
        )
        staff = self._function(
            "Staff", handler="staff_api", description="Oneway HTTP API, staff: recruiter and admin routes",
            service_name="oneway-staff-api", memory="staff_api", environment=environment, layer=layer, origin_secret=origin_secret,
        )
        self.public, self.staff = public, staff
        self._grant_both(data=data, uploads=uploads, media=media)
        self._grant_staff_only(data=data, uploads=uploads, media=media)
        public_routes, candidate, share, brand = self._routes()
        self._acknowledge_public_routes(public_routes, candidate, share, brand)
        self._throttle_candidate_and_share_routes(candidate, share, brand)
        return public, staff

    def _grant_both(self, *, data: Data, uploads: s3.IBucket, media: s3.IBucket) -> None:
        """The table, the audit log and the buckets, for the public and the staff function."""
        public, staff = self._made()
        data.grant_read_write(public.role, PUBLIC_TABLE_ACTIONS)  # no deletes
        data.grant_read_write(staff.role)
        for fn in (public, staff):
            # The audit log: entries added by every use case (a share link's views included); never changed.
            data.grant_audit_append(fn.role)
            # Presigned multipart uploads: the URLs carry the function's rights (CreateMultipartUpload/UploadPart/
            # Complete are s3:PutObject); a candidate's answer (public), a recruiter's question video (staff).
            grants.grant_objects(
                fn,
                "PresignUploads",
                uploads,
                ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                "Presigned upload URLs for a candidate's take, a question video or an organization's logo.",
            )
            grants.grant_objects(
                fn, "ReadMedia", media, ["s3:GetObject"], "Presigned downloads of renditions, posters, captions, transcripts; organizations' logos, read for the public logo route."
            )
            # A retried complete-upload heads the recording and reads its first bytes (both audiences); the
            # privacy export links raw recordings (staff; presigned, so signed with this role's rights).
            grants.grant_objects(
                fn, "ReadRecordings", uploads, ["s3:GetObject"], "A retried complete-upload's head; export links to raw recordings; an uploaded logo, checked."
            )

        # The device check's uplink probe: a presigned PUT of a few hundred KB under probe/ (candidates only).
        public.grant("PresignUplinkProbe", ["s3:PutObject"], [uploads.arn_for_objects(f"{PROBE_KEY_PREFIX}*")])
        public.acknowledge_wildcard(
            f"Resource::{nag.ref(uploads)}/{PROBE_KEY_PREFIX}*",
            "Probe keys are generated per candidate and probe at run time; the grant is limited to the uploads bucket's probe/ "
            "prefix, which holds nothing but throwaway bytes that a lifecycle rule deletes after a day.",
        )
        # A retried complete-upload heads a recording that may be missing: 404, not 403, with ListBucket under org/
        # (the staff function has it with its erasure rights).
        grants.grant_head_missing(public, "HeadMissingRecording", uploads)

    def _grant_staff_only(self, *, data: Data, uploads: s3.IBucket, media: s3.IBucket) -> None:
        _, staff = self._made()
        # Admins read the audit log in the review site.
        data.grant_audit_read(staff.role)
        grants.grant_objects(
            staff, "CopyQuestionVideos", media, ["s3:PutObject"],
            "A duplicated interview gets its own copies of its question videos; a checked logo is written there.",
        )
        # DELETE /api/candidates/{id} erases a candidate at once, every S3 version
        # included (design, flow 7): list and delete under org/ in both buckets.
        grants.grant_erase(
            staff, "Erase", [uploads, media], "Erasure on request deletes every object version of one candidate."
        )
        # Admins invite members from the review site: the API creates their Cognito accounts, reads whether
        # TOTP is on (an organization may require it) and turns it off for a member who lost their device.
        # An admin resets a member's password (the pool emails a code; a member who never signed in is invited
        # again). Removing a member signs them out everywhere, disables their account, then deletes it.
        staff.function.add_environment("ONEWAY_USER_POOL_ID", self.user_pool.user_pool_id)
        self.user_pool.grant(
            staff.function,
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminGetUser",
            "cognito-idp:AdminResetUserPassword",
            "cognito-idp:AdminSetUserMFAPreference",
            "cognito-idp:AdminUserGlobalSignOut",
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminDeleteUser",
        )

    def _routes(self) -> tuple[list[apigw.HttpRoute], list[apigw.HttpRoute], list[apigw.HttpRoute], list[apigw.HttpRoute]]:
        """Every route to its function; returns the public, candidate, share and brand routes (no JWT authorizer)."""
        public, staff = self._made()

        def integration(fn: PythonFunction, name: str) -> integrations.HttpLambdaIntegration:
            return integrations.HttpLambdaIntegration(name, fn.function, payload_format_version=apigw.PayloadFormatVersion.VERSION_2_0)

        to_public, to_staff = integration(public, "PublicLambda"), integration(staff, "StaffLambda")
        public_routes = []
        for path in PUBLIC_ROUTES:
            public_routes += self.http_api.add_routes(path=path, methods=[apigw.HttpMethod.GET], integration=to_public)
        candidate = self.http_api.add_routes(path=CANDIDATE_ROUTE, methods=[apigw.HttpMethod.ANY], integration=to_public)
        # GET the shared candidate, PUT a guest's opinion of them; nothing else goes through a link.
        share = self.http_api.add_routes(path=SHARE_ROUTE, methods=[apigw.HttpMethod.GET, apigw.HttpMethod.PUT], integration=to_public)
        # An organization's logo, read by its pages and by mail clients (an email may be opened days later).
        brand = self.http_api.add_routes(path=BRAND_ROUTE, methods=[apigw.HttpMethod.GET], integration=to_public)
        self.http_api.add_routes(
            path=RECRUITER_ROUTE,
            methods=[apigw.HttpMethod.ANY],
            integration=to_staff,
            authorizer=self.authorizer,
            # Only access tokens carry this scope: an ID token of the same app client passes the audience check
            # (its aud is the client id) and is refused here (the handler checks token_use as well).
            authorization_scopes=[STAFF_SCOPE],
        )
        return public_routes, candidate, share, brand

    def _acknowledge_public_routes(
        self,
        public_routes: list[apigw.HttpRoute],
        candidate: list[apigw.HttpRoute],
        share: list[apigw.HttpRoute],
        brand: list[apigw.HttpRoute],
    ) -> None:
        for route in public_routes:
            nag.acknowledge(
                route, "AwsSolutions-APIG4", "Public by contract: health check and the OpenAPI document."
            )
        for route in candidate:
            nag.acknowledge(
                route,
                "AwsSolutions-APIG4",
                "Candidates do not have Cognito accounts: the handler checks the invitation token "
                "(a bearer of 256 bits stored only as a hash); these routes have their own own throttle.",
            )
        for route in share:
            nag.acknowledge(
                route,
                "AwsSolutions-APIG4",
                "Share links are for people without accounts: the handler checks the link's token "
                "(256 bits stored only as a hash, expiring, revocable); throttled like the candidate routes.",
            )
        for route in brand:
            nag.acknowledge(
                route,
                "AwsSolutions-APIG4",
                "An organization's logo is shown on its candidates' pages and in emails read by mail clients, which "
                "send no token; the route answers a checked picture and nothing else (GET only, throttled like the "
                "share routes).",
            )

    def _throttle_candidate_and_share_routes(
        self, candidate: list[apigw.HttpRoute], share: list[apigw.HttpRoute], brand: list[apigw.HttpRoute]
    ) -> None:
        # Throttling of their own for the public candidate and share routes. The stage must
        # be created after the route it names.
        cfn_stage = self.stage.node.default_child
        assert isinstance(cfn_stage, apigw.CfnStage)
        cfn_stage.add_property_override(
            "RouteSettings",
            {
                f"ANY {CANDIDATE_ROUTE}": {
                    "ThrottlingRateLimit": CANDIDATE_RATE_LIMIT,
                    "ThrottlingBurstLimit": CANDIDATE_BURST_LIMIT,
                },
                **{
                    f"{method} {SHARE_ROUTE}": {"ThrottlingRateLimit": SHARE_RATE_LIMIT, "ThrottlingBurstLimit": SHARE_BURST_LIMIT}
                    for method in ("GET", "PUT")
                },
                f"GET {BRAND_ROUTE}": {"ThrottlingRateLimit": SHARE_RATE_LIMIT, "ThrottlingBurstLimit": SHARE_BURST_LIMIT},
            },
        )
        for route in [*candidate, *share, *brand]:
            self.stage.node.add_dependency(route)

    def _made(self) -> tuple[PythonFunction, PythonFunction]:
        """The public and the staff function, once add_handlers has made them."""
        if self.public is None or self.staff is None:
            raise RuntimeError("the API's functions are made by add_handlers")
        return self.public, self.staff

    @property
    def functions(self) -> dict[str, PythonFunction]:
        public, staff = self._made()
        return {"PublicApi": public, "StaffApi": staff}
