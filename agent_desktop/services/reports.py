"""Reports on the desk (issue 21, contract 1.8): the Reports window's face of the server.

Every request runs off the GUI thread (``TaskRunner.run_blocking``); answers come back on the
GUI thread as signals carrying typed objects: the filter's choices (``ReportChoices``), a
``ReportBook`` (``services/report_book.py``) and the records behind a number
(``DrillResult``). The server decides whose figures a user sees (a lead their team's, an agent
their own); the desk only offers the filters that make sense for the user (``own_only``).

Exports run off the GUI thread too for the workbook (openpyxl, no Qt); the PDF's charts are
widgets drawn off screen and its text is laid out by Qt, both the GUI thread's, so the window
makes it there in steps (``ui/reports/pdf_report.py PdfExport``; the longest step about
0.4 s for a month's report, ``bench/bench_reports_export.py``).

A server before 1.8 answers 404 on ``/reports/...``: ``unavailable`` says so once, and the
window shows that sentence instead of empty tabs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.desk_labels import chinese_in_use
from agent_desktop.services.api_errors import describe
from agent_desktop.services.report_book import ReportBook
from agent_desktop.services.report_reading import (
    DrillTarget,
    FilterError,
    ReportChoices,
    ReportFilter,
    read_book,
    read_choices,
    read_drill,
    to_wire,
)
from agent_desktop.services.report_workbook import ExportError, write_workbook
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient, ProtocolError
from sync.contract.records import SessionGrant
from sync.contract.reports import VIEW as VIEW_TEAM
from sync.contract.reports import VIEW_OWN

T = TypeVar("T")


class ReportsSource(Protocol):
    """The signed-in session (a ``SyncService``)."""

    @property
    def client_factory(self) -> Callable[[], ApiClient] | None: ...

    @property
    def grant(self) -> SessionGrant | None: ...


def may_open(permissions: frozenset[str]) -> bool:
    return bool(permissions & {VIEW_OWN, VIEW_TEAM})


class ReportsService(QObject):
    choices_loaded = Signal(object)  # ReportChoices
    loaded = Signal(object)  # ReportBook
    drilled = Signal(object)  # DrillResult
    exported = Signal(str)  # the path written
    failed = Signal(str)
    unavailable = Signal(str)  # the server is older than contract 1.8
    busy_changed = Signal(bool)

    def __init__(
        self,
        source: ReportsSource,
        tasks: TaskRunner,
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self._now = now
        self.book: ReportBook | None = None
        self.choices: ReportChoices | None = None
        self.wanted: ReportFilter | None = None
        self.is_unavailable = False
        self._pending = 0
        self._asked = 0  # the filters asked so far: only the last one's answer is shown

    def forget(self) -> None:
        """Drop what was read (a new window, maybe another user or server, starts afresh)."""
        self.book = None
        self.choices = None
        self.wanted = None
        self.is_unavailable = False
        self._asked += 1  # an answer still on its way is for a window that is gone

    # -- who -------------------------------------------------------------------------------------

    @property
    def own_only(self) -> bool:
        """An agent: their own figures; the server answers nothing else either."""
        grant = self._source.grant
        return grant is None or VIEW_TEAM not in grant.permissions

    @property
    def own_name(self) -> str:
        grant = self._source.grant
        return grant.user.display_name if grant is not None else ""

    @property
    def user_id(self) -> int | None:
        grant = self._source.grant
        return grant.user.id if grant is not None else None

    def today(self) -> date:
        return self._now().date()

    # -- reads -----------------------------------------------------------------------------------

    def load_choices(self) -> None:
        self._run(read_choices, self._chosen)

    def _chosen(self, choices: ReportChoices) -> None:
        self.choices = choices
        self.choices_loaded.emit(choices)

    def load(self, wanted: ReportFilter) -> None:
        """The four reports for ``wanted``; ``loaded`` with the book."""
        try:
            to_wire(wanted)  # a filter the server would refuse is said now, in the user's words
        except FilterError as exc:
            self.failed.emit(str(exc))
            return
        self.wanted = wanted
        self._asked += 1
        asked = self._asked
        choices = self.choices
        now = self._now()
        own = self.own_name if self.own_only else None
        chinese = chinese_in_use()  # the GUI thread's locale, read here, not in the worker

        def loaded(book: ReportBook) -> None:
            # An answer to an earlier filter, arriving after a newer one was asked: dropped,
            # so the tabs never show figures for a filter no longer on screen.
            if asked == self._asked:
                self.book = book
                self.loaded.emit(book)

        self._run(lambda c: read_book(c, wanted, choices, now, own, chinese), loaded)

    def drill(self, target: DrillTarget, offset: int = 0) -> None:
        """The interactions and tickets behind one number of the book on screen (a page of
        them from ``offset``)."""
        wanted = self.wanted
        if wanted is None:
            return
        chinese = chinese_in_use()
        self._run(lambda c: read_drill(c, wanted, target, chinese, offset), self.drilled.emit)

    # -- exports ---------------------------------------------------------------------------------

    def export_workbook(self, path: Path) -> None:
        book = self.book
        if book is None:
            return
        self._busy(1)
        self._tasks.run_blocking(lambda: write_workbook(book, path), self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        self._busy(-1)
        self.exported.emit(str(path))

    # -- plumbing --------------------------------------------------------------------------------

    def _busy(self, step: int) -> None:
        before = self._pending > 0
        self._pending = max(0, self._pending + step)
        if (self._pending > 0) != before:
            self.busy_changed.emit(self._pending > 0)

    def _run(self, op: Callable[[ApiClient], T], success: Callable[[T], object]) -> None:
        factory = self._source.client_factory
        if factory is None:
            self.failed.emit(
                QCoreApplication.translate("ReportsService", "Not signed in to the server.")
            )
            return

        def call() -> T:
            with factory() as client:
                return op(client)

        def done(value: T) -> None:
            self._busy(-1)
            success(value)

        self._busy(1)
        self._tasks.run_blocking(call, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._busy(-1)
        if isinstance(error, FilterError | ExportError):  # said in the user's words already
            self.failed.emit(str(error))
            return
        # A route a server does not have answers FastAPI's own 404, which the client cannot
        # read as ours (ProtocolError): a server before contract 1.8.
        if isinstance(error, ProtocolError) and error.status == 404:
            if not self.is_unavailable:
                self.is_unavailable = True
                self.unavailable.emit(
                    QCoreApplication.translate(
                        "ReportsService",
                        "This server does not provide reports (it is older than contract 1.8).",
                    )
                )
            return
        self.failed.emit(describe(error))
