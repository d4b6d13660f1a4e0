"""Administration: each team's callback (回访) and survey policy — which resolved tickets get a
survey call (every one, complaints only, none) and how many hours after. The server plans the
survey by it when a ticket resolves. Admins edit every team's; a lead, their own team's (the
server refuses a lead another team's, and says so here)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.centre_admin import CentreAdminService
from sync.centre_admin import CentreView
from sync.contract.wire import TeamDetailOut, TeamPolicyIn

MAX_DELAY_HOURS = 24 * 30


class TeamPoliciesPage(QWidget):
    def __init__(self, service: CentreAdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminPoliciesPage")
        self._service = service
        self._teams: list[TeamDetailOut] = []
        self.team_combo = QComboBox()
        self.team_combo.setObjectName("policyTeam")
        self.after_combo = QComboBox()
        self.after_combo.setObjectName("policyAfter")
        self.after_combo.addItem(self.tr("Every resolved ticket"), "all")
        self.after_combo.addItem(self.tr("Complaints only"), "complaints")
        self.after_combo.addItem(self.tr("None"), "none")
        self.delay = QSpinBox()
        self.delay.setObjectName("policyDelay")
        self.delay.setRange(0, MAX_DELAY_HOURS)
        self.delay.setSuffix(self.tr(" h"))
        self.save_button = QPushButton(self.tr("&Save policy"))
        self.save_button.setObjectName("policySave")
        self.status = QLabel()
        self.status.setObjectName("policyStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Team:"), self.team_combo)
        form.addRow(self.tr("Survey &after:"), self.after_combo)
        form.addRow(self.tr("&Hours after resolving:"), self.delay)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.team_combo.currentIndexChanged.connect(self._show_team)
        self.save_button.clicked.connect(self.save)
        service.loaded.connect(self._loaded)
        service.saved.connect(self.status.setText)
        service.failed.connect(self.status.setText)
        self.setEnabled(False)
        if service.view is not None:
            self._loaded(service.view)

    def _loaded(self, view: CentreView) -> None:
        chosen = self.team_combo.currentData()
        self._teams = view.teams
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        for team in view.teams:
            self.team_combo.addItem(team.name, team.id)
        index = self.team_combo.findData(chosen)
        self.team_combo.setCurrentIndex(max(index, 0))
        self.team_combo.blockSignals(False)
        self.setEnabled(view.admin_routes)
        if not view.admin_routes:
            self.status.setText(
                self.tr("This server is too old to set team policies from the desk (contract 1.6).")
            )
        self._show_team()

    def team(self) -> TeamDetailOut | None:
        team_id = self.team_combo.currentData()
        return next((t for t in self._teams if t.id == team_id), None)

    def _show_team(self) -> None:
        team = self.team()
        if team is None:
            return
        self.after_combo.setCurrentIndex(max(self.after_combo.findData(team.callback_after), 0))
        self.delay.setValue(team.callback_delay_hours)

    def save(self) -> None:
        team = self.team()
        if team is None:
            return
        change = TeamPolicyIn(
            callback_after=self.after_combo.currentData(),
            callback_delay_hours=self.delay.value(),
            version=team.version,
        )
        self.status.setText(self.tr("Saving…"))
        self._service.save_team_policy(team.id, change)
