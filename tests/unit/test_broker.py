"""The event broker's rules without a server: who receives an event (the same rule as the
change feed's SQL), and a stalled stream told to resync while the others receive everything."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select

from server_stub.api.deps import Caller
from server_stub.broker import EventBroker, Frame
from server_stub.core.db import Database
from server_stub.models import UserRow
from server_stub.visibility import Scope

TEAM_SCOPES: tuple[frozenset[int] | None, ...] = (
    None,
    frozenset(),
    frozenset({1}),
    frozenset({1, 2}),
)
TEAMS = (None, 1, 2, 3)
USERS = (None, 5, 6)


def test_the_live_rule_is_the_change_feeds_visibility_rule() -> None:
    engine = create_engine("sqlite://")
    table = Table(
        "rows",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("team_id", Integer),
        Column("user_id", Integer),
    )
    table.metadata.create_all(engine)
    combos = list(itertools.product(TEAMS, USERS))
    with engine.begin() as conn:
        conn.execute(insert(table), [{"team_id": t, "user_id": u} for t, u in combos])
        for team_ids in TEAM_SCOPES:
            caller = Caller(
                user=UserRow(id=5),
                token="t",
                expires_at=datetime(2030, 1, 1, tzinfo=UTC),
                permissions=frozenset(),
                team_ids=team_ids,
            )
            in_sql = set(
                conn.execute(
                    select(table.c.team_id, table.c.user_id).where(
                        *Scope.of(caller).clauses(table.c.team_id, table.c.user_id)
                    )
                ).all()
            )
            in_memory = {(t, u) for t, u in combos if Scope(team_ids, 5).admits(t, u)}
            assert in_memory == in_sql, team_ids


def frame(event_id: int, team_id: int | None = None, user_id: int | None = None) -> Frame:
    return Frame(event_id, team_id, user_id, f"id: {event_id}\n\n".encode())


def test_a_stalled_stream_is_dropped_to_resync_and_the_others_get_everything() -> None:
    async def scenario() -> None:
        broker = EventBroker(Database("sqlite://"), 0.05, max_pending=4)
        stalled = broker.subscribe(Scope(frozenset({1}), 5))
        reader = broker.subscribe(Scope(frozenset({1}), 6))
        other_team = broker.subscribe(Scope(frozenset({2}), 7))
        received: list[int] = []
        for n in range(1, 11):
            broker.publish([frame(n, team_id=1)])
            received += [f.id for f in await reader.take(1.0)]
        assert received == list(range(1, 11))
        assert stalled.overflowed
        assert broker.resyncs == 1
        assert await stalled.take(1.0) == []  # what was queued is dropped: the DB has it
        assert broker.streams == 2  # the stalled one is no longer offered anything
        assert await other_team.take(0.01) == []
        assert not other_team.overflowed
        broker.publish([frame(11, user_id=7), frame(12, user_id=6)])
        assert [f.id for f in await other_team.take(1.0)] == [11]
        assert [f.id for f in await reader.take(1.0)] == [12]
        assert broker.last_id == 12

    asyncio.run(scenario())


def test_a_burst_read_in_one_batch_does_not_overflow_a_stream_that_keeps_up() -> None:
    async def scenario() -> None:
        broker = EventBroker(Database("sqlite://"), 0.05)
        stream = broker.subscribe(Scope(None, 5))
        broker.publish([frame(n) for n in range(1, 501)])  # READ_BATCH rows at once
        assert len(await stream.take(1.0)) == 500
        assert not stream.overflowed

    asyncio.run(scenario())


def test_closing_ends_every_stream_and_refuses_new_ones() -> None:
    async def scenario() -> None:
        broker = EventBroker(Database("sqlite://"), 0.05)
        stream = broker.subscribe(Scope(None, 5))
        broker.close_streams()
        assert stream.closed
        assert await stream.take(5.0) == []
        assert broker.subscribe(Scope(None, 5)).closed
        assert broker.streams == 0

    asyncio.run(scenario())
