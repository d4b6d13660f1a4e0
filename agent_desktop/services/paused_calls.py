"""The lead's board: which agents' calls have their recording paused now (issue 20).

A lead's desk (``wallboard.view``) reads the paused calls of its teams from the server when
supervisor mode starts (``GET /recordings/paused``, off the GUI thread) and then follows the
``recording.pause`` events (a pause adds a call, its resume removes it). A server before
contract 1.7 answers 404: the board says nothing of pauses (``supported`` is False).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient, ServerError
from sync.contract.events import payload_of
from sync.contract.recordings import PausedCallOut
from sync.contract.wire import EventOut

log = logging.getLogger(__name__)

PERMISSION = "wallboard.view"


class PausedCalls(QObject):
    changed = Signal(object)  # list[PausedCallOut], oldest pause first

    def __init__(
        self,
        sync: SyncService,
        tasks: TaskRunner,
        fetch: Callable[[], list[PausedCallOut]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sync = sync
        self._tasks = tasks
        self._fetch = fetch
        self.calls: dict[str, PausedCallOut] = {}  # by recording id
        self.active = False
        self.supported: bool | None = None  # None: not asked yet
        self._generation = 0
        sync.event_received.connect(self.event_received)

    def start(self) -> None:
        """Signed in: a lead's desk reads what is paused now."""
        grant = self._sync.grant
        if grant is None or PERMISSION not in grant.permissions:
            return
        self.active = True
        self._generation += 1
        generation = self._generation
        fetch = self._fetch or self._from_server
        self._tasks.run_blocking(
            fetch,
            lambda calls: self._loaded(generation, calls),
            lambda error: self._failed(generation, error),
        )

    def stop(self) -> None:
        self._generation += 1
        self.active = False
        self.calls = {}
        self.changed.emit([])

    def listed(self) -> list[PausedCallOut]:
        return sorted(self.calls.values(), key=lambda call: call.paused_at)

    def event_received(self, event: EventOut) -> None:
        if not self.active:
            return
        try:
            payload = payload_of(event)
        except ValueError:
            log.warning("paused calls: unreadable %s event", event.kind)
            return
        if not isinstance(payload, PausedCallOut):
            return
        if payload.paused:
            self.calls[payload.recording_id] = payload
        else:
            self.calls.pop(payload.recording_id, None)
        self.changed.emit(self.listed())

    def _from_server(self) -> list[PausedCallOut]:
        factory = self._sync.client_factory
        if factory is None:
            return []
        client: ApiClient
        with factory() as client:
            return client.paused_calls()

    def _loaded(self, generation: int, calls: list[PausedCallOut]) -> None:
        if generation != self._generation:
            return
        self.supported = True
        for call in calls:
            self.calls.setdefault(call.recording_id, call)
        self.changed.emit(self.listed())

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(error, ServerError) and error.status == 404:
            self.supported = False  # a server before 1.7: no pauses to show
            log.info("paused calls: the server keeps none (before contract 1.7)")
            return
        log.warning("paused calls: not read: %s", error)
