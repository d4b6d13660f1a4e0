"""New customer from an unknown caller: the number prefilled, the rest asked while talking.

Saved through the outbox (works offline); each problem is said next to its field and nothing
is saved until every field is right.
"""

from __future__ import annotations

import secrets

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.sync_service import CacheError, SyncService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from sync.clock import system_clock
from sync.contract.phone import PhoneNumberError, normalise_phone


class NewCustomerDialog(QDialog):
    created = Signal(int)  # the new (local) customer id

    def __init__(self, sync: SyncService, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self.setObjectName("newCustomerDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("New customer"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("customerName")
        self._texts.bind(
            self.name_edit.setPlaceholderText, lambda: self.tr("Organisation or person")
        )
        self.contact_edit = QLineEdit()
        self.contact_edit.setObjectName("contactName")
        self.salutation = QComboBox()
        for code in ("", "mr", "ms", "dr"):
            self.salutation.addItem("", code)
        self._texts.items(
            self.salutation,
            [
                lambda: self.tr("—"),
                lambda: self.tr("Mr"),
                lambda: self.tr("Ms"),
                lambda: self.tr("Dr"),
            ],
        )
        self.phone_edit = QLineEdit(number)
        self.phone_edit.setObjectName("contactPhone")
        self.language = QComboBox()
        self.language.addItem("", "zh")
        self.language.addItem("", "en")
        self._texts.items(self.language, [lambda: self.tr("Chinese"), lambda: self.tr("English")])
        self.address_edit = QLineEdit()
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, widget in (
            ("name", lambda: self.tr("&Name:"), self.name_edit),
            ("contact", lambda: self.tr("&Contact:"), self.contact_edit),
            ("salutation", lambda: self.tr("&Salutation:"), self.salutation),
            ("phone", lambda: self.tr("&Phone:"), self.phone_edit),
            ("language", lambda: self.tr("&Language:"), self.language),
            ("address", lambda: self.tr("&Address:"), self.address_edit),
        ):
            self._texts.row(form, label, widget)
            error = QLabel()
            error.setObjectName(f"{key}Error")
            set_tone(error, ColourRole.ERROR)
            error.hide()
            form.addRow("", error)
            self.errors[key] = error
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def _error(self, key: str, text: str) -> None:
        self.errors[key].setText(text)
        self.errors[key].setVisible(bool(text))

    def save(self) -> None:
        for key in self.errors:
            self._error(key, "")
        name = self.name_edit.text().strip()
        contact = self.contact_edit.text().strip()
        ok = True
        if not name:
            self._error("name", self.tr("Enter the customer's name."))
            ok = False
        elif len(name) > 200:
            self._error("name", self.tr("At most 200 characters."))
            ok = False
        if not contact:
            self._error("contact", self.tr("Enter the name of the person calling."))
            ok = False
        elif len(contact) > 200:
            self._error("contact", self.tr("At most 200 characters."))
            ok = False
        try:
            phone = normalise_phone(self.phone_edit.text())
        except PhoneNumberError:
            self._error("phone", self.tr("This is not a phone number we can dial."))
            ok = False
        if len(self.address_edit.text()) > 500:
            self._error("address", self.tr("At most 500 characters."))
            ok = False
        grant = self._sync.grant
        if not ok or grant is None or grant.user.team is None:
            return
        data = {
            # Unique without asking the server (offline-safe): time plus randomness.
            "code": f"N-{system_clock().now().astimezone():%y%m%d%H%M%S}-{secrets.token_hex(2)}",
            "name": name,
            "team_id": grant.user.team.id,
            "language": self.language.currentData(),
            "address": self.address_edit.text().strip(),
            "contacts": [
                {
                    "name": contact,
                    "phone": str(phone),
                    "salutation": self.salutation.currentData(),
                }
            ],
        }
        try:
            future = self._sync.create("customer", data)
        except CacheError as exc:
            self._error(
                {"name": "name", "address": "address"}.get((exc.field or "").split(".")[0], "name"),
                str(exc),
            )
            return
        # The writer thread answers; ``created`` is emitted on the GUI thread. A refusal this
        # late (the cache closed meanwhile) has nobody left to tell: the dialog has closed.
        self._sync.tasks.when_done(future, self._done, lambda _e: None, owner=self)
        self.accept()

    def _done(self, customer_id: int) -> None:
        self.created.emit(customer_id)
