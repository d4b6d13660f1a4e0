"""The Workforce window (Tools ▸ Workforce, Ctrl+Shift+W; leads with ``wfm.plan``): the week
being planned on top (the coming week first), three pages — shift patterns, forecast and
staffing, the roster — and a status line that says what was just done, why a request failed,
or that the server does not plan shifts (a server before contract 1.8).

The window only shows and asks; ``WorkforceService`` talks to the server off the GUI thread.
It is made again in the new language when the language changes (as the Quality window is).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.workforce import WeekPlan, WorkforceService, monday_of, next_week
from agent_desktop.ui.workforce.patterns_editor import PatternsEditor
from agent_desktop.ui.workforce.roster_page import RosterPage
from agent_desktop.ui.workforce.staffing_page import StaffingPage
from sync.contract.wfm import PLAN, RosterOut, ShiftPatternsOut


def may_open(permissions: frozenset[str]) -> bool:
    return PLAN in permissions


class WorkforceWindow(QWidget):
    def __init__(
        self, service: WorkforceService, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("workforceWindow")
        self.setWindowTitle(self.tr("Workforce"))
        self.resize(1200, 700)  # fits a 1366×768 screen with its taskbar
        self.service = service
        self.week = next_week(today)
        self.previous_button = QPushButton(self.tr("◀ Previous week"))
        self.previous_button.clicked.connect(
            lambda _c=False: self.show_week(self.week - timedelta(7))
        )
        self.next_button = QPushButton(self.tr("Next week ▶"))
        self.next_button.clicked.connect(lambda _c=False: self.show_week(self.week + timedelta(7)))
        self.week_label = QLabel()
        self.week_label.setObjectName("workforceWeek")
        self.week_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.week_label, 1)
        bar.addWidget(self.next_button)
        self.patterns = PatternsEditor(service)
        self.staffing = StaffingPage()
        self.roster = RosterPage()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Workforce pages"))
        self.tabs.addTab(self.patterns, self.tr("Shift patterns"))
        self.tabs.addTab(self.staffing, self.tr("Forecast and staffing"))
        self.tabs.addTab(self.roster, self.tr("Roster"))
        self.status_label = QLabel()
        self.status_label.setObjectName("workforceStatus")
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)

        self.staffing.calculate_button.clicked.connect(lambda _c=False: self.load_week())
        self.roster.propose_button.clicked.connect(lambda _c=False: self.propose())
        self.roster.save_button.clicked.connect(lambda _c=False: self.save_roster(False))
        self.roster.publish_button.clicked.connect(lambda _c=False: self.save_roster(True))
        # Bound methods: Qt drops them with the window (the service outlives it).
        service.patterns_loaded.connect(self._patterns)
        service.plan_loaded.connect(self._plan)
        service.roster_changed.connect(self._roster)
        service.proposing.connect(self.roster.set_proposing)
        service.done.connect(self.status_label.setText)
        service.failed.connect(self.status_label.setText)
        service.unavailable.connect(self._unavailable)
        self.roster.set_proposing(service.is_proposing)
        if service.is_unavailable:
            self._unavailable(service.unavailable_text())
        self.show_week(self.week)
        service.load_patterns()

    def show_week(self, week: date) -> None:
        self.week = monday_of(week)
        sunday = self.week + timedelta(days=6)
        self.week_label.setText(
            self.tr("Week of %1 to %2")
            .replace("%1", self.week.isoformat())
            .replace("%2", sunday.isoformat())
        )
        self.load_week()

    def load_week(self) -> None:
        self.service.load_plan(self.week, self.staffing.target())

    def propose(self) -> None:
        self.status_label.setText(
            self.tr("The server is proposing a roster for the week of %1…").replace(
                "%1", self.week.isoformat()
            )
        )
        self.service.propose(self.week, self.staffing.target())

    def save_roster(self, publish: bool) -> None:
        self.service.save_roster(self.week, self.roster.model.roster_in(publish))

    def _patterns(self, found: ShiftPatternsOut) -> None:
        self.roster.set_patterns(list(found.patterns))

    def _plan(self, plan: WeekPlan) -> None:
        if plan.week != self.week:
            return  # an answer for a week the lead has left
        self.staffing.show_plan(plan)
        self.roster.show_plan(plan)

    def _roster(self, roster: RosterOut) -> None:
        if roster.week != self.week:
            return
        self.roster.show_roster(roster)
        plan = self.service.plan
        if plan is not None and plan.week == self.week:
            self.staffing.show_plan(plan)

    def _unavailable(self, text: str) -> None:
        self.status_label.setText(text)
        for page in (self.patterns, self.staffing, self.roster):
            page.setEnabled(False)
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(False)
