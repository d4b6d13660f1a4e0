"""The Administration area's face of the server (issue 27, contract 1.6): roles, users, teams
and the import, each asked in the background (``TaskRunner.run_blocking``), the answers back
as signals on the GUI thread.

Every change goes straight to the server, not through the outbox: an admin sees at once that
it was done, or why not (another admin changed the role first, the last user manager is kept,
a lead outside their teams). After each change, and when any desk's change reaches this one
(``access.changed`` on the event stream), the lists are fetched again.

A server before 1.6 answers 404 on these routes: ``unavailable`` says so once, and the area
shows that sentence instead of empty pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.services.api_errors import describe
from agent_desktop.services.spreadsheet import sheet_as_csv
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient, ProtocolError, ServerError
from sync.contract.events import ACCESS_CHANGED
from sync.contract.records import SessionGrant
from sync.contract.wire import (
    AdminTeamIn,
    AdminTeamOut,
    AdminUserChange,
    AdminUserIn,
    AdminUserOut,
    EventOut,
    ImportApplied,
    ImportPreview,
    RoleIn,
    RoleOut,
    TemporaryPassword,
)

T = TypeVar("T")

MANAGE_USERS = "user.manage"
MANAGE_TEAM_USERS = "user.manage.team"
MANAGE_TEAMS = "team.manage"


class AdminSource(Protocol):
    """Where the area's requests go: the signed-in session's client and grant (a
    ``SyncService``)."""

    @property
    def client_factory(self) -> Callable[[], ApiClient] | None: ...

    @property
    def grant(self) -> SessionGrant | None: ...


class Administration(QObject):
    roles_loaded = Signal(object)  # list[RoleOut]
    users_loaded = Signal(object)  # list[AdminUserOut]
    teams_loaded = Signal(object)  # list[AdminTeamOut]
    password_issued = Signal(object)  # TemporaryPassword: shown once, kept nowhere
    import_file_read = Signal(str)  # a chosen file's users as CSV text (an .xlsx converted)
    import_previewed = Signal(object)  # ImportPreview
    import_applied = Signal(object)  # ImportApplied
    done = Signal(str)  # what was just done, for the page's status line
    failed = Signal(str)  # why a request failed
    unavailable = Signal(str)  # the server has no administration (before contract 1.6)

    def __init__(self, source: AdminSource, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self.roles: list[RoleOut] = []
        self.users: list[AdminUserOut] = []
        self.teams: list[AdminTeamOut] = []

    @property
    def source(self) -> AdminSource:
        """The session the area speaks for (its pages of other parts build their services on
        it)."""
        return self._source

    @property
    def tasks(self) -> TaskRunner:
        return self._tasks

    def may(self, permission: str) -> bool:
        grant = self._source.grant
        return grant is not None and permission in grant.permissions

    def on_event(self, event: EventOut) -> None:
        """Someone changed a role, user or team (maybe another admin): fetch again."""
        if event.kind == ACCESS_CHANGED:
            self.reload()

    # -- reads ----------------------------------------------------------------------------------

    def reload(self) -> None:
        may_roles = self.may(MANAGE_USERS)
        may_users = may_roles or self.may(MANAGE_TEAM_USERS)

        def fetch(
            client: ApiClient,
        ) -> tuple[list[RoleOut], list[AdminUserOut], list[AdminTeamOut]]:
            roles = client.admin_roles() if may_roles else []
            users = client.admin_users() if may_users else []
            teams = client.admin_teams() if may_users or self.may(MANAGE_TEAMS) else []
            return roles, users, teams

        self._run(fetch, self._loaded, self._load_failed)

    def _loaded(self, lists: tuple[list[RoleOut], list[AdminUserOut], list[AdminTeamOut]]) -> None:
        self.roles, self.users, self.teams = lists
        self.roles_loaded.emit(self.roles)
        self.users_loaded.emit(self.users)
        self.teams_loaded.emit(self.teams)

    # -- changes --------------------------------------------------------------------------------

    def save_role(self, role: RoleIn, *, new: bool) -> None:
        self._change(
            lambda c: c.admin_save_role(role, new=new),
            QCoreApplication.translate("Administration", "Role %1 saved.").replace("%1", role.name),
        )

    def delete_role(self, name: str) -> None:
        self._change(
            lambda c: c.admin_delete_role(name),
            QCoreApplication.translate("Administration", "Role %1 deleted.").replace("%1", name),
        )

    def create_user(self, user: AdminUserIn) -> None:
        self._run(lambda c: c.admin_create_user(user), self._issued)

    def change_user(self, user_id: int, change: AdminUserChange, said: str) -> None:
        self._change(lambda c: c.admin_change_user(user_id, change), said)

    def reset_password(self, user_id: int) -> None:
        self._run(lambda c: c.admin_reset_password(user_id), self._issued)

    def sign_out(self, user_id: int, username: str) -> None:
        self._change(
            lambda c: c.admin_sign_out(user_id),
            QCoreApplication.translate("Administration", "%1 was signed out everywhere.").replace(
                "%1", username
            ),
        )

    def create_team(self, team: AdminTeamIn) -> None:
        self._change(
            lambda c: c.admin_create_team(team),
            QCoreApplication.translate("Administration", "Team %1 created.").replace(
                "%1", team.name
            ),
        )

    def read_import_file(self, path: Path) -> None:
        """A CSV file as it is, or an Excel workbook's first sheet as CSV, read off the GUI
        thread; ``import_file_read`` or ``failed`` (naming the file and the problem)."""

        def read() -> str:
            if path.suffix.lower() == ".xlsx":
                return sheet_as_csv(path)
            return path.read_text(encoding="utf-8-sig")

        def refused(error: BaseException) -> None:
            self.failed.emit(
                QCoreApplication.translate("Administration", "The file cannot be read: %1").replace(
                    "%1", str(error)
                )
            )

        self._tasks.run_blocking(read, self.import_file_read.emit, refused)

    def preview_import(self, content: str) -> None:
        self._run(lambda c: c.admin_preview_import(content), self.import_previewed.emit)

    def apply_import(self, content: str) -> None:
        def applied(answer: ImportApplied) -> None:
            self.import_applied.emit(answer)
            self.reload()

        self._run(lambda c: c.admin_apply_import(content), applied)

    def _issued(self, answer: TemporaryPassword) -> None:
        self.password_issued.emit(answer)
        self.reload()

    def _change(self, op: Callable[[ApiClient], object], said: str) -> None:
        def changed(_answer: object) -> None:
            self.done.emit(said)
            self.reload()

        self._run(op, changed)

    # -- plumbing -------------------------------------------------------------------------------

    def _run(
        self,
        op: Callable[[ApiClient], T],
        success: Callable[[T], None],
        failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        factory = self._source.client_factory
        if factory is None:
            self.failed.emit(
                QCoreApplication.translate("Administration", "Sign in to administer the centre.")
            )
            return

        def blocking() -> T:
            with factory() as client:
                return op(client)

        self._tasks.run_blocking(blocking, success, failure or self._failed)

    def _load_failed(self, error: BaseException) -> None:
        # The lists are routes without ids: a 404 there is the route missing, a server
        # before contract 1.6 (whose 404 for an unknown route is FastAPI's, not ours).
        if isinstance(error, ServerError | ProtocolError) and error.status == 404:
            self.unavailable.emit(
                QCoreApplication.translate(
                    "Administration",
                    "This server has no administration yet (it is older than this desk); "
                    "ask IT to update it.",
                )
            )
            return
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(describe(error))


def preview_summary(preview: ImportPreview) -> str:
    """One line for the import's preview: what would be created, or how many problems."""
    if preview.problems:
        return QCoreApplication.translate(
            "Administration", "%1 problem(s): nothing will be imported."
        ).replace("%1", str(len(preview.problems)))
    return (
        QCoreApplication.translate("Administration", "%1 user(s) and %2 new team(s) to create.")
        .replace("%1", str(len(preview.rows)))
        .replace("%2", str(len(preview.new_teams)))
    )
