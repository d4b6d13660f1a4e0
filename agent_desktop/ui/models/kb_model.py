"""Knowledge-base lists: search hits (rich text with the matched words in bold) and the
experts' report tables. The models hold what the service answered; ``data()`` reads nothing."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from sync.kb.records import KbHit, Span

Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole  # the row's KbHit
HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # title, product and snippet as rich text
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the article id
LINKED_ROLE = Qt.ItemDataRole.UserRole + 3  # already linked to the ticket


def spans_html(spans: Sequence[Span]) -> str:
    return "".join(
        f"<b>{html.escape(s.text)}</b>" if s.highlighted else html.escape(s.text) for s in spans
    )


def language_label(code: str) -> str:
    labels = {
        "zh": QCoreApplication.translate("Kb", "Chinese"),
        "en": QCoreApplication.translate("Kb", "English"),
    }
    return labels.get(code, code)


class KbHitsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None, *, snippets: bool = True) -> None:
        super().__init__(parent)
        self._hits: list[KbHit] = []
        self._linked: set[int] = set()
        self._snippets = snippets

    def set_hits(self, hits: Sequence[KbHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def set_linked(self, linked: set[int]) -> None:
        self._linked = set(linked)
        if self._hits:
            self.dataChanged.emit(self.index(0), self.index(len(self._hits) - 1))

    def hit(self, row: int) -> KbHit:
        return self._hits[row]

    def hits(self) -> list[KbHit]:
        return list(self._hits)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet_text
        if role == HIT_ROLE:
            return hit
        if role == ID_ROLE:
            return hit.article_id
        if role == LINKED_ROLE:
            return hit.article_id in self._linked
        if role == HTML_ROLE:
            return self._html(hit)
        return None

    def _html(self, hit: KbHit) -> str:
        meta = " · ".join(p for p in (hit.product_line, language_label(hit.language)) if p)
        linked = ""
        if hit.article_id in self._linked:
            linked = " ✓ " + html.escape(QCoreApplication.translate("Kb", "linked"))
        text = f"<span style='font-size: large'>{spans_html(hit.title_spans)}</span>"
        # A class, not a colour: the delegate colours it for a plain or a selected row.
        text += f"<br><span class='meta'>{html.escape(meta)}{linked}</span>"
        if self._snippets and hit.snippet:
            text += f"<br>{spans_html(hit.snippet)}"
        return text


class RowsModel(QAbstractTableModel):
    """A read-only table of plain values (the experts' report)."""

    def __init__(self, headers: Callable[[], Sequence[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = headers  # asked each time: the language may change at run time
        self._rows: list[tuple[Any, ...]] = []
        self._keys: list[int] = []

    def set_rows(self, rows: Sequence[tuple[Any, ...]], keys: Sequence[int] = ()) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._keys = list(keys)
        self.endResetModel()

    def key(self, row: int) -> int | None:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers())
        ):
            return self._headers()[section]
        return None
