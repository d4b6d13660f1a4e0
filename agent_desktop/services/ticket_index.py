"""What the ticket list shows, kept on the work thread so a change re-reads only its rows.

The cache announces each commit as ``[(entity, id), …]``. A ticket in it is one row of the
list; a customer, a product (asset) or a user is shown in the rows of the tickets that name it
(customer name, serial and model, handler). ``TicketIndex`` remembers the rows last handed to
the list and, per customer, asset and handler, the tickets that reference them, so a change
costs a look-up here and a read of those rows by primary key (``WorkViews.tickets_by_id``)
instead of re-reading 50,000 tickets. The answer is a ``TicketDiff``: what the list model
inserts, updates and removes (rows whose fields did not change are left out).

No Qt here: one instance per ``WorkService``, used on its work thread only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sync.work_views import TicketLine

# Which field of a ticket row names a record of each entity shown in the row.
REFERENCED = ("customer", "asset", "user")
TICKET_ENTITIES = frozenset({"ticket", *REFERENCED})


@dataclass(frozen=True, slots=True)
class TicketDiff:
    """A change to the ticket list: new rows, changed rows (by id), ids gone."""

    inserted: tuple[TicketLine, ...] = ()
    updated: tuple[TicketLine, ...] = ()
    removed: tuple[int, ...] = ()
    # The rows made ready on the work thread by the list's ``TicketShaper`` (opaque here).
    prepared: object = field(default=None, compare=False)

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated or self.removed)

    def __len__(self) -> int:
        return len(self.inserted) + len(self.updated) + len(self.removed)


class TicketLines(list[TicketLine]):
    """The whole list as read, with what the list's ``TicketShaper`` made of it."""

    prepared: object = None


class TicketShaper(Protocol):
    """What the ticket list makes of its rows, run on the work thread after each read (so the
    UI thread only swaps in what it made). Plain Python data only: no Qt object is touched."""

    def whole(self, lines: list[TicketLine]) -> object: ...

    def change(self, diff: TicketDiff) -> object: ...


def _references(line: TicketLine) -> tuple[tuple[str, int | None], ...]:
    return (("customer", line.customer_id), ("asset", line.asset_id), ("user", line.handler_id))


class TicketIndex:
    def __init__(self) -> None:
        self._lines: dict[int, TicketLine] = {}
        self._by: dict[str, dict[int, set[int]]] = {entity: {} for entity in REFERENCED}
        self.loaded = False  # a whole list was read: changes may now be applied to it

    def __len__(self) -> int:
        return len(self._lines)

    def reset(self, lines: Iterable[TicketLine]) -> None:
        """The whole list was (re)read: it is what the list shows now."""
        self._lines = {}
        self._by = {entity: {} for entity in REFERENCED}
        for line in lines:
            self._add(line)
        self.loaded = True

    def clear(self) -> None:
        self.reset(())
        self.loaded = False

    def affected(self, touched: Iterable[tuple[str, int]]) -> set[int]:
        """The tickets whose rows may show these records."""
        found: set[int] = set()
        for entity, record_id in touched:
            if entity == "ticket":
                found.add(record_id)
            elif entity in self._by:
                found |= self._by[entity].get(record_id, set())
        return found

    def diff(self, asked: Iterable[int], fresh: Iterable[TicketLine]) -> TicketDiff:
        """``fresh``: the rows read now for the ``asked`` ids (an asked id without a row is a
        ticket gone). Remembers them and returns what changed."""
        inserted: list[TicketLine] = []
        updated: list[TicketLine] = []
        seen: set[int] = set()
        for line in fresh:
            seen.add(line.id)
            old = self._lines.get(line.id)
            if old == line:
                continue  # a customer's phone changed: not shown in the list
            if old is not None:
                self._drop(old)
            self._add(line)
            (updated if old is not None else inserted).append(line)
        removed = []
        for ticket_id in set(asked) - seen:
            old = self._lines.get(ticket_id)
            if old is not None:
                self._drop(old)
                removed.append(ticket_id)
        return TicketDiff(tuple(inserted), tuple(updated), tuple(sorted(removed)))

    def _add(self, line: TicketLine) -> None:
        self._lines[line.id] = line
        for entity, record_id in _references(line):
            if record_id is not None:
                self._by[entity].setdefault(record_id, set()).add(line.id)

    def _drop(self, line: TicketLine) -> None:
        del self._lines[line.id]
        for entity, record_id in _references(line):
            if record_id is None:
                continue
            ids = self._by[entity].get(record_id)
            if ids is not None:
                ids.discard(line.id)
                if not ids:
                    del self._by[entity][record_id]
