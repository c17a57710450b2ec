"""Objects on S3: presigned multipart uploads, presigned downloads, erasure."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from botocore.exceptions import ClientError

from ..domain.errors import InvalidInput
from ..ports import ObjectInfo, StoredPart, UploadPart

# Enough for the magic bytes and a browser recording's track list (pipeline.has_video_track).
HEAD_BYTES = 4096
# A download URL is handed out again for at most this share of its life (and 5 minutes at most).
REUSE_SHARE, REUSE_MAX_SECONDS = 1 / 12, 300


class S3Objects:
    def __init__(
        self,
        client: Any,
        *,
        uploads_bucket: str,
        media_bucket: str,
        presign_seconds: int,
        download_seconds: int,
        credentials: Any = None,
    ):
        """``credentials``: the botocore credentials the client signs with, from the session that made it
        (``Session.get_credentials()``): botocore keeps a client's own private. With them, part URLs after the
        first are signed without building a request each (see presign_parts)."""
        self._s3 = client
        self._credentials = credentials
        self._uploads = uploads_bucket
        self._media = media_bucket
        self._presign_seconds = presign_seconds
        self._download_seconds = download_seconds
        # The same download URL for a few minutes: a review page polled every few seconds gets the same
        # addresses (the browser's cache keeps the poster and video) and signing is done once, not per call.
        self._reuse_seconds = max(1, min(REUSE_MAX_SECONDS, int(download_seconds * REUSE_SHARE)))
        self._download_url = lru_cache(maxsize=4096)(self._sign_download)

    def create_multipart_upload(self, key: str, content_type: str) -> str:
        return self._s3.create_multipart_upload(Bucket=self._uploads, Key=key, ContentType=content_type)["UploadId"]

    def presign_parts(self, key: str, upload_id: str, parts: Mapping[int, int]) -> list[UploadPart]:
        """Each part's PUT URL, with its exact length signed in: ``Content-Length`` is one of the URL's
        signed headers (X-Amz-SignedHeaders ``content-length;host``), so S3 refuses a body of any other
        length (SigV4 query-string authentication checks every signed header against the request:
        https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). A browser sets
        Content-Length itself to the length of the body it sends, and cannot set it otherwise.

        botocore's generate_presigned_url makes the first URL whole (endpoint, addressing, credentials);
        the others differ from it only in ``partNumber`` and the length, so botocore's SigV4 query signer
        signs them from its address with the client's credentials, as generate_presigned_url would, without
        resolving and serializing the request again (a third of the time per part, which keeps the upload
        route within its latency goal: bench/api_latency.py). tests/unit/test_presign.py checks that both
        make the same URLs. Without the credentials, every part goes through generate_presigned_url."""
        ordered = sorted(parts.items())
        if self._credentials is None or len(ordered) < 2:
            return [UploadPart(part_number=n, url=self._part_url(key, upload_id, n, length)) for n, length in ordered]
        from botocore.auth import S3SigV4QueryAuth
        from botocore.awsrequest import AWSRequest

        (first, first_length), *others = ordered
        url = self._part_url(key, upload_id, first, first_length)
        signed = [UploadPart(part_number=first, url=url)]
        address = url.partition("?")[0]
        signer = S3SigV4QueryAuth(self._credentials.get_frozen_credentials(), "s3", self._s3.meta.region_name, expires=self._presign_seconds)
        for n, length in others:
            request = AWSRequest(method="PUT", url=address, params={"uploadId": upload_id, "partNumber": n}, headers={"Content-Length": str(length)})
            signer.add_auth(request)
            signed.append(UploadPart(part_number=n, url=request.url))
        return signed

    def _part_url(self, key: str, upload_id: str, part: int, length: int) -> str:
        return self._s3.generate_presigned_url(
            "upload_part",
            Params={"Bucket": self._uploads, "Key": key, "UploadId": upload_id, "PartNumber": part, "ContentLength": length},
            ExpiresIn=self._presign_seconds,
        )

    def presign_probe(self, key: str, length: int) -> str:
        """As a part URL: the length is signed in (Content-Length), so the probe stores no more than it says."""
        return self._s3.generate_presigned_url(
            "put_object", Params={"Bucket": self._uploads, "Key": key, "ContentLength": length}, ExpiresIn=self._presign_seconds
        )

    def list_parts(self, key: str, upload_id: str) -> list[StoredPart]:
        parts: list[StoredPart] = []
        for page in self._s3.get_paginator("list_parts").paginate(Bucket=self._uploads, Key=key, UploadId=upload_id):
            parts += [StoredPart(part_number=p["PartNumber"], etag=p["ETag"], size=p["Size"]) for p in page.get("Parts", [])]
        return parts

    def complete_multipart_upload(self, key: str, upload_id: str, parts: Sequence[tuple[int, str]]) -> str:
        try:
            answer = self._s3.complete_multipart_upload(
                Bucket=self._uploads,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": [{"PartNumber": n, "ETag": etag} for n, etag in sorted(parts)]},
            )
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code == "NoSuchUpload":
                # Completed already (a retried call) or aborted: the object says which.
                done = self.inspect_upload(key)
                if done is not None:
                    return done.etag
                raise InvalidInput("this upload no longer exists; start it again", "upload_expired") from None
            if code in ("InvalidPart", "InvalidPartOrder", "EntityTooSmall", "MalformedXML"):
                raise InvalidInput(f"the uploaded parts do not fit together: {code}", "upload_incomplete") from None
            raise
        return answer["ETag"]

    def abort_multipart_upload(self, key: str, upload_id: str) -> None:
        try:
            self._s3.abort_multipart_upload(Bucket=self._uploads, Key=key, UploadId=upload_id)
        except ClientError as err:
            if err.response["Error"]["Code"] not in ("NoSuchUpload", "404"):
                raise

    def inspect_upload(self, key: str) -> ObjectInfo | None:
        """The recording's size, type and first bytes; None when there is no such object.

        S3 answers 404 for a missing key only to a caller with s3:ListBucket on the bucket, and 403
        otherwise (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html): the roles
        that head recordings hold ListBucket under org/, so a 403 stays an error (a missing right,
        which retrying cannot fix and which must not pass for an erased recording).
        """
        try:
            head = self._s3.head_object(Bucket=self._uploads, Key=key)
        except ClientError as err:
            if err.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        first = b""
        if head["ContentLength"]:
            body = self._s3.get_object(Bucket=self._uploads, Key=key, Range=f"bytes=0-{HEAD_BYTES - 1}")["Body"]
            first = body.read()
        return ObjectInfo(
            key=key, size=head["ContentLength"], etag=head["ETag"], content_type=head.get("ContentType"), head=first
        )

    def presign_download(self, key: str, *, save_as: str | None = None) -> str:
        """A URL that reads ``key`` for ``download_seconds``, less at most ``_reuse_seconds`` already spent. A copy to
        save (``save_as``) is signed afresh, with S3's response-content-disposition override, so that the browser
        saves the object under that name instead of playing it.
        https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax"""
        if save_as is None:
            return self._download_url(key, int(time.monotonic() // self._reuse_seconds))
        params = {"Bucket": self._media, "Key": key, "ResponseContentDisposition": f'attachment; filename="{save_as}"'}
        return self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=self._download_seconds)

    def _sign_download(self, key: str, _window: int) -> str:
        return self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": self._media, "Key": key}, ExpiresIn=self._download_seconds
        )

    def read_media_json(self, key: str) -> Any:
        return json.loads(self._s3.get_object(Bucket=self._media, Key=key)["Body"].read())

    def export_objects(self, prefix: str) -> list[tuple[str, str, int, str]]:
        found = []
        for kind, bucket in (("uploads", self._uploads), ("media", self._media)):
            for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    url = self._s3.generate_presigned_url(
                        "get_object", Params={"Bucket": bucket, "Key": obj["Key"]}, ExpiresIn=self._download_seconds
                    )
                    found.append((kind, obj["Key"], obj["Size"], url))
        return found

    def copy_media(self, source_prefix: str, target_prefix: str) -> int:
        count = 0
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self._media, Prefix=source_prefix):
            for obj in page.get("Contents", []):
                name = obj["Key"].removeprefix(source_prefix)
                if name.startswith("jobs/"):  # the local workers' job records stay with their jobs
                    continue
                self._s3.copy_object(Bucket=self._media, Key=target_prefix + name, CopySource={"Bucket": self._media, "Key": obj["Key"]})
                count += 1
        return count

    def presign_upload(self, key: str, content_type: str, length: int, seconds: int) -> str:
        """One PUT with ``Content-Type`` and ``Content-Length`` among the signed headers: S3 refuses another type or
        length, and the URL after ``seconds`` (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)."""
        return self._s3.generate_presigned_url(
            "put_object",
            Params={"Bucket": self._uploads, "Key": key, "ContentType": content_type, "ContentLength": length},
            ExpiresIn=seconds,
        )

    def read_upload(self, key: str, limit: int) -> bytes | None:
        # A ranged GET: never more than limit + 1 bytes into the function, whatever was put there.
        return self._read(self._uploads, key, f"bytes=0-{limit}")

    def _read(self, bucket: str, key: str, range_: str | None = None) -> bytes | None:
        try:
            answer = self._s3.get_object(Bucket=bucket, Key=key, **({"Range": range_} if range_ else {}))
        except ClientError as err:
            if err.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return answer["Body"].read()

    def put_media(self, key: str, body: bytes, content_type: str) -> None:
        self._s3.put_object(Bucket=self._media, Key=key, Body=body, ContentType=content_type)

    def read_media(self, key: str) -> bytes | None:
        return self._read(self._media, key)

    def delete_media(self, key: str) -> int:
        return self._delete_versions(self._media, key)

    def _delete_versions(self, bucket: str, key: str) -> int:
        count = 0
        for page in self._s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
            doomed = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
                if v["Key"] == key
            ]
            if doomed:
                self._s3.delete_objects(Bucket=bucket, Delete={"Objects": doomed, "Quiet": True})
            count += len(doomed)
        return count

    def delete_upload(self, key: str) -> int:
        """Every version of one object of the uploads bucket (a refused recording), and any upload to it still open."""
        for page in self._s3.get_paginator("list_multipart_uploads").paginate(Bucket=self._uploads, Prefix=key):
            for upload in page.get("Uploads", []):
                if upload["Key"] == key:
                    self._s3.abort_multipart_upload(Bucket=self._uploads, Key=key, UploadId=upload["UploadId"])
        return self._delete_versions(self._uploads, key)

    def delete_prefix(self, prefix: str) -> int:
        count = 0
        for bucket in (self._uploads, self._media):
            for page in self._s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=prefix):
                for upload in page.get("Uploads", []):
                    self._s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
            for page in self._s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
                doomed = [
                    {"Key": v["Key"], "VersionId": v["VersionId"]}
                    for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
                ]
                for i in range(0, len(doomed), 1000):
                    self._s3.delete_objects(Bucket=bucket, Delete={"Objects": doomed[i : i + 1000], "Quiet": True})
                count += len(doomed)
        return count
