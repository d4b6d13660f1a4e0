"""A desk window wired to the real backend (maybe through a fault proxy), and a way to ask the
backend directly as a given user, to check what reached it."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.ui.main_window import MainWindow
from sync.engine import SyncStatus
from tests.fakes.proxy import FaultProxy
from tests.fakes.servers import LiveBackend
from tests.sync.conftest import login


@dataclass
class Rig:
    backend: LiveBackend
    proxy: FaultProxy
    window: MainWindow
    sync: SyncService
    session: SessionService
    statuses: list[SyncStatus]

    def api(self, method: str, path: str, user: str = "wangfang", **kw: object) -> object:
        token = login(self.backend.url, user)
        answer = requests.request(
            method,
            f"{self.backend.url}/api/v1{path}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
            **kw,  # type: ignore[arg-type]
        )
        answer.raise_for_status()
        return answer.json() if answer.content else None
