"""A setting the machine policy locks (agent_desktop.policy): its control is disabled and says
who set it, so the agent knows to ask IT rather than fight the field."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget


def locked_note() -> str:
    return QCoreApplication.translate("Policy", "Set by your IT department (machine policy)")


def show_locked(widget: QWidget) -> None:
    widget.setEnabled(False)
    widget.setToolTip(locked_note())
    widget.setProperty("lockedByPolicy", True)  # tests and style sheets find it
