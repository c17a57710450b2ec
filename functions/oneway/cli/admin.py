"""Members of a deployment, made from the command line: the first admin and anyone after.

A ``Deployment`` says where the user pool and the table are: the local stack's
embedded AWS (``make dev``), or a CloudFormation stack's outputs on AWS.
``create_user`` makes the Cognito user, the organization if it is new, and the
membership, through the same use cases the API uses (``service/identity.py``)
and the real DynamoDB adapter. ``remove_user`` removes a leaver as an admin does
in the review site (signed out everywhere, account disabled and deleted,
assignments dropped, share links revoked). ``remove_organization`` undoes it all: every
candidate erased as on request (``service/privacy.py``), every item of the
organization deleted, its members' Cognito users removed.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import string
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..adapters.clock import SystemClock
from ..adapters.cognito import CognitoDirectory
from ..adapters.dynamo import DynamoStore
from ..adapters.s3 import S3Objects
from ..config import Settings
from ..domain.errors import OnewayError
from ..domain.models import Actor, Organization, Role
from ..ports import Ports
from ..service import audit, identity, privacy

LOCAL_HOST = "127.0.0.1"
LOCAL_AWS_PORT = 8001
LOCAL_PORT = 8000
# The user pool that the local stack provisions (functions/oneway/local/provision.py).
LOCAL_POOL_NAME = "oneway-local"
OUTPUT_USER_POOL = "UserPoolId"
OUTPUT_TABLE = "TableName"
OUTPUT_RETENTION = "RetentionDays"
OUTPUT_SITE = "SiteUrl"
OUTPUT_UPLOADS = "UploadsBucketName"
OUTPUT_MEDIA = "MediaBucketName"
OUTPUT_AUDIT_TABLE = "AuditTableName"
# Who adds members and erases candidates, in the audit log, when the command line does it.
CLI_ACTOR = "oneway:cli"


class AdminError(Exception):
    """Something the person at the keyboard can fix; the message says how."""


@dataclass(frozen=True)
class Deployment:
    """Where the CLI acts: a user pool and a table, and how to reach them."""

    description: str
    user_pool_id: str
    table_name: str
    retention_days: int
    region: str
    endpoint_url: str | None = None  # the local stack's embedded AWS
    site_url: str | None = None  # where the site and its /config.json are served
    uploads_bucket: str | None = None
    media_bucket: str | None = None
    audit_table_name: str = ""  # the audit log's table (a stack output); empty: the CLI cannot audit

    @property
    def local(self) -> bool:
        return self.endpoint_url is not None

    def client(self, service: str) -> Any:
        import boto3

        # boto3-stubs types client() per literal service name; here the service is a parameter.
        if self.local:  # moto accepts any credentials; never use the machine's real ones here
            return boto3.client(  # type: ignore[call-overload]
                service, region_name=self.region, endpoint_url=self.endpoint_url,
                aws_access_key_id="local", aws_secret_access_key="local",
            )
        return boto3.client(service, region_name=self.region)  # type: ignore[call-overload]


def local_deployment(aws_port: int | None = None, site_url: str | None = None) -> Deployment:
    """The local stack (``make dev``): its embedded AWS on ``ONEWAY_AWS_PORT`` (8001), its site on ``ONEWAY_PORT`` (8000)."""
    import boto3
    from botocore.exceptions import EndpointConnectionError

    port = aws_port or int(os.environ.get("ONEWAY_AWS_PORT") or LOCAL_AWS_PORT)
    endpoint = f"http://{LOCAL_HOST}:{port}"
    settings = Settings()
    region = os.environ.get("AWS_REGION") or settings.region
    idp = boto3.client(
        "cognito-idp", region_name=region, endpoint_url=endpoint, aws_access_key_id="local", aws_secret_access_key="local"
    )
    try:
        pools = idp.list_user_pools(MaxResults=60)["UserPools"]
    except EndpointConnectionError:
        raise AdminError(f"nothing answers at {endpoint}: start the local stack with `make dev`") from None
    pool = next((p for p in pools if p["Name"] == LOCAL_POOL_NAME), None)
    if pool is None:
        raise AdminError(f"the embedded AWS at {endpoint} has no Oneway user pool: start it with `make dev`")
    return Deployment(
        description=f"the local stack at {endpoint}",
        user_pool_id=pool["Id"],
        table_name=settings.table_name,
        retention_days=settings.retention_days,
        region=region,
        endpoint_url=endpoint,
        site_url=site_url or f"http://{LOCAL_HOST}:{int(os.environ.get('ONEWAY_PORT') or LOCAL_PORT)}",
        uploads_bucket=settings.uploads_bucket,
        media_bucket=settings.media_bucket,
        audit_table_name=settings.audit_table_name,
    )


def stack_deployment(stack_name: str, cloudformation: Any = None, region: str | None = None) -> Deployment:
    """A deployed stack, found by name: the user pool and table from its outputs."""
    from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError

    try:
        if cloudformation is None:
            import boto3

            cloudformation = boto3.client("cloudformation", region_name=region)
        region = cloudformation.meta.region_name
        stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    except NoRegionError:
        raise AdminError("no AWS region: pass --region or set AWS_REGION") from None
    except NoCredentialsError:
        raise AdminError("no AWS credentials: sign in (aws sso login, AWS_PROFILE=...) or use --local") from None
    except ClientError as err:
        if "does not exist" in str(err):
            raise AdminError(
                f"no CloudFormation stack {stack_name!r} in {region}: deploy with `make deploy`, "
                "or name the stack (--stack) and its region (--region)"
            ) from None
        raise
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    missing = [k for k in (OUTPUT_USER_POOL, OUTPUT_TABLE) if k not in outputs]
    if missing:
        raise AdminError(f"stack {stack_name!r} has no output {', '.join(missing)}: is it a Oneway stack?")
    return Deployment(
        description=f"stack {stack_name} in {region}",
        user_pool_id=outputs[OUTPUT_USER_POOL],
        table_name=outputs[OUTPUT_TABLE],
        retention_days=int(outputs.get(OUTPUT_RETENTION) or Settings().retention_days),
        region=region,
        site_url=outputs.get(OUTPUT_SITE),
        uploads_bucket=outputs.get(OUTPUT_UPLOADS),
        media_bucket=outputs.get(OUTPUT_MEDIA),
        audit_table_name=outputs.get(OUTPUT_AUDIT_TABLE, ""),
    )


def org_id_for(name: str) -> str:
    """A stable organization id from its name ("Acme Corp" -> "acme-corp"), so a second run finds it."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return slug or "org-" + hashlib.sha256(name.encode()).hexdigest()[:12]


def generate_password(length: int = 20) -> str:
    """A random password that meets the pool's policy (12+ characters, all four classes)."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!#%+-.:=?@_"]
    chars = [secrets.choice(c) for c in classes]
    chars += [secrets.choice("".join(classes)) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@dataclass(frozen=True)
class Outcome:
    user_id: str
    email: str
    org_id: str
    org_name: str
    role: str
    new_user: bool
    new_org: bool
    new_member: bool
    # The password to hand over (generated on the local stack, or the one given); None when
    # Cognito emailed a temporary one or the user existed already.
    password: str | None
    emailed: bool


class _Absent:
    """A port the admin use cases never reach."""

    def __init__(self, what: str):
        self._what = what

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"the admin command line has no {self._what}")


def _ports(deployment: Deployment, *, directory: bool = False) -> Ports:
    settings = Settings(
        table_name=deployment.table_name, audit_table_name=deployment.audit_table_name, retention_days=deployment.retention_days
    )
    objects: Any = _Absent("object storage")
    if deployment.uploads_bucket and deployment.media_bucket:
        objects = S3Objects(
            deployment.client("s3"),
            uploads_bucket=deployment.uploads_bucket,
            media_bucket=deployment.media_bucket,
            presign_seconds=settings.presign_seconds,
            download_seconds=settings.download_seconds,
        )
    return Ports(
        settings=settings,
        store=DynamoStore(deployment.client("dynamodb"), deployment.table_name, deployment.audit_table_name),
        objects=objects,
        media=_Absent("media"),
        speech=_Absent("speech"),
        mailer=_Absent("mailer"),
        events=_Absent("events"),
        clock=SystemClock(),
        directory=CognitoDirectory(deployment.client("cognito-idp"), deployment.user_pool_id, email_by_cognito=not deployment.local)
        if directory
        else None,
    )


def _find_organization(p: Ports, org_name: str | None, org_id: str | None) -> tuple[str, Organization | None]:
    if org_id:
        org = p.store.get_organization(org_id)
        if org is None:
            raise AdminError(f"there is no organization {org_id!r}")
        return org_id, org
    if not org_name or not org_name.strip():
        raise AdminError("name the organization: --org NAME (new or existing) or --org-id ID (existing)")
    wanted = org_id_for(org_name)
    org = p.store.get_organization(wanted)
    if org is not None and org.name != org_name.strip():
        raise AdminError(f"organization id {wanted!r} belongs to {org.name!r}: join it with --org-id {wanted}")
    return wanted, org


def _cognito_user(idp: Any, deployment: Deployment, email: str, password: str | None) -> tuple[str, bool, str | None, bool]:
    """``(sub, created, password to hand over, emailed)``; an existing user is left as it is."""
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    pool = deployment.user_pool_id
    created, emailed = True, False
    try:
        if password is None and not deployment.local:
            # Cognito emails a temporary password; the user picks their own at the first sign-in.
            idp.admin_create_user(UserPoolId=pool, Username=email, UserAttributes=attributes, DesiredDeliveryMediums=["EMAIL"])
            emailed = True
        else:
            password = password or generate_password()
            idp.admin_create_user(UserPoolId=pool, Username=email, UserAttributes=attributes, MessageAction="SUPPRESS")
            try:
                idp.admin_set_user_password(UserPoolId=pool, Username=email, Password=password, Permanent=True)
            except idp.exceptions.InvalidPasswordException as err:
                idp.admin_delete_user(UserPoolId=pool, Username=email)
                raise AdminError(f"the password does not meet the pool's policy: {err.response['Error']['Message']}") from None
    except idp.exceptions.UsernameExistsException:
        created, password, emailed = False, None, False
    user = idp.admin_get_user(UserPoolId=pool, Username=email)
    sub = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
    return sub, created, password, emailed


def create_user(
    deployment: Deployment,
    *,
    email: str,
    org_name: str | None = None,
    org_id: str | None = None,
    role: Role = Role.admin,
    password: str | None = None,
) -> Outcome:
    """Make ``email`` a member of the organization (created if new) with ``role``. Safe to run again."""
    email = email.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise AdminError(f"{email!r} is not an email address")
    p = _ports(deployment)
    org_id, org = _find_organization(p, org_name, org_id)
    sub, new_user, shown_password, emailed = _cognito_user(deployment.client("cognito-idp"), deployment, email, password)

    member = p.store.get_member(sub)
    if member is not None and member.org_id != org_id:
        raise AdminError(f"{email} is a member of organization {member.org_id!r} already (one organization per user)")
    new_org, new_member = org is None, member is None
    if org is None:
        assert org_name  # _find_organization finds no organization only for a new name
        org = identity.create_organization(p, org_name.strip(), org_id=org_id)
    if member is None:
        member = identity.add_member(p, org.org_id, sub, email, role)
        audit.record(p, org.org_id, CLI_ACTOR, "member.added", sub, role=member.role.value)
    return Outcome(
        user_id=sub,
        email=email,
        org_id=org.org_id,
        org_name=org.name,
        role=str(member.role),
        new_user=new_user,
        new_org=new_org,
        new_member=new_member,
        password=shown_password,
        emailed=emailed,
    )


def move_audit(deployment: Deployment) -> int:
    """Move the audit entries an older version kept in the main table into the audit table; how many."""
    if not deployment.audit_table_name:
        raise AdminError(f"{deployment.description} has no audit table (output {OUTPUT_AUDIT_TABLE}): deploy this version first")
    store = DynamoStore(deployment.client("dynamodb"), deployment.table_name, deployment.audit_table_name)
    return store.move_legacy_audit()


@dataclass(frozen=True)
class MemberRemoval:
    email: str
    user_id: str
    org_id: str | None  # None: the account belonged to no organization (it is deleted all the same)
    assignments_dropped: int
    shares_revoked: int


def remove_user(deployment: Deployment, *, email: str) -> MemberRemoval:
    """Remove the member who signs in with ``email``, as an admin would in the review site; an account that
    belongs to no organization is signed out, disabled and deleted. The organization's last admin stays."""
    email = email.strip().lower()
    p = _ports(deployment, directory=True)
    assert p.directory is not None
    user_id = p.directory.find_user(email)
    if user_id is None:
        raise AdminError(f"no account signs in with {email} in {deployment.description}")
    member = p.store.get_member(user_id)
    if member is None:
        for step in (p.directory.sign_out_everywhere, p.directory.disable_user, p.directory.delete_user):
            step(user_id)
        return MemberRemoval(email=email, user_id=user_id, org_id=None, assignments_dropped=0, shares_revoked=0)
    try:
        removed = identity.remove(p, member.org_id, user_id, by=CLI_ACTOR)
    except OnewayError as err:
        raise AdminError(err.message) from None
    return MemberRemoval(
        email=email,
        user_id=user_id,
        org_id=member.org_id,
        assignments_dropped=removed.assignments_dropped,
        shares_revoked=removed.shares_revoked,
    )


@dataclass(frozen=True)
class Removal:
    candidates: int  # erased as on request: their objects (every version) and items
    items: int  # the organization's own items: itself, interviews, members, audit log...
    users: int  # Cognito users of its members


def remove_organization(deployment: Deployment, org_id: str, *, since: date | None = None) -> Removal:
    """Remove an organization and everything in it; its members' Cognito users too (a user belongs to one
    organization). ``since``: the first month of its audit log (default: the organization's creation).
    Safe to run again: what is gone already is skipped."""
    if not (deployment.uploads_bucket and deployment.media_bucket):
        raise AdminError(f"{deployment.description} does not name its buckets: cannot erase candidates' recordings")
    p = _ports(deployment)
    store: DynamoStore = p.store  # type: ignore[assignment]
    org = store.get_organization(org_id)
    today = p.clock.now().date()
    since = since or (org.created_at.date() if org else today)
    actor = Actor(user_id=CLI_ACTOR, org_id=org_id, email="", role=Role.admin)
    candidates = 0
    for item in store.organization_items(org_id, since, today):
        if item.get("type") == "Candidate":
            privacy.erase_candidate(p, actor, item["candidate_id"])
            candidates += 1
    members = [i for i in store.organization_items(org_id, since, today) if i.get("type") == "Member"]
    items = store.delete_organization(org_id, since, today)
    idp, users = deployment.client("cognito-idp"), 0
    for member in members:
        try:
            idp.admin_delete_user(UserPoolId=deployment.user_pool_id, Username=member["email"])
            users += 1
        except idp.exceptions.UserNotFoundException:
            pass
    return Removal(candidates=candidates, items=items, users=users)
