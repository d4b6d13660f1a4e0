"""Finding a customer's call recordings and fetching one to play (issue 20, the 360's history).

The 360 asks which of its calls have a recording (``look_up``; one question per call, the
newest ``LOOK_UP_MAX``), and the answer marks them ▶ in the history. Playing one fetches its
audio into the desk's recording cache first (``fetch``): a part file renamed once whole (and
its SHA-256 matched when the metadata has one), kept for the next time, the oldest removed
past ``CACHE_FILES``. Both run on a worker through the TaskRunner; the signals come on the GUI
thread.

A 1.6 server has no recording routes: its 404 (the desk client's ``status == 404``) turns the
look-up off for the session (``available`` false), and the 360 simply shows no ▶.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from agent_desktop.services.recording_ports import RecordingLibrary
from agent_desktop.tasks import TaskRunner
from sync.contract.recordings import RecordingMeta

LOOK_UP_MAX = 30  # a regular's long history: the newest calls are the ones replayed
CACHE_FILES = 20  # recordings kept on the desk for replay (a QA session's worth)
_HASH_CHUNK = 1 << 20


class RecordingUnavailableError(Exception):
    """The fetched file is not the recording the server described (checksum differs)."""


def _is_missing_route(error: BaseException) -> bool:
    return getattr(error, "status", None) == 404


class RecordingPlayback(QObject):
    found = Signal(object)  # dict[int, RecordingMeta]: interaction id -> its (newest) recording
    ready = Signal(str, object)  # a local path to play, and its RecordingMeta
    failed = Signal(str)  # why the audio could not be fetched (the error's own words)

    def __init__(
        self,
        library: RecordingLibrary,
        tasks: TaskRunner,
        cache_dir: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._cache = cache_dir
        self.available = True  # False after a 1.6 server's 404

    def look_up(self, interaction_ids: Sequence[int]) -> None:
        """Which of these calls have a recording (the answer on ``found``)."""
        wanted = list(dict.fromkeys(interaction_ids))[:LOOK_UP_MAX]
        if not wanted or not self.available:
            self.found.emit({})
            return
        library = self._library

        def ask() -> dict[int, RecordingMeta]:
            found = library.recordings_of_calls(wanted)
            return {i: max(metas, key=lambda m: m.started_at) for i, metas in found.items()}

        self._tasks.run_blocking(ask, self.found.emit, self._look_up_failed)

    def _look_up_failed(self, error: BaseException) -> None:
        if _is_missing_route(error):
            self.available = False
        self.found.emit({})  # (offline or refused: the history shows no ▶, nothing breaks)

    def fetch(self, meta: RecordingMeta) -> None:
        """The recording's audio in the cache (fetched if not there yet); ``ready`` says where."""
        cache, library = self._cache, self._library

        def get() -> str:
            cache.mkdir(parents=True, exist_ok=True)
            target = cache / f"{meta.recording_id}.ogg"
            if target.exists() and _matches(target, meta):
                target.touch()  # (most recently used: kept longest)
                return str(target)
            part = target.with_suffix(".part")
            library.download_audio(meta.recording_id, part)
            if not _matches(part, meta):
                part.unlink(missing_ok=True)
                raise RecordingUnavailableError(meta.recording_id)
            part.replace(target)
            _trim(cache, keep=target)
            return str(target)

        self._tasks.run_blocking(
            get,
            lambda path: self.ready.emit(path, meta),
            lambda error: self.failed.emit(str(error) or type(error).__name__),
        )


def _matches(path: Path, meta: RecordingMeta) -> bool:
    if not meta.sha256:
        return path.stat().st_size > 0
    digest = hashlib.sha256()
    with path.open("rb") as audio:
        while chunk := audio.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == meta.sha256


def _trim(cache: Path, keep: Path) -> None:
    files = sorted(cache.glob("*.ogg"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[CACHE_FILES:]:
        if old != keep:
            with contextlib.suppress(OSError):  # playing elsewhere on Windows: next time
                old.unlink()
