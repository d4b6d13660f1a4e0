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
from sync.contract.records import Role
from sync.contract.sla import SlaPolicies, TeamManagerOut
from sync.contract.wire import EventOut, TeamDetailOut, UserDetailOut


class SlaAdminService(QObject):
    loaded = Signal(object)  # SlaPolicies, as stored
    saved = Signal(object)  # SlaPolicies, as stored after the save
    conflict = Signal(object)  # SlaPolicies: another admin's, stored since the version read
    failed = Signal(str)  # why, for the page to show
    unsupported = Signal()  # the server is older than contract 1.6
    changed_elsewhere = Signal(int)  # another admin saved this version (the event stream)
    teams_loaded = Signal(object, object)  # list[TeamDetailOut], list[UserDetailOut] (managers)
    manager_set = Signal(int, object)  # team id, its manager's user id or None

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

    def load_teams(self) -> None:
        """The teams and who may manage one (team leads and administrators)."""
        factory = self._sync.client_factory
        if factory is None:
            self.failed.emit(self.tr("Not signed in to the server."))
            return

        def fetch() -> tuple[list[TeamDetailOut], list[UserDetailOut]]:
            with factory() as api:
                teams = api.teams()
                users = [u for u in api.users() if u.role in (Role.SUPERVISOR, Role.ADMIN)]
                return teams, users

        self._tasks.run_blocking(fetch, lambda found: self.teams_loaded.emit(*found), self._failed)

    def set_manager(self, team_id: int, manager_id: int | None) -> None:
        factory = self._sync.client_factory
        if factory is None:
            self.failed.emit(self.tr("Not signed in to the server."))
            return
        key = f"team-manager-{uuid.uuid4()}"

        def put() -> TeamManagerOut:
            with factory() as api:
                return api.set_team_manager(team_id, manager_id, key)

        self._tasks.run_blocking(
            put, lambda out: self.manager_set.emit(out.team_id, out.manager_id), self._failed
        )

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
