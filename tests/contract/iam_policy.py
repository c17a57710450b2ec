"""IAM policy evaluation over the synthesized template, with concrete names.

``Stack`` reads a CloudFormation template (Template.from_stack(...).to_json()) and
resolves its intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and the
pseudo parameters) to concrete values for one account and region, naming each resource as
CloudFormation would when the template gives no name (``<stack>-<logical id>``). It knows
each role's permission policies and trust policy, and the resource policies: bucket,
queue and topic policies and Lambda permissions.

``evaluate`` follows the IAM policy evaluation logic for one account:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
an explicit Deny in any policy wins; otherwise an Allow in the principal's permission
policies or in the resource's policy (naming that principal) allows; otherwise denied.
Conditions: the operators the template uses (String*, Arn*, Bool, Null; IfExists;
ForAnyValue/ForAllValues), keys case-insensitive; an operator this code does not know
fails the test rather than guessing.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, ClassVar

from tests.contract.iam_mapping import Place, Request


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


# -- the template, resolved ---------------------------------------------------------------------------


@dataclass
class Function:
    key: str  # the handler module: api, on_upload, on_media_event, scheduled
    logical_id: str
    arn: str
    role_id: str
    environment: dict[str, str]


class Stack:
    def __init__(self, template: Mapping[str, Any], *, name: str, place: Place = Place()):
        self.template = template
        self.resources: dict[str, dict[str, Any]] = template["Resources"]
        self.name = name
        self.place = place

    # -- intrinsics
    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) != 1 or not next(iter(value)).startswith(("Ref", "Fn::")):
            return {k: self.resolve(v) for k, v in value.items()}
        (fn, arg), = value.items()
        if fn == "Ref":
            return self.ref(arg)
        if fn == "Fn::GetAtt":
            logical, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
            return self.getatt(logical, attribute)
        if fn == "Fn::Join":
            sep, parts = arg
            return sep.join(str(self.resolve(p)) for p in self.resolve(parts))
        if fn == "Fn::Select":
            index, items = arg
            return self.resolve(items)[int(self.resolve(index))]
        if fn == "Fn::Split":
            sep, text = arg
            return str(self.resolve(text)).split(sep)
        if fn == "Fn::Sub":
            text, names = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

            def sub(m: re.Match[str]) -> str:
                ref = m.group(1)
                if ref in names:
                    return str(self.resolve(names[ref]))
                if "." in ref and not ref.startswith("AWS::"):
                    return str(self.getatt(*ref.split(".", 1)))
                return str(self.ref(ref))

            return re.sub(r"\$\{([^}!]+)\}", sub, text)
        raise NotImplementedError(f"intrinsic {fn} in {json.dumps(value)[:200]}")

    def pseudo(self, name: str) -> str | None:
        """A pseudo parameter's value here; None for AWS::NoValue (the property is left out)."""
        p = self.place
        values = {
            "AWS::AccountId": p.account,
            "AWS::Region": p.region,
            "AWS::Partition": p.partition,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": self.name,
            "AWS::StackId": f"arn:{p.partition}:cloudformation:{p.region}:{p.account}:stack/{self.name}/id",
            "AWS::NoValue": None,
        }
        return values[name]

    def type_of(self, logical: str) -> str:
        return self.resources[logical]["Type"]

    def props(self, logical: str) -> dict[str, Any]:
        return self.resources[logical].get("Properties", {})

    NAME_PROPERTY: ClassVar[dict[str, str]] = {
        "AWS::S3::Bucket": "BucketName",
        "AWS::DynamoDB::Table": "TableName",
        "AWS::SQS::Queue": "QueueName",
        "AWS::SNS::Topic": "TopicName",
        "AWS::IAM::Role": "RoleName",
        "AWS::Lambda::Function": "FunctionName",
        "AWS::Events::Rule": "Name",
        "AWS::CloudWatch::Alarm": "AlarmName",
    }

    @cache  # noqa: B019 (one Stack per session)
    def physical_name(self, logical: str) -> str:
        prop = self.NAME_PROPERTY.get(self.type_of(logical))
        if prop and prop in self.props(logical):
            return str(self.resolve(self.props(logical)[prop]))
        name = f"{self.name}-{logical}"
        return name.lower()[:63] if self.type_of(logical) == "AWS::S3::Bucket" else name

    def ref(self, logical: str) -> Any:
        if logical.startswith("AWS::"):
            return self.pseudo(logical)
        if logical in self.template.get("Parameters", {}):
            return self.template["Parameters"][logical].get("Default", logical)
        kind = self.type_of(logical)
        if kind == "AWS::SQS::Queue":
            return f"https://sqs.{self.place.region}.amazonaws.com/{self.place.account}/{self.physical_name(logical)}"
        if kind == "AWS::SNS::Topic":
            return self.getatt(logical, "TopicArn")
        if kind == "AWS::Cognito::UserPool":
            return f"{self.place.region}_{logical}"
        if kind in self.NAME_PROPERTY:
            return self.physical_name(logical)
        return logical

    def getatt(self, logical: str, attribute: str) -> Any:
        kind, p, name = self.type_of(logical), self.place, self.physical_name(logical)
        regional = lambda service, resource: f"arn:{p.partition}:{service}:{p.region}:{p.account}:{resource}"  # noqa: E731
        arns = {
            "AWS::S3::Bucket": lambda: f"arn:{p.partition}:s3:::{name}",
            "AWS::DynamoDB::Table": lambda: regional("dynamodb", f"table/{name}"),
            "AWS::SQS::Queue": lambda: regional("sqs", name),
            "AWS::SNS::Topic": lambda: regional("sns", name),
            "AWS::IAM::Role": lambda: f"arn:{p.partition}:iam::{p.account}:role/{name}",
            "AWS::Lambda::Function": lambda: regional("lambda", f"function:{name}"),
            "AWS::Events::Rule": lambda: regional("events", f"rule/{name}"),
            "AWS::CloudWatch::Alarm": lambda: regional("cloudwatch", f"alarm:{name}"),
            "AWS::Logs::LogGroup": lambda: regional("logs", f"log-group:{name}:*"),
            "AWS::Cognito::UserPool": lambda: regional("cognito-idp", f"userpool/{self.ref(logical)}"),
        }
        if attribute in ("Arn", "TopicArn") and kind in arns:
            return arns[kind]()
        if attribute == "StreamArn" and kind == "AWS::DynamoDB::Table":  # the stream's label is a time: a fixed one here
            return regional("dynamodb", f"table/{name}/stream/2026-01-01T00:00:00.000")
        if attribute == "QueueUrl":
            return self.ref(logical)
        if attribute in ("QueueName", "TopicName"):
            return name
        if kind == "AWS::S3::Bucket" and attribute.endswith("DomainName"):
            return f"{name}.s3.{p.region}.amazonaws.com"
        return f"{logical}.{attribute}"

    # -- what the template wires
    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: r for k, r in self.resources.items() if r["Type"] == kind}

    def functions(self) -> dict[str, Function]:
        found = {}
        for logical, r in self.of_type("AWS::Lambda::Function").items():
            handler = r["Properties"].get("Handler", "")
            if not handler.startswith("oneway.handlers."):
                continue
            key = handler.split(".")[2]
            role = r["Properties"]["Role"]["Fn::GetAtt"][0]
            env = self.resolve(r["Properties"].get("Environment", {}).get("Variables", {}))
            found[key] = Function(key, logical, self.getatt(logical, "Arn"), role, env)
        return found

    def role_by_arn(self, arn: str) -> str | None:
        return next((k for k in self.of_type("AWS::IAM::Role") if self.getatt(k, "Arn") == arn), None)

    def permission_statements(self, role_id: str) -> list[dict[str, Any]]:
        statements = []
        for r in self.of_type("AWS::IAM::Policy").values():
            if {"Ref": role_id} in r["Properties"].get("Roles", []):
                statements += as_list(self.resolve(r["Properties"]["PolicyDocument"])["Statement"])
        for policy in self.props(role_id).get("Policies", []):
            statements += as_list(self.resolve(policy["PolicyDocument"])["Statement"])
        if self.props(role_id).get("ManagedPolicyArns"):
            raise NotImplementedError(f"{role_id} has managed policies, which the template does not hold")
        return statements

    def trust_statements(self, role_id: str) -> list[dict[str, Any]]:
        return as_list(self.resolve(self.props(role_id)["AssumeRolePolicyDocument"])["Statement"])

    @cached_property
    def resource_policies(self) -> dict[str, list[dict[str, Any]]]:
        """Statements by the ARN they protect: buckets (with their objects), queues, topics, functions, tables."""
        found: dict[str, list[dict[str, Any]]] = {}
        p = self.place
        for r in self.of_type("AWS::S3::BucketPolicy").values():
            bucket = self.resolve(r["Properties"]["Bucket"])
            found.setdefault(f"arn:{p.partition}:s3:::{bucket}", []).extend(as_list(self.resolve(r["Properties"]["PolicyDocument"])["Statement"]))
        for kind, key, to_arn in (
            ("AWS::SQS::QueuePolicy", "Queues", lambda url: f"arn:{p.partition}:sqs:{p.region}:{url.rsplit('/', 2)[-2]}:{url.rsplit('/', 1)[-1]}"),
            ("AWS::SNS::TopicPolicy", "Topics", lambda arn: arn),
        ):
            for r in self.of_type(kind).values():
                statements = as_list(self.resolve(r["Properties"]["PolicyDocument"])["Statement"])
                for target in self.resolve(r["Properties"][key]):
                    found.setdefault(to_arn(target), []).extend(statements)
        # A table's resource policy, where "*" stands for the table itself.
        # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html
        for logical, r in self.of_type("AWS::DynamoDB::Table").items():
            policy = r["Properties"].get("ResourcePolicy")
            if policy:
                arn = f"arn:{p.partition}:dynamodb:{p.region}:{p.account}:table/{self.physical_name(logical)}"
                found.setdefault(arn, []).extend(as_list(self.resolve(policy["PolicyDocument"])["Statement"]))
        for r in self.of_type("AWS::Lambda::Permission").values():
            props = self.resolve(r["Properties"])
            function = props["FunctionName"]
            arn = function if function.startswith("arn:") else f"arn:{p.partition}:lambda:{p.region}:{p.account}:function:{function}"
            principal = props["Principal"]
            statement: dict[str, Any] = {
                "Effect": "Allow",
                "Principal": {"Service": principal} if principal.endswith(".amazonaws.com") else {"AWS": principal},
                "Action": props["Action"],
                "Resource": arn,
            }
            condition: dict[str, Any] = {}
            if "SourceArn" in props:
                condition["ArnLike"] = {"aws:SourceArn": props["SourceArn"]}
            if "SourceAccount" in props:
                condition["StringEquals"] = {"aws:SourceAccount": props["SourceAccount"]}
            if condition:
                statement["Condition"] = condition
            found.setdefault(arn, []).append(statement)
        return found

    def resource_statements(self, resource: str) -> list[dict[str, Any]]:
        policies = self.resource_policies
        if resource.startswith(f"arn:{self.place.partition}:s3:::"):
            bucket = resource.split(":::", 1)[1].split("/", 1)[0]
            return policies.get(f"arn:{self.place.partition}:s3:::{bucket}", [])
        return policies.get(resource.split(":$", 1)[0], [])


# -- evaluation --------------------------------------------------------------------------------------


@cache
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex + r"\Z", re.IGNORECASE if ignore_case else 0)


def _matches(patterns: Any, value: str, ignore_case: bool = False) -> bool:
    return any(_glob(str(p), ignore_case).match(value) for p in as_list(patterns))


def _string_match(op: str, given: str, wanted: str) -> bool:
    if op in ("StringEquals", "ArnEquals"):
        return given == wanted
    if op == "StringEqualsIgnoreCase":
        return given.lower() == wanted.lower()
    if op in ("StringLike", "ArnLike"):
        return bool(_glob(wanted, False).match(given))
    if op == "Bool":
        return given.lower() == wanted.lower()
    raise NotImplementedError(f"condition operator {op}")


NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


KNOWN_OPERATORS = {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool", "Null", *NEGATED}


def condition_holds(condition: dict[str, Any], context: dict[str, list[str]]) -> bool:
    ctx = {k.lower(): [str(v) for v in vs] for k, vs in context.items()}
    for operator, tests in condition.items():
        quantifier, _, op = operator.rpartition(":")
        if_exists = op.endswith("IfExists")
        op = op.removesuffix("IfExists")
        if op not in KNOWN_OPERATORS:
            raise NotImplementedError(f"condition operator {operator}")
        for key, values in tests.items():
            wanted = [str(w).lower() if isinstance(w, bool) else str(w) for w in as_list(values)]
            given = ctx.get(key.lower())
            if op == "Null":
                if (given is None) != (wanted[0].lower() == "true"):
                    return False
                continue
            if given is None:
                if if_exists or op in NEGATED or quantifier == "ForAllValues":
                    continue
                return False
            base = NEGATED.get(op, op)
            if quantifier == "ForAllValues":
                ok = all(any(_string_match(base, g, w) for w in wanted) for g in given)
            elif quantifier in ("ForAnyValue", ""):
                ok = any(any(_string_match(base, g, w) for w in wanted) for g in given)
            else:
                raise NotImplementedError(f"condition set operator {quantifier}")
            if op in NEGATED:
                ok = not ok
            if not ok:
                return False
    return True


@dataclass(frozen=True)
class Principal:
    """A role of the stack (``arn``) or an AWS service (``service``), with the context it brings."""

    arn: str = ""
    service: str = ""
    account: str = ""
    context: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __str__(self) -> str:
        return self.service or self.arn


def principal_matches(statement: dict[str, Any], who: Principal, *, for_deny: bool) -> bool:
    if "NotPrincipal" in statement:
        raise NotImplementedError("NotPrincipal")
    principal = statement.get("Principal")
    if principal == "*" or principal == {"AWS": "*"}:
        return True
    if not isinstance(principal, dict):
        return False
    if who.service:
        return who.service in as_list(principal.get("Service", []))
    names = [str(a) for a in as_list(principal.get("AWS", []))]
    if who.arn in names:
        return True
    # The account as principal delegates to the account's own policies: it denies, it does not allow.
    return for_deny and any(n in (who.account, f"arn:aws:iam::{who.account}:root") for n in names)


def statement_applies(statement: dict[str, Any], request: Request, context: dict[str, list[str]]) -> bool:
    action_ok = _matches(statement["Action"], request.action, True) if "Action" in statement else not _matches(statement["NotAction"], request.action, True)
    if not action_ok:
        return False
    if "Resource" in statement:
        if not _matches(statement["Resource"], request.resource):
            return False
    elif "NotResource" in statement and _matches(statement["NotResource"], request.resource):
        return False
    return condition_holds(statement.get("Condition", {}), context)


@dataclass
class Decision:
    allowed: bool
    by: dict[str, Any] | None = None
    denied_by: dict[str, Any] | None = None
    context: dict[str, list[str]] = field(default_factory=dict)


def evaluate(who: Principal, request: Request, identity: list[dict[str, Any]], resource: list[dict[str, Any]]) -> Decision:
    context = {"aws:SecureTransport": ["true"], **{k: list(v) for k, v in who.context}, **request.context_dict}
    if who.arn:
        context |= {"aws:PrincipalArn": [who.arn], "aws:PrincipalAccount": [who.account]}
    for statements, is_resource in ((identity, False), (resource, True)):
        for st in statements:
            if st.get("Effect") == "Deny" and (not is_resource or principal_matches(st, who, for_deny=True)) and statement_applies(st, request, context):
                return Decision(False, denied_by=st, context=context)
    for statements, is_resource in ((identity, False), (resource, True)):
        for st in statements:
            if st.get("Effect") == "Allow" and (not is_resource or principal_matches(st, who, for_deny=False)) and statement_applies(st, request, context):
                return Decision(True, by=st, context=context)
    return Decision(False, context=context)


def missing_statement(request: Request, context: dict[str, list[str]]) -> dict[str, Any]:
    """The statement that would allow ``request``: what a denial names."""
    statement: dict[str, Any] = {"Effect": "Allow", "Action": request.action, "Resource": request.resource}
    if request.context:
        statement["Condition"] = {"StringEquals (request context)": {k: v[0] if len(v) == 1 else v for k, v in request.context_dict.items()}}
    return statement
