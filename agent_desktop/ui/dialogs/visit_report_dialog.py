"""The engineer's visit report, taken by phone: result, cause, resolution and parts used.

The same rules as the backend's (``_check_feedback``): a resolution unless the fault was not
resolved, a cause unless it was; a finished visit cannot be reported again. The status follows
the result by ``sync.contract.rules.dispatch_status_after`` so desk and server agree offline.
After a visit that did not resolve the fault (or only partly) the dialog offers the re-dispatch.
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.work import WorkService
from agent_desktop.ui.fields import error_label
from agent_desktop.ui.lifetime import while_alive
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.dispatch_model import local_window, status_label
from sync.cache import CacheError
from sync.contract.records import DispatchResult, DispatchStatus
from sync.contract.rules import dispatch_status_after
from sync.contract.wire import DispatchOut, DispatchPatch, PartUsed
from sync.entities import edit_of, refusal
from sync.work_views import WorkViews, when

TEXT_MAX = 20_000
PART_NAME_MAX = 200
PART_QUANTITY_MAX = 10_000
PARTS_MAX = 50
PART_NAME_COL, PART_QUANTITY_COL = range(2)
FINAL = frozenset({DispatchStatus.DONE, DispatchStatus.FAILED, DispatchStatus.CANCELLED})


def _gather(views: WorkViews, dispatch_id: int) -> tuple[DispatchOut, str] | None:
    found = views.dispatch(dispatch_id)
    if found is None:
        return None
    dispatch = found.record
    ticket = views.ticket(dispatch.ticket_id)
    number = ticket.ticket.number if ticket is not None and ticket.ticket is not None else ""
    return dispatch, number


class VisitReportDialog(QDialog):
    loaded = Signal()
    saved = Signal(int)  # the dispatch id, once the report is in the cache
    redispatch_requested = Signal(int)  # the dispatch the new visit follows

    def __init__(self, work: WorkService, dispatch_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitReportDialog")
        self._texts = LiveTexts()  # (retranslate)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Visit report"))
        self._work = work
        self._found: tuple[DispatchOut, str] | None = None  # the visit and its ticket number
        self._ready_read = False  # the cache answered (with the visit, or without)
        self.dispatch_id = dispatch_id
        self._dispatch: DispatchOut | None = None
        self._ready = False
        self.saved_result: DispatchResult | None = None
        self._pending_result: DispatchResult | None = None
        self._build_fields()
        self._build_buttons()
        self.errors: dict[str, QLabel] = {}
        self._lay_out()
        work.read(lambda views: _gather(views, dispatch_id), while_alive(self, self._fill))

    def _build_fields(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("reportHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.result_buttons: dict[DispatchResult, QRadioButton] = {}
        for result, name in (
            (DispatchResult.RESOLVED, lambda: self.tr("&Resolved")),
            (DispatchResult.PARTLY, lambda: self.tr("&Partly resolved")),
            (DispatchResult.NOT_RESOLVED, lambda: self.tr("&Not resolved")),
        ):
            self.result_buttons[result] = QRadioButton()
            self._texts.bind(self.result_buttons[result].setText, name)
        self.result_group = QButtonGroup(self)
        for result, button in self.result_buttons.items():
            button.setObjectName(f"result_{result.value}")
            self.result_group.addButton(button)
        self.result_group.buttonToggled.connect(self._result_changed)
        self.cause_edit = QPlainTextEdit()
        self.cause_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.cause_edit.setObjectName("reportCause")

        self.resolution_edit = QPlainTextEdit()
        self.resolution_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.resolution_edit.setObjectName("reportResolution")

        for edit in (self.cause_edit, self.resolution_edit):
            edit.setMinimumHeight(56)
            edit.setMaximumHeight(90)
        self.parts = QTableWidget(0, 2)
        self.parts.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.parts.setObjectName("reportParts")
        for column, title in enumerate((lambda: self.tr("Part"), lambda: self.tr("Quantity"))):
            header_item = QTableWidgetItem()
            self.parts.setHorizontalHeaderItem(column, header_item)
            self._texts.bind(header_item.setText, title)
        self.parts.verticalHeader().hide()
        header = self.parts.horizontalHeader()
        header.setSectionResizeMode(PART_NAME_COL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PART_QUANTITY_COL, QHeaderView.ResizeMode.ResizeToContents)
        self.parts.setMinimumHeight(80)
        self.parts.setMaximumHeight(150)
        self.add_part_button = QPushButton()
        self._texts.bind(self.add_part_button.setText, lambda: self.tr("Add part"))
        self.add_part_button.setObjectName("addPart")
        self.add_part_button.clicked.connect(lambda: self.add_part("", 1))
        self.remove_part_button = QPushButton()
        self._texts.bind(self.remove_part_button.setText, lambda: self.tr("Remove part"))
        self.remove_part_button.setObjectName("removePart")
        self.remove_part_button.clicked.connect(self._remove_part)

    def _build_buttons(self) -> None:
        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("reportOutcome")
        self.outcome_label.setWordWrap(True)
        self.outcome_label.hide()
        self.save_button = QPushButton()
        self._texts.bind(self.save_button.setText, lambda: self.tr("Save report"))
        self.save_button.setObjectName("reportSave")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.redispatch_button = QPushButton()
        self._texts.bind(self.redispatch_button.setText, lambda: self.tr("Re-dispatch now…"))
        self.redispatch_button.setObjectName("reportRedispatch")
        self.redispatch_button.hide()
        self.redispatch_button.clicked.connect(self._redispatch)
        self.close_button = QPushButton()
        self._texts.bind(self.close_button.setText, lambda: self.tr("Cancel"))
        self.close_button.setObjectName("reportClose")
        self.close_button.clicked.connect(self.reject)

    def _error_label(self, key: str) -> QLabel:
        label = self.errors[key] = error_label(f"report_{key}Error")
        return label

    def _lay_out(self) -> None:
        results = QHBoxLayout()
        for button in self.result_buttons.values():
            results.addWidget(button)
        results.addStretch(1)
        part_buttons = QHBoxLayout()
        part_buttons.addWidget(self.add_part_button)
        part_buttons.addWidget(self.remove_part_button)
        part_buttons.addStretch(1)
        parts = QVBoxLayout()
        parts.addWidget(self.parts)
        parts.addLayout(part_buttons)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._texts.label(lambda: self.tr("Result:")), results)
        form.addRow("", self._error_label("result"))
        for key, text, field, buddy in (
            ("cause", lambda: self.tr("&Cause:"), self.cause_edit, self.cause_edit),
            (
                "resolution",
                lambda: self.tr("Re&solution:"),
                self.resolution_edit,
                self.resolution_edit,
            ),
            ("parts_used", lambda: self.tr("Parts &used:"), parts, self.parts),
        ):
            label = self._texts.label(text)
            label.setBuddy(buddy)
            form.addRow(label, field)
            form.addRow("", self._error_label(key))
        buttons = QHBoxLayout()
        buttons.addWidget(self._error_label("form"), 1)
        buttons.addStretch()  # keeps the buttons their size while no message is shown
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.redispatch_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form, 1)
        layout.addWidget(self.outcome_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self._show_heading()
        self._result_changed()  # the placeholders, for no result chosen yet

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._show_heading()
            self._result_changed()
        super().changeEvent(event)

    def _show_heading(self) -> None:
        """Which visit (ticket, engineer, window), or that it is loading or not on this PC."""
        if self._found is None:
            self.heading.setText(
                self.tr("This visit is not in the local cache.")
                if self._ready_read
                else self.tr("Loading the visit…")
            )
            return
        dispatch, number = self._found
        start, end = when(dispatch.window_start), when(dispatch.window_end)
        self.heading.setText(
            self.tr("%1 · %2 · %3")
            .replace("%1", number or f"#{dispatch.ticket_id}")
            .replace("%2", dispatch.technician)
            .replace("%3", local_window(start, end))
        )

    # -- filling ------------------------------------------------------------------------------

    def _fill(self, found: tuple[DispatchOut, str] | None) -> None:
        self._ready_read = True
        self._found = found
        self._show_heading()
        if found is None:
            return
        dispatch, _number = found
        self._dispatch = dispatch
        self.cause_edit.setPlainText(dispatch.cause)
        self.resolution_edit.setPlainText(dispatch.resolution)
        for part in dispatch.parts_used:
            self.add_part(part.name, part.quantity)
        self._ready = True
        status = self._status()
        if status in FINAL:
            self.show_error(
                "form",
                self.tr("This visit is already %1; create a re-dispatch instead.").replace(
                    "%1", status_label(status.value)
                ),
            )
        elif not self._work.may("dispatch.feedback"):
            self.show_error("form", self.tr("You may not record visit reports."))
        else:
            self.save_button.setEnabled(True)
        self.loaded.emit()

    def _status(self) -> DispatchStatus:
        return self._dispatch.status if self._dispatch is not None else DispatchStatus.PLANNED

    def add_part(self, name: str, quantity: int) -> None:
        if self.parts.rowCount() >= PARTS_MAX:
            self.show_error(
                "parts_used",
                self.tr("At most %1 parts in one report.").replace("%1", str(PARTS_MAX)),
            )
            return
        row = self.parts.rowCount()
        self.parts.insertRow(row)
        self.parts.setItem(row, PART_NAME_COL, QTableWidgetItem(name))
        self.parts.setItem(row, PART_QUANTITY_COL, QTableWidgetItem(str(quantity)))
        if not name:
            self.parts.setCurrentCell(row, PART_NAME_COL)
            item = self.parts.item(row, PART_NAME_COL)
            if item is not None:
                self.parts.editItem(item)

    def _remove_part(self) -> None:
        row = self.parts.currentRow()
        if row >= 0:
            self.parts.removeRow(row)

    @property
    def chosen_result(self) -> DispatchResult | None:
        for result, button in self.result_buttons.items():
            if button.isChecked():
                return result
        return None

    def choose_result(self, result: DispatchResult) -> None:
        self.result_buttons[result].setChecked(True)

    def _result_changed(self) -> None:
        # Say which texts this result needs, where the agent will type them.
        result = self.chosen_result
        self.cause_edit.setPlaceholderText(
            self.tr("Not needed when resolved; what caused it, if known.")
            if result is DispatchResult.RESOLVED
            else self.tr("What causes the fault, as far as it is known.")
        )
        self.resolution_edit.setPlaceholderText(
            self.tr("What was tried (optional).")
            if result is DispatchResult.NOT_RESOLVED
            else self.tr("What the engineer did.")
        )

    # -- errors -------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_error(self, key: str, text: str) -> None:
        label = self.errors.get(key.split(".", maxsplit=1)[0], self.errors["form"])
        label.setText("\n".join(filter(None, (label.text(), text))))
        label.show()

    # -- saving -------------------------------------------------------------------------------

    def _text(self, key: str, edit: QPlainTextEdit) -> tuple[str, bool]:
        text = edit.toPlainText().strip()
        if len(text) > TEXT_MAX:
            self.show_error(
                key,
                self.tr("Too long: %1 characters, at most %2.")
                .replace("%1", str(len(text)))
                .replace("%2", str(TEXT_MAX)),
            )
            return text, False
        return text, True

    def _parts(self) -> tuple[list[PartUsed], bool]:
        parts: list[PartUsed] = []
        ok = True
        for row in range(self.parts.rowCount()):
            name_item = self.parts.item(row, PART_NAME_COL)
            quantity_item = self.parts.item(row, PART_QUANTITY_COL)
            name = name_item.text().strip() if name_item is not None else ""
            raw = quantity_item.text().strip() if quantity_item is not None else ""
            if not name and raw in ("", "1"):
                continue  # a row added and left empty: no part
            where = self.tr("Part %1: ").replace("%1", str(row + 1))
            if not name:
                self.show_error("parts_used", where + self.tr("enter the part's name."))
                ok = False
            elif len(name) > PART_NAME_MAX:
                self.show_error(
                    "parts_used",
                    where
                    + self.tr("the name is too long (at most %1 characters).").replace(
                        "%1", str(PART_NAME_MAX)
                    ),
                )
                ok = False
            quantity = int(raw) if raw.isdigit() else 0
            if not 1 <= quantity <= PART_QUANTITY_MAX:
                self.show_error(
                    "parts_used",
                    where
                    + self.tr("the quantity must be a whole number from 1 to %1.").replace(
                        "%1", str(PART_QUANTITY_MAX)
                    ),
                )
                ok = False
            # Checked with the report (the quantity and name checks above say it first).
            parts.append(PartUsed.model_construct(name=name, quantity=quantity))
        return parts, ok

    def changes(self) -> DispatchPatch | None:
        """The report to save, or None when something is wrong (said next to it)."""
        self.clear_errors()
        ok = True
        result = self.chosen_result
        if result is None:
            self.show_error("result", self.tr("Choose how the visit ended."))
            ok = False
        cause, cause_ok = self._text("cause", self.cause_edit)
        resolution, resolution_ok = self._text("resolution", self.resolution_edit)
        ok = ok and cause_ok and resolution_ok
        if result is not None and result is not DispatchResult.NOT_RESOLVED and not resolution:
            self.show_error("resolution", self.tr("Say how the fault was resolved."))
            ok = False
        if result is not None and result is not DispatchResult.RESOLVED and not cause:
            self.show_error("cause", self.tr("Say what causes the fault, as far as it is known."))
            ok = False
        parts, parts_ok = self._parts()
        status = self._status()
        if status in FINAL:
            self.show_error(
                "form",
                self.tr("This visit is already %1; create a re-dispatch instead.").replace(
                    "%1", status_label(status.value)
                ),
            )
            ok = False
        if not ok or not parts_ok or result is None:
            return None
        try:
            return edit_of(
                DispatchPatch,
                {
                    "result": result.value,
                    "cause": cause,
                    "resolution": resolution,
                    "parts_used": [p.model_dump() for p in parts],
                    "status": dispatch_status_after(result).value,
                },
            )
        except ValidationError as exc:  # beyond the checks above: said as the cache would
            field, text = refusal(exc)
            self.show_error(field, text)
            return None

    def save(self) -> None:
        if not self._ready:
            return
        changes = self.changes()
        if changes is None:
            return
        try:
            future = self._work.save(self.dispatch_id, changes)
        except CacheError as exc:
            self.show_error(exc.field or "form", str(exc))
            return
        self.save_button.setEnabled(False)
        self._pending_result = changes.result
        # The dialog may be gone by the time the write lands; then nobody is waiting.
        self._work.tasks.when_done(future, self._written, self._refused, owner=self)

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        field = error.field if isinstance(error, CacheError) else None
        self.show_error(field or "form", self.tr("Not saved: %1").replace("%1", str(error)))

    def _written(self, _none: None) -> None:
        self.saved_result = self._pending_result
        self.saved.emit(self.dispatch_id)
        if self.saved_result is DispatchResult.RESOLVED:
            self.accept()
            return
        # The fault is still there: offer the next visit while the engineer is on the line.
        self.outcome_label.setText(
            self.tr("Saved. The fault is not resolved: plan the next visit now?")
            if self.saved_result is DispatchResult.NOT_RESOLVED
            else self.tr("Saved. The fault is only partly resolved: plan another visit?")
        )
        self.outcome_label.show()
        self.save_button.hide()
        for widget in (
            *self.result_buttons.values(),
            self.cause_edit,
            self.resolution_edit,
            self.parts,
            self.add_part_button,
            self.remove_part_button,
        ):
            widget.setEnabled(False)
        self.close_button.setText(self.tr("Close"))
        self.redispatch_button.show()
        self.redispatch_button.setDefault(True)
        self.redispatch_button.setFocus()

    def _redispatch(self) -> None:
        self.redispatch_requested.emit(self.dispatch_id)
        self.accept()
