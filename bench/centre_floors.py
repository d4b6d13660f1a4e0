"""The floors of the centre load test, measured in the same run as the figures.

- Writes: the rows one call record costs the server (its idempotency claim, the interaction,
  its change-feed row; on PostgreSQL the feed's advisory lock too), inserted by bare SQL
  through the driver, one transaction each, into a scratch database of the same schema.
- Fan-out: a bare asyncio broadcast server (its own process, as the real server is) holding
  one TCP connection per desk, grouped by team, fanning each published line to its team's
  connections; the same desks, teams and event rate as the run.

``python -m bench.centre_floors broadcast`` runs the broadcast server (it prints its port).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import psycopg

from sync.clock import Clock

_LOCK = "SELECT pg_advisory_xact_lock(7243001)"
_CLAIM = (
    "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, body, created_at) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p})"
)
_INTERACTION = (
    "INSERT INTO interactions (customer_id, team_id, agent_id, kind, started_at, ended_at, "
    "answered_at, talk_s, hold_s, queue, remote_number, disposition, notes, ticket_ids, "
    "version, updated_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, "
    "{p}, {p}, {p}, {p})"
)
_CHANGE = (
    "INSERT INTO changes (entity, entity_id, team_id, user_id, op, version, data, at) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
)


_RUN = uuid.uuid4().hex[:8]


def _rows(index: int, user_id: int, team_id: int, now: str) -> tuple[tuple[object, ...], ...]:
    marker = f"floor-{_RUN}-{index:06d}"  # a second run on the same database: new keys
    record: dict[str, object] = {
        "id": index,
        "customer_id": None,
        "team_id": team_id,
        "agent_id": user_id,
        "kind": "call_in",
        "started_at": now,
        "ended_at": now,
        "answered_at": now,
        "talk_s": 230,
        "hold_s": 0,
        "queue": "负载测试",
        "remote_number": f"+86138{index:08d}",
        "disposition": "resolved",
        "notes": marker,
        "ticket_ids": [],
        "version": 1,
        "updated_at": now,
    }
    body = json.dumps(record, ensure_ascii=False)
    return (
        (user_id, marker, "0" * 64, 201, body, now),
        (
            None,
            team_id,
            user_id,
            "call_in",
            now,
            now,
            now,
            230,
            0,
            "负载测试",
            record["remote_number"],
            "resolved",
            marker,
            "[]",
            1,
            now,
        ),
        ("interaction", index, team_id, None, "upsert", 1, body, now),
    )


def bare_sql_writes(url: str, count: int, user_id: int, team_id: int, clock: Clock) -> list[float]:
    """Milliseconds per write, bare SQL, one transaction each, on ``url`` (a SQLAlchemy URL of
    a scratch database at the server's schema)."""
    now = clock.now().isoformat()
    samples: list[float] = []
    if url.startswith("sqlite"):
        lite = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        lite.execute("PRAGMA journal_mode=WAL")  # as the server opens it
        claim, interaction, change = (s.format(p="?") for s in (_CLAIM, _INTERACTION, _CHANGE))
        try:
            for index in range(count):
                rows = _rows(index, user_id, team_id, now)
                started = time.perf_counter()
                lite.execute("BEGIN")
                lite.execute(claim, rows[0])
                lite.execute(interaction, rows[1])
                lite.execute(change, rows[2])
                lite.execute("COMMIT")
                samples.append((time.perf_counter() - started) * 1e3)
        finally:
            lite.close()
        return samples
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    claim, interaction, change = (s.format(p="%s") for s in (_CLAIM, _INTERACTION, _CHANGE))
    with psycopg.connect(dsn) as conn:
        for index in range(count):
            rows = _rows(index, user_id, team_id, now)
            started = time.perf_counter()
            with conn.transaction():
                conn.execute(_LOCK)
                conn.execute(claim, rows[0])
                conn.execute(interaction, rows[1])
                conn.execute(change, rows[2])
            samples.append((time.perf_counter() - started) * 1e3)
    return samples


# -- the bare broadcast -------------------------------------------------------------------


async def _serve() -> None:
    """Each connection's first line is its team (a subscriber) or ``pub`` (the publisher);
    each line the publisher sends as ``<team> <payload>`` goes to that team's connections."""
    teams: dict[str, list[asyncio.StreamWriter]] = defaultdict(list)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        role = (await reader.readline()).strip().decode()
        if role != "pub":
            teams[role].append(writer)
            writer.write(b"ok\n")
            await writer.drain()
            await reader.read()  # until the subscriber goes
            return
        while line := await reader.readline():
            team, _, payload = line.partition(b" ")
            data = payload  # serialised once, the same bytes to every subscriber
            for subscriber in teams[team.decode()]:
                subscriber.write(data)

    server = await asyncio.start_server(handle, "127.0.0.1", 0, limit=1 << 20, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


async def broadcast_floor(teams: dict[int, list[int]], events: int, rate: float) -> list[float]:
    """Milliseconds from publish to receipt, per subscriber and event, through a bare asyncio
    broadcast server of its own process: ``teams`` maps a team to its desks; ``events`` are
    published at ``rate`` per second, round robin over the teams."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.centre_floors", "broadcast"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    sent: dict[str, float] = {}
    samples: list[float] = []
    readers: list[asyncio.Task[None]] = []

    async def subscribe(team: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        writer.write(f"{team}\n".encode())
        await writer.drain()
        await reader.readline()
        ready.append(None)
        while line := await reader.readline():
            samples.append((time.monotonic() - sent[line.strip().decode()]) * 1e3)

    ready: list[None] = []
    try:
        for team, desks in teams.items():
            readers += [asyncio.create_task(subscribe(team)) for _ in desks]
        while len(ready) < len(readers):
            await asyncio.sleep(0.05)
        _reader, publisher = await asyncio.open_connection("127.0.0.1", port)
        publisher.write(b"pub\n")
        order = list(teams)
        expected = 0
        for index in range(events):
            team = order[index % len(order)]
            marker = f"floor-{index:06d}"
            sent[marker] = time.monotonic()
            publisher.write(f"{team} {marker}\n".encode())
            await publisher.drain()
            expected += len(teams[team])
            await asyncio.sleep(1 / rate)
        deadline = time.monotonic() + 10
        while len(samples) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        publisher.close()
    finally:
        for task in readers:
            task.cancel()
        for task in readers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        process.terminate()
        process.wait(10)
    return samples


if __name__ == "__main__" and sys.argv[1:] == ["broadcast"]:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve())
