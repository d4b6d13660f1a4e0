"""Users: the list (an admin's: everyone; a lead's: the agents of their teams), a new user,
and for the one selected: disable or enable, move to a team, give a role, reset the password,
sign out everywhere. A temporary password is shown here once and kept nowhere."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.administration import MANAGE_USERS, Administration
from agent_desktop.ui.admin.table_model import RowsModel
from sync.contract.wire import (
    AdminTeamOut,
    AdminUserChange,
    AdminUserIn,
    AdminUserOut,
    RoleOut,
    TemporaryPassword,
)


class UsersPage(QWidget):
    def __init__(self, administration: Administration, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = administration
        self.model: RowsModel[AdminUserOut] = RowsModel(
            (
                lambda: self.tr("User name"),
                lambda: self.tr("Name"),
                lambda: self.tr("Role"),
                lambda: self.tr("Team"),
                lambda: self.tr("Status"),
            ),
            self._cells,
            self,
        )
        self.table = QTableView()
        self.table.setObjectName("adminUsers")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAccessibleName(self.tr("Users"))

        self._build_new_user()

        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName(self.tr("Role to give"))
        self.give_role_button = QPushButton(self.tr("Give role"))
        self.give_role_button.clicked.connect(lambda _c=False: self.give_role())
        self.team_combo = QComboBox()
        self.team_combo.setAccessibleName(self.tr("Team to move to"))
        self.move_button = QPushButton(self.tr("Move to team"))
        self.move_button.clicked.connect(lambda _c=False: self.move_to_team())
        self.active_button = QPushButton(self.tr("Disable"))
        self.active_button.clicked.connect(lambda _c=False: self.toggle_active())
        self.reset_button = QPushButton(self.tr("Reset password"))
        self.reset_button.clicked.connect(lambda _c=False: self.reset_password())
        self.sign_out_button = QPushButton(self.tr("Sign out everywhere"))
        self.sign_out_button.clicked.connect(lambda _c=False: self.sign_out())
        self.password_label = QLabel()
        self.password_label.setObjectName("temporaryPassword")
        self.password_label.setWordWrap(True)
        self.password_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        selected = QHBoxLayout()
        for widget in (
            self.role_combo,
            self.give_role_button,
            self.team_combo,
            self.move_button,
            self.active_button,
            self.reset_button,
            self.sign_out_button,
        ):
            selected.addWidget(widget)
        selected.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(selected)
        layout.addWidget(self.password_label)
        layout.addWidget(self.new_box)

        administration.users_loaded.connect(self.show_users)
        administration.roles_loaded.connect(self.show_roles)
        administration.teams_loaded.connect(self.show_teams)
        administration.password_issued.connect(self.show_password)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        # A lead gives no roles and creates no users (server_stub.user_admin): not offered.
        is_admin = administration.may(MANAGE_USERS)
        self.new_box.setVisible(is_admin)
        self.role_combo.setVisible(is_admin)
        self.give_role_button.setVisible(is_admin)
        self._enable()

    def _build_new_user(self) -> None:
        self.new_box = QGroupBox(self.tr("New user"))
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName(self.tr("User name"))
        self.display_edit = QLineEdit()
        self.display_edit.setAccessibleName(self.tr("Name"))
        self.new_role_combo = QComboBox()
        self.new_role_combo.setAccessibleName(self.tr("Role"))
        self.new_team_combo = QComboBox()
        self.new_team_combo.setAccessibleName(self.tr("Team"))
        self.create_button = QPushButton(self.tr("Create user"))
        self.create_button.clicked.connect(lambda _c=False: self.create_user())
        form = QFormLayout(self.new_box)
        form.addRow(self.tr("User name"), self.username_edit)
        form.addRow(self.tr("Name"), self.display_edit)
        form.addRow(self.tr("Role"), self.new_role_combo)
        form.addRow(self.tr("Team"), self.new_team_combo)
        form.addRow(self.create_button)

    @staticmethod
    def _cells(user: AdminUserOut) -> tuple[str, ...]:
        status = (
            QCoreApplication.translate("UsersPage", "Active")
            if user.active
            else QCoreApplication.translate("UsersPage", "Disabled")
        )
        return (
            user.username,
            user.display_name,
            user.role_name,
            user.team.name if user.team else "",
            status,
        )

    # -- shown ------------------------------------------------------------------------------

    def show_users(self, users: list[AdminUserOut]) -> None:
        chosen = self.selected()
        self.model.set_rows(users)
        if chosen is not None:
            self.select(chosen.username)
        self._enable()

    def show_roles(self, roles: list[RoleOut]) -> None:
        for combo in (self.role_combo, self.new_role_combo):
            current = combo.currentText()
            combo.clear()
            for role in roles:
                combo.addItem(role.name, role.name)
            if current:
                combo.setCurrentText(current)

    def show_teams(self, teams: list[AdminTeamOut]) -> None:
        for combo, none in ((self.team_combo, False), (self.new_team_combo, True)):
            current = combo.currentText()
            combo.clear()
            if none:
                combo.addItem(self.tr("(no team)"), None)
            for team in teams:
                combo.addItem(team.name, team.id)
            if current:
                combo.setCurrentText(current)

    def show_password(self, issued: TemporaryPassword) -> None:
        self.password_label.setText(
            self.tr(
                "Temporary password for %1: %2 — give it to them now; it is not shown again. "
                "They choose their own at the next sign-in."
            )
            .replace("%1", issued.user.username)
            .replace("%2", issued.password)
        )

    def selected(self) -> AdminUserOut | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select(self, username: str) -> bool:
        for row, user in enumerate(self.model.rows()):
            if user.username == username:
                self.table.selectRow(row)
                return True
        return False

    def _enable(self) -> None:
        user = self.selected()
        for button in (
            self.give_role_button,
            self.move_button,
            self.active_button,
            self.reset_button,
            self.sign_out_button,
        ):
            button.setEnabled(user is not None)
        self.active_button.setText(
            self.tr("Enable") if user is not None and not user.active else self.tr("Disable")
        )

    # -- asked ------------------------------------------------------------------------------

    def create_user(self) -> None:
        self.password_label.clear()
        try:
            body = AdminUserIn(
                username=self.username_edit.text().strip().lower(),
                display_name=self.display_edit.text().strip(),
                role_name=self.new_role_combo.currentData() or "agent",
                team_id=self.new_team_combo.currentData(),
            )
        except ValueError:
            self.admin.failed.emit(
                self.tr("A user name (letters, digits, . _ -) and a name are needed.")
            )
            return
        self.admin.create_user(body)
        self.username_edit.clear()
        self.display_edit.clear()

    def give_role(self) -> None:
        user, role = self.selected(), self.role_combo.currentData()
        if user is not None and role:
            said = self.tr("%1 now has the role %2.").replace("%1", user.username)
            self.admin.change_user(
                user.id, AdminUserChange(role_name=role), said.replace("%2", role)
            )

    def move_to_team(self) -> None:
        user, team = self.selected(), self.team_combo.currentData()
        if user is not None and team is not None:
            said = self.tr("%1 moved to %2.").replace("%1", user.username)
            said = said.replace("%2", self.team_combo.currentText())
            self.admin.change_user(user.id, AdminUserChange(team_id=team), said)

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        said = (
            self.tr("%1 is disabled and signed out.") if user.active else self.tr("%1 is enabled.")
        ).replace("%1", user.username)
        self.admin.change_user(user.id, AdminUserChange(active=not user.active), said)

    def reset_password(self) -> None:
        user = self.selected()
        if user is not None:
            self.admin.reset_password(user.id)

    def sign_out(self) -> None:
        user = self.selected()
        if user is not None:
            self.admin.sign_out(user.id, user.username)
