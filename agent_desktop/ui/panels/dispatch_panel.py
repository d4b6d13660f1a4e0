"""Field dispatch: the team's work orders (open ones first), the forms to create one from a
ticket, take a visit's report by phone and re-dispatch after a failed visit, and a day view of
one engineer's visits.

Everything comes from ``WorkService``: the list is its ``dispatches_loaded`` answer (reloaded
by the service when the cache changes), the forms read and write through it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.work import WorkService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.dialogs.dispatch_form import DispatchForm
from agent_desktop.ui.dialogs.visit_report_dialog import VisitReportDialog
from agent_desktop.ui.fit import fit_headers
from agent_desktop.ui.lifetime import while_alive
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.dispatch_model import (
    CUSTOMER_COL,
    ENGINEER_COL,
    METHOD_COL,
    STATUS_COL,
    SYNC_COL,
    TICKET_COL,
    WINDOW_COL,
    DispatchFilterModel,
    DispatchTableModel,
    is_open,
    may_redispatch,
)
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.widgets.day_view import DayView
from sync.contract.records import Role
from sync.contract.wire import DispatchOut
from sync.shown import InCache
from sync.work_views import DispatchLine, WorkViews


def _technicians(views: WorkViews) -> dict[int, str]:
    return {p.id: p.name for p in views.people().values() if p.role == Role.TECHNICIAN.value}


class DispatchPanel(QWidget):
    open_ticket_requested = Signal(int)  # ticket id
    dial_requested = Signal(str)  # the visit contact's number (E.164, maybe with ext.)

    def __init__(self, work: WorkService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchPanel")
        self._work = work
        self._ticket_id: int | None = None
        self._select_after_load: int | None = None
        self._loaded = False
        self._texts = LiveTexts()  # (retranslate)
        self.model = DispatchTableModel(self)
        self.proxy = DispatchFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self._build_filters()
        self._build_table()
        self._build_actions()
        self.day_view = DayView()
        self.day_view.dispatch_activated.connect(self.select_dispatch)
        self._lay_out()
        self._update_buttons()
        work.dispatches_loaded.connect(self.show_dispatches)
        work.load_dispatches()
        work.read(
            _technicians, while_alive(self, lambda found: self.day_view.set_engineers(found or {}))
        )

    def _build_filters(self) -> None:
        self.title_label = self._texts.label(lambda: self.tr("Field dispatch"))
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("dispatchSearch")
        self._texts.bind(self.search_edit.setAccessibleName, lambda: self.tr("Search dispatches"))
        self._texts.bind(
            self.search_edit.setPlaceholderText,
            lambda: self.tr("Search ticket, customer, engineer, address"),
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.proxy.set_text)
        self.group_buttons: dict[str, QPushButton] = {}
        for group, label in (
            ("open", lambda: self.tr("Open")),
            ("finished", lambda: self.tr("Finished")),
            ("all", lambda: self.tr("All")),
        ):
            self.group_buttons[group] = QPushButton()
            self._texts.bind(self.group_buttons[group].setText, label)
        self._group = QButtonGroup(self)
        self._group.idToggled.connect(self._group_toggled)
        for number, (name, button) in enumerate(self.group_buttons.items()):
            button.setObjectName(f"dispatchGroup_{name}")
            button.setCheckable(True)
            button.setFlat(False)
            self._group.addButton(button, number)
        self.group_buttons["open"].setChecked(True)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setObjectName("dispatchTable")
        self._texts.bind(self.table.setAccessibleName, lambda: self.tr("Dispatches"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(WINDOW_COL, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(48)
        fit_headers(self.table)
        header.setSectionResizeMode(CUSTOMER_COL, QHeaderView.ResizeMode.Stretch)
        # The other columns fit their text whenever the rows shown change (a header in
        # ResizeToContents mode does not re-measure when a filter brings longer rows).
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_columns)
        for changed in (
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
        ):
            changed.connect(self._fit_timer.start)
        self.table.doubleClicked.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def _fit_columns(self) -> None:
        for column in (TICKET_COL, ENGINEER_COL, WINDOW_COL, METHOD_COL, STATUS_COL, SYNC_COL):
            self.table.resizeColumnToContents(column)

    def _build_actions(self) -> None:
        self.empty_label = QLabel()
        self.empty_label.setObjectName("dispatchEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_tone(self.empty_label, ColourRole.MUTED)
        self.empty_label.setText(self.tr("Loading dispatches…"))
        self.new_button = QPushButton()
        self._texts.bind(self.new_button.setText, lambda: self.tr("New dispatch"))
        self.new_button.setObjectName("newDispatch")
        self.new_button.clicked.connect(self._new_clicked)
        self.report_button = QPushButton()
        self._texts.bind(self.report_button.setText, lambda: self.tr("Report visit…"))
        self.report_button.setObjectName("reportVisit")
        self.report_button.clicked.connect(lambda: self._with_selected(self.report))
        self.redispatch_button = QPushButton()
        self._texts.bind(self.redispatch_button.setText, lambda: self.tr("Re-dispatch…"))
        self.redispatch_button.setObjectName("redispatch")
        self.redispatch_button.clicked.connect(lambda: self._with_selected(self.redispatch))
        self.ticket_button = QPushButton()
        self._texts.bind(self.ticket_button.setText, lambda: self.tr("Open ticket"))
        self.ticket_button.setObjectName("dispatchOpenTicket")
        self.ticket_button.clicked.connect(
            lambda: self._with_selected(
                lambda did: self.open_ticket_requested.emit(self._line(did).ticket_id)
            )
        )
        self.call_button = QPushButton()
        self._texts.bind(self.call_button.setText, lambda: self.tr("Call contact"))
        self.call_button.setObjectName("dispatchCall")
        self.call_button.clicked.connect(lambda: self._with_selected(self.call_contact))

    def _lay_out(self) -> None:
        groups = QHBoxLayout()
        groups.setSpacing(0)
        for button in self.group_buttons.values():
            groups.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addSpacing(12)
        top.addWidget(self.search_edit, 1)
        top.addLayout(groups)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.report_button)
        actions.addWidget(self.redispatch_button)
        actions.addStretch(1)
        actions.addWidget(self.ticket_button)
        actions.addWidget(self.call_button)
        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty_label)
        list_layout.addLayout(actions)
        # The day view under the list, not beside it: the work area sits between the phone
        # and the 360 docks, and side by side the pair was wider than it (767 px), squeezing
        # the customer 360 at 1280 px.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_side)
        self.splitter.addWidget(self.day_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.day_view.setMinimumHeight(220)
        self.splitter.setSizes([360, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    # -- the list -----------------------------------------------------------------------------

    def show_dispatches(self, lines: list[DispatchLine]) -> None:
        chosen = self.selected_id() if self._select_after_load is None else self._select_after_load
        first = not self._loaded
        self._loaded = True
        self.model.set_lines(lines)
        self.day_view.set_lines(lines)
        if chosen is not None and self.model.row_of(chosen) is not None:
            self.select_dispatch(chosen)
            self._select_after_load = None
        elif first:
            self._show_first_day(lines)
        self._update_empty()
        self._update_buttons()

    def _show_first_day(self, lines: list[DispatchLine]) -> None:
        # Start the day view where there is work: the next open visit.
        upcoming = sorted(
            (
                line
                for line in lines
                if is_open(line) and line.window_start and line.technician_id is not None
            ),
            key=lambda line: line.window_start.timestamp() if line.window_start else 0.0,
        )
        if upcoming and upcoming[0].window_start and upcoming[0].technician_id is not None:
            self.day_view.show_day(
                upcoming[0].technician_id, upcoming[0].window_start.astimezone().date()
            )

    def _group_toggled(self, number: int, checked: bool) -> None:
        if checked:
            self.set_group(list(self.group_buttons)[number])

    def set_group(self, group: str) -> None:
        """Show the ``open``, ``finished`` or ``all`` dispatches."""
        self.proxy.set_group(group)
        button = self.group_buttons[group]
        if not button.isChecked():
            button.setChecked(True)
        self._update_empty()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The panel's texts, the line under the list and the buttons' tips in the language
        now in use (the table's headers and cells: its model translates when asked)."""
        self._texts.retranslate()
        if not self._loaded:
            self.empty_label.setText(self.tr("Loading dispatches…"))
        self._update_empty()
        self._update_buttons()

    def _update_empty(self) -> None:
        if not self._loaded:
            return
        rows = self.proxy.rowCount()
        if rows:
            self.empty_label.hide()
            return
        if self.model.rowCount() and self.proxy.group == "open":
            self.empty_label.setText(self.tr("No open dispatches. “Finished” shows past visits."))
        elif self.model.rowCount():
            self.empty_label.setText(self.tr("No dispatch matches."))
        else:
            self.empty_label.setText(
                self.tr("No dispatches yet. Create one from a ticket that needs a visit.")
            )
        self.empty_label.show()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.line(rows[0].row()).id

    def select_dispatch(self, dispatch_id: int) -> None:
        row = self.model.row_of(dispatch_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.set_group("all")  # it is in another group: show it rather than nothing
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)

    def _line(self, dispatch_id: int) -> DispatchLine:
        row = self.model.row_of(dispatch_id)
        assert row is not None
        return self.model.line(row)

    def _with_selected(self, action: Callable[[int], object]) -> None:
        dispatch_id = self.selected_id()
        if dispatch_id is not None:
            action(dispatch_id)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()
        dispatch_id = self.selected_id()
        if dispatch_id is None:
            return
        line = self._line(dispatch_id)
        if line.technician_id is not None and line.window_start is not None:
            self.day_view.show_day(line.technician_id, line.window_start.astimezone().date())

    def _activated(self, index: QModelIndex) -> None:
        line = self.proxy.line(index.row())
        if is_open(line) and self._work.may("dispatch.feedback"):
            self.report(line.id)
        else:
            self.open_ticket_requested.emit(line.ticket_id)

    def _update_buttons(self) -> None:
        dispatch_id = self.selected_id()
        line = self._line(dispatch_id) if dispatch_id is not None else None
        self.new_button.setEnabled(
            self._ticket_id is not None and self._work.may("dispatch.create")
        )
        self.new_button.setToolTip(
            self.tr("A new visit for ticket %1").replace("%1", self._ticket_label())
            if self._ticket_id is not None
            else self.tr("Open a ticket first: a dispatch is created from its ticket.")
        )
        self.report_button.setEnabled(
            line is not None and is_open(line) and self._work.may("dispatch.feedback")
        )
        self.redispatch_button.setEnabled(
            line is not None and may_redispatch(line) and self._work.may("dispatch.create")
        )
        self.ticket_button.setEnabled(line is not None)
        self.call_button.setEnabled(line is not None)

    def _ticket_label(self) -> str:
        for line in self.model.lines():
            if line.ticket_id == self._ticket_id and line.ticket_number:
                return line.ticket_number
        return f"#{self._ticket_id}"

    # -- actions ------------------------------------------------------------------------------

    def set_ticket(self, ticket_id: int | None) -> None:
        """The ticket a new dispatch is for (the one the agent has open), or None."""
        self._ticket_id = ticket_id
        self._update_buttons()

    def _new_clicked(self) -> None:
        if self._ticket_id is not None:
            self.new_dispatch(self._ticket_id)

    def new_dispatch(self, ticket_id: int) -> DispatchForm:
        """Open the form for a new visit for ``ticket_id`` (and remember the ticket)."""
        self.set_ticket(ticket_id)
        return self._open_form(DispatchForm(self._work, ticket_id, parent=self))

    def redispatch(self, dispatch_id: int) -> DispatchForm:
        """Open the form for the visit that follows ``dispatch_id`` (failed or partly)."""
        row = self.model.row_of(dispatch_id)
        ticket_id = self.model.line(row).ticket_id if row is not None else None
        form = DispatchForm(self._work, ticket_id, previous_dispatch_id=dispatch_id, parent=self)
        return self._open_form(form)

    def report(self, dispatch_id: int) -> VisitReportDialog:
        """Take the engineer's report of ``dispatch_id`` by phone."""
        dialog = VisitReportDialog(self._work, dispatch_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.redispatch_requested.connect(self.redispatch)
        dialog.open()
        return dialog

    def _open_form(self, form: DispatchForm) -> DispatchForm:
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._created)
        form.open()
        return form

    def _created(self, dispatch_id: int) -> None:
        # The list reloads by itself when the cache says so; select the new visit then.
        self._select_after_load = dispatch_id
        if self.model.row_of(dispatch_id) is not None:
            self.select_dispatch(dispatch_id)

    def call_contact(self, dispatch_id: int) -> None:
        """Ask to dial the visit's contact (read from the cache: the list does not hold it)."""

        def dial(found: InCache[DispatchOut] | None) -> None:
            phone = found.record.contact_phone if found else ""
            if phone:
                self.dial_requested.emit(phone)

        self._work.read(lambda views: views.dispatch(dispatch_id), while_alive(self, dial))
