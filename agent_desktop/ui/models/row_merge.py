"""A re-read list laid over the rows a model shows, row by row, instead of a reset.

The dispatch and callback lists are short and still re-read whole when their records change;
merging the new list keeps what a reset would lose: the selection, the current row, the
scroll position and a proxy's sorted order (only changed rows are re-sorted). Rows gone are
removed, changed rows updated in place, new rows added at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex

L = TypeVar("L")


def merge_rows(
    model: QAbstractItemModel,
    rows: list[L],
    new: Sequence[L],
    key: Callable[[L], int],
) -> None:
    """Make ``rows`` (the list ``model`` shows) equal ``new`` by id, with row signals."""
    wanted = {key(line): line for line in new}
    gone = [n for n, line in enumerate(rows) if key(line) not in wanted]
    while gone:  # runs of neighbouring rows, the last run first
        last = first = gone.pop()
        while gone and gone[-1] == first - 1:
            first = gone.pop()
        model.beginRemoveRows(QModelIndex(), first, last)
        del rows[first : last + 1]
        model.endRemoveRows()
    last_column = model.columnCount() - 1
    for n, line in enumerate(rows):
        fresh = wanted[key(line)]
        if fresh != line:
            rows[n] = fresh
            model.dataChanged.emit(model.index(n, 0), model.index(n, last_column))
    have = {key(line) for line in rows}
    added = [line for line in new if key(line) not in have]
    if added:
        model.beginInsertRows(QModelIndex(), len(rows), len(rows) + len(added) - 1)
        rows += added
        model.endInsertRows()
