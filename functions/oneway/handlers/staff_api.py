"""The staff API function: recruiter and admin routes, behind API Gateway's Cognito JWT authorizer
(each route also checks the claims: an access token of a member). Its role holds what those routes
use (erasure, member accounts, the audit log ...), none of which the public function has."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.logging import correlation_paths

from . import api

logger = Logger()
tracer = Tracer(auto_patch=False)  # deps.traced() patches botocore with the first client


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    return api.serve(event, context, "staff")
