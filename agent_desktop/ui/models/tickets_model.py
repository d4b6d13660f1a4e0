"""The ticket lists: every ticket of the desk in memory, one flat model (``TicketTableModel``)
that changes row by row as ``TicketDiff``s arrive; the views (my tickets, team queue, overdue,
complaints) and the search are a second model over it (``TicketFilter``) that keeps each view's
rows sorted, so 50,000 rows switch views, sort, filter, scroll and follow synced changes
without a database query or a model reset. SLA columns count down from a timer that repaints
them."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from agent_desktop.services.ticket_index import TicketDiff
from sync.clock import system_clock
from sync.contract.desk import category_label
from sync.contract.records import TicketStatus
from sync.contract.rules import is_open
from sync.work_views import TicketLine

Index = QModelIndex | QPersistentModelIndex
SOON = timedelta(hours=2)  # an SLA this close is shown in orange
# Past this many rows changed at once, one signal for them all (a handler renamed touches
# thousands of tickets: a signal per row would stall the table longer than one relayout).
MANY_CHANGED = 200


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


class TicketRow:
    """One ticket and what is worked out once for it (not per paint, filter or comparison):
    50,000 rows filter, sort and scroll at frame rate (bench/bench_tickets.py)."""

    __slots__ = ("haystack", "line", "open", "overdue_at", "texts")

    def __init__(self, line: TicketLine) -> None:
        self.line = line
        self.open = open_status(line.status)
        # What the search looks in, one string (a needle never spans two fields: the search
        # box holds one line).
        self.haystack = "\n".join(
            (line.number, line.customer, line.serial, line.model, line.summary)
        ).casefold()
        # When the ticket becomes overdue (the earlier of its clocks), while it is open.
        dues = [
            due.timestamp()
            for due in (_response_due(line), line.resolve_due_at)
            if due is not None and self.open
        ]
        self.overdue_at = min(dues, default=math.inf)
        self.texts: list[str | None] = [None] * len(COLUMNS)  # filled when first shown


def _response_due(line: TicketLine) -> datetime | None:
    # A complaint's response clock stops while the customer is the one to answer.
    return line.sla_due_at if line.status != "waiting_customer" else None


@dataclass(frozen=True, slots=True)
class Applied:
    """What ``TicketTableModel.apply`` did, for the filter model over it."""

    inserted: list[TicketRow]
    updated: list[tuple[TicketRow, TicketRow]]  # (before, after)
    removed: list[TicketRow]


class TicketTableModel(QAbstractTableModel):
    """Every ticket of the desk, one row each, in the order they came (no sorting here: the
    views' model ``TicketFilter`` sorts and filters). Changes arrive as ``TicketDiff``s and
    are applied row by row: rows inserted at the end, changed in place, removed; a reset only
    for a whole new list (sign-in, sign-out)."""

    applied = Signal(object)  # Applied, after the rows signals

    def __init__(
        self,
        now: Callable[[], datetime] | None = None,
        language: str = "en",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[TicketRow] = []
        self._row_of: dict[int, int] = {}
        self._now = now or system_clock().now
        self._language = language

    def set_rows(self, lines: list[TicketLine]) -> None:
        """A whole new list (the first read after sign-in, or none after sign-out)."""
        self.beginResetModel()
        self._rows = [TicketRow(line) for line in lines]
        self._row_of = {row.line.id: n for n, row in enumerate(self._rows)}
        self.endResetModel()

    def apply(self, diff: TicketDiff) -> None:
        """Apply a change: removed rows go, changed rows change in place (their selection and
        position in the views kept), new rows are added at the end."""
        removed = self._remove(diff.removed)
        updated: list[tuple[TicketRow, TicketRow]] = []
        fresh: list[TicketLine] = []
        for line in (*diff.updated, *diff.inserted):
            at = self._row_of.get(line.id)
            if at is None:
                fresh.append(line)  # (an update of a row this list never had: a new row)
                continue
            before, after = self._rows[at], TicketRow(line)
            self._rows[at] = after
            updated.append((before, after))
        self._changed(sorted(self._row_of[after.line.id] for _, after in updated))
        inserted = [TicketRow(line) for line in fresh]
        if inserted:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(inserted) - 1)
            self._rows += inserted
            for n, row in enumerate(inserted, start=first):
                self._row_of[row.line.id] = n
            self.endInsertRows()
        if removed or updated or inserted:
            self.applied.emit(Applied(inserted, updated, removed))

    def _remove(self, ticket_ids: Iterable[int]) -> list[TicketRow]:
        rows = sorted({self._row_of[i] for i in ticket_ids if i in self._row_of}, reverse=True)
        lowest = rows[-1] if rows else 0
        gone: list[TicketRow] = []
        # Runs of neighbouring rows go in one step, the last run first (rows above keep their
        # numbers while those below are removed).
        while rows:
            last = first = rows.pop(0)
            while rows and rows[0] == first - 1:
                first = rows.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            gone += self._rows[first : last + 1]
            del self._rows[first : last + 1]
            self.endRemoveRows()
        if gone:
            for row in gone:
                del self._row_of[row.line.id]
            for n in range(lowest, len(self._rows)):  # the rows below moved up
                self._row_of[self._rows[n].line.id] = n
        return gone

    def _changed(self, rows: list[int]) -> None:
        last_column = len(COLUMNS) - 1
        if len(rows) > MANY_CHANGED:  # one signal for the span, not thousands
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], last_column))
            return
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))

    def entries(self) -> list[TicketRow]:
        return self._rows

    def line(self, row: int) -> TicketLine:
        return self._rows[row].line

    def is_open(self, row: int) -> bool:
        return self._rows[row].open

    def row_of(self, ticket_id: int) -> int:
        return self._row_of.get(ticket_id, -1)

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

    def _due(self, entry: TicketRow, column: Column) -> datetime | None:
        if not entry.open:
            return None  # a closed ticket's clocks are stopped
        if column is Column.RESPONSE:
            return _response_due(entry.line)
        return entry.line.resolve_due_at

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)

    def cell(self, entry: TicketRow, column_index: int, role: int) -> Any:
        """One cell of a ticket's row (also what the views' model shows)."""
        line = entry.line
        column = COLUMNS[column_index]
        if role == Qt.ItemDataRole.DisplayRole:
            if column in (Column.RESPONSE, Column.RESOLVE):
                return left_text(self._due(entry, column), self._now())  # moves on
            return self.text(entry, column_index)
        if role == Qt.ItemDataRole.UserRole:
            return line
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (Column.RESPONSE, Column.RESOLVE):
                due = self._due(entry, column)
                if due is not None and due < self._now():
                    return QColor("#b00020")
                if due is not None and due - self._now() < SOON:
                    return QColor("#e65100")
            if column is Column.SUMMARY and line.complaint:
                return QColor("#b00020")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (Column.RESPONSE, Column.RESOLVE):
                due = self._due(entry, column)
                return _local(due) if due else None
            if column is Column.SYNC and line.state != "synced":
                return self.text(entry, column_index)
            return None
        return None

    def text(self, entry: TicketRow, column_index: int) -> str:
        """A column's text, worked out once per row (the countdowns: see ``cell``)."""
        text = entry.texts[column_index]
        if text is None:
            text = entry.texts[column_index] = self._text(entry, COLUMNS[column_index])
        return text

    def _text(self, entry: TicketRow, column: Column) -> str:
        line = entry.line
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
            return left_text(self._due(entry, column), self._now())
        return {
            "synced": "",
            "pending": QCoreApplication.translate("TicketTableModel", "waiting to sync"),
            "conflict": QCoreApplication.translate("TicketTableModel", "conflict"),
            "failed": QCoreApplication.translate("TicketTableModel", "refused"),
        }.get(line.state, line.state)

    def sort_key(self, entry: TicketRow, column_index: int) -> tuple[Any, int]:
        """What a row sorts by in a column; ties by ticket id, so every key is unique and a
        row's place in a sorted list is found by bisection."""
        column = COLUMNS[column_index] if 0 <= column_index < len(COLUMNS) else None
        if column in (Column.RESPONSE, Column.RESOLVE):
            assert column is not None
            due = self._due(entry, column)
            return (due.timestamp() if due else math.inf), entry.line.id
        if column is Column.OPENED:
            opened = entry.line.opened_at
            return (opened.timestamp() if opened else 0.0), entry.line.id
        if column is None:
            return 0, entry.line.id  # unsorted: by id
        return self.text(entry, column_index).casefold(), entry.line.id


class View(StrEnum):
    MINE = "mine"
    TEAM = "team"
    OVERDUE = "overdue"
    COMPLAINTS = "complaints"
    ALL = "all"


_BIT = {View.MINE: 1, View.TEAM: 2, View.OVERDUE: 4, View.COMPLAINTS: 8, View.ALL: 16}
Key = tuple[Any, int]  # TicketTableModel.sort_key: (value, ticket id)


class TicketFilter(QAbstractTableModel):
    """What the table shows: the tickets of one view (my tickets, team queue, overdue,
    complaints, all) matching the search, sorted by a column.

    Not a ``QSortFilterProxyModel``: it would ask Python whether each of 50,000 rows passes
    (``filterAcceptsRow``) at every view switch (~190 ms), and for the sort keys of two rows
    at every comparison (seconds). Instead each view's rows are kept sorted, as lists of sort
    keys, and follow every change of the tickets model by bisection: a view switch hands the
    table a list already made (as cheap as a plain table model's), a changed ticket moves,
    appears or disappears in its rows with the row signals (selection and current row kept).
    A search filters the view's list once (the haystack per ticket is made once)."""

    def __init__(
        self,
        user_id: Callable[[], int | None],
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._user_id = user_id
        self._now = now
        self._source: TicketTableModel | None = None
        self._view = View.MINE
        self._needle = ""
        self._column = -1  # unsorted (by id) until the table says
        self._descending = False
        self._rows: dict[int, TicketRow] = {}
        self._keys: dict[int, Key] = {}
        self._bits: dict[int, int] = {}  # the views each ticket is in
        self._lists: dict[View, list[Key]] = {view: [] for view in View}
        self._shown: list[Key] = []  # ascending; the view's own list when there is no search
        # Open tickets by the time they become overdue: time passing moves them into the
        # overdue view without a look at the others.
        self._deadlines: list[tuple[float, int]] = []
        self._overdue_now = -math.inf  # the time the overdue view is up to

    # -- the tickets model ------------------------------------------------------------------

    def setSourceModel(self, model: TicketTableModel) -> None:
        self._source = model
        model.modelReset.connect(self._rebuild)
        model.applied.connect(self._apply)
        model.dataChanged.connect(self._repaint)
        self._rebuild()

    def sourceModel(self) -> TicketTableModel | None:
        return self._source

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._overdue_now = self._now().timestamp()
        rows = self._source.entries() if self._source is not None else []
        self._rows = {entry.line.id: entry for entry in rows}
        self._bits = {entry.line.id: self._views_of(entry) for entry in rows}
        self._deadlines = sorted(
            (entry.overdue_at, entry.line.id) for entry in rows if entry.overdue_at < math.inf
        )
        self._sort_lists()
        self._shown = self._filtered()
        self.endResetModel()

    def _sort_lists(self) -> None:
        source = self._source
        if source is None:
            return
        self._keys = {i: source.sort_key(entry, self._column) for i, entry in self._rows.items()}
        self._make_lists()

    def _make_lists(self) -> None:
        everything = sorted(self._keys.values())
        bits = self._bits
        for view, bit in _BIT.items():
            self._lists[view] = [key for key in everything if bits[key[1]] & bit]

    def _views_of(self, entry: TicketRow) -> int:
        if not entry.open:
            return _BIT[View.ALL]
        line = entry.line
        bits = _BIT[View.ALL] | _BIT[View.TEAM]  # the team queue: every open ticket
        if line.handler_id is not None and line.handler_id == self._user_id():
            bits |= _BIT[View.MINE]
        if line.complaint:
            bits |= _BIT[View.COMPLAINTS]
        if entry.overdue_at <= self._overdue_now:
            bits |= _BIT[View.OVERDUE]
        return bits

    def _filtered(self) -> list[Key]:
        listed = self._lists[self._view]
        if not self._needle:
            return listed  # the same list: it follows changes, and is the one shown
        needle, rows = self._needle, self._rows
        return [key for key in listed if needle in rows[key[1]].haystack]

    def _shows(self, entry: TicketRow, bits: int) -> bool:
        return bool(bits & _BIT[self._view]) and (
            not self._needle or self._needle in entry.haystack
        )

    def _apply(self, applied: Applied) -> None:
        changes: list[tuple[int, TicketRow | None]] = [
            *((entry.line.id, None) for entry in applied.removed),
            *((after.line.id, after) for _, after in applied.updated),
            *((entry.line.id, entry) for entry in applied.inserted),
        ]
        if len(changes) > MANY_CHANGED:
            self._relayout(lambda: self._place_many(changes))
        else:
            for ticket_id, entry in changes:
                self._place(ticket_id, entry)

    def _place_many(self, changes: list[tuple[int, TicketRow | None]]) -> None:
        """Many tickets changed at once: their keys anew, then every list sorted again once
        (one sort of 50,000 keys is cheaper than thousands of insertions into each list)."""
        source = self._source
        assert source is not None
        for ticket_id, entry in changes:
            if entry is None:
                self._rows.pop(ticket_id, None)
                self._keys.pop(ticket_id, None)
                self._bits.pop(ticket_id, None)
            else:
                self._rows[ticket_id] = entry
                self._keys[ticket_id] = source.sort_key(entry, self._column)
                self._bits[ticket_id] = self._views_of(entry)
        self._deadlines = sorted(
            (entry.overdue_at, i) for i, entry in self._rows.items() if entry.overdue_at < math.inf
        )
        self._make_lists()

    def _place(self, ticket_id: int, entry: TicketRow | None) -> None:
        """Move one ticket to where it now belongs in every view's list (``entry`` None: it
        is gone), the row shown with its signals."""
        source = self._source
        assert source is not None
        old_entry = self._rows.get(ticket_id)
        old_key = self._keys.get(ticket_id)
        old_bits = self._bits.get(ticket_id, 0)
        was_shown = old_entry is not None and self._shows(old_entry, old_bits)
        if old_entry is not None and old_entry.overdue_at < math.inf:
            _discard(self._deadlines, (old_entry.overdue_at, ticket_id))
        new_key: Key | None = None
        new_bits = 0
        if entry is not None:
            new_key = source.sort_key(entry, self._column)
            new_bits = self._views_of(entry)
            self._rows[ticket_id], self._keys[ticket_id] = entry, new_key
            self._bits[ticket_id] = new_bits
            if entry.overdue_at < math.inf:
                insort(self._deadlines, (entry.overdue_at, ticket_id))
        for view, bit in _BIT.items():
            listed = self._lists[view]
            if listed is self._shown:
                continue  # below, with the signals
            if old_key is not None and old_bits & bit:
                _discard(listed, old_key)
            if new_key is not None and new_bits & bit:
                insort(listed, new_key)
        shown = entry is not None and self._shows(entry, new_bits)
        self._move_shown(old_key if was_shown else None, new_key if shown else None)
        if entry is None and old_entry is not None:
            # Forgotten once its row is gone: the row signals may still ask for its data.
            del self._rows[ticket_id], self._keys[ticket_id], self._bits[ticket_id]

    def _move_shown(self, old: Key | None, new: Key | None) -> None:
        """One row of the shown list goes, comes, moves or changes, with its signals."""
        shown = self._shown
        size = len(shown)
        if old is not None and new is not None:
            at = bisect_left(shown, old)
            to = bisect_left(shown, new)
            if to > at:
                to -= 1  # its place once it left its old one
            if to == at:
                shown[at] = new
                self._row_changed(self._row(at, size))
                return
            first, last = self._row(at, size), self._row(to, size)
            self.beginMoveRows(QModelIndex(), first, first, QModelIndex(), last + (last > first))
            del shown[at]
            shown.insert(to, new)
            self.endMoveRows()
            self._row_changed(last)
        elif old is not None:
            at = bisect_left(shown, old)
            row = self._row(at, size)
            self.beginRemoveRows(QModelIndex(), row, row)
            del shown[at]
            self.endRemoveRows()
        elif new is not None:
            to = bisect_left(shown, new)
            row = self._row(to, size + 1)
            self.beginInsertRows(QModelIndex(), row, row)
            shown.insert(to, new)
            self.endInsertRows()

    def _row(self, at: int, size: int) -> int:
        """The table's row of a place in an (ascending) list of ``size``."""
        return size - 1 - at if self._descending else at

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _relayout(self, change: Callable[[], object]) -> None:
        """Many rows change at once (a handler renamed, a page of pulled tickets): one layout
        change, the selection and the current row following their tickets."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._id_at(index.row()) for index in before]
        change()
        self._shown = self._filtered()
        after = []
        for index, ticket_id in zip(before, ids, strict=True):
            row = self.row_of(ticket_id) if ticket_id is not None else -1
            after.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _repaint(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any) -> None:
        # The countdowns ticking (whole columns of the tickets model): the same columns here.
        # A row's own change comes through ``applied``.
        if top_left.row() == 0 and self._shown and roles:
            self.dataChanged.emit(
                self.index(0, top_left.column()),
                self.index(len(self._shown) - 1, bottom_right.column()),
                roles,
            )

    # -- what the table asks ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        source = self._source
        return source.headerData(section, orientation, role) if source is not None else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        source = self._source
        row = index.row()
        if source is None or not index.isValid() or not 0 <= row < len(self._shown):
            return None
        at = len(self._shown) - 1 - row if self._descending else row
        return source.cell(self._rows[self._shown[at][1]], index.column(), role)

    def _id_at(self, row: int) -> int | None:
        if not 0 <= row < len(self._shown):
            return None
        return self._shown[self._row(row, len(self._shown))][1]

    def row_of(self, ticket_id: int) -> int:
        """The table's row of a ticket (-1: not shown)."""
        key = self._keys.get(ticket_id)
        if key is None:
            return -1
        at = bisect_left(self._shown, key)
        if at == len(self._shown) or self._shown[at] != key:
            return -1
        return self._row(at, len(self._shown))

    def mapFromSource(self, index: Index) -> QModelIndex:
        source = self._source
        if source is None or not index.isValid():
            return QModelIndex()
        row = self.row_of(source.line(index.row()).id)
        return self.index(row, index.column()) if row >= 0 else QModelIndex()

    def mapToSource(self, index: Index) -> QModelIndex:
        source = self._source
        ticket_id = self._id_at(index.row()) if index.isValid() else None
        if source is None or ticket_id is None:
            return QModelIndex()
        return source.index(source.row_of(ticket_id), index.column())

    # -- the view, the search, the order ----------------------------------------------------

    def set_view(self, view: View) -> None:
        self.catch_up()
        if view is self._view:
            return
        self.beginResetModel()  # another list, made already: what a plain model does
        self._view = view
        self._shown = self._filtered()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._shown = self._filtered()
        self.endResetModel()

    def catch_up(self) -> None:
        """Time passed: the tickets whose clocks ran out since are overdue now."""
        now = self._now().timestamp()
        if now <= self._overdue_now:
            return
        first = bisect_right(self._deadlines, (self._overdue_now, math.inf))
        last = bisect_right(self._deadlines, (now, math.inf))
        self._overdue_now = now
        late = [ticket_id for _, ticket_id in self._deadlines[first:last]]
        if len(late) > MANY_CHANGED:
            self._relayout(lambda: self._place_many([(i, self._rows[i]) for i in late]))
        else:
            for ticket_id in late:
                self._place(ticket_id, self._rows[ticket_id])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted once per click: keys worked out once per row, Python's sort (in C) over
        them; changes then keep each list in order by bisection."""
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._column, self._descending):
            return

        def resort() -> None:
            self._column, self._descending = column, descending
            self._sort_lists()

        self._relayout(resort)


def _discard(listed: list[Any], key: Any) -> None:
    at = bisect_left(listed, key)
    if at < len(listed) and listed[at] == key:
        del listed[at]
