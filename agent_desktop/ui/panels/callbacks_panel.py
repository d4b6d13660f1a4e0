"""Callbacks and surveys (回访), and outbound campaign calls, in one list.

After a ticket resolves the server plans a callback by the team's policy; a campaign puts a
list of customers to call with a script and its own outcome codes. The agent picks a task,
clicks Call (the main window dials), and records how the call went. The outcome is sent with
the status ``sync.contract.rules.after_call`` gives, the rule the server checks, so the list shows
the result at once, offline too (waiting to sync). Every problem is said next to its field and
nothing is written until all of it is right. A reached callback on a resolved ticket offers to
close the ticket in the same save.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QItemSelection,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.desk_labels import chinese_in_use
from agent_desktop.services.work import WorkService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.fields import error_label, local_time
from agent_desktop.ui.fit import fit_headers
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.task_model import (
    DUE_COL,
    TASK_ROLE,
    VIEW_DONE,
    VIEW_DUE,
    VIEW_OPEN,
    TaskFilterProxy,
    TaskTableModel,
    is_overdue,
)
from agent_desktop.ui.palette import ColourRole
from sync.cache import CacheError
from sync.contract.records import CallOutcome, TaskKind, TaskStatus, TicketStatus
from sync.contract.rules import MAX_CALL_ATTEMPTS, RETRY_AFTER, after_call
from sync.contract.wire import CampaignOut, TaskOut, TaskPatch, TicketOut, TicketPatch
from sync.entities import edit_of, refusal
from sync.work_views import TaskLine, WorkViews

COMMENTS_MAX = 4000
SCORES = range(1, 6)
CLOSE_FROM_SCORE = 3
COLUMN_MAX_WIDTH = 200
SCRIPT_MAX_HEIGHT = 220  # a satisfied customer: the ticket may be closed after the callback
# A time the agent has not picked: QDateTimeEdit has no empty state, so its minimum stands in.
_NO_TIME = QDateTime.fromSecsSinceEpoch(946_684_800)  # 2000-01-01


@dataclass(frozen=True, slots=True)
class _Detail:
    """What the form needs besides the list's line: read off the GUI thread."""

    task: TaskOut
    campaign: CampaignOut | None
    ticket: TicketOut | None


def _read_detail(views: WorkViews, line: TaskLine) -> _Detail | None:
    got = views.task(line.id)
    if got is None:
        return None
    campaign = views.campaign(line.campaign_id) if line.campaign_id is not None else None
    ticket = None
    if line.ticket_id is not None:
        detail = views.ticket(line.ticket_id)
        ticket = detail.ticket if detail is not None else None
    return _Detail(got.record, campaign, ticket)


class CallbacksPanel(QWidget):
    dial_requested = Signal(str)  # an E.164 number: click-to-dial, the main window dials
    open_ticket_requested = Signal(int)
    saved = Signal(int)  # a task id, once its outcome is in the cache and the outbox

    def __init__(
        self, work: WorkService, parent: QWidget | None = None, language: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbacksPanel")
        self._work = work
        # Campaign outcome codes carry both wordings; the UI language picks one. Told, or the
        # language in use (and again at each switch: retranslate).
        self._zh = language.startswith("zh") if language is not None else chinese_in_use()
        self._line: TaskLine | None = None
        self._detail: _Detail | None = None
        self._close_touched = False  # the agent ticked or unticked "close ticket" by hand
        self._pending_select: int | None = None
        self.errors: dict[str, QLabel] = {}
        self._texts = LiveTexts()  # (retranslate)

        self.model = TaskTableModel(work.now, self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build_list()
        self._build_detail()
        # The list above the call's form, not beside it: the work area between the phone and
        # the 360 docks is about 600 px wide, too narrow for both side by side.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list_box)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([190, 570])  # a few calls to pick from; the form needs the room
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.splitter = splitter

        work.tasks_loaded.connect(self._show_tasks)
        work.load_tasks()

    # -- building -----------------------------------------------------------------------------

    def _build_list(self) -> None:
        self.view_combo = QComboBox()
        self.view_combo.setObjectName("callbackView")
        for view in (VIEW_DUE, VIEW_OPEN, VIEW_DONE):
            self.view_combo.addItem("", view)
        self._texts.items(
            self.view_combo,
            [
                lambda: self.tr("Due today and overdue"),
                lambda: self.tr("All open"),
                lambda: self.tr("Done"),
            ],
        )
        self.view_combo.currentIndexChanged.connect(
            lambda _i: self.set_view(str(self.view_combo.currentData()))
        )
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("callbackSearch")
        self._texts.bind(self.search_edit.setAccessibleName, lambda: self.tr("Search callbacks"))
        self._texts.bind(
            self.search_edit.setPlaceholderText,
            lambda: self.tr("Search customer, number, ticket, campaign"),
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setObjectName("callbackTable")
        self._texts.bind(self.table.setAccessibleName, lambda: self.tr("Callbacks"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DUE_COL, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        fit_headers(self.table)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.count_label = QLabel()
        self.count_label.setObjectName("callbackCount")
        set_tone(self.count_label, ColourRole.MUTED)

        bar = QHBoxLayout()
        bar.addWidget(self.view_combo)
        bar.addWidget(self.search_edit, 1)
        self.list_box = QWidget()
        box = QVBoxLayout(self.list_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        box.addWidget(self.table, 1)
        box.addWidget(self.count_label)

    def _error_label(self, key: str) -> QLabel:
        label = self.errors[key] = error_label(f"{key}Error")
        return label

    def _build_detail(self) -> None:
        self.empty_label = self._texts.label(
            lambda: self.tr("Pick a callback or campaign call in the list.")
        )
        self.empty_label.setObjectName("callbackEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_tone(self.empty_label, ColourRole.MUTED)

        self.customer_label = QLabel()
        self.customer_label.setObjectName("callbackCustomer")
        self.customer_label.setWordWrap(True)
        self.customer_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.kind_label = QLabel()
        self.kind_label.setObjectName("callbackKind")
        self.kind_label.setWordWrap(True)
        self.contact_label = QLabel()
        self.contact_label.setObjectName("callbackContact")
        self.contact_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.call_button = QPushButton()
        self.call_button.setObjectName("callbackCall")
        self._texts.bind(self.call_button.setText, lambda: self.tr("Call"))
        self._texts.bind(self.call_button.setToolTip, lambda: self.tr("Dial the customer's number"))
        self.call_button.setMinimumWidth(110)
        set_tone(self.call_button, "action")
        self.call_button.clicked.connect(self._call)
        self.ticket_button = QPushButton()
        self.ticket_button.setObjectName("callbackTicket")
        self._texts.bind(
            self.ticket_button.setAccessibleName, lambda: self.tr("Open the callback's ticket")
        )
        self.ticket_button.setFlat(True)
        self.ticket_button.setCursor(Qt.CursorShape.PointingHandCursor)
        set_tone(self.ticket_button, "link")
        self.ticket_button.clicked.connect(self._open_ticket)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("callbackNotes")
        self.notes_label.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setObjectName("callbackState")
        self.state_label.setWordWrap(True)
        self.recorded_label = QLabel()
        self.recorded_label.setObjectName("callbackRecorded")
        self.recorded_label.setWordWrap(True)
        set_tone(self.recorded_label, ColourRole.MUTED)

        self._build_script()
        self._build_form()
        self._build_page()

    def _build_script(self) -> None:
        """A campaign call's script, read out to the customer."""
        self.script_box = QGroupBox()
        self._texts.bind(self.script_box.setTitle, lambda: self.tr("Script"))
        self.script_view = QPlainTextEdit()
        self.script_view.setTabChangesFocus(True)  # Tab goes to the next field
        self.script_view.setObjectName("callbackScript")
        self.script_view.setReadOnly(True)
        self.script_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.script_view.setFrameShape(QFrame.Shape.NoFrame)
        self.script_view.setStyleSheet("background: palette(alternate-base);")
        QVBoxLayout(self.script_box).addWidget(self.script_view)

    def _build_form(self) -> None:
        self._build_outcome()
        self._build_score()
        self._build_codes()
        self.comments_edit = QPlainTextEdit()
        self.comments_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.comments_edit.setObjectName("callbackComments")
        self._texts.bind(
            self.comments_edit.setPlaceholderText, lambda: self.tr("What the customer said")
        )
        self.comments_edit.setMinimumHeight(60)
        self.comments_edit.setMaximumHeight(110)
        self.comments_label = self._texts.label(lambda: self.tr("Co&mments:"))
        self.comments_label.setBuddy(self.comments_edit)

        self.close_ticket_check = QCheckBox()
        self.close_ticket_check.setObjectName("callbackCloseTicket")
        self._texts.bind(
            self.close_ticket_check.setAccessibleName,
            lambda: self.tr("Close the ticket with this outcome"),
        )
        self.close_ticket_check.clicked.connect(self._close_clicked)

        self.saved_label = QLabel()
        self.saved_label.setObjectName("callbackSaved")
        self.saved_label.setWordWrap(True)
        set_tone(self.saved_label, ColourRole.SUCCESS)
        self.save_button = QPushButton()
        self._texts.bind(self.save_button.setText, lambda: self.tr("Save outcome"))
        self.save_button.setObjectName("callbackSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.form = QWidget()
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(self.outcome_box)
        form.addWidget(self.score_box)
        form.addWidget(self.codes_box)
        form.addWidget(self.comments_label)
        form.addWidget(self.comments_edit)
        form.addWidget(self._error_label("comments"))
        form.addWidget(self.close_ticket_check)
        form.addWidget(self._error_label("form"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addLayout(buttons)

    def _build_page(self) -> None:
        head = QGridLayout()
        head.addWidget(self.customer_label, 0, 0)
        head.addWidget(self.call_button, 0, 1, 2, 1, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.contact_label, 1, 0)
        head.setColumnStretch(0, 1)
        page = QWidget()
        page.setObjectName("callbackDetail")
        column = QVBoxLayout(page)
        column.addLayout(head)
        column.addWidget(self.kind_label)
        column.addWidget(self.ticket_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.notes_label)
        column.addWidget(self.state_label)
        column.addWidget(self.recorded_label)
        column.addWidget(self.script_box)
        column.addWidget(self.form)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.empty_label)
        self.detail_stack.addWidget(scroll)
        self.detail_stack.setMinimumWidth(340)

    def _build_outcome(self) -> None:
        self.outcome_box = QGroupBox()
        self._texts.bind(self.outcome_box.setTitle, lambda: self.tr("How did the call go?"))
        self.outcome_group = QButtonGroup(self)
        self.outcome_buttons: dict[CallOutcome, QRadioButton] = {}
        for outcome, text in (
            (CallOutcome.REACHED, lambda: self.tr("&Reached the customer")),
            (CallOutcome.NO_ANSWER, lambda: self.tr("&No answer")),
            (CallOutcome.WRONG_NUMBER, lambda: self.tr("&Wrong number")),
            (CallOutcome.CALL_BACK_LATER, lambda: self.tr("Call &back at:")),
        ):
            button = QRadioButton()
            self._texts.bind(button.setText, text)
            button.setObjectName(f"outcome_{outcome.value}")
            self.outcome_group.addButton(button)
            self.outcome_buttons[outcome] = button
        self.outcome_group.buttonToggled.connect(lambda _b, _on: self._outcome_changed())
        self.callback_time = QDateTimeEdit()
        self.callback_time.setObjectName("callbackTime")
        self.callback_time.setCalendarPopup(True)
        self.callback_time.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.callback_time.setMinimumDateTime(_NO_TIME)
        self._texts.bind(self.callback_time.setSpecialValueText, lambda: self.tr("pick a time"))
        self.callback_time.setDateTime(_NO_TIME)
        self.callback_time.setEnabled(False)
        grid = QGridLayout(self.outcome_box)
        grid.addWidget(self.outcome_buttons[CallOutcome.REACHED], 0, 0)
        grid.addWidget(self.outcome_buttons[CallOutcome.NO_ANSWER], 0, 1)
        grid.addWidget(self.outcome_buttons[CallOutcome.WRONG_NUMBER], 1, 0)
        back = QHBoxLayout()
        back.addWidget(self.outcome_buttons[CallOutcome.CALL_BACK_LATER])
        back.addWidget(self.callback_time, 1)
        grid.addLayout(back, 1, 1)
        grid.addWidget(self._error_label("outcome_code"), 2, 0, 1, 2)
        grid.addWidget(self._error_label("due_at"), 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)

    def _build_score(self) -> None:
        self.score_box = QGroupBox()
        self._texts.bind(self.score_box.setTitle, lambda: self.tr("Satisfaction"))
        self.score_group = QButtonGroup(self)
        row = QHBoxLayout()
        row.addWidget(self._texts.label(lambda: self.tr("1 = very unhappy")))
        self.score_buttons: dict[int, QRadioButton] = {}
        for score in SCORES:
            button = QRadioButton(str(score))
            button.setObjectName(f"score_{score}")
            self.score_group.addButton(button, score)
            self.score_buttons[score] = button
            row.addWidget(button)
        row.addWidget(self._texts.label(lambda: self.tr("5 = very happy")))
        row.addStretch(1)
        self.score_group.idToggled.connect(lambda _id, _on: self._score_changed())
        box = QVBoxLayout(self.score_box)
        box.addLayout(row)
        box.addWidget(self._error_label("satisfaction"))

    def _build_codes(self) -> None:
        self.codes_box = QGroupBox()
        self._texts.bind(self.codes_box.setTitle, lambda: self.tr("Campaign outcome"))
        self.codes_group = QButtonGroup(self)
        self.code_buttons: dict[str, QRadioButton] = {}
        self._codes_layout = QVBoxLayout(self.codes_box)
        self._codes_error = self._error_label("campaign_outcome")
        self._codes_layout.addWidget(self._codes_error)

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The panel in the language now in use: its fixed texts, the campaign's outcome codes
        (the wording for the language), the count and the call shown (the table's headers
        and cells: its model translates when asked)."""
        self._texts.retranslate()
        self._zh = chinese_in_use()
        for code, button in self.code_buttons.items():
            button.setText(self._code_label(code))
        self._count()
        self._fill_header()

    # -- the list -----------------------------------------------------------------------------

    def set_view(self, view: str) -> None:
        """``due`` (today and overdue), ``open`` or ``done``."""
        index = self.view_combo.findData(view)
        if index >= 0 and index != self.view_combo.currentIndex():
            self.view_combo.setCurrentIndex(index)  # comes back here through the signal
            return
        self.proxy.set_view(view)
        self._count()

    def _search(self, text: str) -> None:
        self.proxy.set_text(text)
        self._count()

    def _count(self) -> None:
        shown = self.proxy.rowCount()
        overdue = sum(
            1
            for row in range(self.model.rowCount())
            if is_overdue(self.model.task(row), self._work.now())
        )
        text = self.tr("%1 shown").replace("%1", str(shown))
        if overdue:
            text += " · " + self.tr("%1 overdue").replace("%1", str(overdue))
        self.count_label.setText(text)

    def _show_tasks(self, lines: list[TaskLine]) -> None:
        keep = self._pending_select or (self._line.id if self._line is not None else None)
        self._pending_select = None
        self.model.set_tasks(lines)
        self._count()
        self._fit_columns()
        if keep is None:
            return
        line = next((ln for ln in lines if ln.id == keep), None)
        if line is None:
            self._show_nothing()
            return
        self._select_row(keep)
        self._line = line
        self._fill_header()  # the form keeps what the agent typed; the facts are refreshed
        self._work.read(lambda views: _read_detail(views, line), self._detail_read)

    def _fit_columns(self) -> None:
        # To the contents, but a long campaign or customer name is elided, not a scroll bar.
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column), COLUMN_MAX_WIDTH))

    def _select_row(self, task_id: int) -> bool:
        row = self.model.row_of(task_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.table.clearSelection()
            return False
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.selectRow(index.row())
        selection.blockSignals(False)
        self.table.scrollTo(index)
        return True

    def select_task(self, task_id: int) -> None:
        """Show ``task_id`` (from a ticket, say): in the list when the view shows it; as soon
        as the list has loaded when it has not yet."""
        row = self.model.row_of(task_id)
        if row < 0:
            self._pending_select = task_id
            return
        line = self.model.task(row)
        if not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
            self.set_view(VIEW_OPEN if line.status == TaskStatus.OPEN.value else VIEW_DONE)
            self.search_edit.clear()
        self._select_row(task_id)
        self._show_task(line)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        line = self.proxy.data(indexes[0], TASK_ROLE)
        if isinstance(line, TaskLine) and (self._line is None or line.id != self._line.id):
            self._show_task(line)

    def _double_clicked(self, index: QModelIndex) -> None:
        line = self.proxy.data(index, TASK_ROLE)
        if isinstance(line, TaskLine) and line.phone:
            self.dial_requested.emit(line.phone)

    # -- the selected task --------------------------------------------------------------------

    @property
    def current_task(self) -> TaskLine | None:
        return self._line

    def _show_nothing(self) -> None:
        self._line = None
        self._detail = None
        self.detail_stack.setCurrentIndex(0)

    def _show_task(self, line: TaskLine) -> None:
        self._line = line
        self._detail = None
        self._reset_form()
        self.saved_label.clear()
        self._fill_header()
        self.detail_stack.setCurrentIndex(1)
        self.save_button.setEnabled(False)  # until the task's record has been read
        self._work.read(lambda views: _read_detail(views, line), self._detail_read)

    def _detail_read(self, detail: _Detail | None) -> None:
        line = self._line
        if line is None or detail is None or detail.task.id != line.id:
            return  # another task was picked meanwhile, or this one left the cache
        codes = detail.campaign.outcome_codes if detail.campaign else None
        same_codes = self._detail is not None and codes == (
            self._detail.campaign.outcome_codes if self._detail.campaign else None
        )
        self._detail = detail
        if not same_codes:  # a refresh keeps the code the agent picked
            self._fill_codes()
        self._fill_header()

    def _fill_header(self) -> None:
        line = self._line
        if line is None:
            return
        now = self._work.now()
        campaign = line.kind == TaskKind.PROACTIVE.value
        self.customer_label.setText(line.customer or self.tr("(no name)"))
        self.contact_label.setText(" · ".join(p for p in (line.contact, line.phone) if p))
        self.call_button.setEnabled(bool(line.phone))
        due = local_time(line.due_at)
        kind = self.model.kind_text(line)
        if is_overdue(line, now):
            self.kind_label.setText(
                self.tr("%1 · overdue since %2").replace("%1", kind).replace("%2", due)
            )
            set_tone(self.kind_label, ColourRole.ERROR, strong=True)
        else:
            self.kind_label.setText(self.tr("%1 · due %2").replace("%1", kind).replace("%2", due))
            set_tone(self.kind_label, None)
        ticket = self._detail.ticket if self._detail is not None else None
        if line.ticket_id is not None:
            text = self.tr("Ticket %1").replace("%1", line.ticket_number or f"#{line.ticket_id}")
            if ticket and ticket.summary:
                text += f" · {ticket.summary}"
            self.ticket_button.setText(text)
            self.ticket_button.show()
        else:
            self.ticket_button.hide()
        self.notes_label.setText(self.tr("Notes: %1").replace("%1", line.notes))
        self.notes_label.setVisible(bool(line.notes))
        self.state_label.setText(self._state_text(line))
        self.recorded_label.setText(self._recorded_text())
        self.recorded_label.setVisible(bool(self.recorded_label.text()))
        campaign_record = self._detail.campaign if self._detail else None
        script = campaign_record.script if campaign_record else ""
        self.script_view.setPlainText(script)
        # As tall as the script (up to a point): the agent reads it out, no scrolling in a box.
        lines = max(2, script.count("\n") + 1)
        height = lines * self.script_view.fontMetrics().lineSpacing() + 16
        self.script_view.setFixedHeight(min(height, SCRIPT_MAX_HEIGHT))
        self.script_box.setVisible(campaign and bool(script))
        self.score_box.setVisible(not campaign)
        self.codes_box.setVisible(campaign and bool(self.code_buttons))
        open_task = line.status == TaskStatus.OPEN.value
        self.form.setEnabled(open_task and self._work.may("task.update"))
        self.form.setVisible(open_task)
        self.save_button.setEnabled(open_task and self._detail is not None)
        self._update_close_offer()

    def _state_text(self, line: TaskLine) -> str:
        status = self.model.status_text(line.status)
        if line.status == TaskStatus.OPEN.value:
            text = self.tr("%1 · %2 of %3 tries made").replace("%1", status)
            text = text.replace("%2", str(line.attempts)).replace("%3", str(MAX_CALL_ATTEMPTS))
        else:
            text = status
        sync = self.model.sync_text(line.state)
        return f"{text} · {sync}" if sync else text

    def _outcome_text(self, outcome: str) -> str:
        texts = {
            CallOutcome.REACHED.value: self.tr("reached"),
            CallOutcome.NO_ANSWER.value: self.tr("no answer"),
            CallOutcome.WRONG_NUMBER.value: self.tr("wrong number"),
            CallOutcome.CALL_BACK_LATER.value: self.tr("asked to be called back"),
        }
        return texts.get(outcome, outcome)

    def _recorded_text(self) -> str:
        """The last call recorded on the task, if any."""
        if self._detail is None:
            return ""
        task = self._detail.task
        code = task.outcome_code
        if not code:
            return ""
        parts = [self.tr("Last call: %1").replace("%1", self._outcome_text(code.value))]
        if task.satisfaction:
            parts.append(self.tr("satisfaction %1/5").replace("%1", str(task.satisfaction)))
        if task.campaign_outcome:
            parts.append(self._code_label(task.campaign_outcome))
        text = " · ".join(parts)
        if task.outcome:
            text += "\n" + task.outcome
        return text

    def _code_label(self, code: str) -> str:
        campaign = self._detail.campaign if self._detail else None
        for entry in campaign.outcome_codes if campaign else []:
            if entry.code == code:
                return (entry.zh if self._zh else entry.en) or entry.en or code
        return code

    def _fill_codes(self) -> None:
        for button in self.code_buttons.values():
            self.codes_group.removeButton(button)
            button.deleteLater()
        self.code_buttons = {}
        campaign = self._detail.campaign if self._detail is not None else None
        for entry in campaign.outcome_codes if campaign else []:
            code = entry.code
            button = QRadioButton(self._code_label(code))
            button.setObjectName(f"code_{code}")
            self.codes_group.addButton(button)
            self.code_buttons[code] = button
            self._codes_layout.insertWidget(self._codes_layout.count() - 1, button)

    # -- the form -----------------------------------------------------------------------------

    def _reset_form(self) -> None:
        for group in (self.outcome_group, self.score_group, self.codes_group):
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self.callback_time.setDateTime(_NO_TIME)
        self.callback_time.setEnabled(False)
        self.comments_edit.clear()
        self._close_touched = False
        self.clear_errors()
        self._update_close_offer()

    def outcome(self) -> CallOutcome | None:
        for outcome, button in self.outcome_buttons.items():
            if button.isChecked():
                return outcome
        return None

    def score(self) -> int | None:
        picked = self.score_group.checkedId()
        return picked if picked in SCORES else None

    def campaign_code(self) -> str | None:
        for code, button in self.code_buttons.items():
            if button.isChecked():
                return code
        return None

    def set_call_back_time(self, when: datetime) -> None:
        self.callback_time.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))

    def call_back_time(self) -> datetime | None:
        if self.callback_time.dateTime() <= _NO_TIME:
            return None
        return datetime.fromtimestamp(self.callback_time.dateTime().toSecsSinceEpoch(), UTC)

    def _outcome_changed(self) -> None:
        outcome = self.outcome()
        later = outcome is CallOutcome.CALL_BACK_LATER
        self.callback_time.setEnabled(later)
        if later and self.call_back_time() is None:
            # A sensible first offer: the usual retry time, on a quarter hour.
            start = self._work.now() + RETRY_AFTER
            start = start.replace(second=0, microsecond=0)
            start += timedelta(minutes=(15 - start.minute % 15) % 15)
            self.set_call_back_time(start)
        reached = outcome is CallOutcome.REACHED
        self.score_box.setEnabled(reached)
        self.codes_box.setEnabled(reached)
        self._update_close_offer()

    def _score_changed(self) -> None:
        self._update_close_offer()

    def _close_clicked(self) -> None:
        self._close_touched = True

    def _closable_ticket(self) -> TicketOut | None:
        """The resolved ticket this callback may close, if any."""
        line, detail = self._line, self._detail
        if line is None or detail is None or detail.ticket is None:
            return None
        if line.kind == TaskKind.PROACTIVE.value:
            return None
        if detail.ticket.status is not TicketStatus.RESOLVED:
            return None
        return detail.ticket

    def _update_close_offer(self) -> None:
        ticket = self._closable_ticket()
        offer = ticket is not None and self.outcome() is CallOutcome.REACHED
        self.close_ticket_check.setVisible(offer)
        if ticket is None:
            return
        number = ticket.number or (self._line.ticket_number if self._line else "")
        self.close_ticket_check.setText(
            self.tr("Close ticket %1 (the customer is satisfied)").replace("%1", number)
        )
        if not self._close_touched:
            score = self.score()
            self.close_ticket_check.setChecked(score is not None and score >= CLOSE_FROM_SCORE)

    # -- errors -------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_error(self, key: str, text: str) -> None:
        """Say what is wrong next to the field (outcome_code, due_at, satisfaction,
        campaign_outcome, comments; anything else goes above Save)."""
        if key == "outcome":  # the wire's name for the comments
            key = "comments"
        label = self.errors.get(key, self.errors["form"])
        label.setText(text)
        label.show()

    def _problems(self, line: TaskLine) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        outcome = self.outcome()
        campaign = line.kind == TaskKind.PROACTIVE.value
        if outcome is None:
            problems.append(("outcome_code", self.tr("Say how the call went.")))
        elif outcome is CallOutcome.CALL_BACK_LATER:
            when = self.call_back_time()
            if when is None:
                problems.append(("due_at", self.tr("Say when to call back.")))
            elif when <= self._work.now():
                problems.append(("due_at", self.tr("That time has already passed.")))
        elif outcome is CallOutcome.REACHED:
            if line.kind == TaskKind.SURVEY.value and self.score() is None:
                problems.append(
                    ("satisfaction", self.tr("A survey needs the customer's score (1 to 5)."))
                )
            if campaign and self.code_buttons and self.campaign_code() is None:
                problems.append(
                    ("campaign_outcome", self.tr("Pick the campaign outcome for this call."))
                )
        comments = self.comments_edit.toPlainText()
        if len(comments) > COMMENTS_MAX:
            problems.append(
                (
                    "comments",
                    self.tr("At most %1 characters (now %2).")
                    .replace("%1", str(COMMENTS_MAX))
                    .replace("%2", str(len(comments))),
                )
            )
        return problems

    # -- acting -------------------------------------------------------------------------------

    def _call(self) -> None:
        if self._line is not None and self._line.phone:
            self.dial_requested.emit(self._line.phone)

    def _open_ticket(self) -> None:
        if self._line is not None and self._line.ticket_id is not None:
            self.open_ticket_requested.emit(self._line.ticket_id)

    def changes(self, line: TaskLine) -> TaskPatch:
        """What the form sends for ``line`` (the form is assumed right; what the contract
        refuses beyond its checks raises ``ValidationError``)."""
        outcome = self.outcome()
        assert outcome is not None
        now = self._work.now()
        result = after_call(outcome, line.attempts, line.due_at or now, now, self.call_back_time())
        changes: dict[str, object] = {
            "outcome_code": outcome.value,
            "status": result.status.value,
        }
        if result.due_at != line.due_at:
            # The next try's time: the server works out the same from the rule.
            changes["due_at"] = result.due_at
        if outcome is CallOutcome.REACHED:
            if line.kind != TaskKind.PROACTIVE.value and self.score() is not None:
                changes["satisfaction"] = self.score()
            code = self.campaign_code()
            if line.kind == TaskKind.PROACTIVE.value and code is not None:
                changes["campaign_outcome"] = code
        comments = self.comments_edit.toPlainText().strip()
        if comments:
            changes["outcome"] = comments
        return edit_of(TaskPatch, changes)

    def save(self) -> None:
        line = self._line
        if line is None or self._detail is None or line.status != TaskStatus.OPEN.value:
            return
        self.clear_errors()
        self.saved_label.clear()
        problems = self._problems(line)
        for key, text in problems:
            self.show_error(key, text)
        if problems:
            return
        try:
            changes = self.changes(line)
        except ValidationError as exc:  # said where the cache would say it
            self.show_error(*refusal(exc))
            return
        ticket = self._closable_ticket()
        close = (
            ticket is not None
            and self.close_ticket_check.isVisible()
            and self.close_ticket_check.isChecked()
        )
        edits: list[tuple[int, BaseModel]] = [(line.id, changes)]
        if close and ticket is not None:
            # The outcome and the close are one write: never a done survey on an open ticket.
            edits.append((ticket.id, edit_of(TicketPatch, {"status": "closed"})))
        try:
            future = self._work.save_together(edits)
        except CacheError as exc:
            self.show_error(exc.field or "form", str(exc))
            return
        # The writer thread answers; a late refusal is shown on the GUI thread.
        self._work.tasks.when_done(future, lambda _n: None, self._write_refused, owner=self)
        self.saved_label.setText(self._saved_text(line, changes, close))
        self._reset_form()
        self.saved.emit(line.id)

    def _write_refused(self, error: BaseException) -> None:
        self.show_error("form", str(error))

    def _saved_text(self, line: TaskLine, changes: TaskPatch, closed: bool) -> str:
        status = changes.status.value if changes.status else ""
        if status == TaskStatus.OPEN.value:
            due = changes.due_at
            when = local_time(due) if due else local_time(line.due_at)
            text = self.tr("Saved. Next call at %1.").replace("%1", when)
        else:
            text = self.tr("Saved: %1.").replace("%1", self.model.status_text(status))
        if closed:
            text += " " + self.tr("The ticket is closed.")
        return text + " " + self.tr("It syncs when online.")
