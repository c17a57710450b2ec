"""The one DynamoDB table (single-table design, keys in functions/oneway/adapters/dynamo.py)."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from . import checkov

# name -> (partition key, sort key); every key attribute is a string.
INDEXES: dict[str, tuple[str, str]] = {
    "byToken": ("gsi1pk", "gsi1sk"),  # invitation token hash -> candidate
    "byInterview": ("gsi2pk", "gsi2sk"),  # candidates of an interview by status and time
    "byProcessing": ("gsi3pk", "gsi3sk"),  # media job id -> answer; unfinished jobs for the reconciler
}

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

    def grant_read_write(self, grantee: iam.IGrantable) -> None:
        """Item reads and writes on the table and its three indexes, named one by one (no wildcard)."""
        arn = self.table.table_arn
        grantee.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(
                sid="TableReadWrite",
                actions=READ_WRITE_ACTIONS,
                resources=[arn, *(f"{arn}/index/{name}" for name in INDEXES)],
            )
        )
