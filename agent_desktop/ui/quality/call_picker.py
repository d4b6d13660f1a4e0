"""Picking calls to score: by filters (agent, queue, dates, disposition, talk time) or a
seeded random sample of N calls per agent in a week (the same seed gives the same calls, so
two QA colleagues can score the same sample). The server answers only the calls of the teams
the scorer sees."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.quality import QualityService
from agent_desktop.ui.admin.table_model import RowsModel
from sync.contract.quality import MAX_SAMPLE_PER_AGENT, CallFilter, QaCallOut

NO_LIMIT = -1  # a talk-time box at its minimum: no bound


class CallPicker(QWidget):
    call_chosen = Signal(object)  # QaCallOut

    def __init__(self, service: QualityService, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("qaCallPicker")
        self._service = service
        self.agent_box = QComboBox()
        self.agent_box.setAccessibleName(self.tr("Agent"))
        self.agent_box.addItem(self.tr("Every agent"), None)
        self.queue_edit = QLineEdit()
        self.queue_edit.setAccessibleName(self.tr("Queue"))
        self.disposition_edit = QLineEdit()
        self.disposition_edit.setAccessibleName(self.tr("Disposition"))
        first = QDate(today.year, today.month, today.day)
        self.since_edit = QDateEdit(first.addDays(-7))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setAccessibleName(self.tr("From"))
        self.until_edit = QDateEdit(first)
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setAccessibleName(self.tr("To"))
        self.min_talk = self._seconds(self.tr("Shortest talk time"))
        self.max_talk = self._seconds(self.tr("Longest talk time"))
        self.find_button = QPushButton(self.tr("&Find calls"))
        self.find_button.setAccessibleName(self.tr("Find calls by these filters"))
        self.find_button.clicked.connect(self.find_calls)

        self.week_edit = QDateEdit(first.addDays(-7))
        self.week_edit.setCalendarPopup(True)
        self.week_edit.setAccessibleName(self.tr("Week of"))
        self.per_agent = QSpinBox()
        self.per_agent.setRange(1, MAX_SAMPLE_PER_AGENT)
        self.per_agent.setValue(5)
        self.per_agent.setAccessibleName(self.tr("Calls per agent"))
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setAccessibleName(self.tr("Sample seed"))
        self.sample_button = QPushButton(self.tr("&Random sample"))
        self.sample_button.setAccessibleName(self.tr("Draw a random sample per agent"))
        self.sample_button.clicked.connect(self.sample)

        self.model: RowsModel[QaCallOut] = RowsModel(
            [
                lambda: self.tr("Call"),
                lambda: self.tr("Agent"),
                lambda: self.tr("Started"),
                lambda: self.tr("Queue"),
                lambda: self.tr("Talk (s)"),
                lambda: self.tr("Disposition"),
                lambda: self.tr("Evaluations"),
            ],
            lambda c: (
                str(c.interaction_id),
                c.agent_name,
                c.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                c.queue,
                str(c.talk_s),
                c.disposition,
                str(c.evaluations),
            ),
            self,
        )
        self.table = QTableView()
        self.table.setObjectName("qaCallTable")
        self.table.setAccessibleName(self.tr("Calls to score"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)

        self._lay_out()

        service.calls_loaded.connect(self.set_calls)

    def _lay_out(self) -> None:
        filters = QGroupBox(self.tr("Filters"))
        form = QFormLayout(filters)
        form.addRow(self.tr("A&gent:"), self.agent_box)
        form.addRow(self.tr("&Queue:"), self.queue_edit)
        dates = QHBoxLayout()
        dates.addWidget(self.since_edit)
        dates.addWidget(self.until_edit)
        dates_label = QLabel(self.tr("&Dates:"))
        dates_label.setBuddy(self.since_edit)
        form.addRow(dates_label, dates)
        form.addRow(self.tr("D&isposition:"), self.disposition_edit)
        talk = QHBoxLayout()
        talk.addWidget(self.min_talk)
        talk.addWidget(self.max_talk)
        talk_label = QLabel(self.tr("&Talk time:"))
        talk_label.setBuddy(self.min_talk)
        form.addRow(talk_label, talk)
        form.addRow(self.find_button)
        sampling = QGroupBox(self.tr("Random sample"))
        sample_form = QFormLayout(sampling)
        sample_form.addRow(self.tr("&Week of:"), self.week_edit)
        sample_form.addRow(self.tr("Calls &per agent:"), self.per_agent)
        sample_form.addRow(self.tr("S&eed:"), self.seed)
        sample_form.addRow(self.sample_button)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(filters, 2)
        top.addWidget(sampling, 1)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def _seconds(self, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(NO_LIMIT, 86_400)
        box.setValue(NO_LIMIT)
        box.setSuffix(self.tr(" s"))
        box.setSpecialValueText(self.tr("any"))
        box.setAccessibleName(name)
        return box

    def filters(self) -> CallFilter:
        agent = self.agent_box.currentData()
        return CallFilter(
            agent_id=agent if isinstance(agent, int) else None,
            queue=self.queue_edit.text().strip(),
            since=self.since_edit.date().toPython(),  # type: ignore[arg-type]
            until=self.until_edit.date().toPython(),  # type: ignore[arg-type]
            disposition=self.disposition_edit.text().strip(),
            min_talk_s=None if self.min_talk.value() == NO_LIMIT else self.min_talk.value(),
            max_talk_s=None if self.max_talk.value() == NO_LIMIT else self.max_talk.value(),
        )

    def find_calls(self) -> None:
        self._service.find_calls(self.filters())

    def sample(self) -> None:
        week: date = self.week_edit.date().toPython()  # type: ignore[assignment]
        self._service.sample(week, self.per_agent.value(), self.seed.value(), self.filters())

    def set_calls(self, calls: list[QaCallOut]) -> None:
        self.model.set_rows(calls)
        known = {self.agent_box.itemData(i) for i in range(self.agent_box.count())}
        for call in calls:
            if call.agent_id not in known:
                self.agent_box.addItem(call.agent_name, call.agent_id)
                known.add(call.agent_id)

    def choose(self, row: int) -> None:
        self.table.selectRow(row)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        call = self.model.item(current.row())
        if call is not None:
            self.call_chosen.emit(call)
