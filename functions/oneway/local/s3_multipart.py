"""The embedded S3's multipart uploads without moto's copies in memory and its second event.

moto (5.2) joins the parts of a CompleteMultipartUpload into five copies of the whole
object in memory (the object, a second one for its checksum, ``bytes()`` of each, then a
buffer before its temporary file): a 1 GiB recording would need 5 GiB, and the candidate
waits on every copy. It also announces the new object twice (ObjectCreated:Put and
ObjectCreated:CompleteMultipartUpload) where S3 sends the second only. Here the parts are
copied block by block into the object's file, the full-object checksum is computed on the
way (the same value moto computes), any object larger than moto's memory buffer goes
straight to its file, and a completed upload is announced once, as S3 does. The joined
parts' files are closed after the answer, not before it.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

BLOCK = 1 << 20
_completing = threading.local()


class _Joined:
    """A completed upload's parts, already joined in the file the new object takes over."""

    def __init__(self, file: Any, size: int):
        self.file, self.size = file, size

    def __len__(self) -> int:
        return self.size


def _each_block(key: Any, use: Callable[[bytes], Any]) -> None:
    with key.lock:
        key._value_buffer.seek(0)
        while block := key._value_buffer.read(BLOCK):
            use(block)


def _running_checksum(algorithm: str) -> tuple[Callable[[Any, int], int], int] | None:
    """An incremental form of moto's ``compute_checksum`` for a full-object checksum, with its width in bytes."""
    from moto.core.compat import HAS_CRT

    if algorithm == "CRC32" or (algorithm == "CRC64NVME" and not HAS_CRT):  # moto falls back to CRC32 without the CRT
        return binascii.crc32, 4
    if algorithm == "CRC64NVME":
        from awscrt import checksums

        return checksums.crc64nvme, 8
    return None  # others: moto's own way


def install() -> None:
    from moto.s3 import models
    from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML
    from moto.settings import S3_UPLOAD_PART_MIN_SIZE
    from moto.utilities.utils import md5_hash

    if getattr(models.FakeMultipart.complete, "oneway_patched", False):
        return
    join_parts = models.FakeMultipart.complete
    set_value = models.FakeKey.value.fset
    complete_upload = models.S3Backend.complete_multipart_upload
    put_object = models.S3Backend.put_object
    dispose_parts = models.FakeMultipart.dispose

    def complete(self: Any, body: Iterator[tuple[int, str]]) -> tuple[Any, str, tuple[str, str, int] | None]:
        algorithm = self.metadata.get("x-amz-checksum-algorithm") or "CRC64NVME"
        kind = self.metadata.get("x-amz-checksum-type") or ("FULL_OBJECT" if algorithm == "CRC64NVME" else "COMPOSITE")
        running = _running_checksum(algorithm) if kind == "FULL_OBJECT" else None
        if running is None:
            return join_parts(self, body)
        update, width = running
        parts: list[Any] = []
        for number, etag in body:
            part = self.parts.get(number)
            if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
                raise InvalidPart()
            if parts and parts[-1].contentsize < S3_UPLOAD_PART_MIN_SIZE:
                raise EntityTooSmall()
            parts.append(part)
        if not parts:
            raise MalformedXML
        size = sum(part.contentsize for part in parts)
        memory = models.get_s3_default_key_buffer_size()  # as FakeKey keeps its value
        file = tempfile.SpooledTemporaryFile(memory)
        if size > memory:
            file.rollover()
        checksum = 0

        def add(block: bytes) -> None:
            nonlocal checksum
            file.write(block)
            checksum = update(block, checksum)

        for part in parts:
            _each_block(part, add)
        whole = md5_hash()
        whole.update(b"".join(bytes.fromhex(part.etag.replace('"', "")) for part in parts))
        return _Joined(file, size), f"{whole.hexdigest()}-{len(parts)}", (kind, base64.b64encode(checksum.to_bytes(width, "big")).decode(), 1)

    def value(self: Any, new_value: Any) -> None:
        if isinstance(new_value, _Joined):  # the new object takes over the joined file
            self._value_buffer.close()
            self._value_buffer, self.contentsize = new_value.file, new_value.size
            return
        if len(new_value) > self._max_buffer_size:
            self._value_buffer.rollover()  # to its file now, not through a buffer in memory first
        set_value(self, new_value)

    def complete_multipart_upload(self: Any, *args: Any, **kwargs: Any) -> Any:
        _completing.active = True
        try:
            return complete_upload(self, *args, **kwargs)
        finally:
            _completing.active = False

    def put_object_once(self: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(_completing, "active", False):
            kwargs["disable_notification"] = True  # CompleteMultipartUpload announces the object itself
        return put_object(self, *args, **kwargs)

    def dispose(self: Any) -> None:
        if getattr(_completing, "active", False):
            # The parts are joined already: their files are closed after the answer, not before it (closing
            # a part's file frees its pages, ~5 ms per 8 MiB part on a disk-backed /tmp).
            threading.Thread(target=dispose_parts, args=(self,), name="s3-parts-free", daemon=True).start()
        else:
            dispose_parts(self)

    complete.oneway_patched = True  # type: ignore[attr-defined]
    models.FakeMultipart.complete = complete
    models.FakeKey.value = models.FakeKey.value.setter(value)
    models.S3Backend.complete_multipart_upload = complete_multipart_upload
    models.S3Backend.put_object = put_object_once
    models.FakeMultipart.dispose = dispose
