"""The scorecard editor: a scorecard's name, pass mark and items, one row each (section, key,
label, weight, critical, N/A allowed). Saving an existing scorecard makes a new version on the
server (evaluations keep theirs); another editor's save in between comes back as a conflict
and their version is shown. The server checks the same rules (unique keys, some weight)."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.quality import QualityService
from sync.contract.quality import ScorecardIn, ScorecardItem, ScorecardOut, ScorecardSection

SECTION, KEY, LABEL, WEIGHT, CRITICAL, ALLOW_NA = range(6)


class ScorecardEditor(QWidget):
    def __init__(self, service: QualityService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qaScorecardEditor")
        self._service = service
        self.editing: ScorecardOut | None = None  # None: a new scorecard
        self._shown: tuple[int, int] | None = (0, 0)  # (id, version) in the table; None: new
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Scorecard to edit"))
        self.choice.currentIndexChanged.connect(self._chosen)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Scorecard name"))
        self.pass_spin = QSpinBox()
        self.pass_spin.setRange(0, 100)
        self.pass_spin.setSuffix(" %")
        self.pass_spin.setValue(80)
        self.pass_spin.setAccessibleName(self.tr("Pass mark"))
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("qaScorecardItems")
        self.table.setAccessibleName(self.tr("Scorecard items"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Section"),
                self.tr("Key"),
                self.tr("Item"),
                self.tr("Weight"),
                self.tr("Critical"),
                self.tr("N/A allowed"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("&Add item"))
        self.add_button.setAccessibleName(self.tr("Add an item"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(self.tr("&Remove item"))
        self.remove_button.setAccessibleName(self.tr("Remove the chosen item"))
        self.remove_button.clicked.connect(self._remove_row)
        self.save_button = QPushButton(self.tr("&Save scorecard"))
        self.save_button.setAccessibleName(self.tr("Save the scorecard as a new version"))
        self.save_button.clicked.connect(self.save)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("qaScorecardProblem")
        self.problem_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("&Edit:"), self.choice)
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Pass mark:"), self.pass_spin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problem_label)
        service.scorecards_loaded.connect(self.set_scorecards)
        service.scorecard_conflict.connect(self.show_scorecard)
        service.scorecard_saved.connect(self._saved)
        self.set_scorecards([])

    def set_scorecards(self, scorecards: list[ScorecardOut]) -> None:
        editing = self.editing.id if self.editing is not None else None
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(self.tr("New scorecard"), None)
        for card in scorecards:
            self.choice.addItem(card.name, card)
        self.choice.blockSignals(False)
        index = next((i + 1 for i, c in enumerate(scorecards) if c.id == editing), 0)
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(index)
        self.choice.blockSignals(False)
        # The same scorecard at the same version as on screen: the edits in progress stay (a
        # list read again is no reason to lose what the user typed).
        card = self.choice.itemData(index)
        listed = (card.id, card.version) if isinstance(card, ScorecardOut) else None
        if listed != self._shown:
            self._chosen(index)

    def _saved(self, card: ScorecardOut) -> None:
        """The saved version is the one edited next (the list read again selects it; the
        table already says what was saved)."""
        self.editing = card
        self._shown = (card.id, card.version)

    def _chosen(self, index: int) -> None:
        card = self.choice.itemData(index)
        self.show_scorecard(card if isinstance(card, ScorecardOut) else None)

    def show_scorecard(self, card: ScorecardOut | None) -> None:
        self.editing = card
        self._shown = (card.id, card.version) if card is not None else None
        self.problem_label.clear()
        self.table.setRowCount(0)
        if card is None:
            self.name_edit.clear()
            self.pass_spin.setValue(80)
            self.add_row()
            return
        self.name_edit.setText(card.name)
        self.pass_spin.setValue(card.pass_pct)
        for section in card.sections:
            for item in section.items:
                self.add_row(section.title, item)

    def add_row(self, section: str = "", item: ScorecardItem | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, SECTION, QTableWidgetItem(section))
        self.table.setItem(row, KEY, QTableWidgetItem(item.key if item else f"item{row + 1}"))
        self.table.setItem(row, LABEL, QTableWidgetItem(item.label if item else ""))
        weight = QSpinBox()
        weight.setRange(0, 100)
        weight.setValue(item.weight if item else 1)
        weight.setAccessibleName(self.tr("Weight"))
        self.table.setCellWidget(row, WEIGHT, weight)
        for column, checked in (
            (CRITICAL, item.critical if item else False),
            (ALLOW_NA, item.allow_na if item else True),
        ):
            cell = QTableWidgetItem()
            cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            cell.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.table.setItem(row, column, cell)

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _text(self, row: int, column: int) -> str:
        cell = self.table.item(row, column)
        return cell.text().strip() if cell is not None else ""

    def _checked(self, row: int, column: int) -> bool:
        cell = self.table.item(row, column)
        return cell is not None and cell.checkState() == Qt.CheckState.Checked

    def scorecard(self) -> ScorecardIn:
        """What the table says, as the contract checks it (``ValidationError``)."""
        sections: dict[str, list[ScorecardItem]] = {}
        for row in range(self.table.rowCount()):
            weight = self.table.cellWidget(row, WEIGHT)
            title = self._text(row, SECTION) or self.tr("General")
            sections.setdefault(title, []).append(
                ScorecardItem(
                    key=self._text(row, KEY),
                    label=self._text(row, LABEL),
                    weight=weight.value() if isinstance(weight, QSpinBox) else 1,
                    critical=self._checked(row, CRITICAL),
                    allow_na=self._checked(row, ALLOW_NA),
                )
            )
        return ScorecardIn(
            name=self.name_edit.text(),
            pass_pct=self.pass_spin.value(),
            sections=[ScorecardSection(title=t, items=items) for t, items in sections.items()],
            version=self.editing.version if self.editing is not None else 0,
        )

    def save(self) -> None:
        try:
            card = self.scorecard()
        except (ValidationError, ValueError) as exc:
            errors = exc.errors() if isinstance(exc, ValidationError) else []
            where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
            said = errors[0]["msg"] if errors else str(exc)
            self.problem_label.setText(
                self.tr("Not saved: %1").replace("%1", f"{where} {said}".strip())
            )
            return
        self.problem_label.clear()
        self._service.save_scorecard(card, self.editing.id if self.editing else None)
