"""The tour's workforce screens (issue 21): the lead 张伟, on a second headless session, plans
this week in the Workforce window (the team's shift patterns kept if it has none, the forecast
and staffing, the roster the server proposes) and publishes it; 王芳's desk hears of it and
shows My shifts; the lead's board shows adherence to the roster just published.

This week, not the coming one: today's adherence needs today's roster.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QWidget

from agent_desktop.services.adherence import AdherenceService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.wallboard import WallboardService
from agent_desktop.services.workforce import WorkforceService, monday_of
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.panels.wallboard_panel import WallboardPanel
from agent_desktop.ui.workforce.window import WorkforceWindow
from sync.contract.records import SessionGrant
from sync.contract.wfm import BreakWindow, RosterStatus, ShiftKind, ShiftPattern, Weekday

if TYPE_CHECKING:
    from agent_desktop.app import Workstation

WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]
# The tour's patterns (kept when the team has none): a day, an evening and a weekend shift.
TOUR_PATTERNS = (
    ShiftPattern(
        key="day", name="早班 Day 08:00", kind=ShiftKind.DAY, start_min=8 * 60,
        length_min=9 * 60,
        breaks=[BreakWindow(length_min=15, earliest_min=90, latest_min=150),
                BreakWindow(length_min=15, earliest_min=390, latest_min=450)],
        lunch=BreakWindow(length_min=60, earliest_min=210, latest_min=300), days=WEEKDAYS,
    ),
    ShiftPattern(
        key="evening", name="晚班 Evening 13:00", kind=ShiftKind.EVENING, start_min=13 * 60,
        length_min=9 * 60,
        breaks=[BreakWindow(length_min=15, earliest_min=120, latest_min=180)],
        lunch=BreakWindow(length_min=60, earliest_min=270, latest_min=330), days=WEEKDAYS,
    ),
    ShiftPattern(
        key="weekend", name="周末班 Weekend 09:00", kind=ShiftKind.DAY, start_min=9 * 60,
        length_min=8 * 60,
        breaks=[BreakWindow(length_min=15, earliest_min=120, latest_min=180)],
        lunch=BreakWindow(length_min=60, earliest_min=180, latest_min=270),
        days=[Weekday.SATURDAY, Weekday.SUNDAY],
    ),
)  # fmt: skip


class Tour(Protocol):
    """What this step uses of ``agent_desktop.tour.Tour``."""

    ws: Workstation
    server_url: str
    out_dir: Path

    def note(self, text: str) -> None: ...
    def until(self, condition: Callable[[], bool], what: str) -> Awaitable[None]: ...
    def shoot(self, widget: QWidget, name: str) -> Awaitable[Path]: ...


async def workforce_step(tour: Tour, lead: SessionGrant, error: type[Exception]) -> None:
    loop = asyncio.get_running_loop()
    profile = tour.out_dir / ".wfm-profile"
    tasks = TaskRunner()  # the lead's own desk: its own workers
    sync = SyncService(tasks, tour.ws.messages, profile, poll_interval_s=3600)
    settings = QSettings(str(profile / "layout.ini"), QSettings.Format.IniFormat)
    board = WallboardService(sync, tasks, tour.ws.messages, settings)
    adherence = AdherenceService(lambda: sync.grant, lambda: sync.client_factory, tasks)
    sync.event_received.connect(adherence.on_event)
    sync.ready.connect(board.start)
    sync.start(tour.server_url, lead)
    service = WorkforceService(sync, tasks)
    try:
        await tour.until(lambda: sync.client_factory is not None, "the lead's session")
        await _plan_the_week(tour, service, error)
        await _my_shifts(tour, error)
        adherence.start()
        await _board(tour, board, adherence)
    finally:
        adherence.stop()
        board.stop()
        await loop.run_in_executor(None, sync.close_now)
        tasks.shutdown()
        shutil.rmtree(profile, ignore_errors=True)


async def _plan_the_week(tour: Tour, service: WorkforceService, error: type[Exception]) -> None:
    """The lead's Workforce window: patterns, staffing, the proposed roster, published."""
    today = tour.ws.clock.now().date()
    planner = WorkforceWindow(service, today)
    planner.resize(1280, 800)
    planner.show()
    planner.show_week(monday_of(today))

    def planned() -> bool:
        return service.is_unavailable or (service.patterns is not None and service.plan is not None)

    await tour.until(planned, "the week's plan")
    if service.is_unavailable:
        raise error(f"the server plans no shifts: {planner.status_label.text()}")
    patterns = service.patterns
    if patterns is not None and not patterns.patterns:
        service.save_patterns(list(TOUR_PATTERNS))
        await tour.until(
            lambda: service.patterns is not None and bool(service.patterns.patterns),
            "the tour's shift patterns",
        )
    planner.tabs.setCurrentWidget(planner.patterns)
    await tour.shoot(planner, "workforce-patterns")
    planner.tabs.setCurrentWidget(planner.staffing)
    await tour.shoot(planner, "workforce-staffing")
    tour.note(f"workforce: {planner.staffing.accuracy_label.text()}")
    planner.propose()

    def roster_is(status: RosterStatus | None) -> bool:
        plan = service.plan
        if service.is_proposing or plan is None or plan.roster is None:
            return False
        return status is None or plan.roster.status is status

    try:
        await tour.until(lambda: roster_is(None), "the proposed roster")
    except error as exc:
        raise error(f"{exc}; the window says: {planner.status_label.text()}") from None
    tour.note(f"workforce: {planner.status_label.text()}")
    planner.tabs.setCurrentWidget(planner.roster)
    await tour.shoot(planner, "workforce-roster")
    planner.save_roster(publish=True)
    await tour.until(lambda: roster_is(RosterStatus.PUBLISHED), "the published roster")
    planner.close()
    planner.deleteLater()


async def _my_shifts(tour: Tour, error: type[Exception]) -> None:
    """王芳's desk hears of the roster and shows her shifts."""
    window = tour.ws.main_window
    await tour.until(lambda: bool(window.last_roster_notice), "the roster's notice")
    tour.note(f"on 王芳's desk: {window.last_roster_notice}")
    mine = window.open_my_shifts()
    if mine is None:
        raise error("王芳's desk has no My shifts")
    mine.resize(900, 520)
    await tour.until(lambda: bool(window.workforce and window.workforce.my_shifts), "王芳's shifts")
    await tour.shoot(mine, "my-shifts")
    mine.close()


async def _board(tour: Tour, board: WallboardService, adherence: AdherenceService) -> None:
    """The lead's board with adherence to the roster just published."""
    await tour.until(lambda: board.loaded and adherence.current is not None, "adherence")
    zh = QCoreApplication.translate("MainWindow", "Ready") != "Ready"
    panel = WallboardPanel(board, language="zh" if zh else "en")
    panel.attach_adherence(adherence)
    panel.resize(1280, 800)
    panel.show()
    await tour.until(lambda: bool(panel.agents.adherence), "the board's adherence")
    current = adherence.current
    out = sum(1 for a in current.agents.values() if not a.in_adherence) if current else 0
    tour.note(f"adherence on the board: {out} agents out of adherence now")
    await tour.shoot(panel, "wallboard-adherence")
    panel.close()
    panel.deleteLater()
