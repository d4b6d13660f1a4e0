"""Inline edit of a customer's profile in the 360 panel, while the customer is on the line.

The agent corrects what the caller says is wrong (a new mobile number, the address, who to ask
for) without leaving the call. Only what changed is sent, through the outbox, so it works
offline; every problem is said next to its field (a contact's next to its row) and nothing is
saved until all of it is right.
"""

from __future__ import annotations

import contextlib
import re

from pydantic import ValidationError
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.appearance import colour
from agent_desktop.ui.fields import error_label
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from sync.contract.phone import PhoneNumberError, normalise_phone
from sync.contract.wire import ContactOut, CustomerOut, CustomerPatch
from sync.entities import edit_of, refusal

NAME_MAX = 200
ADDRESS_MAX = 500
NOTES_MAX = 20_000
EMAIL_MAX = 200
CONTACTS_MAX = 20
# Enough to catch a typo (no @, a space, no dot in the domain); the mail server has the last word.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_COL, SALUTATION_COL, PHONE_COL, EMAIL_COL = range(4)


def _contact_phone(contact: ContactOut) -> str:
    """A stored contact's number as the agent edits it (E.164, with the extension)."""
    number = contact.phone_e164
    if contact.extension:
        number += f" ext. {contact.extension}"
    return number


class ProfileEditor(QWidget):
    save_requested = Signal(object)  # CustomerPatch: only the changed fields set
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileEditor")
        self._original: CustomerOut | None = None
        self._texts = LiveTexts()  # (changeEvent)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("profileName")
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("profileLanguage")
        self.language_combo.addItem("", "zh")
        self.language_combo.addItem("", "en")
        self._texts.items(
            self.language_combo, [lambda: self.tr("Chinese"), lambda: self.tr("English")]
        )
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("profileAddress")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.notes_edit.setObjectName("profileNotes")
        self.notes_edit.setMaximumHeight(70)
        self.contacts = QTableWidget(0, 4)
        self.contacts.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.contacts.setObjectName("profileContacts")
        self._texts.bind(self.contacts.setAccessibleName, lambda: self.tr("Contacts"))
        for column, title in enumerate(
            (
                lambda: self.tr("Contact"),
                lambda: self.tr("Salutation"),
                lambda: self.tr("Phone"),
                lambda: self.tr("Email"),
            )
        ):
            header = QTableWidgetItem()
            self.contacts.setHorizontalHeaderItem(column, header)
            self._texts.bind(header.setText, title)
        self.contacts.verticalHeader().hide()
        self.contacts.horizontalHeader().setStretchLastSection(True)
        self.add_contact_button = QPushButton()
        self._texts.bind(self.add_contact_button.setText, lambda: self.tr("Add contact"))
        self.add_contact_button.setObjectName("addContact")
        self.add_contact_button.clicked.connect(lambda: self.add_contact(None))
        self.remove_contact_button = QPushButton()
        self._texts.bind(self.remove_contact_button.setText, lambda: self.tr("Remove contact"))
        self.remove_contact_button.setObjectName("removeContact")
        self.remove_contact_button.clicked.connect(self._remove_contact)
        self.save_button = QPushButton()
        self._texts.bind(self.save_button.setText, lambda: self.tr("Save"))
        self.save_button.setObjectName("profileSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton()
        self._texts.bind(self.cancel_button.setText, lambda: self.tr("Cancel"))
        self.cancel_button.setObjectName("profileCancel")
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.errors: dict[str, QLabel] = {}
        self._lay_out()

    def _error_label(self, key: str) -> QLabel:
        label = self.errors[key] = error_label(f"{key}Error")
        return label

    def _lay_out(self) -> None:
        form = QFormLayout()
        for key, label, widget in (
            ("name", lambda: self.tr("&Name:"), self.name_edit),
            ("language", lambda: self.tr("&Language:"), self.language_combo),
            ("address", lambda: self.tr("&Address:"), self.address_edit),
            ("notes", lambda: self.tr("N&otes:"), self.notes_edit),
        ):
            self._texts.row(form, label, widget)
            form.addRow("", self._error_label(key))
        contact_buttons = QHBoxLayout()
        contact_buttons.addWidget(self.add_contact_button)
        contact_buttons.addWidget(self.remove_contact_button)
        contact_buttons.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.contacts, 1)
        layout.addWidget(self._error_label("contacts"))
        layout.addLayout(contact_buttons)
        layout.addWidget(self._error_label("form"))
        layout.addLayout(buttons)

    # -- filling ------------------------------------------------------------------------------

    def edit(self, customer: CustomerOut) -> None:
        """Start editing ``customer`` (the record as the 360 shows it)."""
        self._original = customer
        self.name_edit.setText(customer.name)
        index = self.language_combo.findData(customer.language or "zh")
        self.language_combo.setCurrentIndex(max(0, index))
        self.address_edit.setText(customer.address)
        self.notes_edit.setPlainText(customer.notes)
        self.contacts.setRowCount(0)
        for contact in customer.contacts:
            self.add_contact(contact)
        self.contacts.resizeColumnsToContents()
        self.clear_errors()
        self.name_edit.setFocus()

    def add_contact(self, contact: ContactOut | None = None) -> None:
        """A row for ``contact``, or an empty one to fill in (None)."""
        if self.contacts.rowCount() >= CONTACTS_MAX:
            self.show_error(
                "contacts",
                self.tr("A customer has at most %1 contacts.").replace("%1", str(CONTACTS_MAX)),
            )
            return
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        self.contacts.setItem(row, NAME_COL, QTableWidgetItem(contact.name if contact else ""))
        salutation = QComboBox()
        for label, code in self._salutations():
            salutation.addItem(label, code)
        salutation.setCurrentIndex(
            max(0, salutation.findData(contact.salutation if contact else ""))
        )
        self.contacts.setCellWidget(row, SALUTATION_COL, salutation)
        phone = QTableWidgetItem(_contact_phone(contact) if contact else "")
        # The kind (mobile, office, …) is kept as it was; new contacts are mobiles.
        phone.setData(Qt.ItemDataRole.UserRole, contact.kind if contact else "mobile")
        self.contacts.setItem(row, PHONE_COL, phone)
        self.contacts.setItem(row, EMAIL_COL, QTableWidgetItem(contact.email if contact else ""))
        name = self.contacts.item(row, NAME_COL)
        if not contact and name is not None:
            self.contacts.setCurrentCell(row, NAME_COL)
            self.contacts.editItem(name)

    def _salutations(self) -> tuple[tuple[str, str], ...]:
        return (
            (self.tr("—"), ""),
            (self.tr("Mr"), "mr"),
            (self.tr("Ms"), "ms"),
            (self.tr("Dr"), "dr"),
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            for row in range(self.contacts.rowCount()):  # each contact's salutation, in words
                combo = self.contacts.cellWidget(row, SALUTATION_COL)
                if isinstance(combo, QComboBox):
                    for index, (label, _code) in enumerate(self._salutations()):
                        combo.setItemText(index, label)
        super().changeEvent(event)

    def _remove_contact(self) -> None:
        row = self.contacts.currentRow()
        if row >= 0:
            self.contacts.removeRow(row)

    # -- errors -------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        for row in range(self.contacts.rowCount()):
            for column in (NAME_COL, PHONE_COL, EMAIL_COL):
                item = self.contacts.item(row, column)
                if item is not None:
                    item.setBackground(QBrush())

    def show_error(self, key: str, text: str) -> None:
        """Say what is wrong next to the field (``key``: name, address, notes, contacts or
        ``contacts.<row>.<field>``; anything else goes under the form)."""
        parts = key.split(".")
        if parts[0] == "contacts" and len(parts) == 3 and parts[1].isdigit():
            row = int(parts[1])
            column = {"name": NAME_COL, "phone": PHONE_COL, "email": EMAIL_COL}.get(parts[2])
            item = self.contacts.item(row, column) if column is not None else None
            if item is not None:
                item.setBackground(QBrush(colour(ColourRole.FIELD_ERROR_BACKGROUND)))
            text = self.tr("Contact %1: %2").replace("%1", str(row + 1)).replace("%2", text)
            label = self.errors["contacts"]
            label.setText("\n".join(filter(None, (label.text(), text))))
            label.show()
            return
        label = self.errors.get(parts[0], self.errors["form"])
        label.setText(text)
        label.show()

    # -- saving -------------------------------------------------------------------------------

    def _cell(self, row: int, column: int) -> str:
        item = self.contacts.item(row, column)
        return item.text().strip() if item is not None else ""

    def _contacts(self) -> tuple[list[dict[str, str]], bool]:
        # The rows as ContactIn's fields; checked as a whole by CustomerPatch in changes().
        contacts: list[dict[str, str]] = []
        ok = True
        for row in range(self.contacts.rowCount()):
            name, phone, email = (self._cell(row, c) for c in (NAME_COL, PHONE_COL, EMAIL_COL))
            if not (name or phone or email):
                continue  # an empty row the agent added and left: not a contact
            if not name:
                self.show_error(f"contacts.{row}.name", self.tr("enter the contact's name."))
                ok = False
            elif len(name) > NAME_MAX:
                self.show_error(
                    f"contacts.{row}.name",
                    self.tr("the name is too long (at most %1 characters).").replace(
                        "%1", str(NAME_MAX)
                    ),
                )
                ok = False
            number = ""
            try:
                number = str(normalise_phone(phone))
            except PhoneNumberError:
                self.show_error(
                    f"contacts.{row}.phone",
                    self.tr("“%1” is not a phone number we can dial.").replace("%1", phone)
                    if phone
                    else self.tr("enter a phone number."),
                )
                ok = False
            if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
                self.show_error(
                    f"contacts.{row}.email",
                    self.tr("“%1” is not an email address.").replace("%1", email),
                )
                ok = False
            combo = self.contacts.cellWidget(row, SALUTATION_COL)
            phone_item = self.contacts.item(row, PHONE_COL)
            contacts.append(
                {
                    "name": name,
                    "phone": number,
                    "email": email,
                    "kind": str(phone_item.data(Qt.ItemDataRole.UserRole) or "mobile")
                    if phone_item is not None
                    else "mobile",
                    "salutation": str(combo.currentData() or "")
                    if isinstance(combo, QComboBox)
                    else "",
                }
            )
        return contacts, ok

    def _original_contacts(self) -> list[dict[str, str]]:
        """The stored contacts in the form the editor sends, to tell whether they changed."""
        shown = []
        for contact in self._original.contacts if self._original else []:
            phone = _contact_phone(contact)
            with contextlib.suppress(PhoneNumberError):  # compared as typed, then
                phone = str(normalise_phone(phone))
            shown.append(
                {
                    "name": contact.name,
                    "phone": phone,
                    "email": contact.email,
                    "kind": contact.kind or "mobile",
                    "salutation": contact.salutation,
                }
            )
        return shown

    def changes(self) -> CustomerPatch | None:
        """What the agent changed, or None when something is wrong (said next to it)."""
        self.clear_errors()
        ok = True
        name = self.name_edit.text().strip()
        if not name:
            self.show_error("name", self.tr("Enter the customer's name."))
            ok = False
        elif len(name) > NAME_MAX:
            self.show_error("name", self.tr("At most %1 characters.").replace("%1", str(NAME_MAX)))
            ok = False
        address = self.address_edit.text().strip()
        if len(address) > ADDRESS_MAX:
            self.show_error(
                "address", self.tr("At most %1 characters.").replace("%1", str(ADDRESS_MAX))
            )
            ok = False
        notes = self.notes_edit.toPlainText().strip()
        if len(notes) > NOTES_MAX:
            self.show_error(
                "notes",
                self.tr("The notes are too long (%1 characters; at most %2).")
                .replace("%1", str(len(notes)))
                .replace("%2", str(NOTES_MAX)),
            )
            ok = False
        contacts, contacts_ok = self._contacts()
        if not ok or not contacts_ok:
            return None
        original = self._original
        now = {
            "name": (name, original.name if original else ""),
            "language": (
                str(self.language_combo.currentData()),
                original.language if original else "",
            ),
            "address": (address, original.address if original else ""),
            "notes": (notes, original.notes if original else ""),
        }
        changed: dict[str, object] = {k: v for k, (v, was) in now.items() if v != was}
        if contacts != self._original_contacts():
            changed["contacts"] = contacts
        try:
            return edit_of(CustomerPatch, changed)
        except (
            ValidationError
        ) as exc:  # what the checks above do not cover: said as the cache would
            field, text = refusal(exc)
            self.show_error(field, text)
            return None

    def save(self) -> None:
        changed = self.changes()
        if changed is None:
            return
        if not changed.model_fields_set - {"version"}:
            self.cancelled.emit()  # nothing to send: back to the profile
            return
        self.save_requested.emit(changed)
