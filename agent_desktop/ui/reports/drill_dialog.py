"""The records behind a number: the interactions (calls) and the tickets the server counted in
it. A ticket opens in the desk's ticket form (``ticket_wanted``), as from the Tickets tab."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.report_reading import DrillInteraction, DrillResult, DrillTicket
from agent_desktop.ui.admin.table_model import RowsModel
from agent_desktop.ui.models.tickets_model import status_label
from agent_desktop.ui.reports.cells import NOTHING, duration


def kind_label(kind: str) -> str:
    return {
        "call_in": QCoreApplication.translate("DrillDialog", "Inbound call"),
        "call_out": QCoreApplication.translate("DrillDialog", "Outbound call"),
        "email": QCoreApplication.translate("DrillDialog", "E-mail"),
        "web": QCoreApplication.translate("DrillDialog", "Web"),
        "sms": QCoreApplication.translate("DrillDialog", "SMS"),
    }.get(kind, kind)


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else NOTHING


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setTabKeyNavigation(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class DrillDialog(QDialog):
    ticket_wanted = Signal(int)  # a ticket's id: open it in the ticket form
    more_wanted = Signal(object, int)  # DrillTarget, offset: the next page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDrill")
        self.resize(900, 480)
        self.calls: RowsModel[DrillInteraction] = RowsModel(
            [
                lambda: self.tr("Started"),
                lambda: self.tr("Agent"),
                lambda: self.tr("Queue"),
                lambda: self.tr("Channel"),
                lambda: self.tr("Outcome"),
                lambda: self.tr("Wait"),
                lambda: self.tr("Talk"),
                lambda: self.tr("Customer"),
            ],
            lambda i: [
                _when(i.started_at),
                i.agent,
                i.queue,
                kind_label(i.channel),
                i.outcome,
                duration(i.wait_s) if i.wait_s is not None else NOTHING,
                duration(i.talk_s) if i.talk_s is not None else NOTHING,
                i.customer,
            ],
            self,
        )
        self.tickets: RowsModel[DrillTicket] = RowsModel(
            [
                lambda: self.tr("Ticket"),
                lambda: self.tr("Opened"),
                lambda: self.tr("Status"),
                lambda: self.tr("Category"),
                lambda: self.tr("Summary"),
            ],
            lambda t: [t.number, _when(t.opened_at), status_label(t.status), t.category, t.summary],
            self,
        )
        self.calls_table = _table("drillCalls")
        self.calls_table.setModel(self.calls)
        self.calls_table.setAccessibleName(self.tr("Calls behind the number"))
        self.tickets_table = _table("drillTickets")
        self.tickets_table.setModel(self.tickets)
        self.tickets_table.setAccessibleName(self.tr("Tickets behind the number"))
        self.tickets_table.doubleClicked.connect(self._open_ticket)
        self.tickets_table.activated.connect(self._open_ticket)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.calls_table, "")
        self.tabs.addTab(self.tickets_table, "")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.shown: DrillResult | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.more_button = buttons.addButton(
            self.tr("Show &more"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.more_button.setObjectName("drillMore")
        self.more_button.clicked.connect(self.ask_more)
        self.more_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def show_result(self, result: DrillResult) -> None:
        """A first page replaces what was listed; a next page of the same number adds to it."""
        previous = self.shown
        if result.offset and previous is not None and previous.target == result.target:
            result = replace(
                result,
                interactions=previous.interactions + result.interactions,
                tickets=previous.tickets + result.tickets,
            )
        self.shown = result
        self.setWindowTitle(result.target.title)
        self.calls.set_rows(result.interactions)
        self.tickets.set_rows(result.tickets)
        self.tabs.setTabText(0, self.tr("Calls (%1)").replace("%1", str(len(result.interactions))))
        self.tabs.setTabText(1, self.tr("Tickets (%1)").replace("%1", str(len(result.tickets))))
        if not result.offset:
            self.tabs.setCurrentIndex(0 if result.interactions or not result.tickets else 1)
        notes = []
        listed = len(result.interactions) + len(result.tickets)
        if result.truncated:
            notes.append(
                self.tr("%1 of %2 listed.")
                .replace("%1", str(listed))
                .replace("%2", str(result.total))
            )
        if result.tickets:
            notes.append(self.tr("Double-click a ticket to open it."))
        if not listed:
            notes.append(self.tr("The server lists no records behind this number."))
        self.note.setText(" ".join(notes))
        self.more_button.setVisible(result.truncated)

    def ask_more(self) -> None:
        result = self.shown
        if result is not None and result.truncated:
            listed = len(result.interactions) + len(result.tickets)
            self.more_wanted.emit(result.target, listed)

    def _open_ticket(self, index: QModelIndex) -> None:
        ticket = self.tickets.item(index.row())
        if ticket is not None:
            self.ticket_wanted.emit(ticket.id)

    def open_ticket_row(self, row: int) -> None:
        self._open_ticket(self.tickets.index(row, 0))
