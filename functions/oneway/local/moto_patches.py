"""Where the embedded AWS departs from moto: every change Oneway makes to moto's classes, in one module.

moto has no public way to change what a backend does, so each change here replaces or adds one of
moto's methods, and says why. What each relies on (the names, signatures and attributes of moto's
classes) is asserted exactly in tests/unit/test_library_internals.py, so that a moto release that
changes one fails there, by name, before any flow does. The local stack installs them all
(``install()``); a test that runs moto in-process installs the ones it needs. The snapshot of the
embedded AWS (local/aws.py) relies on moto's objects too: see its module.

S3 multipart uploads without moto's copies of the object and its second event.
moto (5.2) joins the parts of a CompleteMultipartUpload into five copies of the whole
object in memory (the object, a second one for its checksum, ``bytes()`` of each, then a
buffer before its temporary file): a 1 GiB recording would need 5 GiB, and the candidate
waits on every copy. It also announces the new object twice (ObjectCreated:Put and
ObjectCreated:CompleteMultipartUpload) where S3 sends the second only. Here the new object
takes over its parts' buffers and reads through them in order (no copy, as S3 joins parts
without rewriting them), the full-object checksum is computed in one pass over the parts
(the same value moto computes), any other object larger than moto's memory buffer goes
straight to its file, and a completed upload is announced once, as S3 does.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import io
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

BLOCK = 1 << 20
_completing = threading.local()


class _Parts(io.RawIOBase):
    """A completed upload's body: its parts' buffers, read one after the other (read-only)."""

    def __init__(self, files: list[Any], sizes: list[int]):
        super().__init__()
        self._files, self._sizes, self._pos = files, sizes, 0
        self.size = sum(sizes)

    def __len__(self) -> int:
        return self.size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        want = self.size - self._pos if size is None or size < 0 else min(size, self.size - self._pos)
        pieces, start = [], 0
        for file, length in zip(self._files, self._sizes, strict=True):
            if want <= 0:
                break
            if self._pos < start + length:
                file.seek(self._pos - start)
                piece = file.read(min(want, start + length - self._pos))
                pieces.append(piece)
                self._pos += len(piece)
                want -= len(piece)
            start += length
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            for file in self._files:
                file.close()
        super().close()


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


def s3_multipart_without_copies() -> None:
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

    @functools.wraps(join_parts)
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
        checksum = 0

        def add(block: bytes) -> None:
            nonlocal checksum
            checksum = update(block, checksum)

        for part in parts:
            _each_block(part, add)
        whole = md5_hash()
        whole.update(b"".join(bytes.fromhex(part.etag.replace('"', "")) for part in parts))
        body_of_parts = _Parts([part._value_buffer for part in parts], [part.contentsize for part in parts])
        for part in parts:  # the object owns their buffers now: freeing the upload's parts leaves them open
            part._value_buffer = io.BytesIO()
        return body_of_parts, f"{whole.hexdigest()}-{len(parts)}", (kind, base64.b64encode(checksum.to_bytes(width, "big")).decode(), 1)

    @functools.wraps(set_value)
    def value(self: Any, new_value: Any) -> None:
        if isinstance(new_value, _Parts):  # a completed upload: the object reads through its parts
            self._value_buffer.close()
            self._value_buffer, self.contentsize = new_value, new_value.size
            return
        if isinstance(self._value_buffer, _Parts):  # a new body for it (moto writes into the buffer it has)
            self._value_buffer.close()
            # The key keeps its body open, as moto's own FakeKey does: no context to close it in.
            self._value_buffer = tempfile.SpooledTemporaryFile(self._max_buffer_size)  # noqa: SIM115
        if len(new_value) > self._max_buffer_size:
            self._value_buffer.rollover()  # to its file now, not through a buffer in memory first
        set_value(self, new_value)

    @functools.wraps(complete_upload)
    def complete_multipart_upload(self: Any, *args: Any, **kwargs: Any) -> Any:
        _completing.active = True
        try:
            return complete_upload(self, *args, **kwargs)
        finally:
            _completing.active = False

    @functools.wraps(put_object)
    def put_object_once(self: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(_completing, "active", False):
            kwargs["disable_notification"] = True  # CompleteMultipartUpload announces the object itself
        return put_object(self, *args, **kwargs)

    complete.oneway_patched = True
    models.FakeMultipart.complete = complete
    models.FakeKey.value = models.FakeKey.value.setter(value)
    models.S3Backend.complete_multipart_upload = complete_multipart_upload
    models.S3Backend.put_object = put_object_once


BODY_FILE = "oneway_body_file"  # a FakeKey's attribute: the file under s3-objects/ that holds its body (local/aws.py)


def s3_bodies_in_files() -> None:
    """A FakeKey whose body is set again forgets the file of the embedded AWS's snapshot that held its old body."""
    from moto.s3 import models

    if getattr(models.FakeKey.value.fset, "oneway_bodies", False):
        return
    set_value = models.FakeKey.value.fset

    @functools.wraps(set_value)
    def value(self: Any, new_value: Any) -> None:
        self.__dict__.pop(BODY_FILE, None)
        set_value(self, new_value)

    value.oneway_bodies = True
    models.FakeKey.value = models.FakeKey.value.setter(value)


def moto_modules_listed_once() -> None:
    """moto's server lists its package folder (a readdir and a stat per service) on every request, to
    tell a service's host name from an address; the folder does not change while it runs."""
    from moto import backends

    if getattr(backends.list_of_moto_modules, "oneway_patched", False):
        return
    listed = backends.list_of_moto_modules
    modules = tuple(listed())

    @functools.wraps(listed)
    def list_of_moto_modules() -> tuple[str, ...]:
        return modules

    list_of_moto_modules.oneway_patched = True
    backends.list_of_moto_modules = list_of_moto_modules


def cognito_challenges_like_aws() -> None:
    """moto's NEW_PASSWORD_REQUIRED challenge lacks the ``userAttributes`` and ``requiredAttributes`` that
    Cognito always sends (JSON strings) and that amazon-cognito-identity-js parses: without them an invited
    member cannot choose their password in the site. Add them, as Cognito fills them, on the local stack only."""
    import json

    from moto.cognitoidp.models import CognitoIdpBackend

    if getattr(CognitoIdpBackend.initiate_auth, "oneway_patched", False):
        return
    original = CognitoIdpBackend.initiate_auth

    @functools.wraps(original)
    def initiate_auth(self, client_id, auth_flow, auth_parameters):
        answer = original(self, client_id, auth_flow, auth_parameters)
        if answer.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            pool = next((p for p in self.user_pools.values() if client_id in p.clients), None)
            user = pool._get_user(auth_parameters.get("USERNAME", "")) if pool else None
            attributes = {a["Name"]: a["Value"] for a in (user.attributes if user else []) if a["Name"] != "sub"}
            answer["ChallengeParameters"].setdefault("userAttributes", json.dumps(attributes))
            answer["ChallengeParameters"].setdefault("requiredAttributes", "[]")
        return answer

    initiate_auth.oneway_patched = True
    CognitoIdpBackend.initiate_auth = initiate_auth


def cognito_sessions_like_aws() -> None:
    """Two things Cognito does with sessions that moto does not, on the local stack (and in tests):

    - RevokeToken, which the site calls at sign-out with its refresh token: that session ends (its refresh token
      stops working), the user's other sessions go on;
    - AdminUserGlobalSignOut by any name of the user (the API passes the sub): moto ends only the sessions
      signed in with that very string, and members sign in with their email."""
    from moto.cognitoidp.exceptions import NotAuthorizedError
    from moto.cognitoidp.models import CognitoIdpUserPool
    from moto.cognitoidp.responses import CognitoIdpResponse
    from moto.core.responses import EmptyResult

    if getattr(CognitoIdpUserPool.sign_out, "oneway_patched", False):
        return

    def revoke_token(self):
        token, client_id = self._get_param("Token"), self._get_param("ClientId")
        pool = next((p for p in self.backend.user_pools.values() if client_id in p.clients), None)
        if pool is None:
            raise NotAuthorizedError("Invalid client id")
        issued = pool.refresh_tokens.get(token)
        if issued is not None and issued[0] != client_id:
            raise NotAuthorizedError("Refresh token was issued to another client")
        if token in pool.refresh_tokens:
            pool.refresh_tokens[token] = None
        return EmptyResult()

    @functools.wraps(CognitoIdpUserPool.sign_out)
    def sign_out(self, username: str) -> None:
        user = self._get_user(username)

        def same(name: str) -> bool:
            return name == username or (user is not None and self._get_user(name) is user)

        for token, issued in list(self.refresh_tokens.items()):
            if issued is not None and same(issued[1]):
                self.refresh_tokens[token] = None
        for token, (_, name) in list(self.access_tokens.items()):
            if same(name):
                self.access_tokens.pop(token)

    sign_out.oneway_patched = True
    CognitoIdpResponse.revoke_token = revoke_token
    CognitoIdpUserPool.sign_out = sign_out


# Cognito's default sender, when a pool sends its own messages without SES.
# https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
COGNITO_DEFAULT_SENDER = "no-reply@verificationemail.com"


def cognito_recovery_like_aws() -> None:
    """Password recovery as Cognito does it, on the local stack (and in tests); moto does not:

    - ForgotPassword and AdminResetUserPassword email the account a 6-digit code. Cognito sends that email itself;
      here it goes where the local stack's mail goes (SES's record of sent mail: the outbox page).
    - ConfirmForgotPassword takes that code and no other (CodeMismatchException), once, and confirms the account.
    - A sign-in to an account whose password an admin reset fails with PasswordResetRequiredException.
    - AdminCreateUser with MessageAction RESEND gives the account a new temporary password (moto makes a second
      account beside it).

    https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
    https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html
    https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminResetUserPassword.html
    https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html"""
    import secrets

    from moto.cognitoidp.exceptions import CodeMismatchException, UserNotFoundError
    from moto.cognitoidp.models import CognitoIdpBackend, UserStatus
    from moto.core.exceptions import JsonRESTError
    from moto.ses.models import Message, ses_backends

    if getattr(CognitoIdpBackend.forgot_password, "oneway_patched", False):
        return

    class UnsupportedUserState(JsonRESTError):
        def __init__(self, message: str):
            super().__init__("UnsupportedUserStateException", message)

    def send_code(backend: Any, pool: Any, user: Any, why: str) -> None:
        user.confirmation_code = f"{secrets.randbelow(1_000_000):06d}"
        to = user.attribute_lookup.get("email")
        if not to:
            return
        sender = (pool.extended_config.get("EmailConfiguration") or {}).get("From") or COGNITO_DEFAULT_SENDER
        body = f"{why}\n\nYour verification code is {user.confirmation_code}\n"
        ses = ses_backends[backend.account_id][backend.region_name]
        ses.sent_messages.append(Message(f"cognito-{secrets.token_hex(8)}", sender, "Your verification code", body, {"ToAddresses": [to]}))

    def pool_of_client(backend: Any, client_id: str) -> Any:
        return next((p for p in backend.user_pools.values() if client_id in p.clients), None)

    original_forgot = CognitoIdpBackend.forgot_password

    @functools.wraps(original_forgot)
    def forgot_password(self, client_id, username):
        _, answer = original_forgot(self, client_id, username)
        pool = pool_of_client(self, client_id)
        user = pool._get_user(username) if pool else None
        if user is not None:
            send_code(self, pool, user, "Someone asked to reset the password of your account. If it was not you, ignore this email.")
        return None, answer

    def confirm_forgot_password(self, client_id, username, password, confirmation_code):
        pool = pool_of_client(self, client_id)
        user = pool._get_user(username) if pool else None
        if user is None:
            raise UserNotFoundError("Username/client id combination not found.")
        if not user.confirmation_code or not secrets.compare_digest(user.confirmation_code, confirmation_code or ""):
            raise CodeMismatchException("Invalid verification code provided, please try again.")
        user.password = password
        user.confirmation_code = None
        user.status = UserStatus.CONFIRMED

    original_reset = CognitoIdpBackend.admin_reset_user_password

    @functools.wraps(original_reset)
    def admin_reset_user_password(self, user_pool_id, username):
        original_reset(self, user_pool_id, username)
        pool = self.describe_user_pool(user_pool_id)
        send_code(self, pool, pool._get_user(username), "An administrator reset the password of your account. Choose a new one with this code.")

    original_initiate = CognitoIdpBackend.initiate_auth

    @functools.wraps(original_initiate)
    def initiate_auth(self, client_id, auth_flow, auth_parameters):
        pool = pool_of_client(self, client_id)
        user = pool._get_user((auth_parameters or {}).get("USERNAME", "")) if pool else None
        if user is not None and user.status is UserStatus.RESET_REQUIRED:
            raise JsonRESTError("PasswordResetRequiredException", "Password reset required for the user")
        return original_initiate(self, client_id, auth_flow, auth_parameters)

    original_create = CognitoIdpBackend.admin_create_user

    @functools.wraps(original_create)
    def admin_create_user(self, user_pool_id, username, message_action, temporary_password, attributes):
        if message_action != "RESEND":
            return original_create(self, user_pool_id, username, message_action, temporary_password, attributes)
        user = self.admin_get_user(user_pool_id, username)
        if user.status is not UserStatus.FORCE_CHANGE_PASSWORD:
            raise UnsupportedUserState("the user has signed in already")
        user.password = temporary_password or secrets.token_urlsafe(12)
        return user

    patches: tuple[tuple[str, Any], ...] = (
        ("forgot_password", forgot_password),
        ("confirm_forgot_password", confirm_forgot_password),
        ("admin_reset_user_password", admin_reset_user_password),
        ("initiate_auth", initiate_auth),
        ("admin_create_user", admin_create_user),
    )
    for name, patched in patches:
        patched.oneway_patched = True
        setattr(CognitoIdpBackend, name, patched)


def dynamodb_transactions_without_copying_streams() -> None:
    """moto's TransactWriteItems deep-copies each table it writes before writing (its rollback), and the
    table holds its stream's records: with the outbox's stream on, every transaction copied every record the
    table had ever streamed, so each write grew slower with the table's history (the load test's 100
    candidates took twice as long). A stream record never changes once written, so the copy of a shard keeps
    the same records in a list of its own: a rolled-back transaction still restores the records as they were
    before it."""
    from moto.dynamodb.models.table import StreamShard

    if getattr(StreamShard, "oneway_patched", False):
        return

    def __deepcopy__(self: Any, memo: dict[int, Any]) -> Any:
        twin = copy.copy(self)
        memo[id(self)] = twin
        twin.table = memo.get(id(self.table), self.table)
        twin.items = list(self.items)
        return twin

    StreamShard.__deepcopy__ = __deepcopy__
    StreamShard.oneway_patched = True


def ses_keeps_both_bodies() -> None:
    """moto's SendEmail keeps one body of a message, the HTML when it has one: the text alternative SES sends beside
    it is lost, and the outbox page could not show (nor tests check) that an email carries both. Here each sent
    message also keeps ``text`` and ``html``, the two parts SendEmail was given (None for a part it was not).
    https://docs.aws.amazon.com/ses/latest/APIReference/API_Body.html"""
    from moto.ses.responses import EmailResponse

    if getattr(EmailResponse.send_email, "oneway_patched", False):
        return
    original = EmailResponse.send_email

    @functools.wraps(original)
    def send_email(self: Any) -> Any:
        result = original(self)
        message_id = result.result["MessageId"]  # type: ignore[index]
        message = next((m for m in reversed(self.backend.sent_messages) if m.id == message_id), None)
        if message is not None:
            message.text = self._get_param("Message.Body.Text.Data")
            message.html = self._get_param("Message.Body.Html.Data")
        return result

    send_email.oneway_patched = True
    EmailResponse.send_email = send_email


def install() -> None:
    """Every change above, as the local stack runs moto."""
    ses_keeps_both_bodies()
    s3_multipart_without_copies()
    s3_bodies_in_files()
    moto_modules_listed_once()
    cognito_challenges_like_aws()
    cognito_sessions_like_aws()
    cognito_recovery_like_aws()
    dynamodb_transactions_without_copying_streams()
