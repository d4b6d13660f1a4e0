"""Hand a ticket to a second-line expert or the on-duty engineer, with the note they need.

The note is required (the expert must not have to call the customer to ask what was already
said) and is recorded in the ticket's history. On a live call the agent may also transfer the
caller to the expert after a consultation (attended transfer: hold, dial, talk, complete).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.fields import error_label
from agent_desktop.ui.live_texts import LiveTexts
from sync.work_views import Person

NOTE_MAX = 4000


class HandoverDialog(QDialog):
    def __init__(
        self,
        experts: list[Person],
        ticket_number: str,
        call_active: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoverDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(
            self.setWindowTitle, lambda: self.tr("Hand over %1").replace("%1", ticket_number)
        )
        self.expert_combo = QComboBox()
        self.expert_combo.setObjectName("expert")
        for person in experts:
            self.expert_combo.addItem("", person.id)
        self._experts = {p.id: p for p in experts}
        self._texts.items(
            self.expert_combo, [partial(self._expert_text, person) for person in experts]
        )
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.note_edit.setObjectName("handoverNote")
        self._texts.bind(
            self.note_edit.setPlaceholderText,
            lambda: self.tr(
                "What was checked, what the customer said, what you need from the expert"
            ),
        )
        self.transfer_check = QCheckBox()
        self._texts.bind(
            self.transfer_check.setText,
            lambda: self.tr("Also transfer the caller after consulting"),
        )
        self.transfer_check.setObjectName("transferCall")
        self.transfer_check.setEnabled(call_active)
        if not call_active:
            self._texts.bind(
                self.transfer_check.setToolTip, lambda: self.tr("There is no call to transfer.")
            )
        self.expert_error = error_label("expertError")
        self.note_error = error_label("noteError")
        form = QFormLayout()
        self._texts.row(form, lambda: self.tr("&Expert:"), self.expert_combo)
        form.addRow("", self.expert_error)
        self._texts.row(form, lambda: self.tr("&Handover note:"), self.note_edit)
        form.addRow("", self.note_error)
        form.addRow("", self.transfer_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # A button of our own, not the box's Ok renamed: the box names its standard buttons
        # again at a language change, after this dialog's own texts.
        ok = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self._texts.bind(ok.setText, lambda: self.tr("Hand over"))
        ok.setObjectName("handoverOk")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not experts:
            none = self._texts.label(
                lambda: self.tr("No second-line expert or on-duty engineer is on file.")
            )
            none.setWordWrap(True)
            layout.addWidget(none)
            ok.setEnabled(False)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _expert_text(self, person: Person) -> str:
        duty = self.tr(" (on duty)") if "on_duty" in person.skills else ""
        ext = f" · {person.extension}" if person.extension else ""
        return f"{person.name}{duty}{ext}"

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def expert(self) -> Person | None:
        return self._experts.get(self.expert_combo.currentData())

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def transfer(self) -> bool:
        return self.transfer_check.isEnabled() and self.transfer_check.isChecked()

    def _accept(self) -> None:
        self.expert_error.hide()
        self.note_error.hide()
        ok = True
        if self.expert() is None:
            self.expert_error.setText(self.tr("Choose the expert."))
            self.expert_error.show()
            ok = False
        note = self.note()
        if not note:
            self.note_error.setText(self.tr("Write the handover note: the expert reads it first."))
            self.note_error.show()
            ok = False
        elif len(note) > NOTE_MAX:
            self.note_error.setText(
                self.tr("The note is too long (%1 characters; at most %2).")
                .replace("%1", str(len(note)))
                .replace("%2", str(NOTE_MAX))
            )
            self.note_error.show()
            ok = False
        if ok:
            self.accept()
        else:
            self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
