"""The diagnostics bundle IT asks an agent for: one zip with the app's log files, the SIP
trace (the phone's ring of the last SIP messages, scrubbed in the engine: softphone.sip_log)
and a few lines on this desk. Written off the GUI thread (run_blocking)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from agent_desktop.tasks import TaskRunner

LOG_NAME = "agent-desktop.log"  # agent_desktop.logs: the file and its rotations .1 … .3
SIP_TRACE_NAME = "sip-trace.txt"
ABOUT_NAME = "about.txt"


def write_bundle(target: Path, log_dir: Path | None, sip_trace: str, about: str) -> Path:
    """Write the zip at ``target`` (".zip" added when missing); returns its path."""
    path = target if target.suffix.lower() == ".zip" else target.with_name(target.name + ".zip")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(ABOUT_NAME, about)
        bundle.writestr(SIP_TRACE_NAME, sip_trace or "(no SIP messages yet)\n")
        if log_dir is not None and log_dir.is_dir():
            for log_file in sorted(log_dir.glob(LOG_NAME + "*")):
                bundle.write(log_file, f"logs/{log_file.name}")
    return path


class DiagnosticsService(QObject):
    """Saves the bundle; ``saved(path)`` or ``failed(reason)`` on the GUI thread."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        tasks: TaskRunner,
        log_dir: Path | None,
        sip_trace: Callable[[], str],
        about: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._log_dir = log_dir
        self._sip_trace = sip_trace
        self._about = about

    def save(self, target: Path) -> None:
        # Read on the GUI thread (the ring belongs to it); the files are written off it.
        trace, about = self._sip_trace(), self._about()
        self._tasks.run_blocking(
            lambda: write_bundle(target, self._log_dir, trace, about),
            lambda path: self.saved.emit(str(path)),
            lambda error: self.failed.emit(str(error)),
        )
