"""The public API function: candidate routes (``/api/c/*``), share links (``/api/share/*``), health and
the OpenAPI document. No account: each route checks its bearer token (an invitation's or a share
link's). Its role holds what those routes use and nothing of the staff's (infra/oneway_infra/api.py)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.logging import correlation_paths

from . import api

logger = Logger()
tracer = Tracer(auto_patch=False)  # deps.traced() patches botocore with the first client


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    return api.serve(event, context, "public")
