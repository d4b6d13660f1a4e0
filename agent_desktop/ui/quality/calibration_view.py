"""Calibration: two evaluations of the same call side by side, item by item; the items the two
evaluators answered differently are highlighted, and the difference of their scores shown."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.quality import QualityService
from agent_desktop.ui.appearance import colour
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.quality.evaluations_view import answer_text
from sync.contract.quality import CalibrationOut, EvaluationOut


class CalibrationView(QWidget):
    def __init__(self, service: QualityService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qaCalibration")
        self._service = service
        self.shown: CalibrationOut | None = None
        self.first_box = QComboBox()
        self.first_box.setAccessibleName(self.tr("First evaluation"))
        self.second_box = QComboBox()
        self.second_box.setAccessibleName(self.tr("Second evaluation"))
        self.compare_button = QPushButton(self.tr("&Compare"))
        self.compare_button.setAccessibleName(self.tr("Compare the two evaluations"))
        self.compare_button.clicked.connect(self.compare)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("qaCalibrationTable")
        self.table.setAccessibleName(self.tr("Answers side by side"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.difference_label = QLabel()
        self.difference_label.setObjectName("qaScoreDifference")
        self.difference_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&First:"), self.first_box)
        form.addRow(self.tr("&Second:"), self.second_box)
        form.addRow(self.compare_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.difference_label)
        layout.addWidget(self.table, 1)
        service.evaluations_loaded.connect(self.set_evaluations)
        service.calibration_loaded.connect(self.show_calibration)

    def set_evaluations(self, evaluations: list[EvaluationOut]) -> None:
        for box in (self.first_box, self.second_box):
            chosen = box.currentData()
            box.clear()
            for e in evaluations:
                box.addItem(
                    self.tr("%1 · call %2 · %3 · %4 %")
                    .replace("%1", str(e.id))
                    .replace("%2", str(e.interaction_id or e.recording_id))
                    .replace("%3", e.evaluator_name)
                    .replace("%4", f"{e.score_pct:g}"),
                    e.id,
                )
            index = box.findData(chosen)
            box.setCurrentIndex(max(index, 0))
        if self.second_box.count() > 1 and self.second_box.currentIndex() == 0:
            self.second_box.setCurrentIndex(1)

    def compare(self) -> None:
        first, second = self.first_box.currentData(), self.second_box.currentData()
        if isinstance(first, int) and isinstance(second, int):
            self._service.calibrate(first, second)

    def show_calibration(self, out: CalibrationOut) -> None:
        self.shown = out
        self.table.setHorizontalHeaderLabels(
            [self.tr("Item"), out.first.evaluator_name, out.second.evaluator_name]
        )
        self.table.setRowCount(len(out.items))
        marked = colour(ColourRole.WARNING)
        marked.setAlpha(60)
        for row, item in enumerate(out.items):
            cells = (item.label, answer_text(item.first), answer_text(item.second))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if item.differs:
                    cell.setBackground(marked)
                    cell.setToolTip(self.tr("The two evaluators differ here."))
                self.table.setItem(row, column, cell)
        differing = sum(1 for item in out.items if item.differs)
        self.difference_label.setText(
            self.tr("%1: %2 % · %3: %4 % · difference %5 points · %6 of %7 items differ")
            .replace("%1", out.first.evaluator_name)
            .replace("%2", f"{out.first.score_pct:g}")
            .replace("%3", out.second.evaluator_name)
            .replace("%4", f"{out.second.score_pct:g}")
            .replace("%5", f"{out.score_difference:+g}")
            .replace("%6", str(differing))
            .replace("%7", str(len(out.items)))
        )
