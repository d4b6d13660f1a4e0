"""Info / warning / error messages for the user, routed to the status bar (STYLE habit 1).

Code below ``ui/`` never opens dialogs; it posts here. Messages posted before the window
connects are kept and delivered when it does, so a start-up problem (a broken config file)
is not lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Level(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Message:
    level: Level
    text: str


class MessageBridge(QObject):
    posted = Signal(object)  # Message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[Message] = []
        self._connected = False
        self.history: list[Message] = []

    def info(self, text: str) -> None:
        self._post(Message(Level.INFO, text))

    def warning(self, text: str) -> None:
        self._post(Message(Level.WARNING, text))

    def error(self, text: str) -> None:
        self._post(Message(Level.ERROR, text))

    def ui_connected(self) -> None:
        """Call once the receiver is connected to ``posted``: delivers what was kept."""
        self._connected = True
        pending, self._pending = self._pending, []
        for message in pending:
            self.posted.emit(message)

    def _post(self, message: Message) -> None:
        log.log(
            {Level.INFO: logging.INFO, Level.WARNING: logging.WARNING, Level.ERROR: logging.ERROR}[
                message.level
            ],
            "user message: %s",
            message.text,
        )
        self.history.append(message)
        if self._connected:
            self.posted.emit(message)
        else:
            self._pending.append(message)
