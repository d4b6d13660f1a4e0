"""The team's alerts kept by the server (issue 27), against the real backend: two leads of one
team signed in on two service stacks (sync, wallboard service, board panel). A threshold set
by one lead raises an alert the server evaluates on its own clock; the other lead sees it and
acknowledges it on the board; the first sees who acknowledged it and when."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_desktop.messages import MessageBridge
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.wallboard import AlertEntry, WallboardService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.panels.wallboard_panel import WallboardPanel
from server_stub.models import AlertRow, QueueRow, UserRow
from sync.client import ApiClient
from sync.contract.records import Role
from sync.contract.wallboard import AlertKind, AlertThresholds
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.servers import LiveBackend
from tests.ui.test_wallboard_ui import stream_is_live

PASSWORD = "demo1234"
DEPUTY = "副组长 Deputy"


@dataclass
class LeadDesk:
    sync: SyncService
    service: WallboardService
    panel: WallboardPanel


def add_deputy(backend: LiveBackend) -> int:
    """A second lead of 张伟's team: a supervisor whose team it is. Returns the team's id."""
    with backend.database.session() as session:
        lead = session.scalars(select(UserRow).where(UserRow.username == "zhangwei")).one()
        session.add(
            UserRow(
                username="deputy",
                display_name=DEPUTY,
                password_hash=lead.password_hash,
                role=Role.SUPERVISOR.value,
                team_id=lead.team_id,
                updated_at=lead.updated_at,
            )
        )
        session.commit()
        assert lead.team_id is not None
        return lead.team_id


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    served = LiveBackend(tmp_path / "server.sqlite", alert_interval_s=0.2)
    yield served
    served.stop()


@pytest.fixture
def lead_desks(
    qtbot: QtBot,
    tmp_path: Path,
    backend: LiveBackend,
    tasks: TaskRunner,
    messages: MessageBridge,
    gui_thread: OffThreadEmits,
) -> Iterator[tuple[LeadDesk, LeadDesk]]:
    add_deputy(backend)
    desks = []
    for username in ("zhangwei", "deputy"):
        with ApiClient(backend.url) as api:
            grant = api.login(username, PASSWORD)
        store = QSettings(str(tmp_path / f"{username}.ini"), QSettings.Format.IniFormat)
        sync = SyncService(tasks, messages, tmp_path / username, poll_interval_s=3600)
        service = WallboardService(sync, tasks, messages, store)
        gui_thread.watch(sync, service)
        sync.ready.connect(service.start)
        sync.start(backend.url, grant)
        panel = WallboardPanel(service)
        qtbot.addWidget(panel)
        desks.append(LeadDesk(sync, service, panel))
    for desk in desks:
        qtbot.waitUntil(
            lambda d=desk: d.service.loaded and d.service.server_alerts is True,  # type: ignore[misc]
            timeout=15_000,
        )
        stream_is_live(qtbot, desk.sync, backend.url)
    yield desks[0], desks[1]
    for desk in desks:
        desk.service.stop()
        desk.sync.close_now()


def queue_waiting(desk: LeadDesk) -> AlertEntry | None:
    return next(
        (
            e
            for e in desk.service.alert_log
            if e.alert.kind is AlertKind.QUEUE_WAITING and e.cleared_at is None
        ),
        None,
    )


def test_a_threshold_set_by_one_lead_raises_an_alert_the_other_lead_sees_and_acknowledges(
    qtbot: QtBot, backend: LiveBackend, lead_desks: tuple[LeadDesk, LeadDesk]
) -> None:
    lead, deputy = lead_desks
    assert "kept by the server" in deputy.panel.alert_place_label.text()
    # The lead sets "more than 1 call waiting" for the team (the rest off) on the board.
    quiet = AlertThresholds(
        queue_waiting=1,
        longest_wait_s=None,
        service_level=None,
        not_ready_s=None,
        complaint_breach_s=None,
    )
    with qtbot.waitSignal(lead.service.action_done, timeout=10_000):
        lead.service.set_thresholds(quiet)
    qtbot.waitUntil(lambda: deputy.service.thresholds == quiet, timeout=10_000)
    assert queue_waiting(lead) is None

    # The ACD says three callers wait in the team's queue: the server raises the alert.
    with backend.database.session() as session:
        team = session.scalars(select(UserRow.team_id).where(UserRow.username == "zhangwei"))
        queue_id = session.scalars(
            select(QueueRow.id).where(QueueRow.team_id == team.one())
        ).first()
    token = requests.post(
        f"{backend.url}/api/v1/auth/login",
        json={"username": "zhangwei", "password": PASSWORD},
        timeout=5,
    ).json()["token"]
    answer = requests.put(
        f"{backend.url}/api/v1/queues/{queue_id}/counters",
        json={"waiting": 3, "longest_wait_s": 5},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    qtbot.waitUntil(lambda: queue_waiting(deputy) is not None, timeout=10_000)
    qtbot.waitUntil(lambda: queue_waiting(lead) is not None, timeout=10_000)
    seen = queue_waiting(deputy)
    assert seen is not None
    assert seen.id is not None
    assert (seen.alert.value, seen.alert.limit) == (3, 1)
    assert seen.acked_at is None

    # The deputy acknowledges it on the board; the lead sees who, and when.
    deputy.panel.select_alert(seen.id)
    assert deputy.panel.ack_button.isEnabled()
    deputy.panel.ack_button.click()
    qtbot.waitUntil(
        lambda: (e := queue_waiting(lead)) is not None and e.acked_by == DEPUTY, timeout=10_000
    )
    acked = queue_waiting(lead)
    assert acked is not None
    assert acked.acked_at is not None
    texts = [lead.panel.alerts.index(row, 3).data() for row in range(lead.panel.alerts.rowCount())]
    assert any(text.startswith(f"{DEPUTY} at ") for text in texts)
    deputy.panel.select_alert(seen.id)
    qtbot.waitUntil(lambda: not deputy.panel.ack_button.isEnabled(), timeout=5000)

    # Raised once, however many sweeps ran meanwhile.
    with backend.database.session() as session:
        rows = session.scalars(select(AlertRow).where(AlertRow.kind == "queue_waiting")).all()
    assert len(rows) == 1
    assert rows[0].acked_at is not None
