"""Workforce planning end to end (issue 21), two desks signed in to the real backend over HTTP
on a pinned hour of the centre's day (Monday 7 December 2026, 10:00, running on from there):

- the lead (张伟) keeps a day shift pattern in the Workforce window, has the SERVER propose this
  week's roster, gives 王芳 the day shift today by hand, and publishes;
- 王芳's desk hears of it on the event stream and My shifts shows today's shift with its break
  and lunch;
- the lead's board shows adherence: 王芳 is scheduled to work now, so Not ready is out of
  adherence, and Ready (a real presence change through the stream) is in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTime
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import LanguageSwitcher
from agent_desktop.messages import MessageBridge
from agent_desktop.services.adherence import AdherenceService
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.wallboard import WallboardService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.models.wallboard_model import A_ADHERENCE, A_SCHEDULED
from agent_desktop.ui.workforce.my_shifts import MyShiftsWindow
from agent_desktop.ui.workforce.patterns_editor import PatternsEditor
from agent_desktop.ui.workforce.window import WorkforceWindow
from sync.clock import SystemClock
from sync.contract.wfm import BreakWindow, RosterStatus, ShiftKind, ShiftPattern, Weekday
from tests.fakes.clocks import centre_time, running_from
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.servers import LiveBackend
from tests.ui.test_wallboard_ui import put_presence, stream_is_live

pytestmark = pytest.mark.slow

TIMEOUT = 20_000
MONDAY = date(2026, 12, 7)
# 08:00–17:00; the break between 15:00 and 15:30, lunch 12:00–13:00: at 10:00 it is work.
TEST_DAY = ShiftPattern(
    key="e2e-day",
    name="早班 E2E day",
    kind=ShiftKind.DAY,
    start_min=8 * 60,
    length_min=9 * 60,
    breaks=[BreakWindow(length_min=15, earliest_min=7 * 60, latest_min=7 * 60 + 30)],
    lunch=BreakWindow(length_min=60, earliest_min=4 * 60, latest_min=4 * 60),
    days=list(Weekday),
)


@dataclass
class Desk:
    window: MainWindow
    sync: SyncService


@pytest.fixture
def clock() -> SystemClock:
    return running_from(centre_time("2026-12-07 10:00:00"))


@pytest.fixture
def backend(tmp_path: Path, clock: SystemClock) -> Iterator[LiveBackend]:
    served = LiveBackend(tmp_path / "server.sqlite", clock=clock)
    yield served
    served.stop()


@pytest.fixture
def desk_for(
    qtbot: QtBot,
    tmp_path: Path,
    make_session: Callable[..., SessionService],
    messages: MessageBridge,
    tasks: TaskRunner,
    backend: LiveBackend,
    clock: SystemClock,
    gui_thread: OffThreadEmits,
) -> Iterator[Callable[[str], Desk]]:
    made: list[Desk] = []
    services: list[WallboardService | AdherenceService] = []

    def make(user: str) -> Desk:
        session = make_session(MemoryCredentialStore())
        sync = SyncService(tasks, messages, tmp_path / user, poll_interval_s=3600)
        layout = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, messages, layout)
        window.attach_sync(sync)
        assert window.workforce is not None
        gui_thread.watch(window.workforce)  # every signal the windows hear: on the GUI thread
        window.quality_now = clock.now  # the desk's "today" is the centre's pinned day
        if user == "zhangwei":  # the lead's board, with adherence, as the app wires it
            board = WallboardService(sync, tasks, messages, layout, now=clock.now)
            window.attach_wallboard(board)
            adherence = AdherenceService(
                lambda: sync.grant, lambda: sync.client_factory, tasks, window
            )
            sync.event_received.connect(adherence.on_event)
            gui_thread.watch(adherence, board)
            window.attach_adherence(adherence)
            sync.ready.connect(board.start)
            sync.ready.connect(adherence.start)
            services.extend((board, adherence))
        qtbot.addWidget(window)
        states: list[str] = []
        sync.stream_state_changed.connect(states.append)
        session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
        window.show()
        session.sign_in(backend.url, user, "demo1234", remember=False)
        qtbot.waitUntil(lambda: sync.status.state == "online", timeout=TIMEOUT)
        qtbot.waitUntil(lambda: "connected" in states, timeout=TIMEOUT)
        desk = Desk(window, sync)
        made.append(desk)
        return desk

    yield make
    for service in services:
        service.stop()
    for desk in made:
        desk.sync.close_now()


def fill_pattern(editor: PatternsEditor, pattern: ShiftPattern) -> None:
    """The lead's typing in the pattern form."""
    editor.name_edit.setText(pattern.name)
    editor.key_edit.setText(pattern.key)
    editor.kind_box.setCurrentIndex(editor.kind_box.findData(pattern.kind.value))
    editor.start_edit.setTime(QTime(pattern.start_min // 60, pattern.start_min % 60))
    editor.length_spin.setValue(pattern.length_min)
    for n, row in enumerate(editor.breaks):
        row.show_window(pattern.breaks[n] if n < len(pattern.breaks) else None)
    editor.lunch.show_window(pattern.lunch)
    for day, box in zip(Weekday, editor.day_boxes, strict=True):
        box.setChecked(day in pattern.days)
    editor.holidays_box.setChecked(pattern.on_holidays)


def click(qtbot: QtBot, button: object) -> None:
    assert button.isEnabled(), button  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_a_lead_publishes_a_roster_the_agent_sees_it_and_the_board_shows_adherence(  # noqa: PLR0915 (one story)
    qtbot: QtBot, desk_for: Callable[[str], Desk], backend: LiveBackend
) -> None:
    lead, agent = desk_for("zhangwei"), desk_for("wangfang")
    assert lead.window.workforce_action.isVisible()
    assert not agent.window.workforce_action.isVisible()  # an agent plans no shifts
    assert agent.window.my_shifts_action.isVisible()
    opened = lead.window.open_workforce()
    assert isinstance(opened, WorkforceWindow)
    workforce = opened
    assert workforce.week == date(2026, 12, 14)  # the coming week first
    # This week instead: today's adherence needs today's roster.
    click(qtbot, workforce.previous_button)
    assert workforce.week == MONDAY
    qtbot.waitUntil(lambda: workforce.roster.plan is not None, timeout=TIMEOUT)
    assert workforce.staffing.accuracy_label.text()
    assert workforce.staffing.chart.series is not None

    # The lead keeps a day shift pattern (the team's set, saved to the server).
    editor = workforce.patterns
    qtbot.waitUntil(lambda: workforce.service.patterns is not None, timeout=TIMEOUT)
    click(qtbot, editor.add_button)
    fill_pattern(editor, TEST_DAY)
    assert editor.form_pattern() == TEST_DAY
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: "patterns saved" in workforce.status_label.text(), timeout=TIMEOUT)
    assert TEST_DAY.key in workforce.roster.model.patterns

    # The server proposes this week's roster; the window stays usable meanwhile.
    click(qtbot, workforce.roster.propose_button)
    qtbot.waitUntil(lambda: workforce.roster.model.roster is not None, timeout=60_000)
    qtbot.waitUntil(workforce.roster.propose_button.isEnabled, timeout=TIMEOUT)
    assert "Roster proposed" in workforce.status_label.text()

    # 王芳 works the test's day shift today (the lead's change), and the week is published.
    model = workforce.roster.model
    agent_id = agent.sync.grant.user.id if agent.sync.grant is not None else 0
    # (a row for every agent of the team, whether the proposal gave them a shift or not)
    row = next(r for r in range(model.rowCount()) if model.agent(r)[0] == agent_id)
    model.set_shift(row, 0, TEST_DAY.key)
    click(qtbot, workforce.roster.publish_button)
    qtbot.waitUntil(
        lambda: model.roster is not None and model.roster.status is RosterStatus.PUBLISHED,
        timeout=TIMEOUT,
    )
    assert "Published" in workforce.roster.status_label.text()

    # 王芳's desk hears of it: the status bar says so, and My shifts shows today's shift.
    qtbot.waitUntil(lambda: bool(agent.window.last_roster_notice), timeout=TIMEOUT)
    assert "2026-12-07" in agent.window.last_roster_notice
    mine = agent.window.open_my_shifts()
    assert isinstance(mine, MyShiftsWindow)

    def today_row() -> list[str] | None:
        for i in range(mine.tree.topLevelItemCount()):
            item = mine.tree.topLevelItem(i)
            if item is not None and item.text(0).startswith("Mon 2026-12-07"):
                return [item.text(c) for c in range(5)]
        return None

    qtbot.waitUntil(lambda: today_row() is not None, timeout=TIMEOUT)
    shown = today_row()
    assert shown is not None
    assert "早班 E2E day" in shown[1]
    assert shown[2] == "08:00–17:00"
    assert shown[3].startswith("15:")  # the break in its window
    assert shown[4] == "12:00–13:00"

    # The lead's board: 王芳 is scheduled to work now; Not ready is out of adherence, Ready in.
    panel = lead.window.wallboard_panel
    assert panel is not None
    stream_is_live(qtbot, lead.sync, backend.url)
    put_presence(backend.url, "wangfang", "not_ready", "break")

    def adherence_of(column: int) -> str:
        agents = panel.agents
        for r in range(agents.rowCount()):
            if agents.line(r).user_id == agent_id:
                return str(agents.index(r, column).data())
        return ""

    qtbot.waitUntil(lambda: adherence_of(A_ADHERENCE).startswith("Out"), timeout=TIMEOUT)
    assert adherence_of(A_SCHEDULED) == "Working"
    assert not panel.agents_view.isColumnHidden(A_ADHERENCE)
    put_presence(backend.url, "wangfang", "ready")
    qtbot.waitUntil(lambda: adherence_of(A_ADHERENCE) == "In", timeout=TIMEOUT)
    assert "agents out now" in panel.adherence_label.text()


def test_the_workforce_windows_follow_a_language_switch(
    qtbot: QtBot, desk_for: Callable[[str], Desk], switcher: LanguageSwitcher
) -> None:
    """Switched at run time, the open Workforce and My shifts windows are made again in
    Chinese (排班管理, 我的班次), read afresh from the server."""
    lead = desk_for("zhangwei")
    first = lead.window.open_workforce()
    mine = lead.window.open_my_shifts()
    assert first is not None
    assert mine is not None
    switcher.switch("zh_CN")
    qtbot.waitUntil(lambda: lead.window.workforce_window is not first, timeout=TIMEOUT)
    again = lead.window.workforce_window
    assert isinstance(again, WorkforceWindow)
    assert again.windowTitle() == "排班管理"
    assert again.tabs.tabText(2) == "排班表"
    qtbot.waitUntil(lambda: again.roster.plan is not None, timeout=TIMEOUT)
    assert "预测误差" in again.staffing.accuracy_label.text()
    shifts = lead.window.my_shifts_window
    assert isinstance(shifts, MyShiftsWindow)
    assert shifts is not mine
    assert shifts.windowTitle() == "我的班次"
    assert lead.window.workforce_action.text() == "排班管理(&W)…"
