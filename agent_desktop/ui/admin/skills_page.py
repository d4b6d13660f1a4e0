"""Administration: the centre's skill catalogue, and each person's skills with levels (1-10).

The levels are used where skills matter: the dispatch form ranks engineers by the product's
skill and level, the handover list puts the experts holding the ticket's skill first, a "not
found" knowledge question goes first to whoever holds its product line's skill, and the PBX
reads them for skill-based routing (``GET /skills/agents``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.centre_admin import CentreAdminService
from sync.centre_admin import CentreView
from sync.contract.skills import LEVEL_MAX, LEVEL_MIN
from sync.contract.wire import SkillIn, UserDetailOut


class SkillsPage(QWidget):
    def __init__(self, service: CentreAdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminSkillsPage")
        self._service = service
        self._users: list[UserDetailOut] = []
        # The catalogue.
        self.catalogue = QListWidget()
        self.catalogue.setObjectName("skillCatalogue")
        self.catalogue.setAccessibleName(self.tr("Skill catalogue"))
        self.new_skill = QLineEdit()
        self.new_skill.setObjectName("newSkill")
        self.new_skill.setMaxLength(60)
        self.new_description = QLineEdit()
        self.new_description.setObjectName("newSkillDescription")
        self.new_description.setMaxLength(400)
        self.add_skill_button = QPushButton(self.tr("Add to &catalogue"))
        self.add_skill_button.setObjectName("addSkill")
        self._make_person_part()
        self.status = QLabel()
        self.status.setObjectName("skillsStatus")
        self.status.setWordWrap(True)

        self._lay_out()

        self.add_skill_button.clicked.connect(self.add_to_catalogue)
        self.person_combo.currentIndexChanged.connect(self._show_person)
        self.give_button.clicked.connect(self.give)
        self.take_button.clicked.connect(self._take)
        self.save_button.clicked.connect(self.save)
        service.loaded.connect(self._loaded)
        service.saved.connect(self.status.setText)
        service.failed.connect(self.status.setText)
        self.setEnabled(False)
        if service.view is not None:
            self._loaded(service.view)

    def _make_person_part(self) -> None:
        """One person's skills: the table, and a skill and level to give."""
        self.person_combo = QComboBox()
        self.person_combo.setObjectName("skillsPerson")
        self.levels = QTableWidget(0, 2)
        self.levels.setObjectName("skillLevels")
        self.levels.setAccessibleName(self.tr("Skills and levels"))
        self.levels.setHorizontalHeaderLabels([self.tr("Skill"), self.tr("Level")])
        self.levels.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.levels.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.levels.setTabKeyNavigation(False)
        self.skill_combo = QComboBox()
        self.skill_combo.setObjectName("skillToGive")
        self.skill_combo.setAccessibleName(self.tr("Skill to give"))
        self.level_spin = QSpinBox()
        self.level_spin.setObjectName("skillLevel")
        self.level_spin.setAccessibleName(self.tr("Level"))
        self.level_spin.setRange(LEVEL_MIN, LEVEL_MAX)
        self.give_button = QPushButton(self.tr("&Set level"))
        self.give_button.setObjectName("giveSkill")
        self.take_button = QPushButton(self.tr("&Remove skill"))
        self.take_button.setObjectName("takeSkill")
        self.save_button = QPushButton(self.tr("&Save skills"))
        self.save_button.setObjectName("skillsSave")

    def _lay_out(self) -> None:
        new = QFormLayout()
        new.addRow(self.tr("S&kill:"), self.new_skill)
        new.addRow(self.tr("&Description:"), self.new_description)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Skill catalogue")))
        left.addWidget(self.catalogue, 1)
        left.addLayout(new)
        left.addWidget(self.add_skill_button)
        give = QHBoxLayout()
        give.addWidget(self.skill_combo, 1)
        give.addWidget(self.level_spin)
        give.addWidget(self.give_button)
        give.addWidget(self.take_button)
        right = QVBoxLayout()
        person = QFormLayout()
        person.addRow(self.tr("&Person:"), self.person_combo)
        right.addLayout(person)
        right.addWidget(self.levels, 1)
        right.addLayout(give)
        right.addWidget(self.save_button)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status)

    def _loaded(self, view: CentreView) -> None:
        self.setEnabled(view.admin_routes)
        if not view.admin_routes:
            self.status.setText(
                self.tr("This server is too old to keep a skill catalogue (contract 1.6).")
            )
        self.catalogue.clear()
        self.skill_combo.clear()
        for entry in view.skills:
            text = (
                self.tr("%1 (%2 people)")
                .replace("%1", entry.skill)
                .replace("%2", str(entry.holders))
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.skill)
            item.setToolTip(entry.description)
            self.catalogue.addItem(item)
            self.skill_combo.addItem(entry.skill, entry.skill)
        chosen = self.person_combo.currentData()
        self._users = view.users
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        for user in view.users:
            self.person_combo.addItem(f"{user.display_name} ({user.username})", user.id)
        self.person_combo.setCurrentIndex(max(self.person_combo.findData(chosen), 0))
        self.person_combo.blockSignals(False)
        self._show_person()

    def person(self) -> UserDetailOut | None:
        user_id = self.person_combo.currentData()
        return next((u for u in self._users if u.id == user_id), None)

    def choose_person(self, username: str) -> None:
        for index, user in enumerate(self._users):
            if user.username == username:
                self.person_combo.setCurrentIndex(index)

    def _show_person(self) -> None:
        user = self.person()
        self.levels.setRowCount(0)
        for skill in user.skills if user is not None else []:
            self._set_row(skill.skill, skill.level)

    def _set_row(self, skill: str, level: int) -> None:
        for row in range(self.levels.rowCount()):
            item = self.levels.item(row, 0)
            if item is not None and item.text() == skill:
                self.levels.setItem(row, 1, QTableWidgetItem(str(level)))
                return
        row = self.levels.rowCount()
        self.levels.insertRow(row)
        self.levels.setItem(row, 0, QTableWidgetItem(skill))
        self.levels.setItem(row, 1, QTableWidgetItem(str(level)))

    def skills(self) -> list[SkillIn]:
        found = []
        for row in range(self.levels.rowCount()):
            name, level = self.levels.item(row, 0), self.levels.item(row, 1)
            if name is not None and level is not None:
                found.append(SkillIn(skill=name.text(), level=int(level.text())))
        return found

    def give(self) -> None:
        skill = self.skill_combo.currentText().strip()
        if skill:
            self._set_row(skill, self.level_spin.value())

    def _take(self) -> None:
        row = self.levels.currentRow()
        if row >= 0:
            self.levels.removeRow(row)

    def add_to_catalogue(self) -> None:
        name = self.new_skill.text().strip()
        if not name:
            self.status.setText(self.tr("Give the skill a name."))
            return
        self.status.setText(self.tr("Saving…"))
        self._service.save_skill(name, self.new_description.text().strip())
        self.new_skill.clear()
        self.new_description.clear()

    def save(self) -> None:
        user = self.person()
        if user is None:
            return
        self.status.setText(self.tr("Saving…"))
        self._service.save_user_skills(user.id, self.skills())
