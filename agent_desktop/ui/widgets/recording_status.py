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
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from agent_desktop.services.recording_ports import RecordingControl
from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.durations import stopwatch
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from softphone.events import RecordingInfo, RecordingState
from sync.contract.recordings import PauseReason

TEXT_WHOLE = 22  # digits' widths kept whole; a longer failure reason elides (tooltip: whole)


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
        self.state_label = QLabel()
        self.state_label.setObjectName("callBarRecordingState")
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._texts.bind(self.state_label.setAccessibleName, lambda: self.tr("Recording"))
        self.button = QPushButton()
        self.button.setObjectName("callBarPauseRecordingButton")
        # The key's action, as the bar's other buttons: one thing done, however asked.
        self.button.clicked.connect(lambda _c=False: action.trigger())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.state_label, 1)
        row.addWidget(self.button)
        self._full = ""
        self.setVisible(False)  # until a recorder is attached: a desk that records nothing

    def sizeHint(self) -> QSize:
        return QSize(
            self.state_label.fontMetrics().horizontalAdvance("0" * TEXT_WHOLE)
            + self.button.sizeHint().width(),
            super().sizeHint().height(),
        )

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
        text, tone = self._wording(info) if attached else ("", None)
        self._full = text
        metrics = self.state_label.fontMetrics()
        width = metrics.horizontalAdvance("0" * TEXT_WHOLE)
        self.state_label.setMinimumWidth(min(width, metrics.horizontalAdvance(text) + 2))
        self.state_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width))
        self.state_label.setToolTip(text)
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

    def _wording(self, info: RecordingInfo | None) -> tuple[str, ColourRole | None]:
        if info is None:
            return self.tr("Not recorded"), ColourRole.MUTED
        state = info.state
        if state == RecordingState.RECORDING:
            return self.tr("● REC"), ColourRole.ERROR
        if state == RecordingState.PAUSED:
            if info.resume_at is None:
                return self.tr("❚❚ Paused"), ColourRole.WARNING
            left = max(0.0, info.resume_at - self._clock())
            # Rounded up: "0:01" until the very resume, never a "0:00" that lingers a second.
            return (
                self.tr("❚❚ Paused, resumes in %1").replace("%1", stopwatch(-(-left // 1))),
                ColourRole.WARNING,
            )
        if state == RecordingState.LINKED:
            return self.tr("PBX records"), ColourRole.MUTED
        if state == RecordingState.FAILED:
            reason = info.reason or self.tr("no reason given")
            return self.tr("Recording failed: %1").replace("%1", reason), ColourRole.ERROR
        return self.tr("Recorded"), ColourRole.MUTED  # FINISHED: the file waits to be sent

    def retranslate(self) -> None:
        self._texts.retranslate()
        self.refresh()
