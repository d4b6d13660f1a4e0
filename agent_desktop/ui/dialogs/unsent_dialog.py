"""Changes the server refused (a 4xx): the server's message, the field it names, and a way to
fix and resend, or to discard the change. Nothing is dropped without the agent deciding."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.api_errors import refusal
from agent_desktop.services.sync_service import SyncService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.fields import entity_label, field_label, format_value
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from sync.cache import OutboxEntry


class UnsentDialog(QDialog):
    changed = Signal()  # a change was resent or discarded

    def __init__(self, sync: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self.setObjectName("unsentDialog")
        self._texts = LiveTexts()  # (retranslate)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Changes the server refused"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        intro = self._texts.label(
            lambda: self.tr(
                "The server did not accept these changes. Correct the field it names and "
                "resend, or discard the change. Your other changes are not held up."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QHBoxLayout()
        self.entries = QListWidget()
        self.entries.setObjectName("unsentList")
        self.entries.setWordWrap(True)
        self.entries.currentRowChanged.connect(self._show)
        body.addWidget(self.entries, 2)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        body.addWidget(self.form_host, 3)
        layout.addLayout(body)
        buttons = QDialogButtonBox()
        self.resend_button = buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self._texts.bind(self.resend_button.setText, lambda: self.tr("Resend"))
        self.discard_button = buttons.addButton("", QDialogButtonBox.ButtonRole.DestructiveRole)
        self._texts.bind(self.discard_button.setText, lambda: self.tr("Discard change"))
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.resend_button.clicked.connect(self.resend)
        self.discard_button.clicked.connect(self.discard)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._editors: dict[str, tuple[QWidget, Any]] = {}
        self._items: list[OutboxEntry] = []
        self._message: QLabel | None = None  # why the change shown was refused (or nothing)
        self.reload()

    def reload(self) -> None:
        self._items = self._sync.failed()
        self.entries.clear()
        for entry in self._items:
            item = QListWidgetItem(self._what(entry))
            item.setToolTip(self._why(entry))
            self.entries.addItem(item)
        has = bool(self._items)
        self.resend_button.setEnabled(has)
        self.discard_button.setEnabled(has)
        if has:
            self.entries.setCurrentRow(0)
        else:
            self._show(-1)

    def _what(self, entry: OutboxEntry) -> str:
        if entry.op == "create":
            return self.tr("New %1").replace("%1", entity_label(entry.entity))
        if entry.op == "delete":
            return self.tr("Deletion of %1").replace("%1", entity_label(entry.entity))
        what = self.tr("Change to %1 #%2").replace("%1", entity_label(entry.entity))
        return what.replace("%2", str(entry.record_id))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The dialog's words in the language now in use; the values being corrected stay."""
        self._texts.retranslate()
        for row, entry in enumerate(self._items):
            item = self.entries.item(row)
            if item is not None:
                item.setText(self._what(entry))
                item.setToolTip(self._why(entry))
        row = self.entries.currentRow()
        if self._message is not None:
            self._message.setText(
                self._why(self._items[row])
                if 0 <= row < len(self._items)
                else self.tr("Nothing is waiting for you here.")
            )
        for name, (editor, _value) in self._editors.items():
            label = self.form.labelForField(editor)
            if isinstance(label, QLabel):
                label.setText(field_label(name))

    def _show(self, row: int) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._editors = {}
        if not 0 <= row < len(self._items):
            self._message = QLabel(self.tr("Nothing is waiting for you here."))
            self.form.addRow(self._message)
            return
        entry = self._items[row]
        message = self._message = QLabel(self._why(entry))
        message.setToolTip(entry.error)  # the server's own words, for IT
        message.setWordWrap(True)
        set_tone(message, ColourRole.ERROR)
        self.form.addRow(message)
        for name, value in (entry.payload or {}).items():
            editor: QWidget
            if isinstance(value, bool):
                editor = QCheckBox()
                editor.setChecked(value)
            elif isinstance(value, str | int | float) or value is None:
                editor = QLineEdit("" if value is None else str(value))
            else:
                editor = QLabel(format_value(value))  # lists and records: not edited here
            editor.setObjectName(f"field_{name}")
            if entry.error_field and entry.error_field.split(".")[0] == name:
                set_tone(editor, "field_error")
                editor.setFocus()
            self._editors[name] = (editor, value)
            self.form.addRow(field_label(name), editor)

    @staticmethod
    def _why(entry: OutboxEntry) -> str:
        field = (entry.error_field or "").split(".")[0]
        return refusal(entry.error_code, field_label(field) if field else "", entry.error)

    def edit(self, name: str, text: str) -> None:
        editor, _original = self._editors[name]
        if isinstance(editor, QLineEdit):
            editor.setText(text)

    def payload(self) -> dict[str, Any] | None:
        row = self.entries.currentRow()
        if not 0 <= row < len(self._items):
            return None
        result: dict[str, Any] = {}
        for name, (editor, original) in self._editors.items():
            if isinstance(editor, QCheckBox):
                result[name] = editor.isChecked()
            elif isinstance(editor, QLineEdit):
                text = editor.text()
                if isinstance(original, int) and not isinstance(original, bool):
                    try:
                        result[name] = int(text)
                    except ValueError:
                        raise ValueError(
                            self.tr("%1 must be a whole number.").replace("%1", field_label(name))
                        ) from None
                elif isinstance(original, float):
                    result[name] = float(text)
                else:
                    result[name] = text
            else:
                result[name] = original
        return result

    def resend(self) -> None:
        row = self.entries.currentRow()
        if not 0 <= row < len(self._items):
            return
        try:
            payload = self.payload()
        except ValueError as exc:
            self._show_problem(exc)
            return
        future = self._sync.resend(self._items[row].seq, payload)
        # The cache's writer thread answers; the dialog hears back on the GUI thread.
        self._sync.tasks.when_done(
            future, lambda _n: self._after_write(None), self._after_write, owner=self
        )

    def discard(self) -> None:
        row = self.entries.currentRow()
        if not 0 <= row < len(self._items):
            return
        future = self._sync.discard(self._items[row].seq)
        self._sync.tasks.when_done(
            future, lambda _n: self._after_write(None), self._after_write, owner=self
        )

    def _after_write(self, error: BaseException | None) -> None:
        if error is not None:  # a value the cache refuses: say which, keep the dialog
            self._show_problem(error)
            return
        self._sync.sync_now()
        self.reload()
        self.changed.emit()

    def _show_problem(self, error: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), str(error), parent=self)
        box.open()
