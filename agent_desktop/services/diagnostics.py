"""Help > Save diagnostics: the zip of ``agent_desktop.diagnostics_bundle`` with what the
running desk knows (read on the GUI thread, where it lives), written off the GUI thread
(``run_blocking``: the cache check reads the whole file)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from agent_desktop.config import Origin, Settings
from agent_desktop.diagnostics_bundle import LiveDesk, write_bundle
from agent_desktop.tasks import TaskRunner


class DiagnosticsService(QObject):
    """Saves the bundle; ``saved(path)`` or ``failed(reason)`` on the GUI thread."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        tasks: TaskRunner,
        profile_dir: Path,
        settings: Callable[[], Settings],
        origins: Callable[[], Mapping[str, Origin]],
        live: Callable[[], LiveDesk],
        parent: QObject | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._profile_dir = profile_dir
        self._settings = settings
        self._origins = origins
        self._live = live
        self._problems = tuple(problems)

    def save(self, target: Path) -> None:
        # Read on the GUI thread (the ring, the phone's and the sync's state belong to it).
        live, settings, origins = self._live(), self._settings(), dict(self._origins())
        self._tasks.run_blocking(
            lambda: write_bundle(
                target,
                profile_dir=self._profile_dir,
                settings=settings,
                origins=origins,
                live=live,
                problems=self._problems,
            ),
            lambda path: self.saved.emit(str(path)),
            lambda error: self.failed.emit(str(error)),
        )
