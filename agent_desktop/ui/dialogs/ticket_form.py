"""The service request form: register it on the call, follow it through its workflow.

One window per ticket (several may be open). A new ticket gets its number at once from the
desk (read it to the caller); saving goes to the cache and the outbox, so it works offline and
a stale edit from another desk becomes a conflict, never an overwrite. Only the moves the
workflow allows are offered; a complaint must keep a handler. The SLA clocks count down from
the same rules the server escalates by; the history (escalations, handovers) comes from the
server when it can be asked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.desk_labels import desk_code_label
from agent_desktop.services.kb import KbService
from agent_desktop.services.sync_service import CacheError
from agent_desktop.services.work import WorkService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.dialogs.email_reply_dialog import EmailReplyDialog
from agent_desktop.ui.dialogs.handover_dialog import HandoverDialog
from agent_desktop.ui.durations import left_text
from agent_desktop.ui.escalation_text import escalation_text
from agent_desktop.ui.fields import error_label, local_time
from agent_desktop.ui.live_texts import LiveTexts, header_title
from agent_desktop.ui.models.tickets_model import status_label
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.widgets.kb_suggestions import KbSuggestions
from sync.contract.mail import EmailReplyIn
from sync.contract.records import Channel, Priority, Role, TicketStatus, Urgency
from sync.contract.rules import next_statuses, ticket_problems
from sync.contract.skills import skill_for
from sync.contract.wire import (
    AssetOut,
    Attachment,
    CustomerOut,
    TicketChangeOut,
    TicketIn,
    TicketOut,
    TicketPatch,
)
from sync.entities import edit_of, not_editable, refusal, request_of
from sync.work_views import LinkedArticle, Person, TicketDetail, when

SUMMARY_MAX = 200
CONTENT_MAX = 20_000
SOURCE_MAX = 200
ATTACHMENTS_MAX = 20
TICK_MS = 30_000  # the countdowns move by the minute
PRODUCT_LINE_ROLE = Qt.ItemDataRole.UserRole + 1  # of the product combo's items


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size //= 1024
    return str(size)


class TicketForm(QDialog):
    saved = Signal(int)  # the ticket id (negative until the server has it)
    dispatch_requested = Signal(int)  # ticket id
    transfer_requested = Signal(str)  # an expert's extension: consult, then transfer the call
    dial_requested = Signal(str)  # the chosen contact's number (with " ext. N"): click-to-dial

    def __init__(
        self,
        work: WorkService,
        *,
        ticket_id: int | None = None,
        customer_id: int | None = None,
        contact_id: int | None = None,
        call_active: bool = False,
        language: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if (ticket_id is None) == (customer_id is None):
            raise ValueError("a ticket form opens a ticket or starts one for a customer")
        self.setObjectName("ticketForm")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._work = work
        self.ticket_id = ticket_id
        self._customer_id = customer_id
        self._want_contact = contact_id
        self._call_active = call_active
        self._language = "zh" if language.startswith("zh") else "en"
        self.detail: TicketDetail | None = None
        self.number = ""
        self._history: list[TicketChangeOut] | None = None
        self._attachments: list[Attachment] = []
        self._articles: list[LinkedArticle] = []
        self.suggestions: KbSuggestions | None = None
        self.handover_dialog: HandoverDialog | None = None  # the last one opened (hand_over)
        self._dirty = False
        self._filling = False
        self._creating = False  # a new ticket's create is queued, its id not back yet
        self.errors: dict[str, QLabel] = {}
        self._texts = LiveTexts()  # the fixed texts, again at a language change (retranslate)
        self._build()
        self._label_controls()
        work.history_loaded.connect(self._on_history)
        work.records_touched.connect(self._on_touched)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._show_clocks)
        self._timer.start()
        self.resize(820, 680)
        self.reload()

    # -- building -----------------------------------------------------------------------------

    def _error_label(self, key: str) -> QLabel:
        label = self.errors[key] = error_label(f"{key}Error")
        return label

    def _combo(self, name: str, items: list[tuple[Callable[[], str], Any]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for _label, value in items:
            combo.addItem("", value)
        self._texts.items(combo, [label for label, _value in items])
        combo.currentIndexChanged.connect(self._edited)
        return combo

    def _row_label(self, text: Callable[[], str], buddy: QWidget) -> QLabel:
        """A form row's name, following the language, its mnemonic going to ``buddy``."""
        label = self._texts.label(text)
        label.setBuddy(buddy)
        return label

    def _label_controls(self) -> None:
        """Names for controls whose visible label a screen reader cannot find."""
        self._texts.bind(self.subcategory_combo.setAccessibleName, lambda: self.tr("Subcategory"))
        self._texts.bind(self.content_edit.setAccessibleName, lambda: self.tr("Description"))

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("ticketBanner")
        self.banner.setWordWrap(True)
        set_tone(self.banner, "notice")
        self.banner.hide()
        self.number_label = QLabel()
        self.number_label.setObjectName("ticketNumber")
        font = self.number_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.number_label.setFont(font)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("ticketStatus")
        self.customer_label = QLabel()
        self.customer_label.setWordWrap(True)
        self.contact_combo = self._combo("contact", [])
        self._contact_numbers: dict[int, str] = {}  # contact id -> number as dialled
        self.call_contact_button = QPushButton()
        self.call_contact_button.setObjectName("callContact")
        self._texts.bind(self.call_contact_button.setText, lambda: self.tr("Call"))
        self._texts.bind(self.call_contact_button.setToolTip, lambda: self.tr("Call this contact"))
        self.call_contact_button.setEnabled(False)
        self.call_contact_button.clicked.connect(self._call_contact)
        self.contact_combo.currentIndexChanged.connect(lambda _i: self._contact_changed())
        self.asset_combo = self._combo("product", [])
        self.channel_combo = self._combo(
            "channel",
            [
                (lambda: self.tr("Phone"), Channel.PHONE.value),
                (lambda: self.tr("Email"), Channel.EMAIL.value),
                (lambda: self.tr("Web"), Channel.WEB.value),
                (lambda: self.tr("SMS"), Channel.SMS.value),
                (lambda: self.tr("WeChat"), Channel.WECHAT.value),
                (lambda: self.tr("Customer portal"), Channel.PORTAL.value),
            ],
        )
        self.source_edit = QLineEdit("hotline")
        self.source_edit.setObjectName("source")
        self.source_edit.textEdited.connect(self._edited)
        self.urgency_combo = self._combo(
            "urgency",
            [
                (lambda: self.tr("High"), Urgency.HIGH.value),
                (lambda: self.tr("Medium"), Urgency.MEDIUM.value),
                (lambda: self.tr("Low"), Urgency.LOW.value),
            ],
        )
        self.urgency_combo.setCurrentIndex(1)
        self.priority_combo = self._combo(
            "priority",
            [
                (lambda: self.tr("P1 — resolve within 4 h"), Priority.P1.value),
                (lambda: self.tr("P2 — within 24 h"), Priority.P2.value),
                (lambda: self.tr("P3 — within 3 days"), Priority.P3.value),
                (lambda: self.tr("P4 — within 7 days"), Priority.P4.value),
            ],
        )
        self.priority_combo.setCurrentIndex(2)
        self.category_combo = self._combo("category", [(lambda: self.tr("Choose…"), "")])
        self.subcategory_combo = self._combo("subcategory", [])
        self.category_combo.currentIndexChanged.connect(self._fill_subcategories)
        self._fill_categories()
        self.complaint_check = QCheckBox()
        self._texts.bind(
            self.complaint_check.setText, lambda: self.tr("Complaint (response clock, escalates)")
        )
        self.complaint_check.setObjectName("complaint")
        self.complaint_check.toggled.connect(self._edited)
        self.handler_combo = self._combo("handler", [(lambda: self.tr("Nobody yet"), None)])
        self._build_text_edits()
        self._lay_out()

    def _build_text_edits(self) -> None:
        self.summary_edit = QLineEdit()
        self.summary_edit.setObjectName("summary")
        self._texts.bind(
            self.summary_edit.setPlaceholderText, lambda: self.tr("What is wrong, in one line")
        )
        self.summary_edit.textEdited.connect(self._edited)
        self.content_edit = QPlainTextEdit()
        self.content_edit.setObjectName("content")
        self._texts.bind(
            self.content_edit.setPlaceholderText,
            lambda: self.tr("What the customer said, what was checked, what was done"),
        )
        self.content_edit.textChanged.connect(self._edited)

    def _lay_out(self) -> None:
        self.content_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.tabs = QTabWidget()
        self._texts.tab(self.tabs, self._build_main(), lambda: self.tr("Ticket"))
        self._texts.tab(self.tabs, self._build_links(), lambda: self.tr("Calls, articles, files"))
        self._texts.tab(self.tabs, self._build_history(), lambda: self.tr("History"))

        self.moves = QHBoxLayout()
        self.handover_button = QPushButton()
        self._texts.bind(self.handover_button.setText, lambda: self.tr("Hand over to expert…"))
        self.handover_button.setObjectName("handover")
        self.handover_button.clicked.connect(self.hand_over)
        self.dispatch_button = QPushButton()
        self._texts.bind(self.dispatch_button.setText, lambda: self.tr("Dispatch engineer…"))
        self.dispatch_button.setObjectName("dispatch")
        self.dispatch_button.clicked.connect(self._dispatch)
        self.email_button = QPushButton()
        self._texts.bind(self.email_button.setText, lambda: self.tr("Reply by email…"))
        self.email_button.setObjectName("emailReply")
        self.email_button.clicked.connect(self.reply_by_email)
        self.email_button.setVisible(False)  # an email ticket's (see _show_email)
        self.email_dialog: EmailReplyDialog | None = None  # the last one opened
        self.save_button = QPushButton()
        self._texts.bind(self.save_button.setText, lambda: self.tr("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save_clicked)
        close = QPushButton()
        self._texts.bind(close.setText, lambda: self.tr("Close"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.handover_button)
        buttons.addWidget(self.dispatch_button)
        buttons.addWidget(self.email_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        head = QHBoxLayout()
        head.addWidget(self.number_label)
        head.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        moves_row = QHBoxLayout()
        moves_row.addWidget(self._texts.label(lambda: self.tr("Move to:")))
        moves_row.addLayout(self.moves)
        moves_row.addStretch(1)
        layout.addLayout(moves_row)
        layout.addWidget(self._error_label("form"))
        layout.addLayout(buttons)

    def _build_main(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout()
        contact = self._contact_row()
        rows: list[tuple[str, Callable[[], str], QWidget | QHBoxLayout]] = [
            ("customer", lambda: self.tr("Customer:"), self.customer_label),
            ("contact_id", lambda: self.tr("C&ontact:"), contact),
            ("asset_id", lambda: self.tr("&Product:"), self.asset_combo),
        ]
        category = QHBoxLayout()
        category.addWidget(self.category_combo, 1)
        category.addWidget(self.subcategory_combo, 1)
        rows.append(("category", lambda: self.tr("&Category:"), category))
        buddies = {"category": self.category_combo, "contact_id": self.contact_combo}
        rows.append(("handler_id", lambda: self.tr("&Handler:"), self.handler_combo))
        rows.append(("summary", lambda: self.tr("&Summary:"), self.summary_edit))
        left = QFormLayout()
        for key, label, widget in rows:
            # A row holding a layout gets no buddy by itself: the mnemonic needs one.
            buddy = buddies[key] if isinstance(widget, QHBoxLayout) else widget
            left.addRow(self._row_label(label, buddy), widget)
            left.addRow("", self._error_label(key))
        # Knowledge pushed from the summary and the product goes here (attach_kb).
        self.suggestions_slot = QVBoxLayout()
        left.addRow("", self.suggestions_slot)
        right = QFormLayout()
        right.addRow(
            self._row_label(lambda: self.tr("Cha&nnel:"), self.channel_combo), self.channel_combo
        )
        right.addRow(
            self._row_label(lambda: self.tr("So&urce:"), self.source_edit), self.source_edit
        )
        right.addRow("", self._error_label("source"))
        right.addRow(
            self._row_label(lambda: self.tr("&Urgency:"), self.urgency_combo), self.urgency_combo
        )
        right.addRow(
            self._row_label(lambda: self.tr("P&riority:"), self.priority_combo), self.priority_combo
        )
        right.addRow("", self.complaint_check)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        sla = QGroupBox()
        self._texts.bind(sla.setTitle, lambda: self.tr("Service level"))
        self.response_label = QLabel()
        self.response_label.setObjectName("responseDue")
        self.resolve_label = QLabel()
        self.resolve_label.setObjectName("resolveDue")
        self.escalation_label = QLabel()
        self.escalation_label.setObjectName("escalation")
        self.escalation_label.setWordWrap(True)
        sla_layout = QFormLayout(sla)
        sla_layout.addRow(self._texts.label(lambda: self.tr("Response due:")), self.response_label)
        sla_layout.addRow(self._texts.label(lambda: self.tr("Resolve by:")), self.resolve_label)
        sla_layout.addRow(self._texts.label(lambda: self.tr("Escalation:")), self.escalation_label)
        layout = QVBoxLayout(page)
        layout.addLayout(grid)
        layout.addWidget(self._texts.label(lambda: self.tr("Details:")))
        layout.addWidget(self.content_edit, 1)
        layout.addWidget(self._error_label("content"))
        layout.addWidget(sla)
        return page

    def _build_links(self) -> QWidget:
        page = QWidget()
        self.calls_list = QListWidget()
        self.calls_list.setObjectName("linkedCalls")
        self._texts.bind(self.calls_list.setAccessibleName, lambda: self.tr("Linked calls"))
        self.articles_list = QListWidget()
        self.articles_list.setObjectName("linkedArticles")
        self._texts.bind(self.articles_list.setAccessibleName, lambda: self.tr("Linked articles"))
        unlink = QPushButton()
        self._texts.bind(unlink.setText, lambda: self.tr("Unlink article"))
        unlink.clicked.connect(self._unlink_article)
        self.files_list = QListWidget()
        self.files_list.setObjectName("attachments")
        self._texts.bind(self.files_list.setAccessibleName, lambda: self.tr("Attachments"))
        add_file = QPushButton()
        self._texts.bind(add_file.setText, lambda: self.tr("Attach file…"))
        add_file.setObjectName("attach")
        add_file.clicked.connect(self._pick_file)
        remove_file = QPushButton()
        self._texts.bind(remove_file.setText, lambda: self.tr("Remove file"))
        remove_file.clicked.connect(self._remove_file)
        layout = QVBoxLayout(page)
        layout.addWidget(self._texts.label(lambda: self.tr("Calls linked to this ticket:")))
        layout.addWidget(self.calls_list, 1)
        layout.addWidget(self._texts.label(lambda: self.tr("Knowledge articles used:")))
        layout.addWidget(self.articles_list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(unlink)
        layout.addLayout(row)
        layout.addWidget(
            self._texts.label(
                lambda: self.tr(
                    "Attachments (name and size are shared; the file stays on this PC):"
                )
            )
        )
        layout.addWidget(self.files_list, 1)
        layout.addWidget(self._error_label("attachments"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(add_file)
        row.addWidget(remove_file)
        layout.addLayout(row)
        return page

    def _build_history(self) -> QWidget:
        page = QWidget()
        self.history_note = QLabel()
        self.history_note.setWordWrap(True)
        self.history_tree = QTreeWidget()
        self.history_tree.setObjectName("history")
        self._texts.bind(self.history_tree.setAccessibleName, lambda: self.tr("Ticket history"))
        self.history_tree.setRootIsDecorated(False)
        self.history_tree.setColumnCount(5)
        for column, text in enumerate(
            (
                lambda: self.tr("When"),
                lambda: self.tr("Who"),
                lambda: self.tr("What"),
                lambda: self.tr("From"),
                lambda: self.tr("To"),
            )
        ):
            self._texts.bind(header_title(self.history_tree, column), text)
        layout = QVBoxLayout(page)
        layout.addWidget(self.history_note)
        layout.addWidget(self.history_tree, 1)
        return page

    def _fill_categories(self) -> None:
        for code in self._work.settings.ticket_categories:
            if "." not in code.code:
                self.category_combo.addItem(desk_code_label(code), code.code)

    def _fill_subcategories(self) -> None:
        branch = str(self.category_combo.currentData() or "")
        self.subcategory_combo.clear()
        self.subcategory_combo.addItem(self.tr("(general)"), branch)
        for code in self._work.settings.ticket_categories:
            if branch and code.code.startswith(branch + "."):
                self.subcategory_combo.addItem(desk_code_label(code), code.code)

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        ticket_id = self.ticket_id
        if ticket_id is not None:
            self._work.read(lambda v: v.ticket(ticket_id), lambda d: self._loaded(ticket_id, d))
            self._work.load_history(ticket_id)
        else:
            customer_id = self._customer_id or 0
            self._work.read(
                lambda v: v.customer_context(customer_id), lambda d: self._loaded(None, d)
            )

    def _loaded(self, ticket_id: int | None, detail: TicketDetail | None) -> None:
        if ticket_id != self.ticket_id:
            return  # asked before the ticket got its server id; a newer read is coming
        if detail is not None:
            self.detail = detail
            self._fill(detail)
            return
        if ticket_id is not None and ticket_id < 0 and self.number:
            # Sent meanwhile: the server's id replaced this desk's; find it by its number.
            number, local = self.number, ticket_id
            self._work.read(
                lambda v: v.server_id(local) or v.ticket_id_of(number), self._renumbered
            )
            return
        self.show_error("form", self.tr("This ticket is no longer on this PC."))

    def _renumbered(self, ticket_id: int | None) -> None:
        if ticket_id is None:
            self.show_error("form", self.tr("This ticket is no longer on this PC."))
            return
        self.ticket_id = ticket_id
        self.saved.emit(ticket_id)
        self.reload()

    def _fill(self, detail: TicketDetail) -> None:
        self._filling = True
        try:
            ticket = detail.ticket
            customer = detail.customer
            self.number = ticket.number if ticket is not None else ""
            self._show_title()
            self.customer_label.setText(
                f"{customer.name if customer else ''} · {customer.code if customer else ''}"
            )
            self._fill_contacts(customer, ticket)
            self._fill_assets(detail.assets, ticket)
            self._fill_handlers(detail.people, ticket)
            self._select(self.channel_combo, (ticket.channel if ticket else Channel.PHONE).value)
            self.source_edit.setText(ticket.source if ticket else "hotline")
            self._select(self.urgency_combo, (ticket.urgency if ticket else Urgency.MEDIUM).value)
            self._select(self.priority_combo, (ticket.priority if ticket else Priority.P3).value)
            category = ticket.category if ticket else ""
            self._select(self.category_combo, category.split(".", maxsplit=1)[0])
            self._fill_subcategories()
            self._select(self.subcategory_combo, category)
            self.complaint_check.setChecked(ticket.complaint if ticket else False)
            self.summary_edit.setText(ticket.summary if ticket else "")
            self.content_edit.setPlainText(ticket.content if ticket else "")
            self._attachments = list(ticket.attachments) if ticket else []
            self._articles = list(detail.articles)
            self._fill_links(detail)
            self._fill_moves()
            self._show_state(detail)
            self._show_clocks()
            self._fill_history()
            self.dispatch_button.setEnabled(self.ticket_id is not None)
            self.handover_button.setEnabled(self.ticket_id is not None)
            self._show_email(detail)
        finally:
            self._filling = False
        self._dirty = False

    def _show_title(self) -> None:
        self.setWindowTitle(
            self.tr("Ticket %1").replace("%1", self.number)
            if self.number
            else self.tr("New ticket")
        )
        self.number_label.setText(self.number or self.tr("New ticket"))

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The form's texts in the language now in use, the agent's entries kept: the fixed
        texts, the desk codes and first items of the combos, and what was drawn from the
        ticket (title, state, clocks, moves, calls, history)."""
        self._texts.retranslate()
        codes = {code.code: code for code in self._work.settings.ticket_categories}
        for combo, fixed in ((self.category_combo, 1), (self.subcategory_combo, 0)):
            for index in range(fixed, combo.count()):
                code = codes.get(str(combo.itemData(index)))
                if code is not None:
                    combo.setItemText(index, desk_code_label(code))
        if self.subcategory_combo.count():
            self.subcategory_combo.setItemText(0, self.tr("(general)"))
        for combo, text in (
            (self.contact_combo, self.tr("—")),
            (self.asset_combo, self.tr("— no product —")),
        ):
            if combo.count():
                combo.setItemText(0, text)
        if not self.handler_combo.isEnabled():
            self.handler_combo.setToolTip(
                self.tr("Only a team lead reassigns; hand over to an expert instead.")
            )
        detail = self.detail
        if detail is None:
            return
        self._show_title()
        self._fill_calls(detail)
        self._name_moves()
        self._show_state(detail)
        self._show_clocks()
        self._fill_history()

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _fill_contacts(self, customer: CustomerOut | None, ticket: TicketOut | None) -> None:
        self.contact_combo.clear()
        self._contact_numbers.clear()
        self.contact_combo.addItem(self.tr("—"), None)
        for contact in customer.contacts if customer else []:
            # A contact added on this desk has no id until the server answers (shown as 0).
            self.contact_combo.addItem(f"{contact.name} · {contact.phone_e164}", contact.id or None)
            if contact.id and contact.phone_e164:
                extension = f" ext. {contact.extension}" if contact.extension else ""
                self._contact_numbers[contact.id] = contact.phone_e164 + extension
        self._select(
            self.contact_combo, (ticket.contact_id if ticket else None) or self._want_contact
        )

    def _contact_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.contact_combo, 1)
        row.addWidget(self.call_contact_button)
        return row

    def _contact_changed(self) -> None:
        chosen = self.contact_combo.currentData()
        self.call_contact_button.setEnabled(chosen in self._contact_numbers)

    def _call_contact(self) -> None:
        number = self._contact_numbers.get(self.contact_combo.currentData())
        if number:
            self.dial_requested.emit(number)

    def _fill_assets(self, assets: list[AssetOut], ticket: TicketOut | None) -> None:
        self.asset_combo.clear()
        self.asset_combo.addItem(self.tr("— no product —"), None)
        for asset in assets:
            self.asset_combo.addItem(
                f"{asset.product_line} {asset.model} · {asset.serial_number}", asset.id
            )
            self.asset_combo.setItemData(
                self.asset_combo.count() - 1, asset.product_line, PRODUCT_LINE_ROLE
            )
        if ticket is not None and ticket.asset_id is not None:
            self._select(self.asset_combo, ticket.asset_id)
        elif len(assets) == 1:
            self.asset_combo.setCurrentIndex(1)  # the customer's only product

    def _fill_handlers(self, people: dict[int, Person], ticket: TicketOut | None) -> None:
        self.handler_combo.clear()
        self.handler_combo.addItem(self.tr("Nobody yet"), None)
        desks = [p for p in people.values() if p.role != Role.TECHNICIAN.value]
        for person in sorted(desks, key=lambda p: p.name):
            self.handler_combo.addItem(person.name, person.id)
        handler = ticket.handler_id if ticket is not None else self._work.user_id
        self._select(self.handler_combo, handler)
        # Another agent's ticket goes to someone else only by the lead (or a handover).
        may_reassign = self._work.may("ticket.reassign")
        self.handler_combo.setEnabled(may_reassign or self.ticket_id is None)
        if not self.handler_combo.isEnabled():
            self.handler_combo.setToolTip(
                self.tr("Only a team lead reassigns; hand over to an expert instead.")
            )

    def _fill_links(self, detail: TicketDetail) -> None:
        self._fill_calls(detail)
        self._fill_articles()
        self._fill_files()

    def _fill_calls(self, detail: TicketDetail) -> None:
        self.calls_list.clear()
        for call in detail.calls:
            started = local_time(when(call.started_at))
            kind = self.tr("Call in") if call.kind == "call_in" else self.tr("Call out")
            talk = call.talk_s
            self.calls_list.addItem(
                f"{started} · {kind} · {call.remote_number} · "
                + self.tr("%1 min %2 s")
                .replace("%1", str(talk // 60))
                .replace("%2", str(talk % 60))
            )
        if not detail.calls:
            none = QListWidgetItem(
                self.tr("This call (linked when you finish the wrap-up).")
                if self._call_active
                else self.tr("No call linked.")
            )
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.calls_list.addItem(none)

    def _fill_articles(self) -> None:
        self.articles_list.clear()
        for article in self._articles:
            item = QListWidgetItem(article.title or f"#{article.id}")
            item.setData(Qt.ItemDataRole.UserRole, article.id)
            self.articles_list.addItem(item)
        if self.suggestions is not None:
            self.suggestions.set_linked({a.id for a in self._articles})

    def _fill_files(self) -> None:
        self.files_list.clear()
        for attachment in self._attachments:
            self.files_list.addItem(f"{attachment.name} ({_size(attachment.size)})")

    def _status(self) -> TicketStatus | None:
        if self.detail is None or self.detail.ticket is None:
            return None
        return self.detail.ticket.status

    def _fill_moves(self) -> None:
        while self.moves.count():
            item = self.moves.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        status = self._status()
        if status is None:
            return
        for target in next_statuses(status, self._work.may("ticket.escalate")):
            button = QPushButton()
            button.setObjectName(f"move_{target.value}")
            button.clicked.connect(lambda _c=False, t=target: self.save(t))
            self.moves.addWidget(button)
        self._name_moves()

    def _name_moves(self) -> None:
        """The move buttons' names, for the ticket's status and the language in use."""
        status = self._status()
        if status is None:
            return
        names = {
            TicketStatus.IN_PROGRESS: self.tr("Reopen")
            if status in (TicketStatus.RESOLVED,)
            else self.tr("Start work")
            if status is TicketStatus.NEW
            else self.tr("Resume work"),
            TicketStatus.WAITING_CUSTOMER: self.tr("Wait for customer"),
            TicketStatus.ESCALATED: self.tr("Escalate"),
            TicketStatus.RESOLVED: self.tr("Resolve"),
            TicketStatus.CLOSED: self.tr("Close ticket"),
            TicketStatus.CANCELLED: self.tr("Cancel ticket"),
        }
        for n in range(self.moves.count()):
            item = self.moves.itemAt(n)
            button = item.widget() if item is not None else None
            if isinstance(button, QPushButton):
                target = TicketStatus(button.objectName().removeprefix("move_"))
                button.setText(names.get(target, status_label(target.value)))

    def moves_offered(self) -> list[str]:
        """The workflow moves the form offers now (status values), for tests and the tour."""
        found = []
        for n in range(self.moves.count()):
            item = self.moves.itemAt(n)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QPushButton):  # the old moves left the layout already
                found.append(widget.objectName().removeprefix("move_"))
        return found

    def _show_state(self, detail: TicketDetail) -> None:
        status = self._status()
        text = status_label(status.value) if status else self.tr("not saved yet")
        if detail.ticket is not None and detail.ticket.escalation_level:
            text += " · " + self.escalation_level_text()
        self.status_label.setText(text)
        notes = {
            "pending": self.tr("Saved on this PC; waiting to sync with the server."),
            "conflict": self.tr(
                "Someone else changed this ticket too: settle it in the conflict dialog "
                "(status bar) before further changes."
            ),
            "failed": self.tr("The server refused the last change: %1").replace("%1", detail.error),
        }
        note = notes.get(detail.state, "")
        if self.ticket_id is not None and self.ticket_id < 0 and detail.state == "pending":
            note = self.tr("Saved on this PC with its number; the server gets it when online.")
        self.banner.setText(note)
        self.banner.setVisible(bool(note))

    def _show_clocks(self) -> None:
        if self.detail is None:
            return
        ticket = self.detail.ticket
        now = self._work.now()
        status = self._status()
        running = status is not None and status not in (
            TicketStatus.RESOLVED,
            TicketStatus.CLOSED,
            TicketStatus.CANCELLED,
        )
        response = when(ticket.sla_due_at) if ticket else None
        resolve = when(ticket.resolve_due_at) if ticket else None
        for label, due, idle in (
            (self.response_label, response, self.tr("— (complaints only)")),
            (self.resolve_label, resolve, self.tr("set when saved")),
        ):
            if due is None or not running:
                label.setText(idle if status is None or due is None else self.tr("stopped"))
                set_tone(label, None)
                continue
            label.setText(f"{left_text(due, now)} ({local_time(due)})")
            set_tone(label, ColourRole.SLA_BREACHED if due < now else None, strong=True)
        self._show_escalation()

    def escalation_level_text(self) -> str:
        """ "Level 2 · 王经理 (service manager)": the level now and to whom (contract 1.6; a
        server before it says the level only)."""
        ticket = self.detail.ticket if self.detail else None
        if ticket is None or not ticket.escalation_level:
            return ""
        return escalation_text(
            ticket.escalation_level,
            ticket.escalated_to,
            ticket.escalation_target,
            ticket.escalation_label_en,
            ticket.escalation_label_zh,
            chinese=self._language == "zh",
        )

    def _show_escalation(self) -> None:
        ticket = self.detail.ticket if self.detail else None
        level = ticket.escalation_level if ticket else 0
        steps = [h for h in self._history or [] if h.field in ("escalated_to", "handover")]
        now = [self.escalation_level_text()] if ticket and ticket.escalated_to else []
        if steps or now:
            lines = now + [
                f"{local_time(h.at)} · "
                + (
                    self.tr("handed over to %1")
                    if h.field == "handover"
                    else self.tr("escalated to %1")
                ).replace("%1", h.new or self.tr("the next level"))
                for h in steps
            ]
            self.escalation_label.setText("\n".join(lines))
        elif level:
            self.escalation_label.setText(
                self.tr("level %1 (who and when: shown when online)").replace("%1", str(level))
            )
        else:
            self.escalation_label.setText(self.tr("not escalated"))

    def _on_history(self, ticket_id: int, history: list[TicketChangeOut] | None) -> None:
        if ticket_id != self.ticket_id:
            return
        self._history = history
        self._fill_history()
        self._show_escalation()

    def _fill_history(self) -> None:
        self.history_tree.clear()
        if self._history is None:
            self.history_note.setText(
                self.tr("The history is kept on the server; it is shown when online.")
            )
            return
        self.history_note.setText("")
        people = self.detail.people if self.detail else {}
        for entry in self._history:
            who = people.get(entry.user_id) if entry.user_id is not None else None
            self.history_tree.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        local_time(entry.at),
                        who.name if who else self.tr("system"),
                        self._history_field(entry.field),
                        entry.old or "",
                        entry.new or "",
                    ]
                )
            )
        for column in range(4):
            self.history_tree.resizeColumnToContents(column)

    def _history_field(self, field: str) -> str:
        """The channels' entries (issue 22) by name; the others as the server names them."""
        names = {
            "email_in": self.tr("Email received"),
            "email_out": self.tr("Email sent"),
            "note": self.tr("Note"),
        }
        return names.get(field, field)

    def _on_touched(self, touched: list[tuple[str, int]]) -> None:
        """The cache changed: show the ticket as it is now, unless the agent is editing."""
        if self.ticket_id is None:
            return
        if ("ticket", self.ticket_id) not in touched and not (
            self.ticket_id < 0 and any(entity == "ticket" for entity, _ in touched)
        ):
            return
        if self._dirty:
            self.banner.setText(
                self.tr(
                    "This ticket changed on the server while you were editing; your changes "
                    "are checked against it when you save."
                )
            )
            self.banner.show()
            return
        self.reload()

    def _edited(self) -> None:
        if not self._filling:
            self._dirty = True

    # -- links --------------------------------------------------------------------------------

    def attach_kb(self, kb: KbService) -> None:
        """Suggest articles for what the summary says and the product, as the agent types."""
        if self.suggestions is not None:
            return
        self.suggestions = KbSuggestions(kb, self)
        self.suggestions_slot.addWidget(self.suggestions)
        self.suggestions.link_requested.connect(self.link_article)
        self.summary_edit.textChanged.connect(self.suggestions.set_text)
        self.asset_combo.currentIndexChanged.connect(
            lambda _i: (
                self.suggestions.set_product(self.product_line()) if self.suggestions else None
            )
        )
        self.suggestions.set_product(self.product_line())
        self.suggestions.set_text(self.summary_edit.text())
        self._fill_articles()

    def _product_changed(self) -> None:
        if self.suggestions is not None:
            self.suggestions.set_product(self.product_line())

    def product_line(self) -> str:
        """The product line of the chosen product ("" for none)."""
        return str(self.asset_combo.currentData(PRODUCT_LINE_ROLE) or "")

    def link_article(self, article_id: int, title: str) -> None:
        """An article the agent used (from the knowledge base): saved with the ticket."""
        if any(a.id == article_id for a in self._articles):
            return
        self._articles.append(LinkedArticle(article_id, title))
        self._fill_articles()
        self._dirty = True

    def _unlink_article(self) -> None:
        row = self.articles_list.currentRow()
        if 0 <= row < len(self._articles):
            del self._articles[row]
            self._fill_articles()
            self._dirty = True

    def attach(self, path: str) -> None:
        self.errors["attachments"].hide()
        if len(self._attachments) >= ATTACHMENTS_MAX:
            self.show_error(
                "attachments",
                self.tr("At most %1 attachments.").replace("%1", str(ATTACHMENTS_MAX)),
            )
            return
        try:
            size = os.stat(path).st_size
        except OSError as exc:
            self.show_error(
                "attachments",
                self.tr("The file cannot be read: %1").replace("%1", exc.strerror or str(exc)),
            )
            return
        name = os.path.basename(path)[:200]
        # Checked with the ticket when it is saved, as every field is (said as the cache would).
        self._attachments.append(Attachment.model_construct(name=name, size=size))
        self._fill_files()
        self._dirty = True

    def _pick_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Attach a file"))
        if path:
            self.attach(path)

    def _remove_file(self) -> None:
        row = self.files_list.currentRow()
        if 0 <= row < len(self._attachments):
            del self._attachments[row]
            self._fill_files()
            self._dirty = True

    # -- errors -------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_error(self, field: str, text: str) -> None:
        key = field.split(".", maxsplit=1)[0]
        label = self.errors.get(key) or self.errors["form"]
        label.setText(text)
        label.show()

    # -- saving -------------------------------------------------------------------------------

    def values(self) -> dict[str, object] | None:
        """The form's fields as the wire names them, or None when something is wrong (said
        next to it); ``request`` and ``edit`` make the typed write of them."""
        self.clear_errors()
        ok = True
        summary = self.summary_edit.text().strip()
        if not summary:
            self.show_error("summary", self.tr("Say in one line what is wrong."))
            ok = False
        elif len(summary) > SUMMARY_MAX:
            self.show_error(
                "summary",
                self.tr("At most %1 characters (now %2).")
                .replace("%1", str(SUMMARY_MAX))
                .replace("%2", str(len(summary))),
            )
            ok = False
        content = self.content_edit.toPlainText().strip()
        if len(content) > CONTENT_MAX:
            self.show_error(
                "content",
                self.tr("The details are too long (%1 characters; at most %2).")
                .replace("%1", str(len(content)))
                .replace("%2", str(CONTENT_MAX)),
            )
            ok = False
        category = str(self.subcategory_combo.currentData() or "")
        if not category:
            self.show_error("category", self.tr("Choose a category."))
            ok = False
        source = self.source_edit.text().strip()
        if len(source) > SOURCE_MAX:
            self.show_error("source", self.tr("At most %1 characters.").replace("%1", "200"))
            ok = False
        handler = self.handler_combo.currentData()
        complaint = self.complaint_check.isChecked()
        for field, _why in ticket_problems(complaint, handler):
            if field == "handler_id":
                self.show_error(field, self.tr("A complaint must have a handler."))
            ok = False
        if not ok:
            return None
        return {
            "customer_id": self.detail.customer_id if self.detail else None,
            "contact_id": self.contact_combo.currentData(),
            "asset_id": self.asset_combo.currentData(),
            "channel": self.channel_combo.currentData(),
            "source": source or "hotline",
            "urgency": self.urgency_combo.currentData(),
            "priority": self.priority_combo.currentData(),
            "category": category,
            "complaint": complaint,
            "handler_id": handler,
            "summary": summary,
            "content": content,
            "article_ids": [a.id for a in self._articles],
            # As plain fields, so that the request checks them (a typed one is taken as is).
            "attachments": [a.model_dump() for a in self._attachments],
        }

    def _refused_field(self, exc: ValidationError) -> None:
        """What the contract refuses beyond the form's own checks: said as the cache would."""
        field, text = refusal(exc)
        self.show_error(field, text)

    def changes(self, values: dict[str, object], status: TicketStatus | None) -> dict[str, object]:
        """The fields that differ from the ticket as shown (and the move to ``status``)."""
        current = self.detail.ticket if self.detail else None
        if current is None:
            return {}
        was: dict[str, object] = {
            **{k: getattr(current, k) for k in values if k != "customer_id"},
            "attachments": [a.model_dump() for a in current.attachments],
        }
        changes = {k: v for k, v in values.items() if k in was and was[k] != v}
        if status is not None and status is not current.status:
            changes["status"] = status.value
        return changes

    def edit(self, changes: dict[str, object]) -> TicketPatch | None:
        """The changes as the ticket's typed edit; None when refused (said next to the field)."""
        refused = not_editable("ticket", changes)
        if refused is not None:
            self.show_error(*refused)
            return None
        try:
            return edit_of(TicketPatch, changes)
        except ValidationError as exc:
            self._refused_field(exc)
            return None

    def request(self, values: dict[str, object], number: str) -> TicketIn | None:
        """The new ticket as its typed create, with the number read to the caller; None when
        refused (said next to the field)."""
        try:
            return request_of(TicketIn, {**values, "number": number})
        except ValidationError as exc:
            self._refused_field(exc)
            return None

    def _save_clicked(self) -> None:
        self.save()

    def save(self, status: TicketStatus | None = None) -> bool:
        """Save the form (and move it to ``status``); False when something is wrong."""
        if self._creating:
            return False  # the first click's ticket is on its way: never two tickets
        values = self.values()
        if values is None or self.detail is None:
            return False
        try:
            if self.ticket_id is None:
                request = self.request(values, self._work.next_ticket_number())
                if request is None:
                    return False
                self._creating = True
                self.save_button.setEnabled(False)
                future = self._work.create(request)
                # The writer thread answers; the form hears back on the GUI thread (if open).
                self._work.tasks.when_done(future, self._on_created, self._refused, owner=self)
                self.number = request.number or ""
                self.number_label.setText(self.number)
            else:
                changes = self.changes(values, status)
                if not changes:
                    return True
                edit = self.edit(changes)
                if edit is None:
                    return False
                saving = self._work.save(self.ticket_id, edit)
                self._work.tasks.when_done(saving, lambda _n: None, self._refused, owner=self)
        except CacheError as exc:
            self._created_or_refused()
            self.show_error(exc.field or "form", str(exc))
            return False
        self._dirty = False
        if self.ticket_id is not None:
            self.saved.emit(self.ticket_id)
        return True

    def _refused(self, error: BaseException) -> None:
        """The cache's writer refused a save the form had already passed."""
        self.show_error("form", str(error))
        self._created_or_refused()

    def _created_or_refused(self) -> None:
        self._creating = False
        self.save_button.setEnabled(True)

    def _on_created(self, ticket_id: int) -> None:
        self._created_or_refused()
        self.ticket_id = ticket_id
        self.saved.emit(ticket_id)
        self.reload()

    # -- email (issue 22) -----------------------------------------------------------------------

    def _show_email(self, detail: TicketDetail) -> None:
        """The reply button on an email ticket the server has; disabled, saying why, when
        the server has no email channel (before contract 1.8)."""
        ticket = detail.ticket
        is_email = ticket is not None and ticket.channel is Channel.EMAIL
        self.email_button.setVisible(is_email)
        if not is_email:
            return
        available = self._work.email_available()
        saved = self.ticket_id is not None and self.ticket_id > 0
        self.email_button.setEnabled(available and saved)
        self.email_button.setToolTip(
            ""
            if available and saved
            else self.tr("The server has no email channel (it is older than this desk).")
            if not available
            else self.tr("The ticket is not on the server yet.")
        )

    def reply_by_email(self) -> EmailReplyDialog | None:
        if self.ticket_id is None or self.ticket_id <= 0 or self.detail is None:
            return None
        customer = self.detail.customer
        dialog = EmailReplyDialog(
            self.number,
            self.summary_edit.text(),
            customer.language if customer is not None else self._language,
            self,
        )
        dialog.accepted.connect(lambda: self._send_email(dialog))
        dialog.open()
        self.email_dialog = dialog
        return dialog

    def _send_email(self, dialog: EmailReplyDialog) -> None:
        if self.ticket_id is None:
            return
        try:
            reply = EmailReplyIn(
                subject=dialog.subject.text(),
                body=dialog.body.toPlainText(),
                template=dialog.template_key(),
            )
            self._work.reply_by_email(self.ticket_id, reply)
        except ValidationError as exc:
            self.show_error("form", str(exc.errors()[0]["msg"]) if exc.errors() else str(exc))
            return
        except CacheError as exc:
            self.show_error("form", str(exc))
            return
        dialog.deleteLater()

    # -- handover and dispatch ----------------------------------------------------------------

    def hand_over(self) -> HandoverDialog | None:
        if self.ticket_id is None:
            return None

        def chosen(experts: list[Person]) -> None:
            dialog = HandoverDialog(experts, self.number, self._call_active, self, skill=skill)
            dialog.accepted.connect(lambda: self._handed(dialog))
            dialog.open()
            self.handover_dialog = dialog

        # Experts who hold the product's skill come first, the highest level on top.
        skill = skill_for(self.product_line())
        self._work.read(lambda v: v.experts(skill), chosen)
        return None

    def _handed(self, dialog: HandoverDialog) -> None:
        expert = dialog.expert()
        if expert is None or self.ticket_id is None:
            return
        try:
            edit = edit_of(TicketPatch, {"handler_id": expert.id, "handover_note": dialog.note()})
            self._work.save(self.ticket_id, edit)
        except ValidationError as exc:
            self._refused_field(exc)
            return
        except CacheError as exc:
            self.show_error(exc.field or "form", str(exc))
            return
        if dialog.transfer() and expert.extension:
            self.transfer_requested.emit(expert.extension)

    def _dispatch(self) -> None:
        if self.ticket_id is not None:
            self.dispatch_requested.emit(self.ticket_id)
