"""The desk's quality service alone (its layer's unit test: the server is a stand-in here;
the real backend is ``test_quality_e2e.py``): a server before contract 1.7 answers 404 and the
window says so once instead of showing empty lists; the service's signals reach the GUI
thread only; a QA notice from the event stream makes it read its list again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pytestqt.qtbot import QtBot

from agent_desktop.services.quality import QualityService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.quality.window import QualityWindow
from sync.client import ProtocolError
from sync.contract.events import QA_EVALUATION
from sync.contract.records import Role, SessionGrant, UserProfile
from sync.contract.wire import EventOut
from tests.ui.test_wallboard_ui import Inline


class OlderServer:
    """What a 1.6 server answers on every /qa route."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def refuse(*_args: object, **_kw: object) -> None:
            self.asked.append(name)
            error = ProtocolError("The server answered HTTP 404", "bad_status")
            error.status = 404  # FastAPI's own 404: the route is not there
            raise error

        return refuse


class Source:
    def __init__(self, permissions: frozenset[str]) -> None:
        self.server = OlderServer()
        self.grant = SessionGrant(
            token="t",
            expires_at=datetime(2030, 1, 1, tzinfo=UTC),
            user=UserProfile(
                id=7, username="wangfang", display_name="王芳", role=Role.AGENT, team=None
            ),
            permissions=permissions,
        )

    @property
    def client_factory(self) -> Callable[[], Any]:
        @contextmanager
        def client() -> Iterator[OlderServer]:
            yield self.server

        return client


def test_an_older_server_is_said_once_not_shown_as_empty_lists(qtbot: QtBot) -> None:
    # The work runs at once on this thread (tests/ui/test_wallboard_ui.py's Inline executor):
    # each answer is handled before the next line, so "said once" is checked, not waited for.
    tasks = TaskRunner(Inline())
    source = Source(frozenset({"qa.view_own"}))
    service = QualityService(source, tasks)  # type: ignore[arg-type]
    said: list[str] = []
    failures: list[str] = []
    service.unavailable.connect(said.append)
    service.failed.connect(failures.append)
    window = QualityWindow(service, datetime(2026, 12, 6, tzinfo=UTC).date())
    qtbot.addWidget(window)
    assert len(said) == 1
    assert "older than contract 1.7" in window.status_label.text()
    assert window.picker is None  # an agent: only "My evaluations"
    # A notice from the stream reads the list again; the 404 is not said twice.
    event = EventOut(
        id=1,
        kind=QA_EVALUATION,
        at=datetime(2026, 12, 6, tzinfo=UTC),
        data={"id": 1, "status": "shared", "agent_id": 7, "evaluator_id": 3,
              "score_pct": 80.0, "failed": True},
    )  # fmt: skip
    service.on_event(event)
    assert source.server.asked.count("qa_evaluations") == 2
    assert len(said) == 1
    assert failures == []
    tasks.shutdown()
