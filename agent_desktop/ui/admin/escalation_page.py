"""Administration ▸ SLA policies and escalation (issue 27): resolution targets per priority and
per category, escalation chains (a default chain and chains per category, each level after so
many hours to the team lead, the team's manager, a role or a named user, with the centre's name
for the level in English and Chinese), and the survey and repeat-complaint triggers.

The page shows and asks; the service (``services/sla_admin.py``) reads and saves off the GUI
thread and the server checks the rules. A save starts from the version read: if another admin
saved first, the page shows theirs and says so (nothing is overwritten)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.sla_admin import SlaAdminService
from sync.contract.records import Priority, Role
from sync.contract.sla import (
    MAX_HOURS,
    EscalationChain,
    EscalationLevel,
    EscalationTarget,
    SlaPolicies,
)
from sync.contract.wire import TeamDetailOut, UserDetailOut

# The chain table's columns.
(C_CATEGORY, C_AFTER, C_TARGET, C_ROLE, C_USER, C_LABEL_EN, C_LABEL_ZH) = range(7)
_ROLES = (Role.SUPERVISOR, Role.ADMIN, Role.AGENT)


def _hours_box(value: float = 24.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.25, MAX_HOURS)
    box.setDecimals(2)
    box.setValue(value)
    return box


class EscalationPage(QWidget):
    def __init__(self, service: SlaAdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalationPage")
        self.service = service
        service.setParent(self)
        self._version = 0
        self._team_names: dict[int, str] = {}
        layout = QVBoxLayout(self)
        self.note = QLabel(
            self.tr(
                "A ticket keeps the chain its clock started with: changes here apply to "
                "complaints whose clock starts from now on."
            )
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self._editors: list[QWidget] = [
            self._priorities(),
            self._categories(),
            self._chains(),
            self._triggers(),
            self._managers(),
        ]
        for editor in self._editors:
            layout.addWidget(editor)
        buttons = QHBoxLayout()
        self.reload_button = QPushButton(self.tr("&Reload"))
        self.save_button = QPushButton(self.tr("&Save"))
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Status"))
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._editors.append(self.save_button)
        self.reload_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self.save)
        service.loaded.connect(self._loaded)
        service.saved.connect(self._saved)
        service.conflict.connect(self._conflict)
        service.failed.connect(self._failed)
        service.unsupported.connect(self._unsupported)
        service.changed_elsewhere.connect(self._changed_elsewhere)
        service.teams_loaded.connect(self._teams_loaded)
        service.manager_set.connect(self._manager_set)
        self._set_editable(False)  # until the policies are read
        self.reload()

    def _set_editable(self, on: bool) -> None:
        for editor in self._editors:
            editor.setEnabled(on)

    # -- building -------------------------------------------------------------------------------

    def _priorities(self) -> QGroupBox:
        box = QGroupBox(self.tr("Resolution targets by priority (hours)"))
        form = QFormLayout(box)
        self.priority_hours: dict[Priority, QDoubleSpinBox] = {}
        for priority in Priority:
            spin = _hours_box()
            spin.setObjectName(f"resolution_{priority.value}")
            spin.setAccessibleName(self.tr("Resolution target for %1").replace("%1", priority))
            self.priority_hours[priority] = spin
            form.addRow(priority.value, spin)
        return box

    def _table(self, headers: list[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setTabKeyNavigation(False)  # Tab leaves the table (the house's rule)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _add_remove(
        self, add: str, on_add: Callable[[], object], table: QTableWidget
    ) -> QHBoxLayout:
        row = QHBoxLayout()
        add_button = QPushButton(add)
        remove_button = QPushButton(self.tr("Remove selected"))
        add_button.clicked.connect(lambda: on_add())  # noqa: PLW0108 (not "checked" as arg)
        remove_button.clicked.connect(lambda: self._remove_selected(table))
        row.addWidget(add_button)
        row.addWidget(remove_button)
        row.addStretch(1)
        return row

    def _categories(self) -> QGroupBox:
        box = QGroupBox(self.tr("Resolution targets by category (override the priority's)"))
        layout = QVBoxLayout(box)
        self.category_table = self._table(
            [self.tr("Category (its sub-categories too)"), self.tr("Hours")], "categoryTargets"
        )
        self.category_table.setAccessibleName(self.tr("Resolution targets by category"))
        layout.addWidget(self.category_table)
        layout.addLayout(
            self._add_remove(
                self.tr("Add category target"), self.add_category_target, self.category_table
            )
        )
        return box

    def _chains(self) -> QGroupBox:
        box = QGroupBox(self.tr("Escalation chains (category empty: the default chain)"))
        layout = QVBoxLayout(box)
        self.chain_table = self._table(
            [
                self.tr("Category"),
                self.tr("After (hours)"),
                self.tr("Goes to"),
                self.tr("Role"),
                self.tr("User id"),
                self.tr("Level name (English)"),
                self.tr("Level name (Chinese)"),
            ],
            "chainLevels",
        )
        self.chain_table.setAccessibleName(self.tr("Escalation chain levels"))
        layout.addWidget(self.chain_table)
        layout.addLayout(self._add_remove(self.tr("Add level"), self.add_level, self.chain_table))
        return box

    def _triggers(self) -> QGroupBox:
        box = QGroupBox(self.tr("Other triggers"))
        form = QFormLayout(box)
        self.survey_spin = QSpinBox()
        self.survey_spin.setObjectName("surveyEscalatesAt")
        self.survey_spin.setRange(0, 5)
        self.survey_spin.setSpecialValueText(self.tr("Off"))
        self.repeat_spin = QSpinBox()
        self.repeat_spin.setObjectName("repeatComplaintDays")
        self.repeat_spin.setRange(0, 366)
        self.repeat_spin.setSpecialValueText(self.tr("Off"))
        form.addRow(self.tr("A survey answered at or below (1–5) escalates:"), self.survey_spin)
        form.addRow(self.tr("A repeated complaint within (days) escalates:"), self.repeat_spin)
        return box

    def _managers(self) -> QGroupBox:
        box = QGroupBox(self.tr("Team managers (a level for the team's manager goes to them)"))
        layout = QVBoxLayout(box)
        self.manager_table = self._table([self.tr("Team"), self.tr("Manager")], "teamManagers")
        self.manager_table.setAccessibleName(self.tr("Team managers"))
        layout.addWidget(self.manager_table)
        return box

    def _teams_loaded(self, teams: list[TeamDetailOut], people: list[UserDetailOut]) -> None:
        table = self.manager_table
        table.setRowCount(0)
        self._team_names = {team.id: team.name for team in teams}
        for team in teams:
            row = table.rowCount()
            table.insertRow(row)
            name = QTableWidgetItem(team.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, 0, name)
            box = QComboBox()
            box.setObjectName(f"manager_{team.id}")
            box.setAccessibleName(self.tr("Manager of %1").replace("%1", team.name))
            box.addItem(self.tr("— none —"), 0)
            for person in people:
                box.addItem(person.display_name, person.id)
            box.setCurrentIndex(max(0, box.findData(team.manager_id or 0)))
            box.activated.connect(
                lambda _index, team_id=team.id, chosen=box: self.service.set_manager(
                    team_id, chosen.currentData() or None
                )
            )
            table.setCellWidget(row, 1, box)

    def _manager_set(self, team_id: int, _manager_id: int | None) -> None:
        name = self._team_names.get(team_id, str(team_id))
        self._say(self.tr("The manager of %1 is set.").replace("%1", name))

    def _target_box(self, target: EscalationTarget) -> QComboBox:
        box = QComboBox()
        names = {
            EscalationTarget.TEAM_LEAD: self.tr("Team lead"),
            EscalationTarget.TEAM_MANAGER: self.tr("Team's manager"),
            EscalationTarget.ROLE: self.tr("Everyone of a role"),
            EscalationTarget.USER: self.tr("A named user"),
        }
        for value, name in names.items():
            box.addItem(name, value.value)
        box.setCurrentIndex(box.findData(target.value))
        box.setAccessibleName(self.tr("Goes to"))
        return box

    def _role_box(self, role: Role | None) -> QComboBox:
        box = QComboBox()
        names = {
            Role.SUPERVISOR: self.tr("Team leads"),
            Role.ADMIN: self.tr("Administrators"),
            Role.AGENT: self.tr("Agents"),
        }
        for value in _ROLES:
            box.addItem(names[value], value.value)
        box.setCurrentIndex(max(0, box.findData((role or Role.ADMIN).value)))
        box.setAccessibleName(self.tr("Role"))
        return box

    # -- rows -----------------------------------------------------------------------------------

    def add_category_target(self, category: str = "", hours: float = 24.0) -> int:
        row = self.category_table.rowCount()
        self.category_table.insertRow(row)
        self.category_table.setItem(row, 0, QTableWidgetItem(category))
        box = _hours_box(hours)
        box.setAccessibleName(self.tr("Hours"))
        self.category_table.setCellWidget(row, 1, box)
        return row

    def add_level(self, category: str = "", level: EscalationLevel | None = None) -> int:
        level = level or EscalationLevel(after_hours=24, target=EscalationTarget.TEAM_LEAD)
        table = self.chain_table
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, C_CATEGORY, QTableWidgetItem(category))
        after = _hours_box(level.after_hours)
        after.setAccessibleName(self.tr("After (hours)"))
        table.setCellWidget(row, C_AFTER, after)
        table.setCellWidget(row, C_TARGET, self._target_box(level.target))
        table.setCellWidget(row, C_ROLE, self._role_box(level.role))
        user = QSpinBox()
        user.setRange(0, 2_147_483_647)
        user.setSpecialValueText(self.tr("—"))
        user.setValue(level.user_id or 0)
        user.setAccessibleName(self.tr("User id"))
        table.setCellWidget(row, C_USER, user)
        table.setItem(row, C_LABEL_EN, QTableWidgetItem(level.label_en))
        table.setItem(row, C_LABEL_ZH, QTableWidgetItem(level.label_zh))
        return row

    def _remove_selected(self, table: QTableWidget) -> None:
        for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    # -- the document ---------------------------------------------------------------------------

    def show_policies(self, policies: SlaPolicies) -> None:
        self._version = policies.version
        for priority, spin in self.priority_hours.items():
            spin.setValue(policies.resolution_hours.get(priority, spin.value()))
        self.category_table.setRowCount(0)
        for category, hours in sorted(policies.category_resolution_hours.items()):
            self.add_category_target(category, hours)
        self.chain_table.setRowCount(0)
        for chain in policies.chains:
            for level in chain.levels:
                self.add_level(chain.category, level)
        self.survey_spin.setValue(policies.survey_escalates_at or 0)
        self.repeat_spin.setValue(policies.repeat_complaint_days or 0)

    def _text(self, table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _widget(self, table: QTableWidget, row: int, column: int, kind: type[QWidget]) -> QWidget:
        widget = table.cellWidget(row, column)
        assert isinstance(widget, kind)
        return widget

    def policies(self) -> SlaPolicies:
        """What the page holds now, as the document to save (from the version read)."""
        categories = {}
        for row in range(self.category_table.rowCount()):
            name = self._text(self.category_table, row, 0)
            hours = self._widget(self.category_table, row, 1, QDoubleSpinBox)
            if name:
                assert isinstance(hours, QDoubleSpinBox)
                categories[name] = hours.value()
        chains: dict[str, list[EscalationLevel]] = {}
        table = self.chain_table
        for row in range(table.rowCount()):
            after = self._widget(table, row, C_AFTER, QDoubleSpinBox)
            target = self._widget(table, row, C_TARGET, QComboBox)
            role = self._widget(table, row, C_ROLE, QComboBox)
            user = self._widget(table, row, C_USER, QSpinBox)
            assert isinstance(after, QDoubleSpinBox)
            assert isinstance(target, QComboBox)
            assert isinstance(role, QComboBox)
            assert isinstance(user, QSpinBox)
            kind = EscalationTarget(target.currentData())
            chains.setdefault(self._text(table, row, C_CATEGORY), []).append(
                EscalationLevel(
                    after_hours=after.value(),
                    target=kind,
                    role=Role(role.currentData()) if kind is EscalationTarget.ROLE else None,
                    user_id=(user.value() or None) if kind is EscalationTarget.USER else None,
                    label_en=self._text(table, row, C_LABEL_EN),
                    label_zh=self._text(table, row, C_LABEL_ZH),
                )
            )
        return SlaPolicies(
            resolution_hours={p: spin.value() for p, spin in self.priority_hours.items()},
            category_resolution_hours=categories,
            chains=[EscalationChain(category=c, levels=levels) for c, levels in chains.items()],
            survey_escalates_at=self.survey_spin.value() or None,
            repeat_complaint_days=self.repeat_spin.value() or None,
            version=self._version,
        )

    # -- reading and saving ---------------------------------------------------------------------

    def reload(self) -> None:
        self._say(self.tr("Reading the policies from the server…"))
        self.service.load()
        self.service.load_teams()

    def save(self) -> None:
        try:
            policies = self.policies()
        except ValueError as exc:  # pydantic's: a value out of its range
            self._say(self.tr("Not saved: %1").replace("%1", str(exc).splitlines()[0]))
            return
        self.save_button.setEnabled(False)
        self._say(self.tr("Saving…"))
        self.service.save(policies)

    def _loaded(self, policies: SlaPolicies) -> None:
        self.show_policies(policies)
        self._set_editable(True)
        self._say(self.tr("Version %1, as stored on the server.").replace("%1", str(self._version)))

    def _saved(self, policies: SlaPolicies) -> None:
        self.show_policies(policies)
        self.save_button.setEnabled(True)
        self._say(self.tr("Saved: version %1.").replace("%1", str(policies.version)))

    def _conflict(self, current: SlaPolicies) -> None:
        self.show_policies(current)
        self.save_button.setEnabled(True)
        self._say(
            self.tr(
                "Another administrator saved the policies first (now version %1): theirs are "
                "shown; make your change again."
            ).replace("%1", str(current.version))
        )

    def _changed_elsewhere(self, version: int) -> None:
        if version > self._version:  # not our own save coming back
            self._say(
                self.tr(
                    "Another administrator saved version %1: Reload to see it (saving from "
                    "here now would be refused)."
                ).replace("%1", str(version))
            )

    def _failed(self, why: str) -> None:
        self.save_button.setEnabled(self._version > 0)  # a failed first read leaves it off
        self._say(self.tr("Not done: %1").replace("%1", why))

    def _unsupported(self) -> None:
        self._set_editable(False)
        self._say(
            self.tr(
                "This server is older (before contract 1.6): its SLA policy is fixed and "
                "cannot be set from the desk."
            )
        )

    def _say(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
