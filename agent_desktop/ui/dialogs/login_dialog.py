"""The sign-in dialog: server address, user name, password, remember me.

It stays usable through every failure: the message names the problem, the fields stay filled,
and the field at fault gets the focus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop import APP_NAME
from agent_desktop.services.session import SessionService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.locked import locked_note, show_locked
from agent_desktop.ui.palette import ColourRole


class LoginDialog(QDialog):
    def __init__(
        self,
        session: SessionService,
        server_url: str = "",
        username: str = "",
        remember: bool = True,
        parent: QWidget | None = None,
        server_locked: bool = False,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in — %1").replace("%1", APP_NAME))
        self.setMinimumWidth(460)

        heading = QLabel(self.tr("Sign in to the contact centre"))
        heading.setObjectName("loginHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)

        self.server_edit = QLineEdit(server_url)
        self.server_edit.setPlaceholderText("https://cc.example.com")
        self._server_locked = server_locked
        self.server_note = self._server_lock(server_locked)
        self.user_edit = QLineEdit(username)
        self.user_edit.setPlaceholderText(self.tr("your user name"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox(self.tr("Keep me signed in on this computer"))
        self.keychain_note = self._keychain_note(remember)

        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_tone(self.error_label, ColourRole.ERROR)
        self.error_label.hide()
        self.progress_label = QLabel(self.tr("Signing in…"))
        self.progress_label.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Server:"), self.server_edit)
        if server_locked:
            form.addRow("", self.server_note)
        form.addRow(self.tr("&User name:"), self.user_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        form.addRow("", self.remember_box)

        self.buttons = self._buttons()
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.keychain_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.buttons)

        session.signed_in.connect(self._on_signed_in)
        session.sign_in_failed.connect(self._on_failed)
        first_empty = next(
            (e for e in (self.server_edit, self.user_edit) if not e.text()), self.password_edit
        )
        first_empty.setFocus()

    def _server_lock(self, locked: bool) -> QLabel:
        """The machine policy's server: the field disabled, and a note saying who set it."""
        note = QLabel(locked_note())
        note.setObjectName("serverLockedNote")
        note.setVisible(locked)
        if locked:
            show_locked(self.server_edit)
        return note

    def _keychain_note(self, remember: bool) -> QLabel:
        """Tick "remember" as configured, or explain why nothing can be remembered here."""
        note = QLabel()
        note.setWordWrap(True)
        note.setObjectName("keychainNote")
        if self._session.can_remember:
            self.remember_box.setChecked(remember)
            note.hide()
        else:
            self.remember_box.setChecked(False)
            self.remember_box.setEnabled(False)
            note.setText(
                self.tr("Your sign-in will not be remembered: %1.").replace(
                    "%1", self._session.why_cannot_remember
                )
            )
        return note

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign &in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Quit"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        return buttons

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @Slot()
    def submit(self) -> None:
        for edit, missing in (
            (self.server_edit, self.tr("Enter the server address.")),
            (self.user_edit, self.tr("Enter your user name.")),
            (self.password_edit, self.tr("Enter your password.")),
        ):
            if not edit.text().strip():
                self.show_error(missing)
                edit.setFocus()
                return
        self.show_error("")
        self._set_busy(True)
        self._session.sign_in(
            self.server_edit.text(),
            self.user_edit.text(),
            self.password_edit.text(),
            self.remember_box.isChecked(),
        )

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_edit, self.user_edit, self.password_edit, self.sign_in_button):
            widget.setEnabled(not busy)
        self.server_edit.setEnabled(not busy and not self._server_locked)
        self.remember_box.setEnabled(not busy and self._session.can_remember)
        self.progress_label.setVisible(busy)

    @Slot(object)
    def _on_signed_in(self, _grant: object) -> None:
        self._set_busy(False)
        self.password_edit.clear()  # do not keep the password in a widget longer than needed
        self.accept()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        self.show_error(message)
        self.password_edit.setFocus()
        self.password_edit.selectAll()

    def done(self, result: int) -> None:
        # Disconnect so a dialog that is gone does not react to a later sign-in.
        try:
            self._session.signed_in.disconnect(self._on_signed_in)
            self._session.sign_in_failed.disconnect(self._on_failed)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
