"""The Administration area's pieces without a server: the rows model passes Qt's model checks,
the pages an entry shows follow the permissions, and a role's name is checked before it is
sent."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from agent_desktop.services.administration import Administration
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.admin.area import AdministrationArea
from agent_desktop.ui.admin.pages import ADMIN_PAGES, ADMIN_PERMISSIONS
from agent_desktop.ui.admin.table_model import RowsModel
from sync.contract.wire import AdminTeamOut


class SignedOut:
    """No session: every request fails at once with the area's sentence (no network)."""

    client_factory = None
    grant = None


def test_the_rows_model_passes_the_model_checks(qtmodeltester: ModelTester) -> None:
    model: RowsModel[AdminTeamOut] = RowsModel(
        (lambda: "Team", lambda: "Members"), lambda t: (t.name, str(t.members))
    )
    model.set_rows(
        [
            AdminTeamOut(id=1, name="A", lead_id=None, members=3),
            AdminTeamOut(id=2, name="B", lead_id=1, members=0),
        ]
    )
    qtmodeltester.check(model)
    assert model.item(1) is not None
    assert model.item(2) is None


def test_pages_follow_the_permissions(qtbot: QtBot, tasks: TaskRunner) -> None:
    admin = Administration(SignedOut(), tasks)  # type: ignore[arg-type]
    failures: list[str] = []
    admin.failed.connect(failures.append)
    area = AdministrationArea(admin, frozenset({"user.manage.team"}))
    qtbot.addWidget(area)
    assert area.visible_titles() == ["Users"]
    assert failures  # signed out: said, not sent
    area.apply_permissions(frozenset({"user.manage", "team.manage"}))
    assert area.visible_titles() == ["Users", "Teams", "Roles", "Import", "Skills"]
    area.apply_permissions(frozenset({"team.manage"}))
    assert area.visible_titles() == ["Teams", "Import"]
    assert {"user.manage", "user.manage.team", "team.manage"} <= ADMIN_PERMISSIONS
    assert [p.title() for p in ADMIN_PAGES][:4] == ["Users", "Teams", "Roles", "Import"]
