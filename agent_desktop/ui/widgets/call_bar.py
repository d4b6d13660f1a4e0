"""The call bar: one strip at the top of the main window, built around the call.

Who is calling (the CRM's name over the network's display name), the number, the queue or the
number dialled, the ring or talk timer, the hold timer counted from the hold, the big call
buttons (the same actions as the call keys, ui/shortcuts.py), the agent's state with its reason
and time in state (the state button opens the state menu), calls waiting in the agent's queues
and the agent's own calls since sign-in. After a missed call it says what happened and offers
the call back. On that third line during a call, the call's recording state with its PCI pause
button (ui/widgets/recording_status.py), once the desk's recorder is attached.

Names and numbers elide in the middle (the full text is the tooltip); the timers never elide:
their labels are as wide as their text. Time comes from the injected clock (the phone's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.agent_state import AgentStatus, CallRecord
from agent_desktop.services.handled_calls import HandledCalls
from agent_desktop.services.recording_ports import RecordingControl
from agent_desktop.ui.appearance import css, set_tone
from agent_desktop.ui.durations import stopwatch as duration  # the board's m:ss, too
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.panels.phone_panel import PhonePanel
from agent_desktop.ui.shortcuts import ShortcutId
from agent_desktop.ui.widgets.recording_status import RecordingStatus
from softphone import CallInfo, CallState

MIN_ELIDED = 40  # an elided label's least width: its ends and the ellipsis


class ElidedLabel(QLabel):
    """A label that gives up the middle of its text, never the ends, when space runs short;
    the whole text is its tooltip."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._full = ""
        self._whole_up_to = 0  # digits' widths kept whole (keep_whole_up_to)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(MIN_ELIDED)

    def sizeHint(self) -> QSize:
        # Asks for no more than its minimum: the bar's stretch gives it the room there is,
        # and a long name never makes the tool bar (and so the window) wider.
        return QSize(self.minimumWidth(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def keep_whole_up_to(self, digits: int) -> None:
        """A text up to this many digits wide is never elided: the label asks for that much
        room, and the bar's other parts give way first (a push button to its words). Longer
        ones elide: the bounded width keeps the bar within a 910 px screen (1366×768 at 150 %)."""
        self._whole_up_to = digits
        self.set_full_text(self._full)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        if self._whole_up_to:
            metrics = self.fontMetrics()
            whole = metrics.horizontalAdvance(text) + 2 if text else 0
            cap = metrics.horizontalAdvance("0" * self._whole_up_to)
            width = max(MIN_ELIDED, min(whole, cap))
            if width != self.minimumWidth():
                self.setMinimumWidth(width)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def is_elided(self) -> bool:
        return self.text() != self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideMiddle, self.width())
        if shown != self.text():
            self.setText(shown)


# Names and numbers shown whole up to this many digits' widths (in their own font): a name of
# 8 Chinese characters, an international number with its prefix.
NAME_WHOLE = 16
NUMBER_WHOLE = 20
# The agent state's text whole up to this many digits' widths ("Agent state: Not ready (Just
# signed in)" is 29): a pending state with a long reason elides in the middle instead of
# widening the bar past a 910 px screen.
STATE_WHOLE = 32
BUTTON_PADDING = 20  # the style's frame and margins around a push button's text


def fit_to_text(button: QPushButton) -> None:
    """A push button may shrink to its text (the style's 80 px minimum is for dialog
    buttons): on a 910 px wide screen (1366×768 at 150 %) six of them at 80 px leave the caller's
    name no room. Where there is room, it keeps its usual size."""
    text = button.text().replace("&", "")
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(text) + BUTTON_PADDING)


@dataclass(frozen=True, slots=True)
class Missed:
    """What the bar says after a call rang out here."""

    name: str
    number: str
    at: float  # when it was offered, on the clock
    rang_s: int


@dataclass(frozen=True, slots=True)
class CallBarView:
    """What the bar shows, as text, for another view of the same call (the compact bar,
    ui/widgets/compact_call_bar.py): one place words the call, the timers and the state."""

    name: str
    number: str
    timer: str
    hold: str
    ringing: bool
    state: str
    state_time: str
    buttons: dict[ShortcutId, tuple[str, bool]]  # the button's text, and whether it can act
    recording: str = ""  # the call's recording state ("" when nothing is attached)
    recording_button: tuple[str, bool] = ("", False)  # PCI pause / resume: text, can act


class CallBar(QWidget):
    refreshed = Signal()  # what it shows changed, or a second went by (see ``view``)

    def __init__(
        self,
        actions: dict[ShortcutId, QAction],
        state_button: QToolButton,
        clock: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
        # (A QWidget subclass paints a style sheet's background only when asked to.)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._texts = LiveTexts()  # (retranslate)
        self._texts.bind(self.setAccessibleName, lambda: self.tr("Call bar"))
        self._actions = actions
        self._clock = clock
        self._panel: PhonePanel | None = None
        self._state_since: float | None = None
        self._state_tip = ""  # the state button's own tooltip, while elided
        self._state_full = ""  # the whole state text, its tooltip while elided
        self.missed: Missed | None = None
        self.dial_back: Callable[[str], None] | None = None
        self.handled = HandledCalls()
        self._waiting: int | None = None

        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addLayout(self._build_who(), 1)
        self._build_buttons(row, actions)
        row.addLayout(self._build_state(state_button))
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.refresh)
        self._ticker.start()
        self.refresh()

    def _build_who(self) -> QVBoxLayout:
        bold = QFont(self.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.name_label = ElidedLabel("callBarName")
        self.name_label.setFont(bold)
        self.name_label.keep_whole_up_to(NAME_WHOLE)
        self._texts.bind(self.name_label.setAccessibleName, lambda: self.tr("Caller"))
        self.number_label = ElidedLabel("callBarNumber")
        self._texts.bind(self.number_label.setAccessibleName, lambda: self.tr("Number"))
        self.number_label.keep_whole_up_to(NUMBER_WHOLE)
        self.via_label = ElidedLabel("callBarVia")
        self._texts.bind(
            self.via_label.setAccessibleName, lambda: self.tr("Queue or number dialled")
        )
        self.timer_label = self._timer("callBarTimer", lambda: self.tr("Call timer"), bold)
        self.hold_label = self._timer("callBarHold", lambda: self.tr("Hold timer"), self.font())
        self.recording = RecordingStatus(self._actions[ShortcutId.PAUSE_RECORDING], self._clock)
        self.missed_label = ElidedLabel("callBarMissed")
        self._texts.bind(self.missed_label.setAccessibleName, lambda: self.tr("Missed call"))
        set_tone(self.missed_label, ColourRole.ERROR)
        self.call_back_button = QPushButton()
        self._texts.bind(self.call_back_button.setText, lambda: self.tr("Call back"))
        self.call_back_button.setObjectName("callBarCallBack")
        self._texts.bind(
            self.call_back_button.setAccessibleName, lambda: self.tr("Call back the missed caller")
        )
        self.call_back_button.clicked.connect(lambda _c=False: self.call_back())

        who = QVBoxLayout()
        who.setSpacing(0)
        top = QHBoxLayout()
        top.addWidget(self.name_label, 3)
        top.addWidget(self.timer_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.number_label, 2)
        bottom.addWidget(self.via_label, 2)
        bottom.addWidget(self.hold_label)
        who.addLayout(top)
        who.addLayout(bottom)
        missed = QHBoxLayout()
        missed.addWidget(self.missed_label, 1)
        missed.addWidget(self.call_back_button)
        # The recording on the third line, with a missed call's: beside the number it widened
        # the bar past a 910 px screen (1366×768 at 150 %); a live call seldom shows both.
        missed.addWidget(self.recording, 1)
        who.addLayout(missed)

        return who

    def _build_buttons(self, row: QHBoxLayout, actions: dict[ShortcutId, QAction]) -> None:
        self.buttons: dict[ShortcutId, QPushButton] = {}
        for action_id, name, text in (
            (ShortcutId.ANSWER, "callBarAnswer", lambda: self.tr("Answer")),
            (ShortcutId.DECLINE, "callBarDecline", lambda: self.tr("Decline")),
            (ShortcutId.HOLD, "callBarHold", lambda: self.tr("Hold")),
            (ShortcutId.MUTE, "callBarMute", lambda: self.tr("Mute")),
            (ShortcutId.TRANSFER, "callBarTransfer", lambda: self.tr("Transfer")),
            (ShortcutId.HANG_UP, "callBarHangUp", lambda: self.tr("Hang up")),
        ):
            button = QPushButton()
            button.setObjectName(name + "Button")
            self._texts.bind(button.setText, text)
            self._texts.bind(button.setAccessibleName, text)
            button.setMinimumHeight(32)  # big, and the bar stays one line tall
            fit_to_text(button)
            button.setEnabled(False)
            # The key's action, not a method of its own: button, key and menu do one thing.
            button.clicked.connect(lambda _c=False, a=actions[action_id]: a.trigger())
            self.buttons[action_id] = button
            row.addWidget(button)
        # Mute says what a press does (Mute / Unmute), as Hold / Resume does, rather than being
        # a checkable button: AT-SPI read the checkable one as a check box without a name.

    def _build_state(self, state_button: QToolButton) -> QVBoxLayout:
        state = QVBoxLayout()
        state.setSpacing(0)
        self.state_button = state_button
        self._texts.bind(state_button.setAccessibleName, lambda: self.tr("Agent state"))
        state_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # Never narrower than its text: the name beside it gives way (elided), not the state.
        state_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.state_time_label = QLabel()
        self.state_time_label.setObjectName("callBarStateTime")
        self._texts.bind(self.state_time_label.setAccessibleName, lambda: self.tr("Time in state"))
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("callBarWaiting")
        self._texts.bind(self.waiting_label.setAccessibleName, lambda: self.tr("Calls waiting"))
        self.waiting_label.setVisible(False)
        self.day_label = QLabel()
        self.day_label.setObjectName("callBarDay")
        self._texts.bind(
            self.day_label.setToolTip,
            lambda: self.tr(
                "Calls you handled since you signed in on this desk, and their average handle "
                "time (from answer to wrap-up Done)"
            ),
        )
        self._texts.bind(
            self.day_label.setAccessibleName, lambda: self.tr("Your calls since sign-in")
        )
        # Two lines, as tall as the name and number beside them: the bar stays one strip.
        # The time in state under the state, not beside it: the state's reason is the longest
        # text of the bar, and beside it the bar did not fit a 910 px screen (1366×768 at 150 %).
        first, second = QHBoxLayout(), QHBoxLayout()
        second.setSpacing(12)
        first.addWidget(state_button)
        second.addWidget(self.state_time_label)
        second.addWidget(self.waiting_label)
        second.addWidget(self.day_label, 1)
        state.addLayout(first)
        state.addLayout(second)
        return state

    def _timer(self, name: str, accessible: Callable[[], str], font: QFont) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        self._texts.bind(label.setAccessibleName, accessible)
        label.setFont(font)
        label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        return label

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text of the bar in the language now in use, at once (not at the next tick):
        the call, its timers, time in state, calls waiting, the day."""
        self._texts.retranslate()
        self.recording.retranslate()
        self.set_waiting(self._waiting)
        self.refresh()

    # -- what feeds it ----------------------------------------------------------------------

    def attach_phone(self, panel: PhonePanel) -> None:
        """The real phone panel: its calls, the CRM names it was told, its hold stamps."""
        self._panel = panel
        # Bound methods, not lambdas: disconnected when the bar goes, the phone stays.
        panel.phone.call_state_changed.connect(self._call_changed)
        panel.phone.incoming_call.connect(self._new_call)
        self.refresh()

    def _call_changed(self, _call: CallInfo) -> None:
        self.refresh()

    def attach_recordings(self, control: RecordingControl) -> None:
        """The desk's recorder: the call's recording state and its pause button show."""
        # A bound method (disconnected when the bar goes); the compact bar follows on refreshed.
        control.changed.connect(self._recording_changed)
        self.recording.attach(control)
        self.refresh()

    def _recording_changed(self, _info: object) -> None:
        self.refresh()

    def show_status(self, status: AgentStatus) -> None:
        self.set_state_since(status.since)

    def wrap_up_done(self, record: CallRecord) -> None:
        self.count_handled(record.answered_at, self._clock())

    def signed_out(self, _reason: str) -> None:
        self.handled.clear()
        self.refresh()

    def set_state_since(self, since: float) -> None:
        self._state_since = since
        self.refresh()

    def show_state_text(self, text: str) -> None:
        """The agent state on its button: whole up to ``STATE_WHOLE``, else elided in the
        middle with the whole as the button's tooltip (its usual tooltip back once whole)."""
        button = self.state_button
        metrics = button.fontMetrics()
        shown = metrics.elidedText(
            text, Qt.TextElideMode.ElideMiddle, metrics.horizontalAdvance("0" * STATE_WHOLE)
        )
        button.setText(shown)
        if shown != text:
            if button.toolTip() != self._state_full:  # its own (maybe in a new language)
                self._state_tip = button.toolTip()
            button.setToolTip(text)
            self._state_full = text
        elif self._state_full:
            button.setToolTip(self._state_tip)
            self._state_full = ""

    def set_waiting(self, waiting: int | None) -> None:
        """Callers waiting in the agent's own queues (None: not known to this desk)."""
        self._waiting = waiting
        self.waiting_label.setVisible(waiting is not None)
        if waiting is not None:
            self.waiting_label.setText(self.tr("Waiting: %1").replace("%1", str(waiting)))

    def count_handled(self, answered_at: float | None, done_at: float) -> None:
        """A call's wrap-up is done: one more call handled (answered ones only)."""
        if answered_at is not None:
            self.handled.add(done_at - answered_at)
        self.refresh()

    def show_missed(self, call: CallInfo) -> None:
        name = self._panel.known_name(call) if self._panel is not None else call.display_name
        number = "" if call.caller_withheld else call.remote_number
        rang = max(0, round(self._clock() - call.started_at)) if call.started_at else 0
        self.missed = Missed(name, number, call.started_at or self._clock(), rang)
        self.refresh()

    def call_back(self) -> None:
        missed, self.missed = self.missed, None
        if missed is not None and missed.number and self.dial_back is not None:
            self.dial_back(missed.number)
        self.refresh()

    def _new_call(self, _call: CallInfo) -> None:
        self.missed = None  # the bar shows the new call; the history keeps the missed one
        self.refresh()

    # -- what it shows ----------------------------------------------------------------------

    def shown_call(self) -> CallInfo | None:
        """The call the bar is about: the newest ringing one, else the phone's selected one."""
        panel = self._panel
        if panel is None:
            return None
        return panel.ringing() or panel.selected()

    def refresh(self) -> None:
        now = self._clock()
        call = self.shown_call()
        self._show_call(call, now)
        self._show_missed()
        can = self._panel.possible() if self._panel is not None else frozenset[str]()
        for action_id, button in self.buttons.items():
            button.setEnabled(action_id.value.split(".")[1] in can)
        held = call is not None and call.state == CallState.HELD
        hold_text = self.tr("Resume") if held else self.tr("Hold")
        self.buttons[ShortcutId.HOLD].setText(hold_text)
        self.buttons[ShortcutId.HOLD].setAccessibleName(hold_text)
        fit_to_text(self.buttons[ShortcutId.HOLD])
        muted = bool(call and call.muted)
        mute_text = self.tr("Unmute") if muted else self.tr("Mute")
        self.buttons[ShortcutId.MUTE].setText(mute_text)
        self.buttons[ShortcutId.MUTE].setAccessibleName(mute_text)
        fit_to_text(self.buttons[ShortcutId.MUTE])
        live = call is not None and call.state != CallState.ENDED
        self.recording.show_call(call.call_id if live and call is not None else None)
        self.recording.refresh()  # (the countdown to the automatic resume)
        if self._state_since is not None:
            self.state_time_label.setText(
                self.tr("for %1").replace("%1", duration(now - self._state_since))
            )
        self.day_label.setText(
            self.tr("Calls: %1 · average %2")
            .replace("%1", str(self.handled.count))
            .replace("%2", duration(self.handled.average_s()) if self.handled.count else "—")
        )

        # Its lines whole (two, three with a missed call): the tool bar gives a widget no more
        # height than its minimum, and the layout's own minimum is not that.
        layout = self.layout()
        if layout is not None:
            self.setMinimumHeight(layout.totalMinimumSize().height())
        self.refreshed.emit()

    def view(self) -> CallBarView:
        """What the bar shows now (after ``refresh``)."""
        call = self.shown_call()
        return CallBarView(
            name=self.name_label.full_text(),
            number=self.number_label.full_text(),
            timer=self.timer_label.text(),
            hold=self.hold_label.text(),
            ringing=call is not None and call.state == CallState.INCOMING,
            state=self.state_button.text(),
            state_time=self.state_time_label.text(),
            buttons={i: (b.text(), b.isEnabled()) for i, b in self.buttons.items()},
            recording=self.recording.text(),
            recording_button=self.recording.button_text(),
        )

    def _show_call(self, call: CallInfo | None, now: float) -> None:
        panel = self._panel
        ringing = call is not None and call.state == CallState.INCOMING
        self.setAutoFillBackground(False)
        self.setStyleSheet(
            # Read from the palette at each tick, so a palette switch mid-ring follows.
            f"QWidget#callBar {{ background: {css(ColourRole.NOTICE_BACKGROUND)}; }}"
            if ringing
            else ""
        )
        if call is None or panel is None or call.state == CallState.ENDED:
            self.name_label.set_full_text(self.tr("No call") if call is None else "")
            if call is not None and panel is not None:
                self.name_label.set_full_text(panel.state_text(call))
            self.number_label.set_full_text("")
            self.via_label.set_full_text("")
            self._set_timer(self.timer_label, "")
            self._set_timer(self.hold_label, "")
            return
        withheld = call.caller_withheld
        name = self.tr("Withheld number") if withheld else panel.known_name(call)
        self.name_label.set_full_text(name or call.remote_number)
        self.number_label.set_full_text("" if withheld else call.remote_number)
        self.via_label.set_full_text(panel.via_text(call))
        if ringing:
            timer = self.tr("Ringing %1").replace("%1", duration(now - call.started_at))
        elif call.state in (CallState.DIALING, CallState.RINGING):
            timer = self.tr("Calling %1").replace("%1", duration(now - call.started_at))
        else:
            timer = self.tr("Talking %1").replace("%1", duration(now - (call.connected_at or now)))
        self._set_timer(self.timer_label, timer)
        held = call.state == CallState.HELD
        self._set_timer(
            self.hold_label,
            self.tr("On hold %1").replace("%1", duration(now - panel.held_since(call, now)))
            if held
            else "",
        )

    def _set_timer(self, label: QLabel, text: str) -> None:
        # As wide as its text (and a digit to spare as 59:59 becomes 1:00:00): never elided.
        label.setText(text)
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance(text + "0") if text else 0)
        label.setVisible(bool(text))

    def _show_missed(self) -> None:
        missed = self.missed
        self.missed_label.setVisible(missed is not None)
        self.call_back_button.setVisible(missed is not None and bool(missed.number))
        if missed is None:
            return
        who = missed.name or missed.number or self.tr("a withheld number")
        if missed.name and missed.number and missed.name != missed.number:
            who = f"{missed.name} ({missed.number})"
        at = datetime.fromtimestamp(missed.at).astimezone().strftime("%H:%M")
        self.missed_label.set_full_text(
            self.tr("Missed call from %1 at %2 — rang %3 s")
            .replace("%1", who)
            .replace("%2", at)
            .replace("%3", str(missed.rang_s))
        )
