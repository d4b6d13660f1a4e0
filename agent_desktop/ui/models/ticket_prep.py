"""The ticket list's rows, made on the work thread (``WorkService.ticket_shaper``).

Everything the UI thread would otherwise work out for 50,000 rows, or for the thousands a
handler's rename touches, is made here after the read and handed over with it: each
``TicketRow`` with its texts, its sort key in the table's column, the views it is in, and for a
whole list or a large change every view's list already sorted (``ListState``). The UI thread
then swaps lists in (``TicketTableModel.set_rows``, ``TicketFilter``) or places a few rows by
bisection.

Plain Python only: no Qt object is touched here (the texts use ``QCoreApplication.translate``,
which is thread-safe). ``TicketPreparer`` keeps a mirror of what it handed over (rows, keys,
view bits), on the work thread only; what it hands over are copies it never touches again.
Long loops go in chunks with ``time.sleep(0)`` between them: the GIL is let go so the UI
thread is never kept waiting by this work for long.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from agent_desktop.services.ticket_index import TicketDiff
from agent_desktop.ui.models.tickets_model import (
    MANY_CHANGED,
    Key,
    ListState,
    PreparedChange,
    PreparedFill,
    TicketRow,
    View,
    fill_texts,
    sort_key,
)
from sync.work_views import TicketLine

log = logging.getLogger(__name__)

CHUNK = 2_000  # rows made between two breaths (the GIL let go)
VIEW_BITS = {
    View.MINE: 1,
    View.TEAM: 2,
    View.OVERDUE: 4,
    View.COMPLAINTS: 8,
    View.ALL: 16,
    View.EMAIL: 32,
}


def views_of(entry: TicketRow, user_id: int | None, overdue_now: float) -> int:
    """The views a ticket is in, as bits of ``VIEW_BITS``."""
    if not entry.open:
        return VIEW_BITS[View.ALL]
    line = entry.line
    bits = VIEW_BITS[View.ALL] | VIEW_BITS[View.TEAM]  # the team queue: every open ticket
    if line.handler_id is not None and line.handler_id == user_id:
        bits |= VIEW_BITS[View.MINE]
    if line.complaint:
        bits |= VIEW_BITS[View.COMPLAINTS]
    if line.channel == "email" and line.handler_id is None:
        bits |= VIEW_BITS[View.EMAIL]
    if entry.overdue_at <= overdue_now:
        bits |= VIEW_BITS[View.OVERDUE]
    return bits


def sorted_lists(keys: Iterable[Key], bits: dict[int, int]) -> dict[View, list[Key]]:
    """Every view's keys, ascending: one sort of them all, then one pass per view."""
    everything = sorted(keys)
    return {
        view: [key for key in everything if bits[key[1]] & bit] for view, bit in VIEW_BITS.items()
    }


def deadlines_of(rows: Iterable[TicketRow]) -> list[tuple[float, int]]:
    return sorted((row.overdue_at, row.line.id) for row in rows if row.overdue_at < math.inf)


def _in_runs(items: list[Any]) -> list[Any]:
    """``items`` in sorted runs, sorted one run at a time (each a short hold of the GIL): the
    one sort left to do over them merges the runs it finds, a few comparisons per item."""
    runs: list[Any] = []
    for start in range(0, len(items), CHUNK * 4):
        runs += sorted(items[start : start + CHUNK * 4])
        _breathe()
    return runs


def _breathe() -> None:
    time.sleep(0)  # lets the GIL go: the UI thread runs now if it waits for it


class TicketPreparer:
    """Makes the ticket list's rows on the work thread (a ``TicketShaper``).

    ``column`` is the one thing the UI thread sets (the views' model, when the table is sorted
    by another column): the keys made here are for the column it held then, and say so, so a
    list sorted meanwhile is not given keys of another column."""

    def __init__(
        self, user_id: Callable[[], int | None], now: Callable[[], datetime], language: str
    ) -> None:
        self.column = -1  # set by TicketFilter.sort (GUI thread); read here
        self._user_id = user_id
        self._now = now
        self._language = language
        # What was handed over, as the list holds it now: work thread only.
        self._rows: dict[int, TicketRow] = {}
        self._keys: dict[int, Key] = {}
        self._keyed = -1  # the column of _keys
        self._whole = False  # a whole list was made (a change may be made against it)
        self._made: dict[tuple[int, object], str] = {}

    def set_language(self, language: str) -> None:
        """The texts of the next lists in ``language`` (set on the GUI thread before the panel
        asks for a whole list again; read by the work thread as it makes that list)."""
        self._language = language

    # -- TicketShaper ---------------------------------------------------------------------------

    def whole(self, lines: list[TicketLine]) -> PreparedFill:
        self._whole = False
        self._made = {}  # the shared texts, made anew per list (the language is the panel's)
        rows: list[TicketRow] = []
        for start in range(0, len(lines), CHUNK):
            rows += self._make(lines[start : start + CHUNK])
            _breathe()
        self._rows = {row.line.id: row for row in rows}
        self._rekey()
        state = self._state()
        self._whole = True
        return PreparedFill(rows, {row.line.id: n for n, row in enumerate(rows)}, state)

    def change(self, diff: TicketDiff) -> PreparedChange:
        if not self._whole:
            raise RuntimeError("a change before the whole list was made")
        self._whole = False  # until this change is made whole (an error leaves it so)
        if self._keyed != self.column:
            self._rekey()  # the table was sorted by another column since
        made = self._make((*diff.updated, *diff.inserted))
        column = self._keyed
        keys = {row.line.id: sort_key(row, column, self._language) for row in made}
        for ticket_id in diff.removed:
            self._rows.pop(ticket_id, None)
            self._keys.pop(ticket_id, None)
        for row in made:
            self._rows[row.line.id] = row
        self._keys |= keys
        state = self._state() if len(diff) > MANY_CHANGED else None
        self._whole = True
        return PreparedChange({row.line.id: row for row in made}, column, keys, state)

    # -- the work -------------------------------------------------------------------------------

    def _make(self, lines: Iterable[TicketLine]) -> list[TicketRow]:
        language, made = self._language, self._made
        rows = []
        for line in lines:
            row = TicketRow(line)
            fill_texts(row, language, made)
            rows.append(row)
        return rows

    def _rekey(self) -> None:
        column, language = self.column, self._language
        keys: dict[int, Key] = {}
        rows = list(self._rows.values())
        for start in range(0, len(rows), CHUNK):
            for row in rows[start : start + CHUNK]:
                keys[row.line.id] = sort_key(row, column, language)
            _breathe()
        self._keys, self._keyed = keys, column

    def _state(self) -> ListState:
        """Every view's list anew, as the views' model would make it (copies: the UI thread
        owns them from now on)."""
        user_id = self._user_id()
        overdue_now = self._now().timestamp()
        rows = list(self._rows.values())
        bits: dict[int, int] = {}
        for start in range(0, len(rows), CHUNK):
            for row in rows[start : start + CHUNK]:
                bits[row.line.id] = views_of(row, user_id, overdue_now)
            _breathe()
        lists = sorted_lists(_in_runs(list(self._keys.values())), bits)
        _breathe()
        deadlines = _in_runs([(r.overdue_at, r.line.id) for r in rows if r.overdue_at < math.inf])
        return ListState(
            column=self._keyed,
            user_id=user_id,
            overdue_now=overdue_now,
            rows=dict(self._rows),
            order=rows,
            keys=dict(self._keys),
            bits=bits,
            lists=lists,
            deadlines=sorted(deadlines),
        )
