"""The week's roster (the Workforce window's third page): Propose (the server's optimiser;
the button says it is working and the window stays usable), the grid agent × day with each
shift and its breaks, the lead's changes (a cell's menu: another pattern, or a day off), Save
and Publish, and under the grid the week's coverage with under- and over-staffed intervals
marked.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.workforce import WeekPlan
from agent_desktop.ui.workforce.roster_model import DAY_OFF, RosterModel
from agent_desktop.ui.workforce.staffing_chart import StaffingChart
from agent_desktop.ui.workforce.staffing_page import series_of
from sync.contract.wfm import RosterOut, RosterStatus, ShiftPattern, SolveStatus

CELL_LINES = 5  # name, hours, two breaks and a lunch at most


def configure_grid(table: QTableView) -> None:
    """The roster grid's view: a day per column across the width, rows of a fixed height
    that holds a cell's lines. Fixed, not fitted to contents: fitting asks every cell of a
    200-agent week for its size at each reset, on the GUI thread (bench_workforce_ui.py)."""
    table.setTabKeyNavigation(False)
    table.setWordWrap(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().lineSpacing() * CELL_LINES + 8)


class RosterPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterPage")
        self.model = RosterModel(self)
        self.propose_button = QPushButton(self.tr("Propose roster"))
        self.propose_button.setObjectName("proposeRoster")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveRoster")
        self.publish_button = QPushButton(self.tr("Publish"))
        self.publish_button.setObjectName("publishRoster")
        self.publish_button.setToolTip(self.tr("The team's agents see their shifts at once"))
        self.status_label = QLabel()
        self.status_label.setObjectName("rosterStatus")
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.propose_button, self.save_button, self.publish_button):
            buttons.addWidget(button)
        buttons.addWidget(self.status_label, 1)
        self.table = QTableView()
        self.table.setObjectName("rosterGrid")
        self.table.setAccessibleName(self.tr("Roster: agents by day"))
        self.table.setModel(self.model)
        configure_grid(self.table)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._cell_menu)
        self.table.doubleClicked.connect(
            lambda index: self._cell_menu(self.table.visualRect(index).center())
        )
        self.chart = StaffingChart(with_calls=False)
        self.chart.setMinimumHeight(170)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([520, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.menu: QMenu | None = None
        self.plan: WeekPlan | None = None
        self._show_buttons()
        self.model.dataChanged.connect(lambda *_a: self._edited())

    # -- showing ---------------------------------------------------------------------------------

    def set_patterns(self, patterns: list[ShiftPattern]) -> None:
        self.model.set_patterns(patterns)

    def show_plan(self, plan: WeekPlan) -> None:
        self.plan = plan
        self.show_roster(plan.roster)

    def show_roster(self, roster: RosterOut | None) -> None:
        plan = self.plan
        if plan is None:
            return
        if roster is not None and roster.week != plan.week:
            return
        self.plan = replace(plan, roster=roster)
        self.model.set_roster(roster, plan.week, plan.agents)
        self.chart.show_series(series_of(plan, roster))
        self.status_label.setText(self.status_text(roster))
        self._show_buttons()

    def status_text(self, roster: RosterOut | None) -> str:
        if roster is None:
            return self.tr("No roster for this week yet: propose one.")
        if roster.status is RosterStatus.PUBLISHED:
            state = self.tr("Published (version %1): the agents see it.")
        elif roster.solve_status is not SolveStatus.MANUAL:
            state = self.tr("Proposed by the server (version %1), not published.")
        else:
            state = self.tr("Saved, not published (version %1).")
        return (
            state.replace("%1", str(roster.version))
            + " "
            + self.tr("%1 intervals under-staffed, %2 over-staffed.")
            .replace("%1", str(roster.under_intervals))
            .replace("%2", str(roster.over_intervals))
        )

    def set_proposing(self, busy: bool) -> None:
        self._busy = busy
        self.propose_button.setText(
            self.tr("The server is proposing…") if busy else self.tr("Propose roster")
        )
        self._show_buttons()

    _busy = False

    @property
    def published(self) -> bool:
        roster = self.model.roster
        return roster is not None and roster.status is RosterStatus.PUBLISHED

    def _edited(self) -> None:
        if self.model.changed:
            self.status_label.setText(
                self.tr("Changed: save or publish to have the coverage counted again.")
            )
        self._show_buttons()

    def _show_buttons(self) -> None:
        has = self.model.rowCount() > 0
        self.save_button.setEnabled(has)
        self.publish_button.setEnabled(has)
        # A published week is changed in the grid and published again; the server refuses a
        # new proposal for it.
        self.propose_button.setEnabled(not self._busy and not self.published)
        self.propose_button.setToolTip(
            self.tr("This week is published: change it in the grid and publish again")
            if self.published
            else self.tr(
                "The server finds the roster with the fewest under- and over-staffed intervals"
            )
        )

    # -- the lead's changes ----------------------------------------------------------------------

    def _cell_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.menu = self.cell_menu(index.row(), index.column())
        self.menu.popup(self.table.viewport().mapToGlobal(point))

    def cell_menu(self, row: int, column: int) -> QMenu:
        """Another pattern for the cell, or a day off."""
        menu = QMenu(self)
        for pattern in self.model.patterns.values():
            action = menu.addAction(pattern.name)
            action.triggered.connect(
                lambda _c=False, k=pattern.key: self.model.set_shift(row, column, k)
            )
        menu.addSeparator()
        off = menu.addAction(self.tr("Day off"))
        off.triggered.connect(lambda _c=False: self.model.set_shift(row, column, DAY_OFF))
        return menu
