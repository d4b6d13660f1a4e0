"""Teams: the list with their members' count, and a new team."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.administration import Administration
from agent_desktop.ui.admin.table_model import RowsModel
from sync.contract.wire import AdminTeamIn, AdminTeamOut


class TeamsPage(QWidget):
    def __init__(self, administration: Administration, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = administration
        self.model: RowsModel[AdminTeamOut] = RowsModel(
            (lambda: self.tr("Team"), lambda: self.tr("Members")),
            lambda team: (team.name, str(team.members)),
            self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Teams"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("New team's name"))
        self.name_edit.setAccessibleName(self.tr("New team's name"))
        self.create_button = QPushButton(self.tr("Create team"))
        self.create_button.clicked.connect(lambda _c=False: self.create_team())
        row = QHBoxLayout()
        row.addWidget(self.name_edit, 1)
        row.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        administration.teams_loaded.connect(self.model.set_rows)

    def names(self) -> list[str]:
        return [team.name for team in self.model.rows()]

    def create_team(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.admin.failed.emit(self.tr("Give the new team a name."))
            return
        self.admin.create_team(AdminTeamIn(name=name))
        self.name_edit.clear()
