"""The Quality window (Tools ▸ Quality): one page per part the signed-in user may use.

- "Score calls" (``qa.score``): the call picker beside the scoring form and its player;
- "Evaluations" (everyone with quality permissions): a scorer's teams', or an agent's own
  ("My evaluations"), with disputes and answers;
- "Scorecards" (``qa.manage_scorecards``): the editor;
- "Calibration" (``qa.score``): two evaluations side by side.

A status line says what was just done, why a request failed, or that the server has no
quality scoring (a server before contract 1.7). The player comes from a factory the
composition root passes (``ui/quality/player.py``)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from agent_desktop.services.quality import QualityService
from agent_desktop.ui.quality.calibration_view import CalibrationView
from agent_desktop.ui.quality.call_picker import CallPicker
from agent_desktop.ui.quality.evaluations_view import EvaluationsView
from agent_desktop.ui.quality.player import MomentField, PlayerFactory
from agent_desktop.ui.quality.scorecard_editor import ScorecardEditor
from agent_desktop.ui.quality.scoring_form import ScoringForm
from sync.contract.quality import QA_PERMISSIONS


def may_open(permissions: frozenset[str]) -> bool:
    return bool(permissions & QA_PERMISSIONS)


class QualityWindow(QWidget):
    def __init__(
        self,
        service: QualityService,
        today: date,
        player_factory: PlayerFactory = MomentField,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("qualityWindow")
        self.setWindowTitle(self.tr("Quality"))
        self.resize(1100, 720)
        self.service = service
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Quality pages"))
        self.picker: CallPicker | None = None
        self.form: ScoringForm | None = None
        self.editor: ScorecardEditor | None = None
        self.calibration: CalibrationView | None = None
        if service.scores:
            self.picker = CallPicker(service, today)
            self.form = ScoringForm(service, player_factory())
            self.picker.call_chosen.connect(self.form.set_call)
            split = QSplitter()
            split.addWidget(self.picker)
            split.addWidget(self.form)
            self.tabs.addTab(split, self.tr("Score calls"))
        self.evaluations = EvaluationsView(service, player_factory())
        self.tabs.addTab(
            self.evaluations,
            self.tr("Evaluations") if service.scores else self.tr("My evaluations"),
        )
        if service.keeps_scorecards:
            self.editor = ScorecardEditor(service)
            self.tabs.addTab(self.editor, self.tr("Scorecards"))
        if service.scores:
            self.calibration = CalibrationView(service)
            self.tabs.addTab(self.calibration, self.tr("Calibration"))
        self.status_label = QLabel()
        self.status_label.setObjectName("qaStatus")
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)
        service.done.connect(self.status_label.setText)
        service.failed.connect(self.status_label.setText)
        service.unavailable.connect(self.status_label.setText)
        service.noticed.connect(lambda _n: self.status_label.setText(self._noticed_text()))
        self.reload()

    def _noticed_text(self) -> str:
        return self.tr("An evaluation changed; the list is read again.")

    def reload(self) -> None:
        if self.service.scores or self.service.keeps_scorecards:
            self.service.load_scorecards()
        self.service.load_evaluations()
