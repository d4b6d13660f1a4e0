"""The ticket lists: every ticket of the desk in memory, one flat model (``TicketTableModel``)
that changes row by row as ``TicketDiff``s arrive. The views (my tickets, team queue, overdue,
complaints) and the search are a second model over it (``ticket_filter.TicketFilter``) that
keeps each view's rows sorted, so 50,000 rows switch views, sort, filter, scroll and follow
synced changes without a database query or a model reset. SLA columns count down from a timer
that repaints them."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
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

from agent_desktop.desk_labels import category_path_label
from agent_desktop.services.ticket_index import TicketDiff
from agent_desktop.ui.appearance import colour
from agent_desktop.ui.durations import left_text
from agent_desktop.ui.palette import ColourRole
from sync.clock import system_clock
from sync.contract.records import TicketStatus
from sync.contract.rules import SLA_DUE_WITHIN, is_open, ticket_deadline
from sync.work_views import TicketLine

Index = QModelIndex | QPersistentModelIndex
SOON = SLA_DUE_WITHIN  # an SLA this close is shown in orange (the 360 flags it "SLA due")
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
    # Where the ticket came from: a call, the customer portal, an e-mail… (issue 22).
    CHANNEL = "channel"
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
    if stamp is None:
        return ""
    # "%m-%d %H:%M" spelt out: strftime is 3x slower (an import per call), for 50,000 rows.
    at = stamp.astimezone()
    return f"{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"


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
        due = ticket_deadline(line.status, line.sla_due_at, line.resolve_due_at)
        self.overdue_at = due.timestamp() if due is not None and self.open else math.inf
        self.texts: list[str | None] = [None] * len(COLUMNS)  # filled when first shown


def _response_due(line: TicketLine) -> datetime | None:
    # A complaint's response clock stops while the customer is the one to answer.
    return line.sla_due_at if line.status != "waiting_customer" else None


Key = tuple[Any, int]  # sort_key: (value, ticket id)


@dataclass(frozen=True, slots=True)
class ListState:
    """Every view's rows, sorted by one column, made on the work thread (``ticket_prep``) for
    the views' model to take in one step. Plain Python, handed over and never touched again by
    the thread that made it."""

    column: int  # the sort column the keys are for
    user_id: int | None  # whose tickets "my tickets" are
    overdue_now: float  # the time the overdue view is up to
    rows: dict[int, TicketRow]
    order: list[TicketRow]  # every row in the tickets model's order (its ``entries``)
    keys: dict[int, Key]
    bits: dict[int, int]  # the views each ticket is in (``ticket_filter``'s bits)
    lists: dict[View, list[Key]]  # each view's keys, ascending
    deadlines: list[tuple[float, int]]  # open tickets by the time they become overdue


@dataclass(frozen=True, slots=True)
class PreparedFill:
    """A whole list's rows, made on the work thread: the UI thread only swaps them in."""

    rows: list[TicketRow]  # in the order of the lines read
    row_of: dict[int, int]
    state: ListState


@dataclass(frozen=True, slots=True)
class PreparedChange:
    """A ``TicketDiff``'s rows made on the work thread, with their keys in ``column``; for a
    large diff also every view's list anew (``state``), taken in one layout change."""

    rows: dict[int, TicketRow]  # the diff's updated and inserted tickets
    column: int
    keys: dict[int, Key]
    state: ListState | None = None


@dataclass(frozen=True, slots=True)
class Applied:
    """What ``TicketTableModel.apply`` did, for the filter model over it."""

    inserted: list[TicketRow]
    updated: list[tuple[TicketRow, TicketRow]]  # (before, after)
    removed: list[TicketRow]
    prepared: PreparedChange | None = None
    # Many rows changed in place and were taken whole from ``prepared.state`` (the three
    # lists above are then left empty: the views' model takes the state, too).
    wholesale: bool = False


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
        self.fill: PreparedFill | None = None  # during a reset: the views' lists, made already
        self._now = now or system_clock().now
        self._language = language

    def set_rows(self, lines: list[TicketLine], prepared: PreparedFill | None = None) -> None:
        """A whole new list (the first read after sign-in, or none after sign-out). With its
        rows made on the work thread (``prepared``) this is a swap; the views' model takes
        their sorted lists from ``fill`` as it resets."""
        self.beginResetModel()
        if prepared is not None and len(prepared.rows) == len(lines):
            self._rows, self._row_of = prepared.rows, prepared.row_of
            self.fill = prepared
        else:
            self._rows = [TicketRow(line) for line in lines]
            self._row_of = {row.line.id: n for n, row in enumerate(self._rows)}
            self.fill = None
        self.endResetModel()
        self.fill = None  # taken (the worker's lists are the views' model's own now)

    def apply(self, diff: TicketDiff) -> None:
        """Apply a change: removed rows go, changed rows change in place (their selection and
        position in the views kept), new rows are added at the end. Rows made on the work
        thread (``diff.prepared``) are taken as they are."""
        prepared = diff.prepared if isinstance(diff.prepared, PreparedChange) else None
        if prepared is not None and self._take(diff, prepared):
            return
        made = prepared.rows if prepared is not None else {}
        removed = self._remove(diff.removed)
        updated: list[tuple[TicketRow, TicketRow]] = []
        fresh: list[TicketLine] = []
        rows, row_of = self._rows, self._row_of
        for line in (*diff.updated, *diff.inserted):
            at = row_of.get(line.id)
            if at is None:
                fresh.append(line)  # (an update of a row this list never had: a new row)
                continue
            after = made.get(line.id) or TicketRow(line)
            updated.append((rows[at], after))
            rows[at] = after
        self._changed(sorted(row_of[after.line.id] for _, after in updated))
        inserted = [made.get(line.id) or TicketRow(line) for line in fresh]
        if inserted:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(inserted) - 1)
            self._rows += inserted
            for n, row in enumerate(inserted, start=first):
                self._row_of[row.line.id] = n
            self.endInsertRows()
        if removed or updated or inserted:
            self.applied.emit(Applied(inserted, updated, removed, prepared))

    def _take(self, diff: TicketDiff, prepared: PreparedChange) -> bool:
        """Many rows changed in place (a handler renamed on thousands of tickets): every row
        as the work thread holds them now, in this model's order, is taken in one step and
        repainted with one signal. False when the change is not of that kind."""
        state = prepared.state
        if state is None or diff.removed or diff.inserted or len(state.order) != len(self._rows):
            return False
        row_of = self._row_of
        if not all(line.id in row_of for line in diff.updated):
            return False
        self._rows = state.order  # (the same tickets in the same places: row_of holds)
        self._changed([0, len(self._rows) - 1])
        self.applied.emit(Applied([], [], [], prepared, wholesale=True))
        return True

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

    def relabel(self, language: str) -> None:
        """The language changed: every row's texts are made again when next asked (``text``)
        and the views are told at once. (The sort keys made on the work thread follow with
        the next whole list, which the panel asks for.)"""
        self._language = language
        for entry in self._rows:
            entry.texts = [None] * len(COLUMNS)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

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
            Column.CHANNEL: QCoreApplication.translate("TicketTableModel", "Channel"),
            Column.HANDLER: QCoreApplication.translate("TicketTableModel", "Handler"),
            Column.OPENED: QCoreApplication.translate("TicketTableModel", "Opened"),
            Column.RESPONSE: QCoreApplication.translate("TicketTableModel", "Response due"),
            Column.RESOLVE: QCoreApplication.translate("TicketTableModel", "Resolve by"),
            Column.SYNC: QCoreApplication.translate("TicketTableModel", "Sync"),
        }[COLUMNS[section]]

    def _due(self, entry: TicketRow, column: Column) -> datetime | None:
        return row_due(entry, column)

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
                    return colour(ColourRole.SLA_BREACHED)
                if due is not None and due - self._now() < SOON:
                    return colour(ColourRole.SLA_DUE)
            if column is Column.SUMMARY and line.complaint:
                return colour(ColourRole.ERROR)
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
            column = COLUMNS[column_index]
            if column in (Column.RESPONSE, Column.RESOLVE):
                return left_text(self._due(entry, column), self._now())
            text = entry.texts[column_index] = row_text(entry, column, self._language)
        return text

    def sort_key(self, entry: TicketRow, column_index: int) -> tuple[Any, int]:
        return sort_key(entry, column_index, self._language)


def channel_label(channel: str) -> str:
    """A ticket's channel as the lists show it; a channel this desk does not know by its name."""
    labels = {
        "phone": QCoreApplication.translate("TicketTableModel", "Phone"),
        "email": QCoreApplication.translate("TicketTableModel", "Email"),
        "web": QCoreApplication.translate("TicketTableModel", "Web"),
        "sms": QCoreApplication.translate("TicketTableModel", "SMS"),
        "wechat": QCoreApplication.translate("TicketTableModel", "WeChat"),
        "portal": QCoreApplication.translate("TicketTableModel", "Portal"),
    }
    return labels.get(channel, channel)


def row_text(entry: TicketRow, column: Column, language: str) -> str:
    """A column's text (not the countdowns, which move on). Plain Python and Qt's translate
    (thread-safe): also made on the work thread (``ticket_prep``)."""
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
        return category_path_label(line.category, chinese=language.startswith("zh"))
    if column is Column.CHANNEL:
        return channel_label(line.channel)
    if column is Column.HANDLER:
        return line.handler
    if column is Column.OPENED:
        return _local(line.opened_at)
    return {
        "synced": "",
        "pending": QCoreApplication.translate("TicketTableModel", "waiting to sync"),
        "conflict": QCoreApplication.translate("TicketTableModel", "conflict"),
        "failed": QCoreApplication.translate("TicketTableModel", "refused"),
    }.get(line.state, line.state)


# The columns whose text follows from a few values shared by many rows: made once per value.
_SHARED_TEXT: dict[int, Callable[[TicketLine], object]] = {
    COLUMNS.index(Column.STATUS): lambda line: (line.status, line.escalation_level),
    COLUMNS.index(Column.CATEGORY): lambda line: line.category,
    COLUMNS.index(Column.CHANNEL): lambda line: line.channel,
    COLUMNS.index(Column.SYNC): lambda line: line.state,
}


def fill_texts(entry: TicketRow, language: str, made: dict[tuple[int, object], str]) -> None:
    """Every text of a row but the countdowns, made now (on the work thread) so the UI thread
    never makes them. ``made``: the shared texts (status, category, sync) made so far."""
    texts = entry.texts
    for n, column in enumerate(COLUMNS):
        if n in COUNTDOWN or texts[n] is not None:
            continue
        shared = _SHARED_TEXT.get(n)
        if shared is None:
            texts[n] = row_text(entry, column, language)
            continue
        key = (n, shared(entry.line))
        text = made.get(key)
        if text is None:
            text = made[key] = row_text(entry, column, language)
        texts[n] = text


def row_due(entry: TicketRow, column: Column) -> datetime | None:
    if not entry.open:
        return None  # a closed ticket's clocks are stopped
    if column is Column.RESPONSE:
        return _response_due(entry.line)
    return entry.line.resolve_due_at


def sort_key(entry: TicketRow, column_index: int, language: str) -> tuple[Any, int]:
    """What a row sorts by in a column; ties by ticket id, so every key is unique and a row's
    place in a sorted list is found by bisection."""
    column = COLUMNS[column_index] if 0 <= column_index < len(COLUMNS) else None
    if column in (Column.RESPONSE, Column.RESOLVE):
        assert column is not None
        due = row_due(entry, column)
        return (due.timestamp() if due else math.inf), entry.line.id
    if column is Column.OPENED:
        opened = entry.line.opened_at
        return (opened.timestamp() if opened else 0.0), entry.line.id
    if column is None:
        return 0, entry.line.id  # unsorted: by id
    text = entry.texts[column_index]
    if text is None:
        text = entry.texts[column_index] = row_text(entry, column, language)
    return text.casefold(), entry.line.id


class View(StrEnum):
    MINE = "mine"
    TEAM = "team"
    OVERDUE = "overdue"
    COMPLAINTS = "complaints"
    ALL = "all"
    EMAIL = "email"  # open email tickets nobody holds yet: mail waiting for an agent
