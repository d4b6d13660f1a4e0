"""The demo caller (like an ACD) offers no call to an agent the server marked lost: their desk
went silent, so the presence says Logged out (reason lost_contact), whatever it said before."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from server_stub.clock import ManualClock, system_clock
from server_stub.core.config import DemoCallSettings, ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.demo_caller import DemoCall, DemoCaller
from server_stub.models import PresenceRow, UserRow
from server_stub.presence_alive import Beat, flush_seen, mark_lost
from server_stub.seed import seed_demo
from sync.contract.records import AgentState


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database(ServerSettings.sqlite_file(tmp_path / "server.sqlite"))
    migrate(database.engine)
    with database.session() as session:
        seed_demo(session, now=system_clock().now())
    yield database
    database.dispose()


class Counting(DemoCaller):
    """The real caller's decisions; a call is counted, not dialled."""

    offered = 0

    async def place(self, call: DemoCall) -> bool:
        self.offered += 1
        return False


def test_no_call_is_offered_to_an_agent_whose_desk_was_lost(database: Database) -> None:
    clock = ManualClock(system_clock().now())
    with database.session() as session:
        agent = session.scalar(select(UserRow).where(UserRow.username == "wangfang"))
        assert agent is not None
        now = clock.now()
        session.add(
            PresenceRow(
                user_id=agent.id,
                team_id=agent.team_id,
                state=AgentState.READY.value,
                reason="",
                since=now,
                updated_at=now,
                sip_uri="",
            )
        )
        session.commit()
        flush_seen(session, {agent.id: Beat(now, AgentState.READY)}, now)
    ticks = [0.0]
    settings = DemoCallSettings(target="sip:agent@127.0.0.1:5999", agent="wangfang")
    caller = Counting(database, settings, clock=lambda: ticks[0])

    async def tick_at(seconds: float) -> None:
        ticks[0] = seconds
        await caller._tick()

    asyncio.run(tick_at(0.0))  # Ready from now on
    clock.advance(timedelta(minutes=2))  # the desk went silent
    with database.session() as session:
        assert mark_lost(session, clock.now(), timedelta(seconds=60)) == [agent.id]
    asyncio.run(tick_at(settings.first_after_s + 1))
    asyncio.run(tick_at(settings.every_s * 3))
    assert caller.offered == 0

    with database.session() as session:  # back, Ready again: offered once more
        flush_seen(session, {agent.id: Beat(clock.now(), AgentState.READY)}, clock.now())
    asyncio.run(tick_at(settings.every_s * 4))
    asyncio.run(tick_at(settings.every_s * 5))
    assert caller.offered == 1
