"""The embedded AWS: a moto server on loopback whose state survives a restart.

moto keeps its state in Python objects; we pickle them to the state folder
on shutdown and every little while, and load them back before serving.
"""

from __future__ import annotations

import copyreg
import logging
import os
import pickle
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

log = logging.getLogger("oneway.local")

SERVICES = ("s3", "dynamodb", "sqs", "cognito-idp", "ses", "events", "transcribe")
ACCOUNT = "123456789012"


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


class EmbeddedAws:
    def __init__(self, host: str, port: int, state_dir: Path):
        self.host, self.port = host, port
        self.endpoint = f"http://{host}:{port}"
        self._snapshot = state_dir / "aws.pickle"
        self._server = None
        self._lock = threading.Lock()

    def start(self) -> None:
        os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        # TOTP codes are checked (against moto's one fixed secret, which the setup page shows like any other).
        os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
        from moto.server import ThreadedMotoServer

        from . import s3_multipart

        s3_multipart.install()
        _moto_modules_listed_once()
        _cognito_challenges_like_aws()
        self._restore()
        self._server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        self._server.start()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def _restore(self) -> None:
        if not self._snapshot.exists():
            return
        from moto.backends import get_backend

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

        with self._lock:
            state = {name: dict(get_backend(name)) for name in SERVICES}
            tmp = self._snapshot.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(state))
            tmp.replace(self._snapshot)

    def stop(self) -> None:
        if self._server is not None:
            self.snapshot()
            self._server.stop()
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
