"""The desk's workforce layer alone (services and widgets; the server is a stand-in here, the
real backend is ``test_workforce_e2e.py``): the Workforce window shows the forecast's error
beside the naive one, proposes a roster (the request on a worker, the button busy meanwhile),
shows it agent × day with breaks, takes the lead's change and publishes it; My shifts; the
board's adherence columns; and a 1.7 server said as "does not plan shifts" on every screen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.services.adherence import AdherenceService
from agent_desktop.services.workforce import WorkforceService, next_week
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.models.wallboard_model import (
    A_ADHERENCE,
    A_ADHERENCE_TODAY,
    A_SCHEDULED,
)
from agent_desktop.ui.panels.wallboard_panel import WallboardPanel
from agent_desktop.ui.workforce.my_shifts import MyShiftsWindow
from agent_desktop.ui.workforce.roster_model import DAY_OFF, RosterModel
from agent_desktop.ui.workforce.window import WorkforceWindow
from sync.cache import LocalCache
from sync.contract.records import AgentState
from sync.contract.wfm import (
    PLAN,
    ROSTER_PUBLISHED,
    VIEW_OWN,
    AssignmentIn,
    RosterIn,
    RosterOut,
    RosterProposal,
    RosterPublishedData,
    RosterStatus,
)
from tests.fakes.accessible_tree import unnamed
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.workforce import (
    TEAM,
    OlderPlanningServer,
    PlanningServer,
    PlanningSource,
)
from tests.ui.test_wallboard_ui import (  # noqa: F401 (make_board: a fixture)
    ALICE,
    WANGFANG,
    Inline,
    Made,
    event,
    make_board,
    presence,
)

TODAY = date(2026, 12, 2)  # a Wednesday: the coming week starts on Monday 7 December
LEAD = frozenset({PLAN, VIEW_OWN, "wallboard.view"})
NOON = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)  # 12:00 in the centre


def test_the_coming_week_is_planned_first() -> None:
    assert next_week(TODAY) == date(2026, 12, 7)
    assert next_week(date(2026, 12, 7)) == date(2026, 12, 14)


def test_a_lead_proposes_adjusts_and_publishes_a_roster(qtbot: QtBot) -> None:  # noqa: PLR0915 (one story)
    server = PlanningServer()
    service = WorkforceService(PlanningSource(server, LEAD), TaskRunner(Inline()))  # type: ignore[arg-type]
    window = WorkforceWindow(service, TODAY)
    qtbot.addWidget(window)
    assert window.week == date(2026, 12, 7)
    # The forecast's own error beside the naive baseline, said plainly.
    accuracy = window.staffing.accuracy_label.text()
    assert "14.2 %" in accuracy
    assert "21.5 %" in accuracy
    assert "beats the naive one" in accuracy
    assert "No roster for this week yet" in window.staffing.totals_label.text()
    # No roster yet: the team's agents, every day off (the lead may build one by hand).
    assert window.roster.model.rowCount() == 4
    assert window.roster.model.index(0, 0).data() == "Day off"
    assert [p.key for p in window.patterns.patterns] == ["day", "evening"]

    window.roster.propose_button.click()
    assert server.proposals[0].week == date(2026, 12, 7)
    model = window.roster.model
    assert model.rowCount() == 4  # the team's four agents × seven days
    tom = next(r for r in range(4) if model.agent(r)[0] == 14)
    assert all(model.index(tom, d).data() == "Day off" for d in range(7))  # none proposed
    assert model.columnCount() == 7
    row = next(r for r in range(4) if model.agent(r)[1] == "王芳")
    monday = model.index(row, 0).data()
    assert "早班 Day" in monday
    assert "break" in monday
    assert "lunch" in monday
    assert model.index(row, 5).data() == "Day off"  # Saturday
    assert "under" in str(model.headerData(0, Qt.Orientation.Horizontal))
    assert "Proposed by the server (version 1)" in window.roster.status_label.text()
    assert "intervals under-staffed" in window.status_label.text()

    # The lead gives 王芳 Tuesday off and the evening shift on Wednesday, then publishes.
    menu = window.roster.cell_menu(row, 1)
    next(a for a in menu.actions() if a.text() == "Day off").trigger()
    model.set_shift(row, 2, "evening")
    assert model.changed
    assert "save or publish" in window.roster.status_label.text()
    window.roster.publish_button.click()
    sent = server.saved[-1]
    assert sent.publish
    mine = {(a.day, a.pattern_key) for a in sent.assignments if a.agent_id == model.agent(row)[0]}
    assert (date(2026, 12, 8), "day") not in mine
    assert (date(2026, 12, 9), "evening") in mine
    assert server.roster is not None
    assert server.roster.status is RosterStatus.PUBLISHED
    assert "Published (version 2)" in window.roster.status_label.text()
    assert not model.changed
    assert "Roster published" in window.status_label.text()
    # A published week is changed in the grid, not proposed again (the server refuses it).
    assert not window.roster.propose_button.isEnabled()
    assert "publish again" in window.roster.propose_button.toolTip()
    # Scheduled agents now on the staffing chart, with the under-staffed intervals counted.
    series = window.staffing.chart.series
    assert series is not None
    assert series.scheduled is not None
    assert series.under_intervals() > 0


def test_a_pattern_whose_break_ends_after_the_shift_is_refused_before_sending(
    qtbot: QtBot,
) -> None:
    server = PlanningServer()
    service = WorkforceService(PlanningSource(server, LEAD), TaskRunner(Inline()))  # type: ignore[arg-type]
    window = WorkforceWindow(service, TODAY)
    qtbot.addWidget(window)
    editor = window.patterns
    editor.list.setCurrentRow(0)
    editor.length_spin.setValue(120)  # 2 h, but the lunch may start 4 h in
    editor.save()
    assert "Not a valid pattern" in editor.problem_label.text()
    assert server.patterns.version == 1  # nothing sent
    editor.length_spin.setValue(540)
    editor.add_pattern()
    editor.name_edit.setText("夜班 Night")
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("night"))
    editor.save()
    assert server.patterns.version == 2
    assert [p.name for p in server.patterns.patterns][-1] == "夜班 Night"
    assert "3 patterns" in window.status_label.text()


def test_proposing_runs_off_the_gui_thread_and_the_button_says_so(qtbot: QtBot) -> None:
    """The optimiser may take its time limit: the request runs on a worker while the window
    stays usable; every signal the window hears comes on the GUI thread."""
    gate = threading.Event()
    on: list[str] = []

    class SlowServer(PlanningServer):
        def wfm_propose(self, *args: object, **kw: object):  # type: ignore[no-untyped-def]
            on.append(threading.current_thread().name)
            gate.wait(10)
            return super().wfm_propose(*args, **kw)  # type: ignore[arg-type]

    tasks = TaskRunner()
    try:
        service = WorkforceService(PlanningSource(SlowServer(), LEAD), tasks)  # type: ignore[arg-type]
        watch = OffThreadEmits()
        watch.watch(service)
        window = WorkforceWindow(service, TODAY)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.roster.plan is not None, timeout=5000)
        window.roster.propose_button.click()
        qtbot.waitUntil(lambda: bool(on), timeout=5000)
        assert on[0] != threading.main_thread().name
        assert not window.roster.propose_button.isEnabled()
        assert "proposing" in window.roster.propose_button.text()
        window.roster.propose_button.click()  # ignored while it works
        gate.set()
        qtbot.waitUntil(lambda: window.roster.model.roster is not None, timeout=5000)
        assert window.roster.propose_button.isEnabled()
        assert len(on) == 1
        watch.check()
    finally:
        gate.set()
        tasks.shutdown()


def test_my_shifts_follow_a_published_roster(qtbot: QtBot) -> None:
    server = PlanningServer()
    source = PlanningSource(server, frozenset({VIEW_OWN}))
    service = WorkforceService(source, TaskRunner(Inline()))  # type: ignore[arg-type]
    window = MyShiftsWindow(service, lambda: date(2026, 12, 3))
    qtbot.addWidget(window)
    assert "0 shifts" in window.note_label.text()
    texts = [window.tree.topLevelItem(i).text(0) for i in range(window.tree.topLevelItemCount())]
    assert texts[0].startswith("This week (from 2026-11-30)")
    assert "No published shift this week." in texts
    # The lead publishes next week's roster; the event reaches this desk.
    roster = server.wfm_propose(TEAM, RosterProposal(week=date(2026, 12, 7)), "k")
    server.wfm_save_roster(TEAM, roster.week, _published(roster), "k2")
    notice = RosterPublishedData(team_id=TEAM, week=date(2026, 12, 7), version=1)
    service.on_event(event(ROSTER_PUBLISHED, notice))
    assert "5 shifts" in window.note_label.text()
    assert "was published" in window.note_label.text()
    rows = [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    monday = next(item for item in rows if item.text(0).startswith("Mon 2026-12-07"))
    assert not monday.text(0).endswith("(today)")
    assert "早班 Day" in monday.text(1)
    assert monday.text(3) != "—"  # the break
    assert monday.text(4) != "—"  # lunch
    # On Tuesday the 8th, that day's shift stands out.
    later = MyShiftsWindow(service, lambda: date(2026, 12, 8))
    qtbot.addWidget(later)
    items = [later.tree.topLevelItem(i) for i in range(later.tree.topLevelItemCount())]
    marked = [item.text(0) for item in items if item is not None and item.font(1).bold()]
    assert marked == ["Tue 2026-12-08 (today)"]
    # Another team's roster is not this agent's news.
    other = RosterPublishedData(team_id=TEAM + 1, week=date(2026, 12, 7), version=1)
    heard: list[object] = []
    service.published.connect(heard.append)
    service.on_event(event(ROSTER_PUBLISHED, other))
    assert heard == []


def test_an_older_server_says_it_does_not_plan_shifts(qtbot: QtBot) -> None:
    server = OlderPlanningServer()
    service = WorkforceService(PlanningSource(server, LEAD), TaskRunner(Inline()))  # type: ignore[arg-type]
    said: list[str] = []
    service.unavailable.connect(said.append)
    window = WorkforceWindow(service, TODAY)
    qtbot.addWidget(window)
    assert len(said) == 1  # said once, though every route answered 404
    assert "does not plan shifts" in window.status_label.text()
    assert not window.roster.isEnabled()
    mine = MyShiftsWindow(service, lambda: TODAY)
    qtbot.addWidget(mine)
    assert "does not plan shifts" in mine.note_label.text()


def _published(roster: RosterOut) -> RosterIn:
    return RosterIn(
        assignments=[
            AssignmentIn(agent_id=a.agent_id, day=a.day, pattern_key=a.pattern_key)
            for a in roster.assignments
        ],
        publish=True,
    )


# -- the board's adherence ----------------------------------------------------------------------


def test_adherence_columns_on_the_board(
    qtbot: QtBot,
    make_board: Callable[..., Made],  # noqa: F811 (the wallboard tests' fixture)
    work_cache: LocalCache,
) -> None:
    service, _sync, _source, clock = make_board(work_cache)
    server = PlanningServer()
    server.adherence_ids = (WANGFANG, ALICE)
    server.out_since = clock.at - timedelta(minutes=4, seconds=5)
    source = PlanningSource(server, LEAD)
    adherence = AdherenceService(
        lambda: source.grant, lambda: source.client_factory, TaskRunner(Inline()), settle_ms=0
    )
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    panel.attach_adherence(adherence)
    assert panel.agents_view.isColumnHidden(A_ADHERENCE)  # not asked yet
    adherence.start()
    assert not panel.agents_view.isColumnHidden(A_ADHERENCE)
    assert "1 of 2 agents out now" in panel.adherence_label.text()
    model = panel.agents
    row = next(r for r in range(model.rowCount()) if model.line(r).user_id == WANGFANG)
    assert model.index(row, A_SCHEDULED).data() == "Working"
    assert model.index(row, A_ADHERENCE).data() == "Out 4:05"
    assert "scheduled Working, actually Not ready" in model.index(row, A_ADHERENCE).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert model.index(row, A_ADHERENCE_TODAY).data() == "88%"
    clock.at += timedelta(seconds=10)  # out of adherence for …: a clock, no query
    asked = server.adherence_asked
    model.tick()
    assert model.index(row, A_ADHERENCE).data() == "Out 4:15"
    assert server.adherence_asked == asked
    alice = next(r for r in range(model.rowCount()) if model.line(r).user_id == ALICE)
    assert model.index(alice, A_ADHERENCE).data() == "In"
    assert model.index(alice, A_SCHEDULED).data() == "Break"
    # A presence event asks again once the burst settles.
    adherence.on_event(event("presence", presence(WANGFANG, AgentState.READY, clock.at)))
    qtbot.waitUntil(lambda: server.adherence_asked == asked + 1, timeout=2000)


def test_an_older_servers_board_has_no_adherence_columns(
    qtbot: QtBot,
    make_board: Callable[..., Made],  # noqa: F811 (the wallboard tests' fixture)
) -> None:
    service, _sync, _source, _clock = make_board()
    server = OlderPlanningServer()
    source = PlanningSource(server, LEAD)
    adherence = AdherenceService(
        lambda: source.grant, lambda: source.client_factory, TaskRunner(Inline())
    )
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    panel.attach_adherence(adherence)
    adherence.start()
    assert adherence.supported is False
    assert panel.agents_view.isColumnHidden(A_ADHERENCE)
    assert "does not plan shifts" in panel.adherence_label.text()
    adherence.refresh()  # asked no more
    assert server.asked == ["wfm_adherence"]


def test_roster_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    server = PlanningServer()
    roster = server.wfm_propose(TEAM, RosterProposal(week=date(2026, 12, 7)), "k")
    model = RosterModel()
    model.set_roster(roster, roster.week)
    qtmodeltester.check(model)
    model.set_shift(0, 0, DAY_OFF)
    assert model.changed
    assert model.index(0, 0).data() == "Day off"
    qtmodeltester.check(model)


def test_every_control_of_the_workforce_screens_has_an_accessible_name(qtbot: QtBot) -> None:
    server = PlanningServer()
    service = WorkforceService(PlanningSource(server, LEAD), TaskRunner(Inline()))  # type: ignore[arg-type]
    window = WorkforceWindow(service, TODAY)
    qtbot.addWidget(window)
    window.roster.propose_button.click()
    for page in range(window.tabs.count()):
        window.tabs.setCurrentIndex(page)
        assert unnamed(window) == [], window.tabs.tabText(page)
    mine = MyShiftsWindow(service, lambda: TODAY)
    qtbot.addWidget(mine)
    assert unnamed(mine) == []


class Held(Executor):
    """Keeps the work until the test runs it, in the order the test chooses: two answers
    racing on workers, made deterministic."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Future[Any], Callable[[], Any]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.append((future, lambda: fn(*args, **kwargs)))
        return future

    def run(self, index: int) -> None:
        future, job = self.jobs.pop(index)
        try:
            future.set_result(job())
        except Exception as exc:
            future.set_exception(exc)


def test_an_answer_for_a_week_the_lead_left_is_dropped(qtbot: QtBot) -> None:
    """Two weeks asked one after the other: whichever answers last, the plan shown is the
    week asked last (the tour met this race on four workers)."""
    held = Held()
    service = WorkforceService(PlanningSource(PlanningServer(), LEAD), TaskRunner(held))  # type: ignore[arg-type]
    window = WorkforceWindow(service, date(2026, 12, 9))  # asks for the week of the 14th
    qtbot.addWidget(window)
    window.show_week(date(2026, 12, 7))
    assert len(held.jobs) == 3  # the 14th's plan, the patterns, the 7th's plan
    held.jobs.pop(1)  # (the patterns: not this test's)
    held.run(1)  # the week of the 7th answers first …
    held.run(0)  # … the week of the 14th, asked before it, last
    assert service.plan is not None
    assert service.plan.week == date(2026, 12, 7)
    assert window.roster.plan is not None
    assert window.roster.plan.week == date(2026, 12, 7)


def test_adherence_asks_one_at_a_time_and_again_after_a_burst(qtbot: QtBot) -> None:
    """Presence events while a request is under way ask again once it returns, once; after
    a stop nothing more is asked or shown."""
    held = Held()
    server = PlanningServer()
    source = PlanningSource(server, LEAD)
    adherence = AdherenceService(
        lambda: source.grant, lambda: source.client_factory, TaskRunner(held), settle_ms=0
    )
    adherence.start()
    assert len(held.jobs) == 1
    for n in range(5):  # a burst of presence changes while the first request is out
        adherence.on_event(event("presence", presence(WANGFANG, AgentState.READY, NOON), n))
        qtbot.waitUntil(lambda: not adherence._settle.isActive(), timeout=2000)
    assert len(held.jobs) == 1  # still the one request
    held.run(0)
    assert adherence.current is not None
    assert len(held.jobs) == 1  # asked again once for the whole burst
    adherence.stop()
    held.run(0)  # an answer after the stop: dropped
    assert adherence.current is None
    assert held.jobs == []
    assert server.adherence_asked == 2
