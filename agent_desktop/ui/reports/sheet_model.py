"""A report's sheet as a read-only table: the book's rows, then its totals; display texts made
once when the sheet is set (``data()`` reads nothing else), numbers right-aligned, sorted by
value (``SORT_ROLE``), a drillable number underlined in the link colour with a tooltip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from agent_desktop.services.report_book import Cell, CellKind, RowScope, Sheet
from agent_desktop.ui.appearance import colour
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.reports.cells import cell_text, sort_key

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole
_NUMERIC = (CellKind.COUNT, CellKind.PERCENT, CellKind.SECONDS, CellKind.NUMBER)


class SheetModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sheet: Sheet | None = None
        self._rows: list[tuple[Cell, ...]] = []
        self._texts: list[list[str]] = []
        self._scopes: list[RowScope | None] = []

    def set_sheet(self, sheet: Sheet | None) -> None:
        self.beginResetModel()
        self.sheet = sheet
        self._rows, self._scopes = [], []
        if sheet is not None:
            self._rows = list(sheet.rows)
            self._scopes = [*sheet.scopes, *([None] * (len(sheet.rows) - len(sheet.scopes)))]
            if sheet.totals is not None and sheet.rows:
                self._rows.append(sheet.totals)
                self._scopes.append(None)
        columns = sheet.columns if sheet is not None else ()
        self._texts = [
            [cell_text(v, c.kind) for v, c in zip(row, columns, strict=True)] for row in self._rows
        ]
        self.endResetModel()

    def scope(self, row: int) -> RowScope | None:
        return self._scopes[row] if 0 <= row < len(self._scopes) else None

    def is_total(self, row: int) -> bool:
        sheet = self.sheet
        return sheet is not None and sheet.totals is not None and row == len(self._rows) - 1

    def drillable(self, index: Index) -> bool:
        """A number with records behind it that the server can list."""
        if self.sheet is None or not index.isValid():
            return False
        column = self.sheet.columns[index.column()]
        value = self._rows[index.row()][index.column()]
        return (
            column.drillable
            and self.scope(index.row()) is not None
            and isinstance(value, int | float)
            and value > 0
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.sheet is None else len(self.sheet.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.sheet is None or index.row() >= len(self._rows):
            return None
        row, col = index.row(), index.column()
        kind = self.sheet.columns[col].kind
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][col]
        if role == SORT_ROLE:
            # The totals stay last whichever way the column is sorted.
            return sort_key(self._rows[row][col]) if not self.is_total(row) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if kind in _NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            if self.is_total(row) or self.drillable(index):
                font = QFont()
                font.setBold(self.is_total(row))
                font.setUnderline(self.drillable(index))
                return font
            return None
        if role == Qt.ItemDataRole.ForegroundRole and self.drillable(index):
            return colour(ColourRole.LINK)
        if role == Qt.ItemDataRole.ToolTipRole and self.drillable(index):
            return self.tr("Double-click or press Enter to list the calls and tickets behind it")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.sheet is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.sheet.columns):
            return self.sheet.columns[section].title
        return None
