"""The six Oneway functions: runtime, handlers, environment, logs, code asset."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneway_infra.constants import PYTHON_VERSION
from tests.infra.infra_support import getatt, logical_id, of_type, props

HANDLERS = {
    "public_api": "oneway.handlers.public_api.lambda_handler",
    "staff_api": "oneway.handlers.staff_api.lambda_handler",
    "on_upload": "oneway.handlers.on_upload.lambda_handler",
    "on_media_event": "oneway.handlers.on_media_event.lambda_handler",
    "scheduled": "oneway.handlers.scheduled.lambda_handler",
    "deliver": "oneway.handlers.deliver.lambda_handler",
}
API = ("public_api", "staff_api")


def functions(stack):
    p = stack.pipeline
    return {
        "public_api": stack.api.public, "staff_api": stack.api.staff, "on_upload": p.on_upload, "on_media_event": p.on_media_event,
        "scheduled": p.scheduled, "deliver": stack.delivery.function,
    }


@pytest.mark.parametrize("name", HANDLERS)
def test_runtime_architecture_tracing_logging(resources, stack, name):
    fn = functions(stack)[name]
    p = props(resources[logical_id(stack, fn.function)])
    assert p["Handler"] == HANDLERS[name]
    assert p["Runtime"] == f"python{PYTHON_VERSION}"
    assert p["Architectures"] == ["arm64"]
    assert p["TracingConfig"] == {"Mode": "Active"}
    assert p["LoggingConfig"]["LogFormat"] == "JSON"
    assert p["LoggingConfig"]["LogGroup"] == {"Ref": logical_id(stack, fn.log_group)}
    assert p["Layers"] == [{"Ref": logical_id(stack, stack.layer)}]
    assert p["Role"] == getatt(stack, fn.role)
    log_group = props(resources[logical_id(stack, fn.log_group)])
    assert log_group["RetentionInDays"] == 90


def test_only_six_oneway_functions_plus_cdk_helpers(resources):
    handlers = sorted(props(f)["Handler"] for f in of_type(resources, "AWS::Lambda::Function").values())
    assert [h for h in handlers if h.startswith("oneway.")] == sorted(HANDLERS.values())
    assert len(handlers) == 8  # + CDK's BucketDeployment and bucket-notification handlers


@pytest.mark.parametrize("name", HANDLERS)
def test_environment(resources, stack, name):
    env = props(resources[logical_id(stack, functions(stack)[name].function)])["Environment"]["Variables"]
    site_url = {"Fn::Join": ["", ["https://", getatt(stack, stack.site.distribution, "DomainName")]]}
    assert env["ONEWAY_STAGE"] == "prod"
    assert env["ONEWAY_STACK_PREFIX"] == "oneway"
    assert env["ONEWAY_TABLE_NAME"] == {"Ref": logical_id(stack, stack.data.table)}
    assert env["ONEWAY_AUDIT_TABLE_NAME"] == {"Ref": logical_id(stack, stack.data.audit)}
    assert env["ONEWAY_UPLOADS_BUCKET"] == {"Ref": logical_id(stack, stack.storage.uploads)}
    assert env["ONEWAY_MEDIA_BUCKET"] == {"Ref": logical_id(stack, stack.storage.media)}
    assert env["ONEWAY_SITE_URL"] == site_url
    assert env["ONEWAY_MAIL_FROM"] == "interviews@example.com"
    assert env["ONEWAY_SES_CONFIGURATION_SET"] == {"Ref": logical_id(stack, stack.mail.configuration_set)}
    assert env["ONEWAY_MEDIA"] == "aws"
    assert env["ONEWAY_MEDIACONVERT_ROLE_ARN"] == getatt(stack, stack.mediaconvert.role)
    assert env["ONEWAY_EVENT_BUS_NAME"] == "default"
    assert env["ONEWAY_RETENTION_DAYS"] == "180"
    assert env["POWERTOOLS_SERVICE_NAME"].startswith("oneway")
    assert env["POWERTOOLS_LOG_LEVEL"] == "INFO"
    # No secrets in the environment: every ONEWAY_ variable is one of the above.
    assert {k for k in env if k.startswith("ONEWAY_")} == {
        "ONEWAY_STAGE", "ONEWAY_STACK_PREFIX", "ONEWAY_TABLE_NAME", "ONEWAY_AUDIT_TABLE_NAME", "ONEWAY_UPLOADS_BUCKET",
        "ONEWAY_MEDIA_BUCKET", "ONEWAY_SITE_URL", "ONEWAY_MAIL_FROM", "ONEWAY_SES_CONFIGURATION_SET", "ONEWAY_MEDIA",
        "ONEWAY_MEDIACONVERT_ROLE_ARN", "ONEWAY_EVENT_BUS_NAME", "ONEWAY_RETENTION_DAYS",
    } | ({"ONEWAY_USER_POOL_ID"} if name == "staff_api" else set()) | (  # the staff API invites members into the pool
        {"ONEWAY_UPLOADS_QUEUE_URL"} if name in ("staff_api", "scheduled") else set()  # retries ask on_upload for their jobs
    ) | ({"ONEWAY_ORIGIN_SECRET"} if name in API else set()) | (  # ORIGIN_MARKER below
        {"ONEWAY_OUTBOX_DEAD_LETTERS_URL"} if name == "deliver" else set()  # notes of given-up outbox messages
    )


def test_the_settings_class_reads_every_oneway_variable():
    """The environment names match fields of functions/oneway/config.py (prefix ONEWAY_)."""
    from oneway.config import Settings

    fields = set(Settings.model_fields)
    for var in ("STAGE", "STACK_PREFIX", "TABLE_NAME", "AUDIT_TABLE_NAME", "UPLOADS_BUCKET", "MEDIA_BUCKET", "SITE_URL",
                "MAIL_FROM", "SES_CONFIGURATION_SET", "MEDIA", "MEDIACONVERT_ROLE_ARN", "EVENT_BUS_NAME",
                "RETENTION_DAYS"):
        assert var.lower() in fields, var


def test_all_functions_share_one_code_asset(resources, stack):
    codes = {str(props(resources[logical_id(stack, f.function)])["Code"]) for f in functions(stack).values()}
    assert len(codes) == 1


def test_code_asset_leaves_out_the_local_stack_the_cli_and_caches_and_ships_bytecode(app_and_stack, template):
    app, _stack = app_and_stack
    outdir = Path(app.outdir)
    code = props(next(iter(
        r for r in template.to_json()["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function" and props(r)["Handler"] == HANDLERS["public_api"]
    )))["Code"]
    asset_hash = code["S3Key"].removesuffix(".zip")
    staged = outdir / f"asset.{asset_hash}"
    assert (staged / "oneway" / "handlers").is_dir(), f"no staged code asset at {staged}"
    files = [p.relative_to(staged).as_posix() for p in staged.rglob("*")]
    assert not [f for f in files if f.startswith(("oneway/local", "oneway/cli"))]
    assert not [f for f in files if ".egg-info" in f or f.startswith("tests")]
    # Bytecode for the runtime's Python, one unchecked-hash .pyc per source (/var/task is read-only, so
    # without it every cold start compiles each module), and no other cache of the working tree.
    tag = f"cpython-{PYTHON_VERSION.replace('.', '')}"
    sources = {f for f in files if f.endswith(".py")}
    compiled = {f for f in files if f.endswith(".pyc")}
    expected = {f"{s.rpartition('/')[0]}/__pycache__/{s.rpartition('/')[2][:-3]}.{tag}.pyc" for s in sources}
    assert compiled == expected
    for pyc in compiled:
        assert int.from_bytes((staged / pyc).read_bytes()[4:8], "little") == 0b01, pyc  # hash-based, unchecked


def test_upload_queue_feeds_on_upload_in_batches_with_partial_failures(resources, stack):
    (mapping,) = [m for m in of_type(resources, "AWS::Lambda::EventSourceMapping").values() if "Uploads" in str(props(m)["EventSourceArn"])]
    p = props(mapping)
    assert p["EventSourceArn"] == getatt(stack, stack.pipeline.upload_queue)
    assert p["FunctionName"] == {"Ref": logical_id(stack, stack.pipeline.on_upload.function)}
    assert p["BatchSize"] == 10
    assert p["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_failed_async_invocations_land_in_the_event_dead_letter_queue(resources, stack):
    configs = of_type(resources, "AWS::Lambda::EventInvokeConfig").values()
    dlq = getatt(stack, stack.pipeline.event_dlq)
    targets = {props(c)["FunctionName"]["Ref"]: props(c)["DestinationConfig"]["OnFailure"]["Destination"] for c in configs}
    for fn in (stack.pipeline.on_media_event, stack.pipeline.scheduled):
        assert targets[logical_id(stack, fn.function)] == dlq
    # The deliver function's schedule: its own dead-letter queue, with the stream's failures.
    assert targets[logical_id(stack, stack.delivery.function.function)] == getatt(stack, stack.delivery.dead_letters)


SECRET_WORDS = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "PRIVATE", "CREDENTIAL", "API_KEY", "ACCESS_KEY")
# The one exception, on the two API functions only: the value CloudFront puts in its origin header, which the API
# compares with each request's (infra/oneway_infra/site.py). It opens nothing: every route still wants its
# own token; knowing it lets a caller skip CloudFront and its web ACL, no more. It is no literal (the random
# part of the stack's id, resolved at deployment), and whoever can read the function's configuration can
# read the distribution's too.
ORIGIN_MARKER = "ONEWAY_ORIGIN_SECRET"


def test_no_function_of_the_stack_has_a_secret_in_its_environment(resources, stack):
    """Every function, CDK's own included: no variable named like a secret, no literal that looks like one."""
    api = {logical_id(stack, stack.api.public.function), logical_id(stack, stack.api.staff.function)}
    for fid, fn in of_type(resources, "AWS::Lambda::Function").items():
        env = props(fn).get("Environment", {}).get("Variables", {})
        for name, value in env.items():
            if fid in api and name == ORIGIN_MARKER:
                assert value == {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
                continue
            assert not any(word in name.upper() for word in SECRET_WORDS), (fid, name)
            if isinstance(value, str):
                assert not value.startswith(("AKIA", "ASIA", "-----BEGIN")), (fid, name)


def test_every_log_group_of_the_stack_has_a_retention(resources):
    groups = of_type(resources, "AWS::Logs::LogGroup")
    assert len(groups) >= 8  # six functions, API access logs, site deployment
    for gid, group in groups.items():
        assert props(group).get("RetentionInDays") == 90, gid
