"""Push benchmark: a desk's queue of offline writes reaching one server, beside its floors.

The backend runs as its own process (``agent-server`` on SQLite, loopback); this process is
the desk. Measured in one run:

- the floor: one bare ``requests`` POST per record (what a desk without a batch route could
  at best do), and the same SQL in bare ``sqlite3`` (one transaction per write), for the
  server's CPU per write;
- the sync engine pushing the same number of queued creates, in batches (contract 1.2) and one
  request per write (an older server: the fallback);
- operations applied per second on the one instance: bare batches of 200 sent by ``requests``
  (no desk cache on the way);
- the server's CPU per write (user + system time of its process, from ``/proc``) for each.

Usage: ``python -m bench.bench_push --writes 4000`` (the README's figures); ``--writes 600``
while developing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

from bench.bench_sync import start_server
from bench.results import Figure, record
from sync.cache import open_cache
from sync.client import ApiClient
from sync.contract.wire import MAX_BATCH_OPERATIONS
from sync.engine import SyncEngine

PASSWORD = "demo1234"
_TICK = os.sysconf("SC_CLK_TCK")


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def customer(team: int, code: str) -> dict[str, object]:
    return {"code": code, "name": f"离线 {code}", "team_id": team}


def timed(pid: int, run: Callable[[], int]) -> tuple[int, float, float]:
    """(writes, seconds, server CPU seconds) of ``run``."""
    cpu, started = server_cpu_s(pid), time.perf_counter()
    count = run()
    return count, time.perf_counter() - started, server_cpu_s(pid) - cpu


def bare_posts(url: str, token: str, team: int, writes: int, tag: str) -> int:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    for n in range(writes):
        answer = http.post(
            f"{url}/api/v1/customers",
            json=customer(team, f"{tag}-{n:05d}"),
            headers={"Idempotency-Key": uuid.uuid4().hex},
            timeout=30,
        )
        answer.raise_for_status()
    return writes


def bare_batches(url: str, token: str, team: int, writes: int, tag: str) -> int:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    http.headers["X-AW-Contract"] = "1.2"
    for start in range(0, writes, MAX_BATCH_OPERATIONS):
        operations = [
            {
                "method": "POST",
                "path": "/customers",
                "key": uuid.uuid4().hex,
                "body": customer(team, f"{tag}-{n:05d}"),
            }
            for n in range(start, min(writes, start + MAX_BATCH_OPERATIONS))
        ]
        answer = http.post(f"{url}/api/v1/batch", json={"operations": operations}, timeout=60)
        answer.raise_for_status()
        if any(r["status"] != 201 for r in answer.json()["results"]):
            raise RuntimeError("a batched write was refused")
    return writes


def engine_push(
    url: str, token: str, team: int, writes: int, tmp: Path, tag: str, batch_size: int
) -> tuple[int, float, float, int]:
    """Queue ``writes`` creates offline, then time the engine's push; with the server's pid."""
    cache = open_cache(tmp / f"{tag}.sqlite", f"{url}|wangfang").cache
    for future in [
        cache.create("customer", customer(team, f"{tag}-{n:05d}")) for n in range(writes)
    ]:
        future.result()
    engine = SyncEngine(cache, lambda: ApiClient(url, token=token), batch_size=batch_size)
    client = ApiClient(url, token=token)
    client.health()  # the server's contract is known, as after the desk's sign-in
    started = time.perf_counter()
    sent = engine.push(client)
    took = time.perf_counter() - started
    if sent != writes or cache.counts().waiting:
        raise RuntimeError(f"pushed {sent} of {writes}")
    cache.close()
    return sent, took, 0.0, 0


def bare_sqlite_cpu_s(tmp: Path, writes: int) -> float:
    """CPU seconds for the SQL of ``writes`` keyed creates in bare sqlite3, one transaction
    each (the record, its change-feed row, its idempotency row): the server's floor."""
    db = sqlite3.connect(tmp / "bare.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT, "
        "team_id INT, version INT, updated_at TEXT)"
    )
    db.execute(
        "CREATE TABLE changes (seq INTEGER PRIMARY KEY, entity TEXT, entity_id INT, "
        "team_id INT, version INT, data TEXT, at TEXT)"
    )
    db.execute(
        "CREATE TABLE keys (user_id INT, key TEXT, hash TEXT, status INT, body TEXT, "
        "PRIMARY KEY (user_id, key))"
    )
    started = time.process_time()
    for n in range(writes):
        db.execute("BEGIN")
        db.execute("INSERT INTO keys VALUES (1, ?, 'h', 0, '{}')", (f"k{n}",))
        row = db.execute(
            "INSERT INTO customers (code, name, team_id, version, updated_at) "
            "VALUES (?, ?, 1, 1, '2026-01-01') RETURNING id",
            (f"B-{n}", f"bare {n}"),
        ).fetchone()
        db.execute(
            "INSERT INTO changes (entity, entity_id, team_id, version, data, at) "
            "VALUES ('customer', ?, 1, 1, ?, '2026-01-01')",
            (row[0], f'{{"id": {row[0]}}}'),
        )
        db.execute(
            "UPDATE keys SET status = 201, body = ? WHERE user_id = 1 AND key = ?", ("{}", f"k{n}")
        )
        db.execute("COMMIT")
    took = time.process_time() - started
    db.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=4000)
    args = parser.parse_args()
    writes = args.writes
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        server, url = start_server(tmp / "server.sqlite", 200, 0)
        try:
            with ApiClient(url) as client:
                grant = client.login("wangfang", PASSWORD)
            token = grant.token
            team = grant.user.team.id if grant.user.team else 1
            pid = server.pid
            bare_posts(url, token, team, 50, "WARM")  # the server's first requests
            floor_n, floor_s, floor_cpu = timed(
                pid, lambda: bare_posts(url, token, team, writes, "BARE")
            )
            batch_n, batch_s, _ = timed(pid, lambda: bare_batches(url, token, team, writes, "RAW"))
            cpu = server_cpu_s(pid)
            eng_n, eng_s, _, _ = engine_push(url, token, team, writes, tmp, "BATCHED", 200)
            eng_cpu = server_cpu_s(pid) - cpu
            cpu = server_cpu_s(pid)
            one_n, one_s, _, _ = engine_push(url, token, team, writes, tmp, "SINGLE", 1)
            one_cpu = server_cpu_s(pid) - cpu
        finally:
            server.terminate()
            server.wait(timeout=30)
        sql_cpu = bare_sqlite_cpu_s(tmp, writes)
    floor_rate = floor_n / floor_s
    bare_sql_ms = sql_cpu / writes * 1000
    figures = [
        Figure(
            "push: the sync engine, batches of 200",
            eng_n / eng_s,
            "/s",
            floor_rate,
            "one bare POST per record",
            "≥ 10× floor",
        ),
        Figure(
            "push: the sync engine, one request per write (a server before 1.2)",
            one_n / one_s,
            "/s",
            floor_rate,
            "one bare POST per record",
        ),
        Figure(
            "operations applied on one instance (bare batches of 200)",
            batch_n / batch_s,
            "/s",
            floor_rate,
            "one bare POST per record",
            "≥ 2,000/s",
        ),
        Figure(
            "operations applied on one instance, beside the same rows in bare sqlite3",
            batch_n / batch_s,
            "/s",
            writes / sql_cpu,
            "bare sqlite3, one transaction per write (CPU only)",
        ),
        Figure(
            "server CPU per write, batched (engine)",
            eng_cpu / eng_n * 1000,
            "ms",
            bare_sql_ms,
            "the same SQL in bare sqlite3",
        ),
        Figure(
            "server CPU per write, one request each (bare POSTs)",
            floor_cpu / floor_n * 1000,
            "ms",
            bare_sql_ms,
            "the same SQL in bare sqlite3",
        ),
        Figure(
            "server CPU per write, one request each (engine, fallback)",
            one_cpu / one_n * 1000,
            "ms",
            bare_sql_ms,
            "the same SQL in bare sqlite3",
        ),
    ]
    record("push", figures, {"writes": writes, "database": "sqlite", "batch": 200})
    print(f"server pid {pid}; python {sys.version.split()[0]}", file=sys.stderr)


if __name__ == "__main__":
    main()
