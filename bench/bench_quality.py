"""Quality scoring on the server (issue 20): what the lead's call picker and the weekly sample
cost on a centre's week of calls, and what one evaluation costs to score and keep, each beside
its floor measured in the same run on the same database:

- the picker (``quality.find_calls``: the newest 500 calls of the week that fit, with their
  agents' names and evaluation counts) beside reading the same 500 rows alone;
- the seeded sample (``quality.sample``: every agent's calls of the week, N drawn each) beside
  reading the week's (id, agent) pairs alone, the read it cannot avoid;
- one evaluation scored and stored (``quality.create_evaluation``: the score, the row, the
  agent's event; committed) beside inserting an audit row and committing (one bare write).

A SQLite file with ``--seed centre`` (``--agents`` agents in teams of 25) and ``--calls`` call
records spread over the week. Usage:
``python -m bench.bench_quality --agents 400 --calls 140000 --rounds 20``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench.results import Figure, record
from server_stub import quality
from server_stub.clock import ManualClock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.feed import audit
from server_stub.models import InteractionRow, TeamRow, UserRow
from server_stub.seed_centre import seed_centre
from sync.clock import system_clock
from sync.contract.quality import (
    Answer,
    CallFilter,
    EvaluationIn,
    ItemAnswer,
    ScorecardIn,
    ScorecardItem,
    ScorecardSection,
)
from sync.contract.records import Role

CARD = ScorecardIn(
    name="Hotline call",
    sections=[
        ScorecardSection(
            title="All",
            items=[
                ScorecardItem(key=f"item{i}", label=f"Item {i}", weight=1 + i % 3, critical=i == 0)
                for i in range(20)
            ],
        )
    ],
)


def build(path: Path, agents: int, calls: int, clock: ManualClock) -> Database:
    database = Database(ServerSettings.sqlite_file(path))
    migrate(database.engine)
    now = clock.now()
    rng = random.Random(20)
    with database.session() as session:
        seed_centre(session, agents, now=now)
        members = [
            (team, user)
            for team in session.scalars(select(TeamRow.id))
            for user in session.scalars(
                select(UserRow.id).where(UserRow.team_id == team, UserRow.role == Role.AGENT.value)
            )
        ]
        week = int(timedelta(days=7).total_seconds())
        rows = []
        for _ in range(calls):
            team, agent = rng.choice(members)
            began = now - timedelta(seconds=rng.randrange(week))
            talk = rng.randrange(20, 900)
            rows.append(
                {
                    "team_id": team,
                    "agent_id": agent,
                    "kind": "call_in",
                    "started_at": began,
                    "answered_at": began,
                    "ended_at": began + timedelta(seconds=talk),
                    "talk_s": talk,
                    "hold_s": 0,
                    "queue": f"queue {team}",
                    "remote_number": "",
                    "disposition": rng.choice(("resolved", "resolved", "callback", "ticket")),
                    "notes": "",
                    "ticket_ids": [],
                    "checks": [],
                    "version": 1,
                    "updated_at": now,
                }
            )
        session.execute(insert(InteractionRow), rows)
        session.commit()
    return database


def timed(fn: Callable[[], object]) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def main() -> None:  # noqa: PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--calls", type=int, default=140_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    clock = ManualClock(system_clock().now())
    today = clock.now().date()
    week_start = today - timedelta(days=6)
    wanted = CallFilter(since=week_start, until=today, min_talk_s=60)
    with tempfile.TemporaryDirectory() as folder:
        database = build(Path(folder) / "quality.sqlite", args.agents, args.calls, clock)
        with database.session() as session:
            lead = session.scalars(select(UserRow.id).where(UserRow.role == "admin")).first()
            assert lead is not None
            card = quality.create_scorecard(session, CARD, lead, clock.now())
            session.commit()
            version = quality.scorecard_version(session, card.id, 1)
            assert version is not None
            session.expunge(version)
            calls = list(session.execute(select(InteractionRow.id, InteractionRow.agent_id)))

        def pick() -> None:
            with database.session() as session:
                quality.find_calls(session, None, wanted)

        def pick_floor() -> None:
            with database.session() as session:
                query = quality.calls_query(None, wanted)  # the same read, bare
                query = query.order_by(InteractionRow.started_at.desc()).limit(500)
                list(session.scalars(query))

        def sample() -> None:
            with database.session() as session:
                quality.sample(session, None, CallFilter(), week=week_start, per_agent=5, seed=7)

        def sample_floor() -> None:
            with database.session() as session:
                monday = quality.week_of(week_start)
                bounded = CallFilter(since=monday, until=monday + timedelta(days=6))
                query = quality.calls_query(None, bounded)
                session.execute(
                    query.with_only_columns(InteractionRow.id, InteractionRow.agent_id)
                ).all()

        rng = random.Random(5)

        def evaluate() -> None:
            call_id, agent_id = rng.choice(calls)
            body = EvaluationIn(
                interaction_id=call_id,
                agent_id=agent_id,
                scorecard_id=card.id,
                scorecard_version=1,
                answers=[
                    ItemAnswer(key=f"item{i}", answer=rng.choice((Answer.MET, Answer.MISSED)))
                    for i in range(20)
                ],
                share=True,
            )
            with database.session() as session:
                quality.create_evaluation(session, body, version, None, lead, clock.now())
                session.commit()

        def evaluate_floor() -> None:
            with database.session() as session:
                audit(session, user_id=lead, action="bench", target="", allowed=True,
                      now=clock.now())  # fmt: skip
                session.commit()

        pairs = {
            "pick": (pick, pick_floor),
            "sample": (sample, sample_floor),
            "evaluate": (evaluate, evaluate_floor),
        }
        times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in pairs}
        for fn, floor in pairs.values():  # warm both
            fn()
            floor()
        for _ in range(args.rounds):  # interleaved: the shared machine's load falls on both
            for name, (fn, floor) in pairs.items():
                times[name][1].append(timed(floor))
                times[name][0].append(timed(fn))
        database.dispose()
    med = {k: (statistics.median(v[0]), statistics.median(v[1])) for k, v in times.items()}
    figures = [
        Figure(
            f"call picker: the week's newest 500 calls over 60 s of {args.calls:,}",
            med["pick"][0],
            "ms",
            floor=med["pick"][1],
            floor_what="the same 500 rows read alone",
            aim="≤ 300 ms (the lead waits for it)",
            detail={"max_ms": max(times["pick"][0])},
        ),
        Figure(
            f"weekly sample: 5 calls of each of {args.agents} agents, seeded",
            med["sample"][0],
            "ms",
            floor=med["sample"][1],
            floor_what="the week's (call, agent) pairs read alone",
            aim="≤ 1 s",
            detail={"max_ms": max(times["sample"][0])},
        ),
        Figure(
            "one evaluation (20 items) scored, stored and told, committed",
            med["evaluate"][0],
            "ms",
            floor=med["evaluate"][1],
            floor_what="one audit row inserted and committed",
            detail={"max_ms": max(times["evaluate"][0])},
        ),
    ]
    record(
        "quality",
        figures,
        {"agents": args.agents, "calls": args.calls, "rounds": args.rounds},
    )


if __name__ == "__main__":
    main()
