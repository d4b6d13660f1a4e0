"""End to end: one agent, two desks (two profile directories), the real backend over HTTP.
What the agent changes at the first seat (the docks, the language, a key) is written to
``/me/preferences`` and applied when the same agent signs in at the second seat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agent_desktop.app import LaunchOptions, Workstation
from agent_desktop.config import Settings
from agent_desktop.i18n import LanguageSwitcher
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.shortcuts import ShortcutId
from sync.contract.wire import Preferences
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import LiveBackend

pytestmark = pytest.mark.slow
TIMEOUT_MS = 20_000
AGENT = "wangfang"
NEW_READY_KEY = "Ctrl+Alt+R"


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite")
    yield server
    server.stop()


def open_desk(backend: LiveBackend, profile_dir: Path) -> Workstation:
    """A desk at a seat of its own, signed in as the agent; English until the profile says."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    settings = Settings(
        server_url=backend.url, sip_bind_address="127.0.0.1", sip_port=0,
        request_timeout_s=10, remember_sign_in=False,
    )  # fmt: skip
    desk = Workstation(
        app,
        settings,
        LaunchOptions(profile_dir=profile_dir, headless=True),
        credentials=MemoryCredentialStore(),
        tasks=TaskRunner(),
        language=LanguageSwitcher(app, "en"),
    )
    desk.session.sign_in(backend.url, AGENT, "demo1234", remember=False)
    return desk


def server_preferences(desk: Workstation) -> Preferences:
    factory = desk.sync.client_factory
    assert factory is not None
    with factory() as api:
        return api.preferences()


def close_desk(desk: Workstation) -> None:
    if not desk.tasks.closed:
        desk.shutdown()
    # The translators are the application's: the next desk (and test) starts in English.
    desk.language.switch("en")


def test_layout_language_and_keys_follow_the_agent_to_another_seat(
    qtbot: QtBot, backend: LiveBackend, tmp_path: Path
) -> None:
    first = open_desk(backend, tmp_path / "seat1")
    try:
        qtbot.waitUntil(lambda: first.desk_built and first.profile.loaded, timeout=TIMEOUT_MS)
        window = first.main_window
        assert window.dockWidgetArea(window.customer_dock) == Qt.DockWidgetArea.RightDockWidgetArea
        # The agent puts the 360 at the bottom, picks a key for Ready, and reads Chinese.
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.customer_dock)
        keys = window.shortcut_map.all()
        keys[ShortcutId.READY] = QKeySequence(NEW_READY_KEY)
        window.shortcut_map.save(keys)
        window.apply_shortcuts()
        window.shortcuts_changed.emit()  # what the shortcuts dialog's OK does
        window.language_actions["zh_CN"].trigger()
        assert first.language.language == "zh_CN"
        window.compact_bar_action.trigger()  # View > Compact call bar when minimised

        def written() -> bool:
            prefs = server_preferences(first)
            return (
                prefs.language == "zh_CN"
                and prefs.shortcuts.get(ShortcutId.READY.value) == NEW_READY_KEY
                and prefs.layout == window.dock_state()
                and prefs.compact_call_bar
            )

        qtbot.waitUntil(written, timeout=TIMEOUT_MS)
        # Once the answer is back, nothing is left to send.
        qtbot.waitUntil(lambda: first.profile.pending() == set(), timeout=TIMEOUT_MS)
    finally:
        close_desk(first)

    assert QApplication.translate("MainWindow", "&View") == "&View"  # English again
    second = open_desk(backend, tmp_path / "seat2")
    try:
        qtbot.waitUntil(lambda: second.desk_built and second.profile.loaded, timeout=TIMEOUT_MS)
        window = second.main_window
        assert second.language.language == "zh_CN"
        # (Qt posts LanguageChange to the windows: the menus are retranslated a moment later.)
        qtbot.waitUntil(
            lambda: "视图(&V)" in [a.text() for a in window.menuBar().actions()],
            timeout=TIMEOUT_MS,
        )
        area = window.dockWidgetArea(window.customer_dock)
        assert area == Qt.DockWidgetArea.BottomDockWidgetArea
        assert window.shortcut_map.keys(ShortcutId.READY) == QKeySequence(NEW_READY_KEY)
        ready = window.shortcut_actions[ShortcutId.READY]
        assert ready.shortcut() == QKeySequence(NEW_READY_KEY)
        assert window.compact_bar_action.isChecked()
        assert window.compact.enabled()
        # Applying the profile is not a change of this seat's: nothing to write back.
        assert second.profile.pending() == set()
    finally:
        close_desk(second)
