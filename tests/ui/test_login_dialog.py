"""The sign-in dialog against the real backend, a dead port and a server answering garbage."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.services.session import SessionService
from agent_desktop.ui.dialogs.login_dialog import LoginDialog
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import GarbageServer, LiveBackend

TIMEOUT_MS = 10_000


def open_dialog(
    qtbot: QtBot, session: SessionService, url: str, user: str = "wangfang"
) -> LoginDialog:
    dialog = LoginDialog(session, server_url=url, username=user)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def sign_in(qtbot: QtBot, dialog: LoginDialog, password: str) -> None:
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def assert_usable_with_error(dialog: LoginDialog, words: str) -> None:
    assert dialog.isVisible()
    assert words in dialog.error_label.text()
    assert dialog.error_label.isVisible()
    assert dialog.sign_in_button.isEnabled()
    assert dialog.server_edit.isEnabled()
    assert dialog.password_edit.isEnabled()
    assert not dialog.progress_label.isVisible()


def test_success_signs_in_and_remembers_token(
    qtbot: QtBot,
    session: SessionService,
    live_backend: LiveBackend,
    credentials: MemoryCredentialStore,
) -> None:
    dialog = open_dialog(qtbot, session, live_backend.url)
    with qtbot.waitSignal(session.signed_in, timeout=TIMEOUT_MS) as signed:
        sign_in(qtbot, dialog, "demo1234")
    grant = signed.args[0]
    assert grant.user.display_name == "王芳"
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.password_edit.text() == ""  # the password is not kept in the widget
    assert list(credentials.tokens.values()) == [grant.token]
    assert session.grant == grant


def test_wrong_password_keeps_dialog_usable(
    qtbot: QtBot, session: SessionService, live_backend: LiveBackend
) -> None:
    dialog = open_dialog(qtbot, session, live_backend.url)
    with qtbot.waitSignal(session.sign_in_failed, timeout=TIMEOUT_MS):
        sign_in(qtbot, dialog, "wrong")
    assert_usable_with_error(dialog, "Wrong user name or password")
    assert dialog.password_edit.hasFocus() or dialog.password_edit.selectedText() == "wrong"
    # ... and a second try with the right password goes through.
    with qtbot.waitSignal(session.signed_in, timeout=TIMEOUT_MS):
        sign_in(qtbot, dialog, "demo1234")


def test_server_down(qtbot: QtBot, session: SessionService, dead_server_url: str) -> None:
    dialog = open_dialog(qtbot, session, dead_server_url)
    with qtbot.waitSignal(session.sign_in_failed, timeout=TIMEOUT_MS):
        sign_in(qtbot, dialog, "demo1234")
    assert_usable_with_error(dialog, "Cannot reach the server")
    assert dead_server_url in dialog.error_label.text()


def test_server_answering_garbage(
    qtbot: QtBot, session: SessionService, garbage_server: GarbageServer
) -> None:
    dialog = open_dialog(qtbot, session, garbage_server.url)
    with qtbot.waitSignal(session.sign_in_failed, timeout=TIMEOUT_MS):
        sign_in(qtbot, dialog, "demo1234")
    assert_usable_with_error(dialog, "did not answer like an Agent Workstation backend")


def test_missing_fields_are_named_without_a_request(qtbot: QtBot, session: SessionService) -> None:
    dialog = open_dialog(qtbot, session, "https://cc.example.com", user="")
    with qtbot.assertNotEmitted(session.sign_in_failed, wait=100):
        sign_in(qtbot, dialog, "pw")
    assert dialog.error_label.text() == "Enter your user name."
    assert dialog.user_edit.hasFocus()


def test_bad_server_address_is_explained(qtbot: QtBot, session: SessionService) -> None:
    dialog = open_dialog(qtbot, session, "cc.example.com")
    with qtbot.waitSignal(session.sign_in_failed, timeout=TIMEOUT_MS):
        sign_in(qtbot, dialog, "pw")
    assert_usable_with_error(dialog, "must start with https:// or http://")


def test_no_keychain_disables_remember_and_says_why(qtbot: QtBot, make_session) -> None:  # type: ignore[no-untyped-def]
    from agent_desktop.credentials import NoCredentialStore

    session = make_session(NoCredentialStore("no OS keychain was found on this computer"))
    dialog = open_dialog(qtbot, session, "https://cc.example.com")
    assert not dialog.remember_box.isChecked()
    assert not dialog.remember_box.isEnabled()
    assert dialog.keychain_note.isVisible()
    assert "no OS keychain" in dialog.keychain_note.text()
