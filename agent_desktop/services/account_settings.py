"""The phone account's addressing as the agent's PC keeps it: domain, registrar, outbound proxy,
transport and the SIP trace's level, written to the per-user configuration file (off the GUI
thread). The phone uses them from the next start of the app; the password stays in the
keychain (agent_desktop.services.phone_setup)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from agent_desktop.config import KEYS, Settings, write_user_layer
from agent_desktop.tasks import TaskRunner


class AccountSettings(QObject):
    """``saved`` or ``failed(reason)`` on the GUI thread after ``save``."""

    saved = Signal()
    failed = Signal(str)

    def __init__(
        self, tasks: TaskRunner, path: Path, settings: Settings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.path = path
        self.settings = settings  # as loaded, then as saved

    def save(self, changes: Mapping[str, str]) -> None:
        """Dotted keys of ``[phone]`` (``phone.domain`` …) and their new values."""
        wanted = dict(changes)
        fields: dict[str, Any] = {KEYS[key].attr: value for key, value in wanted.items()}
        updated = replace(self.settings, **fields)

        def done(_result: None) -> None:
            self.settings = updated
            self.saved.emit()

        self._tasks.run_blocking(
            lambda: write_user_layer(self.path, wanted),
            done,
            lambda error: self.failed.emit(str(error)),
        )
