"""The embedded AWS: a moto server on loopback whose state survives a restart.

moto keeps its state in Python objects; we pickle them to the state folder
on shutdown and every little while, and load them back before serving. The
bodies of S3 objects are not in the pickle: each is written once to a file of
its own under ``s3-objects/`` (an object's body never changes; a new body is a
new file), so a snapshot costs the metadata, not every recording again.
"""

from __future__ import annotations

import copyreg
import logging
import os
import pickle
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

log = logging.getLogger("oneway.local")

SERVICES = ("s3", "dynamodb", "sqs", "cognito-idp", "ses", "events", "transcribe")
ACCOUNT = "123456789012"
BODY_FILE = "oneway_body_file"  # a FakeKey's attribute: the file under s3-objects/ that holds its body
_bodies = threading.local()  # the s3-objects/ folder of the snapshot being loaded


def _load_key(pem: bytes):
    return serialization.load_pem_private_key(pem, None)


def _reduce_key(key):
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return _load_key, (pem,)


def _new_rlock():
    return threading.RLock()


def _new_lock():
    return threading.Lock()


# moto's objects hold locks and Cognito's signing key: teach pickle to rebuild them.
copyreg.pickle(type(threading.RLock()), lambda _lock: (_new_rlock, ()))
copyreg.pickle(type(threading.Lock()), lambda _lock: (_new_lock, ()))
copyreg.pickle(type(rsa.generate_private_key(public_exponent=65537, key_size=1024)), _reduce_key)


def _restore_object(state: dict[str, Any], body_file: str | None) -> Any:
    from moto.s3.models import FakeKey

    key = FakeKey.__new__(FakeKey)
    key.__setstate__({**state, "value": (_bodies.folder / body_file).read_bytes() if body_file else b""})
    key.__dict__[BODY_FILE] = body_file  # setting the value forgot it: the body is still that file's
    if body_file is None:  # a part of a completed upload, freed: it stays so
        key._value_buffer.close()
    return key


def _bodies_in_files() -> None:
    """A FakeKey whose body is set again forgets the file that held its old body."""
    from moto.s3 import models

    if getattr(models.FakeKey.value.fset, "oneway_patched", False):
        return
    set_value = models.FakeKey.value.fset

    def value(self: Any, new_value: Any) -> None:
        self.__dict__.pop(BODY_FILE, None)
        set_value(self, new_value)

    value.oneway_patched = True  # type: ignore[attr-defined]
    models.FakeKey.value = models.FakeKey.value.setter(value)


class EmbeddedAws:
    def __init__(self, host: str, port: int, state_dir: Path, *, site_origins: set[str]):
        self.host, self.port = host, port
        self._site_origins = site_origins
        self.endpoint = f"http://{host}:{port}"
        self._snapshot = state_dir / "aws.pickle"
        self._bodies = state_dir / "s3-objects"
        self._server: Any = None
        self._lock = threading.Lock()

    def start(self) -> None:
        os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        # TOTP codes are checked (against moto's one fixed secret, which the setup page shows like any other).
        os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        from .guard import LoopbackGuard, loopback_hosts
        from . import s3_multipart

        s3_multipart.install()
        _bodies_in_files()
        _moto_modules_listed_once()
        _cognito_challenges_like_aws()
        cognito_sessions_like_aws()
        self._restore()
        # moto's own server (what ThreadedMotoServer runs), behind the loopback guard: it checks no
        # signature, so only programs on this machine and the site's own pages may reach it.
        app = LoopbackGuard(
            DomainDispatcherApplication(create_backend_app),
            hosts=loopback_hosts(self.host, self.port),
            origins=self._site_origins,
        )
        self._server = make_server(self.host, self.port, app, threaded=True, request_handler=MotoRequestHandler)
        threading.Thread(target=self._server.serve_forever, name="embedded-aws", daemon=True).start()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def _restore(self) -> None:
        if not self._snapshot.exists():
            return
        from moto.backends import get_backend

        _bodies.folder = self._bodies
        try:
            saved = pickle.loads(self._snapshot.read_bytes())
        except Exception as err:  # a snapshot from another moto version: start empty, keep the file
            log.warning("could not read %s (%s); starting with empty state", self._snapshot, err)
            self._snapshot.rename(self._snapshot.with_suffix(".unreadable"))
            return
        for name, accounts in saved.items():
            live = get_backend(name)
            for account, regions in accounts.items():
                live[account] = regions
        log.info("restored the embedded AWS state from %s", self._snapshot)

    def snapshot(self) -> None:
        from moto.backends import get_backend
        from moto.s3.models import FakeKey

        with self._lock:
            state = {name: dict(get_backend(name)) for name in SERVICES}
            self._bodies.mkdir(exist_ok=True)
            kept: set[str] = set()
            tmp = self._snapshot.with_suffix(".tmp")
            with tmp.open("wb") as out:
                pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = copyreg.dispatch_table | {FakeKey: lambda key: self._reduce_object(key, kept)}
                pickler.dump(state)
            tmp.replace(self._snapshot)
            for file in self._bodies.iterdir():
                if file.name not in kept:  # the body of an object deleted or replaced since
                    file.unlink()

    def _reduce_object(self, key: Any, kept: set[str]) -> tuple[Any, ...]:
        """A FakeKey as its metadata and the name of the file that holds its body (written on first sight)."""
        name = key.__dict__.get(BODY_FILE)
        if key._value_buffer.closed:  # a deleted object, or a part of a completed upload: no body left
            name = None
        elif name is None or not (self._bodies / name).exists():
            name = uuid.uuid4().hex
            with key.lock, (self._bodies / name).open("wb") as out:
                key._value_buffer.seek(0)
                shutil.copyfileobj(key._value_buffer, out, 1 << 20)
            key.__dict__[BODY_FILE] = name
        if name:
            kept.add(name)
        state = {k: v for k, v in key.__dict__.items() if k not in ("_value_buffer", "lock")}
        return _restore_object, (state, name)

    def stop(self) -> None:
        if self._server is not None:
            self.snapshot()
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _moto_modules_listed_once() -> None:
    """moto's server lists its package folder (a readdir and a stat per service) on every request, to
    tell a service's host name from an address; the folder does not change while it runs."""
    from moto import backends

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules


def _cognito_challenges_like_aws() -> None:
    """moto's NEW_PASSWORD_REQUIRED challenge lacks the ``userAttributes`` and ``requiredAttributes`` that
    Cognito always sends (JSON strings) and that amazon-cognito-identity-js parses: without them an invited
    member cannot choose their password in the site. Add them, as Cognito fills them, on the local stack only."""
    import json

    from moto.cognitoidp.models import CognitoIdpBackend

    if getattr(CognitoIdpBackend.initiate_auth, "oneway_patched", False):
        return
    original = CognitoIdpBackend.initiate_auth

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

    if hasattr(CognitoIdpResponse, "revoke_token"):
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

    CognitoIdpResponse.revoke_token = revoke_token
    CognitoIdpUserPool.sign_out = sign_out
