"""Reports end to end (issue 21): desks signed in to the real backend over HTTP, with two days
of generated history (``server_stub.history``: two lines, their agents, calls, tickets). The
lead of the first line opens Tools ▸ Reports and sees their team's figures (every agent of
the team, nobody else's; offered calls as the generator made them, the heat map summing to
them), drills from a number to the calls and the tickets behind it, and exports the book to
Excel (read back by openpyxl) and PDF (rendered by pdftoppm). An agent of that line sees
their own figures only, the same as the lead's row for them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import LanguageSwitcher
from agent_desktop.messages import MessageBridge
from agent_desktop.services.report_book import ReportBook, SheetKey
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.reports.window import ReportsWindow
from server_stub.history import generate, offered_counts
from sync.contract.reports import Granularity
from tests.fakes.accessible_tree import unnamed
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import LiveBackend
from tests.ui.conftest import LiveDesk

pytestmark = pytest.mark.slow  # a backend with generated history, two desks
TIMEOUT = 30_000
END = date(2026, 11, 30)  # a Monday; the two days are Sunday and Monday
START = END - timedelta(days=1)
SEED = 3


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    served = LiveBackend(tmp_path / "server.sqlite", seed=False)
    generate(served.database.engine, teams=2, days=2, end=END, seed=SEED, customers_per_team=300)
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
) -> Iterator[Callable[[str], MainWindow]]:
    made: list[tuple[MainWindow, SyncService]] = []

    def make(user: str) -> MainWindow:
        session = make_session(MemoryCredentialStore())
        sync = SyncService(tasks, messages, tmp_path / user, poll_interval_s=3600)
        layout = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, messages, layout)
        window.attach_sync(sync)
        qtbot.addWidget(window)
        session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
        session.sign_in(backend.url, user, "demo1234", remember=False)
        qtbot.waitUntil(lambda: sync.status.state == "online", timeout=TIMEOUT)
        made.append((window, sync))
        return window

    yield make
    for window, sync in made:
        if window.reports_window is not None:
            window.reports_window.close()
        sync.close_now()


def read_book(qtbot: QtBot, desk: MainWindow) -> tuple[ReportsWindow, ReportBook]:
    assert desk.reports_action.isVisible()
    reports = desk.open_reports()
    assert reports is not None
    qtbot.waitUntil(lambda: reports.service.choices is not None, timeout=TIMEOUT)
    books: list[ReportBook] = []
    reports.service.loaded.connect(books.append)
    reports.filters.set_range(START, END)
    reports.filters.ask()
    said = f"{START.isoformat()} – {END.isoformat()}"
    qtbot.waitUntil(lambda: any(b.filter_lines[0].value == said for b in books), timeout=TIMEOUT)
    book = reports.service.book
    assert book is not None
    assert book.filter_lines[0].value == said  # the window's first filter's answer was dropped
    return reports, book


def total(book: ReportBook, sheet: SheetKey, column: str) -> object:
    found = book.sheet(sheet)
    assert found is not None
    assert found.totals is not None
    return found.totals[found.column(column)]


def exports_read_back(qtbot: QtBot, reports: ReportsWindow, tmp_path: Path) -> None:
    """Excel read back by openpyxl (numbers as numbers), the PDF rendered by pdftoppm."""
    book = reports.service.book
    assert book is not None
    traffic = book.sheet(SheetKey.TRAFFIC)
    assert traffic is not None
    from openpyxl import load_workbook

    with qtbot.waitSignal(reports.service.exported, timeout=TIMEOUT):
        reports.export(tmp_path / "team.xlsx")
    workbook = load_workbook(tmp_path / "team.xlsx")
    assert "Traffic" in workbook.sheetnames
    sheet = workbook["Traffic"]
    assert sheet["B1"].value == "Offered"
    assert sheet["B2"].value == traffic.rows[0][1]  # a number, not text
    with qtbot.waitSignal(reports.pdf_written, timeout=TIMEOUT):
        reports.export(tmp_path / "team.pdf")
    if shutil.which("pdftoppm") is not None:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "team.pdf"),
             str(tmp_path / "page")],
            check=True, timeout=60,
        )  # fmt: skip
        assert list(tmp_path.glob("page*.png"))


def test_a_lead_sees_the_team_drills_down_and_exports(
    qtbot: QtBot, desk_for: Callable[[str], MainWindow], tmp_path: Path
) -> None:
    reports, book = read_book(qtbot, desk_for("h1lead"))
    assert reports.windowTitle() == "Reports"
    # The team's figures: the calls offered to its line, exactly as generated.
    made = sum(sum(offered_counts(0, START + timedelta(days=n), seed=SEED)) for n in range(2))
    assert total(book, SheetKey.TRAFFIC, "offered") == made
    assert book.heat_map is not None
    assert sum(map(sum, book.heat_map.counts)) == made
    traffic = book.sheet(SheetKey.TRAFFIC)
    assert traffic is not None
    assert [row[0] for row in traffic.rows] == [START, END]  # by day, as the filter says
    people = book.sheet(SheetKey.PEOPLE)
    assert people is not None
    names = [row[0] for row in people.rows]
    assert len(names) > 10
    assert all(str(name).startswith("坐席 H1-") for name in names)  # nobody of the other line
    assert reports.excel_button.isEnabled()
    assert unnamed(reports) == []  # every control named for a screen reader

    # Drill-down: the calls behind Monday's abandoned calls, the tickets behind a category.
    opened: list[int] = []
    reports._open_ticket = opened.append  # the desk's ticket form is the main window's part
    page = reports.pages[SheetKey.TRAFFIC]
    abandoned = traffic.rows[1][traffic.column("abandoned")]
    assert isinstance(abandoned, int)
    assert abandoned > 0
    page.drill_cell(1, "abandoned")
    qtbot.waitUntil(lambda: reports.drill_dialog is not None, timeout=TIMEOUT)
    dialog = reports.drill_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.calls.rowCount() > 0, timeout=TIMEOUT)
    assert dialog.calls.rowCount() == min(abandoned, 200)
    calls = dialog.calls.rows()
    assert {c.started_at.date() for c in calls} == {END}  # in the centre's zone, as the report
    service = book.sheet(SheetKey.SERVICE)
    assert service is not None
    assert service.rows
    reports.pages[SheetKey.SERVICE].drill_cell(0, "opened")
    qtbot.waitUntil(lambda: dialog.tickets.rowCount() > 0, timeout=TIMEOUT)
    first_ticket = dialog.tickets.rows()[0]
    dialog.open_ticket_row(0)
    assert opened == [first_ticket.id]
    assert unnamed(dialog) == []

    exports_read_back(qtbot, reports, tmp_path)


def test_an_agent_sees_only_their_own_figures(
    qtbot: QtBot, desk_for: Callable[[str], MainWindow]
) -> None:
    _lead_window, lead_book = read_book(qtbot, desk_for("h1lead"))
    agent_window, book = read_book(qtbot, desk_for("h1a001"))
    assert agent_window.windowTitle() == "My figures"
    assert not agent_window.filters.agent_box.isEnabled()
    people = book.sheet(SheetKey.PEOPLE)
    assert people is not None
    assert len(people.rows) == 1
    (mine,) = people.rows
    lead_people = lead_book.sheet(SheetKey.PEOPLE)
    assert lead_people is not None
    theirs = next(row for row in lead_people.rows if row[0] == mine[0])
    assert mine == theirs  # the lead's row for this agent is what the agent sees
    handled = total(book, SheetKey.HANDLING, "handled")
    assert isinstance(handled, int)
    assert handled <= mine[people.column("handled")]  # type: ignore[operator]
    offered = total(book, SheetKey.TRAFFIC, "offered")
    assert isinstance(offered, int)
    assert offered < total(lead_book, SheetKey.TRAFFIC, "offered")  # type: ignore[operator]


def test_the_reports_window_follows_a_language_switch(
    qtbot: QtBot,
    desk_for: Callable[[str], MainWindow],
    switcher: LanguageSwitcher,
    tmp_path: Path,
) -> None:
    """Switched at run time, an open Reports window is made again and read again in Chinese."""
    lead = desk_for("h1lead")
    first, _book = read_book(qtbot, lead)
    switcher.switch("zh_CN")
    qtbot.waitUntil(lambda: lead.reports_window is not first, timeout=TIMEOUT)
    again = lead.reports_window
    assert again is not None
    assert again.windowTitle() == "报表"
    assert again.tabs.tabText(0) == "话务"
    assert lead.reports_action.text() == "报表(&R)…"
    qtbot.waitUntil(lambda: again.service.book is not None, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: again.service.book is not None and again.service.book.sheets[0].title == "话务",
        timeout=TIMEOUT,
    )
    # The workbook's headers in the user's language too.
    from openpyxl import load_workbook

    with qtbot.waitSignal(again.service.exported, timeout=TIMEOUT):
        again.export(tmp_path / "报表.xlsx")
    workbook = load_workbook(tmp_path / "报表.xlsx")
    assert workbook.sheetnames[:3] == ["报表", "话务", "处理"]
    assert [c.value for c in workbook["话务"][1]][:4] == ["日", "呼入量", "已接听", "放弃"]


def test_fifteen_minute_periods_for_one_day(
    qtbot: QtBot, desk_for: Callable[[str], MainWindow]
) -> None:
    """By 15 minutes: 96 periods in a day, each as many calls as the generator made."""
    lead = desk_for("h1lead")
    reports = lead.open_reports()
    assert reports is not None
    books: list[ReportBook] = []
    reports.service.loaded.connect(books.append)
    reports.filters.set_range(END, END)
    reports.filters.set_granularity(Granularity.INTERVAL)
    reports.filters.ask()
    qtbot.waitUntil(lambda: any(len(b.sheets[0].rows) == 96 for b in books), timeout=TIMEOUT)
    book = reports.service.book
    assert book is not None
    traffic = book.sheets[0]
    assert traffic.columns[0].kind.value == "datetime"
    assert traffic.values("offered") == list(offered_counts(0, END, seed=SEED))


def test_a_ticket_behind_a_number_opens_in_the_ticket_form(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    """The whole desk (the demo centre): the lead opens Tools ▸ Reports by its key, drills
    into the tickets opened in a category and opens one in the desk's ticket form."""
    rig, _phone, _agent = make_live_desk(user="zhangwei")
    window = rig.window
    assert window.reports_action.shortcut().toString() == "Ctrl+Shift+O"
    window.reports_action.trigger()
    reports = window.reports_window
    assert reports is not None
    qtbot.waitUntil(lambda: reports.service.book is not None, timeout=TIMEOUT)
    book = reports.service.book
    assert book is not None
    service = book.sheet(SheetKey.SERVICE)
    assert service is not None
    row = next(n for n, r in enumerate(service.rows) if r[service.column("opened")])
    reports.pages[SheetKey.SERVICE].drill_cell(row, "opened")
    qtbot.waitUntil(
        lambda: reports.drill_dialog is not None and reports.drill_dialog.tickets.rowCount() > 0,
        timeout=TIMEOUT,
    )
    dialog = reports.drill_dialog
    assert dialog is not None
    ticket = dialog.tickets.rows()[0]
    dialog.open_ticket_row(0)
    desk = window.work_desk
    assert desk is not None
    qtbot.waitUntil(lambda: ticket.id in desk.tickets.forms, timeout=TIMEOUT)
    form = desk.tickets.forms[ticket.id]
    qtbot.waitUntil(lambda: ticket.number in form.windowTitle(), timeout=TIMEOUT)


def test_the_drill_down_lists_a_busy_day_page_by_page(
    qtbot: QtBot, desk_for: Callable[[str], MainWindow]
) -> None:
    """A day's offered calls are more than a page: the first 200, then 200 more on asking."""
    reports, book = read_book(qtbot, desk_for("h1lead"))
    traffic = book.sheet(SheetKey.TRAFFIC)
    assert traffic is not None
    offered = traffic.rows[1][traffic.column("offered")]
    assert isinstance(offered, int)
    assert offered > 400
    reports.pages[SheetKey.TRAFFIC].drill_cell(1, "offered")
    qtbot.waitUntil(
        lambda: reports.drill_dialog is not None and reports.drill_dialog.calls.rowCount() > 0,
        timeout=TIMEOUT,
    )
    dialog = reports.drill_dialog
    assert dialog is not None
    assert dialog.calls.rowCount() == 200
    assert dialog.note.text().startswith(f"200 of {offered} listed.")
    assert dialog.more_button.isVisible()
    dialog.more_button.click()
    qtbot.waitUntil(lambda: dialog.calls.rowCount() == 400, timeout=TIMEOUT)
    ids = [c.id for c in dialog.calls.rows()]
    assert len(set(ids)) == 400  # the next page, not the first again
