"""A record of the AWS calls Oneway's Lambda functions make, for the IAM contract test.

Never deployed (``oneway/local`` stays out of the code asset). The test session turns it on
in-process (tests/conftest.py) and, through ``ONEWAY_RECORD_AWS_CALLS=<file>``, in the
local stack it starts as a subprocess (``python -m oneway.local`` and its API workers).

What is recorded: every request a botocore client builds (``before-parameter-build``,
which ``generate_presigned_url`` emits too: a presigned URL is authorized against the
signing function's role when the browser uses it, as an upload's part URLs are; the part
URLs after the first, which ``adapters/s3.py`` signs with botocore's SigV4 query signer,
name the same object as the first, so its record stands for them). Only what IAM
looks at is kept: the resources a request names (bucket/key, table/index, queue, job
role, identity ...) and the parameters condition keys depend on (prefix, version, from
address, recipients ...). Each line is one JSON object; identical lines are written once.

Attribution: a call belongs to the Lambda function whose handler frame is on the calling
thread's stack, ``lambda_handler`` in ``oneway/handlers/{public_api,staff_api,on_upload,
on_media_event,scheduled,deliver}.py`` (the modules the functions of infra/ run: candidate and
share routes in ``public_api``, recruiter and admin routes in ``staff_api``; ``api.py``, which
routes a request to one of the two as API Gateway does, is no function of its own, and the
innermost handler frame wins). A call made with no handler frame on the stack (test setup, the
local stack's provisioning, pump, stream poller and media workers, the CLI) is nobody's: on AWS
no function makes it (Lambda's event source mappings read the queue and the stream). A call made inside the local stand-ins for MediaConvert and
Transcribe (``adapters/local_media.py``, ``adapters/local_speech.py``) is not recorded
either; the stand-in's port call is recorded instead as the request the AWS adapter
would send for it (``CreateJob``, ``StartTranscriptionJob``, ``GetJob`` ...).

Names the function reads from its settings are written as ``${ONEWAY_<FIELD>}`` (the
uploads bucket, the table, the queue URL, the MediaConvert role ...), so the contract
test can put the template's values for that function's environment in their place.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ENV = "ONEWAY_RECORD_AWS_CALLS"
PACKAGE = Path(__file__).resolve().parents[1]  # functions/oneway
FUNCTION_NAMES = ("public_api", "staff_api", "on_upload", "on_media_event", "scheduled", "deliver")
FUNCTIONS = {str(PACKAGE / "handlers" / f"{name}.py"): name for name in FUNCTION_NAMES}
STAND_INS = {str(PACKAGE / "adapters" / "local_media.py"), str(PACKAGE / "adapters" / "local_speech.py")}
# Settings whose values name AWS resources: ``${ONEWAY_<FIELD>}`` in a record.
NAMED_SETTINGS = (
    "table_name",
    "audit_table_name",
    "uploads_bucket",
    "media_bucket",
    "uploads_queue_url",
    "mediaconvert_role_arn",
    "mediaconvert_queue_arn",
    "mail_from",
    "event_bus_name",
    "user_pool_id",
    "outbox_dead_letters_url",
)
STAND_IN = "stand-in"


def placeholder(field: str) -> str:
    return "${ONEWAY_" + field.upper() + "}"


def calling_function(frame: Any = None) -> str | None:
    """The function whose handler is on this thread's stack, STAND_IN inside a local stand-in, else None."""
    frame = frame or sys._getframe(1)
    while frame is not None:
        path = frame.f_code.co_filename
        if path in STAND_INS:
            return STAND_IN
        if frame.f_code.co_name == "lambda_handler" and path in FUNCTIONS:
            return FUNCTIONS[path]
        frame = frame.f_back
    return None


# -- what IAM needs of each request --------------------------------------------------------------


def _s3_uri(uri: str) -> dict[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return {"Bucket": bucket, "Key": key}


def _pick(params: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: params[n] for n in names if isinstance(params.get(n), (str, int, bool))}


def reduce(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of one request that name resources or feed condition keys."""
    p = params or {}
    if service == "s3":
        out = _pick(p, "Bucket", "Key", "VersionId", "Prefix")
        source = p.get("CopySource")
        if isinstance(source, str):
            bucket, _, key = unquote(source.lstrip("/")).partition("/")
            key, _, query = key.partition("?versionId=")
            out["CopySource"] = {"Bucket": bucket, "Key": key, **({"VersionId": query} if query else {})}
        elif isinstance(source, dict):
            out["CopySource"] = _pick(source, "Bucket", "Key", "VersionId")
        if isinstance(p.get("Delete"), dict):
            out["Delete"] = [_pick(o, "Key", "VersionId") for o in p["Delete"].get("Objects", [])]
        return out
    if service == "dynamodb":
        out = _pick(p, "TableName", "IndexName")
        if "TransactItems" in p:
            out["TransactItems"] = [
                {"op": op, "TableName": body.get("TableName")} for item in p["TransactItems"] for op, body in item.items()
            ]
        if isinstance(p.get("RequestItems"), dict):
            out["RequestItems"] = {
                table: sorted({op for entry in (v if isinstance(v, list) else []) for op in entry}) for table, v in p["RequestItems"].items()
            }
        return out
    if service == "mediaconvert":
        out = _pick(p, "Role", "Queue", "Id")
        settings = p.get("Settings") or {}
        if settings:
            out["Inputs"] = [i.get("FileInput") for i in settings.get("Inputs", []) if i.get("FileInput")]
            out["Destinations"] = sorted(
                {
                    g.get("OutputGroupSettings", {}).get("FileGroupSettings", {}).get("Destination")
                    for g in settings.get("OutputGroups", [])
                }
                - {None}
            )
        return out
    if service == "transcribe":
        out = _pick(p, "TranscriptionJobName", "OutputBucketName", "OutputKey")
        if isinstance(p.get("Media"), dict) and p["Media"].get("MediaFileUri"):
            out["MediaFileUri"] = p["Media"]["MediaFileUri"]
        role = (p.get("JobExecutionSettings") or {}).get("DataAccessRoleArn")
        if role:
            out["DataAccessRoleArn"] = role
        return out
    if service == "ses":
        out = _pick(p, "Source", "SourceArn", "ConfigurationSetName")
        destination = p.get("Destination") or {}
        out["Recipients"] = sorted(
            {a for kind in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destination.get(kind, [])} | set(p.get("Destinations", []))
        )
        return out
    if service == "events":
        return {"Entries": [_pick(e, "EventBusName", "Source", "DetailType") for e in p.get("Entries", [])]}
    return _pick(p, "QueueUrl", "UserPoolId", "Name")


# The parameters that name a resource a setting may name (an EventBridge Source "oneway" is no table).
RESOURCE_FIELDS = {"Bucket", "TableName", "QueueUrl", "Role", "Queue", "EventBusName", "UserPoolId", "OutputBucketName", "Source"}
URI_FIELDS = {"Inputs", "Destinations", "MediaFileUri"}


def _named(value: Any, names: dict[str, str], field: str = "", service: str = "") -> Any:
    """``value`` with every settings value in a resource field written as its placeholder."""
    if isinstance(value, dict):
        if field == "RequestItems":  # DynamoDB batches: table name -> operations
            return {names.get(k, k): v for k, v in value.items()}
        return {k: _named(v, names, k, service) for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v, names, field, service) for v in value]
    if not isinstance(value, str) or not value:
        return value
    if field in URI_FIELDS and value.startswith("s3://"):
        bucket, slash, key = value[5:].partition("/")
        return f"s3://{names.get(bucket, bucket)}{slash}{key}"
    if field in RESOURCE_FIELDS and not (field == "Source" and service != "ses"):
        return names.get(value, value)
    return value


def _settings_names() -> dict[str, str]:
    from ..config import settings

    s = settings()
    return {getattr(s, f): placeholder(f) for f in NAMED_SETTINGS if getattr(s, f, "")}


class Recorder:
    """Writes each new call of a function to ``path`` (JSON lines), or keeps it in ``calls``."""

    def __init__(self, path: str | os.PathLike | None = None, *, source: str = "", per_test: bool = False):
        self.path = Path(path) if path else None
        self.source = source
        # In the pytest process each call names the test that made it; a subprocess names itself.
        self.per_test = per_test
        self.calls: list[dict[str, Any]] = []
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def record(self, function: str, service: str, operation: str, params: dict[str, Any], *, presigned: bool = False, stand_in: bool = False) -> None:
        call = {
            "function": function,
            "service": service,
            "operation": operation,
            "params": _named(reduce(service, operation, params), _settings_names(), service=service),
        }
        if presigned:
            call["presigned"] = True
        if stand_in:
            call["standIn"] = True
        line = json.dumps(call, sort_keys=True)
        with self._lock:
            if line in self._seen:
                return
            self._seen.add(line)
            where = (self.per_test and os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]) or self.source
            entry = {**call, "where": where}
            self.calls.append(entry)
            if self.path is not None:
                with self.path.open("a") as out:
                    out.write(json.dumps(entry, sort_keys=True) + "\n")


_active: list[Recorder] = []
_installed = False


def _on_request(params: dict[str, Any], model: Any, context: dict[str, Any] | None = None, **_: Any) -> None:
    if not _active:
        return
    function = calling_function()
    if function is None or function == STAND_IN:
        return
    service = model.service_model.signing_name
    presigned = bool((context or {}).get("is_presign_request"))
    for recorder in _active:
        recorder.record(function, service, model.name, params, presigned=presigned)


def _hook_client(client: Any) -> Any:
    client.meta.events.register("before-parameter-build", _on_request, unique_id="oneway-aws-calls")
    return client


def _record_stand_in(service: str, operation: str, build: Callable[[Any, Any], dict[str, Any]]) -> Callable:
    def wrap(method: Callable) -> Callable:
        def recorded(self: Any, argument: Any) -> Any:
            function = calling_function(sys._getframe(1))
            if _active and function not in (None, STAND_IN):
                params = build(self, argument)
                for recorder in _active:
                    recorder.record(function, service, operation, params, stand_in=True)
            return method(self, argument)

        recorded.__wrapped__ = method
        return recorded

    return wrap


def _install_hooks() -> None:
    """Hook every botocore client made from now on, and the local stand-ins."""
    global _installed  # noqa: PLW0603 (the hooks go in once per process)
    if _installed:
        return
    _installed = True
    from botocore import client

    # botocore has no global event registry: each session's clients copy that session's handlers, and
    # every adapter makes its own session. Its client factory is the one door every client goes through
    # (tests/unit/test_library_internals.py asserts the shape relied on).
    create_client = client.ClientCreator.create_client

    @functools.wraps(create_client)
    def hooked_create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        return _hook_client(create_client(self, *args, **kwargs))

    client.ClientCreator.create_client = hooked_create_client

    # The local stand-ins: record what the AWS adapters would ask of MediaConvert and Transcribe.
    from ..adapters import local_media, local_speech, mediaconvert, transcribe

    media, speech = local_media.LocalMedia, local_speech.LocalSpeech
    def create_job(m: Any, request: Any) -> dict[str, Any]:
        job = mediaconvert.job_request(request, m.jobs.settings)
        # The local stack has no MediaConvert role: the deployed function passes the one its settings name.
        return {**job, "Role": job["Role"] or placeholder("mediaconvert_role_arn")}

    media.start_transcode = _record_stand_in("mediaconvert", "CreateJob", create_job)(media.start_transcode)
    media.job_state = _record_stand_in("mediaconvert", "GetJob", lambda m, job_id: {"Id": job_id})(media.job_state)
    speech.start_transcription = _record_stand_in(
        "transcribe", "StartTranscriptionJob", lambda s, r: transcribe.job_request(r, s.jobs.settings)
    )(speech.start_transcription)
    speech.job_state = _record_stand_in("transcribe", "GetTranscriptionJob", lambda s, job_id: {"TranscriptionJobName": job_id})(
        speech.job_state
    )
    media.cancel_transcode = _record_stand_in("mediaconvert", "CancelJob", lambda m, job_id: {"Id": job_id})(media.cancel_transcode)
    speech.delete_transcription = _record_stand_in(
        "transcribe", "DeleteTranscriptionJob", lambda s, job_id: {"TranscriptionJobName": job_id}
    )(speech.delete_transcription)


def start(recorder: Recorder) -> Recorder:
    _install_hooks()
    _active.append(recorder)
    return recorder


def stop(recorder: Recorder) -> None:
    if recorder in _active:
        _active.remove(recorder)


def start_from_environment(source: str) -> Recorder | None:
    """Record into the file ``ONEWAY_RECORD_AWS_CALLS`` names, if it names one (the local stack's option)."""
    path = os.environ.get(ENV)
    if not path:
        return None
    return start(Recorder(path, source=source))


def read(path: str | os.PathLike) -> list[dict[str, Any]]:
    p = Path(path)
    if not p.exists():
        return []
    return [json.loads(line) for line in p.read_text().splitlines() if line.strip()]
