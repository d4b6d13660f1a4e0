"""The Administration area's pages: one entry each, naming its title, the permission that
shows it and how it is made. The area (``area.py``) shows the entries the signed-in user's
permissions allow, and shows or hides them again when those change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from agent_desktop.services.administration import (
    MANAGE_TEAM_USERS,
    MANAGE_TEAMS,
    MANAGE_USERS,
    Administration,
)
from agent_desktop.services.centre_admin import CentreAdminService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.ui.admin.codes_page import CodesPage
from agent_desktop.ui.admin.import_page import ImportPage
from agent_desktop.ui.admin.policies_page import TeamPoliciesPage
from agent_desktop.ui.admin.queues_page import QueuesPage
from agent_desktop.ui.admin.roles_page import RolesPage
from agent_desktop.ui.admin.skills_page import SkillsPage
from agent_desktop.ui.admin.teams_page import TeamsPage
from agent_desktop.ui.admin.users_page import UsersPage


@dataclass(frozen=True, slots=True)
class PageContext:
    """What a page's factory is handed: the users/teams/roles service, and through it the
    signed-in session (``administration.source``: its client factory and grant, a
    ``SyncService`` in the app) and the task runner, for pages with services of their own."""

    administration: Administration

    def sync(self) -> SyncService:
        """The session as a ``SyncService`` (pages that follow its event stream need it)."""
        source = self.administration.source
        if not isinstance(source, SyncService):
            raise TypeError("this page needs the app's SyncService as the area's source")
        return source


@dataclass(frozen=True, slots=True)
class AdminPage:
    title: Callable[[], str]  # translated when shown (the language may change)
    permission: str  # a user holding it sees the page
    factory: Callable[[PageContext], QWidget]
    also: tuple[str, ...] = ()  # other permissions that show it (a lead's delegated part)

    def shown_to(self, permissions: frozenset[str]) -> bool:
        return self.permission in permissions or any(p in permissions for p in self.also)


def _centre(context: PageContext) -> CentreAdminService:
    """The queues, codes, skills and team policies service, on the area's session."""
    return CentreAdminService.on_session(
        context.administration.source, context.administration.tasks
    )


def _escalation_page(context: PageContext) -> QWidget:
    # Imported when opened: the admin pages are no part of an agent's start-up.
    from agent_desktop.services.sla_admin import SlaAdminService  # noqa: PLC0415
    from agent_desktop.ui.admin.escalation_page import EscalationPage  # noqa: PLC0415

    return EscalationPage(SlaAdminService(context.sync(), context.administration.tasks))


ADMIN_PAGES: tuple[AdminPage, ...] = (
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Users"),
        MANAGE_USERS,
        lambda context: UsersPage(context.administration),
        also=(MANAGE_TEAM_USERS,),
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Teams"),
        MANAGE_TEAMS,
        lambda context: TeamsPage(context.administration),
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Roles"),
        MANAGE_USERS,
        lambda context: RolesPage(context.administration),
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Import"),
        MANAGE_TEAMS,
        lambda context: ImportPage(context.administration),
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "SLA policies and escalation"),
        "sla.manage",
        _escalation_page,
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Reason codes and dispositions"),
        "settings.manage",
        lambda context: CodesPage(_centre(context)),
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Queues"),
        "settings.manage",
        lambda context: QueuesPage(_centre(context)),
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Skills"),
        "user.manage",
        lambda context: SkillsPage(_centre(context)),
    ),
    # Leads see it too: the server lets them change their own team's policy only.
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Callback and survey policy"),
        "wallboard.view",
        lambda context: TeamPoliciesPage(_centre(context)),
    ),
)

# Whoever holds any of these sees Tools ▸ Administration.
ADMIN_PERMISSIONS: frozenset[str] = frozenset(
    p for page in ADMIN_PAGES for p in (page.permission, *page.also)
)
