"""The Administration area's pages (issue 27): each names its title (translated when shown),
the permission that shows it, and how it is built. The area's shell (``area.py``) lists the
pages the signed-in user holds the permission of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner


@dataclass(frozen=True, slots=True)
class AdminPage:
    title: Callable[[], str]  # called when shown: the desk's language at that moment
    permission: str
    factory: Callable[[SyncService, TaskRunner, QWidget | None], QWidget]


def _escalation_page(sync: SyncService, tasks: TaskRunner, parent: QWidget | None) -> QWidget:
    # Imported when opened: the admin pages are no part of an agent's start-up.
    from agent_desktop.services.sla_admin import SlaAdminService  # noqa: PLC0415
    from agent_desktop.ui.admin.escalation_page import EscalationPage  # noqa: PLC0415

    return EscalationPage(SlaAdminService(sync, tasks), parent)


ADMIN_PAGES: tuple[AdminPage, ...] = (
    AdminPage(
        title=lambda: QCoreApplication.translate("AdminPages", "SLA policies and escalation"),
        permission="sla.manage",
        factory=_escalation_page,
    ),
)
