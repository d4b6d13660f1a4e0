"""Which keychain the app trusts: a real OS keychain, or none (never a plaintext file)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from agent_desktop.credentials import (
    CredentialStoreError,
    KeyringCredentialStore,
    NoCredentialStore,
    open_os_keychain,
)


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's file backend (its module name is what gives it away)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_no_keychain_means_nothing_is_remembered_and_says_why(restore_keyring: None) -> None:
    keyring.set_keyring(fail.Keyring())
    store = open_os_keychain()
    assert isinstance(store, NoCredentialStore)
    assert not store.available
    assert "no OS keychain" in store.why_unavailable
    assert store.load_token("https://a", "u") is None
    with pytest.raises(CredentialStoreError):
        store.save_token("https://a", "u", "t")


def test_plaintext_backend_is_refused(restore_keyring: None) -> None:
    keyring.set_keyring(PlaintextKeyring())
    store = open_os_keychain()
    assert not store.available
    assert "plain file" in store.why_unavailable


def test_real_backend_is_used(restore_keyring: None) -> None:
    class OsKeychain(PlaintextKeyring):
        pass

    OsKeychain.__module__ = "keyring.backends.SecretService"
    keyring.set_keyring(OsKeychain())
    assert isinstance(open_os_keychain(), KeyringCredentialStore)
