"""The colleague directory: colleagues and queues with live presence, and extensions outside
the product with their line as the PBX reports it (or "presence not available"), searched as
the agent types (name, extension or skill), and one press to consult or blind-transfer the
current call with a note that travels with it. Usable from the keyboard alone: type, arrows
to choose, Enter to consult, Ctrl+Enter (or Alt+B) for a blind transfer, Alt+M to complete.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.directory import Consult, DirectoryService
from agent_desktop.services.outside_lines import OutsideLine
from agent_desktop.ui.appearance import colour, set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from softphone import LineState
from sync.contract.directory import ColleagueOut, TransferQueueOut, transfer_target
from sync.contract.records import AgentState

NOTE_MAX_CHARS = 240  # the header carries 240 bytes of UTF-8; the codec cuts at a character
_COLOURS = {
    AgentState.READY: ColourRole.READY,
    AgentState.ON_CALL: ColourRole.TALKING,
    AgentState.WRAP_UP: ColourRole.WRAP_UP,
    AgentState.NOT_READY: ColourRole.NOT_READY,
    AgentState.LOGGED_OUT: ColourRole.LOGGED_OUT,
}
_LINE_COLOURS = {
    LineState.IDLE: ColourRole.READY,
    LineState.RINGING: ColourRole.WARNING,
    LineState.BUSY: ColourRole.TALKING,
    LineState.UNKNOWN: ColourRole.MUTED,
    LineState.NOT_OFFERED: ColourRole.MUTED,
}
_ROLE = Qt.ItemDataRole.UserRole
Choice = ColleagueOut | TransferQueueOut | OutsideLine


class DirectoryDialog(QDialog):
    def __init__(self, service: DirectoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directoryDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Colleague directory"))
        self.service = service
        self.search_edit = self._search_box()
        self.colleague_list = QListWidget()
        self.colleague_list.setObjectName("colleagueList")
        self.colleague_list.itemActivated.connect(lambda _i: self.consult())
        self.colleague_list.currentRowChanged.connect(self._colleague_chosen)
        self.queue_list = QListWidget()
        self.queue_list.setObjectName("queueList")
        self.queue_list.setMaximumHeight(90)
        self.queue_list.itemActivated.connect(lambda _i: self.blind_transfer())
        self.queue_list.currentRowChanged.connect(self._queue_chosen)
        self.outside_list = self._outside_list()
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("transferNote")
        self.note_edit.setMaxLength(NOTE_MAX_CHARS)
        self._texts.bind(
            self.note_edit.setPlaceholderText,
            lambda: self.tr("Note for your colleague: it arrives with the call"),
        )
        self.consult_button = QPushButton()
        self.consult_button.setObjectName("consultButton")
        self._texts.bind(self.consult_button.setText, lambda: self.tr("&Consult"))
        self._texts.bind(
            self.consult_button.setToolTip,
            lambda: self.tr("Hold the caller and ring the colleague first (Enter)"),
        )
        self.consult_button.clicked.connect(self.consult)
        self.blind_button = QPushButton()
        self.blind_button.setObjectName("blindButton")
        self._texts.bind(self.blind_button.setText, lambda: self.tr("&Blind transfer"))
        self._texts.bind(
            self.blind_button.setToolTip,
            lambda: self.tr("Send the caller straight there (Ctrl+Enter)"),
        )
        self.blind_button.clicked.connect(self.blind_transfer)
        self.complete_button = QPushButton()
        self._texts.bind(self.complete_button.setText, lambda: self.tr("Co&mplete transfer"))
        self.complete_button.setObjectName("completeButton")
        self.complete_button.clicked.connect(self.service.complete_consult)
        self.message_label = QLabel()
        self.message_label.setObjectName("directoryMessage")
        self.message_label.setWordWrap(True)
        self._lay_out()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.blind_transfer)
        service.changed.connect(self.fill)
        service.done.connect(lambda text: self._say(text, ColourRole.SUCCESS))
        service.failed.connect(lambda text: self._say(text, ColourRole.ERROR))
        service.consult_changed.connect(self._consult_changed)
        service.calls_changed.connect(self._update_buttons)
        self._choice: Choice | None = None
        self.resize(460, 560)
        self.fill()
        self._consult_changed(service.consulting)
        self.search_edit.setFocus()

    def _outside_list(self) -> QListWidget:
        """Extensions outside the product: Enter consults, as for a colleague."""
        widget = QListWidget()
        widget.setObjectName("outsideList")
        widget.setMaximumHeight(110)
        widget.itemActivated.connect(lambda _i: self.consult())
        widget.currentRowChanged.connect(self._outside_chosen)
        return widget

    def _lay_out(self) -> None:
        people = self._texts.label(lambda: self.tr("Co&lleagues"))
        people.setBuddy(self.colleague_list)
        lines = self._texts.label(lambda: self.tr("&Queues"))
        lines.setBuddy(self.queue_list)
        outside = self._texts.label(lambda: self.tr("&Other extensions"))
        outside.setBuddy(self.outside_list)
        self.outside_label = outside
        note = self._texts.label(lambda: self.tr("&Note"))
        note.setBuddy(self.note_edit)
        buttons = QHBoxLayout()
        for button in (self.consult_button, self.blind_button, self.complete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(people)
        layout.addWidget(self.colleague_list, 1)
        layout.addWidget(outside)
        layout.addWidget(self.outside_list)
        layout.addWidget(lines)
        layout.addWidget(self.queue_list)
        layout.addWidget(note)
        layout.addWidget(self.note_edit)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)

    # -- the lists ----------------------------------------------------------------------------

    def state_text(self, colleague: ColleagueOut) -> str:
        text = {
            AgentState.READY: self.tr("Ready"),
            AgentState.ON_CALL: self.tr("On a call"),
            AgentState.WRAP_UP: self.tr("Wrap-up"),
            AgentState.NOT_READY: self.tr("Not ready"),
            AgentState.LOGGED_OUT: self.tr("Offline"),
        }[colleague.state]
        if colleague.state is AgentState.NOT_READY and colleague.reason:
            text += f" ({colleague.reason})"
        return text

    def line_text(self, line: OutsideLine) -> str:
        """What the PBX said of an outside extension's line; never a guess."""
        return {
            LineState.IDLE: self.tr("Idle"),
            LineState.RINGING: self.tr("Ringing"),
            LineState.BUSY: self.tr("On a call"),
            LineState.UNKNOWN: self.tr("Line state unknown"),
            LineState.NOT_OFFERED: self.tr("Presence not available"),
        }[line.state]

    def _fill_outside(self, query: str) -> None:
        lines = self.service.outside_lines(query)
        self.outside_list.blockSignals(True)
        self.outside_list.clear()
        for line in lines:
            parts = [line.name, self.line_text(line)]
            if line.name != line.extension:
                parts.insert(1, self.tr("ext. %1").replace("%1", line.extension))
            item = QListWidgetItem("● " + " · ".join(parts))
            item.setData(_ROLE, line.extension)
            item.setForeground(colour(_LINE_COLOURS[line.state]))
            if line.state is LineState.NOT_OFFERED:
                item.setToolTip(
                    self.tr(
                        "The phone system does not report this extension's line (SIP %1). "
                        "You can still call or transfer to it."
                    ).replace("%1", str(line.status_code or "—"))
                )
            self.outside_list.addItem(item)
        self.outside_list.blockSignals(False)
        shown = bool(self.service.outside_lines())
        self.outside_list.setVisible(shown)
        self.outside_label.setVisible(shown)

    def fill(self) -> None:
        query = self.search_edit.text()
        chosen = self._choice
        self.colleague_list.blockSignals(True)
        self.colleague_list.clear()
        for colleague in self.service.colleagues(query):
            parts = [colleague.display_name, self.state_text(colleague)]
            if colleague.extension:
                parts.insert(1, self.tr("ext. %1").replace("%1", colleague.extension))
            if colleague.skills:
                parts.append(", ".join(s.skill for s in colleague.skills))
            item = QListWidgetItem("● " + " · ".join(parts))
            item.setData(_ROLE, colleague.user_id)
            item.setForeground(colour(_COLOURS[colleague.state]))
            if not transfer_target(colleague):
                item.setToolTip(self.tr("No extension, and not signed in: cannot be called"))
            self.colleague_list.addItem(item)
        self.colleague_list.blockSignals(False)
        self.queue_list.blockSignals(True)
        self.queue_list.clear()
        for queue in self.service.queues(query):
            text = f"{queue.name} · {queue.extension}"
            if queue.waiting is not None:
                text += " · " + self.tr("%n waiting", "", queue.waiting)
            item = QListWidgetItem(text)
            item.setData(_ROLE, queue.id)
            self.queue_list.addItem(item)
        self.queue_list.blockSignals(False)
        self._fill_outside(query)
        self._reselect(chosen)
        if self.service.active and not self.service.loaded:
            self._say(self.tr("Loading the directory…"), ColourRole.MUTED)
        elif not self.service.active:
            self._say(self.tr("The directory needs the server: sign in first."), ColourRole.MUTED)
        self._update_buttons()

    def _reselect(self, chosen: Choice | None) -> None:
        """Keep the agent's choice across a live refill; else the first colleague."""
        self._choice = None
        wanted: tuple[QListWidget, object] | None = None
        if isinstance(chosen, ColleagueOut):
            wanted = (self.colleague_list, chosen.user_id)
        elif isinstance(chosen, TransferQueueOut):
            wanted = (self.queue_list, chosen.id)
        elif isinstance(chosen, OutsideLine):
            wanted = (self.outside_list, chosen.extension)
        if wanted is not None:
            widget = wanted[0]
            for row in range(widget.count()):
                if widget.item(row).data(_ROLE) == wanted[1]:
                    widget.setCurrentRow(row)
                    return
        for widget in (self.colleague_list, self.queue_list, self.outside_list):
            if widget.count():
                widget.setCurrentRow(0)
                return

    def _only(self, chosen_in: QListWidget) -> None:
        """One choice across the three lists: the others lose theirs."""
        for widget in (self.colleague_list, self.queue_list, self.outside_list):
            if widget is not chosen_in:
                widget.blockSignals(True)
                widget.setCurrentRow(-1)
                widget.blockSignals(False)

    def _colleague_chosen(self, row: int) -> None:
        if row < 0:
            return
        self._only(self.colleague_list)
        self._choice = self.service.colleague(int(self.colleague_list.item(row).data(_ROLE)))
        self._update_buttons()

    def _queue_chosen(self, row: int) -> None:
        if row < 0:
            return
        self._only(self.queue_list)
        queue_id = int(self.queue_list.item(row).data(_ROLE))
        self._choice = next((q for q in self.service.queues() if q.id == queue_id), None)
        self._update_buttons()

    def _outside_chosen(self, row: int) -> None:
        if row < 0:
            return
        self._only(self.outside_list)
        self._choice = self.service.outside_line(str(self.outside_list.item(row).data(_ROLE)))
        self._update_buttons()

    def chosen(self) -> tuple[str, str] | None:
        """(what to dial, whose name) of the colleague or queue chosen."""
        choice = self._choice
        if isinstance(choice, ColleagueOut):
            return transfer_target(choice), choice.display_name
        if isinstance(choice, TransferQueueOut):
            return choice.extension, choice.name
        if isinstance(choice, OutsideLine):
            return choice.extension, choice.name
        return None

    def _update_buttons(self) -> None:
        has_call = self.service.call_to_transfer() is not None
        target = self.chosen()
        reachable = target is not None and bool(target[0])
        consulting = self.service.consulting is not None
        self.consult_button.setEnabled(has_call and reachable and not consulting)
        self.blind_button.setEnabled(has_call and reachable and not consulting)
        self.complete_button.setEnabled(consulting)

    # -- what the agent does ------------------------------------------------------------------

    def consult(self) -> None:
        target = self.chosen()
        if target is not None:
            self.service.consult(target[0], target[1], self.note_edit.text())

    def blind_transfer(self) -> None:
        target = self.chosen()
        if target is not None and self.service.blind_transfer(
            target[0], target[1], self.note_edit.text()
        ):
            self.note_edit.clear()

    def _consult_changed(self, consult: Consult | None) -> None:
        if consult is None:
            self.note_edit.clear()
        self._update_buttons()

    def _say(self, text: str, tone: ColourRole) -> None:
        set_tone(self.message_label, tone)
        self.message_label.setText(text)

    def _search_box(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName("directorySearch")
        self._texts.bind(edit.setAccessibleName, lambda: self.tr("Search colleagues"))
        self._texts.bind(
            edit.setPlaceholderText, lambda: self.tr("Search by name, extension or skill")
        )
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(lambda _t: self.fill())
        edit.installEventFilter(self)  # arrow keys move through the lists (eventFilter)
        return edit

    def changeEvent(self, event: QEvent) -> None:
        # The presence dots are item colours set at fill time: fill again in the new palette;
        # the lines' words (presence, ext., waiting) are made at fill time too.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_choice"):
            self.fill()
        elif event.type() == QEvent.Type.LanguageChange and hasattr(self, "_choice"):
            self._texts.retranslate()
            self.fill()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrows in the search field move the choice in the list; Enter consults."""
        if watched is self.search_edit and isinstance(event, QKeyEvent):
            key = event.key()
            if event.type() == QEvent.Type.KeyPress and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.colleague_list.count() - 1,
                                 self.colleague_list.currentRow() + step))  # fmt: skip
                self.colleague_list.setCurrentRow(row)
                return True
            control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if (
                event.type() == QEvent.Type.KeyPress
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not control
            ):
                self.consult()
                return True
        return super().eventFilter(watched, event)
