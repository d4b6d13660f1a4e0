"""The call bar's recording state and its PCI pause button (issue 20).

What the current call's recording is doing, from the recorder's ``RecordingInfo`` (the
``RecordingControl`` protocol): "● REC", "❚❚ Paused" with the countdown to the automatic
resume, "PBX records" (the PBX records and the desk linked its id), "Not recorded", or
"Recording failed: why". The button pauses or resumes (a card number is read out); it is the
keyed action's button (ui/shortcuts.py ``PAUSE_RECORDING``), so button, key and menu do one
thing: ``toggle``. Time comes from the bar's clock (the phone's): the countdown ticks with the
bar's one-second timer, not with a timer of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from agent_desktop.services.recording_ports import RecordingControl
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.durations import stopwatch
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from softphone.events import RecordingInfo, RecordingState
from sync.contract.recordings import PauseReason

MIN_TEXT = 40  # the label's least width: a short form elided (the tooltip has it whole)


class StateLabel(QLabel):
    """The state in the room there is: whole, else its short form ("❚❚ 0:42"), else that
    elided; the whole text is the tooltip and the accessible description."""

    def __init__(self) -> None:
        super().__init__()
        # Asks for its whole text, may shrink to MIN_TEXT (then the short form, elided).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(MIN_TEXT)
        self._full = ""
        self._short = ""

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance(self._full) + 4
        return QSize(max(MIN_TEXT, width), super().sizeHint().height())

    def set_texts(self, full: str, short: str) -> None:
        if (full, short or full) == (self._full, self._short):
            return  # (asked each second by the bar's tick: no relayout for the same text)
        self._full, self._short = full, short or full
        self.setToolTip(full)
        self.setAccessibleDescription(full)
        self.updateGeometry()
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        metrics, room = self.fontMetrics(), self.width()
        if metrics.horizontalAdvance(self._full) <= room:
            shown = self._full
        else:
            shown = metrics.elidedText(self._short, Qt.TextElideMode.ElideMiddle, room)
        if shown != self.text():
            self.setText(shown)


class RecordingStatus(QWidget):
    def __init__(
        self, action: QAction, clock: Callable[[], float], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callBarRecording")
        self._clock = clock
        self._control: RecordingControl | None = None
        self._call_id: int | None = None
        self._texts = LiveTexts()
        self.state_label = StateLabel()
        self.state_label.setObjectName("callBarRecordingState")
        self._texts.bind(self.state_label.setAccessibleName, lambda: self.tr("Recording"))
        self.button = QPushButton()
        self.button.setObjectName("callBarPauseRecordingButton")
        # The key's action, as the bar's other buttons: one thing done, however asked.
        self.button.clicked.connect(lambda _c=False: action.trigger())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.state_label)
        row.addWidget(self.button)
        row.addStretch(1)  # the button beside the state, not at the far end of a wide bar
        self._full = ""
        self.setVisible(False)  # until a recorder is attached: a desk that records nothing

    # -- what feeds it ------------------------------------------------------------------------

    def attach(self, control: RecordingControl) -> None:
        self._control = control  # (its changes reach ``refresh`` through the bar's)
        self.refresh()

    def show_call(self, call_id: int | None) -> None:
        """The call the bar is about (None: no call)."""
        if call_id != self._call_id:
            self._call_id = call_id
            self.refresh()

    def current_call(self) -> int | None:
        return self._call_id

    def info(self) -> RecordingInfo | None:
        if self._control is None or self._call_id is None:
            return None
        return self._control.state(self._call_id)

    # -- what it does -------------------------------------------------------------------------

    def can_toggle(self) -> bool:
        info = self.info()
        return info is not None and info.state in (RecordingState.RECORDING, RecordingState.PAUSED)

    def toggle(self) -> None:
        """Pause a running recording (the agent's reason), resume a paused one."""
        info = self.info()
        if self._control is None or info is None:
            return
        if info.state == RecordingState.RECORDING:
            self._control.pause(info.call_id, PauseReason.AGENT)
        elif info.state == RecordingState.PAUSED:
            self._control.resume(info.call_id)

    # -- what it shows ------------------------------------------------------------------------

    def text(self) -> str:
        """The state as shown (whole, not elided): the compact bar shows it too."""
        return self._full

    def button_text(self) -> tuple[str, bool]:
        return self.button.text(), self.button.isEnabled()

    def refresh(self) -> None:
        attached = self._control is not None and self._call_id is not None
        self.setVisible(attached)
        info = self.info()
        text, short, tone = self._wording(info) if attached else ("", "", None)
        self._full = text
        self.state_label.set_texts(text, short)
        set_tone(self.state_label, tone, strong=tone == ColourRole.ERROR)
        paused = info is not None and info.state == RecordingState.PAUSED
        self.button.setText(self.tr("Resume rec.") if paused else self.tr("Pause rec."))
        self.button.setAccessibleName(
            self.tr("Resume the recording")
            if paused
            else self.tr("Pause the recording (a card number is read out)")
        )
        self.button.setToolTip(self.button.accessibleName())
        self.button.setEnabled(self.can_toggle())
        text_width = self.button.fontMetrics().horizontalAdvance(self.button.text())
        self.button.setMinimumWidth(text_width + 20)  # (as the bar's fit_to_text)

    def _wording(self, info: RecordingInfo | None) -> tuple[str, str, ColourRole | None]:
        """The state's whole text, its short form for a narrow bar, and its tone."""
        if info is None:
            return self.tr("Not recorded"), "", ColourRole.MUTED
        state = info.state
        if state == RecordingState.RECORDING:
            return self.tr("● REC"), "", ColourRole.ERROR
        if state == RecordingState.PAUSED:
            if info.resume_at is None:
                return self.tr("❚❚ Paused"), "", ColourRole.WARNING
            left = max(0.0, info.resume_at - self._clock())
            # Rounded up: "0:01" until the very resume, never a "0:00" that lingers a second.
            countdown = stopwatch(-(-left // 1))
            return (
                self.tr("❚❚ Paused, resumes in %1").replace("%1", countdown),
                f"❚❚ {countdown}",
                ColourRole.WARNING,
            )
        if state == RecordingState.LINKED:
            return self.tr("PBX records"), "", ColourRole.MUTED
        if state == RecordingState.FAILED:
            reason = info.reason or self.tr("no reason given")
            whole = self.tr("Recording failed: %1").replace("%1", reason)
            return whole, self.tr("Recording failed"), ColourRole.ERROR
        return self.tr("Recorded"), "", ColourRole.MUTED  # FINISHED: the file waits to be sent

    def retranslate(self) -> None:
        self._texts.retranslate()
        self.refresh()
