"""The IAM contract: recorded calls and the template's wiring, evaluated against the template's policies.

Two kinds of check:
- a call a function made (oneway/local/aws_calls.py recorded it) is allowed by that
  function's role and by the policy of the resource it names;
- each delivery that AWS services make on the template's wiring is allowed: S3 to the
  queues its notifications name, EventBridge to every rule target and dead-letter queue,
  CloudWatch to every alarm action, API Gateway to the functions its integrations name,
  Lambda polling the queues of its event source mappings and sending to on-failure
  destinations with the function's role, and each service assuming the roles passed to it.
  Each is derived from the template (every rule target, notification, alarm action ...),
  so wiring added later is checked too.

A service is evaluated with the context keys its documentation says it sends, and no
others (SERVICE_CONTEXT).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tests.contract.iam_mapping import Mapper, Need, Request, request
from tests.contract.iam_policy import Function, Principal, Stack, as_list, evaluate, missing_statement

PLACEHOLDER = re.compile(r"\$\{(ONEWAY_[A-Z_]+)\}")

# The context keys each service principal is documented to send with its request.
SERVICE_CONTEXT = {
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
    "s3.amazonaws.com": ("aws:SourceArn", "aws:SourceAccount"),
    # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html
    "events.amazonaws.com": ("aws:SourceArn", "aws:SourceAccount"),
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
    # https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
    "cloudwatch.amazonaws.com": ("aws:SourceArn", "aws:SourceAccount"),
    # https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html (the permission's source ARN)
    "apigateway.amazonaws.com": ("aws:SourceArn", "aws:SourceAccount"),
    # Assuming a role: MediaConvert's and Lambda's documented trust policies carry no condition, and
    # neither service documents sending aws:SourceAccount or aws:SourceArn when it assumes the role.
    # https://docs.aws.amazon.com/mediaconvert/latest/ug/creating-the-iam-role-in-iam.html
    # https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    "mediaconvert.amazonaws.com": (),
    "lambda.amazonaws.com": (),
}


@dataclass
class Denial:
    who: str
    what: str
    need: Need
    missing: list[dict[str, Any]]
    where: str = ""
    denied_by: dict[str, Any] | None = None

    def __str__(self) -> str:
        lines = [f"{self.who}: {self.what}" + (f"  (recorded in {self.where})" if self.where else ""), f"  needs {self.need}"]
        if self.denied_by:
            lines.append(f"  explicitly denied by {json.dumps(self.denied_by)}")
        lines += [f"  missing statement: {json.dumps(m)}" for m in self.missing]
        return "\n".join(lines)


class Contract:
    def __init__(self, stack: Stack):
        self.stack = stack
        self.mapper = Mapper(stack.place)
        self.functions = stack.functions()

    # -- calls of the functions ---------------------------------------------------------------
    def concrete(self, function: str, params: Any) -> Any:
        """The recorded parameters with ``${ONEWAY_X}`` replaced by the function's environment in the template."""
        env = self.functions[function].environment
        if isinstance(params, dict):
            return {self.concrete(function, k): self.concrete(function, v) for k, v in params.items()}
        if isinstance(params, list):
            return [self.concrete(function, v) for v in params]
        if isinstance(params, str):

            def value(m: re.Match[str]) -> str:
                if m.group(1) not in env:
                    raise AssertionError(f"the {function} function names {m.group(0)}, which its environment in the template does not set")
                return str(env[m.group(1)])

            return PLACEHOLDER.sub(value, params)
        return params

    def role_principal(self, role_id: str) -> Principal:
        return Principal(arn=self.stack.getatt(role_id, "Arn"), account=self.stack.place.account)

    def check_need(self, who: Principal, identity: list[dict[str, Any]], need: Need) -> tuple[bool, dict[str, Any] | None, list[dict[str, Any]]]:
        missing, denied_by = [], None
        for alternative in need.alternatives:
            decision = evaluate(who, alternative, identity, self.stack.resource_statements(alternative.resource))
            if decision.allowed:
                return True, None, []
            denied_by = denied_by or decision.denied_by
            missing.append(missing_statement(alternative, decision.context))
        return False, denied_by, missing

    def call_needs(self, call: dict[str, Any]) -> list[Need]:
        return self.mapper.needs({**call, "params": self.concrete(call["function"], call["params"])})

    def check_call(self, call: dict[str, Any]) -> list[Denial]:
        function = self.functions.get(call["function"])
        if function is None:
            raise AssertionError(f"no function of the template runs oneway.handlers.{call['function']}.lambda_handler")
        who = self.role_principal(function.role_id)
        identity = self.stack.permission_statements(function.role_id)
        denials = []
        what = f"{call['service']} {call['operation']} {json.dumps(call['params'], sort_keys=True)}" + (" (presigned)" if call.get("presigned") else "")
        for need in self.call_needs(call):
            ok, denied_by, missing = self.check_need(who, identity, need)
            if not ok:
                denials.append(Denial(f"function {call['function']} (role {function.role_id})", what, need, missing, call.get("where", ""), denied_by))
        return denials + self.check_job_role(call)

    def check_job_role(self, call: dict[str, Any]) -> list[Denial]:
        """A MediaConvert job reads its inputs and writes its outputs with the role it is given."""
        if (call["service"], call["operation"]) != ("mediaconvert", "CreateJob"):
            return []
        params = self.concrete(call["function"], call["params"])
        role_id = self.stack.role_by_arn(params["Role"])
        if role_id is None:
            return [Denial("MediaConvert", f"job role {params['Role']}", Need([]), [], call.get("where", ""))]
        who = self.role_principal(role_id)
        identity = self.stack.permission_statements(role_id)
        needs = []
        for uri in params.get("Inputs", []):
            bucket, _, key = uri.removeprefix("s3://").partition("/")
            needs.append(Need([request("s3:GetObject", self.mapper.s3(bucket, key))], "MediaConvert reads the input with the job's role"))
        for uri in params.get("Destinations", []):
            bucket, _, key = uri.removeprefix("s3://").partition("/")
            needs.append(Need([request("s3:PutObject", self.mapper.s3(bucket, key + ".mp4"))], "MediaConvert writes the outputs with the job's role"))
        denials = []
        for need in needs:
            ok, denied_by, missing = self.check_need(who, identity, need)
            if not ok:
                denials.append(Denial(f"MediaConvert with role {role_id}", "CreateJob's inputs and outputs", need, missing, call.get("where", ""), denied_by))
        return denials

    def check_calls(self, calls: list[dict[str, Any]]) -> list[Denial]:
        return [d for call in calls for d in self.check_call(call)]

    # -- what AWS services do on the template's wiring -----------------------------------------------
    def service(self, name: str, source_arn: str = "") -> Principal:
        context = {"aws:SourceArn": source_arn, "aws:SourceAccount": self.stack.place.account}
        sent = SERVICE_CONTEXT[name]
        return Principal(service=name, context=tuple((k, (v,)) for k, v in context.items() if k in sent and v))

    def deliveries(self) -> list[tuple[Principal, Request, str]]:
        """(service, request, why) for every delivery the template wires up."""
        s, found = self.stack, []
        arn = lambda logical: s.getatt(logical, "Arn")  # noqa: E731

        def target(principal: Principal, target_arn: str, why: str) -> None:
            service = target_arn.split(":")[2]
            action = {"lambda": "lambda:InvokeFunction", "sns": "sns:Publish", "sqs": "sqs:SendMessage"}.get(service)
            if action is None:
                raise NotImplementedError(f"a delivery to {target_arn} ({why})")
            found.append((principal, request(action, target_arn), why))

        for r in s.of_type("Custom::S3BucketNotifications").values():
            props = s.resolve(r["Properties"])
            bucket_arn = f"arn:{s.place.partition}:s3:::{props['BucketName']}"
            for q in props["NotificationConfiguration"].get("QueueConfigurations", []):
                target(self.service("s3.amazonaws.com", bucket_arn), q["QueueArn"], f"S3 notification of {props['BucketName']}")
            for t in props["NotificationConfiguration"].get("TopicConfigurations", []):
                target(self.service("s3.amazonaws.com", bucket_arn), t["TopicArn"], f"S3 notification of {props['BucketName']}")
        for logical, r in s.of_type("AWS::Events::Rule").items():
            events = self.service("events.amazonaws.com", arn(logical))
            for t in s.resolve(r["Properties"].get("Targets", [])):
                if t.get("RoleArn"):
                    raise NotImplementedError(f"rule {logical} delivers with a role")
                target(events, t["Arn"], f"rule {logical}, target {t.get('Id')}")
                if t.get("DeadLetterConfig", {}).get("Arn"):
                    target(events, t["DeadLetterConfig"]["Arn"], f"rule {logical}, dead-letter queue of target {t.get('Id')}")
        for logical, r in s.of_type("AWS::CloudWatch::Alarm").items():
            props = s.resolve(r["Properties"])
            for kind in ("AlarmActions", "OKActions", "InsufficientDataActions"):
                for action_arn in props.get(kind, []):
                    target(self.service("cloudwatch.amazonaws.com", arn(logical)), action_arn, f"alarm {logical}, {kind}")
        integrations = {k: s.resolve(r["Properties"]) for k, r in s.of_type("AWS::ApiGatewayV2::Integration").items()}
        for r in s.of_type("AWS::ApiGatewayV2::Route").values():
            props = s.resolve(r["Properties"])
            integration = next(v for k, v in integrations.items() if props.get("Target") == f"integrations/{k}")
            method, path = props["RouteKey"].split(" ", 1)
            source = f"arn:{s.place.partition}:execute-api:{s.place.region}:{s.place.account}:{props['ApiId']}/$default/{'POST' if method == 'ANY' else method}{path}"
            target(self.service("apigateway.amazonaws.com", source), integration["IntegrationUri"], f"route {props['RouteKey']}")
        return found

    def role_uses(self) -> list[tuple[Principal, str, list[Request], str]]:
        """(principal, role id, requests, why): what a principal does with a function's or a service's role."""
        s, found = self.stack, []
        by_arn = {f.arn: f for f in self.functions.values()}
        by_name = {s.physical_name(f.logical_id): f for f in self.functions.values()}

        def function(name: str) -> Function:
            named = by_arn.get(name) or by_name.get(name)
            assert named is not None, f"the stack wires {name}, which is none of its functions"
            return named

        lambda_ = Principal(arn="", service="")
        for r in s.of_type("AWS::Lambda::EventSourceMapping").values():
            props = s.resolve(r["Properties"])
            fn = function(props["FunctionName"])
            source = props["EventSourceArn"]
            if source.split(":")[2] == "dynamodb":
                # https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (the execution role's stream permissions;
                # ListStreams has no resource type: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html)
                reqs = [request(a, source) for a in ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")]
                reqs.append(request("dynamodb:ListStreams", "*"))
                found.append((lambda_, fn.role_id, reqs, f"Lambda reads the stream {source} for {fn.key} with its role"))
            else:
                # https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
                reqs = [request(a, source) for a in ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")]
                found.append((lambda_, fn.role_id, reqs, f"Lambda polls {source} for {fn.key} with its role"))
            destination = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
            if destination:
                # https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html (sent with the function's role)
                found.append((lambda_, fn.role_id, [request("sqs:SendMessage", destination)], f"Lambda notes {fn.key}'s failed stream records with its role"))
        for r in s.of_type("AWS::Lambda::EventInvokeConfig").values():
            props = s.resolve(r["Properties"])
            fn = function(props["FunctionName"])
            destination = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
            if destination:
                # https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
                found.append((lambda_, fn.role_id, [request("sqs:SendMessage", destination)], f"Lambda keeps {fn.key}'s failed events with its role"))
        return found

    def assumed_roles(self) -> list[tuple[Principal, str, str]]:
        """(service, role id, why): each role a service assumes, from the template's wiring."""
        found = []
        for fn in self.functions.values():
            found.append((self.service("lambda.amazonaws.com"), fn.role_id, f"Lambda runs {fn.key}"))
            for st in self.stack.permission_statements(fn.role_id):
                if "iam:PassRole" in as_list(st.get("Action", [])):
                    passed_to = st.get("Condition", {}).get("StringEquals", {}).get("iam:PassedToService")
                    for role_arn in as_list(st["Resource"]):
                        role_id = self.stack.role_by_arn(role_arn)
                        if role_id and passed_to:
                            found.append((self.service(passed_to), role_id, f"{fn.key} passes it to {passed_to}"))
        return found

    def check_wiring(self) -> list[Denial]:
        denials = []
        for who, req, why in self.deliveries():
            decision = evaluate(who, req, [], self.stack.resource_statements(req.resource))
            if not decision.allowed:
                denials.append(Denial(str(who), why, Need([req]), [missing_statement(req, decision.context) | {"Principal": {"Service": who.service}, "Condition (known context)": decision.context}], denied_by=decision.denied_by))
        for _, role_id, reqs, why in self.role_uses():
            who = self.role_principal(role_id)
            for req in reqs:
                decision = evaluate(who, req, self.stack.permission_statements(role_id), self.stack.resource_statements(req.resource))
                if not decision.allowed:
                    denials.append(Denial(f"role {role_id}", why, Need([req]), [missing_statement(req, decision.context)], denied_by=decision.denied_by))
        for who, role_id, why in self.assumed_roles():
            req = Request("sts:AssumeRole", self.stack.getatt(role_id, "Arn"))
            decision = evaluate(who, req, [], [{**st, "Resource": req.resource} for st in self.stack.trust_statements(role_id)])
            if not decision.allowed:
                trust = {"Effect": "Allow", "Principal": {"Service": who.service}, "Action": "sts:AssumeRole"}
                denials.append(Denial(str(who), f"assume {role_id} ({why}); context sent: {decision.context}", Need([req]), [trust]))
        return denials
