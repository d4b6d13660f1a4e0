"""The change feed's newest rows, kept in memory by each server process and shared by every
desk's pull.

After an outage, 400 desks pull at once, each the rows of its team since its own cursor
(about 190 rows each, the cursors all different: each desk last pulled at its own time, and
the head moves with every write). Asked of the database, each pull scanned the feed above its
cursor and cast every visible record's JSON to text again: 400 times nearly the same work,
which saturated the machine's cores and held the writes back behind it (write p95 2.2–2.7 s).
Here each process reads a new row once, renders its page fragment once (``page_json``'s text)
and files it by team; a pull takes the slices of its teams above its cursor by bisection and
merges them.

Why it is safe to keep them: rows are never updated or deleted, and a row with ``seq`` at or
below the head a reader saw can no longer appear later (numbered at commit on PostgreSQL,
migration 0004: the number is taken under an advisory lock held until the commit is visible;
one writer at a time on SQLite). So the rows ``(base, top]`` read once are the whole feed in
that range, for good. A pull whose cursor is below ``base`` (a desk back after days, a process
just started) is answered by the database as before.

Who may see what stays ``visibility.Scope``'s rule (``admits``, which a test holds equal to
``clauses``): rows for one user only are filed with their team and filtered per caller, so a
page is exactly the database's page (``tests/integration/test_feed_tail.py`` compares them).
"""

from __future__ import annotations

import heapq
import json
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from server_stub.visibility import Scope


@dataclass(frozen=True, slots=True)
class TailRow:
    seq: int
    team_id: int | None
    user_id: int | None
    text: str  # the row as it is written on a page


@dataclass(frozen=True, slots=True)
class TailPage:
    rows: list[TailRow]  # at most limit + 1: the last one only says there is more
    remaining: int | None  # with ``count``: admitted rows above the page's cursor, up to high


def render(seq: int, entity: str, entity_id: int, op: str, version: int, data: str | None) -> str:
    """One change as it is written on a page (the record's JSON text as the database keeps it,
    see ``routes.feed.page_json``)."""
    return (
        f'{{"seq":{int(seq)},"entity":{json.dumps(entity)},"id":{int(entity_id)},'
        f'"op":{json.dumps(op)},"version":{int(version)},"data":{data or "null"}}}'
    )


@dataclass(slots=True)
class _Rows:
    """The rows ``(base, top]``: all of them in order, and filed by team (None: no team)."""

    base: int
    top: int
    every: list[TailRow] = field(default_factory=list)
    by_team: dict[int | None, list[TailRow]] = field(default_factory=dict)

    def add(self, row: TailRow) -> None:
        self.every.append(row)
        self.by_team.setdefault(row.team_id, []).append(row)


# (seq, entity, entity_id, team_id, user_id, op, version, data as text), in seq order
RawRow = Sequence[Any]
ReadRows = Callable[[int, int], Iterable[RawRow]]


class FeedTail:
    """The newest ``rows`` feed rows of this process (``rows`` = 0: off, every pull is the
    database's). Thread-safe: pulls run on the server's thread pool.

    Readers never lock: they take the current ``_Rows`` once and look only at rows up to the
    head they read, which no later append touches; trimming builds a new ``_Rows``. One
    thread at a time reads new rows from the database; the others wait for it (they need
    those rows too), which also makes one read serve a burst of pulls."""

    def __init__(self, rows: int) -> None:
        self.capacity = rows
        self._rows: _Rows | None = None
        self._reading = threading.Lock()
        self.served = 0  # pulls answered here (tests, the bench's curiosity)
        self.missed = 0  # pulls below ``base``: answered by the database

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def page(
        self,
        scope: Scope,
        after: int,
        high: int,
        limit: int,
        read: ReadRows,
        *,
        count: bool = False,
    ) -> TailPage | None:
        """The rows ``scope`` may see in ``(after, high]``, at most ``limit + 1``; None when
        ``after`` is below what is kept (the caller asks the database). ``read(top, high)``
        gives the feed's rows ``(top, high]`` in order, when this process has not read them."""
        if not self.enabled:
            return None
        rows = self._cover(after, high, read)
        if rows is None:
            self.missed += 1
            return None
        self.served += 1
        found: list[TailRow] = []
        admitted = self._admitted(rows, scope, after, high)
        for row in admitted:
            found.append(row)
            if len(found) > limit:
                break
        remaining = None
        if count:
            # The rows after the page's cursor: what is left of the same walk.
            remaining = sum(1 for _ in admitted) + (1 if len(found) > limit else 0)
        return TailPage(found, remaining)

    def _cover(self, after: int, high: int, read: ReadRows) -> _Rows | None:
        """The kept rows, read up to ``high`` if needed; None if ``after`` is below them."""
        rows = self._rows
        if rows is not None and rows.top >= high:
            return rows if after >= rows.base else None
        with self._reading:
            rows = self._rows
            if rows is None:
                # Start at this caller's cursor if it is near the head (the first pulls after
                # a start come from desks that were synced), else at the head: the rows below
                # stay the database's to serve.
                # (A cursor beyond the head, a desk of another database, must not set it.)
                base = after if 0 <= high - after <= self.capacity else high
                rows = self._rows = _Rows(base=base, top=base)
            if rows.top < high:
                for raw in read(rows.top, high):
                    seq, entity, entity_id, team_id, user_id, op, version, data = raw
                    rows.add(
                        TailRow(
                            int(seq),
                            team_id,
                            user_id,
                            render(seq, entity, entity_id, op, version, data),
                        )
                    )
                rows.top = high  # no row up to high can commit later: all of them are here
                # Trimmed now and then, not per row: a copy of the newest rows each time.
                if len(rows.every) > self.capacity + self.capacity // 4:
                    rows = self._rows = _trimmed(rows, self.capacity)
        return rows if after >= rows.base else None

    @staticmethod
    def _admitted(rows: _Rows, scope: Scope, after: int, high: int) -> Iterator[TailRow]:
        """The rows ``scope`` may see in ``(after, high]``, in seq order."""
        if scope.team_ids is None:
            lists = [rows.every]
        else:
            teams: list[int | None] = [None, *sorted(scope.team_ids)]
            lists = [rows.by_team[t] for t in teams if t in rows.by_team]
        slices = []
        for kept in lists:
            start = bisect_right(kept, after, key=_seq)
            end = bisect_right(kept, high, key=_seq)
            if start < end:
                slices.append(kept[start:end])
        merged: Iterable[TailRow] = (
            slices[0] if len(slices) == 1 else heapq.merge(*slices, key=_seq)
        )
        return (r for r in merged if scope.admits(r.team_id, r.user_id))


def _seq(row: TailRow) -> int:
    return row.seq


def _trimmed(rows: _Rows, keep: int) -> _Rows:
    """The newest ``keep`` rows, in a new ``_Rows`` (readers of the old one go on with it)."""
    newer = rows.every[-keep:]
    # Every row above the newest one dropped is kept: what was read is the whole feed there.
    base = rows.every[-keep - 1].seq
    trimmed = _Rows(base=base, top=rows.top)
    for row in newer:
        trimmed.add(row)
    return trimmed
