"""cdk-nag acknowledgments, one reason each.

cdk-nag 3 reads acknowledgments recorded with CDK's own
``Validations.of(scope).acknowledge(...)``. A finding id is the rule id, and for
rules that report several findings on one resource (IAM4, IAM5) the finding in
brackets, e.g. ``AwsSolutions-IAM5[Resource::<UploadsBucket1234.Arn>/org/*]``.
Tokens in a finding are written as ``<LogicalId.Attribute>``; ``ref`` builds that
text from a construct, so acknowledgments survive renames of logical ids.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations
from constructs import IConstruct


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))


def logical_id(construct: IConstruct) -> str:
    """The CloudFormation logical id of a construct or of its default child."""
    element = construct if isinstance(construct, CfnElement) else construct.node.default_child
    if not isinstance(element, CfnElement):
        raise TypeError(f"{construct.node.path} has no CloudFormation element")
    stack = Stack.of(element)
    return stack.resolve(element.logical_id)


def ref(construct: IConstruct, attribute: str = "Arn") -> str:
    """How cdk-nag writes ``Fn::GetAtt`` of ``construct`` in a finding id."""
    return f"<{logical_id(construct)}.{attribute}>"
