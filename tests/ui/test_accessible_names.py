"""Accessible names (issue 19): the real desk, as the composition root builds it and signed in
to the real backend over HTTP, has no interactive control or status indicator without a name
a screen reader can say: the agent's window with a customer popped and a new ticket open,
and the team lead's with the wallboard. The same, read over AT-SPI as Orca reads it, is
``tests/ui/test_atspi_tree.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agent_desktop.app import LaunchOptions, Workstation
from agent_desktop.config import Settings
from agent_desktop.services.session import SessionService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.login_dialog import LoginDialog
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from tests.fakes.accessible_tree import controls, undescribed_indicators, unnamed
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import LiveBackend

TIMEOUT = 20_000
SEEDED_CALLER = "13800138000"


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite")
    yield server
    server.stop()


def signed_in_desk(qtbot: QtBot, backend: LiveBackend, tmp_path: Path, user: str) -> Workstation:
    settings = Settings(
        server_url=backend.url, sip_bind_address="127.0.0.1", sip_port=0,
        request_timeout_s=3, remember_sign_in=False,
    )  # fmt: skip
    desk = Workstation(
        QApplication.instance(),  # type: ignore[arg-type]
        settings,
        LaunchOptions(profile_dir=tmp_path / f"profile-{user}", headless=True),
        credentials=MemoryCredentialStore(),
        tasks=TaskRunner(),
    )
    desk.session.sign_in(backend.url, user, "demo1234", remember=False)
    qtbot.waitUntil(
        lambda: desk.desk_built and desk.sync.status.state == "online"
        and desk.sync.status.last_synced is not None,
        timeout=TIMEOUT,
    )  # fmt: skip
    return desk


def close(desk: Workstation) -> None:
    if not desk.tasks.closed:
        desk.shutdown()
    if desk.desk_built:
        desk.main_window.deleteLater()
    QCoreApplication.processEvents()


def report(missing: list[object]) -> str:
    return "controls without an accessible name:\n" + "\n".join(map(str, missing))


def test_the_agents_desk_names_every_control(
    qtbot: QtBot, backend: LiveBackend, tmp_path: Path, app_look: None
) -> None:
    desk = signed_in_desk(qtbot, backend, tmp_path, "wangfang")
    try:
        window = desk.main_window
        # A caller popped, and the ticket form the agent opens from the 360.
        desk.screen_pop.pop_number(SEEDED_CALLER)
        qtbot.waitUntil(lambda: window.customer_panel.view is not None, timeout=TIMEOUT)
        window.customer_panel.new_ticket_button.click()
        qtbot.waitUntil(lambda: bool(window.findChildren(TicketForm)), timeout=TIMEOUT)
        # The colleague directory (transfer) and the phone account, as View opens them.
        window.open_directory()
        window.open_account()
        assert window.directory_dialog is not None
        assert window.account_dialog is not None
        for dialog in (window.directory_dialog, window.account_dialog):
            assert dialog.parentWidget() is window, "the walk below reaches it"
        found = controls(window)
        assert len(found) > 60, "the walk reached the desk's panels"
        assert not unnamed(window), report(unnamed(window))  # type: ignore[arg-type]
        assert not undescribed_indicators(window)
    finally:
        close(desk)


def test_the_leads_desk_names_every_control(
    qtbot: QtBot, backend: LiveBackend, tmp_path: Path, app_look: None
) -> None:
    desk = signed_in_desk(qtbot, backend, tmp_path, "zhangwei")
    try:
        window = desk.main_window
        qtbot.waitUntil(lambda: desk.wallboard.loaded, timeout=TIMEOUT)
        panel = window.wallboard_panel
        assert panel is not None, "a team lead's desk shows the wallboard"
        assert not unnamed(window), report(unnamed(window))  # type: ignore[arg-type]
    finally:
        close(desk)


def test_the_sign_in_dialog_names_every_control(
    qtbot: QtBot, session: SessionService, backend: LiveBackend
) -> None:
    dialog = LoginDialog(session, server_url=backend.url, username="wangfang")
    qtbot.addWidget(dialog)
    dialog.show()
    assert len(controls(dialog)) >= 4  # server, user, password, remember, the buttons
    assert not unnamed(dialog), report(unnamed(dialog))  # type: ignore[arg-type]
