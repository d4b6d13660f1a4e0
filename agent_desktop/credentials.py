"""Where the session token is remembered: the OS keychain through ``keyring``, or nowhere.

There is no plaintext fallback. ``keyrings.alt`` would be picked automatically once installed and
stores secrets in a file; we refuse it (and any backend that is not a real OS keychain) and tell
the user the app will not remember the sign-in, and why.
"""

from __future__ import annotations

import logging
from typing import Protocol

import keyring
from keyring.backends import chainer
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "AgentWorkstation"


class CredentialStoreError(Exception):
    """The keychain exists but refused (locked, denied, D-Bus gone); ``str()`` says why."""


class CredentialStore(Protocol):
    @property
    def available(self) -> bool: ...

    @property
    def why_unavailable(self) -> str: ...

    def load_token(self, server_url: str, username: str) -> str | None: ...

    def save_token(self, server_url: str, username: str, token: str) -> None: ...

    def forget_token(self, server_url: str, username: str) -> None: ...


def account_key(server_url: str, username: str) -> str:
    return f"{username.lower()}@{server_url.rstrip('/')}"


class NoCredentialStore:
    """Remembers nothing; carries the reason to show the user."""

    def __init__(self, reason: str) -> None:
        self._reason = reason

    @property
    def available(self) -> bool:
        return False

    @property
    def why_unavailable(self) -> str:
        return self._reason

    def load_token(self, server_url: str, username: str) -> str | None:  # noqa: ARG002
        return None

    def save_token(self, server_url: str, username: str, token: str) -> None:  # noqa: ARG002
        raise CredentialStoreError(self._reason)

    def forget_token(self, server_url: str, username: str) -> None:
        pass


_PLAINTEXT_MODULES = ("keyrings.alt",)
# Backends let their transport's errors through (secretstorage's ItemNotFoundException when an
# item vanishes between search and read, jeepney's D-Bus errors, OSError from a dead socket):
# all say "the keychain is not usable now", an environment problem, not a bug of ours.
# KeyringError alone would let those crash a worker, so every backend error is caught and
# turned into a CredentialStoreError that carries the backend's message to the user.
_BACKEND_ERRORS = (KeyringError, Exception)
_REFUSED_BACKENDS = ("fail", "null", "chainer")


class KeyringCredentialStore:
    """The OS keychain: Secret Service (GNOME/KDE), Windows Credential Manager, macOS Keychain."""

    def __init__(self, backend: object) -> None:
        self._backend = backend

    @property
    def available(self) -> bool:
        return True

    @property
    def why_unavailable(self) -> str:
        return ""

    def load_token(self, server_url: str, username: str) -> str | None:

        try:
            token: str | None = self._backend.get_password(  # type: ignore[attr-defined]
                SERVICE, account_key(server_url, username)
            )
        except _BACKEND_ERRORS as exc:
            raise CredentialStoreError(f"The keychain refused to read: {exc}") from None
        return token

    def save_token(self, server_url: str, username: str, token: str) -> None:

        try:
            self._backend.set_password(  # type: ignore[attr-defined]
                SERVICE, account_key(server_url, username), token
            )
        except KeyringError as exc:
            raise CredentialStoreError(
                f"The keychain refused to store the sign-in: {exc}"
            ) from None

    def forget_token(self, server_url: str, username: str) -> None:

        try:
            self._backend.delete_password(  # type: ignore[attr-defined]
                SERVICE, account_key(server_url, username)
            )
        except PasswordDeleteError:
            pass  # nothing was stored: that is the goal
        except KeyringError as exc:
            raise CredentialStoreError(
                f"The keychain refused to forget the sign-in: {exc}"
            ) from None


def open_os_keychain() -> CredentialStore:
    """The OS keychain if there is a real one, else a store that says why there is none."""
    backend = keyring.get_keyring()
    module = type(backend).__module__
    if module.startswith(_PLAINTEXT_MODULES):
        return NoCredentialStore(
            f"the only keyring backend found ({module}) stores secrets in a plain file"
        )
    if isinstance(backend, chainer.ChainerBackend):
        real = [
            b for b in backend.backends if not type(b).__module__.startswith(_PLAINTEXT_MODULES)
        ]
        if not real:
            return NoCredentialStore("no OS keychain was found on this computer")
        backend = real[0]
        module = type(backend).__module__
    if module.rsplit(".", 1)[-1].lower() in _REFUSED_BACKENDS:
        return NoCredentialStore(
            "no OS keychain was found on this computer (on Linux: the Secret Service, "
            "e.g. GNOME Keyring or KWallet, is not running)"
        )
    log.info("keychain: %s", type(backend).__qualname__)
    return KeyringCredentialStore(backend)
