"""The phone: registration state, the calls with their timers, a dial pad, and the buttons an
agent presses all shift (answer, reject, hang up, hold, mute, keys, transfer)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.durations import stopwatch
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from softphone import (
    ENGINE_LOST,
    CallDirection,
    CallInfo,
    CallState,
    EngineState,
    Phone,
    PhoneError,
    RegistrationInfo,
)
from softphone import RegistrationState as Reg

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")
KEY_NAMES = {"*": "star", "#": "hash"}


class PhonePanel(QWidget):
    error_shown = Signal(str)
    transfer_dialog: QInputDialog | None = None  # the last "transfer to" asked

    def __init__(self, phone: Phone, auto_answer: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("phonePanel")
        self.phone = phone
        self._wall_clock = phone.wall_clock  # the stamps on CallInfo are on the phone's clock
        self.auto_answer = auto_answer
        # What the keypad's Call button dials with: the desk's dial plan once attached.
        self.dial_with: Callable[[str], object] | None = None
        # Which queue a call is (the PBX's header, or the site's name for the dialled number).
        self.queue_of: Callable[[CallInfo], str] = lambda call: call.queue
        self._calls: dict[int, CallInfo] = {}
        # The CRM's name for a call's caller (from the screen pop): shown over the network's
        # display name, which anyone can set.
        self._known_names: dict[int, str] = {}
        # When each call went on hold, on the phone's clock: the hold timer counts from there
        # (CallInfo says when the call was answered, not when it was held).
        self._held_since: dict[int, float] = {}

        self.registration_label = QLabel()
        self.registration_label.setObjectName("registrationLabel")
        self.registration_label.setWordWrap(True)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("numberEdit")
        self.number_edit.returnPressed.connect(self.dial)
        self._texts = LiveTexts()  # (retranslate)
        self.call_button = QPushButton()
        self._texts.bind(self.call_button.setText, lambda: self.tr("Call"))
        self.call_button.setObjectName("callButton")
        self.call_button.clicked.connect(self.dial)
        dial_row = QHBoxLayout()
        dial_row.addWidget(self.number_edit, 1)
        dial_row.addWidget(self.call_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.registration_label)
        layout.addLayout(dial_row)
        layout.addLayout(self._build_pad())
        self.call_list = QListWidget()
        self.call_list.setObjectName("callList")
        self.call_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        layout.addWidget(self.call_list, 1)
        layout.addWidget(self._build_note())
        layout.addLayout(self._build_buttons())
        self.message_label = QLabel()
        self.message_label.setObjectName("phoneMessage")
        self.message_label.setWordWrap(True)
        set_tone(self.message_label, ColourRole.ERROR)
        layout.addWidget(self.message_label)

        phone.incoming_call.connect(self._on_incoming)
        phone.call_state_changed.connect(self._on_call)
        phone.registration_changed.connect(self._show_registration)
        phone.transfer_progress.connect(self._on_transfer)
        # Methods, not lambdas: Qt drops a method's connection when the panel is deleted, and
        # the phone outlives the window at quit (its engine's last state comes after).
        phone.engine_state_changed.connect(self._engine_state_changed)
        phone.command_failed.connect(self._command_failed)
        self._show_registration(phone.registration)
        self._start_ticker()
        for call in phone.calls():  # a panel opened mid-call shows what is already going on
            self._calls[call.call_id] = call
        self._label_controls()
        self._refresh()

    def _label_controls(self) -> None:
        """What the controls say to a sighted agent and a screen reader (placeholders, tips, names
        for controls whose visible label a screen reader cannot find)."""
        texts = self._texts
        texts.bind(self.number_edit.setPlaceholderText, lambda: self.tr("Number or extension"))
        texts.bind(self.registration_label.setAccessibleDescription, lambda: self.tr("Phone line"))
        texts.bind(self.number_edit.setAccessibleName, lambda: self.tr("Number to dial"))
        texts.bind(self.call_list.setAccessibleName, lambda: self.tr("Calls"))

    def _start_ticker(self) -> None:
        self._ticker = QTimer(self)  # the timers on the call lines
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._refresh)
        self._ticker.start()

    def _build_note(self) -> QLabel:
        """A colleague's warm-transfer note, next to the caller while it rings (and after)."""
        self.note_label = QLabel()
        self.note_label.setObjectName("transferNoteLabel")
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)  # the note is untrusted text
        set_tone(self.note_label, "notice")
        self.note_label.setVisible(False)
        return self.note_label

    def _build_pad(self) -> QGridLayout:
        pad = QGridLayout()
        self.key_buttons: dict[str, QPushButton] = {}
        for index, key in enumerate(KEYS):
            button = QPushButton(key)
            button.setObjectName(f"key_{KEY_NAMES.get(key, key)}")
            button.clicked.connect(lambda _c=False, k=key: self.press_key(k))
            pad.addWidget(button, index // 3, index % 3)
            self.key_buttons[key] = button
        return pad

    def _build_buttons(self) -> QGridLayout:
        self.answer_button = self._button("answerButton", lambda: self.tr("Answer"), self.answer)
        self.reject_button = self._button("rejectButton", lambda: self.tr("Reject"), self.reject)
        self.hangup_button = self._button("hangupButton", lambda: self.tr("Hang up"), self.hangup)
        self.hold_button = self._button("holdButton", lambda: self.tr("Hold"), self.toggle_hold)
        self.mute_button = self._button("muteButton", lambda: self.tr("Mute"), self.toggle_mute)
        self.mute_button.setCheckable(True)
        self.transfer_button = self._button(
            "transferButton", lambda: self.tr("Transfer…"), self.ask_transfer
        )
        self.join_button = self._button(
            "joinButton", lambda: self.tr("Complete transfer"), self.complete_transfer
        )
        self.conference_button = self._button(
            "conferenceButton", lambda: self.tr("Conference"), self.conference
        )
        self._texts.bind(
            self.conference_button.setToolTip,
            lambda: self.tr("Join your calls into one: everyone hears everyone"),
        )
        self._texts.bind(
            self.join_button.setToolTip,
            lambda: self.tr(
                "Connect the caller on hold to the person you consulted, and leave the call"
            ),
        )
        buttons = QGridLayout()
        for index, button in enumerate(
            (
                self.answer_button,
                self.reject_button,
                self.hangup_button,
                self.hold_button,
                self.mute_button,
                self.transfer_button,
                self.join_button,
                self.conference_button,
            )
        ):
            buttons.addWidget(button, index // 2, index % 2)
        return buttons

    def _button(self, name: str, text: Callable[[], str], slot: object) -> QPushButton:
        button = QPushButton()
        self._texts.bind(button.setText, text)
        button.setObjectName(name)
        button.clicked.connect(lambda _c=False: slot())  # type: ignore[operator]
        return button

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The panel's texts, the line's state and every call line in the language now in use."""
        self._texts.retranslate()
        self._show_registration(self.phone.registration)
        self._refresh()

    # -- what the agent does --------------------------------------------------------------

    def selected(self) -> CallInfo | None:
        row = self.call_list.currentRow()
        if row < 0:
            return None
        return self._calls.get(int(self.call_list.item(row).data(Qt.ItemDataRole.UserRole)))

    def _do(self, action: object) -> bool:
        self.message_label.clear()
        try:
            action()  # type: ignore[operator]
        except PhoneError as exc:
            self.show_error(self.error_text(exc))
            return False
        return True

    def dial(self) -> None:
        number = self.number_edit.text()
        dial = self.dial_with or self.phone.dial
        if self._do(lambda: dial(number)):
            self.number_edit.clear()

    def answer(self) -> None:
        call = self.selected()
        if call is not None:
            self._do(lambda: self.phone.answer(call.call_id))

    def reject(self) -> None:
        call = self.selected()
        if call is not None:
            self._do(lambda: self.phone.reject(call.call_id))

    def ringing(self) -> CallInfo | None:
        """The call the keyboard's Answer and Decline mean: the newest one ringing."""
        offered = [c for c in self._live() if c.state == CallState.INCOMING]
        return max(offered, key=lambda c: (c.started_at, c.call_id)) if offered else None

    def answer_ringing(self) -> None:
        call = self.ringing()
        if call is not None:
            self._select(call.call_id)
            self._do(lambda: self.phone.answer(call.call_id))

    def possible(self) -> frozenset[str]:
        """What the call keys can do now (the Call menu greys the rest): answer, decline,
        hang_up, hold, mute, transfer."""
        can = {"answer", "decline"} if self.ringing() is not None else set()
        buttons = {
            "hang_up": self.hangup_button,
            "hold": self.hold_button,
            "mute": self.mute_button,
            "transfer": self.transfer_button,
        }
        can |= {name for name, button in buttons.items() if button.isEnabled()}
        return frozenset(can)

    def decline_ringing(self) -> None:
        call = self.ringing()
        if call is not None:
            self._do(lambda: self.phone.reject(call.call_id))

    def hangup(self) -> None:
        call = self.selected()
        if call is not None:
            self._do(lambda: self.phone.hangup(call.call_id))

    def toggle_hold(self) -> None:
        call = self.selected()
        if call is None:
            return
        if call.state == CallState.HELD:
            self._do(lambda: self.phone.resume(call.call_id))
        else:
            self._do(lambda: self.phone.hold(call.call_id))

    def toggle_mute(self) -> None:
        call = self.selected()
        if call is not None:
            self._do(lambda: self.phone.set_mute(call.call_id, not call.muted))

    def press_key(self, key: str) -> None:
        """On a call: send the key as a tone (an IVR, a PIN). Otherwise: type it."""
        call = self.phone.active_call()
        if call is None:
            self.number_edit.insert(key)
            return
        self._do(lambda: self.phone.send_dtmf(call.call_id, key))

    def ask_transfer(self) -> None:
        """Ask where to (window-modal, not a nested event loop: the phone keeps being served
        while the agent types); Enter transfers, Esc keeps the call."""
        call = self.selected()
        if call is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("transferDialog")
        dialog.setWindowTitle(self.tr("Transfer"))
        dialog.setLabelText(self.tr("Transfer this call to (number or extension):"))
        dialog.textValueSelected.connect(
            lambda target, cid=call.call_id: self.transfer(cid, target) if target.strip() else None
        )
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.transfer_dialog = dialog
        dialog.open()

    def transfer(self, call_id: int, target: str) -> None:
        self._do(lambda: self.phone.blind_transfer(call_id, target))

    def complete_transfer(self) -> None:
        """Attended transfer: the held caller meets the consulted party (REFER/Replaces)."""
        held = next((c for c in self._live() if c.state == CallState.HELD), None)
        consult = next((c for c in self._live() if c.state == CallState.CONNECTED), None)
        if held is not None and consult is not None:
            self._do(lambda: self.phone.attended_transfer(held.call_id, consult.call_id))

    def conference(self) -> None:
        talking = [
            c.call_id for c in self._live() if c.state in (CallState.CONNECTED, CallState.HELD)
        ]
        if len(talking) >= 2:
            self._do(lambda: self.phone.conference(talking))

    # -- what the phone says --------------------------------------------------------------

    def _live(self) -> list[CallInfo]:
        return [c for c in self._calls.values() if c.state != CallState.ENDED]

    def _on_incoming(self, call: CallInfo) -> None:
        self._on_call(call)
        if self.auto_answer and len(self._live()) == 1:
            self._do(lambda: self.phone.answer(call.call_id))

    def _on_call(self, call: CallInfo) -> None:
        previous = self._calls.get(call.call_id)
        self._calls[call.call_id] = call
        if call.state == CallState.HELD:
            self._held_since.setdefault(call.call_id, self._wall_clock())
        else:
            self._held_since.pop(call.call_id, None)
        if call.state == CallState.ENDED and previous is not None and previous.state != call.state:
            # Keep an ended call visible for a moment, with why it ended.
            QTimer.singleShot(4000, self, lambda cid=call.call_id: self._forget(cid))
        self._refresh()
        self._follow(call, is_new=previous is None)

    def _follow(self, call: CallInfo, is_new: bool) -> None:
        """Select the call the agent acts on next: a call that just appeared (rung or
        dialled), else the newest live one when the selected call has ended. An ended call
        stays listed for a few seconds; left selected, a redial that connects in that window
        would leave Hold, Hang up and Transfer greyed out until the agent clicked its row."""
        if call.state == CallState.INCOMING or (is_new and call.state != CallState.ENDED):
            self._select(call.call_id)
            self._update_buttons()
        elif not self._select_newest_live() and self.selected() is None:
            self._select(call.call_id)

    def _select_newest_live(self) -> bool:
        """When nothing live is selected, select the newest live call; True when one is."""
        selected = self.selected()
        if selected is not None and selected.state != CallState.ENDED:
            return True
        live = self._live()
        if not live:
            return False
        self._select(max(live, key=lambda c: (c.started_at, c.call_id)).call_id)
        self._update_buttons()  # (the row number may be the same: no currentRowChanged)
        return True

    def _forget(self, call_id: int) -> None:
        call = self._calls.get(call_id)
        if call is not None and call.state == CallState.ENDED:
            del self._calls[call_id]
            self._known_names.pop(call_id, None)
            self._held_since.pop(call_id, None)
            self._refresh()
            self._select_newest_live()

    def _on_transfer(self, _call_id: int, status: int, final: bool) -> None:
        if final and 200 <= status < 300:
            set_tone(self.message_label, ColourRole.SUCCESS)
            self.message_label.setText(self.tr("Transfer completed."))
        elif final:
            self.show_error(
                self.tr("The transfer failed (%1); the caller is still with you.").replace(
                    "%1", str(status)
                )
            )

    def show_error(self, text: str) -> None:
        set_tone(self.message_label, ColourRole.ERROR)
        self.message_label.setText(text)
        self.error_shown.emit(text)

    def error_text(self, error: PhoneError) -> str:
        return {
            "max_calls": self.tr(
                "This phone can hold 4 calls at once. End or transfer one before dialling."
            ),
            "no_number": self.tr("Enter a number to call."),
            "bad_key": self.tr("That is not a telephone key."),
            "no_call": self.tr("That call has already ended."),
            "not_started": self.tr("The phone is not started."),
            "restarting": self.tr("The phone is restarting; try again in a moment."),
            "engine": self.tr("The phone keeps failing and has stopped. Restart the app."),
        }.get(error.reason, str(error))

    def _select(self, call_id: int) -> None:
        for row in range(self.call_list.count()):
            if self.call_list.item(row).data(Qt.ItemDataRole.UserRole) == call_id:
                self.call_list.setCurrentRow(row)
                return

    def state_text(self, call: CallInfo) -> str:
        now = self._wall_clock()
        if call.state == CallState.INCOMING:
            return self.tr("Ringing — incoming call")
        if call.state == CallState.DIALING:
            return self.tr("Calling…")
        if call.state == CallState.RINGING:
            return self.tr("Ringing at the other end")
        if call.state == CallState.HELD:
            return self.tr("On hold %1").replace("%1", stopwatch(now - self.held_since(call, now)))
        if call.state == CallState.CONNECTED:
            text = self.tr("Talking %1").replace("%1", stopwatch(now - (call.connected_at or now)))
            if call.muted:
                text += " · " + self.tr("muted")
            if call.remote_hold:
                text += " · " + self.tr("they put you on hold")
            return text
        return self.tr("Ended: %1").replace("%1", self.end_reason(call))

    def held_since(self, call: CallInfo, now: float) -> float:
        """When this call went on hold (now when the panel has not seen it held)."""
        return self._held_since.get(call.call_id, now)

    def known_name(self, call: CallInfo) -> str:
        """The CRM's name for the caller (from the screen pop), else the network's."""
        return self._known_names.get(call.call_id) or call.display_name

    def end_reason(self, call: CallInfo) -> str:
        """Why a call ended, in the agent's words; the SIP reason as it came otherwise."""
        known = {
            408: self.tr("no answer"),
            480: self.tr("no answer"),
            404: self.tr("number not found"),
            484: self.tr("incomplete number"),
            486: self.tr("busy"),
            600: self.tr("busy"),
            487: self.tr("cancelled"),
            603: self.tr("declined"),
            503: self.tr("the line is unavailable; try again shortly"),
        }
        if call.reason == ENGINE_LOST:
            return self.tr("the phone restarted and the call was lost")
        if "ECERTVERIF" in call.reason or "certificate" in call.reason.lower():
            return self.tr(
                "the other end's certificate is not trusted; ask IT for the CA file "
                "(phone.ca_file in the configuration)"
            )
        # pjsip's own resolver (dialling user@domain): the name is unknown, or no name server
        # answered ("502 DNS "Name Error" (PJLIB_UTIL_EDNS_NXDOMAIN)", "503 Operation timed
        # out (PJ_ETIMEDOUT)" before any reply): words the agent and IT can act on.
        if "PJLIB_UTIL_EDNS" in call.reason:
            return self.tr("the address was not found (DNS); check the number or address")
        if call.status_code == 503 and "PJ_ETIMEDOUT" in call.reason:
            return self.tr(
                "the address could not be reached: no reply from the name server or the "
                "network; tell IT if it keeps happening"
            )
        if call.status_code == 200 or call.reason.startswith("200 "):
            return self.tr("hung up")  # a normal end: no code to show
        if call.status_code in known:
            return f"{known[call.status_code]} ({call.status_code})"
        return call.reason or "—"

    def caller_text(self, call: CallInfo) -> str:
        """Who: the network's name and number (the 360 shows the CRM's name), or withheld."""
        if call.caller_withheld:
            return self.tr("Withheld number")
        name = self._known_names.get(call.call_id) or call.display_name
        return f"{name} {call.remote_number}".strip()

    def name_call(self, call_id: int, name: str) -> None:
        """The screen pop found who this is: the CRM's name on the call line."""
        if call_id in self._calls and name:
            self._known_names[call_id] = name
            self._refresh()

    def via_text(self, call: CallInfo) -> str:
        """The queue and the number the customer called ("" for a call straight to us)."""
        queue = self.queue_of(call)
        if queue and call.dialled_number and queue != call.dialled_number:
            return self.tr("queue %1 (%2)").replace("%1", queue).replace("%2", call.dialled_number)
        if queue or call.dialled_number:
            return self.tr("via %1").replace("%1", queue or call.dialled_number)
        return ""

    def _refresh(self) -> None:
        selected = self.selected()
        self.call_list.blockSignals(True)
        self.call_list.clear()
        for call in sorted(self._calls.values(), key=lambda c: c.call_id):
            arrow = "↓" if call.direction == CallDirection.INBOUND else "↑"
            line = f"{arrow} {self.caller_text(call)} · {self.state_text(call)}"
            via = self.via_text(call)
            text = f"{line} · {via}" if via else line
            if call.note:
                text += "\n    ✉ " + call.note
            item = QListWidgetItem(text)
            tip = [] if call.caller_withheld else [call.remote_uri]
            tip += [f"{name}: {value}" for name, value in call.call_data]  # the IVR's data
            item.setToolTip("\n".join(tip))
            item.setData(Qt.ItemDataRole.UserRole, call.call_id)
            # A screen reader says the direction in words, not "down arrow".
            spoken = (
                self.tr("Incoming call: %1")
                if call.direction == CallDirection.INBOUND
                else self.tr("Outgoing call: %1")
            ).replace("%1", text.replace(arrow, "", 1).strip().replace("✉", ""))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            if call.state == CallState.INCOMING:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.call_list.addItem(item)
        self.call_list.blockSignals(False)
        if selected is not None:
            self._select(selected.call_id)
        self._update_buttons()

    def _show_note(self, call: CallInfo | None) -> None:
        live = [c for c in self._live() if c.note]
        shown = call if call is not None and call.note else next(iter(live), None)
        if shown is None or shown.state == CallState.ENDED:
            self.note_label.setVisible(False)
            self.note_label.clear()
            return
        self.note_label.setText(self.tr("Note from your colleague: %1").replace("%1", shown.note))
        self.note_label.setVisible(True)

    def _update_buttons(self) -> None:
        call = self.selected()
        self._show_note(call)
        state = call.state if call else None
        ringing = state == CallState.INCOMING
        talking = state in (CallState.CONNECTED, CallState.HELD)
        self.answer_button.setEnabled(ringing)
        self.reject_button.setEnabled(ringing)
        self.hangup_button.setEnabled(
            state in (CallState.DIALING, CallState.RINGING, CallState.CONNECTED, CallState.HELD)
        )
        self.hold_button.setEnabled(talking)
        self.hold_button.setText(self.tr("Resume") if state == CallState.HELD else self.tr("Hold"))
        self.mute_button.setEnabled(talking)
        self.mute_button.setChecked(bool(call and call.muted))
        self.transfer_button.setEnabled(talking)
        live = self._live()
        self.join_button.setEnabled(
            any(c.state == CallState.HELD for c in live)
            and any(c.state == CallState.CONNECTED for c in live)
        )
        self.conference_button.setEnabled(
            sum(c.state in (CallState.CONNECTED, CallState.HELD) for c in live) >= 2
        )

    def _engine_state_changed(self, _state: object) -> None:
        self._show_registration(self.phone.registration)

    def _command_failed(self, text: str, reason: str) -> None:
        self.show_error(self.error_text(PhoneError(text, reason)))

    def _show_registration(self, info: RegistrationInfo) -> None:
        engine = self.phone.engine_state
        if engine == EngineState.RESTARTING:
            # The engine died (a flood, a crash) and a new one is starting: the desk is fine.
            text, colour = self.tr("● Phone restarting…"), ColourRole.WARNING
        elif engine == EngineState.STARTING:
            text, colour = self.tr("● Phone starting…"), ColourRole.MUTED
        elif engine == EngineState.FAILED:
            text, colour = self.tr("● Phone stopped"), ColourRole.ERROR
        elif info.state == Reg.REGISTERED:
            text = self.tr("● Registered to %1").replace("%1", info.registrar)
            colour = ColourRole.SUCCESS
        elif info.state == Reg.REGISTERING:
            text, colour = (
                self.tr("● Registering to %1…").replace("%1", info.registrar),
                ColourRole.WARNING,
            )
        elif info.state == Reg.FAILED:
            text = self.tr("● Not registered: %1").replace("%1", info.reason)
            if info.retry_at:
                text += " — " + self.tr("retrying at %1").replace(
                    "%1", time.strftime("%H:%M:%S", time.localtime(info.retry_at))
                )
            colour = ColourRole.ERROR
        elif self.phone.running:
            text = self.tr("● Direct calls to %1").replace("%1", self.phone.local_address)
            colour = ColourRole.SUCCESS
        else:
            text, colour = self.tr("● Phone off"), ColourRole.MUTED
        self.registration_label.setText(text)
        set_tone(self.registration_label, colour)
