"""The ticket lists: every ticket of the desk in memory, one model; the views (my tickets, team
queue, overdue, complaints) and the search are a proxy over it, so 50,000 rows sort, filter
and scroll without a database query. SLA columns count down from a timer that repaints them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
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

from sync.clock import system_clock
from sync.contract.desk import category_label
from sync.contract.records import TicketStatus
from sync.contract.rules import is_open
from sync.work_views import TicketLine

Index = QModelIndex | QPersistentModelIndex
SOON = timedelta(hours=2)  # an SLA this close is shown in orange


def status_label(status: str) -> str:
    return {
        "new": QCoreApplication.translate("TicketTableModel", "New"),
        "in_progress": QCoreApplication.translate("TicketTableModel", "In progress"),
        "waiting_customer": QCoreApplication.translate("TicketTableModel", "Waiting on customer"),
        "escalated": QCoreApplication.translate("TicketTableModel", "Escalated"),
        "resolved": QCoreApplication.translate("TicketTableModel", "Resolved"),
        "closed": QCoreApplication.translate("TicketTableModel", "Closed"),
        "cancelled": QCoreApplication.translate("TicketTableModel", "Cancelled"),
    }.get(status, status)


def left_text(due: datetime | None, now: datetime) -> str:
    """ "2 h 05 min left" or "overdue 1 h 10 min" (empty without a deadline)."""
    if due is None:
        return ""
    seconds = int((due - now).total_seconds())
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        span = (
            QCoreApplication.translate("TicketTableModel", "%1 d %2 h")
            .replace("%1", str(days))
            .replace("%2", str(hours))
        )
    elif hours:
        span = (
            QCoreApplication.translate("TicketTableModel", "%1 h %2 min")
            .replace("%1", str(hours))
            .replace("%2", f"{mins:02d}")
        )
    else:
        span = QCoreApplication.translate("TicketTableModel", "%1 min").replace("%1", str(mins))
    return (
        QCoreApplication.translate("TicketTableModel", "%1 left").replace("%1", span)
        if seconds >= 0
        else QCoreApplication.translate("TicketTableModel", "overdue %1").replace("%1", span)
    )


class Column(StrEnum):
    # In display order: what an agent scans first comes first (the work area is narrow).
    NUMBER = "number"
    SUMMARY = "summary"
    RESOLVE = "resolve"  # the clock the agent works against: in view without scrolling
    CUSTOMER = "customer"
    STATUS = "status"
    PRIORITY = "priority"
    RESPONSE = "response"
    CATEGORY = "category"
    HANDLER = "handler"
    OPENED = "opened"
    SYNC = "sync"


COLUMNS = list(Column)
COUNTDOWN = (COLUMNS.index(Column.RESPONSE), COLUMNS.index(Column.RESOLVE))


def open_status(status: str) -> bool:
    try:
        return is_open(TicketStatus(status))
    except ValueError:  # a status this desk does not know yet: shown, never counted down
        return False


def _local(stamp: datetime | None) -> str:
    return stamp.astimezone().strftime("%m-%d %H:%M") if stamp else ""


class TicketTableModel(QAbstractTableModel):
    def __init__(
        self,
        now: Callable[[], datetime] | None = None,
        language: str = "en",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[TicketLine] = []
        self._now = now or system_clock().now
        self._language = language
        # Worked out once per row, not per paint or per comparison: 50,000 rows sort and
        # scroll at frame rate (bench/bench_tickets.py).
        self._open: list[bool] = []
        self._texts: dict[tuple[int, int], str] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None  # kept across reloads

    def set_rows(self, rows: list[TicketLine]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._open = [open_status(line.status) for line in rows]
        if self._sort is not None:
            self._rows = [rows[i] for i in self._order(*self._sort)]
            self._open = [open_status(line.status) for line in self._rows]
        self._texts = {}
        self.endResetModel()

    def _order(self, column: int, order: Qt.SortOrder) -> list[int]:
        keys = [self._sort_key(line, COLUMNS[column], n) for n, line in enumerate(self._rows)]
        return sorted(
            range(len(self._rows)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def is_open(self, row: int) -> bool:
        return self._open[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here, in Python's own sort over keys worked out once: a proxy sorting 50,000
        rows calls back into Python for every comparison (seconds; bench_tickets.py)."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        order_of = self._order(column, order)
        old = self.persistentIndexList()
        where = {old_row: new_row for new_row, old_row in enumerate(order_of)}
        self._rows = [self._rows[i] for i in order_of]
        self._open = [self._open[i] for i in order_of]
        self._texts = {}
        self.changePersistentIndexList(old, [self.index(where[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def line(self, row: int) -> TicketLine:
        return self._rows[row]

    def row_of(self, ticket_id: int) -> int:
        return next((n for n, line in enumerate(self._rows) if line.id == ticket_id), -1)

    def tick(self) -> None:
        """Time passed: repaint the countdowns (no data changes)."""
        if self._rows:
            for column in COUNTDOWN:
                self.dataChanged.emit(
                    self.index(0, column),
                    self.index(len(self._rows) - 1, column),
                    [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
                )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        return {
            Column.NUMBER: QCoreApplication.translate("TicketTableModel", "Number"),
            Column.CUSTOMER: QCoreApplication.translate("TicketTableModel", "Customer"),
            Column.SUMMARY: QCoreApplication.translate("TicketTableModel", "Summary"),
            Column.STATUS: QCoreApplication.translate("TicketTableModel", "Status"),
            Column.PRIORITY: QCoreApplication.translate("TicketTableModel", "Priority"),
            Column.CATEGORY: QCoreApplication.translate("TicketTableModel", "Category"),
            Column.HANDLER: QCoreApplication.translate("TicketTableModel", "Handler"),
            Column.OPENED: QCoreApplication.translate("TicketTableModel", "Opened"),
            Column.RESPONSE: QCoreApplication.translate("TicketTableModel", "Response due"),
            Column.RESOLVE: QCoreApplication.translate("TicketTableModel", "Resolve by"),
            Column.SYNC: QCoreApplication.translate("TicketTableModel", "Sync"),
        }[COLUMNS[section]]

    def _due(self, line: TicketLine, column: Column, row: int | None = None) -> datetime | None:
        if not (self._open[row] if row is not None else open_status(line.status)):
            return None  # a closed ticket's clocks are stopped
        if column is Column.RESPONSE:
            return line.sla_due_at if line.status != "waiting_customer" else None
        return line.resolve_due_at

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = index.row()
        line = self._rows[row]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return line
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, line, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (Column.RESPONSE, Column.RESOLVE):
                due = self._due(line, column)
                if due is not None and due < self._now():
                    return QColor("#b00020")
                if due is not None and due - self._now() < SOON:
                    return QColor("#e65100")
            if column is Column.SUMMARY and line.complaint:
                return QColor("#b00020")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (Column.RESPONSE, Column.RESOLVE):
                due = self._due(line, column)
                return _local(due) if due else None
            if column is Column.SYNC and line.state != "synced":
                return self._text(line, column)
            return None
        return None

    def _display(self, row: int, line: TicketLine, column: Column) -> str:
        if column in (Column.RESPONSE, Column.RESOLVE):
            return left_text(self._due(line, column, row), self._now())  # moves on
        key = (row, COLUMNS.index(column))
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self._text(line, column)
        return text

    def _text(self, line: TicketLine, column: Column) -> str:
        if column is Column.NUMBER:
            return line.number
        if column is Column.CUSTOMER:
            return line.customer
        if column is Column.SUMMARY:
            mark = (
                QCoreApplication.translate("TicketTableModel", "Complaint") + ": "
                if line.complaint
                else ""
            )
            return mark + line.summary
        if column is Column.STATUS:
            text = status_label(line.status)
            if line.escalation_level:
                text += " · " + QCoreApplication.translate("TicketTableModel", "level %1").replace(
                    "%1", str(line.escalation_level)
                )
            return text
        if column is Column.PRIORITY:
            return line.priority
        if column is Column.CATEGORY:
            return category_label(line.category, self._language)
        if column is Column.HANDLER:
            return line.handler
        if column is Column.OPENED:
            return _local(line.opened_at)
        if column in (Column.RESPONSE, Column.RESOLVE):
            return left_text(self._due(line, column), self._now())
        return {
            "synced": "",
            "pending": QCoreApplication.translate("TicketTableModel", "waiting to sync"),
            "conflict": QCoreApplication.translate("TicketTableModel", "conflict"),
            "failed": QCoreApplication.translate("TicketTableModel", "refused"),
        }.get(line.state, line.state)

    def _sort_key(self, line: TicketLine, column: Column, row: int) -> Any:
        if column in (Column.RESPONSE, Column.RESOLVE):
            due = self._due(line, column, row)
            return due.timestamp() if due else float("inf")
        if column is Column.OPENED:
            return line.opened_at.timestamp() if line.opened_at else 0.0
        return self._text(line, column).casefold()


class View(StrEnum):
    MINE = "mine"
    TEAM = "team"
    OVERDUE = "overdue"
    COMPLAINTS = "complaints"
    ALL = "all"


class TicketFilter(QSortFilterProxyModel):
    """Which tickets a view shows, and the search: number, customer, serial, model, summary."""

    def __init__(
        self,
        user_id: Callable[[], int | None],
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._user_id = user_id
        self._now = now
        self._view = View.MINE
        self._needle = ""
        # The source model sorts (see TicketTableModel.sort); the proxy only filters.
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def set_view(self, view: View) -> None:
        self.beginFilterChange()  # Qt 6.10's replacement of invalidateFilter()
        self._view = view
        self.endFilterChange()

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, _source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, TicketTableModel):
            return True
        line = model.line(source_row)
        open_ = model.is_open(source_row)
        if self._needle and not any(
            self._needle in text.casefold()
            for text in (line.number, line.customer, line.serial, line.model, line.summary)
        ):
            return False
        if self._view is View.ALL:
            return True
        if not open_:
            return False
        if self._view is View.MINE:
            return line.handler_id == self._user_id()
        if self._view is View.COMPLAINTS:
            return line.complaint
        if self._view is View.OVERDUE:
            now = self._now()
            return any(
                due is not None and due < now
                for due in (
                    line.resolve_due_at,
                    line.sla_due_at if line.status != "waiting_customer" else None,
                )
            )
        return True  # the team queue: every open ticket of the team
