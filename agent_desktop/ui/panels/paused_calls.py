"""The lead's board's list of calls whose recording is paused now (issue 20)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from agent_desktop.services.paused_calls import PausedCalls
from sync.contract.recordings import PausedCallOut


class PausedCallsView(QWidget):
    def __init__(self, service: PausedCalls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.heading = QLabel()
        self.heading.setObjectName("sectionHeading")
        self.list = QListWidget()
        self.list.setObjectName("pausedCalls")
        self.list.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        service.changed.connect(self._show)
        self._retranslate()
        self._show(service.listed())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show(self._service.listed())
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("Recording paused"))
        self.list.setAccessibleName(self.tr("Calls whose recording is paused now"))

    def _show(self, calls: list[PausedCallOut]) -> None:
        self.list.clear()
        if not calls:
            self.list.addItem(self.tr("No call is paused."))
            return
        for call in calls:
            self.list.addItem(self._line(call))

    def _line(self, call: PausedCallOut) -> str:
        reason = {
            "agent": self.tr("by the agent"),
            "sensitive_field": self.tr("card or ID being entered"),
        }.get(call.reason, call.reason)
        since = call.paused_at.astimezone().strftime("%H:%M:%S")
        return (
            self.tr("%1: paused (%2), since %3")
            .replace("%1", call.agent_name or str(call.agent_id))
            .replace("%2", reason)
            .replace("%3", since)
        )
