"""The Reports window (View ▸ Reports, issue 21): the filter on top, a tab per report
(traffic with the weekday × hour heat map, handling, service, people), Excel and PDF exports,
and a status line that says what is happening, what failed, or that the server has no reports
(a server before contract 1.8).

The figures are the server's; the window asks ``ReportsService`` and shows the ``ReportBook``
it answers. A lead sees their team's figures (and may narrow to a queue or an agent), an agent
their own only. A number underlined in a table opens the calls and tickets behind it; a ticket
there opens in the desk's ticket form through ``open_ticket`` (the composition root's).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.report_book import ReportBook, SheetKey
from agent_desktop.services.report_reading import DrillResult, ReportChoices, ReportFilter
from agent_desktop.services.reports import ReportsService
from agent_desktop.ui.reports.drill_dialog import DrillDialog
from agent_desktop.ui.reports.filters import FilterBar
from agent_desktop.ui.reports.pdf_report import PdfExport
from agent_desktop.ui.reports.report_tab import ReportTab


class ReportsWindow(QWidget):
    pdf_written = Signal(str)  # the path of a PDF just exported

    def __init__(
        self,
        service: ReportsService,
        open_ticket: Callable[[int], object] | None = None,
        own_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reportsWindow")
        self.service = service
        self._open_ticket = open_ticket
        self.setWindowTitle(self.tr("My figures") if service.own_only else self.tr("Reports"))
        self.resize(1200, 800)
        self.filters = FilterBar(service.today(), service.own_only, own_name)
        self.filters.asked.connect(self.run)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Reports"))
        self.pages: dict[SheetKey, ReportTab] = {}
        service_extras = (SheetKey.SERVICE_FIGURES, SheetKey.SERVICE_MODEL, SheetKey.SERVICE_REGION)
        for key, title, extras in (
            (SheetKey.TRAFFIC, self.tr("Traffic"), ()),
            (SheetKey.HANDLING, self.tr("Handling"), ()),
            (SheetKey.SERVICE, self.tr("Service"), service_extras),
            (SheetKey.PEOPLE, self.tr("People") if not service.own_only else self.tr("Me"), ()),
        ):
            page = self.pages[key] = ReportTab(key, extras)
            page.drill_requested.connect(service.drill)
            self.tabs.addTab(page, title)
        self.excel_button = QPushButton(self.tr("Export to &Excel…"))
        self.excel_button.setObjectName("reportExcel")
        self.excel_button.clicked.connect(lambda _c=False: self.ask_export("xlsx"))
        self.pdf_button = QPushButton(self.tr("Export to &PDF…"))
        self.pdf_button.setObjectName("reportPdf")
        self.pdf_button.clicked.connect(lambda _c=False: self.ask_export("pdf"))
        for button in (self.excel_button, self.pdf_button):
            button.setEnabled(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("reportStatus")
        self.status_label.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.excel_button)
        bottom.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.drill_dialog: DrillDialog | None = None
        self.pdf_export: PdfExport | None = None
        service.choices_loaded.connect(self._choices)
        service.loaded.connect(self.show_book)
        service.drilled.connect(self.show_drill)
        service.exported.connect(self._exported)
        service.failed.connect(self._failed)
        service.unavailable.connect(self.show_unavailable)
        service.busy_changed.connect(self._busy)
        if service.is_unavailable:
            self.show_unavailable(
                self.tr("This server does not provide reports (it is older than contract 1.8).")
            )
        else:
            service.load_choices()
            self.run(self.filters.current())

    # -- asking ----------------------------------------------------------------------------------

    def run(self, wanted: ReportFilter) -> None:
        if self.service.is_unavailable:
            return
        self.status_label.setText(self.tr("Reading the figures…"))
        self.service.load(wanted)

    def _choices(self, choices: ReportChoices) -> None:
        self.filters.set_choices(choices)

    def _busy(self, busy: bool) -> None:
        self.filters.show_button.setEnabled(not busy and not self.service.is_unavailable)

    # -- showing ---------------------------------------------------------------------------------

    def show_book(self, book: ReportBook) -> None:
        for page in self.pages.values():
            page.show_book(book)
        has_figures = not book.empty
        self.excel_button.setEnabled(has_figures)
        self.pdf_button.setEnabled(has_figures)
        shown = " · ".join(f"{line.label}: {line.value}" for line in book.filter_lines)
        if book.empty:
            self.status_label.setText(self.tr("No calls or tickets match this filter."))
        else:
            self.status_label.setText(" ".join([shown, *book.notes]))

    def show_unavailable(self, text: str) -> None:
        for page in self.pages.values():
            page.show_text(text)
        self.status_label.setText(text)
        self.filters.show_button.setEnabled(False)
        self.excel_button.setEnabled(False)
        self.pdf_button.setEnabled(False)

    def _failed(self, text: str) -> None:
        self.status_label.setText(self.tr("The reports could not be read: %1").replace("%1", text))

    def show_drill(self, result: DrillResult) -> DrillDialog:
        dialog = self.drill_dialog
        if dialog is None:
            dialog = self.drill_dialog = DrillDialog(self)
            dialog.more_wanted.connect(self.service.drill)
            if self._open_ticket is not None:
                dialog.ticket_wanted.connect(self._open_ticket)
        dialog.show_result(result)
        dialog.show()
        dialog.raise_()
        return dialog

    # -- exports ---------------------------------------------------------------------------------

    def ask_export(self, kind: str) -> None:
        book = self.service.book
        if book is None:
            return
        name = f"{book.title}.{kind}".replace("/", "-")
        wanted = self.tr("Excel workbook (*.xlsx)") if kind == "xlsx" else self.tr("PDF (*.pdf)")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the report"), str(Path.home() / name), wanted
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        """Write the book on screen to ``path`` (.xlsx off the GUI thread; .pdf here: Qt's
        text layout belongs to the GUI thread)."""
        if path.suffix.lower() == ".pdf":
            book = self.service.book
            if book is None:
                return
            self.status_label.setText(self.tr("Writing the PDF…"))
            export = self.pdf_export = PdfExport(book, path, self)
            export.done.connect(self._exported)
            export.done.connect(self.pdf_written)
            export.failed.connect(self._failed)
            export.start()
        else:
            self.status_label.setText(self.tr("Writing the workbook…"))
            self.service.export_workbook(path.with_suffix(".xlsx"))

    def _exported(self, path: str) -> None:
        self.status_label.setText(self.tr("Saved %1").replace("%1", path))
