"""Choose a new password: opened after signing in with a temporary one an admin set
(``SessionGrant.must_change_password``, contract 1.6). The passwords go to the session service
and are kept nowhere; the dialog stays open, with the server's reason, until one is taken."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.session import SessionService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.palette import ColourRole

MIN_LENGTH = 8  # as the server's PasswordChange


class PasswordDialog(QDialog):
    def __init__(self, session: SessionService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setObjectName("passwordDialog")
        self.setWindowTitle(self.tr("Choose a new password"))
        intro = QLabel(
            self.tr(
                "You signed in with a temporary password. Choose your own now; the temporary "
                "one stops working."
            )
        )
        intro.setWordWrap(True)
        self.current_edit = QLineEdit()
        self.new_edit = QLineEdit()
        self.repeat_edit = QLineEdit()
        for edit, name in (
            (self.current_edit, self.tr("Temporary password")),
            (self.new_edit, self.tr("New password")),
            (self.repeat_edit, self.tr("New password again")),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, ColourRole.ERROR)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Temporary password"), self.current_edit)
        form.addRow(self.tr("New password"), self.new_edit)
        form.addRow(self.tr("New password again"), self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        session.password_changed.connect(self._taken)
        session.password_refused.connect(self._refused)

    def send(self) -> None:
        new = self.new_edit.text()
        if len(new) < MIN_LENGTH:
            self.error_label.setText(
                self.tr("A password has at least %1 characters.").replace("%1", str(MIN_LENGTH))
            )
            return
        if new != self.repeat_edit.text():
            self.error_label.setText(self.tr("The two new passwords differ."))
            return
        self.error_label.clear()
        self.buttons.setEnabled(False)
        self._session.change_password(self.current_edit.text(), new)

    def _taken(self) -> None:
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.clear()
        self.accept()

    def _refused(self, why: str) -> None:
        self.buttons.setEnabled(True)
        self.error_label.setText(why)
