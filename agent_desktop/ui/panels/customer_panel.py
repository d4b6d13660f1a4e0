"""Customer 360: the caller before hello, and the wrap-up after the call.

Fed by ``ScreenPopService.popped``: one customer shows the greeting line, the flags that matter
on this call, and tabs for the profile (contacts with "verified" ticks and click-to-dial, and
the identity checks the agent ticks on the call: recorded with its interaction, and required by
the centre's rule before an address change),
products and warranty, open work, the history timeline and suggested next actions. Several
customers on one number give a pick list; an unknown number offers "new customer" (prefilled)
and a search by name, customer code, serial number or ticket number.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.desk_labels import desk_code_label
from agent_desktop.services.agent_state import AgentStatus, CallRecord
from agent_desktop.services.screen_pop import ScreenPop
from agent_desktop.ui.appearance import colour, css, set_tone
from agent_desktop.ui.durations import remaining
from agent_desktop.ui.fields import local_time
from agent_desktop.ui.fit import fit_headers
from agent_desktop.ui.live_texts import LiveTexts, header_title
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.panels.profile_editor import ProfileEditor
from agent_desktop.ui.phone_text import find_numbers
from sync.contract.desk import DEFAULT_DESK_SETTINGS, missing_checks
from sync.contract.recordings import RecordingMeta
from sync.contract.records import AgentState
from sync.contract.rules import ticket_deadline
from sync.contract.wire import (
    ADDRESS_CHANGE,
    IDENTITY_CHECKS,
    CustomerOut,
    CustomerPatch,
    DeskCode,
    DeskSettings,
)
from sync.customer_view import ActionKind, Customer360, Flag, FlagKind
from sync.work_views import when

SEARCH_DELAY_MS = 250
DEADLINE_TICK_MS = 30_000  # the SLA countdowns read in minutes: twice a minute is current
DEADLINE_ROLE = Qt.ItemDataRole.UserRole + 1  # an open-work line's deadline (or None)
LINE_ROLE = Qt.ItemDataRole.UserRole + 2  # the line's text before its countdown
RECORDING_ROLE = Qt.ItemDataRole.UserRole + 3  # a history call's RecordingMeta (issue 20)
CALL_KINDS = ("call_in", "call_out", "proactive")  # the history's lines that can be recorded


class CustomerPanel(QWidget):
    dial_requested = Signal(str)  # an E.164 number the agent clicked (maybe with " ext. N")
    new_customer_requested = Signal(str)  # prefilled with the caller's number
    customer_chosen = Signal(int)  # from the pick list or the search results
    search_requested = Signal(str)
    open_record_requested = Signal(str, int)  # entity, id: open that work
    wrap_up_done = Signal(str, str)  # disposition code, notes
    wrap_up_draft = Signal(str, str)  # the form as it stands: saved if the wrap-up times out
    wrap_up_extend = Signal()
    profile_edited = Signal(int, object)  # customer id, CustomerPatch (only what changed)
    new_ticket_requested = Signal(int, int)  # customer id, contact id (0: none)
    checks_changed = Signal(list)  # the identity checks ticked now (IDENTITY_CHECKS' codes)
    recordings_wanted = Signal(list)  # the shown customer's call interaction ids (newest first)
    play_recording_requested = Signal(object)  # a history call's RecordingMeta

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerPanel")
        # The desk's clock: SLA deadlines read as time left ("45 min left", "overdue 2 h"),
        # as in Tickets and on the board (ui/durations.py), not as a clock time.
        self._now = now
        self._deadline_ticker = QTimer(self)
        self._deadline_ticker.setInterval(DEADLINE_TICK_MS)
        self._deadline_ticker.timeout.connect(self._tick_deadlines)
        self._deadline_ticker.start()
        self.pop: ScreenPop | None = None
        self.view: Customer360 | None = None
        self._required: dict[str, list[str]] = {}  # DeskSettings.required_checks
        self._language = "en"
        self._texts = LiveTexts()  # (retranslate)
        # Which history calls have a recording (RecordingPlayback.found), for this customer.
        self._recordings: dict[int, RecordingMeta] = {}
        self._recordings_of: int | None = None  # the customer they were found for
        self._recordings_asked: list[int] = []  # the calls last asked about

        self._build_header()

        self.search_edit = QLineEdit()
        self._texts.bind(self.search_edit.setAccessibleName, lambda: self.tr("Search customers"))
        self._texts.bind(
            self.search_edit.setPlaceholderText,
            lambda: self.tr("Search: name, customer code, serial number, ticket number, phone"),
        )
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        self.search_edit.textEdited.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now)

        self.pages = QStackedWidget()
        self.empty_page = self._texts.label(
            lambda: self.tr(
                "When a call rings, the caller appears here before you say hello: profile, "
                "products and warranty, open tickets, dispatches and past interactions."
            )
        )
        self.empty_page.setWordWrap(True)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignTop)
        set_tone(self.empty_page, ColourRole.MUTED)
        self.pages.addWidget(self.empty_page)
        self.unknown_page = self._build_unknown_page()
        self.pages.addWidget(self.unknown_page)
        self.pick_list = QListWidget()
        self.pick_list.setObjectName("pickList")
        self._texts.bind(
            self.pick_list.setAccessibleName, lambda: self.tr("Customers with the caller's number")
        )
        self.pick_list.itemActivated.connect(self._picked)
        self.pick_list.itemClicked.connect(self._picked)
        self.pages.addWidget(self.pick_list)
        self.tabs = self._build_tabs()
        self.pages.addWidget(self.tabs)

        self.wrap_up = self._build_wrap_up()
        self._lay_out()
        self.clear()

    def _headers(self, table: QTableWidget, titles: Sequence[Callable[[], str]]) -> None:
        """A table's column names, following the language."""
        for column, title in enumerate(titles):
            item = QTableWidgetItem()
            table.setHorizontalHeaderItem(column, item)
            self._texts.bind(item.setText, title)

    def _build_header(self) -> None:
        """The banner, greeting, who, flags, and the new-ticket action for this customer."""
        self.stale_label = QLabel()
        self.stale_label.setObjectName("staleBanner")
        self.stale_label.setWordWrap(True)
        set_tone(self.stale_label, "notice")
        self.stale_label.hide()
        self.greeting_label = QLabel()
        self.greeting_label.setObjectName("greeting")
        font = self.greeting_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.greeting_label.setFont(font)
        self.greeting_label.setWordWrap(True)
        self.name_label = QLabel()
        self.name_label.setWordWrap(True)
        self.flags_label = QLabel()
        self.flags_label.setObjectName("flags")
        self.flags_label.setWordWrap(True)
        self.flags_label.setTextFormat(Qt.TextFormat.RichText)
        self.new_ticket_button = QPushButton()
        self.new_ticket_button.setObjectName("newTicketFromPop")
        self._texts.bind(self.new_ticket_button.setText, lambda: self.tr("New ticket…"))
        self._texts.bind(
            self.new_ticket_button.setToolTip,
            lambda: self.tr("Register a service request for this customer"),
        )
        self.new_ticket_button.clicked.connect(self._new_ticket)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.greeting_label)
        layout.addWidget(self.name_label)
        flags_row = QHBoxLayout()
        flags_row.addWidget(self.flags_label, 1)
        flags_row.addWidget(self.new_ticket_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(flags_row)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.wrap_up)

    # -- building -----------------------------------------------------------------------------

    def _build_unknown_page(self) -> QWidget:
        page = QWidget()
        self.unknown_label = QLabel()
        self.unknown_label.setWordWrap(True)
        self.new_customer_button = QPushButton()
        self._texts.bind(self.new_customer_button.setText, lambda: self.tr("New customer…"))
        self.new_customer_button.setObjectName("newCustomerButton")
        self.new_customer_button.clicked.connect(
            lambda: self.new_customer_requested.emit(self._caller_number())
        )
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self._texts.bind(self.results.setAccessibleName, lambda: self.tr("Customers found"))
        self.results.itemActivated.connect(self._picked)
        self.results.itemClicked.connect(self._picked)
        layout = QVBoxLayout(page)
        layout.addWidget(self.unknown_label)
        layout.addWidget(self.new_customer_button)
        layout.addWidget(self.results, 1)
        return page

    def _build_profile_tab(self) -> QWidget:
        # Profile: contacts with a tick per detail confirmed on this call, and a dial button;
        # Edit turns the same tab into the inline editor.
        profile = QWidget()
        self.contacts_table = QTableWidget(0, 4)
        self.contacts_table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.contacts_table.setObjectName("contactsTable")
        self._texts.bind(self.contacts_table.setAccessibleName, lambda: self.tr("Contacts"))
        self._headers(
            self.contacts_table,
            (
                lambda: self.tr("Verified"),
                lambda: self.tr("Contact"),
                lambda: self.tr("Phone"),
                lambda: self.tr("Email"),
            ),
        )
        self.contacts_table.verticalHeader().hide()
        fit_headers(self.contacts_table)
        self.contacts_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.contacts_table.cellDoubleClicked.connect(self._dial_cell)
        self.contacts_table.itemChanged.connect(self._tick_changed)
        self.address_label = QLabel()
        self.address_label.setWordWrap(True)
        self.address_check = QCheckBox()
        self._texts.bind(self.address_check.setText, lambda: self.tr("Address verified"))
        self.phone_check = QCheckBox()
        self._texts.bind(self.phone_check.setText, lambda: self.tr("Phone number verified"))
        self.serial_check = QCheckBox()
        self._texts.bind(self.serial_check.setText, lambda: self.tr("Serial number verified"))
        for check in (self.address_check, self.phone_check, self.serial_check):
            check.toggled.connect(self._tick_changed)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("editProfile")
        self._texts.bind(self.edit_button.setText, lambda: self.tr("Edit profile…"))
        self._texts.bind(
            self.edit_button.setToolTip,
            lambda: self.tr(
                "Correct the profile while the customer is on the line (works offline)"
            ),
        )
        self.edit_button.clicked.connect(self.start_edit)
        p_layout = QVBoxLayout(profile)
        p_layout.addWidget(self.contacts_table, 1)
        p_layout.addWidget(self.address_label)
        # One under the other: side by side the three asked ~450 px and the 360's dock (as
        # wide as its panel) took the room of the centre at 1280 px.
        checks = QVBoxLayout()
        checks.setSpacing(0)
        for check in (self.address_check, self.phone_check, self.serial_check):
            checks.addWidget(check)
        p_layout.addLayout(checks)
        p_layout.addWidget(self.notes_label)
        edit_row = QHBoxLayout()
        edit_row.addStretch(1)
        edit_row.addWidget(self.edit_button)
        p_layout.addLayout(edit_row)
        self.profile_editor = ProfileEditor()
        self.profile_editor.save_requested.connect(self._profile_save)
        self.profile_editor.cancelled.connect(self.end_edit)
        self.profile_pages = QStackedWidget()
        self.profile_pages.addWidget(profile)
        self.profile_pages.addWidget(self.profile_editor)
        return self.profile_pages

    def _build_tabs(self) -> QTabWidget:
        tabs = QTabWidget()
        tabs.setObjectName("customerTabs")
        tabs.setDocumentMode(True)
        self._texts.tab(tabs, self._build_profile_tab(), lambda: self.tr("Profile"))
        # Products with warranty state and consumables due.
        self.assets_table = QTableWidget(0, 4)
        self.assets_table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.assets_table.setObjectName("assetsTable")
        self._texts.bind(self.assets_table.setAccessibleName, lambda: self.tr("Products"))
        self._headers(
            self.assets_table,
            (
                lambda: self.tr("Model"),
                lambda: self.tr("Serial number"),
                lambda: self.tr("Warranty"),
                lambda: self.tr("Due"),
            ),
        )
        self.assets_table.verticalHeader().hide()
        fit_headers(self.assets_table)
        self.assets_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._texts.tab(tabs, self.assets_table, lambda: self.tr("Products"))
        # Open work: tickets and dispatches; double-click opens it.
        self.work_list = QListWidget()
        self.work_list.setObjectName("openWork")
        self._texts.bind(self.work_list.setAccessibleName, lambda: self.tr("Open work"))
        self.work_list.itemActivated.connect(self._open_work)
        self._texts.tab(tabs, self.work_list, lambda: self.tr("Open work"))
        self._texts.tab(tabs, self._build_history(), lambda: self.tr("History"))
        self.actions_list = QListWidget()
        self.actions_list.setObjectName("nextActions")
        self._texts.bind(self.actions_list.setAccessibleName, lambda: self.tr("Next actions"))
        self.actions_list.itemActivated.connect(self._open_work)
        self._texts.tab(tabs, self.actions_list, lambda: self.tr("Next actions"))
        return tabs

    def _build_history(self) -> QWidget:
        """History: one timeline of calls, tickets, dispatches, callbacks and surveys."""
        history = QWidget()
        self.timeline_filter = QComboBox()
        self.timeline_filter.setObjectName("timelineFilter")
        filters = (
            (lambda: self.tr("Everything"), ""),
            (lambda: self.tr("Calls and messages"), "interaction"),
            (lambda: self.tr("Tickets"), "ticket"),
            (lambda: self.tr("Dispatches"), "dispatch"),
            (lambda: self.tr("Callbacks and surveys"), "task"),
        )
        for _label, entity in filters:
            self.timeline_filter.addItem("", entity)
        self._texts.items(self.timeline_filter, [label for label, _entity in filters])
        self.timeline_filter.currentIndexChanged.connect(lambda _i: self._fill_timeline())
        self.timeline = QTreeWidget()
        self.timeline.setObjectName("timeline")
        self._texts.bind(self.timeline.setAccessibleName, lambda: self.tr("Contact history"))
        self.timeline.setColumnCount(3)
        for column, title in enumerate(
            (lambda: self.tr("When"), lambda: self.tr("What"), lambda: self.tr("Details"))
        ):
            self._texts.bind(header_title(self.timeline, column), title)
        self.timeline.setRootIsDecorated(False)
        self.timeline.itemDoubleClicked.connect(self._dial_timeline)
        # A recorded call (▶ in its line) plays from the button under the list or its menu.
        self.play_recording_button = QPushButton()
        self.play_recording_button.setObjectName("playRecording")
        self._texts.bind(self.play_recording_button.setText, lambda: self.tr("▶ Play recording"))
        self._texts.bind(
            self.play_recording_button.setAccessibleName,
            lambda: self.tr("Play the selected call's recording"),
        )
        self.play_recording_button.clicked.connect(lambda _c=False: self.play_selected_recording())
        self.play_recording_button.setEnabled(False)
        self.play_recording_button.setVisible(False)
        self.play_recording_action = QAction(self.timeline)
        self._texts.bind(self.play_recording_action.setText, lambda: self.tr("▶ Play recording"))
        self.play_recording_action.triggered.connect(
            lambda _c=False: self.play_selected_recording()
        )
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.timeline.addAction(self.play_recording_action)
        self.timeline.currentItemChanged.connect(lambda *_a: self._show_playable())
        h_layout = QVBoxLayout(history)
        h_layout.addWidget(self.timeline_filter)
        h_layout.addWidget(self.timeline, 1)
        h_layout.addWidget(self.play_recording_button, 0, Qt.AlignmentFlag.AlignLeft)
        return history

    def _build_wrap_up(self) -> QFrame:
        box = QFrame()
        box.setObjectName("wrapUp")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        self.wrap_title = QLabel()
        font = self.wrap_title.font()
        font.setBold(True)
        self.wrap_title.setFont(font)
        self._dispositions: list[DeskCode] = []  # the centre's, as last set
        self.disposition_combo = QComboBox()
        self.disposition_combo.setObjectName("disposition")
        self.wrap_notes = QPlainTextEdit()
        self.wrap_notes.setObjectName("wrapNotes")
        self._texts.bind(self.wrap_notes.setAccessibleName, lambda: self.tr("Wrap-up notes"))
        self._texts.bind(self.wrap_notes.setPlaceholderText, lambda: self.tr("Notes on this call"))
        self.wrap_notes.setMaximumHeight(80)
        self.disposition_combo.currentIndexChanged.connect(self._draft_changed)
        self.wrap_notes.textChanged.connect(self._draft_changed)
        self.wrap_error = QLabel()
        set_tone(self.wrap_error, ColourRole.ERROR)
        self.wrap_error.hide()
        self.extend_button = QPushButton()
        self._texts.bind(self.extend_button.setText, lambda: self.tr("+30 s"))
        self.extend_button.clicked.connect(self.wrap_up_extend.emit)
        self.done_button = QPushButton()
        self._texts.bind(self.done_button.setText, lambda: self.tr("Done"))
        self.done_button.setObjectName("wrapUpDone")
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self._wrap_done)
        # Enter confirms, as in a dialog (the notes box keeps Enter for a new line: a text box
        # claims it first).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), box, self._wrap_done)
            enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.wrap_notes.setTabChangesFocus(True)  # Tab moves on; notes rarely need a tab
        buttons = QHBoxLayout()
        buttons.addWidget(self.extend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.wrap_title)
        layout.addWidget(self.disposition_combo)
        layout.addWidget(self.wrap_notes)
        layout.addWidget(self.wrap_error)
        layout.addLayout(buttons)
        box.hide()
        return box

    # -- showing ------------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        """The agent's UI language ("zh" or "en"), for the server's code labels."""
        self._language = "zh" if language.startswith("zh") else "en"

    def set_stale(self, text: str) -> None:
        """Say when what is shown may be out of date (offline), or clear it with ""."""
        self.stale_label.setText(text)
        self.stale_label.setVisible(bool(text))

    def clear(self) -> None:
        self.pop = None
        self.view = None
        self._recordings_asked = []  # the next pop asks again (a new call may be recorded)
        self.end_edit()
        self.new_ticket_button.hide()
        self.greeting_label.clear()
        self.name_label.clear()
        self.flags_label.clear()
        self.pages.setCurrentWidget(self.empty_page)

    def show_pop(self, pop: ScreenPop) -> None:
        same = (
            pop.refreshed
            and self.view is not None
            and pop.view is not None
            and pop.view.customer.id == self.view.customer.id
        )
        if pop.refreshed and not same:
            return  # a refresh of a customer no longer shown
        if same and self.pop is not None:
            pop = replace(pop, call=self.pop.call, raw=self.pop.raw, lookup=self.pop.lookup)
        self.pop = pop
        if pop.view is not None:
            if not same:
                self.end_edit()
            self._show_view(pop.view, refreshed=same)
            return
        self.end_edit()
        self.view = None
        self.new_ticket_button.hide()
        self.flags_label.clear()
        number = self._caller_number()
        if pop.candidates:
            self.greeting_label.setText(self.tr("Several customers have this number"))
            self.name_label.setText(
                self.tr("Ask who is calling, then pick: %1").replace("%1", number)
            )
            self.pick_list.clear()
            for customer in pop.candidates:
                self._add_customer_item(self.pick_list, customer)
            self.pages.setCurrentWidget(self.pick_list)
            return
        # A caller who withheld their number: the desk may have looked it up (asserted inside
        # the trust domain), but never shows it.
        hidden = pop.call is not None and pop.call.caller_withheld
        if (pop.lookup is not None and pop.lookup.withheld) or hidden:
            self.greeting_label.setText(self.tr("Number withheld"))
            self.name_label.setText(self.tr("Ask for the customer's name or customer code."))
        elif pop.lookup is not None and pop.lookup.key is None and pop.raw:
            self.greeting_label.setText(self.tr("Unknown caller"))
            self.name_label.setText(
                self.tr("%1 is not a phone number we can look up.").replace("%1", pop.raw)
            )
        else:
            self.greeting_label.setText(self.tr("Unknown caller"))
            self.name_label.setText(self.tr("No customer has %1 on file.").replace("%1", number))
        offline = self.tr(" The server could not be asked (offline).") if pop.offline else ""
        self.unknown_label.setText(
            self.tr(
                "Create a new customer, or search for them by name, customer code, serial "
                "number or ticket number."
            )
            + offline
        )
        self.results.clear()
        self.pages.setCurrentWidget(self.unknown_page)

    def show_results(self, text: str, customers: list[CustomerOut]) -> None:
        if text != self.search_edit.text().strip():
            return  # the agent typed on: a newer search is coming
        target = self.results
        target.clear()
        for customer in customers:
            self._add_customer_item(target, customer)
        if not customers:
            item = QListWidgetItem(self.tr("Nothing found for “%1”.").replace("%1", text))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            target.addItem(item)
        if self.pages.currentWidget() is not self.unknown_page:
            self.greeting_label.setText(self.tr("Search"))
            self.name_label.clear()
            self.flags_label.clear()
            self.unknown_label.setText(self.tr("Pick a customer to open."))
            self.pages.setCurrentWidget(self.unknown_page)

    def _show_view(self, view: Customer360, refreshed: bool = False) -> None:
        ticks = self.verified() if refreshed else {}
        self.view = view
        self.new_ticket_button.show()
        customer = view.customer
        self.greeting_label.setText(view.greeting)
        who = customer.name
        if view.contact is not None:
            who = f"{view.contact.name} · {who}"
        pending = self.tr(" · changes waiting to sync") if view.pending else ""
        self.name_label.setText(f"{who} · {customer.code}{pending}")
        self._show_flags(view)
        self._fill_contacts(view, ticks)
        self._fill_assets(view)
        self._fill_work(view)
        if self._recordings_of != customer.id:
            self._recordings, self._recordings_of = {}, customer.id
        self._fill_timeline()
        self._fill_actions(view)
        calls = sorted(
            (i for i in view.interactions if i.kind in CALL_KINDS),
            key=lambda i: i.started_at,
            reverse=True,
        )
        wanted = [i.id for i in calls]
        if wanted != self._recordings_asked:  # (a refresh of the same calls asks nothing again)
            self._recordings_asked = wanted
            self.recordings_wanted.emit(wanted)
        self.pages.setCurrentWidget(self.tabs)
        if refreshed:
            return  # new data under the agent's eyes: stay on the tab they are reading
        # A repeat caller with open work: that work first, not a blank profile.
        self.tabs.setCurrentIndex(2 if view.open_tickets else 0)

    def _show_flags(self, view: Customer360) -> None:
        self.flags_label.setText(" ".join(self._flag_chip(flag) for flag in view.flags))
        # A screen reader reads the chips as one sentence, not as HTML or colours.
        texts = [self._flag_text(flag) for flag in view.flags]
        self.flags_label.setAccessibleName(
            self.tr("Customer flags: %1").replace("%1", "; ".join(texts))
            if texts
            else self.tr("No customer flags")
        )

    def _flag_chip(self, flag: Flag) -> str:
        flag = self._as_of_now(flag)
        chip = {
            FlagKind.VIP: ColourRole.CHIP_VIP,
            FlagKind.OPEN_COMPLAINT: ColourRole.CHIP_COMPLAINT,
            FlagKind.SLA_BREACHED: ColourRole.CHIP_SLA_BREACHED,
            FlagKind.SLA_BREACHING: ColourRole.CHIP_SLA_DUE,
            FlagKind.WARRANTY_EXPIRED: ColourRole.CHIP_WARRANTY,
            FlagKind.REPEAT_CALLER: ColourRole.CHIP_REPEAT,
        }[flag.kind]
        return (
            f'<span style="background:{css(chip)}; color:{css(ColourRole.CHIP_TEXT)};">'
            f"&nbsp;{html.escape(self._flag_text(flag))}&nbsp;</span>"
        )

    def _as_of_now(self, flag: Flag) -> Flag:
        """An SLA flag as the clock now says: one that ran out since the pop is breached."""
        due = flag.due
        if flag.kind is FlagKind.SLA_BREACHING and due is not None and due <= self._now():
            return replace(flag, kind=FlagKind.SLA_BREACHED)
        return flag

    def _flag_text(self, flag: Flag) -> str:
        flag = self._as_of_now(flag)
        text = {
            FlagKind.VIP: self.tr("VIP"),
            FlagKind.OPEN_COMPLAINT: self.tr("Open complaint %1"),
            FlagKind.SLA_BREACHED: self.tr("SLA breached: %1 · %2"),
            FlagKind.SLA_BREACHING: self.tr("SLA due: %1 · %2"),
            FlagKind.WARRANTY_EXPIRED: self.tr("Warranty expired: %1"),
            FlagKind.REPEAT_CALLER: self.tr("Called %n time(s) in 7 days", "", flag.count),
        }[flag.kind]
        text = text.replace("%1", flag.detail)
        if flag.due is not None:
            text = text.replace("%2", remaining((flag.due - self._now()).total_seconds()))
        return text

    def _work_line(self, line: str, due: datetime | None) -> str:
        if due is None:
            return line
        left = remaining((due - self._now()).total_seconds())
        return line + " · " + self.tr("SLA %1").replace("%1", left)

    def _tick_deadlines(self) -> None:
        """The countdowns move on in place (no redraw: the agent's selection and tab stay)."""
        if self.view is None:
            return
        self._show_flags(self.view)
        for row in range(self.work_list.count()):
            item = self.work_list.item(row)
            due = item.data(DEADLINE_ROLE)
            if isinstance(due, datetime):
                item.setText(self._work_line(str(item.data(LINE_ROLE)), due))

    def _fill_contacts(self, view: Customer360, ticks: dict[str, bool]) -> None:
        contacts = view.customer.contacts
        table = self.contacts_table
        table.setRowCount(len(contacts))
        for row, contact in enumerate(contacts):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            checked = ticks.get(contact.name, False)
            tick.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            table.setItem(row, 0, tick)
            name = QTableWidgetItem(contact.name)
            if view.contact is not None and contact.id == view.contact.id:
                font = name.font()
                font.setBold(True)
                name.setFont(font)
                name.setToolTip(self.tr("This is the number calling"))
            table.setItem(row, 1, name)
            number = contact.phone_e164
            if contact.extension:
                number += f" ext. {contact.extension}"
            phone = QTableWidgetItem("☎ " + number)
            # With its extension: the dial plan dials the number, then the extension as DTMF.
            phone.setData(Qt.ItemDataRole.UserRole, number)
            phone.setToolTip(self.tr("Double-click to call"))
            table.setItem(row, 2, phone)
            table.setItem(row, 3, QTableWidgetItem(contact.email))
        table.resizeColumnsToContents()
        self.address_label.setText(
            self.tr("Address: %1").replace("%1", view.customer.address or "—")
        )
        for check, code in (
            (self.address_check, "address"),
            (self.phone_check, "phone"),
            (self.serial_check, "serial"),
        ):
            check.blockSignals(True)
            check.setChecked(ticks.get(code, False))
            check.blockSignals(False)
        self._tick_changed()
        notes = view.customer.notes
        self.notes_label.setText(self.tr("Notes: %1").replace("%1", notes) if notes else "")

    def _fill_assets(self, view: Customer360) -> None:
        table = self.assets_table
        table.setRowCount(len(view.assets))
        due_by_asset: dict[int, list[str]] = {}
        for item in view.consumables_due:
            due_by_asset.setdefault(item.asset_id, []).append(f"{item.name} {item.due.isoformat()}")
        for row, asset in enumerate(view.assets):
            table.setItem(
                row,
                0,
                QTableWidgetItem(f"{asset.product_line} {asset.model}"),
            )
            table.setItem(row, 1, QTableWidgetItem(asset.serial_number))
            covered = view.warranty.get(asset.id, True)
            end = asset.warranty_end.isoformat()
            text = (self.tr("until %1") if covered else self.tr("expired %1")).replace("%1", end)
            cell = QTableWidgetItem(text)
            if not covered:
                cell.setForeground(colour(ColourRole.ERROR))
            table.setItem(row, 2, cell)
            table.setItem(row, 3, QTableWidgetItem(", ".join(due_by_asset.get(asset.id, []))))
        table.resizeColumnsToContents()

    def _fill_work(self, view: Customer360) -> None:
        self.work_list.clear()
        for ticket in view.open_tickets:
            # The deadline the Tickets list and the flags count down to (rules.ticket_deadline).
            due = ticket_deadline(
                ticket.status.value,
                when(ticket.sla_due_at),
                when(ticket.resolve_due_at),
            )
            status = {
                "new": self.tr("new"),
                "in_progress": self.tr("in progress"),
                "waiting_customer": self.tr("waiting on the customer"),
                "escalated": self.tr("escalated"),
            }.get(ticket.status.value, ticket.status.value)
            line = f"{ticket.number} · {status} · {ticket.summary}"
            item = QListWidgetItem(self._work_line(line, due))
            item.setData(Qt.ItemDataRole.UserRole, ("ticket", ticket.id))
            item.setData(LINE_ROLE, line)
            item.setData(DEADLINE_ROLE, due)
            self.work_list.addItem(item)
        for shown in view.dispatches:
            dispatch = shown.record
            if dispatch.status not in ("planned", "en_route", "on_site"):
                continue
            item = QListWidgetItem(
                self.tr("Dispatch %1 · %2 · %3")
                .replace("%1", shown.ticket_number)
                .replace("%2", dispatch.technician)
                .replace("%3", dispatch.window_start.isoformat()[:16].replace("T", " "))
            )
            item.setData(Qt.ItemDataRole.UserRole, ("dispatch", dispatch.id))
            self.work_list.addItem(item)
        if self.work_list.count() == 0:
            none = QListWidgetItem(self.tr("No open tickets or dispatches."))
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.work_list.addItem(none)

    def _fill_timeline(self) -> None:
        self.timeline.clear()
        if self.view is None:
            return
        wanted = self.timeline_filter.currentData()
        kinds = {
            "call_in": self.tr("Call in"),
            "call_out": self.tr("Call out"),
            "email": self.tr("Email"),
            "web": self.tr("Web"),
            "sms": self.tr("SMS"),
            "callback": self.tr("Callback"),
            "survey": self.tr("Survey"),
            "proactive": self.tr("Follow-up call"),
        }
        entities = {
            "ticket": self.tr("Ticket"),
            "dispatch": self.tr("Dispatch"),
        }
        called = {i.id: i.remote_number for i in self.view.interactions}
        checked = {i.id: i.checks for i in self.view.interactions if i.checks}
        for entry in self.view.timeline:
            if wanted and entry.entity != wanted:
                continue
            what = entities.get(entry.entity) or kinds.get(entry.kind, entry.kind)
            if entry.entity == "ticket" and entry.channel == "portal":
                what = self.tr("Portal request")  # the customer registered it themselves
            if entry.entity in ("ticket", "dispatch"):
                what = f"{what} ({entry.kind})"
            details = f"{entry.title} {entry.detail}".strip()
            if entry.entity == "interaction" and entry.record_id in checked:
                details = f"{details} · {self.checked_text(checked[entry.record_id])}".strip(" ·")
            # A call's number, else the first number in its text: a double-click dials it.
            number = next(iter(find_numbers(called.get(entry.record_id, ""))), "")
            if entry.entity != "interaction":
                number = ""
            if number:
                details = f"☎ {number} {details}".strip()
            number = number or next(iter(find_numbers(details)), "")
            recording = (
                self._recordings.get(entry.record_id) if entry.entity == "interaction" else None
            )
            if recording is not None:
                what = f"▶ {what}"
            item = QTreeWidgetItem([local_time(entry.at), what, details])
            item.setData(0, Qt.ItemDataRole.UserRole, (entry.entity, entry.record_id))
            if recording is not None:
                item.setData(1, RECORDING_ROLE, recording)
                item.setToolTip(1, self.tr("Recorded: select it and press ▶ Play recording"))
            if number:
                item.setData(2, Qt.ItemDataRole.UserRole, number)
                item.setToolTip(2, self.tr("Double-click to call %1").replace("%1", number))
            self.timeline.addTopLevelItem(item)
        for column in range(2):
            self.timeline.resizeColumnToContents(column)
        self._show_playable()

    # -- recordings (issue 20) ----------------------------------------------------------------

    def set_recordings(self, found: dict[int, RecordingMeta]) -> None:
        """Which of the shown customer's calls have a recording: marked ▶ in the history."""
        if self.view is None:
            return
        self._recordings = dict(found)
        self._recordings_of = self.view.customer.id
        current = self.timeline.currentItem()
        kept = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self._fill_timeline()
        for row in range(self.timeline.topLevelItemCount()):
            item = self.timeline.topLevelItem(row)
            if item is not None and kept and item.data(0, Qt.ItemDataRole.UserRole) == kept:
                self.timeline.setCurrentItem(item)

    def selected_recording(self) -> RecordingMeta | None:
        item = self.timeline.currentItem()
        meta = item.data(1, RECORDING_ROLE) if item is not None else None
        return meta if isinstance(meta, RecordingMeta) else None

    def play_selected_recording(self) -> None:
        meta = self.selected_recording()
        if meta is not None:
            self.play_recording_requested.emit(meta)

    def _show_playable(self) -> None:
        self.play_recording_button.setVisible(bool(self._recordings))
        can = self.selected_recording() is not None
        self.play_recording_button.setEnabled(can)
        self.play_recording_action.setEnabled(can)

    def checked_text(self, checks: list[str]) -> str:
        """A history line's verify-on-file: what the agent ticked on that call."""
        names = {
            "name": self.tr("name"),
            "phone": self.tr("phone number"),
            "address": self.tr("address"),
            "serial": self.tr("serial number"),
        }
        return self.tr("Verified: %1").replace("%1", ", ".join(names.get(c, c) for c in checks))

    def _fill_actions(self, view: Customer360) -> None:
        self.actions_list.clear()
        texts = {
            ActionKind.FOLLOW_UP_TICKET: self.tr("Give an update on ticket %1"),
            ActionKind.OFFER_REORDER: self.tr("Offer a reorder: %1"),
            ActionKind.PENDING_SURVEY: self.tr("Ask the pending satisfaction survey"),
            ActionKind.PENDING_CALLBACK: self.tr("A callback is pending: %1"),
            ActionKind.RENEW_WARRANTY: self.tr("Offer a warranty extension: %1"),
        }
        for action in view.actions:
            item = QListWidgetItem(texts[action.kind].replace("%1", action.detail))
            item.setData(Qt.ItemDataRole.UserRole, action.record)
            self.actions_list.addItem(item)

    def _add_customer_item(self, target: QListWidget, customer: CustomerOut) -> None:
        contacts = ", ".join(c.name for c in customer.contacts)
        vip = " ★" if customer.vip else ""
        item = QListWidgetItem(f"{customer.name}{vip} · {customer.code} · {contacts}")
        item.setData(Qt.ItemDataRole.UserRole, customer.id)
        target.addItem(item)

    def _new_ticket(self) -> None:
        if self.view is not None:
            contact = self.view.contact
            self.new_ticket_requested.emit(self.view.customer.id, contact.id if contact else 0)

    # -- inline edit ------------------------------------------------------------------------

    def start_edit(self) -> None:
        if self.view is None:
            return
        self.profile_editor.edit(self.view.customer)
        self.profile_pages.setCurrentWidget(self.profile_editor)
        self.tabs.setCurrentWidget(self.profile_pages)

    @property
    def editing(self) -> bool:
        return self.profile_pages.currentWidget() is self.profile_editor

    def end_edit(self) -> None:
        self.profile_pages.setCurrentIndex(0)

    def edit_refused(self, field: str, text: str) -> None:
        """The cache refused the edit (``field`` names what): say so and keep editing."""
        self.profile_editor.show_error(field or "form", text)

    def _profile_save(self, changes: CustomerPatch) -> None:
        if self.view is None:
            return
        if changes.address is not None:
            # Verify-on-file: the centre may require checks before an address change. Blocked
            # here until ticked; the ticks go with the change, for the server checks them too.
            ticked = self.checks()
            missing = missing_checks(self._desk_rules(), ADDRESS_CHANGE, ticked)
            if missing:
                self.profile_editor.show_error(
                    "address",
                    self.tr("Verify the caller first: tick %1 on the profile.").replace(
                        "%1", ", ".join(self.check_label(code) for code in missing)
                    ),
                )
                return
            changes = changes.model_copy(update={"checks": ticked})
        self.profile_edited.emit(self.view.customer.id, changes)

    # -- verify-on-file -----------------------------------------------------------------------

    def set_required_checks(self, required: dict[str, list[str]]) -> None:
        """The centre's rule (``DeskSettings.required_checks``), again when an admin changes
        it."""
        self._required = {action: list(checks) for action, checks in required.items()}

    def _desk_rules(self) -> DeskSettings:
        return DEFAULT_DESK_SETTINGS.model_copy(update={"required_checks": self._required})

    def checks(self) -> list[str]:
        """The identity checks ticked on this call: "name" when a contact is ticked (the
        caller proved to be that contact), and the address, phone and serial boxes."""
        ticks = self.verified()
        found: list[str] = []
        contacts = any(v for k, v in ticks.items() if k not in ("address", "phone", "serial"))
        for code in IDENTITY_CHECKS:
            if (code == "name" and contacts) or (code != "name" and ticks.get(code, False)):
                found.append(code)
        return found

    def check_label(self, code: str) -> str:
        return {
            "name": self.tr("the caller's name (a contact's tick)"),
            "phone": self.tr("phone number"),
            "address": self.tr("address"),
            "serial": self.tr("serial number"),
        }.get(code, code)

    def _tick_changed(self, *_args: object) -> None:
        self.checks_changed.emit(self.checks())

    # -- wrap-up ------------------------------------------------------------------------------

    def set_dispositions(self, codes: list[DeskCode]) -> None:
        """The centre's dispositions (again when an admin changed them). One the agent has
        already chosen in this wrap-up stays chosen, with its label, even if it was removed."""
        self._dispositions = list(codes)
        combo = self.disposition_combo
        current, current_label = combo.currentData(), combo.currentText()
        combo.blockSignals(True)  # the same choice before and after: no draft change
        combo.clear()
        combo.addItem(self.tr("Choose a disposition…"), "")
        for code in codes:
            combo.addItem(desk_code_label(code), code.code)
        if current and combo.findData(current) < 0:
            combo.addItem(current_label, current)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def start_wrap_up(self, record: CallRecord) -> None:
        self.wrap_notes.clear()
        self.disposition_combo.setCurrentIndex(0)
        self.set_dispositions(self._dispositions)  # (drops a removed one the last call kept)
        self.wrap_error.hide()
        self._wrap_record = record
        self.wrap_up.show()
        self.disposition_combo.setFocus()

    def show_status(self, status: AgentStatus) -> None:
        if status.state == AgentState.WRAP_UP and self.wrap_up.isVisible():
            minutes, seconds = divmod(max(0, status.wrap_up_left_s), 60)
            self.wrap_title.setText(
                self.tr("Wrap-up: %1 left").replace("%1", f"{minutes}:{seconds:02d}")
            )
        elif status.state != AgentState.WRAP_UP:
            self.wrap_up.hide()

    def _draft_changed(self) -> None:
        if not self.wrap_up.isHidden():  # (the panel's dock may be closed: still a wrap-up)
            code = str(self.disposition_combo.currentData() or "")
            self.wrap_up_draft.emit(code, self.wrap_notes.toPlainText().strip())

    def confirm_wrap_up(self) -> None:
        """Done, from the keyboard: as the button, when a wrap-up is open (even with the dock
        closed); otherwise nothing."""
        if not self.wrap_up.isHidden():
            self._wrap_done()

    def take_focus(self) -> None:
        """Focus the 360: the customer's tabs when one is shown, else the search box."""
        if self.pages.currentWidget() is self.tabs:
            self.tabs.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.search_edit.selectAll()

    def _wrap_done(self) -> None:
        code = str(self.disposition_combo.currentData() or "")
        if not code:
            self.wrap_error.setText(self.tr("Choose a disposition for this call."))
            self.wrap_error.show()
            self.disposition_combo.setFocus()
            return
        notes = self.wrap_notes.toPlainText().strip()
        if len(notes) > 4000:
            self.wrap_error.setText(
                self.tr("The notes are too long (%1 characters; at most 4000).").replace(
                    "%1", str(len(notes))
                )
            )
            self.wrap_error.show()
            return
        self.wrap_up.hide()
        self.wrap_up_done.emit(code, notes)

    # -- the agent's clicks -------------------------------------------------------------------

    def _caller_number(self) -> str:
        if self.pop is None or (self.pop.call is not None and self.pop.call.caller_withheld):
            return ""
        if self.pop.lookup is not None and self.pop.lookup.key:
            return self.pop.lookup.key
        return self.pop.raw

    def _search_now(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        if text:
            self.search_requested.emit(text)

    def _picked(self, item: QListWidgetItem) -> None:
        customer_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(customer_id, int):
            self.customer_chosen.emit(customer_id)

    def _dial_cell(self, row: int, column: int) -> None:
        if column != 2:
            return
        item = self.contacts_table.item(row, 2)
        number = item.data(Qt.ItemDataRole.UserRole) if item else ""
        if number:
            self.dial_requested.emit(str(number))

    def _dial_timeline(self, item: QTreeWidgetItem, _column: int) -> None:
        number = item.data(2, Qt.ItemDataRole.UserRole)
        if isinstance(number, str) and number:
            self.dial_requested.emit(number)

    def _open_work(self, item: QListWidgetItem) -> None:
        record = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(record, tuple) and len(record) == 2:
            self.open_record_requested.emit(str(record[0]), int(record[1]))

    def verified(self) -> dict[str, bool]:
        """What the agent ticked as confirmed on this call (contact names, "address")."""
        ticks: dict[str, bool] = {}
        for row in range(self.contacts_table.rowCount()):
            tick, name = self.contacts_table.item(row, 0), self.contacts_table.item(row, 1)
            if tick is not None and name is not None:
                ticks[name.text()] = tick.checkState() == Qt.CheckState.Checked
        ticks["address"] = self.address_check.isChecked()
        ticks["phone"] = self.phone_check.isChecked()
        ticks["serial"] = self.serial_check.isChecked()
        return ticks

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        # The chips are rich text with the palette's colours written in: draw them anew.
        view = getattr(self, "view", None)  # (a change may come while __init__ runs)
        if event.type() == QEvent.Type.PaletteChange and view is not None:
            self._show_flags(view)
        super().changeEvent(event)

    def retranslate(self) -> None:
        """View > Language: the panel's fixed texts (bound where they are built), then what
        it shows drawn again in place (same tab, ticks kept)."""
        self._texts.retranslate()
        self.set_dispositions(self._dispositions)
        pop = self.pop
        if pop is not None and not self.editing:
            self.show_pop(replace(pop, refreshed=True) if pop.view is not None else pop)
