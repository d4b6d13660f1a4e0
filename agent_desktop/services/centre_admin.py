"""The Administration pages' one way to the server: read the centre (desk settings, queues,
teams, people, skills) and write an admin's change, each through ``run_blocking`` with its
answer back on the GUI thread as a signal. Widgets never see a client or an exception.

Every write is at the version the page read: a change another admin made meanwhile comes back
as ``failed`` with a message saying so, and the page is read again."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.tasks import TaskRunner
from sync import centre_admin as centre
from sync.client import ApiClient, ApiError, ConflictError
from sync.contract.wire import (
    DeskCode,
    DeskSettings,
    QueueSettingsIn,
    SkillIn,
    TeamPolicyIn,
)

T = TypeVar("T")
log = logging.getLogger(__name__)


class SessionSource(Protocol):
    """Where requests go: the signed-in session's client factory (a ``SyncService``)."""

    @property
    def client_factory(self) -> Callable[[], ApiClient] | None: ...


class CentreAdminService(QObject):
    loaded = Signal(object)  # centre.CentreView
    saved = Signal(str)  # what was saved, in the admin's language
    failed = Signal(str)  # why not, in the admin's language

    def __init__(
        self, tasks: TaskRunner, client: Callable[[], ApiClient], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._client = client
        self.view: centre.CentreView | None = None  # the last read

    @classmethod
    def on_session(cls, source: SessionSource, tasks: TaskRunner) -> CentreAdminService:
        """The service on a signed-in session's client factory, asked at each request: signed
        out meanwhile, a request fails with a sentence (``failed``) instead of being sent."""

        def client() -> ApiClient:
            factory = source.client_factory
            if factory is None:
                raise ApiError("Not signed in.", "signed_out")
            return factory()

        return cls(tasks, client)

    def load(self) -> None:
        def read() -> centre.CentreView:
            with self._client() as api:
                return centre.read_centre(api)

        self._tasks.run_blocking(read, self._loaded, self._failed)

    def _loaded(self, view: centre.CentreView) -> None:
        self.view = view
        self.loaded.emit(view)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ConflictError):
            self.failed.emit(
                QCoreApplication.translate(
                    "CentreAdmin",
                    "Someone else changed this meanwhile. It was read again: "
                    "make your change again.",
                )
            )
            self.load()
        elif isinstance(error, ApiError):
            self.failed.emit(
                QCoreApplication.translate(
                    "CentreAdmin", "The server refused or did not answer: %1"
                ).replace("%1", str(error))
            )
        else:  # our bug, not the admin's: logged with its traceback, told in one line
            log.error("administration: %s", error, exc_info=error)
            self.failed.emit(
                QCoreApplication.translate(
                    "CentreAdmin", "Something went wrong on this desk; it is in the log."
                )
            )

    def _write(self, op: Callable[[ApiClient], T], done: str) -> None:
        def run() -> T:
            with self._client() as api:
                return op(api)

        def written(_result: T) -> None:
            self.saved.emit(done)
            self.load()

        self._tasks.run_blocking(run, written, self._failed)

    # -- the changes ------------------------------------------------------------------------

    def save_queue(self, queue_id: int, change: QueueSettingsIn) -> None:
        self._write(
            lambda api: centre.save_queue(api, queue_id, change),
            QCoreApplication.translate("CentreAdmin", "Queue saved."),
        )

    def save_codes(
        self,
        settings: DeskSettings,
        *,
        not_ready_reasons: Sequence[DeskCode] | None = None,
        dispositions: Sequence[DeskCode] | None = None,
        ticket_categories: Sequence[DeskCode] | None = None,
    ) -> None:
        self._write(
            lambda api: centre.save_codes(
                api,
                settings,
                not_ready_reasons=not_ready_reasons,
                dispositions=dispositions,
                ticket_categories=ticket_categories,
            ),
            QCoreApplication.translate("CentreAdmin", "Codes saved. Signed-in desks use them now."),
        )

    def save_team_policy(self, team_id: int, change: TeamPolicyIn) -> None:
        self._write(
            lambda api: centre.save_team_policy(api, team_id, change),
            QCoreApplication.translate("CentreAdmin", "Team policy saved."),
        )

    def save_skill(self, skill: str, description: str) -> None:
        self._write(
            lambda api: centre.save_skill(api, skill, description),
            QCoreApplication.translate("CentreAdmin", "Skill saved."),
        )

    def save_user_skills(self, user_id: int, skills: Sequence[SkillIn]) -> None:
        self._write(
            lambda api: centre.save_user_skills(api, user_id, skills),
            QCoreApplication.translate("CentreAdmin", "Skills saved."),
        )
