"""Field-by-field settling of a record someone else changed meanwhile: yours, theirs, or edit.

Only the fields this desk changed are offered; the other party's changes to other fields are
kept as they are. Text fields can be edited into a merge of both.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.fields import field_label, format_value, record_title
from agent_desktop.ui.live_texts import LiveTexts
from sync.cache import Conflict


class ConflictDialog(QDialog):
    def __init__(self, conflict: Conflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setObjectName("conflictDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Settle a conflict"))
        self.resize(760, 360)
        layout = QVBoxLayout(self)

        def title() -> str:
            return record_title(conflict.entity, conflict.mine)

        self._rows: list[tuple[str, QRadioButton, QRadioButton, QLineEdit | None]] = []
        buttons = QDialogButtonBox()
        if conflict.theirs is None:
            layout.addWidget(
                self._texts.label(
                    lambda: self.tr(
                        "%1 was deleted on the server while you were changing it here. "
                        "Your changes cannot be sent."
                    ).replace("%1", title())
                )
            )
            self.accept_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
            self._texts.bind(self.accept_button.setText, lambda: self.tr("Accept the deletion"))
        else:
            intro = self._texts.label(
                lambda: self.tr(
                    "Someone else changed %1 while you were changing it here. For each field, "
                    "choose the value to keep (or edit the text). Their changes to other fields "
                    "are kept."
                ).replace("%1", title())
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
            layout.addWidget(self._table(conflict))
            self.accept_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
            self._texts.bind(self.accept_button.setText, lambda: self.tr("Keep these values"))
        later = buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self._texts.bind(later.setText, lambda: self.tr("Decide later"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _table(self, conflict: Conflict) -> QTableWidget:
        theirs = conflict.theirs or {}
        table = QTableWidget(len(conflict.fields), 4)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        table.setObjectName("conflictTable")
        for column, text in enumerate(
            (
                lambda: self.tr("Field"),
                lambda: self.tr("Yours"),
                lambda: self.tr("Theirs"),
                lambda: self.tr("Keep"),
            )
        ):
            header_item = QTableWidgetItem()
            table.setHorizontalHeaderItem(column, header_item)
            self._texts.bind(header_item.setText, text)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for row, name in enumerate(conflict.fields):
            mine_value, their_value = conflict.mine.get(name), theirs.get(name)
            table.setCellWidget(row, 0, self._texts.label(partial(field_label, name)))
            mine = QRadioButton(format_value(mine_value))
            mine.setToolTip(format_value(mine_value))
            their = QRadioButton(format_value(their_value))
            their.setToolTip(format_value(their_value))
            group = QButtonGroup(table)
            group.addButton(mine)
            group.addButton(their)
            mine.setChecked(True)
            table.setCellWidget(row, 1, mine)
            table.setCellWidget(row, 2, their)
            editor: QLineEdit | None = None
            if isinstance(mine_value, str) and isinstance(their_value, str | None):
                editor = QLineEdit(mine_value)
                editor.setObjectName(f"keep_{name}")
                mine.toggled.connect(lambda on, e=editor, v=mine_value: on and e.setText(v))
                their.toggled.connect(lambda on, e=editor, v=their_value or "": on and e.setText(v))
                table.setCellWidget(row, 3, editor)
            else:
                keep = QLabel(format_value(mine_value))
                mine.toggled.connect(
                    lambda on, k=keep, v=mine_value: on and k.setText(format_value(v))
                )
                their.toggled.connect(
                    lambda on, k=keep, v=their_value: on and k.setText(format_value(v))
                )
                table.setCellWidget(row, 3, keep)
            self._rows.append((name, mine, their, editor))
        return table

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def choose(self, name: str, side: str, text: str | None = None) -> None:
        """Pick 'mine' or 'theirs' for a field (and optionally edit its text): for tests and
        keyboard users alike, the same as clicking."""
        for field, mine, their, editor in self._rows:
            if field == name:
                (mine if side == "mine" else their).setChecked(True)
                if text is not None and editor is not None:
                    editor.setText(text)

    def chosen(self) -> dict[str, Any]:
        theirs = self.conflict.theirs or {}
        values: dict[str, Any] = {}
        for name, mine, _their, editor in self._rows:
            if editor is not None:
                values[name] = editor.text()
            else:
                values[name] = (
                    self.conflict.mine.get(name) if mine.isChecked() else theirs.get(name)
                )
        return values
