"""The agent's email answer to a ticket: a template in the customer's language, the subject
and text to edit, Send. The server puts the ticket's number in the subject, threads the mail
to the customer's last one and sends it from the team's mailbox; this dialog only asks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.email_templates import TEMPLATE_KEYS, TEMPLATES

SUBJECT_MAX = 300
BODY_MAX = 20_000


class EmailReplyDialog(QDialog):
    def __init__(
        self,
        ticket_number: str,
        summary: str,
        customer_language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("emailReplyDialog")
        self.setWindowTitle(self.tr("Reply by email — %1").replace("%1", ticket_number))
        self._number, self._summary = ticket_number, summary
        self.template = QComboBox()
        self.template.setObjectName("emailTemplate")
        names = {
            "received": self.tr("We received your request"),
            "need_info": self.tr("We need more information"),
            "resolved": self.tr("Your request is resolved"),
            "free": self.tr("Blank (greeting and signature)"),
        }
        for key in TEMPLATE_KEYS:
            self.template.addItem(names[key], key)
        self.language = QComboBox()
        self.language.setObjectName("emailLanguage")
        self.language.addItem(self.tr("Chinese (中文)"), "zh")
        self.language.addItem(self.tr("English"), "en")
        self.language.setCurrentIndex(0 if customer_language.startswith("zh") else 1)
        self.subject = QLineEdit()
        self.subject.setObjectName("emailSubject")
        self.subject.setMaxLength(SUBJECT_MAX)
        self.body = QPlainTextEdit()
        self.body.setObjectName("emailBody")
        self.body.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setObjectName("emailError")
        self.error.setWordWrap(True)
        note = QLabel(
            self.tr(
                "The ticket number goes in the subject; the customer's answer comes back "
                "to this ticket."
            )
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Template:"), self.template)
        form.addRow(self.tr("Customer's language:"), self.language)
        form.addRow(self.tr("Subject:"), self.subject)
        form.addRow(self.tr("Text:"), self.body)
        for label, field in (
            (self.tr("Template"), self.template),
            (self.tr("Customer's language"), self.language),
            (self.tr("Subject"), self.subject),
            (self.tr("Text of the reply"), self.body),
        ):
            field.setAccessibleName(label)
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton(
            self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setObjectName("emailSend")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._send)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.template.currentIndexChanged.connect(self._fill)
        self.language.currentIndexChanged.connect(self._fill)
        self._fill()
        self.resize(640, 520)

    def _fill(self) -> None:
        template = TEMPLATES[str(self.language.currentData())][str(self.template.currentData())]
        subject, body = template.filled(self._number, self._summary)
        self.subject.setText(subject[:SUBJECT_MAX])
        self.body.setPlainText(body)

    def _send(self) -> None:
        if not self.subject.text().strip():
            self.error.setText(self.tr("The subject is empty."))
            return
        text = self.body.toPlainText()
        if not text.strip():
            self.error.setText(self.tr("The reply has no text."))
            return
        if len(text) > BODY_MAX:
            self.error.setText(
                self.tr("The reply is too long (%1 characters; at most %2).")
                .replace("%1", str(len(text)))
                .replace("%2", str(BODY_MAX))
            )
            return
        self.accept()

    def template_key(self) -> str:
        return str(self.template.currentData())
