"""The desk's presence heartbeat (``sync.heartbeat``) against the real backend on loopback,
through a proxy that can cut the network: a desk that goes silent is marked lost on the
lead's board within the server's timeout and is restored by its first heartbeat once the
network is back; a server without the route (before 1.4) and a refused token stop it quietly."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.client import ApiClient
from sync.contract.alive import LOST_CONTACT, HeartbeatIn
from sync.contract.records import AgentState
from sync.heartbeat import Heartbeat
from tests.fakes.proxy import FaultProxy
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until
from tests.sync.conftest import login

TIMEOUT_S = 2.0
FLUSH_S = SWEEP_S = 0.2
# The server's bound (timeout + a flush + a sweep), with room for a loaded 2-core machine.
NOTICED_WITHIN_S = TIMEOUT_S + FLUSH_S + SWEEP_S + 10


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(
        tmp_path / "alive.sqlite",
        presence_timeout_s=TIMEOUT_S,
        presence_flush_s=FLUSH_S,
        presence_sweep_s=SWEEP_S,
    )
    yield server
    server.stop()


@pytest.fixture
def proxy(backend: LiveBackend) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(backend.url)
    yield fault_proxy
    fault_proxy.stop()


def shown(url: str, lead_token: str, user_id: int) -> dict[str, Any]:
    """The agent's presence as the lead's board reads it."""
    board = requests.get(
        f"{url}/api/v1/wallboard", headers={"Authorization": f"Bearer {lead_token}"}, timeout=10
    ).json()
    found: dict[str, Any] = next(p for p in board["presence"] if p["user_id"] == user_id)
    return found


@pytest.mark.slow  # waits out the timeout twice
def test_a_silent_desk_is_lost_and_comes_back(backend: LiveBackend, proxy: FaultProxy) -> None:
    token = login(proxy.url, "wangfang")
    lead = login(backend.url, "zhangwei")
    with ApiClient(proxy.url, token=token) as client:
        me = client.me().user.id
        client.send("PUT", "/presence/me", {"state": "ready"}, str(uuid.uuid4()))
    presence = HeartbeatIn(state=AgentState.READY)
    heartbeat = Heartbeat(lambda: ApiClient(proxy.url, token=token, timeout_s=2), lambda: presence)
    heartbeat.start()
    try:
        wait_until(lambda: heartbeat.sent >= 2, 15, "two heartbeats")
        assert heartbeat.interval_s == pytest.approx(TIMEOUT_S / 4)  # the server's pace
        assert shown(backend.url, lead, me)["state"] == "ready"

        proxy.mode = "down"  # the desk's network is gone
        wait_until(
            lambda: shown(backend.url, lead, me)["reason"] == LOST_CONTACT,
            NOTICED_WITHIN_S,
            "the lead's board to show the desk lost",
        )
        assert shown(backend.url, lead, me)["state"] == "logged_out"

        proxy.mode = "pass"  # back: its next heartbeat restores what it reported
        wait_until(
            lambda: shown(backend.url, lead, me)["state"] == "ready",
            NOTICED_WITHIN_S,
            "the board to show the desk Ready again",
        )
        assert shown(backend.url, lead, me)["reason"] == ""
    finally:
        heartbeat.stop()


def test_an_older_server_without_the_route_stops_it_quietly(
    backend: LiveBackend, proxy: FaultProxy
) -> None:
    token = login(proxy.url, "wangfang")
    proxy.break_route("POST", "/api/v1/presence/heartbeat", "missing")
    heartbeat = Heartbeat(lambda: ApiClient(proxy.url, token=token), HeartbeatIn)
    heartbeat.start()
    wait_until(lambda: heartbeat.supported is False, 15, "the heartbeat to see no route")
    assert heartbeat.sent == 0
    heartbeat.stop(timeout_s=5)
    assert heartbeat._thread is not None
    assert not heartbeat._thread.is_alive()  # it waited for its next try, and stopped


def test_a_refused_token_ends_it(backend: LiveBackend) -> None:
    heartbeat = Heartbeat(lambda: ApiClient(backend.url, token="not-a-token"), HeartbeatIn)
    heartbeat.start()
    assert heartbeat._thread is not None
    wait_until(lambda: not heartbeat._thread.is_alive(), 15, "the heartbeat to stop at 401")
    assert heartbeat.sent == 0
