"""The administrator's SLA policies and escalation chains (issue 27, contract 1.6): read and
saved off the GUI thread, answered by signals. A save made on a stale version comes back as
``conflict`` with what is stored now (nothing is overwritten); a server before contract 1.6
answers 404 and the service says ``unsupported`` (that server keeps its fixed policy)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal

from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from sync.client import ConflictError, ServerError
from sync.contract.events import SLA_POLICIES_CHANGED, SlaPoliciesChangedData, payload_of
from sync.contract.sla import SlaPolicies
from sync.contract.wire import EventOut


class SlaAdminService(QObject):
    loaded = Signal(object)  # SlaPolicies, as stored
    saved = Signal(object)  # SlaPolicies, as stored after the save
    conflict = Signal(object)  # SlaPolicies: another admin's, stored since the version read
    failed = Signal(str)  # why, for the page to show
    unsupported = Signal()  # the server is older than contract 1.6
    changed_elsewhere = Signal(int)  # another admin saved this version (the event stream)

    def __init__(self, sync: SyncService, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._sync = sync
        self._tasks = tasks
        sync.event_received.connect(self._event)  # on the GUI thread (SyncService posts it)

    def _event(self, event: EventOut) -> None:
        if event.kind != SLA_POLICIES_CHANGED:
            return
        payload = payload_of(event)
        if isinstance(payload, SlaPoliciesChangedData):
            self.changed_elsewhere.emit(payload.version)

    def load(self) -> None:
        factory = self._sync.client_factory
        if factory is None:
            self.failed.emit(self.tr("Not signed in to the server."))
            return

        def fetch() -> SlaPolicies:
            with factory() as api:
                return api.sla_policies()

        self._tasks.run_blocking(fetch, self.loaded.emit, self._failed)

    def save(self, policies: SlaPolicies) -> None:
        factory = self._sync.client_factory
        if factory is None:
            self.failed.emit(self.tr("Not signed in to the server."))
            return
        key = f"sla-policies-{uuid.uuid4()}"  # one save, retried safely by the client

        def put() -> SlaPolicies:
            with factory() as api:
                return api.save_sla_policies(policies, key)

        self._tasks.run_blocking(put, self.saved.emit, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ConflictError):
            try:
                self.conflict.emit(SlaPolicies.read(error.current))
            except ValueError:
                self.failed.emit(str(error))
            return
        if isinstance(error, ServerError) and error.status == 404:
            self.unsupported.emit()
            return
        self.failed.emit(str(error))
