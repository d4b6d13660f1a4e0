"""A PC whose clock is 5 minutes off the server's: the desk works on the server's time and
tells the agent (IT's to fix), with the real backend on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.messages import Message, MessageBridge
from agent_desktop.services.session import SessionService
from sync.clock import DeskClock, SystemClock
from sync.contract.rules import centre_day
from tests.fakes.clocks import centre_time, running_from
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import LiveBackend


@pytest.fixture(params=[timedelta(minutes=5), timedelta(minutes=-5)], ids=["behind", "ahead"])
def server_ahead(request: pytest.FixtureRequest) -> timedelta:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def skewed_backend(tmp_path: Path, server_ahead: timedelta) -> Iterator[LiveBackend]:
    # The server at the last seconds of a year; the PC's clock 5 minutes off it.
    backend = LiveBackend(
        tmp_path / "server.sqlite", clock=running_from(centre_time("2026-12-31 23:57:30"))
    )
    yield backend
    backend.stop()


def test_the_desk_takes_the_servers_time_and_says_the_pc_is_off(
    qtbot: QtBot,
    make_session: Callable[..., SessionService],
    messages: MessageBridge,
    skewed_backend: LiveBackend,
    server_ahead: timedelta,
) -> None:
    session = make_session(MemoryCredentialStore())
    # The server's own clock (started when the backend was), not another started later.
    server_now = skewed_backend.app.state.clock
    assert isinstance(server_now, SystemClock)
    pc = SystemClock(server_now.offset - server_ahead)
    session.clock = DeskClock(pc)
    told: list[Message] = []
    messages.posted.connect(told.append)
    with qtbot.waitSignal(session.signed_in, timeout=15_000):
        session.sign_in(skewed_backend.url, "wangfang", "demo1234", remember=False)
    assert abs(session.clock.skew - server_ahead) < timedelta(seconds=1.5)
    assert abs(session.clock.now() - server_now.now()) < timedelta(seconds=1.5)
    assert centre_day(session.clock.now()) == centre_day(server_now.now())
    word = "behind" if server_ahead > timedelta(0) else "ahead of"
    qtbot.waitUntil(lambda: any(f"5 min {word} the server's" in m.text for m in told))
    # The health check keeps it: no second warning for the same difference.
    count = len(told)
    session.check_connection()
    qtbot.waitUntil(lambda: not session._checking, timeout=10_000)
    assert abs(session.clock.skew - server_ahead) < timedelta(seconds=1.5)
    assert not [m for m in told[count:] if "clock" in m.text]
