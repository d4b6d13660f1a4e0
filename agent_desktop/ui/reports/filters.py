"""The Reports window's filter: dates, granularity, team, queue, agent, channel, product line.
Each list starts with "All"; an agent's desk shows their own name, fixed (the server answers
their own figures whatever is asked). Quick ranges (yesterday, last 7 days, this month) set
the dates."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from agent_desktop.services.report_reading import ReportChoices, ReportFilter
from sync.contract.reports import Granularity


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class FilterBar(QWidget):
    asked = Signal(object)  # ReportFilter

    def __init__(
        self, today: date, own_only: bool, own_name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportFilter")
        self._today = today
        self.own_only = own_only
        self.own_name = own_name
        self.start_edit = QDateEdit(_qdate(today - timedelta(days=6)))
        self.end_edit = QDateEdit(_qdate(today))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.start_edit.setAccessibleName(self.tr("From"))
        self.end_edit.setAccessibleName(self.tr("To"))
        self.range_box = QComboBox()
        self.range_box.setAccessibleName(self.tr("Quick range"))
        for label, days in (
            (self.tr("Last 7 days"), 7),
            (self.tr("Today"), 1),
            (self.tr("Yesterday"), -1),
            (self.tr("Last 30 days"), 30),
            (self.tr("This month"), 0),
        ):
            self.range_box.addItem(label, days)
        self.range_box.activated.connect(self._quick_range)
        self.granularity_box = QComboBox()
        self.granularity_box.setAccessibleName(self.tr("By"))
        for label, value in (
            (self.tr("15 minutes"), Granularity.INTERVAL),
            (self.tr("Day"), Granularity.DAY),
            (self.tr("Week"), Granularity.WEEK),
            (self.tr("Month"), Granularity.MONTH),
        ):
            self.granularity_box.addItem(label, value.value)
        self.granularity_box.setCurrentIndex(1)
        self.team_box = self._list(self.tr("Team"))
        self.queue_box = self._list(self.tr("Queue"))
        self.agent_box = self._list(self.tr("Agent"))
        self.channel_box = self._list(self.tr("Channel"))
        self.product_box = self._list(self.tr("Product line"))
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setObjectName("reportShow")
        self.show_button.setAccessibleName(self.tr("Show the reports for this filter"))
        self.show_button.clicked.connect(self.ask)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        cells: list[tuple[str, QWidget]] = [
            (self.tr("From"), self.start_edit),
            (self.tr("To"), self.end_edit),
            (self.tr("Range"), self.range_box),
            (self.tr("By"), self.granularity_box),
            (self.tr("Team"), self.team_box),
            (self.tr("Queue"), self.queue_box),
            (self.tr("Agent"), self.agent_box),
            (self.tr("Channel"), self.channel_box),
            (self.tr("Product line"), self.product_box),
        ]
        for n, (text, widget) in enumerate(cells):
            name = QLabel(text)
            name.setBuddy(widget)
            row, col = divmod(n, 5)
            grid.addWidget(name, row * 2, col)
            grid.addWidget(widget, row * 2 + 1, col)
        grid.addWidget(self.show_button, 3, 4)

    def _list(self, name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem(self.tr("All"), "")
        box.setMinimumContentsLength(10)
        return box

    def set_choices(self, choices: ReportChoices) -> None:
        for box, items in (
            (self.team_box, choices.teams),
            (self.queue_box, choices.queues),
            (self.agent_box, choices.agents),
            (self.channel_box, choices.channels),
            (self.product_box, choices.product_lines),
        ):
            kept = box.currentData()
            box.clear()
            box.addItem(self.tr("All"), "")
            for item in items:
                box.addItem(item.label, item.value)
            found = box.findData(kept)
            box.setCurrentIndex(max(0, found))
        if self.own_only:
            # An agent's figures are their own: the team and agent lists say so, fixed.
            self.agent_box.clear()
            self.agent_box.addItem(self.own_name or self.tr("Me"), "")
            for box in (self.agent_box, self.team_box):
                box.setEnabled(False)

    def _quick_range(self, index: int) -> None:
        days = int(self.range_box.itemData(index))
        today = self._today
        if days == -1:
            start = end = today - timedelta(days=1)
        elif days == 0:
            start, end = today.replace(day=1), today
        else:
            start, end = today - timedelta(days=days - 1), today
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))

    def set_range(self, start: date, end: date) -> None:
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))

    def set_granularity(self, granularity: Granularity) -> None:
        self.granularity_box.setCurrentIndex(self.granularity_box.findData(granularity.value))

    @staticmethod
    def choose(box: QComboBox, value: str) -> None:
        box.setCurrentIndex(max(0, box.findData(value)))

    def current(self) -> ReportFilter:
        start, end = _day(self.start_edit.date()), _day(self.end_edit.date())
        if end < start:
            start, end = end, start

        def picked(box: QComboBox) -> str | None:
            value = box.currentData()
            return str(value) if value else None

        team, agent = picked(self.team_box), picked(self.agent_box)
        return ReportFilter(
            start=start,
            end=end,
            granularity=Granularity(self.granularity_box.currentData()),
            team_id=int(team) if team and team.isdigit() else None,
            queue=picked(self.queue_box),
            agent_id=int(agent) if agent and agent.isdigit() and not self.own_only else None,
            channel=picked(self.channel_box),
            product_line=picked(self.product_box),
        )

    def ask(self) -> None:
        self.asked.emit(self.current())
