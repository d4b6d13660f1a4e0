"""The workforce screens against the previous release's server (before contract 1.8: no
workforce routes): the Workforce window, My shifts and the board's adherence, signed in to it,
say the server does not plan shifts instead of showing empty tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.adherence import AdherenceService
from agent_desktop.services.workforce import WorkforceService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.workforce.my_shifts import MyShiftsWindow
from agent_desktop.ui.workforce.window import WorkforceWindow
from sync.client import ApiClient, ApiError
from sync.clock import system_clock
from sync.contract.records import SessionGrant
from sync.contract.wfm import PLAN, VIEW_OWN
from tests.e2e.test_mixed_versions import (  # the previous release's server, as a fixture
    previous_release,  # noqa: F401 (a fixture the next one uses)
    previous_server,  # noqa: F401 (a fixture)
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]


class Signed:
    def __init__(self, url: str, grant: SessionGrant) -> None:
        self.url, self.grant = url, grant

    @property
    def client_factory(self) -> Callable[[], ApiClient]:
        return lambda: ApiClient(self.url, token=self.grant.token)


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_the_workforce_screens_on_an_older_server(
    qtbot: QtBot,
    previous_server: str,  # noqa: F811
    tasks: TaskRunner,
) -> None:
    with ApiClient(previous_server) as api:
        grant = api.login("zhangwei", "demo1234")
    # The previous server's lead has no wfm.* permission: the desk shows no Tools ▸ Workforce.
    assert not {p for p in grant.permissions if p.startswith("wfm.")}
    assert grant.user.team is not None
    with ApiClient(previous_server, token=grant.token) as api, pytest.raises(ApiError):
        api.wfm_shift_patterns(grant.user.team.id)
    # Asked anyway (permissions granted by hand), every screen says why it is empty, once.
    lead = SessionGrant(
        token=grant.token,
        expires_at=grant.expires_at,
        user=grant.user,
        permissions=grant.permissions | {PLAN, VIEW_OWN},
    )
    signed = Signed(previous_server, lead)
    service = WorkforceService(signed, tasks)
    said: list[str] = []
    service.unavailable.connect(said.append)
    window = WorkforceWindow(service, system_clock().now().date())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "does not plan shifts" in window.status_label.text(), timeout=20_000)
    assert not window.roster.isEnabled()
    mine = MyShiftsWindow(service, lambda: system_clock().now().date())
    qtbot.addWidget(mine)
    assert "does not plan shifts" in mine.note_label.text()
    adherence = AdherenceService(lambda: lead, lambda: signed.client_factory, tasks)
    adherence.start()
    qtbot.waitUntil(lambda: adherence.supported is False, timeout=20_000)
    assert len(said) == 1  # said once, though every route answered 404
