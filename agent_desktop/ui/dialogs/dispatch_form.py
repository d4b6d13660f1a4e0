"""The dispatch form: a field work order for a ticket, or a re-dispatch after a visit that did
not resolve the fault (linked to it, prefilled from it).

The engineer list is read off the UI thread (``WorkService.read``) and filtered by the skill
(preselected from the ticket's product) and the region (preselected from the customer's
address); the agent may widen or change both. Engineers come best first: the lightest load on
the visit's day. The form checks what the backend would refuse (a window that ends before it
starts, no engineer, over-long text, a phone number that cannot be dialled, a re-dispatch of
a visit still open) and says it next to the field; nothing is written until all of it is right,
and then in one write to the cache and its outbox (so it works offline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from pydantic import ValidationError
from PySide6.QtCore import QDateTime, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.work import WorkService
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.fields import error_label
from agent_desktop.ui.lifetime import while_alive
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.dispatch_model import method_label, result_label
from agent_desktop.ui.palette import ColourRole
from sync.cache import CacheError
from sync.contract.phone import PhoneNumberError, normalise_phone
from sync.contract.records import DispatchMethod, DispatchStatus, Role
from sync.contract.wire import ContactOut, CustomerOut, DispatchIn, DispatchOut, TicketOut
from sync.entities import refusal, request_of
from sync.work_views import Engineer, Person, TicketDetail, WorkViews, when

ADDRESS_MAX = 500
CONTACT_NAME_MAX = 200
PHONE_MAX = 60
NOTES_MAX = 20_000
DEFAULT_START = time(9, 0)
DEFAULT_LENGTH = timedelta(hours=2)
FINAL = frozenset({DispatchStatus.DONE, DispatchStatus.FAILED, DispatchStatus.CANCELLED})
# Product lines are sometimes recorded in Chinese while engineers' skills are the English
# product-line names; this maps the ones our hotlines use, so the skill is still preselected.
_PRODUCT_LINE_SKILLS = {
    "输液泵": "Infusion Pumps",
    "监护仪": "Patient Monitors",
    "病人监护仪": "Patient Monitors",
    "分析仪": "Analyzers",
    "生化分析仪": "Analyzers",
    "超声": "Ultrasound",
    "口腔影像": "Dental Imaging",
}


@dataclass(frozen=True, slots=True)
class FormSource:
    """What the form is filled from, read on the work thread."""

    detail: TicketDetail | None
    previous: DispatchOut | None  # the earlier dispatch of a re-dispatch
    technicians: list[Person]


def _gather(views: WorkViews, ticket_id: int | None, previous_id: int | None) -> FormSource:
    previous = None
    if previous_id is not None:
        found = views.dispatch(previous_id)
        previous = found.record if found else None
        if ticket_id is None and previous is not None:
            ticket_id = previous.ticket_id
    detail = views.ticket(ticket_id) if ticket_id is not None else None
    technicians = [p for p in views.people().values() if p.role == Role.TECHNICIAN.value]
    return FormSource(detail, previous, technicians)


def _stored_phone(contact: ContactOut) -> str:
    number = contact.phone_e164
    if contact.extension:
        number += f" ext. {contact.extension}"
    return number


def to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def from_qt(value: QDateTime) -> datetime:
    """The edit's local time as an aware UTC datetime (what the wire wants)."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


class DispatchForm(QDialog):
    loaded = Signal()  # the ticket (and the earlier visit) are in the form
    engineers_loaded = Signal()  # the engineer list shows the current filters
    saved = Signal(int)  # the new dispatch's id (local until synced)

    def __init__(
        self,
        work: WorkService,
        ticket_id: int | None = None,
        previous_dispatch_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if ticket_id is None and previous_dispatch_id is None:
            raise ValueError("a dispatch is for a ticket, or follows an earlier one")
        self.setObjectName("dispatchForm")
        self._work = work
        self.ticket_id = ticket_id
        self.previous_dispatch_id = previous_dispatch_id
        self._previous: DispatchOut | None = None
        self._engineers: list[Engineer] = []
        self._generation = 0
        self._ready = False
        self._last_start = self._default_start()
        self._texts = LiveTexts()  # (retranslate)
        self._texts.bind(
            self.setWindowTitle,
            lambda: (
                self.tr("Re-dispatch")
                if previous_dispatch_id is not None
                else self.tr("New dispatch")
            ),
        )
        self._build_fields()
        self.save_button = QPushButton()
        self._texts.bind(self.save_button.setText, lambda: self.tr("Save dispatch"))
        self.save_button.setObjectName("dispatchSave")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)  # until the ticket is read
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton()
        self._texts.bind(self.cancel_button.setText, lambda: self.tr("Cancel"))
        self.cancel_button.setObjectName("dispatchCancel")
        self.cancel_button.clicked.connect(self.reject)
        self.errors: dict[str, QLabel] = {}
        self._lay_out()
        self.start_edit.dateTimeChanged.connect(self._start_moved)
        self._set_window(self._default_start(), DEFAULT_LENGTH)
        work.read(
            lambda views: _gather(views, ticket_id, previous_dispatch_id),
            while_alive(self, self._fill),
        )

    def _build_fields(self) -> None:
        # What the heading says: the ticket once read (_fill), till then that it is loading.
        self._heading: Callable[[], str] = lambda: self.tr("Loading the ticket…")
        self.heading = self._texts.label(self._heading_text)
        self.heading.setObjectName("dispatchHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.previous_label = QLabel()
        self.previous_label.setObjectName("dispatchPrevious")
        self.previous_label.setWordWrap(True)
        self.previous_label.hide()
        self.skill_combo = QComboBox()
        self.skill_combo.setObjectName("dispatchSkill")
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("dispatchRegion")
        self.engineer_list = QListWidget()
        self.engineer_list.setObjectName("dispatchEngineers")
        self.engineer_list.setMinimumHeight(60)
        self.engineer_list.setMaximumHeight(130)
        self.engineer_hint = QLabel()
        self.engineer_hint.setObjectName("dispatchEngineerHint")
        set_tone(self.engineer_hint, ColourRole.MUTED)
        self.engineer_hint.setWordWrap(True)
        self.engineer_hint.hide()
        self.start_edit = self._time_edit("dispatchStart")
        self.end_edit = self._time_edit("dispatchEnd")
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("dispatchMethod")
        for method in DispatchMethod:
            self.method_combo.addItem("", method.value)
        self._texts.items(
            self.method_combo, [partial(method_label, method.value) for method in DispatchMethod]
        )
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("dispatchAddress")
        self.contact_name_edit = QLineEdit()
        self.contact_name_edit.setObjectName("dispatchContactName")
        self.contact_phone_edit = QLineEdit()
        self.contact_phone_edit.setObjectName("dispatchContactPhone")
        self._texts.bind(
            self.contact_phone_edit.setPlaceholderText,
            lambda: self.tr("e.g. 138 0013 8000 or 010-6529 5114"),
        )
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.notes_edit.setObjectName("dispatchNotes")
        self._texts.bind(
            self.notes_edit.setPlaceholderText,
            lambda: self.tr("What the engineer should know: the fault, parts to bring, access."),
        )
        self.notes_edit.setMinimumHeight(60)

    def _heading_text(self) -> str:
        return self._heading()  # (the one in force now: _fill replaces it)

    def _time_edit(self, name: str) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        return edit

    def _buddy(self, text: Callable[[], str], widget: QWidget) -> QLabel:
        label = self._texts.label(text)
        label.setBuddy(widget)
        return label

    def _error_label(self, key: str) -> QLabel:
        label = self.errors[key] = error_label(f"dispatch_{key}Error")
        return label

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self._texts.label(lambda: self.tr("Skill:")))
        filters.addWidget(self.skill_combo, 1)
        filters.addWidget(self._texts.label(lambda: self.tr("Region:")))
        filters.addWidget(self.region_combo, 1)
        engineer = QVBoxLayout()
        engineer.setSpacing(4)
        engineer.addLayout(filters)
        engineer.addWidget(self.engineer_list)
        engineer.addWidget(self.engineer_hint)
        engineer.addWidget(self._error_label("technician_id"))
        window = QHBoxLayout()
        window.addWidget(self.start_edit)
        window.addWidget(self._texts.label(lambda: self.tr("until")))
        window.addWidget(self.end_edit)
        window.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._buddy(lambda: self.tr("&Engineer:"), self.engineer_list), engineer)
        form.addRow(self._buddy(lambda: self.tr("&When:"), self.start_edit), window)
        form.addRow("", self._error_label("window_start"))
        form.addRow("", self._error_label("window_end"))
        form.addRow(self._buddy(lambda: self.tr("&Method:"), self.method_combo), self.method_combo)
        for key, text, widget in (
            ("address", lambda: self.tr("&Address:"), self.address_edit),
            ("contact_name", lambda: self.tr("&Contact:"), self.contact_name_edit),
            ("contact_phone", lambda: self.tr("&Phone:"), self.contact_phone_edit),
            ("notes", lambda: self.tr("&Notes:"), self.notes_edit),
        ):
            form.addRow(self._buddy(text, widget), widget)
            form.addRow("", self._error_label(key))
        buttons = QHBoxLayout()
        buttons.addWidget(self._error_label("form"), 1)
        buttons.addStretch()  # keeps the buttons their size while no message is shown
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.previous_label)
        layout.addLayout(form, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(600)

    # -- filling ------------------------------------------------------------------------------

    def _default_start(self) -> datetime:
        local = self._work.now().astimezone()
        tomorrow, zone = local.date() + timedelta(days=1), local.tzinfo
        return datetime.combine(tomorrow, DEFAULT_START, zone)

    def _set_window(self, start: datetime, length: timedelta) -> None:
        self.start_edit.blockSignals(True)
        self.start_edit.setDateTime(to_qt(start))
        self.start_edit.blockSignals(False)
        self.end_edit.setDateTime(to_qt(start + length))
        self._last_start = from_qt(self.start_edit.dateTime())

    def _fill(self, source: FormSource | None) -> None:
        detail = source.detail if source is not None else None
        if source is None or detail is None or detail.ticket is None:
            self._heading = lambda: self.tr("This ticket is not in the local cache.")
            self.heading.setText(self._heading())
            self.show_error("form", self.tr("Open the ticket again once it has synced."))
            return
        ticket, customer = detail.ticket, detail.customer
        self.ticket_id = ticket.id
        self._heading = lambda: (
            self.tr("%1 · %2 · %3")
            .replace("%1", ticket.number or f"#{self.ticket_id}")
            .replace("%2", customer.name if customer else "")
            .replace("%3", ticket.summary)
        )
        self.heading.setText(self._heading())
        skills = sorted({s for p in source.technicians for s in p.skills if s})
        regions = sorted({p.region for p in source.technicians if p.region})
        self.skill_combo.addItem("", "")
        self._texts.items(self.skill_combo, [lambda: self.tr("Any skill")])
        for skill in skills:
            self.skill_combo.addItem(skill, skill)
        self.region_combo.addItem("", "")
        self._texts.items(self.region_combo, [lambda: self.tr("Any region")])
        for region in regions:
            self.region_combo.addItem(region, region)
        asset = next((a for a in detail.assets if a.id == ticket.asset_id), None)
        if asset is None and len(detail.assets) == 1:
            asset = detail.assets[0]
        self._select(self.skill_combo, _skill_for(asset.product_line if asset else ""))
        self._fill_contact(ticket, customer)
        self.address_edit.setText(customer.address if customer else "")
        self._select(self.region_combo, _region_for(self.address_edit.text(), regions))
        if source.previous is not None:
            self._fill_from_previous(source.previous)
        self.skill_combo.currentIndexChanged.connect(self.reload_engineers)
        self.region_combo.currentIndexChanged.connect(self.reload_engineers)
        self._ready = True
        self.save_button.setEnabled(self._may_save())
        self.reload_engineers()
        self.loaded.emit()

    def _select(self, combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def _fill_contact(self, ticket: TicketOut, customer: CustomerOut | None) -> None:
        contacts = customer.contacts if customer else []
        # A contact added on this desk has no id until the server answers (shown as 0).
        contact = next((c for c in contacts if c.id and c.id == ticket.contact_id), None)
        if contact is None and contacts:
            contact = contacts[0]
        if contact is not None:
            self.contact_name_edit.setText(contact.name)
            self.contact_phone_edit.setText(_stored_phone(contact))

    def _previous_text(self, previous: DispatchOut) -> str:
        """What the earlier visit was: when, by whom, how it ended, its cause."""
        result = previous.result.value if previous.result else ""
        start = when(previous.window_start)
        shown = f"{start.astimezone():%Y-%m-%d %H:%M}" if start else ""
        text = (
            self.tr("Follows the visit of %1 by %2 (%3).")
            .replace("%1", shown)
            .replace("%2", previous.technician)
            .replace("%3", result_label(result) if result else previous.status.value)
        )
        if previous.cause:
            text += " " + self.tr("Cause: %1").replace("%1", previous.cause)
        return text

    def _fill_from_previous(self, previous: DispatchOut) -> None:
        self._previous = previous
        start, end = when(previous.window_start), when(previous.window_end)
        text = self._previous_text(previous)
        self._texts.bind(self.previous_label.setText, partial(self._previous_text, previous))
        self.previous_label.show()
        index = self.method_combo.findData(previous.method.value)
        if index >= 0:
            self.method_combo.setCurrentIndex(index)
        for edit, value in (
            (self.address_edit, previous.address),
            (self.contact_name_edit, previous.contact_name),
            (self.contact_phone_edit, previous.contact_phone),
        ):
            if value:
                edit.setText(value)
        # The engineer sees the notes, not this form: tell them what happened last time.
        notes = [previous.notes, text]
        self.notes_edit.setPlainText("\n".join(n for n in notes if n))
        if start is not None and end is not None and end > start:
            self._set_window(self._default_start(), end - start)
        problem = self._previous_problem(previous)
        if problem:
            self.show_error("form", problem)

    def _previous_problem(self, previous: DispatchOut) -> str:
        """Why this visit cannot be followed by a re-dispatch (the backend's rule), or ''."""
        if previous.ticket_id != self.ticket_id:
            return self.tr("The earlier visit belongs to another ticket.")
        if previous.status not in FINAL:
            return self.tr("The earlier visit is still open: take its report first.")
        return ""

    def _may_save(self) -> bool:
        if not self._ready:
            return False
        if not self._work.may("dispatch.create"):
            self.show_error("form", self.tr("You may not create dispatches."))
            return False
        return not (self._previous is not None and self._previous_problem(self._previous))

    # -- the engineers ------------------------------------------------------------------------

    @property
    def skill(self) -> str:
        return str(self.skill_combo.currentData() or "")

    @property
    def region(self) -> str:
        return str(self.region_combo.currentData() or "")

    @property
    def visit_day(self) -> date:
        return from_qt(self.start_edit.dateTime()).astimezone().date()

    def reload_engineers(self) -> None:
        """Ask for the engineers that fit the filters, with their load on the visit's day."""
        self._generation += 1
        generation = self._generation
        skill, region, day = self.skill, self.region, self.visit_day
        self._work.read(
            lambda views: views.engineers(skill, region, day),
            while_alive(self, lambda found: self._show_engineers(generation, found or [])),
        )

    def _show_engineers(self, generation: int, found: list[Engineer]) -> None:
        if generation != self._generation:
            return  # an answer for filters the agent has changed since
        chosen = self.engineer_id
        self._engineers = [e for e in found if e.matches_skill and e.in_region]
        self.engineer_list.clear()
        for engineer in self._engineers:
            item = QListWidgetItem(self._engineer_text(engineer))
            item.setData(Qt.ItemDataRole.UserRole, engineer.person.id)
            item.setToolTip(", ".join(engineer.person.skills))
            self.engineer_list.addItem(item)
            if engineer.person.id == chosen:
                self.engineer_list.setCurrentItem(item)
        if not self._engineers:
            self.engineer_hint.setText(
                self.tr("No engineer with this skill in this region. Widen the filters.")
            )
        self.engineer_hint.setVisible(not self._engineers)
        self.engineers_loaded.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The form's words in the language now in use; what the agent entered stays (the
        notes too, which already carry the earlier visit in the words they were written in)."""
        self._texts.retranslate()
        by_id = {e.person.id: e for e in self._engineers}
        for row in range(self.engineer_list.count()):
            item = self.engineer_list.item(row)
            engineer = by_id.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
            if item is not None and engineer is not None:
                item.setText(self._engineer_text(engineer))
        if not self._engineers and self.engineer_hint.isVisibleTo(self):
            self.engineer_hint.setText(
                self.tr("No engineer with this skill in this region. Widen the filters.")
            )

    def _engineer_text(self, engineer: Engineer) -> str:
        if engineer.workload == 0:
            load = self.tr("no visits that day")
        elif engineer.workload == 1:
            load = self.tr("1 visit that day")
        else:
            load = self.tr("%1 visits that day").replace("%1", str(engineer.workload))
        parts = [engineer.person.name, engineer.person.region, load]
        return " · ".join(p for p in parts if p)

    def engineers(self) -> list[Engineer]:
        """The engineers listed, in the order shown."""
        return list(self._engineers)

    @property
    def engineer_id(self) -> int | None:
        item = self.engineer_list.currentItem()
        if item is None or not item.isSelected():
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def choose_engineer(self, engineer_id: int | None) -> None:
        self.engineer_list.clearSelection()
        self.engineer_list.setCurrentRow(-1)
        for row in range(self.engineer_list.count()):
            item = self.engineer_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == engineer_id:
                self.engineer_list.setCurrentItem(item)

    def _start_moved(self, value: QDateTime) -> None:
        # The end follows the start, keeping the visit's length, so moving a visit is one edit.
        start = from_qt(value)
        length = from_qt(self.end_edit.dateTime()) - self._last_start
        if length > timedelta(0):
            self.end_edit.setDateTime(to_qt(start + length))
        day_changed = start.astimezone().date() != self._last_start.astimezone().date()
        self._last_start = start
        if day_changed and self._ready:
            self.reload_engineers()  # the load is per day

    # -- errors -------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_error(self, key: str, text: str) -> None:
        """Say what is wrong next to the field (``key`` as the wire names it; anything
        else goes beside the buttons)."""
        label = self.errors.get(key.split(".", maxsplit=1)[0], self.errors["form"])
        label.setText(text)
        label.show()

    # -- saving -------------------------------------------------------------------------------

    def _too_long(self, key: str, text: str, limit: int) -> bool:
        if len(text) <= limit:
            return False
        self.show_error(
            key,
            self.tr("Too long: %1 characters, at most %2.")
            .replace("%1", str(len(text)))
            .replace("%2", str(limit)),
        )
        return True

    def _checked_engineer(self) -> Engineer | None:
        engineer = next((e for e in self._engineers if e.person.id == self.engineer_id), None)
        if engineer is None:
            self.show_error("technician_id", self.tr("Choose the field engineer."))
        return engineer

    def _checked_window(self) -> tuple[datetime, datetime] | None:
        start, end = from_qt(self.start_edit.dateTime()), from_qt(self.end_edit.dateTime())
        if end <= start:
            self.show_error("window_end", self.tr("The visit must end after it starts."))
            return None
        return start, end

    def _checked_address(self, method: str) -> str | None:
        address = self.address_edit.text().strip()
        if method == DispatchMethod.ON_SITE.value and not address:
            self.show_error("address", self.tr("An on-site visit needs the address."))
            return None
        return None if self._too_long("address", address, ADDRESS_MAX) else address

    def _checked_phone(self) -> str | None:
        raw = self.contact_phone_edit.text().strip()
        if not raw:
            self.show_error("contact_phone", self.tr("Enter a number the engineer can call."))
            return None
        try:
            phone = str(normalise_phone(raw))
        except PhoneNumberError:
            self.show_error(
                "contact_phone",
                self.tr("“%1” is not a phone number we can dial.").replace("%1", raw),
            )
            return None
        return None if self._too_long("contact_phone", phone, PHONE_MAX) else phone

    def _checked_previous(self) -> bool:
        problem = self._previous_problem(self._previous) if self._previous is not None else ""
        if problem:
            self.show_error("form", problem)
        return not problem

    def data(self) -> DispatchIn | None:
        """The dispatch to create, or None when something is wrong (said next to it)."""
        self.clear_errors()
        method = str(self.method_combo.currentData())
        contact_name = self.contact_name_edit.text().strip()
        notes = self.notes_edit.toPlainText().strip()
        # Every check runs, so every problem is said at once.
        engineer = self._checked_engineer()
        window = self._checked_window()
        address = self._checked_address(method)
        name_ok = not self._too_long("contact_name", contact_name, CONTACT_NAME_MAX)
        phone = self._checked_phone()
        notes_ok = not self._too_long("notes", notes, NOTES_MAX)
        previous_ok = self._checked_previous()
        if (
            engineer is None
            or window is None
            or address is None
            or phone is None
            or not (name_ok and notes_ok and previous_ok)
            or self.ticket_id is None
        ):
            return None
        data: dict[str, object] = {
            "ticket_id": self.ticket_id,
            "technician_id": engineer.person.id,
            # The name too, so the list shows it while the dispatch waits to sync.
            "technician": engineer.person.name,
            "window_start": window[0],
            "window_end": window[1],
            "method": method,
            "address": address,
            "contact_name": contact_name,
            "contact_phone": phone,
            "notes": notes,
        }
        if self.previous_dispatch_id is not None:
            data["previous_dispatch_id"] = self.previous_dispatch_id
        try:
            return request_of(DispatchIn, data)
        except ValidationError as exc:  # beyond the checks above: said as the cache would
            field, text = refusal(exc)
            self.show_error(field, text)
            return None

    def save(self) -> None:
        if not self._ready:
            return
        data = self.data()
        if data is None:
            return
        try:
            future = self._work.create(data)
        except CacheError as exc:
            self.show_error(exc.field or "form", str(exc))
            return
        self.save_button.setEnabled(False)
        # The dialog may be gone by the time the write lands; then nobody is waiting.
        self._work.tasks.when_done(future, self._written, self._refused, owner=self)

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        field = error.field if isinstance(error, CacheError) else None
        self.show_error(
            field or "form",
            self.tr("Not saved: %1").replace("%1", str(error)),
        )

    def _written(self, dispatch_id: int) -> None:
        self.saved.emit(dispatch_id)
        self.accept()


def _skill_for(product_line: str) -> str:
    line = product_line.strip()
    return _PRODUCT_LINE_SKILLS.get(line, line)


def _region_for(address: str, regions: list[str]) -> str:
    """The engineers' region the address lies in (北京市东城区… → 北京), or '' for any."""
    folded = address.casefold()
    found = [r for r in regions if r.casefold() in folded]
    return max(found, key=len) if found else ""
