"""The dispatch list: one row per field work order, from the ``DispatchLine``s WorkService reads.

The model only holds what it was given (no reads in ``data()``); the proxy filters by status
group (open / finished / all) and by text, and sorts. The labels for methods, statuses and
results live here too, so the list, the forms and the day view say the same words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from agent_desktop.ui.appearance import colour
from agent_desktop.ui.models.row_merge import merge_rows
from agent_desktop.ui.palette import ColourRole
from sync.contract.records import DispatchStatus
from sync.contract.rules import DISPATCH_OPEN
from sync.work_views import DispatchLine

Index = QModelIndex | QPersistentModelIndex
TICKET_COL, CUSTOMER_COL, ENGINEER_COL, WINDOW_COL, METHOD_COL, STATUS_COL, SYNC_COL = range(7)
COLUMN_COUNT = 7
LINE_ROLE = Qt.ItemDataRole.UserRole  # the row's DispatchLine
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts (times as timestamps)
GROUPS = ("open", "finished", "all")
_OPEN = frozenset(s.value for s in DISPATCH_OPEN)


def method_label(method: str) -> str:
    labels = {
        "on_site": QCoreApplication.translate("Dispatch", "On-site"),
        "remote": QCoreApplication.translate("Dispatch", "Remote"),
        "phone": QCoreApplication.translate("Dispatch", "Phone"),
    }
    return labels.get(method, method)


def result_label(result: str) -> str:
    labels = {
        "resolved": QCoreApplication.translate("Dispatch", "resolved"),
        "partly": QCoreApplication.translate("Dispatch", "partly resolved"),
        "not_resolved": QCoreApplication.translate("Dispatch", "not resolved"),
    }
    return labels.get(result, result)


def status_label(status: str, result: str = "") -> str:
    labels = {
        "planned": QCoreApplication.translate("Dispatch", "Planned"),
        "en_route": QCoreApplication.translate("Dispatch", "En route"),
        "on_site": QCoreApplication.translate("Dispatch", "On site"),
        "done": QCoreApplication.translate("Dispatch", "Done"),
        "failed": QCoreApplication.translate("Dispatch", "Failed"),
        "cancelled": QCoreApplication.translate("Dispatch", "Cancelled"),
    }
    text = labels.get(status, status)
    if result:
        text = (
            QCoreApplication.translate("Dispatch", "%1 · %2")
            .replace("%1", text)
            .replace("%2", result_label(result))
        )
    return text


def sync_label(state: str) -> str:
    labels = {
        "synced": QCoreApplication.translate("Dispatch", "Synced"),
        "pending": QCoreApplication.translate("Dispatch", "Waiting to sync"),
        "conflict": QCoreApplication.translate("Dispatch", "Conflict"),
        "failed": QCoreApplication.translate("Dispatch", "Not accepted"),
    }
    return labels.get(state, state)


def local_window(start: datetime | None, end: datetime | None) -> str:
    """The visit's window in the desk's local time: one date when it starts and ends that day."""
    if start is None:
        return ""
    begin = start.astimezone()
    if end is None:
        return f"{begin:%Y-%m-%d %H:%M}"
    finish = end.astimezone()
    if finish.date() == begin.date():
        return f"{begin:%Y-%m-%d %H:%M}–{finish:%H:%M}"
    return f"{begin:%Y-%m-%d %H:%M} – {finish:%Y-%m-%d %H:%M}"


def is_open(line: DispatchLine) -> bool:
    return line.status in _OPEN


def may_redispatch(line: DispatchLine) -> bool:
    """A visit that failed, or resolved the fault only partly, may be followed by another."""
    return line.status == DispatchStatus.FAILED.value or (
        line.status == DispatchStatus.DONE.value and line.result == "partly"
    )


class DispatchTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[DispatchLine] = []

    def _headers(self) -> tuple[str, ...]:
        """The column names, in the language in use when asked (it may change at run time)."""
        return (
            self.tr("Ticket"),
            self.tr("Customer"),
            self.tr("Engineer"),
            self.tr("Window"),
            self.tr("Method"),
            self.tr("Status"),
            self.tr("Sync"),
        )

    def set_lines(self, lines: list[DispatchLine]) -> None:
        # Laid over the rows shown (no reset): the selection and the order stay put.
        merge_rows(self, self._lines, lines, lambda line: line.id)

    def lines(self) -> list[DispatchLine]:
        return list(self._lines)

    def line(self, row: int) -> DispatchLine:
        return self._lines[row]

    def row_of(self, dispatch_id: int) -> int | None:
        for row, line in enumerate(self._lines):
            if line.id == dispatch_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < COLUMN_COUNT
        ):
            return self._headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == LINE_ROLE:
            return line
        if role == SORT_ROLE:
            if column == WINDOW_COL:
                return line.window_start.timestamp() if line.window_start else 0.0
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(line, column)
        return None

    def _text(self, line: DispatchLine, column: int) -> str:
        if column == TICKET_COL:
            return line.ticket_number or f"#{line.ticket_id}"
        if column == CUSTOMER_COL:
            return line.customer
        if column == ENGINEER_COL:
            return line.technician
        if column == WINDOW_COL:
            return local_window(line.window_start, line.window_end)
        if column == METHOD_COL:
            return method_label(line.method)
        if column == STATUS_COL:
            return status_label(line.status, line.result)
        if column == SYNC_COL:
            return sync_label(line.state)
        return ""

    def _tooltip(self, line: DispatchLine, column: int) -> str | None:
        if column == CUSTOMER_COL and line.address:
            return line.address
        if column == STATUS_COL and line.previous_dispatch_id is not None:
            return self.tr("Re-dispatch after visit #%1").replace(
                "%1", str(line.previous_dispatch_id)
            )
        return None

    def _colour(self, line: DispatchLine, column: int) -> QColor | None:
        if column == SYNC_COL:
            # Only what needs the agent stands out; a synced row is quiet.
            role = {
                "synced": ColourRole.MUTED,
                "pending": ColourRole.PENDING,
                "conflict": ColourRole.ERROR,
                "failed": ColourRole.ERROR,
            }.get(line.state)
            return colour(role) if role is not None else None
        if column == STATUS_COL and line.status == DispatchStatus.FAILED.value:
            return colour(ColourRole.ERROR)
        return None


class DispatchFilterModel(QSortFilterProxyModel):
    """Rows of one status group whose ticket, customer, engineer or address has the text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._group = "open"
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    @property
    def group(self) -> str:
        return self._group

    def set_group(self, group: str) -> None:
        if group not in GROUPS:
            raise ValueError(f"no status group {group!r}")
        self.beginFilterChange()
        self._group = group
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def line(self, row: int) -> DispatchLine:
        line = self.index(row, 0).data(LINE_ROLE)
        assert isinstance(line, DispatchLine)
        return line

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DispatchTableModel) or source_parent.isValid():
            return False
        line = model.line(source_row)
        if self._group == "open" and not is_open(line):
            return False
        if self._group == "finished" and is_open(line):
            return False
        if not self._text:
            return True
        haystack = " ".join(
            (line.ticket_number, line.customer, line.technician, line.address)
        ).casefold()
        return all(word in haystack for word in self._text.split())
