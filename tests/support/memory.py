"""In-memory ports for the service tests: the store's fake (oneway.adapters.memory, held to the store's contract
in tests/contract) and small stand-ins for object storage, media and speech jobs, accounts and job requests.
Handlers called in these tests get the same ports (``use_ports``)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from oneway.config import Settings
from oneway.domain.models import JobKind, JobStatus
from oneway.ports import JobState, ObjectInfo, Ports, StoredPart, TranscodeRequest, UploadPart

SITE = "http://127.0.0.1:8000"
MEDIA = "https://media.test"


class MemoryObjects:
    """Object storage as a dict of keys; URLs that name the key and the upload."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.uploads: dict[str, dict[int, tuple[str, bytes]]] = {}
        self.types: dict[str, str] = {}  # the media objects' content types
        self._ids = itertools.count(1)

    def create_multipart_upload(self, key: str, content_type: str) -> str:
        upload_id = f"u{next(self._ids)}"
        self.uploads[upload_id] = {}
        return upload_id

    def presign_parts(self, key: str, upload_id: str, parts: Mapping[int, int]) -> list[UploadPart]:
        return [UploadPart(part_number=n, url=f"{MEDIA}/uploads/{key}?uploadId={upload_id}&partNumber={n}&length={size}") for n, size in parts.items()]

    def presign_probe(self, key: str, length: int) -> str:
        return f"{MEDIA}/uploads/{key}?length={length}"

    def list_parts(self, key: str, upload_id: str) -> list[StoredPart]:
        return [StoredPart(part_number=n, etag=etag, size=len(data)) for n, (etag, data) in sorted(self.uploads.get(upload_id, {}).items())]

    def complete_multipart_upload(self, key: str, upload_id: str, parts: Sequence[tuple[int, str]]) -> str:
        stored = self.uploads.pop(upload_id, {})
        self.objects[f"uploads/{key}"] = b"".join(stored[n][1] for n, _ in parts if n in stored)
        return f'"{upload_id}"'

    def abort_multipart_upload(self, key: str, upload_id: str) -> None:
        self.uploads.pop(upload_id, None)

    def inspect_upload(self, key: str) -> ObjectInfo | None:
        data = self.objects.get(f"uploads/{key}")
        return None if data is None else ObjectInfo(key=key, size=len(data), etag='"e"', head=data[:4096])

    def presign_download(self, key: str, *, save_as: str | None = None) -> str:
        return f"{MEDIA}/media/{key}" + (f"?save_as={save_as}" if save_as else "")

    def read_media_json(self, key: str) -> Any:
        import json

        return json.loads(self.objects[f"media/{key}"])

    def delete_prefix(self, prefix: str) -> int:
        gone = [k for k in self.objects if k.split("/", 1)[1].startswith(prefix)]
        for k in gone:
            del self.objects[k]
        return len(gone)

    def delete_upload(self, key: str) -> int:
        return 1 if self.objects.pop(f"uploads/{key}", None) is not None else 0

    def copy_media(self, source_prefix: str, target_prefix: str) -> int:
        copies = {f"media/{target_prefix}{k[len('media/') + len(source_prefix):]}": v for k, v in self.objects.items() if k.startswith(f"media/{source_prefix}")}
        self.objects |= copies
        return len(copies)


    def export_objects(self, prefix: str) -> list[tuple[str, str, int, str]]:
        found = [(name.split("/", 1), len(data)) for name, data in sorted(self.objects.items())]
        return [(bucket, key, size, f"{MEDIA}/{bucket}/{key}") for (bucket, key), size in found if key.startswith(prefix)]


    def presign_upload(self, key: str, content_type: str, length: int, seconds: int) -> str:
        return f"{MEDIA}/uploads/{key}?type={content_type}&length={length}&expires={seconds}"

    def read_upload(self, key: str, limit: int) -> bytes | None:
        data = self.objects.get(f"uploads/{key}")
        return None if data is None else data[: limit + 1]

    def put_media(self, key: str, body: bytes, content_type: str) -> None:
        self.objects[f"media/{key}"] = body
        self.types[key] = content_type

    def read_media(self, key: str) -> bytes | None:
        return self.objects.get(f"media/{key}")

    def delete_media(self, key: str) -> int:
        return 1 if self.objects.pop(f"media/{key}", None) is not None else 0


class RecordedJobs:
    """Media and speech jobs that start and stay running: the service tests check what was asked."""

    def __init__(self, kind: JobKind) -> None:
        self.kind = kind
        self.requests: list[TranscodeRequest] = []  # a TranscribeRequest is one, with its transcript's key
        self.cancelled: list[str] = []

    def _start(self, request: TranscodeRequest) -> str:
        self.requests.append(request)
        return f"{self.kind}-{len(self.requests)}"

    start_transcode = start_transcription = _start

    def job_state(self, job_id: str) -> JobState:
        return JobState(job_id=job_id, kind=self.kind, status=JobStatus.running)

    def cancel_transcode(self, job_id: str) -> None:
        self.cancelled.append(job_id)

    def delete_transcription(self, job_id: str) -> bool:
        self.cancelled.append(job_id)
        return True


class MemoryDirectory:
    """Member accounts by email."""

    def __init__(self) -> None:
        self.users: dict[str, str] = {}
        self.totp: set[str] = set()
        self.disabled: set[str] = set()
        # Accounts that chose their own password (the others still have their temporary one), and resets asked.
        self.confirmed: set[str] = set()
        self.resets: list[str] = []

    def create_user(self, email: str) -> tuple[str, str | None]:
        self.users.setdefault(email, f"user-{len(self.users) + 1}")
        return self.users[email], "Temporary-1"

    def has_totp(self, user_id: str) -> bool:
        return user_id in self.totp

    def reset_totp(self, user_id: str) -> None:
        self.totp.discard(user_id)

    def find_user(self, email: str) -> str | None:
        return self.users.get(email)

    def reset_password(self, user_id: str) -> str | None:
        self.resets.append(user_id)
        return None if user_id in self.confirmed else "Temporary-2"

    def sign_out_everywhere(self, user_id: str) -> None:
        pass

    def disable_user(self, user_id: str) -> None:
        self.disabled.add(user_id)

    def delete_user(self, user_id: str) -> None:
        self.users = {e: u for e, u in self.users.items() if u != user_id}


class RecordedJobRequests:
    def __init__(self) -> None:
        self.keys: list[str] = []

    def request_jobs(self, upload_key: str) -> None:
        self.keys.append(upload_key)


def memory_ports(clock, settings: Settings) -> Ports:
    from oneway.adapters.memory import MemoryStore

    return Ports(
        settings=settings,
        store=MemoryStore(),
        objects=MemoryObjects(),
        media=RecordedJobs(JobKind.video),
        speech=RecordedJobs(JobKind.speech),
        clock=clock,
        directory=MemoryDirectory(),
        job_requests=RecordedJobRequests(),
    )


def use_ports(monkeypatch, ports: Ports) -> None:
    """Every handler's ``ports()`` gives ``ports`` (they import the name from handlers/deps.py)."""
    import importlib
    import pkgutil

    from oneway import handlers
    from oneway.handlers import deps

    monkeypatch.setattr(deps, "ports", lambda: ports)
    for info in pkgutil.iter_modules(handlers.__path__):
        module = importlib.import_module(f"oneway.handlers.{info.name}")
        if getattr(module, "ports", None) is not None and module is not deps and callable(module.ports):
            monkeypatch.setattr(module, "ports", lambda: ports)
