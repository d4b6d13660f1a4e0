"""The Reports window on a hand-made book (the server's side is in
``test_reports_e2e.py``): tabs, empty states, the 1.7 server's sentence, drill-down requests,
the Excel export off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from agent_desktop.services.report_book import SheetKey
from agent_desktop.services.report_reading import (
    Choice,
    DrillResult,
    DrillTarget,
    DrillTicket,
    ReportChoices,
)
from agent_desktop.services.reports import ReportsService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.reports.window import ReportsWindow
from sync.client import ApiClient
from sync.contract.records import Role, SessionGrant, Team, UserProfile
from sync.contract.reports import VIEW as VIEW_TEAM
from sync.contract.reports import VIEW_OWN, Granularity
from tests.fakes.report_books import sample_book
from tests.ui.test_quality_service import Source
from tests.ui.test_wallboard_ui import Inline


class NoServer:
    """A session not signed in: the window's requests fail; the test hands it the book."""

    def __init__(self, permissions: frozenset[str]) -> None:
        self.grant = SessionGrant(
            token="t",
            expires_at=datetime(2027, 1, 1, tzinfo=UTC),
            user=UserProfile(
                id=7,
                username="wangfang",
                display_name="王芳",
                role=Role.AGENT,
                team=Team(1, "医疗设备热线"),
            ),
            permissions=permissions,
        )

    @property
    def client_factory(self) -> Callable[[], ApiClient] | None:
        return None


def window(qtbot: QtBot, tasks: TaskRunner, permissions: frozenset[str]) -> ReportsWindow:
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    service = ReportsService(NoServer(permissions), tasks, lambda: now)
    shown = ReportsWindow(service, own_name="王芳")
    qtbot.addWidget(shown)
    return shown


def test_a_book_fills_the_tabs_and_an_empty_sheet_says_so(qtbot: QtBot, tasks: TaskRunner) -> None:
    shown = window(qtbot, tasks, frozenset({VIEW_TEAM}))
    assert "Not signed in" in shown.status_label.text()
    shown.service.book = sample_book()
    shown.show_book(sample_book())
    traffic = shown.pages[SheetKey.TRAFFIC]
    assert traffic.model.rowCount() == 4  # three days and the totals
    assert traffic.model.index(1, 4).data() == "–"  # a day without calls has no service level
    assert traffic.model.index(0, 4).data() == "81.2 %"
    assert traffic.heat is not None
    assert not traffic.heat.isHidden()
    handling = shown.pages[SheetKey.HANDLING]  # the book has no handling sheet
    assert not handling.empty_label.isHidden()
    assert "No calls or tickets match" in handling.empty_label.text()
    assert shown.excel_button.isEnabled()
    assert shown.pdf_button.isEnabled()


def test_an_agent_sees_their_own_figures_only(qtbot: QtBot, tasks: TaskRunner) -> None:
    shown = window(qtbot, tasks, frozenset({VIEW_OWN}))
    assert shown.windowTitle() == "My figures"
    shown.filters.set_choices(shown.service.choices or _choices())
    assert not shown.filters.agent_box.isEnabled()
    assert shown.filters.agent_box.currentText() == "王芳"
    assert shown.filters.current().agent_id is None  # the server answers their own anyway


def _choices() -> ReportChoices:
    return ReportChoices(agents=(Choice("7", "王芳"), Choice("8", "Alice")))


def test_a_17_server_is_said_instead_of_empty_tabs(qtbot: QtBot, tasks: TaskRunner) -> None:
    shown = window(qtbot, tasks, frozenset({VIEW_TEAM}))
    said = "This server does not provide reports (it is older than contract 1.8)."
    shown.service.unavailable.emit(said)
    assert shown.status_label.text() == said
    for page in shown.pages.values():
        assert page.empty_label.text() == said
    assert not shown.filters.show_button.isEnabled()


def test_a_drillable_number_asks_for_its_records(qtbot: QtBot, tasks: TaskRunner) -> None:
    shown = window(qtbot, tasks, frozenset({VIEW_TEAM}))
    shown.show_book(sample_book())
    traffic = shown.pages[SheetKey.TRAFFIC]
    with qtbot.waitSignal(traffic.drill_requested) as asked:
        traffic.drill_cell(2, "abandoned")
    target: DrillTarget = asked.args[0]
    assert (target.sheet, target.measure) == (SheetKey.TRAFFIC, "abandoned")
    assert target.scope.start == datetime(2026, 12, 2, tzinfo=UTC)
    # A zero has nothing behind it, and the totals row has no single scope.
    with qtbot.assertNotEmitted(traffic.drill_requested):
        traffic.drill_cell(1, "offered")
        traffic.drill_cell(3, "offered")
    opened: list[int] = []
    shown._open_ticket = opened.append
    ticket = DrillTicket(41, "T-000041", "Pump alarm", "open", "complaint", None)
    dialog = shown.show_drill(replace(_result(target), tickets=(ticket,)))
    assert dialog.tickets.rowCount() == 1
    dialog.open_ticket_row(0)
    assert opened == [41]


def _result(target: DrillTarget) -> DrillResult:
    return DrillResult(target=target, interactions=(), tickets=())


def test_the_workbook_is_written_off_the_gui_thread(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path
) -> None:
    shown = window(qtbot, tasks, frozenset({VIEW_TEAM}))
    shown.service.book = sample_book()
    with qtbot.waitSignal(shown.service.exported, timeout=20_000):
        shown.export(tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    assert "r.xlsx" in shown.status_label.text()
    # The PDF in steps on the GUI thread: a chart per event-loop turn, then the file.
    with qtbot.waitSignal(shown.pdf_written, timeout=20_000):
        shown.export(tmp_path / "r.pdf")
        assert shown.status_label.text() == "Writing the PDF…"
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert "r.pdf" in shown.status_label.text()


def test_a_17_server_answering_404_is_said_once(qtbot: QtBot) -> None:
    # The work runs at once on this thread (Inline executor): "said once" is checked, not
    # waited for. The 404 is what a 1.7 server's FastAPI answers on a route it lacks.
    source = Source(frozenset({VIEW_TEAM}))
    service = ReportsService(
        source, TaskRunner(Inline()), lambda: datetime(2026, 12, 3, tzinfo=UTC)
    )  # type: ignore[arg-type]
    said: list[str] = []
    service.unavailable.connect(said.append)
    shown = ReportsWindow(service)
    qtbot.addWidget(shown)
    assert said == ["This server does not provide reports (it is older than contract 1.8)."]
    assert source.server.asked[:1] == ["report_dimensions"]
    assert shown.status_label.text() == said[0]
    shown.run(shown.filters.current())  # asking again says nothing new
    assert len(said) == 1
    assert not shown.excel_button.isEnabled()


def test_a_filter_the_server_would_refuse_is_said_before_asking(
    qtbot: QtBot, tasks: TaskRunner
) -> None:
    shown = window(qtbot, tasks, frozenset({VIEW_TEAM}))
    shown.filters.set_range(date(2026, 9, 1), date(2026, 11, 30))
    shown.filters.set_granularity(Granularity.INTERVAL)
    shown.filters.ask()
    assert shown.status_label.text() == (
        "The reports could not be read: 15-minute periods cover at most 31 days; "
        "choose a shorter range or days."
    )
