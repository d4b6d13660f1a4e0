"""The signed-in desk's presence heartbeat as ``SyncService`` runs it, against the real backend
with a short presence timeout: it starts with the desk's sync at sign-in, carries what the desk
last reported, keeps the agent on the board past several timeouts, and stops at sign-out (the
server then marks the agent lost, unless the desk wrote Logged out itself)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService, _beat_of
from agent_desktop.tasks import TaskRunner
from sync.contract.alive import LOST_CONTACT
from sync.contract.records import AgentState
from tests.fakes.servers import LiveBackend
from tests.sync.conftest import login

TIMEOUT_S = 2.0
WAIT_MS = 20_000  # the timeout, a flush, a sweep, and a loaded 2-core machine


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(
        tmp_path / "server.sqlite",
        presence_timeout_s=TIMEOUT_S,
        presence_flush_s=0.2,
        presence_sweep_s=0.2,
    )
    yield server
    server.stop()


def on_board(backend: LiveBackend, user_id: int) -> dict[str, Any]:
    token = login(backend.url, "zhangwei")
    board = requests.get(
        f"{backend.url}/api/v1/wallboard",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    never = {"state": "logged_out", "reason": ""}
    found: dict[str, Any] = next((p for p in board["presence"] if p["user_id"] == user_id), never)
    return found


@pytest.mark.slow  # several timeouts of heartbeats, then one without
def test_the_heartbeat_lives_from_sign_in_to_sign_out(
    qtbot: QtBot,
    tmp_path: Path,
    backend: LiveBackend,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
) -> None:
    sync = SyncService(tasks, messages, tmp_path / "profile", poll_interval_s=3600)
    session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
    try:
        with qtbot.waitSignal(sync.ready, timeout=WAIT_MS):
            session.sign_in(backend.url, "wangfang", "demo1234", remember=False)
        heartbeat = sync.heartbeat
        assert heartbeat is not None
        assert sync.grant is not None
        me = sync.grant.user.id
        sync.report_presence(AgentState.NOT_READY.value, "break")
        qtbot.waitUntil(lambda: heartbeat.sent >= 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: on_board(backend, me)["state"] == "not_ready", timeout=WAIT_MS)
        # Three timeouts of heartbeats: never lost.
        sent = heartbeat.sent
        qtbot.waitUntil(lambda: heartbeat.sent >= sent + 12, timeout=WAIT_MS)
        assert (on_board(backend, me)["state"], on_board(backend, me)["reason"]) == (
            "not_ready",
            "break",
        )

        stopped = sync.stop()  # sign-out (the desk's own Logged out is not written here)
        assert stopped is not None
        stopped.result(timeout=WAIT_MS / 1000)
        assert heartbeat._thread is not None
        assert not heartbeat._thread.is_alive()
        assert sync.heartbeat is None
        qtbot.waitUntil(lambda: on_board(backend, me)["reason"] == LOST_CONTACT, timeout=WAIT_MS)
    finally:
        sync.close_now()


def test_the_heartbeat_carries_the_state_even_with_an_address_the_server_refuses() -> None:
    beat = _beat_of("ready", "", "sip:agent@10.0.0.5;transport=tcp")
    assert (beat.state, beat.sip_uri) == (AgentState.READY, "")
    beat = _beat_of("not_ready", "午餐 lunch", "sip:agent@10.0.0.5:5062")
    assert (beat.state, beat.reason, beat.sip_uri) == (
        AgentState.NOT_READY,
        "午餐 lunch",
        "sip:agent@10.0.0.5:5062",
    )
    assert _beat_of("on_break_newer_release", "", "").state is None  # not restored to a guess
