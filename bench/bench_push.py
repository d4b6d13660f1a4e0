"""Push benchmark: a desk's queue of offline writes reaching one server, beside its floors.

The backend runs as its own process (``agent-server`` on SQLite by default, or with
``--backend postgres`` on a throw-away PostgreSQL of its own, both on loopback); this process
is the desk. Measured in one run:

- the floor: one bare ``requests`` POST per record (what a desk without a batch route could
  at best do), and the same SQL in bare ``sqlite3`` (one transaction per write), for the
  server's CPU per write;
- the sync engine pushing the same number of queued creates, in batches (contract 1.2) and one
  request per write (an older server: the fallback);
- operations applied per second on the one instance: bare batches of 200 sent by ``requests``
  (no desk cache on the way);
- the server's CPU per write (user + system time of its process, from ``/proc``; on
  PostgreSQL plus the database cluster's processes) for each; the floor on PostgreSQL is the
  same SQL in bare psycopg.

On PostgreSQL also: what numbering the feed at commit costs (migration 0004's deferred
trigger). Bare batches of customer creates and of call records go, in alternating rounds, to
the shipped database and to a second one where the trigger is dropped and rows are numbered by
the sequence at insert: that second database is a floor only (a feed reader could skip a row
that commits late there), never a way to run the server.

Usage: ``python -m bench.bench_push --writes 4000`` (SQLite, ``bench/results/push.json``) and
``python -m bench.bench_push --backend postgres --writes 4000``
(``bench/results/push_postgres.json``), the README's figures; ``--writes 600`` while
developing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.centre_servers import ROOT, free_port, wait_healthy
from bench.push_postgres import (
    bare_sql_cpu_s,
    cluster_cpu_s,
    number_at_insert,
    number_per_row,
    trigger_function,
)
from bench.results import Figure, record
from sync.cache import open_cache
from sync.client import ApiClient
from sync.contract.wire import MAX_BATCH_OPERATIONS
from sync.engine import SyncEngine
from tests.fakes.postgres import PostgresServer

PASSWORD = "demo1234"
_SERVER = [sys.executable, "-m", "server_stub"]
_NO_CALLS = ["--interactions-per-customer", "0", "--seed-only", "--log-level", "warning"]
_TICK = os.sysconf("SC_CLK_TCK")


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def customer(team: int, code: str) -> dict[str, object]:
    return {"code": code, "name": f"离线 {code}", "team_id": team}


def timed(meter: Callable[[], float], run: Callable[[], int]) -> tuple[int, float, float]:
    """(writes, seconds, server CPU seconds by ``meter``) of ``run``."""
    cpu, started = meter(), time.perf_counter()
    count = run()
    return count, time.perf_counter() - started, meter() - cpu


def bare_posts(url: str, token: str, team: int, writes: int, tag: str) -> int:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    for n in range(writes):
        answer = http.post(
            f"{url}/api/v1/customers",
            json=customer(team, f"{tag}-{n:05d}"),
            headers={"Idempotency-Key": uuid.uuid4().hex},
            timeout=120,
        )
        answer.raise_for_status()
    return writes


def interaction(customer_id: int, n: int) -> dict[str, object]:
    """A call record (the write a centre's desks send most); fixed times: not the clock's."""
    return {
        "customer_id": customer_id,
        "kind": "call_in",
        "started_at": "2026-12-05T08:00:00Z",
        "ended_at": "2026-12-05T08:03:00Z",
        "talk_s": 180,
        "disposition": f"bench {n}",
    }


def bare_batches(
    url: str, token: str, team: int, writes: int, tag: str, customer_id: int | None = None
) -> int:
    """``writes`` creates in bare batches of 200: customers, or call records of
    ``customer_id``."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    http.headers["X-AW-Contract"] = "1.2"
    for start in range(0, writes, MAX_BATCH_OPERATIONS):
        operations = [
            {
                "method": "POST",
                "path": "/customers" if customer_id is None else "/interactions",
                "key": uuid.uuid4().hex,
                "body": customer(team, f"{tag}-{n:05d}")
                if customer_id is None
                else interaction(customer_id, n),
            }
            for n in range(start, min(writes, start + MAX_BATCH_OPERATIONS))
        ]
        answer = http.post(f"{url}/api/v1/batch", json={"operations": operations}, timeout=120)
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
    # As long a wait as the bare requests get: the machine is shared, a stall is not a failure.
    engine = SyncEngine(
        cache, lambda: ApiClient(url, token=token, timeout_s=120), batch_size=batch_size
    )
    client = ApiClient(url, token=token, timeout_s=120)
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


@dataclass
class Backend:
    """One ``agent-server`` process, signed in as the desk's agent; ``meter`` is its server
    CPU so far (the process's, plus the database cluster's on PostgreSQL)."""

    process: subprocess.Popen[bytes]
    url: str
    token: str
    team: int
    meter: Callable[[], float]
    database_meter: Callable[[], float]  # the PostgreSQL cluster's part of ``meter`` (or 0)

    def new_customer(self, tag: str) -> int:
        answer = requests.post(
            f"{self.url}/api/v1/customers",
            json=customer(self.team, tag),
            headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": uuid.uuid4().hex},
            timeout=120,
        )
        answer.raise_for_status()
        return int(answer.json()["id"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def seed(where: list[str]) -> None:
    subprocess.run(
        [*_SERVER, *where, "--seed", "scale", "--customers", "200", *_NO_CALLS],
        check=True,
        cwd=ROOT,
    )


def serve(where: list[str], postmaster: int | None = None) -> Backend:
    port = free_port()
    process = subprocess.Popen(
        [*_SERVER, *where, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process)
    with ApiClient(url) as client:
        grant = client.login("wangfang", PASSWORD)
    pid = process.pid

    def database_meter() -> float:
        return 0.0 if postmaster is None else cluster_cpu_s(postmaster)

    def meter() -> float:
        return server_cpu_s(pid) + database_meter()

    team = grant.user.team.id if grant.user.team else 1
    return Backend(process, url, grant.token, team, meter, database_meter)


@dataclass(frozen=True)
class Measured:
    """The push benchmark's measurements on one backend (names as in the README table)."""

    floor: tuple[int, float, float]  # bare POSTs: writes, seconds, server CPU seconds
    batches: tuple[int, float, float]
    engine: tuple[int, float, float]
    single: tuple[int, float, float]


def measure(backend: Backend, writes: int, tmp: Path) -> Measured:
    url, token, team, meter = backend.url, backend.token, backend.team, backend.meter
    bare_posts(url, token, team, 50, "WARM")  # the server's first requests
    floor = timed(meter, lambda: bare_posts(url, token, team, writes, "BARE"))
    batches = timed(meter, lambda: bare_batches(url, token, team, writes, "RAW"))
    engine = timed(meter, lambda: engine_push(url, token, team, writes, tmp, "BATCHED", 200)[0])
    single = timed(meter, lambda: engine_push(url, token, team, writes, tmp, "SINGLE", 1)[0])
    return Measured(floor, batches, engine, single)


def push_figures(m: Measured, sql_cpu: float, writes: int, bare_sql: str) -> list[Figure]:
    floor_rate = m.floor[0] / m.floor[1]
    bare_sql_ms = sql_cpu / writes * 1000
    post = "one bare POST per record"
    return [
        Figure(
            "push: the sync engine, batches of 200",
            m.engine[0] / m.engine[1],
            "/s",
            floor_rate,
            post,
            "≥ 10× floor",
        ),
        Figure(
            "push: the sync engine, one request per write (a server before 1.2)",
            m.single[0] / m.single[1],
            "/s",
            floor_rate,
            post,
        ),
        Figure(
            "operations applied on one instance (bare batches of 200)",
            m.batches[0] / m.batches[1],
            "/s",
            floor_rate,
            post,
            "≥ 2,000/s",
        ),
        Figure(
            f"operations applied on one instance, beside the same rows in {bare_sql}",
            m.batches[0] / m.batches[1],
            "/s",
            writes / sql_cpu,
            f"{bare_sql}, one transaction per write (CPU only)",
        ),
        Figure(
            "server CPU per write, batched (engine)",
            m.engine[2] / m.engine[0] * 1000,
            "ms",
            bare_sql_ms,
            f"the same SQL in {bare_sql}",
        ),
        Figure(
            "server CPU per write, one request each (bare POSTs)",
            m.floor[2] / m.floor[0] * 1000,
            "ms",
            bare_sql_ms,
            f"the same SQL in {bare_sql}",
        ),
        Figure(
            "server CPU per write, one request each (engine, fallback)",
            m.single[2] / m.single[0] * 1000,
            "ms",
            bare_sql_ms,
            f"the same SQL in {bare_sql}",
        ),
    ]


def run_sqlite(writes: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        where = ["--database", str(tmp / "server.sqlite")]
        seed(where)
        backend = serve(where)
        try:
            measured = measure(backend, writes, tmp)
        finally:
            backend.stop()
        sql_cpu = bare_sqlite_cpu_s(tmp, writes)
    figures = push_figures(measured, sql_cpu, writes, "bare sqlite3")
    record("push", figures, {"writes": writes, "database": "sqlite", "batch": 200})


Sides = dict[str, dict[str, list[float]]]  # kind -> side -> [writes, s, CPU s, database CPU s]


def _numbering_round(backend: Backend, caller: int | None, writes: int, tag: str) -> list[float]:
    database = backend.database_meter()
    n, s, cpu = timed(
        backend.meter,
        lambda: bare_batches(backend.url, backend.token, backend.team, writes, tag, caller),
    )
    return [n, s, cpu, backend.database_meter() - database]


def numbering_rounds(backends: dict[str, Backend], writes: int, rounds: int) -> Sides:
    """Bare batches of customer and call-record creates against each way of numbering the feed
    (``backends`` by side), in rounds whose order rotates so that the machine's noise falls on
    every side alike; the sums per kind and side."""
    sides = list(backends)
    totals: Sides = {
        kind: {side: [0.0, 0.0, 0.0, 0.0] for side in sides}
        for kind in ("customers", "interactions")
    }
    callers = {side: b.new_customer(f"CALLER-{side}") for side, b in backends.items()}
    for side, b in backends.items():  # each server's first batches, outside the figures
        _numbering_round(b, None, MAX_BATCH_OPERATIONS, "WARM-N")
        _numbering_round(b, callers[side], MAX_BATCH_OPERATIONS, "WARM-N")
    for r in range(rounds):
        for kind, sums in totals.items():
            for side in sides[r % len(sides) :] + sides[: r % len(sides)]:
                caller = callers[side] if kind == "interactions" else None
                measured = _numbering_round(backends[side], caller, writes, f"N{r}")
                sums[side] = [a + b for a, b in zip(sums[side], measured, strict=True)]
    return totals


AT_INSERT = "numbered at insert: the trigger dropped (a floor, not shippable)"
SIDE_NAMES = {
    "shipped": "numbered at commit, as shipped",
    "per_row": "numbered at commit one row per trigger call (0004)",
}


def numbering_figures(totals: Sides) -> list[Figure]:
    figures: list[Figure] = []
    for kind, what in (("customers", "customer creates"), ("interactions", "call records")):
        floor = totals[kind]["insert"]
        for side, sums in totals[kind].items():
            if side == "insert":
                continue
            how = SIDE_NAMES[side]
            figures += [
                Figure(
                    f"{what} applied (bare batches of 200), {how}",
                    sums[0] / sums[1],
                    "/s",
                    floor[0] / floor[1],
                    AT_INSERT,
                ),
                Figure(
                    f"server CPU per write ({what}, app + PostgreSQL), {how}",
                    sums[2] / sums[0] * 1000,
                    "ms",
                    floor[2] / floor[0] * 1000,
                    AT_INSERT,
                ),
                Figure(
                    f"PostgreSQL's CPU per write ({what}), {how}",
                    sums[3] / sums[0] * 1000,
                    "ms",
                    floor[3] / floor[0] * 1000,
                    AT_INSERT,
                ),
            ]
    return figures


def run_postgres(writes: int, rounds: int) -> None:
    postgres = PostgresServer()
    backends: list[Backend] = []
    try:
        postmaster = postgres.postmaster_pid()
        shipped_url = postgres.create_database("push")
        urls = {"shipped": shipped_url, "insert": postgres.create_database("push_at_insert")}
        for url in urls.values():
            seed(["--database-url", url])
        number_at_insert(urls["insert"])
        source = trigger_function(shipped_url)
        if "aw.numbered" in source:  # 0005 is in: 0004's way beside it, in the same run
            urls["per_row"] = postgres.create_database("push_per_row")
            seed(["--database-url", urls["per_row"]])
            number_per_row(urls["per_row"])
        by_side: dict[str, Backend] = {}
        for side, url in urls.items():
            by_side[side] = serve(["--database-url", url], postmaster)
            backends.append(by_side[side])
        shipped = by_side["shipped"]
        with tempfile.TemporaryDirectory() as scratch:
            measured = measure(shipped, writes, Path(scratch))
        totals = numbering_rounds(by_side, writes, rounds)
        for backend in backends:
            backend.stop()
        backends.clear()
        sql_cpu = bare_sql_cpu_s(postgres.create_database("push_bare"), postmaster, writes)
    finally:
        for backend in backends:
            backend.stop()
        postgres.stop()
    figures = push_figures(measured, sql_cpu, writes, "bare PostgreSQL")
    figures += numbering_figures(totals)
    record(
        "push_postgres",
        figures,
        {
            "writes": writes,
            "database": "postgresql",
            "batch": 200,
            "numbering_rounds": rounds,
            "numbering": "per transaction (0005)" if "aw.numbered" in source else "per row (0004)",
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=4000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--rounds", type=int, default=3, help="PostgreSQL: rounds of the numbering comparison"
    )
    args = parser.parse_args()
    if args.backend == "sqlite":
        run_sqlite(args.writes)
    else:
        run_postgres(args.writes, args.rounds)
    print(f"python {sys.version.split()[0]}", file=sys.stderr)


if __name__ == "__main__":
    main()
