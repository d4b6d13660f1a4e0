"""The roaming profile: the agent's preferences kept on the server (``/me/preferences``), so
the layout (and whether the compact call bar shows when minimised), language, shortcuts,
wallboard thresholds and preferred audio device names follow the agent to any seat.

At sign-in the profile is read (off the GUI thread) and handed to the desk (``arrived``);
a change on this desk is noted by key (``changed``) and written back, debounced, off the GUI
thread. Offline-safe: the keys changed and not yet written are kept in the desk's local
settings per user, and written at the next chance (a retry, or the next sign-in).

Conflicts are settled per key, last writer wins: the server's route has no version or ETag,
so a write reads the server's document first and replaces only the keys this desk changed
(``merge_preferences``); a colleague's change to another key made from another seat
meanwhile is kept. A key changed here while offline wins over the server's at the next
sign-in, because it is the later change as far as this agent can know.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from agent_desktop.tasks import TaskRunner
from sync.contract.wire import Preferences


class ProfileApi(Protocol):
    """What this needs of ``sync.client.ApiClient`` (a context manager, used on a worker)."""

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def preferences(self) -> Preferences: ...
    def save_preferences(self, preferences: Preferences, key: str) -> Preferences: ...


ApiFactory = Callable[[], ProfileApi]
# The keys that roam. (auto_answer is the machine's business: a headset desk may need it.)
ROAMING_KEYS = (
    "language",
    "layout",
    "shortcuts",
    "wallboard_thresholds",
    "capture_device",
    "playback_device",
    "ringing_device",
    "compact_call_bar",
)
DEBOUNCE_MS = 1500  # a dragged dock or a few keys edited in a row: one write
RETRY_MS = 30_000  # the server did not take it: try again (and at the next sign-in)


def merge_preferences(server: Preferences, local: Preferences, changed: set[str]) -> Preferences:
    """The server's document with the keys this desk ``changed`` taken from ``local``."""
    # Only what the server sent: a key an older server does not have stays unset (the desk
    # then keeps its own value, DeskPreferences.apply), unless this desk changed it.
    data = server.model_dump(mode="json", exclude_unset=True)
    mine = local.model_dump(mode="json")
    for key in changed:
        if key in mine:
            data[key] = mine[key]
    return Preferences.read(data)


def write_preferences(client: ApiFactory, local: Preferences, changed: set[str]) -> Preferences:
    """On a worker: read the server's, replace the changed keys, write the whole back."""
    with client() as api:
        merged = merge_preferences(api.preferences(), local, changed)
        return api.save_preferences(merged, f"prefs-{uuid.uuid4()}")


class RoamingProfile(QObject):
    arrived = Signal(object)  # Preferences to apply on this desk (at sign-in)

    def __init__(
        self,
        tasks: TaskRunner,
        store: QSettings,
        collect: Callable[[], Preferences],
        parent: QObject | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        retry_ms: int = RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._store = store
        self._collect = collect  # this desk's preferences now (on the GUI thread)
        self._client: ApiFactory | None = None
        self._username = ""
        self._generation = 0
        self._applying = False
        self._writing = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._write)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self._write)
        self.loaded = False  # the server's profile was read in this session

    # -- session ---------------------------------------------------------------------------

    def start(self, username: str, client: ApiFactory) -> None:
        """Signed in: read the profile and apply it (the keys changed here offline excepted)."""
        self._generation += 1
        generation = self._generation
        self._username, self._client = username, client
        self.loaded = False

        def read() -> Preferences:
            with client() as api:
                return api.preferences()

        self._tasks.run_blocking(
            read,
            lambda prefs: self._read(generation, prefs),
            lambda _error: self._read_failed(generation),
        )

    def stop(self) -> None:
        """Signed out: nothing more is read or written for that user; unsent keys stay."""
        self._generation += 1
        self._client = None
        self._username = ""  # a change made signed out is nobody's to roam
        self._debounce.stop()
        self._retry.stop()
        self.loaded = False

    def _read(self, generation: int, server: Preferences) -> None:
        if generation != self._generation:
            return
        pending = self.pending()
        prefs = merge_preferences(server, self._collect(), pending) if pending else server
        self._applying = True
        try:
            self.arrived.emit(prefs)
        finally:
            self._applying = False
        self.loaded = True
        if pending:
            self._write()

    def _read_failed(self, generation: int) -> None:
        """Offline at sign-in (or the server slow): the desk keeps what it had meanwhile, and
        reads again later (then writes what is pending), until signed out."""
        if generation != self._generation:
            return
        username, client = self._username, self._client
        if client is not None:
            QTimer.singleShot(
                self._retry.interval(),
                self,
                lambda: self.start(username, client) if generation == self._generation else None,
            )

    # -- changes on this desk --------------------------------------------------------------

    def changed(self, key: str) -> None:
        """The agent changed ``key`` here: write it back soon (and remember it until then)."""
        if self._applying or not self._username or key not in ROAMING_KEYS:
            return  # the profile being applied is not a change of the agent's
        pending = self.pending() | {key}
        self._save_pending(pending)
        if self._client is not None:
            self._debounce.start()

    def pending(self) -> set[str]:
        """The keys changed on this desk and not yet on the server, for the signed-in user."""
        saved = self._store.value(self._pending_key(), "")
        return {k for k in str(saved or "").split(",") if k in ROAMING_KEYS}

    def _pending_key(self) -> str:
        return f"profile/{self._username}/pending"

    def _save_pending(self, keys: set[str]) -> None:
        if keys:
            self._store.setValue(self._pending_key(), ",".join(sorted(keys)))
        else:
            self._store.remove(self._pending_key())
        self._store.sync()

    def _write(self) -> None:
        client, keys = self._client, self.pending()
        if client is None or not keys:
            return
        if self._writing:  # one write at a time; the one running is followed by another
            self._debounce.start()
            return
        self._writing = True
        generation = self._generation
        local = self._collect()
        self._tasks.run_blocking(
            lambda: write_preferences(client, local, keys),
            lambda _prefs: self._written(generation, keys),
            lambda _error: self._write_failed(generation),
        )

    def _written(self, generation: int, keys: set[str]) -> None:
        self._writing = False
        if generation != self._generation:
            return
        # A key changed again while writing stays pending only if changed after: the
        # debounce timer runs for it; the keys just written leave the list.
        left = self.pending() - keys if not self._debounce.isActive() else self.pending()
        self._save_pending(left)

    def _write_failed(self, generation: int) -> None:
        self._writing = False
        if generation == self._generation:
            self._retry.start()
