"""The callback list: callbacks and surveys (回访) after resolved tickets and campaign calls.

The model holds the rows the work service read (``TaskLine``) and never asks the cache
itself; the proxy filters them by view (what to call today, everything open, done) and by
what the agent typed, and sorts them by the raw values (``SORT_ROLE``), not the shown text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from agent_desktop.ui.appearance import colour
from agent_desktop.ui.fields import local_time
from agent_desktop.ui.models.row_merge import merge_rows
from agent_desktop.ui.palette import ColourRole
from sync.contract.records import TaskKind, TaskStatus
from sync.work_views import TaskLine

Index = QModelIndex | QPersistentModelIndex
TASK_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's TaskLine
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
(
    DUE_COL,
    KIND_COL,
    CUSTOMER_COL,
    CONTACT_COL,
    TICKET_COL,
    ATTEMPTS_COL,
    STATUS_COL,
    SYNC_COL,
) = range(8)
COLUMNS = 8
VIEW_DUE, VIEW_OPEN, VIEW_DONE = "due", "open", "done"


def is_open(line: TaskLine) -> bool:
    return line.status == TaskStatus.OPEN.value


def is_overdue(line: TaskLine, now: datetime) -> bool:
    return is_open(line) and line.due_at is not None and line.due_at < now


class TaskTableModel(QAbstractTableModel):
    def __init__(self, now: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._lines: list[TaskLine] = []
        self._bold = QFont()
        self._bold.setBold(True)

    # -- filling ------------------------------------------------------------------------------

    def set_tasks(self, lines: Sequence[TaskLine]) -> None:
        # Laid over the rows shown (no reset): the selection and the order stay put.
        merge_rows(self, self._lines, lines, lambda line: line.id)

    def task(self, row: int) -> TaskLine:
        return self._lines[row]

    def row_of(self, task_id: int) -> int:
        for row, line in enumerate(self._lines):
            if line.id == task_id:
                return row
        return -1

    def now(self) -> datetime:
        return self._now()

    # -- words --------------------------------------------------------------------------------

    def kind_text(self, line: TaskLine) -> str:
        if line.kind == TaskKind.PROACTIVE.value:
            return line.campaign or self.tr("Campaign call")
        if line.kind == TaskKind.SURVEY.value:
            return self.tr("Survey")
        return self.tr("Callback")

    def status_text(self, status: str) -> str:
        texts = {
            TaskStatus.OPEN.value: self.tr("Open"),
            TaskStatus.DONE.value: self.tr("Done"),
            TaskStatus.UNREACHABLE.value: self.tr("Unreachable"),
            TaskStatus.CANCELLED.value: self.tr("Cancelled"),
        }
        return texts.get(status, status)

    def sync_text(self, state: str) -> str:
        texts = {
            "synced": "",
            "pending": self.tr("Waiting to sync"),
            "conflict": self.tr("Conflict"),
            "failed": self.tr("Refused"),
        }
        return texts.get(state, state)

    # -- the model ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            self.tr("Due"),
            self.tr("Kind"),
            self.tr("Customer"),
            self.tr("Contact"),
            self.tr("Ticket"),
            self.tr("Tries"),
            self.tr("Status"),
            self.tr("Sync"),
        )
        return headers[section] if 0 <= section < COLUMNS else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == SORT_ROLE:
            return self._sort_key(line, column)
        if role == TASK_ROLE:
            return line
        return self._decoration(line, column, role)

    def _decoration(self, line: TaskLine, column: int, role: int) -> Any:
        overdue = is_overdue(line, self._now())
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == DUE_COL and overdue:
                return QBrush(colour(ColourRole.ERROR))
            if column == SYNC_COL and line.state != "synced":
                return QBrush(
                    colour(ColourRole.PENDING if line.state == "pending" else ColourRole.ERROR)
                )
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(colour(ColourRole.ALERT_BACKGROUND)) if overdue else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if overdue and column == DUE_COL else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == DUE_COL and overdue:
                return self.tr("Overdue since %1").replace("%1", local_time(line.due_at))
            if column == CONTACT_COL:
                return line.phone or None
            if column == KIND_COL and line.notes:
                return line.notes
            return None
        return None

    def _display(self, line: TaskLine, column: int) -> str:
        if column == DUE_COL:
            return local_time(line.due_at)
        if column == KIND_COL:
            return self.kind_text(line)
        if column == CUSTOMER_COL:
            return line.customer
        if column == CONTACT_COL:
            return " ".join(part for part in (line.contact, line.phone) if part)
        if column == TICKET_COL:
            return line.ticket_number
        if column == ATTEMPTS_COL:
            return str(line.attempts)
        if column == STATUS_COL:
            return self.status_text(line.status)
        if column == SYNC_COL:
            return self.sync_text(line.state)
        return ""

    def _sort_key(self, line: TaskLine, column: int) -> Any:
        if column == DUE_COL:
            return line.due_at.timestamp() if line.due_at is not None else float("inf")
        if column == ATTEMPTS_COL:
            return line.attempts
        return self._display(line, column).casefold()


class TaskFilterProxy(QSortFilterProxyModel):
    """The view (due today and overdue / all open / done) and the typed text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = VIEW_DUE
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def view(self) -> str:
        return self._view

    def set_view(self, view: str) -> None:
        if view != self._view:
            self.beginFilterChange()
            self._view = view
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._text:
            self.beginFilterChange()
            self._text = text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, _parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, TaskTableModel):
            return True
        line = model.task(source_row)
        if not self._in_view(line, model.now()):
            return False
        if not self._text:
            return True
        haystack = " ".join(
            (
                line.customer,
                line.contact,
                line.phone,
                line.ticket_number,
                line.campaign,
                line.notes,
                model.kind_text(line),
            )
        ).casefold()
        return all(word in haystack for word in self._text.split())

    def _in_view(self, line: TaskLine, now: datetime) -> bool:
        if self._view == VIEW_DONE:
            return not is_open(line)
        if not is_open(line):
            return False
        if self._view == VIEW_OPEN:
            return True
        # Due today on the agent's own clock, or already late.
        return line.due_at is None or line.due_at.astimezone().date() <= now.astimezone().date()
