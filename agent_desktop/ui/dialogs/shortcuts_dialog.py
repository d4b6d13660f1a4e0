"""Keyboard shortcuts: the cheat sheet (Help menu, ``?``) and, editable, the place to change
them (View menu). A change that would give two actions one key is refused here, before it is
saved. The editor also holds the option of system-wide answer / hang-up keys (ui/global_keys.py):
disabled, with the reason as its tooltip, where the desktop does not allow it; ticked, it tries
the keys at once and says which another program holds."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.global_keys import GlobalKeysOption
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.shortcuts import (
    SHORTCUTS,
    ShortcutId,
    ShortcutMap,
    ShortcutNames,
    clashes,
    in_groups,
)


class ShortcutsDialog(QDialog):
    def __init__(
        self,
        shortcuts: ShortcutMap,
        names: ShortcutNames,
        editable: bool,
        parent: QWidget | None = None,
        global_keys: GlobalKeysOption | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self._global = global_keys
        self._map = shortcuts
        self._names = names
        self._editable = editable
        self.keys = shortcuts.all()  # what the dialog shows (and saves when editable)
        self._rows: list[ShortcutId | None] = []  # None: a group's heading row
        self._texts = LiveTexts()  # (retranslate)
        self._texts.bind(
            self.setWindowTitle,
            lambda: (
                self.tr("Change keyboard shortcuts") if editable else self.tr("Keyboard shortcuts")
            ),
        )
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("shortcutsTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        for column, title in enumerate((lambda: self.tr("Action"), lambda: self.tr("Keys"))):
            header_item = QTableWidgetItem()
            self.table.setHorizontalHeaderItem(column, header_item)
            self._texts.bind(header_item.setText, title)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._fill()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("shortcutsError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        if editable:
            layout.addLayout(self._build_editor())
            layout.addWidget(self.error_label)
            if global_keys is not None:
                self._build_global(layout, global_keys)
            buttons = QDialogButtonBox(
                QDialogButtonBox.StandardButton.Ok
                | QDialogButtonBox.StandardButton.Cancel
                | QDialogButtonBox.StandardButton.RestoreDefaults
            )
            restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
            restore.clicked.connect(self.restore_defaults)
            restore.setAutoDefault(False)
            buttons.accepted.connect(self.accept)
        else:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if editable:
            self.table.selectRow(self._rows.index(SHORTCUTS[0].id))
        else:
            self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self._fit()

    def _fit(self) -> None:
        """Every row in view without scrolling (a cheat sheet is read at a glance), as far as
        the screen allows; the width fits the longest name."""
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader().sizeHint().height()
        height = rows.length() + header + 2 * self.table.frameWidth() + 2
        screen = self.screen().availableGeometry().height() if self.screen() else 768
        self.table.setMinimumHeight(min(height, int(screen * 0.8)))
        width = sum(self.table.sizeHintForColumn(c) for c in range(2)) + 48
        self.table.setMinimumWidth(min(max(width, 420), 900))

    def _build_editor(self) -> QHBoxLayout:
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setObjectName("shortcutKeys")
        self.key_edit.setMaximumSequenceLength(1)  # one chord: sequences confuse a headset user
        self.set_button = QPushButton()
        self._texts.bind(self.set_button.setText, lambda: self.tr("&Set"))
        self.set_button.setObjectName("setShortcut")
        self.set_button.setAutoDefault(False)
        self.set_button.clicked.connect(self._set_selected)
        self.clear_button = QPushButton()
        self._texts.bind(self.clear_button.setText, lambda: self.tr("&No key"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(lambda: self.set_keys(self.selected(), QKeySequence()))
        row = QHBoxLayout()
        label = self._texts.label(lambda: self.tr("New &keys for the selected action:"))
        label.setBuddy(self.key_edit)
        row.addWidget(label)
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.set_button)
        row.addWidget(self.clear_button)
        return row

    def _build_global(self, layout: QVBoxLayout, option: GlobalKeysOption) -> None:
        self.global_check = QCheckBox()
        self._texts.bind(
            self.global_check.setText,
            lambda: self.tr("Answer and hang up from any application (system-wide keys)"),
        )
        self.global_check.setObjectName("globalKeys")
        self.global_check.setChecked(option.on() and not option.unavailable)
        self.global_check.setEnabled(not option.unavailable)
        self._texts.bind(
            self.global_check.setToolTip,
            lambda: (
                option.unavailable
                or self.tr("The answer and hang-up keys work while another program is in front.")
            ),
        )
        self.global_status = QLabel()
        self.global_status.setObjectName("globalKeysStatus")
        self.global_status.setWordWrap(True)
        self._texts.bind(self.global_status.setAccessibleName, lambda: self.tr("System-wide keys"))
        self.global_status.setVisible(False)
        self.global_check.toggled.connect(self._try_global)
        layout.addWidget(self.global_check)
        layout.addWidget(self.global_status)
        if self.global_check.isChecked() and option.keys is not None:
            self._show_global(option.describe(option.keys.last, self.keys))

    def _try_global(self, on: bool) -> None:
        """Ticked: the keys are tried at once, so the agent learns now what is held elsewhere."""
        option = self._global
        if option is None:
            return
        if on:
            self._show_global(option.describe(option.try_keys(self.keys), self.keys))
        else:
            option.release()
            self._show_global("")

    def _show_global(self, text: str) -> None:
        self.global_status.setText(text)
        self.global_status.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The names of the actions and groups, and the keys as this language writes them; the
        keys chosen so far and the selected action stay."""
        self._texts.retranslate()
        chosen = self.selected()
        self._fill()
        if chosen is not None:
            self.table.selectRow(self._rows.index(chosen))

    def _fill(self) -> None:
        self.table.setRowCount(0)
        self._rows.clear()
        for group, actions in in_groups(SHORTCUTS):
            heading = QTableWidgetItem(self._names.group(group))
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._add_row(heading, QTableWidgetItem(""), None)
            for shortcut in actions:
                self._add_row(
                    QTableWidgetItem(self._names.name(shortcut.id)),
                    QTableWidgetItem(self._names.keys_text(self.keys[shortcut.id])),
                    shortcut.id,
                )

    def _add_row(
        self, name: QTableWidgetItem, keys: QTableWidgetItem, row: ShortcutId | None
    ) -> None:
        at = self.table.rowCount()
        self.table.insertRow(at)
        if row is None:
            keys.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(at, 0, name)
        self.table.setItem(at, 1, keys)
        self._rows.append(row)

    def selected(self) -> ShortcutId | None:
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _set_selected(self) -> None:
        self.set_keys(self.selected(), self.key_edit.keySequence())

    def set_keys(self, action: ShortcutId | None, keys: QKeySequence) -> bool:
        """Give ``action`` these keys unless another action has them; False (and said) if so."""
        if action is None:
            return False
        trial = dict(self.keys)
        trial[action] = keys
        taken = [
            other for pair in clashes(trial) if action in pair for other in pair if other != action
        ]
        if taken:
            self.error_label.setText(
                self.tr("%1 is already the key for “%2”.")
                .replace("%1", self._names.keys_text(keys))
                .replace("%2", self._names.name(taken[0]))
            )
            self.error_label.show()
            return False
        self.error_label.hide()
        self.keys = trial
        cell = self.table.item(self._rows.index(action), 1)
        if cell is not None:
            cell.setText(self._names.keys_text(keys))
        return True

    def restore_defaults(self) -> None:
        self.keys = {
            s.id: QKeySequence.fromString(s.default, QKeySequence.SequenceFormat.PortableText)
            for s in SHORTCUTS
        }
        self._fill()
        self.error_label.hide()

    def accept(self) -> None:
        if self._editable:
            self._map.save(self.keys)
            if self._global is not None and self.global_check.isEnabled():
                self._global.set_on(self.global_check.isChecked())
        super().accept()
