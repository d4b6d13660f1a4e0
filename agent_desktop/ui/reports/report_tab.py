"""One report's tab: its chart over its table (the traffic tab adds the weekday × hour heat
map; the service tab adds the service figures and the tickets by model and by region as more
tables beside the main one), or a sentence when the filter matches nothing. A drillable number
(underlined) opens the records behind it on a double-click or Enter: ``drill_requested`` with
a ``DrillTarget``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.report_book import ReportBook, Sheet, SheetKey
from agent_desktop.services.report_reading import DrillTarget
from agent_desktop.ui.reports.cells import cell_text
from agent_desktop.ui.reports.charts import draw_heat_map, draw_sheet, new_plot
from agent_desktop.ui.reports.sheet_model import SORT_ROLE, SheetModel


class SheetTable(QTableView):
    activated_by_key = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_by_key.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class SheetView(QObject):
    """A sheet's table: model, sorting proxy, view, and its drill-down."""

    drill_requested = Signal(object)  # DrillTarget

    def __init__(self, key: SheetKey, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.model = SheetModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        table = self.table = SheetTable()
        table.setObjectName(f"report-{key.value}-table")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.setTabKeyNavigation(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.doubleClicked.connect(self._drill)
        table.activated_by_key.connect(self._drill)

    def show_sheet(self, sheet: Sheet | None) -> None:
        self.model.set_sheet(sheet)
        self.proxy.sort(-1)  # the book's own order: by period, by agent
        self.table.setAccessibleName(sheet.title if sheet is not None else "")

    def _drill(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        sheet = self.model.sheet
        scope = self.model.scope(source.row())
        if sheet is None or scope is None or not self.model.drillable(source):
            return
        column = sheet.columns[source.column()]
        row = sheet.rows[source.row()]
        label = cell_text(row[0], sheet.columns[0].kind)
        self.drill_requested.emit(
            DrillTarget(sheet.key, column.key, scope, f"{column.title} · {label}")
        )

    def drill_cell(self, row: int, column_key: str) -> None:
        """Drill into ``row`` (the book's order) at ``column_key``, as a double-click does."""
        sheet = self.model.sheet
        if sheet is not None:
            source = self.model.index(row, sheet.column(column_key))
            self._drill(self.proxy.mapFromSource(source))


class ReportTab(QWidget):
    drill_requested = Signal(object)  # DrillTarget

    def __init__(
        self, key: SheetKey, extras: tuple[SheetKey, ...] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"report-{key.value}")
        self.main = SheetView(key, self)
        self.views = {key: self.main} | {k: SheetView(k, self) for k in extras}
        for view in self.views.values():
            view.drill_requested.connect(self.drill_requested)
        self.model = self.main.model
        self.table = self.main.table
        self.chart = new_plot()
        self.chart.setObjectName(f"report-{key.value}-chart")
        self.chart.setAccessibleName(self.tr("Report chart"))
        self.heat = new_plot() if key == SheetKey.TRAFFIC else None
        self.empty_label = QLabel()
        self.empty_label.setObjectName(f"report-{key.value}-empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.chart)
        if self.heat is not None:
            self.heat.setObjectName("report-heat-map")
            self.heat.setAccessibleName(self.tr("Calls by weekday and hour"))
            charts.addWidget(self.heat)
        self.tables: QTabWidget | None = None
        self._book: ReportBook | None = None
        if extras:
            tables = self.tables = QTabWidget()
            for view in self.views.values():
                tables.addTab(view.table, "")
            lower: QWidget = tables
        else:
            lower = self.table
        split = self.split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(charts)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(split, 1)

    def changeEvent(self, event: QEvent) -> None:
        # pyqtgraph draws outside Qt's palette: a palette switch (View ▸ Colours) redraws.
        if event.type() == QEvent.Type.PaletteChange and self._book is not None:
            self.show_book(self._book)
        super().changeEvent(event)

    def show_book(self, book: ReportBook) -> None:
        self._book = book
        for n, (key, view) in enumerate(self.views.items()):
            sheet = book.sheet(key)
            view.show_sheet(sheet)
            if self.tables is not None and sheet is not None:
                self.tables.setTabText(n, sheet.title)
        sheet = book.sheet(self.key)
        empty = sheet is None or not sheet.rows or _all_zero(sheet)
        self.empty_label.setVisible(empty)
        self.split.setVisible(not empty)
        if empty:
            self.empty_label.setText(
                self.tr("No calls or tickets match this filter. Widen the dates or choose "
                        "“All” in a list.")
            )  # fmt: skip
            return
        assert sheet is not None
        draw_sheet(self.chart, sheet)
        heat = book.heat_map
        if self.heat is not None:
            self.heat.setVisible(heat is not None and heat.peak > 0)
            if heat is not None and heat.peak > 0:
                draw_heat_map(self.heat, heat)

    def show_text(self, text: str) -> None:
        """A sentence in place of the report (the server has none, a failure)."""
        self._book = None
        for view in self.views.values():
            view.show_sheet(None)
        self.split.hide()
        self.empty_label.setText(text)
        self.empty_label.show()

    def drill_cell(self, row: int, column_key: str, key: SheetKey | None = None) -> None:
        self.views[key or self.key].drill_cell(row, column_key)


def _all_zero(sheet: Sheet) -> bool:
    """Periods listed with zeros only (the server lists every period): nothing happened."""
    if sheet.totals is None:
        return False
    return not any(isinstance(v, int | float) and v for v in sheet.totals[1:])
