"""What the ticket table shows: one view's tickets (my tickets, team queue, overdue,
complaints, all) matching the search, sorted by a column, over ``TicketTableModel``.

Each view's tickets are kept as a sorted list of keys that follows every change of the tickets
model by bisection (see ``TicketFilter``), so a view switch hands the table a list already made.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from agent_desktop.ui.models.ticket_prep import (
    VIEW_BITS,
    TicketPreparer,
    deadlines_of,
    sorted_lists,
    views_of,
)
from agent_desktop.ui.models.tickets_model import (
    COLUMNS,
    MANY_CHANGED,
    Applied,
    Key,
    ListState,
    TicketRow,
    TicketTableModel,
    View,
)

Index = QModelIndex | QPersistentModelIndex


_BIT = VIEW_BITS


class TicketFilter(QAbstractTableModel):
    """What the table shows: the tickets of one view (my tickets, team queue, overdue,
    complaints, all) matching the search, sorted by a column.

    Not a ``QSortFilterProxyModel``: it would ask Python whether each of 50,000 rows passes
    (``filterAcceptsRow``) at every view switch (~190 ms), and for the sort keys of two rows
    at every comparison (seconds). Instead each view's rows are kept sorted, as lists of sort
    keys, and follow every change of the tickets model by bisection: a view switch hands the
    table a list already made (as cheap as a plain table model's), a changed ticket moves,
    appears or disappears in its rows with the row signals (selection and current row kept).
    A search filters the view's list once (the haystack per ticket is made once). The keys and
    lists of a whole list, or of a change of many rows, are made on the work thread
    (``ticket_prep.TicketPreparer``) and taken as they are when made for this sort column."""

    def __init__(
        self,
        user_id: Callable[[], int | None],
        now: Callable[[], datetime],
        parent: QObject | None = None,
        preparer: TicketPreparer | None = None,
    ) -> None:
        super().__init__(parent)
        # Makes the rows, keys and lists on the work thread; told the sort column.
        self._preparer = preparer
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
        fill = self._source.fill if self._source is not None else None
        if fill is not None and self._fits(fill.state, len(fill.rows)):
            self._adopt(fill.state)  # made on the work thread: a swap
        else:
            self._overdue_now = self._now().timestamp()
            rows = self._source.entries() if self._source is not None else []
            self._rows = {entry.line.id: entry for entry in rows}
            self._bits = {entry.line.id: self._views_of(entry) for entry in rows}
            self._deadlines = deadlines_of(rows)
            self._sort_lists()
        self._shown = self._filtered()
        self.endResetModel()
        if fill is not None:
            self.catch_up()  # what ran out between the worker's clock and now

    def _fits(self, state: ListState, size: int) -> bool:
        """Whether lists made on the work thread are this model's: the same sort column, the
        same agent, every ticket of the tickets model."""
        return (
            state.column == self._column
            and state.user_id == self._user_id()
            and len(state.rows) == size
        )

    def _adopt(self, state: ListState) -> None:
        self._rows, self._keys, self._bits = state.rows, state.keys, state.bits
        self._lists = dict(state.lists)
        self._deadlines = state.deadlines
        self._overdue_now = state.overdue_now

    def _sort_lists(self) -> None:
        source = self._source
        if source is None:
            return
        self._keys = {i: source.sort_key(entry, self._column) for i, entry in self._rows.items()}
        self._make_lists()

    def _make_lists(self) -> None:
        self._lists = sorted_lists(self._keys.values(), self._bits)

    def _views_of(self, entry: TicketRow) -> int:
        return views_of(entry, self._user_id(), self._overdue_now)

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
        prepared = applied.prepared
        if applied.wholesale or len(changes) > MANY_CHANGED:
            state = prepared.state if prepared is not None else None
            source = self._source
            assert source is not None
            if state is not None and self._fits(state, source.rowCount()):
                # Every view's list made on the work thread: one swap, one layout change.
                self._relayout(lambda: self._adopt(state))
                self.catch_up()
            elif applied.wholesale:  # sorted by another column meanwhile: every key anew
                every: list[tuple[int, TicketRow | None]] = [
                    (entry.line.id, entry) for entry in source.entries()
                ]
                self._relayout(lambda: self._place_many(every))
            else:
                self._relayout(lambda: self._place_many(changes))
            return
        keys = prepared.keys if prepared is not None and prepared.column == self._column else {}
        for ticket_id, entry in changes:
            self._place(ticket_id, entry, keys.get(ticket_id))

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
        self._deadlines = deadlines_of(self._rows.values())
        self._make_lists()

    def _place(self, ticket_id: int, entry: TicketRow | None, key: Key | None = None) -> None:
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
            new_key = key if key is not None else source.sort_key(entry, self._column)
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
            if self._preparer is not None:
                self._preparer.column = column  # its next rows are keyed for this column
            self._sort_lists()

        self._relayout(resort)


def _discard(listed: list[Any], key: Any) -> None:
    at = bisect_left(listed, key)
    if at < len(listed) and listed[at] == key:
        del listed[at]
