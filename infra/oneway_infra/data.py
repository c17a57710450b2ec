"""The DynamoDB tables: Oneway's state (single-table design) and its audit log, apart.

Keys of both, and the indexes' names, in functions/oneway/adapters/dynamo/keys.py; every query and the index it
uses in docs/architecture.md (access patterns).

The audit log has a table of its own so that no function can change it: the functions that write it
hold dynamodb:PutItem alone on it (and the API, which shows it to admins, dynamodb:Query), never
UpdateItem, DeleteItem or BatchWriteItem; each entry's key ends in a random id and is written with a
condition that refuses an existing key. IAM has no condition key that could require that condition
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html), so the
table's resource policy adds what IAM cannot: it denies changing or deleting an entry to every
principal, the account's administrators included, for as long as the policy stands (removing it is a
deliberate, CloudTrail-logged act). Deletion protection and point-in-time recovery as on the main table.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from oneway.adapters.dynamo.keys import INDEX_ATTRIBUTES

from . import checkov

# name -> (partition key, sort key); every key attribute is a string. The names say what each index serves:
# byToken: a hashed token to the candidate or share link it opens; byOwner: the lists of an owner (an interview's
# candidates and ratings, an organization's members, a reviewer's assignments, a member's share links, loose
# question videos); byDue: sparse work queues by time (media still processing, retention, reminders, webhook
# deliveries and outbox messages due, erasure sweeps).
INDEXES: dict[str, tuple[str, str]] = {name: (f"{p}pk", f"{p}sk") for name, p in INDEX_ATTRIBUTES.items()}

# What no principal may do to an audit entry (the audit table's resource policy).
AUDIT_DENIED_ACTIONS = [
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
]

# Read and write, item by item or by query. No Scan: no operation scans the
# table (every request costs a bounded number of reads). Transactions are
# authorized through these same actions.
READ_WRITE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
]


# What the public API function does with the table (candidate routes, share links): reads, puts, updates (a
# take, a rate counter, a share link's views), transactions of those; never a delete (the IAM contract test
# records its calls: tests/contract).
PUBLIC_TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
]
# What the deliver function does with it: read an outbox message, a webhook and what is due, and save (a
# conditional put) the message's try and a webhook delivery.
DELIVER_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"]


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        string = dynamodb.AttributeType.STRING
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name="pk", type=string),
            sort_key=dynamodb.Attribute(name="sk", type=string),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            time_to_live_attribute="ttl",
            # Every write's new image, for the outbox's consumer (delivery.py): a stream costs nothing to keep,
            # and Lambda's reads of it are free. https://aws.amazon.com/dynamodb/pricing/on-demand/
            stream=dynamodb.StreamViewType.NEW_IMAGE,
            # Retain, not RETAIN_ON_UPDATE_OR_DELETE: deletion protection refuses the delete that a rolled
            # back first creation would attempt, and the table's generated name blocks no retry.
            removal_policy=RemovalPolicy.RETAIN,
        )
        # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
        checkov.skip(
            self.table,
            "CKV_AWS_119",
            "Encrypted at rest with the AWS managed key aws/dynamodb; a customer managed key adds a monthly fee "
            "and a key policy to operate and no access boundary the functions' least-privilege roles lack.",
        )
        for name, (pk, sk) in INDEXES.items():
            self.table.add_global_secondary_index(
                index_name=name,
                partition_key=dynamodb.Attribute(name=pk, type=string),
                sort_key=dynamodb.Attribute(name=sk, type=string),
                projection_type=dynamodb.ProjectionType.ALL,
            )

        self.audit = dynamodb.Table(
            self,
            "AuditTable",
            partition_key=dynamodb.Attribute(name="pk", type=string),
            sort_key=dynamodb.Attribute(name="sk", type=string),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            removal_policy=RemovalPolicy.RETAIN,
            resource_policy=iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        sid="AuditEntriesAreNeverChanged",
                        effect=iam.Effect.DENY,
                        principals=[iam.AnyPrincipal()],
                        actions=AUDIT_DENIED_ACTIONS,
                        # In a table's resource policy "*" is the table itself.
                        resources=["*"],
                    )
                ]
            ),
        )
        checkov.skip(
            self.audit,
            "CKV_AWS_119",
            "Encrypted at rest with the AWS managed key aws/dynamodb, as the main table; a customer managed key adds "
            "a monthly fee and a key policy, and the entries hold ids and action names, no personal data.",
        )

    def grant_audit_append(self, grantee: iam.IGrantable) -> None:
        """PutItem alone on the audit table: add an entry, never change or delete one."""
        grantee.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(sid="AuditAppend", actions=["dynamodb:PutItem"], resources=[self.audit.table_arn])
        )

    def grant_audit_read(self, grantee: iam.IGrantable) -> None:
        """Query on the audit table: one organization's month at a time (admins read it in the review site)."""
        grantee.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(sid="AuditRead", actions=["dynamodb:Query"], resources=[self.audit.table_arn])
        )

    def grant_read_write(self, grantee: iam.IGrantable, actions: list[str] = READ_WRITE_ACTIONS) -> None:
        """Item reads and writes (``actions``) on the table and its three indexes, named one by one (no wildcard)."""
        arn = self.table.table_arn
        grantee.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(
                sid="TableReadWrite",
                actions=actions,
                resources=[arn, *(f"{arn}/index/{name}" for name in INDEXES)],
            )
        )
