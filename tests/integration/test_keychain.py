"""The sign-in token in the real OS keychain (GNOME Keyring's Secret Service on a private bus)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.config import Settings
from agent_desktop.credentials import KeyringCredentialStore, open_os_keychain
from agent_desktop.messages import MessageBridge
from agent_desktop.services.phone_setup import phone_config
from agent_desktop.services.session import SessionService
from agent_desktop.tasks import TaskRunner
from softphone import Phone, RegistrationState
from tests.fakes.servers import LiveBackend
from tests.fakes.sipp import Sipp

pytestmark = pytest.mark.keychain
TIMEOUT_MS = 10_000


def test_store_load_forget(secret_service: str) -> None:
    store = open_os_keychain()
    assert isinstance(store, KeyringCredentialStore), store.why_unavailable
    store.save_token("https://cc.example.com/", "WangFang", "tok-123")
    assert store.load_token("https://cc.example.com", "wangfang") == "tok-123"
    store.forget_token("https://cc.example.com", "wangfang")
    assert store.load_token("https://cc.example.com", "wangfang") is None
    store.forget_token("https://cc.example.com", "wangfang")  # forgetting twice is fine


def test_token_kept_in_keychain_signs_in_next_time_and_nowhere_else(
    secret_service: str,
    qtbot: QtBot,
    live_backend: LiveBackend,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = open_os_keychain()
    tasks = TaskRunner()
    messages = MessageBridge()
    messages.ui_connected()
    first = SessionService(tasks, store, messages, Settings())
    with qtbot.waitSignal(first.signed_in, timeout=TIMEOUT_MS) as signed:
        first.sign_in(live_backend.url, "alice", "demo1234", remember=True)
    token = signed.args[0].token
    assert store.load_token(live_backend.url, "alice") == token

    # Next start: a new session restores from the keychain without a password.
    second = SessionService(tasks, open_os_keychain(), messages, Settings())
    with qtbot.waitSignal(second.signed_in, timeout=TIMEOUT_MS) as restored:
        second.restore(live_backend.url, "alice")
    assert restored.args[0].user.display_name == "Alice Chen"
    assert restored.args[0].token == token

    # The token is in no log line.
    assert token not in caplog.text

    # Signing out forgets it, and a restore then has nothing to use.
    with qtbot.waitSignal(second.signed_out, timeout=TIMEOUT_MS):
        background = second.sign_out()
    assert background is not None
    background.result(timeout=10)
    assert store.load_token(live_backend.url, "alice") is None
    with qtbot.waitSignal(second.restore_failed, timeout=TIMEOUT_MS) as failed:
        second.restore(live_backend.url, "alice")
    assert failed.args == [""]
    tasks.shutdown()


def test_unticking_remember_forgets_an_earlier_token(
    secret_service: str, qtbot: QtBot, live_backend: LiveBackend
) -> None:
    store = open_os_keychain()
    store.save_token(live_backend.url, "tom", "old-token-from-yesterday")
    tasks = TaskRunner()
    messages = MessageBridge()
    session = SessionService(tasks, store, messages, Settings())
    with qtbot.waitSignal(session.signed_in, timeout=TIMEOUT_MS):
        session.sign_in(live_backend.url, "tom", "demo1234", remember=False)
    assert store.load_token(live_backend.url, "tom") is None
    tasks.shutdown()


@pytest.mark.slow
def test_the_sip_password_from_the_keychain_registers_the_phone(
    secret_service: str, qtbot: QtBot, tmp_path: Path
) -> None:
    """IT puts the SIP password in the keychain; the configuration names only the account.
    SIPp's registrar checks the digest against the password it expects."""
    registrar = Sipp("registrar", tmp_path)
    try:
        registrar.wait_bound()
        settings = Settings(
            sip_user="agent1001",
            sip_domain="cc.test",
            sip_registrar=f"sip:{registrar.address}",
            sip_bind_address="127.0.0.1",
            sip_port=0,
        )
        store = open_os_keychain()
        store.save_token(settings.sip_registrar, "agent1001", "s3cret-pw")
        warnings: list[str] = []
        config = phone_config(settings, open_os_keychain(), demo=False, warn=warnings.append)
        assert not warnings
        phone = Phone()
        phone.start(config)
        phone.wait_ready()  # the engine's process is up
        try:
            qtbot.waitUntil(
                lambda: phone.registration.state == RegistrationState.REGISTERED,
                timeout=TIMEOUT_MS,
            )
        finally:
            phone.stop()
        qtbot.waitUntil(lambda: registrar.finished, timeout=TIMEOUT_MS)
        assert registrar.process.returncode == 0, registrar.report()
        assert "s3cret-pw" not in repr(config)  # nor in any log line that prints the config
    finally:
        registrar.stop()
