"""Roles: each a set of permissions (which actions: button level) and a record scope (which
teams' rows). The admin edits one, makes a new one or deletes one no one holds; the server
refuses what would leave no one able to manage users, and says why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.administration import Administration
from sync.contract.records import Role
from sync.contract.rules import KNOWN_PERMISSIONS, RecordScope
from sync.contract.wire import AdminTeamOut, RoleIn, RoleOut


class RolesPage(QWidget):
    def __init__(self, administration: Administration, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = administration
        self._roles: dict[str, RoleOut] = {}
        self.role_list = QListWidget()
        self.role_list.setAccessibleName(self.tr("Roles"))
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Role name"))
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(self.tr("Kind"))
        for kind, label in (
            (Role.AGENT, self.tr("Agent")),
            (Role.SUPERVISOR, self.tr("Team lead")),
            (Role.ADMIN, self.tr("Administrator")),
            (Role.TECHNICIAN, self.tr("Field engineer")),
        ):
            self.kind_combo.addItem(label, kind.value)
        self.scope_combo = QComboBox()
        self.scope_combo.setAccessibleName(self.tr("Records of"))
        for scope, label in (
            (RecordScope.OWN, self.tr("Own team")),
            (RecordScope.LISTED, self.tr("Listed teams")),
            (RecordScope.ALL, self.tr("All teams")),
        ):
            self.scope_combo.addItem(label, scope.value)
        self.team_list = QListWidget()
        self.team_list.setAccessibleName(self.tr("Listed teams"))
        self.permission_list = QListWidget()
        self.permission_list.setAccessibleName(self.tr("Permissions"))
        for permission in sorted(KNOWN_PERMISSIONS):
            item = QListWidgetItem(permission)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.permission_list.addItem(item)
        self.save_button = QPushButton(self.tr("Save role"))
        self.save_button.clicked.connect(lambda _c=False: self.save())
        self.new_button = QPushButton(self.tr("New role"))
        self.new_button.clicked.connect(lambda _c=False: self.new_role())
        self.delete_button = QPushButton(self.tr("Delete role"))
        self.delete_button.clicked.connect(lambda _c=False: self.delete())

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Kind"), self.kind_combo)
        form.addRow(self.tr("Records of"), self.scope_combo)
        form.addRow(self.tr("Listed teams"), self.team_list)
        form.addRow(self.tr("Permissions"), self.permission_list)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        editor = QVBoxLayout()
        editor.addLayout(form, 1)
        editor.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.role_list)
        layout.addLayout(editor, 2)

        administration.roles_loaded.connect(self.show_roles)
        administration.teams_loaded.connect(self.show_teams)
        self.role_list.currentTextChanged.connect(self.edit)
        self._editing: RoleOut | None = None

    # -- shown ------------------------------------------------------------------------------

    def show_roles(self, roles: list[RoleOut]) -> None:
        current = self.role_list.currentItem()
        chosen = current.text() if current is not None else ""
        self._roles = {role.name: role for role in roles}
        self.role_list.blockSignals(True)
        self.role_list.clear()
        self.role_list.addItems(list(self._roles))
        self.role_list.blockSignals(False)
        if chosen in self._roles:
            self.choose(chosen)

    def show_teams(self, teams: list[AdminTeamOut]) -> None:
        self.team_list.clear()
        for team in teams:
            item = QListWidgetItem(team.name)
            item.setData(Qt.ItemDataRole.UserRole, team.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.team_list.addItem(item)
        if self._editing is not None:
            self.edit(self._editing.name)

    def choose(self, name: str) -> None:
        found = self.role_list.findItems(name, Qt.MatchFlag.MatchExactly)
        if found:
            self.role_list.setCurrentItem(found[0])
            self.edit(name)

    def edit(self, name: str) -> None:
        role = self._roles.get(name)
        self._editing = role
        if role is None:
            return
        self.name_edit.setText(role.name)
        self.name_edit.setReadOnly(True)  # a role is not renamed: its holders name it
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(role.kind.value))
        self.scope_combo.setCurrentIndex(self.scope_combo.findData(role.scope.value))
        self._check(self.permission_list, lambda item: item.text() in role.permissions)
        self._check(self.team_list, lambda item: item.data(Qt.ItemDataRole.UserRole) in role.teams)

    @staticmethod
    def _check(widget: QListWidget, ticked: object) -> None:
        for row in range(widget.count()):
            item = widget.item(row)
            on = ticked(item)  # type: ignore[operator]
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    @staticmethod
    def _checked(widget: QListWidget) -> list[QListWidgetItem]:
        items = (widget.item(row) for row in range(widget.count()))
        return [i for i in items if i.checkState() == Qt.CheckState.Checked]

    def set_permission(self, permission: str, on: bool) -> None:
        for item in self.permission_list.findItems(permission, Qt.MatchFlag.MatchExactly):
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    # -- asked ------------------------------------------------------------------------------

    def new_role(self) -> None:
        self._editing = None
        self.role_list.clearSelection()
        self.name_edit.setReadOnly(False)
        self.name_edit.clear()
        self._check(self.permission_list, lambda _item: False)
        self._check(self.team_list, lambda _item: False)
        self.name_edit.setFocus()

    def save(self) -> None:
        try:
            role = RoleIn(
                name=self.name_edit.text().strip(),
                kind=Role(self.kind_combo.currentData()),
                scope=RecordScope(self.scope_combo.currentData()),
                permissions=[i.text() for i in self._checked(self.permission_list)],
                teams=[i.data(Qt.ItemDataRole.UserRole) for i in self._checked(self.team_list)],
                version=self._editing.version if self._editing is not None else None,
            )
        except ValueError:
            self.admin.failed.emit(
                self.tr("A role's name is 2–40 small letters, digits, '.', '_' or '-'.")
            )
            return
        self.admin.save_role(role, new=self._editing is None)

    def delete(self) -> None:
        if self._editing is not None:
            self.admin.delete_role(self._editing.name)
