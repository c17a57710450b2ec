"""Create what the CDK app creates on AWS, inside the embedded AWS. Safe to run again."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel

from ..adapters.dynamo import AUDIT_TABLE_DEFINITION, TABLE_DEFINITION
from ..config import Settings
from ..domain.models import Role
from ..ports import Ports
from ..service import identity


def _indexes_as_declared(ddb, table_name: str, present: set[str]) -> None:
    """A table saved by a version whose indexes had other names gets today's (one change per UpdateTable call:
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html)."""
    declared = {i["IndexName"]: i for i in TABLE_DEFINITION["GlobalSecondaryIndexes"]}
    for name in present - declared.keys():
        ddb.update_table(TableName=table_name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": name}}])
    for name in declared.keys() - present:
        ddb.update_table(
            TableName=table_name,
            AttributeDefinitions=TABLE_DEFINITION["AttributeDefinitions"],
            GlobalSecondaryIndexUpdates=[{"Create": declared[name]}],
        )


POOL_NAME = "oneway-local"
CLIENT_NAME = "oneway-site"
UPLOADS_QUEUE = "oneway-uploads"
MEDIA_QUEUE = "oneway-local-media"
OUTBOX_DEAD_LETTERS = "oneway-outbox-dead-letters"
DEMO_ORG_ID = "demo"


class LocalStack(BaseModel):
    user_pool_id: str
    user_pool_client_id: str
    uploads_queue_url: str
    media_queue_url: str
    outbox_dead_letters_url: str = ""
    stream_arn: str = ""


def provision(clients: Any, s: Settings, site_origin: str) -> LocalStack:
    """``clients(name)`` gives a boto3 client bound to the embedded AWS."""
    ddb, s3, sqs, idp, ses = (clients(n) for n in ("dynamodb", "s3", "sqs", "cognito-idp", "ses"))

    tables = ddb.list_tables()["TableNames"]
    if s.table_name not in tables:
        ddb.create_table(TableName=s.table_name, **TABLE_DEFINITION)
    if s.audit_table_name not in tables:
        ddb.create_table(TableName=s.audit_table_name, **AUDIT_TABLE_DEFINITION)
    table = ddb.describe_table(TableName=s.table_name)["Table"]
    if not table.get("StreamSpecification", {}).get("StreamEnabled"):  # a table saved by a version before the outbox
        table = ddb.update_table(TableName=s.table_name, StreamSpecification=TABLE_DEFINITION["StreamSpecification"])["TableDescription"]
    _indexes_as_declared(ddb, s.table_name, {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])})

    uploads_queue = sqs.create_queue(QueueName=UPLOADS_QUEUE)["QueueUrl"]
    media_queue = sqs.create_queue(QueueName=MEDIA_QUEUE, Attributes={"VisibilityTimeout": "600"})["QueueUrl"]
    dead_letters = sqs.create_queue(QueueName=OUTBOX_DEAD_LETTERS)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=uploads_queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket, methods in ((s.uploads_bucket, ["PUT", "GET", "HEAD"]), (s.media_bucket, ["GET", "HEAD"])):
        if bucket not in existing:
            s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        )
        s3.put_bucket_cors(
            Bucket=bucket,
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedOrigins": [site_origin],
                        "AllowedMethods": methods,
                        "AllowedHeaders": ["*"],
                        "ExposeHeaders": ["ETag"],
                        "MaxAgeSeconds": 3000,
                    }
                ]
            },
        )
    s3.put_bucket_notification_configuration(
        Bucket=s.uploads_bucket,
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]},
    )

    with contextlib.suppress(ClientError):
        ses.verify_email_identity(EmailAddress=s.mail_from)

    pools = [p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == POOL_NAME]
    if pools:
        pool_id = pools[0]["Id"]
    else:
        pool_id = idp.create_user_pool(
            PoolName=POOL_NAME,
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            MfaConfiguration="OPTIONAL",
            Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True}},
        )["UserPool"]["Id"]
    # As on AWS: optional MFA with TOTP (authenticator apps); an organization may require it of its members.
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL")
    clients_list = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client = next((c for c in clients_list if c["ClientName"] == CLIENT_NAME), None)
    client_id = (
        client["ClientId"]
        if client
        else idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=CLIENT_NAME,
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            # As the deployed app client (infra/oneway_infra/auth.py): the site revokes its refresh token at sign-out.
            EnableTokenRevocation=True,
            RefreshTokenValidity=12,
            TokenValidityUnits={"RefreshToken": "hours"},
        )["UserPoolClient"]["ClientId"]
    )
    return LocalStack(
        user_pool_id=pool_id,
        user_pool_client_id=client_id,
        uploads_queue_url=uploads_queue,
        media_queue_url=media_queue,
        outbox_dead_letters_url=dead_letters,
        stream_arn=table["LatestStreamArn"],
    )


def ensure_user(idp: Any, pool_id: str, email: str, password: str) -> str:
    """Create (or reset) a confirmed Cognito user; return its ``sub``."""
    with contextlib.suppress(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            MessageAction="SUPPRESS",
        )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    user = idp.admin_get_user(UserPoolId=pool_id, Username=email)
    return next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")


def ensure_demo(p: Ports, idp: Any, pool_id: str, email: str, password: str, org_name: str = "Demo Company") -> str:
    """The demo organization and its recruiter (an admin), ready to sign in."""
    sub = ensure_user(idp, pool_id, email, password)
    if p.store.get_organization(DEMO_ORG_ID) is None:
        identity.create_organization(p, org_name, org_id=DEMO_ORG_ID)
    if p.store.get_member(sub) is None:
        identity.add_member(p, DEMO_ORG_ID, sub, email, Role.admin)
    return sub


def config_json(s: Settings, stack: LocalStack, api_url: str, aws_endpoint: str) -> str:
    return json.dumps(
        {
            "apiUrl": api_url,
            "region": s.region,
            "userPoolId": stack.user_pool_id,
            "userPoolClientId": stack.user_pool_client_id,
            "cognitoEndpoint": aws_endpoint,
            # moto verifies the password only with USER_PASSWORD_AUTH (its SRP accepts any proof).
            "authFlow": "USER_PASSWORD_AUTH",
            "stage": "local",
        }
    )
