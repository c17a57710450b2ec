"""The embedded AWS: a moto server on loopback whose state survives a restart.

moto keeps its state in Python objects; we pickle them to the state folder
on shutdown and every little while, and load them back before serving. The
bodies of S3 objects are not in the pickle: each is written once to a file of
its own under ``s3-objects/`` (an object's body never changes; a new body is a
new file), so a snapshot costs the metadata, not every recording again.

moto has no public way to save its state but its recorder, which would replay
every request, every recording's bytes included, at each start; so the
snapshot relies on moto's objects: the backends that ``get_backend`` gives,
S3 objects (``FakeKey``) with their ``__getstate__``/``__setstate__``, their
``_value_buffer`` and ``lock``. tests/unit/test_library_internals.py asserts
that shape, and tests/integration/test_local_snapshot.py the round trip. A
snapshot that an upgraded moto cannot read is set aside, and the stack starts
empty.
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
from typing import Any, cast

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .moto_patches import BODY_FILE

log = logging.getLogger("oneway.local")

SERVICES = ("s3", "dynamodb", "sqs", "cognito-idp", "ses", "events", "transcribe")
ACCOUNT = "123456789012"
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

    key = cast(FakeKey, FakeKey.__new__(FakeKey))  # moto's __new__ is typed as returning its base model
    key.__setstate__({**state, "value": (_bodies.folder / body_file).read_bytes() if body_file else b""})
    key.__dict__[BODY_FILE] = body_file  # setting the value forgot it: the body is still that file's
    if body_file is None:  # a part of a completed upload, freed: it stays so
        key._value_buffer.close()
    return key


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

        from . import moto_patches
        from .guard import LoopbackGuard, loopback_hosts

        moto_patches.install()
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
            # moto types get_backend per literal service name; these are SERVICES, named in a tuple.
            state = {name: dict(get_backend(name)) for name in SERVICES}  # type: ignore[call-overload]
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
