"""The Administration area's pages: what each is called (translated when shown), which
permission shows it, and how it is made. The area (``area.py``) lists the pages whose
permission the signed-in user holds; the server checks every change again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from agent_desktop.services.centre_admin import CentreAdminService
from agent_desktop.ui.admin.codes_page import CodesPage
from agent_desktop.ui.admin.policies_page import TeamPoliciesPage
from agent_desktop.ui.admin.queues_page import QueuesPage
from agent_desktop.ui.admin.skills_page import SkillsPage


@dataclass(frozen=True, slots=True)
class AdminPage:
    title: Callable[[], str]  # called when shown: the language may have changed
    permission: str
    factory: Callable[[CentreAdminService], QWidget]


ADMIN_PAGES: tuple[AdminPage, ...] = (
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Reason codes and dispositions"),
        "settings.manage",
        CodesPage,
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Queues"), "settings.manage", QueuesPage
    ),
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Skills"), "user.manage", SkillsPage
    ),
    # Leads see it too: the server lets them change their own team's policy only.
    AdminPage(
        lambda: QCoreApplication.translate("AdminPages", "Callback and survey policy"),
        "wallboard.view",
        TeamPoliciesPage,
    ),
)
