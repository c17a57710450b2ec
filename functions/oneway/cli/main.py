"""`oneway`: administer a Oneway deployment from the command line.

    oneway admin create-user --email boss@acme.example --org "Acme" [--role admin] [--password P]
        [--local [--aws-port 8001] | --stack oneway [--region eu-west-1]] [--json]
    oneway admin remove-user --email leaver@acme.example
        [--local [--aws-port 8001] | --stack oneway [--region eu-west-1]] [--json]
    oneway admin move-audit [--local [--aws-port 8001] | --stack oneway [--region eu-west-1]]
    oneway smoke [--local [--url http://127.0.0.1:8000] [--aws-port 8001] | --stack oneway [--region eu-west-1]]
        [--timeout 600] [--sample answer.webm]

The target is the local stack with --local (or when ONEWAY_AWS_PORT is set and no
--stack is given), else the CloudFormation stack named by --stack (default
"oneway", the default stack prefix) in the region of your AWS configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from ..domain.models import Role
from . import sample_answer
from .admin import (
    AdminError,
    Deployment,
    MemberRemoval,
    Outcome,
    create_user,
    local_deployment,
    move_audit,
    remove_user,
    stack_deployment,
)

DEFAULT_STACK = "oneway"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="oneway", description="Administer a Oneway deployment.")
    commands = ap.add_subparsers(dest="area", required=True)
    admin = commands.add_parser("admin", help="members and organizations").add_subparsers(dest="command", required=True)

    create = admin.add_parser(
        "create-user",
        help="make a Cognito user a member of an organization (the organization is created if new)",
        description="Create a recruiter account: the Cognito user, the organization if it is new, the membership. "
        "Safe to run again. On AWS, Cognito emails a temporary password unless --password is given.",
    )
    create.add_argument("--email", required=True, help="the person's email address (their sign-in name)")
    org = create.add_mutually_exclusive_group(required=True)
    org.add_argument("--org", metavar="NAME", help="the organization's name; created if there is none of that name")
    org.add_argument("--org-id", metavar="ID", help="an existing organization's id")
    create.add_argument(
        "--role", choices=[r.value for r in Role], default=Role.admin.value, help="the member's role (default: admin)"
    )
    create.add_argument(
        "--password",
        help="a permanent password to set (else: Cognito emails a temporary one on AWS; one is generated locally)",
    )
    target = create.add_mutually_exclusive_group()
    target.add_argument("--local", action="store_true", help="the local stack (make dev)")
    target.add_argument("--stack", help=f"the CloudFormation stack's name (default: {DEFAULT_STACK})")
    create.add_argument("--aws-port", type=int, help="the local stack's embedded AWS port (default: ONEWAY_AWS_PORT or 8001)")
    create.add_argument("--region", help="the stack's AWS region (default: your AWS configuration's)")
    create.add_argument("--json", action="store_true", help="print the outcome as JSON")

    remove = admin.add_parser(
        "remove-user",
        help="remove a member: signed out everywhere, account disabled and deleted, assignments and share links gone",
        description="Remove the member who signs in with this address, as an admin does in the review site: every "
        "session ends, the Cognito account is disabled and deleted, their reviewer assignments are dropped and the "
        "share links they made revoked; their reviews and the audit log keep their id. The last admin stays.",
    )
    remove.add_argument("--email", required=True, help="the member's email address (their sign-in name)")
    where_to = remove.add_mutually_exclusive_group()
    where_to.add_argument("--local", action="store_true", help="the local stack (make dev)")
    where_to.add_argument("--stack", help=f"the CloudFormation stack's name (default: {DEFAULT_STACK})")
    remove.add_argument("--aws-port", type=int, help="the local stack's embedded AWS port (default: ONEWAY_AWS_PORT or 8001)")
    remove.add_argument("--region", help="the stack's AWS region (default: your AWS configuration's)")
    remove.add_argument("--json", action="store_true", help="print the outcome as JSON")
    moving = admin.add_parser(
        "move-audit",
        help="move audit entries of an older version from the main table into the audit table (once, after upgrading)",
        description="Versions before the audit table kept the audit log in the main table, where every function could "
        "change it. This moves each entry into the audit table (where nothing can) and removes it from the main table. "
        "Safe to run again.",
    )
    where_to = moving.add_mutually_exclusive_group()
    where_to.add_argument("--local", action="store_true", help="the local stack (make dev)")
    where_to.add_argument("--stack", help=f"the CloudFormation stack's name (default: {DEFAULT_STACK})")
    moving.add_argument("--aws-port", type=int, help="the local stack's embedded AWS port (default: ONEWAY_AWS_PORT or 8001)")
    moving.add_argument("--region", help="the stack's AWS region (default: your AWS configuration's)")

    smoke = commands.add_parser(
        "smoke",
        help="walk the whole contract against a deployment and give a verdict",
        description="Sign in as a temporary admin, create an interview, invite, upload a sample answer by presigned "
        "parts, wait for it to be ready with a transcript and captions, score, decide, erase, check nothing is left, "
        "then remove the temporary organization and admin. Exits 1 naming the step that failed.",
    )
    where = smoke.add_mutually_exclusive_group()
    where.add_argument("--local", action="store_true", help="the local stack (make dev)")
    where.add_argument("--stack", help=f"the CloudFormation stack's name (default: {DEFAULT_STACK})")
    smoke.add_argument("--region", help="the stack's AWS region (default: your AWS configuration's)")
    smoke.add_argument("--url", help="the local stack's site (default: http://127.0.0.1:ONEWAY_PORT or 8000)")
    smoke.add_argument("--aws-port", type=int, help="the local stack's embedded AWS port (default: ONEWAY_AWS_PORT or 8001)")
    smoke.add_argument(
        "--timeout", type=float, default=600.0, help="seconds to wait for the answer to be ready (default: 600)"
    )
    smoke.add_argument(
        "--sample", type=Path, default=sample_answer.PATH, help="the recording to upload (default: the shipped sample answer)"
    )
    return ap


def deployment_for(args: argparse.Namespace) -> Deployment:
    if args.local or (args.stack is None and os.environ.get("ONEWAY_AWS_PORT")):
        return local_deployment(args.aws_port)
    return stack_deployment(args.stack or DEFAULT_STACK, region=args.region)


def _report(deployment: Deployment, outcome: Outcome) -> str:
    lines = [f"Oneway: {deployment.description}"]
    lines.append(f"{'created' if outcome.new_user else 'found'} user {outcome.email} ({outcome.user_id})")
    lines.append(f"{'created' if outcome.new_org else 'found'} organization {outcome.org_name!r} ({outcome.org_id})")
    if outcome.new_member:
        lines.append(f"{outcome.email} is now {outcome.role} of {outcome.org_name}")
    else:
        lines.append(f"{outcome.email} was a member already ({outcome.role}); nothing changed")
    if outcome.emailed:
        lines.append(f"Cognito emailed a temporary password to {outcome.email}; they choose their own at the first sign-in")
    elif outcome.password:
        lines.append(f"password: {outcome.password}")
    return "\n".join(lines)


def _removal_report(deployment: Deployment, removed: MemberRemoval) -> str:
    lines = [f"Oneway: {deployment.description}"]
    if removed.org_id is None:
        lines.append(f"{removed.email} ({removed.user_id}) belonged to no organization: account signed out, disabled and deleted")
    else:
        lines.append(f"removed {removed.email} ({removed.user_id}) from organization {removed.org_id}")
        lines.append("signed out everywhere; account disabled and deleted")
        lines.append(f"{removed.assignments_dropped} reviewer assignment(s) dropped, {removed.shares_revoked} share link(s) revoked")
    return "\n".join(lines)


def _smoke(args: argparse.Namespace) -> int:
    from . import smoke

    if not args.sample.is_file():
        print(f"oneway: no recording at {args.sample}", file=sys.stderr)
        return 2
    local = args.local or (args.stack is None and bool(os.environ.get("ONEWAY_AWS_PORT")))
    try:
        deployment = smoke.target(local, stack=args.stack, region=args.region, url=args.url, aws_port=args.aws_port)
    except AdminError as err:
        print(f"oneway: {err}", file=sys.stderr)
        return 2
    try:
        return 0 if smoke.run(deployment, sample=args.sample, timeout=args.timeout) else 1
    except KeyboardInterrupt:  # the cleanup ran (and printed) before this arrives here
        print("oneway: interrupted", file=sys.stderr)
        return 130


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.area == "smoke":
        return _smoke(args)
    if args.command == "remove-user":
        try:
            deployment = deployment_for(args)
            removed = remove_user(deployment, email=args.email)
        except AdminError as err:
            print(f"oneway: {err}", file=sys.stderr)
            return 1
        print(json.dumps({"target": deployment.description, **asdict(removed)}) if args.json else _removal_report(deployment, removed))
        return 0
    if args.command == "move-audit":
        try:
            deployment = deployment_for(args)
            print(f"Oneway: {deployment.description}\nmoved {move_audit(deployment)} audit entries into the audit table")
        except AdminError as err:
            print(f"oneway: {err}", file=sys.stderr)
            return 1
        return 0
    try:
        deployment = deployment_for(args)
        outcome = create_user(
            deployment,
            email=args.email,
            org_name=args.org,
            org_id=args.org_id,
            role=Role(args.role),
            password=args.password,
        )
    except AdminError as err:
        print(f"oneway: {err}", file=sys.stderr)
        return 1
    print(json.dumps({"target": deployment.description, **asdict(outcome)}) if args.json else _report(deployment, outcome))
    return 0
