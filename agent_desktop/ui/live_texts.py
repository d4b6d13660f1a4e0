"""Texts that follow the language switched at run time (``i18n.LanguageSwitcher``).

A window binds each text once, as a setter and a function that translates it
(``texts.bind(action.setText, lambda: self.tr("&Quit"))``); on ``QEvent.LanguageChange`` it
calls ``retranslate()`` and every bound text is translated again. This is Qt's
``retranslateUi`` without a second copy of every string in a separate method, where the two
copies would drift apart.

The one shape, in every window, panel and dialog that shows text::

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # self._texts.retranslate(), then the texts made from data
        super().changeEvent(event)

Texts made from data (a state with its reason, a duration, a desk code, a model's cells) are
drawn again in that same ``retranslate`` from what the widget already holds: at once, not at
the next tick or refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QLabel,
    QTabWidget,
    QTreeWidget,
    QWidget,
)


class LiveTexts:
    def __init__(self) -> None:
        self._bound: list[tuple[Callable[[str], object], Callable[[], str]]] = []

    def bind(self, setter: Callable[[str], object], text: Callable[[], str]) -> None:
        """Set the text now and again at every ``retranslate``. Bind only what lives as long
        as the window that owns this (its own actions, menus, labels)."""
        setter(text())
        self._bound.append((setter, text))

    def label(self, text: Callable[[], str]) -> QLabel:
        """A label whose text follows the language (a form's row names)."""
        label = QLabel()
        self.bind(label.setText, text)
        return label

    def row(self, form: QFormLayout, text: Callable[[], str], field: QWidget) -> QLabel:
        """A form's row whose name follows the language (its mnemonic goes to ``field``)."""
        label = self.label(text)
        label.setBuddy(field)
        form.addRow(label, field)
        return label

    def items(self, combo: QComboBox, texts: Sequence[Callable[[], str]], first: int = 0) -> None:
        """The fixed items of ``combo`` from ``first`` on (added already, each with its data)."""
        for offset, text in enumerate(texts):
            self.bind(partial(combo.setItemText, first + offset), text)

    def tab(self, tabs: QTabWidget, page: QWidget, text: Callable[[], str]) -> None:
        """``page`` as a tab of ``tabs`` whose name follows the language."""
        index = tabs.addTab(page, "")
        self.bind(partial(tabs.setTabText, index), text)

    def retranslate(self) -> None:
        for setter, text in self._bound:
            setter(text())


def refresh_models(root: QWidget) -> None:
    """Tell every item view under ``root`` that its headers and cells read differently now.

    Models are not widgets and get no ``LanguageChange``; ours translate in ``headerData`` and
    ``data`` when asked, so saying everything changed is enough for the views to ask again.
    """
    for view in root.findChildren(QAbstractItemView):
        model: QAbstractItemModel | None = view.model()  # (None: a view not yet given one)
        if model is None:
            continue
        top = QModelIndex()
        # (A list model's columnCount is private in Qt: it has one column.)
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
        rows = model.rowCount(top)
        if columns:
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        if columns and rows:
            model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))


def header_title(tree: QTreeWidget, column: int) -> Callable[[str], None]:
    """A setter for one column title of ``tree``. The header item is asked for each time,
    never kept: it is Qt's own object (no Python subclass behind it), deleted with the tree
    without Python hearing of it, so a kept wrapper outlives it and, once its address is
    reused, answers for whatever lives there now (seen in CI: a menu's new QAction read back
    as that QTreeWidgetItem)."""

    def set_title(text: str) -> None:
        item = tree.headerItem()
        if item is not None:
            item.setText(column, text)

    return set_title
