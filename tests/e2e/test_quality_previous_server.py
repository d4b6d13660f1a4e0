"""Quality scoring against the previous release's server (before contract 1.7: no /qa
routes): this desk's Quality window, signed in to it, says the server has no quality scoring
instead of empty lists, and the rest of the desk is untouched."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.quality import QualityService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.quality.window import QualityWindow
from sync.client import ApiClient, ProtocolError
from sync.clock import system_clock
from sync.contract.records import SessionGrant
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


def test_the_quality_window_on_an_older_server(
    qtbot: QtBot,
    previous_server: str,  # noqa: F811
    tasks: TaskRunner,
) -> None:
    with ApiClient(previous_server) as api:
        grant = api.login("zhangwei", "demo1234")
    # The previous server's lead has no qa.* permission: the desk shows no Tools ▸ Quality.
    assert not {p for p in grant.permissions if p.startswith("qa.")}
    with ApiClient(previous_server, token=grant.token) as api, pytest.raises(ProtocolError) as no:
        api.qa_scorecards()
    assert no.value.status == 404
    # Asked anyway (permissions granted by hand), the window says why it is empty, once.
    lead = SessionGrant(
        token=grant.token,
        expires_at=grant.expires_at,
        user=grant.user,
        permissions=grant.permissions | {"qa.score", "qa.manage_scorecards"},
    )
    service = QualityService(Signed(previous_server, lead), tasks)
    window = QualityWindow(service, system_clock().now().date())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "older than contract 1.7" in window.status_label.text(), timeout=20_000)
