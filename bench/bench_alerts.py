"""The server's alert sweep (issue 27): what one round of ``AlertSweeper.sweep`` costs for a
centre, beside its floor measured in the same run on the same database: reading the same
figures the board shows for every team (``wallboard_figures.team_live``, what the sweep
evaluates), without evaluating or recording anything. The ratio is what evaluating, the
conditional inserts and updates and the events add; the sweep's share of one core at the
default 5 s interval says what it costs a server process.

A SQLite file with ``--seed centre`` (``--agents`` agents in teams of 25) and ``--calls`` call
records today spread over the teams (each written at its end), the clock moving 5 s a round,
every agent in a state, every queue with callers waiting (so alerts hold and the sweep finds
them already raised, as in a steady shift).

Usage: ``python -m bench.bench_alerts --agents 400 --calls 24000 --rounds 20``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench.results import Figure, record
from server_stub.alerts import AlertSweeper
from server_stub.clock import ManualClock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.models import InteractionRow, PresenceRow, QueueRow, TeamRow, UserRow
from server_stub.seed_centre import seed_centre
from server_stub.wallboard_figures import team_live
from sync.clock import system_clock
from sync.contract.records import AgentState, Role
from sync.contract.wallboard import DEFAULT_ANSWER_WITHIN_S

INTERVAL_S = 5.0  # ServerSettings.alert_interval_s


def build(path: Path, agents: int, calls: int, clock: ManualClock) -> Database:
    database = Database(ServerSettings.sqlite_file(path))
    migrate(database.engine)
    now = clock.now()
    rng = random.Random(27)
    with database.session() as session:
        seed_centre(session, agents, now=now)
        teams = list(session.scalars(select(TeamRow.id)))
        members = {
            team: list(
                session.scalars(
                    select(UserRow.id).where(
                        UserRow.team_id == team, UserRow.role == Role.AGENT.value
                    )
                )
            )
            for team in teams
        }
        for team in teams:  # a queue per team with callers waiting
            if session.scalar(select(QueueRow.id).where(QueueRow.team_id == team)) is None:
                session.add(QueueRow(name=f"queue {team}", team_id=team, updated_at=now))
        session.flush()
        queue_of = {q.team_id: q for q in session.scalars(select(QueueRow))}
        for queue in queue_of.values():
            queue.waiting, queue.longest_wait_s, queue.updated_at = 7, 90, now
        states = [AgentState.READY, AgentState.NOT_READY, AgentState.ON_CALL]
        for team, users in members.items():
            for user in users:
                if session.get(PresenceRow, user) is None:
                    session.add(
                        PresenceRow(
                            user_id=user,
                            team_id=team,
                            state=rng.choice(states).value,
                            since=now - timedelta(minutes=rng.randrange(60)),
                            updated_at=now,
                        )
                    )
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        rows = []
        for _ in range(calls):
            team = rng.choice(teams)
            if not members[team]:
                continue
            began = start + timedelta(seconds=rng.randrange(int((now - start).total_seconds())))
            rows.append(
                {
                    "team_id": team,
                    "agent_id": rng.choice(members[team]),
                    "kind": "call_in",
                    "started_at": began,
                    "answered_at": began + timedelta(seconds=rng.randrange(60)),
                    "ended_at": began + timedelta(seconds=200),
                    "talk_s": 180,
                    "hold_s": 0,
                    "queue": queue_of[team].name,
                    "remote_number": "",
                    "disposition": "resolved",
                    "notes": "",
                    "ticket_ids": [],
                    "checks": [],
                    "version": 1,
                    "updated_at": min(now, began + timedelta(seconds=230)),  # its wrap-up
                }
            )
        session.execute(insert(InteractionRow), rows)
        session.commit()
    return database


def floor_round(database: Database, clock: ManualClock) -> None:
    with database.session() as session:
        for team in list(session.scalars(select(TeamRow.id))):
            team_live(session, team, clock.now(), DEFAULT_ANSWER_WITHIN_S)


def timed(fn: object, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--calls", type=int, default=24_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    clock = ManualClock(system_clock().now().replace(hour=15, minute=0, second=0, microsecond=0))
    with tempfile.TemporaryDirectory() as folder:
        database = build(Path(folder) / "alerts.sqlite", args.agents, args.calls, clock)
        sweeper = AlertSweeper(database, clock, INTERVAL_S)
        raised = sweeper.sweep()  # the first round raises what holds; later ones find it
        with database.session() as session:
            teams = len(list(session.scalars(select(TeamRow.id))))
        floor_round(database, clock)  # warm the same caches for both
        # Interleaved, so the shared machine's load falls on both alike.
        sweeps: list[float] = []
        floors: list[float] = []
        for _ in range(args.rounds):
            clock.advance(timedelta(seconds=INTERVAL_S))  # a round every 5 s, as served
            floors += timed(lambda: floor_round(database, clock), 1)
            sweeps += timed(sweeper.sweep, 1)
        database.dispose()
    sweep_ms, floor_ms = statistics.median(sweeps), statistics.median(floors)
    figures = [
        Figure(
            f"one alert sweep, {teams} teams, {args.calls:,} calls today (median of {args.rounds})",
            sweep_ms,
            "ms",
            floor=floor_ms,
            floor_what="the board's figures of every team, read alone",
            detail={"sweep_max_ms": max(sweeps), "floor_max_ms": max(floors)},
        ),
        Figure(
            f"its share of one core at one sweep every {INTERVAL_S:.0f} s",
            sweep_ms / (INTERVAL_S * 1000) * 100,
            "%",
        ),
    ]
    record(
        "alerts",
        figures,
        {
            "agents": args.agents,
            "calls": args.calls,
            "rounds": args.rounds,
            "teams": teams,
            "first_round_raised": raised[0],
        },
    )


if __name__ == "__main__":
    main()
