"""The lead's controls for monitoring the selected agent's call: Listen first (the lead's
microphone closed), then Whisper, Barge or Take over as explicit moves, and Leave."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from agent_desktop.services.monitoring import LeadSession, MonitorService
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.widgets.call_bar import ElidedLabel
from softphone import MonitorMode
from sync.contract.records import AgentState


class MonitorBar(QWidget):
    def __init__(
        self,
        monitor: MonitorService,
        selected: Callable[[], tuple[int, str, AgentState] | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("monitorBar")
        self._monitor = monitor
        self._selected = selected
        self._texts = LiveTexts()  # (changeEvent)
        self.listen_button = QPushButton()
        self.listen_button.setObjectName("monitorListen")
        self._texts.bind(self.listen_button.setText, lambda: self.tr("Listen"))
        self._texts.bind(
            self.listen_button.setToolTip,
            lambda: self.tr("Hear the call; your microphone stays closed"),
        )
        self.listen_button.clicked.connect(self._listen)
        self.mode_buttons: dict[MonitorMode, QPushButton] = {}
        for mode, label, tip in (
            (
                MonitorMode.WHISPER,
                lambda: self.tr("Whisper"),
                lambda: self.tr("Speak to the agent only"),
            ),
            (
                MonitorMode.BARGE,
                lambda: self.tr("Barge"),
                lambda: self.tr("Join the call: everyone hears you"),
            ),
            (
                MonitorMode.TAKEOVER,
                lambda: self.tr("Take over"),
                lambda: self.tr("You and the customer; the agent leaves"),
            ),
        ):
            button = QPushButton()
            button.setObjectName(f"monitor_{mode.value}")
            self._texts.bind(button.setText, label)
            self._texts.bind(button.setToolTip, tip)
            button.clicked.connect(lambda _c=False, m=mode: monitor.set_mode(m))
            self.mode_buttons[mode] = button
        self.leave_button = QPushButton()
        self._texts.bind(self.leave_button.setText, lambda: self.tr("Leave"))
        self.leave_button.setObjectName("monitorLeave")
        self.leave_button.clicked.connect(monitor.leave)
        # Who and how, or why it ended (the server's words, any length): elided in the middle
        # with the whole as tooltip, so a long reason never widens the board (it widened the
        # window to 1494 px).
        self.status_label = ElidedLabel("monitorStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._texts.label(lambda: self.tr("Monitor:")))
        layout.addWidget(self.listen_button)
        for button in self.mode_buttons.values():
            layout.addWidget(button)
        layout.addWidget(self.leave_button)
        layout.addWidget(self.status_label, 1)
        monitor.session_changed.connect(self.show_session)
        monitor.failed.connect(self.status_label.set_full_text)
        self.show_session(monitor.session)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self.show_session(self._monitor.session)  # (the session's line, in words)
        super().changeEvent(event)

    def _listen(self) -> None:
        picked = self._selected()
        if picked is None:
            self.status_label.set_full_text(self.tr("Pick an agent on a call first."))
            return
        agent_id, name, state = picked
        if state is not AgentState.ON_CALL:
            self.status_label.set_full_text(self.tr("%1 is not on a call.").replace("%1", name))
            return
        self.status_label.set_full_text(self.tr("Joining %1's call…").replace("%1", name))
        self._monitor.start(agent_id, name)

    def show_session(self, session: LeadSession | None) -> None:
        live = session is not None and session.state == "connected"
        self.listen_button.setEnabled(session is None or session.state == "ended")
        for mode, button in self.mode_buttons.items():
            button.setEnabled(live and session is not None and session.mode is not mode)
        self.leave_button.setEnabled(session is not None and session.state != "ended")
        if session is None:
            self.status_label.set_full_text("")
        elif session.state == "ended":
            self.status_label.set_full_text(
                self.tr("Monitoring of %1 ended: %2")
                .replace("%1", session.agent_name)
                .replace("%2", session.reason)
            )
        else:
            self.status_label.set_full_text(
                self.tr("%1 · %2")
                .replace("%1", session.agent_name)
                .replace("%2", self._monitor.mode_name(session.mode))
            )
