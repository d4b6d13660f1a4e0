""" "Not found": the question the knowledge base could not answer, sent to the experts with the
product line and the ticket it came up on. Queued like any write, so it works offline."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.kb import KbService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole

MAX_QUESTION = 2000  # the server's limit (sync.contract.wire.QuestionIn)


class QuestionDialog(QDialog):
    def __init__(
        self,
        kb: KbService,
        text: str = "",
        product_line: str = "",
        product_lines: Sequence[str] = (),
        ticket: tuple[int, str] | None = None,  # id, number
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("questionDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Ask the experts"))
        self._kb = kb
        self.ticket_id = ticket[0] if ticket else None
        intro = self._texts.label(
            lambda: self.tr(
                "Nothing in the knowledge base answers this? Send the question to the experts. "
                "You will be told when it is answered; the answer becomes an article."
            )
        )
        intro.setWordWrap(True)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setObjectName("questionText")
        self._texts.bind(
            self.text_edit.setPlaceholderText, lambda: self.tr("What the customer asked")
        )
        self.product_combo = QComboBox()
        self.product_combo.setObjectName("questionProduct")
        self.product_combo.setEditable(True)
        self.product_combo.addItem("")
        for line in product_lines:
            self.product_combo.addItem(line)
        self.product_combo.setCurrentText(product_line)
        self.ticket_label = self._texts.label(
            lambda: ticket[1] if ticket else self.tr("— no ticket open —")
        )
        self.ticket_label.setObjectName("questionTicket")
        self.error_label = QLabel()
        self.error_label.setObjectName("questionError")
        set_tone(self.error_label, ColourRole.ERROR)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form = QFormLayout()
        self._texts.row(form, lambda: self.tr("&Question:"), self.text_edit)
        self._texts.row(form, lambda: self.tr("&Product line:"), self.product_combo)
        self._texts.row(form, lambda: self.tr("Ticket:"), self.ticket_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # A button of our own, not the box's Ok renamed: the box names its standard buttons
        # again at a language change, after this dialog's own texts.
        self.send_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self._texts.bind(self.send_button.setText, lambda: self.tr("Send to experts"))
        self.send_button.setObjectName("sendQuestion")
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        kb.question_sent.connect(self._sent)
        kb.question_refused.connect(self._refused)
        self._sending = False
        self.resize(520, 320)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def send(self) -> None:
        text = self.text_edit.toPlainText().strip()
        if not text:
            self._refused(self.tr("Write the question first."))
            return
        if len(text) > MAX_QUESTION:
            self._refused(
                self.tr("The question is too long (at most %1 characters).").replace(
                    "%1", str(MAX_QUESTION)
                )
            )
            return
        self._sending = True
        self.send_button.setEnabled(False)
        self._kb.ask(text, self.product_combo.currentText().strip(), self.ticket_id)

    def _sent(self) -> None:
        if self._sending:
            self._sending = False
            self.accept()

    def _refused(self, why: str) -> None:
        self._sending = False
        self.send_button.setEnabled(True)
        self.error_label.setText(why)
        self.error_label.show()
