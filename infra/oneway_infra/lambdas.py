"""One Python Lambda function with its own role and log group.

Every Oneway function: the Python of pyproject.toml on arm64, active tracing, JSON logs into a
log group with a retention, the shared code asset (``functions/``) and the
dependency layer. Each gets a role of its own that starts empty: no
AWS-managed policy, only its log group, X-Ray, and what the caller grants.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from . import checkov, nag
from .code_asset import stage_code
from .constants import ARCHITECTURE, LOG_RETENTION, PYTHON_VERSION, RUNTIME


def code_asset(scope: Construct) -> lambda_.Code:
    """The functions/ folder as one asset, shared by every function of a stack.

    An asset Code belongs to one stack, so it is kept on the stack object.
    """
    stack = Stack.of(scope)
    code = getattr(stack, "_oneway_code", None)
    if code is None:
        # functions/ without the local stack, the CLI and caches, with bytecode for the runtime (code_asset.py).
        code = lambda_.Code.from_asset(str(stage_code(PYTHON_VERSION)))
        stack._oneway_code = code  # type: ignore[attr-defined]  # one asset per stack, kept on the stack
    return code


class PythonFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        handler: str,
        description: str,
        environment: Mapping[str, str],
        layer: lambda_.ILayerVersion,
        service_name: str,
        timeout: Duration = Duration.seconds(30),
        memory_size: int = 512,
        reserved_concurrency: int | None = None,
        star_resource_reason: str = "",
        environment_reason: str = checkov.ENVIRONMENT_NOT_SECRET,
    ) -> None:
        super().__init__(scope, construct_id)
        # Kept when the stack is deleted or the group replaced; removed when the stack's first
        # creation rolls back (an empty group, nothing to keep).
        self.log_group = logs.LogGroup(
            self, "Logs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Oneway {service_name}: least privilege for this one function",
        )
        # Its own log group only (the log group's Arn already covers its streams).
        self.log_group.grant_write(self.role)

        self.function = lambda_.Function(
            self,
            "Function",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=handler,
            code=code_asset(self),
            layers=[layer],
            role=self.role,
            description=description,
            timeout=timeout,
            memory_size=memory_size,
            reserved_concurrent_executions=reserved_concurrency,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            environment={**environment, "POWERTOOLS_SERVICE_NAME": service_name},
        )
        nag.acknowledge(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray (active tracing): xray:PutTraceSegments and xray:PutTelemetryRecords "
            "support no resource-level permissions; CDK adds exactly these two actions."
            + (f" {star_resource_reason}" if star_resource_reason else ""),
        )
        nag.acknowledge(
            self.function,
            "AwsSolutions-L1",
            f"Python {PYTHON_VERSION} is pinned on purpose (pyproject requires-python): the local venv, "
            "the pip-built dependency layer (its wheels and bytecode) and the functions share one version.",
        )
        checkov.skip(self.function, "CKV_AWS_117", checkov.NO_VPC)
        checkov.skip(self.function, "CKV_AWS_173", environment_reason)
        checkov.skip(self.log_group, "CKV_AWS_158", checkov.LOGS_KMS)
        if reserved_concurrency is None:
            checkov.skip(self.function, "CKV_AWS_115", checkov.RESERVED_CONCURRENCY_OFF)

    def grant(self, sid: str, actions: list[str], resources: list[str], conditions: dict | None = None) -> None:
        self.role.add_to_principal_policy(
            iam.PolicyStatement(sid=sid, actions=actions, resources=resources, conditions=conditions)
        )

    def keeps_failures_in(self, where: str) -> None:
        """Say where this function's failed invocations go: checkov asks every function for a DLQ
        (DeadLetterConfig), which only asynchronous invocations use."""
        checkov.skip(self.function, "CKV_AWS_116", where)

    def acknowledge_wildcard(self, finding: str, reason: str) -> None:
        """Acknowledge one IAM5 finding (``Resource::...`` or ``Action::...``) on this function's role."""
        nag.acknowledge(self.role, f"AwsSolutions-IAM5[{finding}]", reason)
