"""The main window shell: layout persistence, menus, status bar, CJK rendering."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QTextLayout
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.ui.main_window import MainWindow
from tests.fakes.servers import LiveBackend

TIMEOUT_MS = 10_000


def make_window(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, store: QSettings
) -> MainWindow:
    window = MainWindow(session, messages, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def missing_glyphs(text: str, font: QFont) -> list[str]:
    """Characters of ``text`` that would render as a box (glyph 0, .notdef) in ``font``."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    indexes = [i for run in layout.glyphRuns() for i in run.glyphIndexes()]
    assert indexes, "nothing was laid out"
    return [text[n] for n, index in enumerate(indexes) if index == 0 and n < len(text)]


def test_areas_and_menus_exist(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, layout_store: QSettings
) -> None:
    window = make_window(qtbot, session, messages, layout_store)
    assert window.phone_dock.isVisible()
    assert window.customer_dock.isVisible()
    tabs = [window.work_area.tabText(i).replace("&", "") for i in range(window.work_area.count())]
    assert tabs == ["Tickets", "Dispatch", "Callbacks", "Knowledge base"]
    menus = [a.text().replace("&", "") for a in window.menuBar().actions() if a.isVisible()]
    assert menus == ["File", "Call", "View", "Help"]
    # Tools (Administration) only for a user holding an admin page's permission.
    assert not window.tools_menu.menuAction().isVisible()
    assert not window.sign_out_action.isEnabled()  # nobody is signed in yet
    assert "Signed out" in window.connection_label.text()


def test_layout_persists_across_restarts(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, layout_store: QSettings
) -> None:
    first = make_window(qtbot, session, messages, layout_store)
    first.customer_dock.toggleViewAction().trigger()  # the user hides Customer 360
    first.resize(760, 540)  # within the offscreen screen, which restoreGeometry clamps to
    first.close()

    second = make_window(qtbot, session, messages, layout_store)
    assert not second.customer_dock.isVisible()
    assert second.phone_dock.isVisible()
    assert (second.width(), second.height()) == (760, 540)

    second.reset_layout_action.trigger()
    assert second.customer_dock.isVisible()


def test_status_bar_follows_sign_in_and_shows_chinese_name(
    qtbot: QtBot,
    session: SessionService,
    messages: MessageBridge,
    layout_store: QSettings,
    live_backend: LiveBackend,
) -> None:
    window = make_window(qtbot, session, messages, layout_store)
    with qtbot.waitSignal(session.signed_in, timeout=TIMEOUT_MS):
        session.sign_in(live_backend.url, "wangfang", "demo1234", remember=False)
    assert "Online" in window.connection_label.text()
    assert window.user_label.text().startswith("王芳 · Agent · 医疗设备热线")
    assert window.agent_state_label.text() == "Agent state: Not ready"
    assert window.sign_out_action.isEnabled()
    assert missing_glyphs("王芳 医疗设备热线", window.user_label.font()) == []

    with qtbot.waitSignal(session.signed_out, timeout=TIMEOUT_MS):
        window.sign_out_action.trigger()
    assert "Signed out" in window.connection_label.text()
    assert window.agent_state_label.text() == "Agent state: Logged out"


def test_connection_goes_offline_and_session_expiry_signs_out(
    qtbot: QtBot,
    session: SessionService,
    messages: MessageBridge,
    layout_store: QSettings,
    own_backend: LiveBackend,
) -> None:
    window = make_window(qtbot, session, messages, layout_store)
    with qtbot.waitSignal(session.signed_in, timeout=TIMEOUT_MS):
        session.sign_in(own_backend.url, "lina", "demo1234", remember=False)

    # The token is revoked on the server (signed out elsewhere, or expired).
    from sync.client import ApiClient

    assert session.grant is not None
    with ApiClient(own_backend.url, token=session.grant.token) as other:
        other.logout()
    with qtbot.waitSignal(session.signed_out, timeout=TIMEOUT_MS) as ended:
        session.check_connection()
    assert "session has expired" in ended.args[0]

    # Signed in again, the backend goes away: offline, with a message, still signed in.
    with qtbot.waitSignal(session.signed_in, timeout=TIMEOUT_MS):
        session.sign_in(own_backend.url, "lina", "demo1234", remember=False)
    own_backend.stop()
    with qtbot.waitSignal(session.connection_changed, timeout=TIMEOUT_MS):
        session.check_connection()
    assert "Offline" in window.connection_label.text()
    assert session.grant is not None
    assert "Cannot reach the server" in messages.history[-1].text


def test_missing_glyph_check_detects_boxes() -> None:
    # A private-use code point has no glyph in any installed font: the check must see it.
    assert missing_glyphs("\ue000", QFont()) == ["\ue000"]


def test_first_sync_download_is_shown_in_megabytes(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, layout_store: QSettings
) -> None:
    from sync.engine import SyncStatus

    window = make_window(qtbot, session, messages, layout_store)
    downloading = SyncStatus(state="syncing", done=12_500_000, total=67_000_000, unit="bytes")
    assert window.sync_text(downloading)[0] == "● Downloading your data: 12.5 of 67.0 MB"
    changes = SyncStatus(state="syncing", done=500, total=2_000)
    assert window.sync_text(changes)[0] == "● Syncing 500 of 2,000"


def test_recordings_waiting_for_the_server_are_shown_beside_the_records(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, layout_store: QSettings
) -> None:
    """The recordings' outbox (issue 20): its count joins the connection label."""
    from PySide6.QtCore import QObject, Signal

    from sync.engine import SyncStatus

    class Uploads(QObject):
        pending_changed = Signal(int)

    window = make_window(qtbot, session, messages, layout_store)
    uploads = Uploads()
    window.attach_recording_uploads(uploads.pending_changed)
    uploads.pending_changed.emit(2)
    offline = SyncStatus(state="online", waiting=1)
    assert window.sync_text(offline)[0] == "● Online · waiting to send: 1 · recordings to upload: 2"
    uploads.pending_changed.emit(0)
    assert window.sync_text(offline)[0] == "● Online · waiting to send: 1"
