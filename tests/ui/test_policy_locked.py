"""A setting the machine policy locks is shown locked (disabled, saying IT set it) wherever the
agent could otherwise change it: the sign-in dialog's server, View > Phone account."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.config import Settings, load_settings
from agent_desktop.policy import load_policy
from agent_desktop.services.account_settings import AccountSettings, PhoneAccount
from agent_desktop.services.session import SessionService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.login_dialog import LoginDialog
from agent_desktop.ui.dialogs.phone_account_dialog import PhoneAccountDialog

TIMEOUT_MS = 10_000
NOTE = "Set by your IT department (machine policy)"


def locked_settings(tmp_path: Path, dead_url: str) -> Settings:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'SERVER_URL = "{dead_url}"\nSIP_TRANSPORT = "tls"\n'
        'SIP_REGISTRAR = "sips:pbx.corp.example"\nLOCK = "server,sip"\n',
        encoding="utf-8",
    )
    user = tmp_path / "user.toml"
    user.write_text('[server]\nurl = "https://mine.example"\n', encoding="utf-8")
    return load_settings(None, user, None, load_policy(policy, platform="linux")).settings


def test_the_locked_server_is_disabled_and_says_who_set_it(
    qtbot: QtBot, session: SessionService, dead_server_url: str, tmp_path: Path
) -> None:
    settings = locked_settings(tmp_path, dead_server_url)
    dialog = LoginDialog(
        session,
        server_url=settings.server_url,
        username="wangfang",
        server_locked="server_url" in settings.locked,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server_edit.text() == dead_server_url
    assert not dialog.server_edit.isEnabled()
    assert dialog.server_edit.toolTip() == NOTE
    assert dialog.server_note.isVisible()
    assert dialog.server_note.text() == NOTE
    # A failed sign-in gives the fields back to the agent, but not the locked one.
    dialog.password_edit.setText("demo1234")
    with qtbot.waitSignal(session.sign_in_failed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.user_edit.isEnabled()
    assert dialog.password_edit.isEnabled()
    assert not dialog.server_edit.isEnabled()


def test_an_unlocked_server_stays_editable(qtbot: QtBot, session: SessionService) -> None:
    dialog = LoginDialog(session, server_url="https://cc.example.com")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server_edit.isEnabled()
    assert not dialog.server_note.isVisible()


def test_the_phone_account_shows_the_locked_sip_fields(
    qtbot: QtBot, dead_server_url: str, tmp_path: Path
) -> None:
    settings = locked_settings(tmp_path, dead_server_url)
    dialog = PhoneAccountDialog(PhoneAccount.of(settings), locked=settings.locked)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.registrar.text() == "sips:pbx.corp.example"
    assert dialog.transport.currentData() == "tls"
    for widget in (dialog.registrar, dialog.transport):
        assert not widget.isEnabled()
        assert widget.toolTip() == NOTE
    assert dialog.domain.isEnabled()
    assert dialog.proxy.isEnabled()
    assert dialog.locked_note.isVisible()
    assert dialog.locked_note.text() == NOTE
    assert dialog.changes().transport == "tls"


def test_saving_the_account_leaves_the_locked_keys_out_of_the_users_file(
    qtbot: QtBot, dead_server_url: str, tmp_path: Path
) -> None:
    settings = locked_settings(tmp_path, dead_server_url)
    path = tmp_path / "user.toml"
    tasks = TaskRunner()
    try:
        service = AccountSettings(tasks, path, settings)
        dialog = PhoneAccountDialog(service.account, locked=settings.locked)
        qtbot.addWidget(dialog)
        dialog.domain.setText("cc.corp.example")
        with qtbot.waitSignal(service.saved, timeout=TIMEOUT_MS):
            service.save(dialog.changes())
    finally:
        tasks.shutdown()
    text = path.read_text(encoding="utf-8")
    assert 'domain = "cc.corp.example"' in text
    assert "registrar" not in text
    assert "transport" not in text
