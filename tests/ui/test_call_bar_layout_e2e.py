"""The desk on the screens centres use, in both languages, on the real main window signed in to
the real backend: every work tab (the knowledge base with an article open), a SIPp call ringing
and popping its customer, and a team lead's board while the lead listens to a call (a SIPp
agent leg answers the lead's phone). Each time: the window keeps its size, its minimum is no
more than the screen, and the call bar's name, number and timer are shown whole.

150 % scaling is checked without a scaled screen: Qt lays out in logical pixels, so a
1920×1080 screen at 150 % is a 1280×720 window's worth of layout and 1366×768 at 150 % is
910×512, whatever the device pixel ratio. Where a panel needs more than that, it scrolls in its
place (ui/fit.py); the failure message lists the widest and tallest widgets (a measuring walk of
minimum size hints), the first place to look."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt, QTranslator
from PySide6.QtWidgets import QAbstractScrollArea, QHeaderView, QScrollArea, QTableView, QWidget
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.messages import MessageBridge
from agent_desktop.services.agent_state import AgentStateService, AgentStatus
from agent_desktop.services.monitoring import MonitorService
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.wallboard import WallboardService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.models.tickets_model import COLUMNS, Column
from agent_desktop.ui.shortcuts import ShortcutId
from agent_desktop.ui.work_desk import KNOWLEDGE_TAB
from softphone import Phone, PhoneConfig
from sync.clock import system_clock
from sync.contract.records import AgentState
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.rig import Rig
from tests.fakes.servers import LiveBackend
from tests.fakes.sipp import Sipp
from tests.ui.test_call_bar_e2e import SpyNotifier, not_elided
from tests.ui.test_keyboard_e2e import TIMEOUT_MS, finished, only_call, rings

pytestmark = pytest.mark.slow
SCREENS = {
    "1280x800 (the window's own default)": (1280, 800),
    "1366x768@100%": (1366, 768),
    "1366x768@150%": (910, 512),
    "1920x1080@100%": (1920, 1080),
    "1920x1080@150%": (1280, 720),
}


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    translator = QTranslator()
    if request.param != "en":
        qm = TRANSLATIONS_DIR / f"agent_desktop_{request.param}.qm"
        assert translator.load(str(qm)), f"{qm} is missing: run make translations"
        QCoreApplication.installTranslator(translator)
    yield request.param
    QCoreApplication.removeTranslator(translator)


def widest(window: QWidget, count: int = 8) -> str:
    """The visible widgets that ask for the most room (their minimum size hints): where to
    look when the window grew."""
    sizes: list[tuple[int, int, str]] = []
    for widget in window.findChildren(QWidget):
        if widget.isVisibleTo(window):
            hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
            name = f"{type(widget).__name__}#{widget.objectName()}"
            sizes.append((hint.width(), hint.height(), name))
    by_width = sorted(sizes, reverse=True)[:count]
    by_height = sorted(sizes, key=lambda s: -s[1])[:count]
    return f"widest {by_width}; tallest {by_height}"


def keeps_its_size(window: MainWindow, size: tuple[int, int], what: str) -> None:
    screen = QSize(*size)
    assert (window.width(), window.height()) == size, (what, widest(window))
    minimum = window.minimumSizeHint()
    assert screen.expandedTo(minimum) == screen, (what, minimum, widest(window))
    for dock in (window.phone_dock, window.customer_dock):  # a side panel is never cut
        scroll = dock.widget()
        panel = scroll.widget() if isinstance(scroll, QScrollArea) else None
        if dock.isVisible() and isinstance(panel, QWidget):
            needs = panel.minimumSizeHint().expandedTo(panel.minimumSize()).width()
            assert panel.width() >= needs, (what, dock.objectName(), panel.width(), needs)
    if size[0] >= 1280:  # scrolling is for the smallest screen only: here the centre fits
        centre = window.centralWidget()
        assert isinstance(centre, QAbstractScrollArea)
        bar = centre.horizontalScrollBar()
        assert not bar.isVisible(), (what, bar.maximum(), widest(window))


def headers_whole(window: MainWindow, what: str) -> None:
    """Every shown table's column titles: whole, or elided in the middle (never cut at the
    end) with the whole title as the section's tooltip."""
    for header in window.findChildren(QHeaderView):
        view = header.parentWidget()
        if header.orientation() != Qt.Orientation.Horizontal or not header.isVisibleTo(window):
            continue
        if view is None or not view.isVisibleTo(window):
            continue
        assert header.textElideMode() == Qt.TextElideMode.ElideMiddle, (what, view.objectName())
    tickets = window.findChild(QTableView, "ticketTable")
    if tickets is None:
        return  # (a lead's desk here has the board, not the work tabs)
    header = tickets.horizontalHeader()
    for column in (Column.PRIORITY, Column.STATUS, Column.RESPONSE, Column.RESOLVE):
        index = COLUMNS.index(column)  # the titles read at a glance are whole
        assert header.sectionSize(index) >= header.sectionSizeHint(index), (what, column)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_tab_and_a_call_fit_without_growing_the_window(
    qtbot: QtBot,
    language: str,
    screen: str,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tmp_path: Path,
) -> None:
    rig, phone, _agent = make_live_desk(phone_panel=True, with_kb=True)
    window = rig.window
    window.ring_notifier = SpyNotifier()
    size = SCREENS[screen]
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    # The knowledge base with its filters filled, results and an article open: its widest.
    desk = window.work_desk
    assert desk is not None
    assert desk.knowledge is not None
    kb = desk.knowledge
    qtbot.waitUntil(lambda: bool(kb.kb.index_report), timeout=TIMEOUT_MS)
    kb.search_edit.setText("输液泵 报警")
    qtbot.waitUntil(lambda: kb.model.rowCount() > 0, timeout=TIMEOUT_MS)
    kb.article.open(int(kb.model.hit(0).article_id))
    qtbot.waitUntil(lambda: kb.article.detail is not None, timeout=TIMEOUT_MS)
    for index in range(window.work_area.count()):
        window.show_work_tab(index)
        qtbot.wait(50)  # (one pass of layout requests; the checks below are on the result)
        tab = window.work_area.tabText(index)
        keeps_its_size(window, size, f"{language} {screen} tab {tab}")
        headers_whole(window, f"{language} {screen} tab {tab}")
    bar = window.call_bar
    bar.set_waiting(12)  # every part of the bar shown (the directory's count in the app)
    call = only_call(phone)
    caller = Sipp("uac_declined", tmp_path, remote=phone.local_address, service="4008001234",
                  fields=["欧阳娜娜娜娜", "008613900139000"], timeout_s=60)  # fmt: skip
    try:
        rings(qtbot, caller, call)
        qtbot.waitUntil(bar.timer_label.isVisible, timeout=TIMEOUT_MS)
        qtbot.waitUntil(window.customer_in_centre, timeout=TIMEOUT_MS)  # the pop's layout too
        keeps_its_size(window, size, f"{language} {screen} the pop")
        not_elided(bar)
        assert bar.number_label.full_text() == "008613900139000"
        button = bar.state_button
        assert button.width() >= button.sizeHint().width(), button.text()
        for shown in bar.buttons.values():  # the call buttons' words whole
            assert shown.width() >= shown.minimumWidth(), shown.text()
        # The longest state text the bar shows: a pending state with a reason, elided in the
        # middle past its bound, whole in the tooltip.
        longest = AgentStatus(AgentState.ON_CALL, pending=(AgentState.NOT_READY, "training"))
        window._show_agent_status(longest)
        keeps_its_size(window, size, f"{language} {screen} a pending state")
        assert button.width() >= button.sizeHint().width(), button.text()
        assert "→" in button.toolTip() or "→" in button.text(), button.toolTip()
        window.show_work_tab(KNOWLEDGE_TAB)  # the work a key away during the call
        keeps_its_size(window, size, f"{language} {screen} the KB during the call")
        not_elided(bar)
        window.focus_customer()
        qtbot.mouseClick(bar.buttons[ShortcutId.DECLINE], Qt.MouseButton.LeftButton)
        finished(qtbot, caller)  # 603
    finally:
        caller.stop()
    keeps_its_size(window, size, f"{language} {screen} after the call")


@pytest.fixture
def lead_desk(
    qtbot: QtBot,
    tmp_path: Path,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
    layout_store: QSettings,
    gui_thread: OffThreadEmits,
) -> Iterator[tuple[LiveBackend, MainWindow, MonitorService, SyncService]]:
    """张伟's desk as the app wires a lead's: the board, a real phone and call monitoring."""
    backend = LiveBackend(tmp_path / "server.sqlite")
    sync = SyncService(tasks, messages, tmp_path / "profile", poll_interval_s=3600)
    phone = Phone(wall_clock=system_clock().timestamp)
    phone.start(PhoneConfig(bind_address="127.0.0.1"))
    phone.wait_ready()
    window = MainWindow(session, messages, layout_store)
    window.attach_sync(sync)
    wallboard = WallboardService(sync, tasks, messages, layout_store)
    window.attach_wallboard(wallboard)
    monitor = MonitorService(phone, sync, tasks)
    window.attach_monitor(monitor)
    gui_thread.watch(sync, wallboard, monitor)
    qtbot.addWidget(window)
    session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
    sync.ready.connect(wallboard.start)
    window.show()
    session.sign_in(backend.url, "zhangwei", "demo1234", remember=False)
    qtbot.waitUntil(lambda: wallboard.loaded and sync.stream is not None, timeout=15_000)
    yield backend, window, monitor, sync
    wallboard.stop()
    monitor.close()
    phone.stop()
    sync.close_now()
    backend.stop()


def agent_on_a_call(backend: LiveBackend, contact: str) -> int:
    """王芳 on a call, her desk's address the SIPp leg's (her desk is not part of this test)."""
    login = requests.post(
        f"{backend.url}/api/v1/auth/login",
        json={"username": "wangfang", "password": "demo1234"},
        timeout=5,
    ).json()
    answer = requests.put(
        f"{backend.url}/api/v1/presence/me",
        json={"state": AgentState.ON_CALL.value, "reason": "", "sip_uri": contact},
        headers={"Authorization": f"Bearer {login['token']}"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    return int(login["user"]["id"])


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_lead_listening_fits_without_growing_the_window(
    qtbot: QtBot,
    language: str,
    screen: str,
    lead_desk: tuple[LiveBackend, MainWindow, MonitorService, SyncService],
    tmp_path: Path,
) -> None:
    backend, window, monitor, _sync = lead_desk
    size = SCREENS[screen]
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    panel = window.wallboard_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.agents.rowCount() > 0, timeout=TIMEOUT_MS)
    keeps_its_size(window, size, f"{language} {screen} the board")
    headers_whole(window, f"{language} {screen} the board")
    for index in range(window.work_area.count()):
        window.show_work_tab(index)
        qtbot.wait(50)
        keeps_its_size(window, size, f"{language} {screen} tab {window.work_area.tabText(index)}")
    window.work_area.setCurrentWidget(panel)
    agent_leg = Sipp("uas", tmp_path, timeout_s=60).wait_bound()  # answers the lead's phone
    try:
        agent_id = agent_on_a_call(backend, f"sip:wangfang@{agent_leg.address}")
        monitor.start(agent_id, "王芳")
        qtbot.waitUntil(
            lambda: monitor.session is not None and monitor.session.state == "connected",
            timeout=TIMEOUT_MS,
        )
        qtbot.wait(50)
        keeps_its_size(window, size, f"{language} {screen} listening")
        monitor.leave()
        qtbot.waitUntil(
            lambda: monitor.session is None or monitor.session.state == "ended",
            timeout=TIMEOUT_MS,
        )
        keeps_its_size(window, size, f"{language} {screen} after listening")
    finally:
        agent_leg.stop()
