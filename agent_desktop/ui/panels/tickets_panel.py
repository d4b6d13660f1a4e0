"""The Tickets tab: my tickets, the team queue, overdue, complaints; search by number, customer,
serial number; a new ticket for the customer on screen; each ticket opens in its own form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.desk_labels import chinese_in_use
from agent_desktop.services.ticket_index import TicketDiff, TicketLines
from agent_desktop.services.work import WorkService
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from agent_desktop.ui.fit import fit_headers
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.ticket_filter import TicketFilter
from agent_desktop.ui.models.ticket_prep import TicketPreparer
from agent_desktop.ui.models.tickets_model import (
    COLUMNS,
    Column,
    PreparedFill,
    TicketTableModel,
    View,
)
from sync.work_views import TicketLine

TICK_MS = 30_000
SEARCH_DELAY_MS = 250
SEARCH_AT_ONCE_ROWS = 5_000


class TicketsPanel(QWidget):
    form_opened = Signal(object)  # TicketForm: the window wires its dispatch and transfer

    def __init__(
        self, work: WorkService, language: str = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ticketsPanel")
        self._work = work
        self._language = language
        self.forms: dict[int, TicketForm] = {}
        self._customer: tuple[int, int | None, bool] | None = None  # id, contact, on a call
        self.model = TicketTableModel(now=work.now, language=language, parent=self)
        # The rows, their keys and every view's sorted list are made on the work thread.
        self.preparer = TicketPreparer(lambda: work.user_id, work.now, language)
        work.ticket_shaper = self.preparer
        self.proxy = TicketFilter(lambda: work.user_id, work.now, self, self.preparer)
        self.proxy.setSourceModel(self.model)
        self._texts = LiveTexts()  # (retranslate)
        self._build_views()
        self.views.currentChanged.connect(self._view_changed)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("ticketSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._typed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self._search(self.search_edit.text()))
        self.new_button = QPushButton()
        self._texts.bind(self.new_button.setText, lambda: self.tr("New ticket…"))
        self.new_button.setObjectName("newTicket")
        self.new_button.setEnabled(False)
        self.new_button.clicked.connect(self._new_clicked)
        self.count_label = QLabel()
        self.count_label.setObjectName("ticketCount")
        self.table = self._build_table()
        self._label_controls()
        top = QHBoxLayout()
        top.addWidget(self.views)
        top.addStretch(1)
        top.addWidget(self.count_label)
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        work.tickets_loaded.connect(self.show_tickets)
        work.tickets_changed.connect(self.apply_changes)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _build_views(self) -> None:
        """The tabs over the list: which tickets it shows."""
        self.views = QTabBar()
        self.views.setObjectName("ticketViews")
        self._view_order = [
            View.MINE,
            View.TEAM,
            View.EMAIL,
            View.OVERDUE,
            View.COMPLAINTS,
            View.ALL,
        ]
        for label in (
            lambda: self.tr("My tickets"),
            lambda: self.tr("Team queue"),
            lambda: self.tr("Email waiting"),
            lambda: self.tr("Overdue"),
            lambda: self.tr("Complaints"),
            lambda: self.tr("All"),
        ):
            self._texts.bind(partial(self.views.setTabText, self.views.addTab("")), label)

    def _label_controls(self) -> None:
        """What the controls say to a sighted agent and a screen reader (placeholders, tips, names
        for controls whose visible label a screen reader cannot find)."""
        self._texts.bind(
            self.new_button.setToolTip, lambda: self.tr("Open a customer (or take a call) first")
        )
        self._texts.bind(
            self.search_edit.setPlaceholderText,
            lambda: self.tr("Search: ticket number, customer, serial number, model, summary"),
        )
        self._texts.bind(self.search_edit.setAccessibleName, lambda: self.tr("Search tickets"))

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        table.setObjectName("ticketTable")
        self._texts.bind(table.setAccessibleName, lambda: self.tr("Tickets"))
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(COLUMNS.index(Column.RESOLVE), Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        # Uniform rows: the view asks no size of 50,000 rows (smooth scrolling).
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        table.setWordWrap(False)
        for column, width in (
            (Column.NUMBER, 140),
            (Column.SUMMARY, 220),
            (Column.CUSTOMER, 150),
            (Column.STATUS, 110),
            (Column.PRIORITY, 50),
            (Column.CATEGORY, 150),
            (Column.CHANNEL, 70),
            (Column.HANDLER, 90),
            (Column.OPENED, 90),
            (Column.RESPONSE, 120),
            (Column.RESOLVE, 140),
            (Column.SYNC, 90),
        ):
            table.setColumnWidth(COLUMNS.index(column), width)
        # The priority and the two SLA clocks are read at a glance: their titles whole ("P"
        # was all of 优先级 at 50 px); the rest give up their middle, with a tooltip.
        whole = (Column.PRIORITY, Column.STATUS, Column.RESPONSE, Column.RESOLVE)
        fit_headers(table, [COLUMNS.index(column) for column in whole])
        table.activated.connect(self._activated)
        return table

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The panel's texts, the rows' texts and the count in the language now in use; the
        list is made again on the work thread for its sort keys (texts sort by language)."""
        self._texts.retranslate()
        language = "zh" if chinese_in_use() else "en"
        if language != self._language:
            self._language = language
            self.model.relabel(language)
            self.preparer.set_language(language)
            if self.model.rowCount():
                self._work.load_tickets()
        self._count()

    def start(self) -> None:
        """Signed in: read the tickets (and keep them current)."""
        self._work.load_tickets()

    def show_tickets(self, lines: list[TicketLine]) -> None:
        """A whole new list (sign-in, sign-out)."""
        prepared = lines.prepared if isinstance(lines, TicketLines) else None
        with self._selection_kept():
            self.model.set_rows(lines, prepared if isinstance(prepared, PreparedFill) else None)
        self._count()
        # The rows were made, and frozen out of the cyclic collector's way, on the work thread
        # (services/work.py, _no_full_collections): the collector is managed in one place.

    def apply_changes(self, diff: TicketDiff) -> None:
        """Synced or local changes to some tickets: their rows only (no reset; the selection
        and the current row follow their tickets by themselves)."""
        self.model.apply(diff)
        self._count()

    @contextmanager
    def _selection_kept(self) -> Iterator[None]:
        # For what replaces the table's rows: the same ticket stays selected if still shown.
        selected = self.selected_id()
        yield
        if selected is not None:
            self.select(selected)

    def _count(self) -> None:
        self.count_label.setText(
            self.tr("%1 of %2 tickets")
            .replace("%1", str(self.proxy.rowCount()))
            .replace("%2", str(self.model.rowCount()))
        )

    def _tick(self) -> None:
        self.model.tick()
        self.proxy.catch_up()  # a ticket may just have become overdue
        self._count()

    def _view_changed(self, index: int) -> None:
        with self._selection_kept():
            self.proxy.set_view(self._view_order[index])
        self._count()

    def set_view(self, view: View) -> None:
        self.views.setCurrentIndex(self._view_order.index(view))

    def _typed(self, text: str) -> None:
        # A long list is filtered once the agent pauses (20-30 ms per pass and its repaint at
        # 50,000 rows, bench_tickets.py: too much for every key); a short one at every key.
        if self.model.rowCount() > SEARCH_AT_ONCE_ROWS:
            self._search_timer.start()
        else:
            self._search(text)

    def _search(self, text: str) -> None:
        with self._selection_kept():
            self.proxy.set_search(text)
        self._count()

    def visible_numbers(self) -> list[str]:
        return [
            self.proxy.data(self.proxy.index(r, COLUMNS.index(Column.NUMBER)))
            for r in range(self.proxy.rowCount())
        ]

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        line = self.proxy.data(rows[0], Qt.ItemDataRole.UserRole)
        return line.id if isinstance(line, TicketLine) else None

    def select(self, ticket_id: int) -> None:
        row = self.proxy.row_of(ticket_id)
        if row >= 0:
            self.table.selectRow(row)

    def _activated(self, index: QModelIndex) -> None:
        line = self.proxy.data(index, Qt.ItemDataRole.UserRole)
        if isinstance(line, TicketLine):
            self.open_ticket(line.id)

    # -- forms --------------------------------------------------------------------------------

    def set_customer(
        self, customer_id: int | None, contact_id: int | None = None, on_call: bool = False
    ) -> None:
        """The customer on screen (the 360): a new ticket is for them."""
        self._customer = (customer_id, contact_id, on_call) if customer_id is not None else None
        self.new_button.setEnabled(customer_id is not None)

    def set_on_call(self, on_call: bool) -> None:
        if self._customer is not None:
            self._customer = (self._customer[0], self._customer[1], on_call)

    def _new_clicked(self) -> None:
        if self._customer is not None:
            customer_id, contact_id, on_call = self._customer
            self.new_ticket(customer_id, contact_id, on_call)

    def new_ticket(
        self, customer_id: int, contact_id: int | None = None, on_call: bool = False
    ) -> TicketForm:
        form = TicketForm(
            self._work,
            customer_id=customer_id,
            contact_id=contact_id,
            call_active=on_call,
            language=self._language,
            parent=self.window(),
        )
        form.saved.connect(lambda ticket_id, f=form: self._keep(ticket_id, f))
        self._show(form)
        return form

    def open_ticket(self, ticket_id: int) -> TicketForm:
        form = self.forms.get(ticket_id)
        if form is not None:
            form.show()
            form.raise_()
            form.activateWindow()
            return form
        on_call = self._customer[2] if self._customer is not None else False
        form = TicketForm(
            self._work,
            ticket_id=ticket_id,
            call_active=on_call,
            language=self._language,
            parent=self.window(),
        )
        self.forms[ticket_id] = form
        self._show(form)
        return form

    def _keep(self, ticket_id: int, form: TicketForm) -> None:
        self.forms[ticket_id] = form

    def _show(self, form: TicketForm) -> None:
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.destroyed.connect(lambda _o=None, f=form: self._forget(f))
        self.form_opened.emit(form)
        form.show()

    def _forget(self, form: TicketForm) -> None:
        for ticket_id, open_form in list(self.forms.items()):
            if open_form is form:
                del self.forms[ticket_id]
