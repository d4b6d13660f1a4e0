"""Backend benchmark: customer lookup by phone on N customers, and change-feed throughput,
on SQLite and on PostgreSQL (Debian's server, started here on a loopback port).

For each store: the floor (the same indexed query through the bare driver) beside the full
path a desktop takes (HTTP, auth, team scope, normalisation, JSON), so the figures come with
their baseline. Usage: ``python -m bench.bench_backend --customers 1000000``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import requests
from sqlalchemy import create_engine

from bench.results import Figure, record
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.seed import seed_scale
from sync.clock import system_clock
from tests.fakes.postgres import PostgresServer
from tests.fakes.servers import LiveBackend

FLOOR_SQL = (
    "SELECT * FROM customers WHERE id IN "
    "(SELECT customer_id FROM contacts WHERE phone_e164 = {param})"
)


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49], cuts[94]


def timed(op: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        op()
        out.append((time.perf_counter() - start) * 1e3)
    return out


def national(index: int) -> str:
    """How a trunk might send the n-th generated number: national format with spaces."""
    digits = str(13_000_000_000 + index)
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}"


def run_store(
    name: str,
    url: str,
    customers: int,
    rounds: int,
    feed_records: int,
    floor: Callable[[str], object],
) -> tuple[list[str], list[Figure]]:
    database = Database(url)
    migrate(database.engine)
    started = time.monotonic()
    with database.session() as session:
        seed_scale(session, customers, now=system_clock().now())
    seed_s = time.monotonic() - started
    database.dispose()
    rng = random.Random(7)
    picks = [rng.randrange(customers) for _ in range(rounds)]
    floor_ms = [timed(lambda i=i: floor(f"+86{13_000_000_000 + i}"), 1)[0] for i in picks]
    backend = LiveBackend(database_url=url, seed=False)
    try:
        http = requests.Session()
        token = http.post(
            f"{backend.url}/api/v1/auth/login", json={"username": "admin", "password": "demo1234"}
        ).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        lookup = f"{backend.url}/api/v1/customers/lookup"
        found = http.get(lookup, params={"phone": national(picks[0])}).json()
        assert len(found) == 1, found
        http_ms = [
            timed(lambda i=i: http.get(lookup, params={"phone": national(i)}).json(), 1)[0]
            for i in picks
        ]
        health = f"{backend.url}/api/v1/health"
        health_ms = timed(lambda: http.get(health).json(), rounds)
        pulled, cursor, started = 0, 0, time.perf_counter()
        while pulled < feed_records:
            page = http.get(
                f"{backend.url}/api/v1/changes", params={"after": cursor, "limit": 1000}
            ).json()
            pulled += len(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        feed_rate = pulled / (time.perf_counter() - started)
    finally:
        backend.stop()
    fp50, fp95 = percentiles(floor_ms)
    hp50, hp95 = percentiles(http_ms)
    tp50, tp95 = percentiles(health_ms)
    floor_what = f"{name}, same query, bare driver"
    figures = [
        Figure(f"{name}: seed {customers:,} customers", seed_s, "s"),
        Figure(
            f"{name}: lookup by phone, HTTP API, p50",
            hp50,
            "ms",
            fp50,
            floor_what,
            detail={"p95": hp95, "floor_p95": fp95},
        ),
        Figure(
            f"{name}: GET /health over HTTP (transport floor), p50",
            tp50,
            "ms",
            fp50,
            floor_what,
            detail={"p95": tp95},
        ),
        Figure(f"{name}: change feed over HTTP, pages of 1000", feed_rate, "records/s"),
    ]
    lines = [
        f"| {name} | seed {customers:,} customers | {seed_s:.1f} s | | |",
        f"| {name} | lookup by phone, bare driver (floor) | {fp50:.3f} ms | {fp95:.3f} ms | 1.00 |",
        f"| {name} | lookup by phone, HTTP API | {hp50:.3f} ms | {hp95:.3f} ms "
        f"| {hp50 / fp50:.1f} |",
        f"| {name} | GET /health over HTTP (transport floor) | {tp50:.3f} ms | {tp95:.3f} ms "
        f"| {tp50 / fp50:.1f} |",
        f"| {name} | change feed over HTTP, pages of 1000 | {feed_rate:,.0f} records/s "
        f"({pulled:,} pulled) | | |",
    ]
    return lines, figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--feed-records", type=int, default=200_000)
    parser.add_argument("--stores", default="sqlite,postgresql")
    args = parser.parse_args()
    lines = ["| store | what | p50 | p95 | ratio to floor p50 |", "| --- | --- | --- | --- | --- |"]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in args.stores:
            path = Path(tmp) / "bench.sqlite"
            url = f"sqlite:///{path}"
            engine = create_engine(url)
            raw = sqlite3.connect(path, check_same_thread=False)
            sql = FLOOR_SQL.format(param="?")
            store_lines, store_figures = run_store(
                "SQLite",
                url,
                args.customers,
                args.rounds,
                args.feed_records,
                lambda phone: raw.execute(sql, (phone,)).fetchall(),
            )
            lines += store_lines
            figures += store_figures
            engine.dispose()
        if "postgresql" in args.stores:
            server = PostgresServer()
            try:
                url = server.create_database("bench")
                conn = psycopg.connect(
                    f"host=127.0.0.1 port={server.port} user=postgres dbname=bench", autocommit=True
                )
                sql = FLOOR_SQL.format(param="%s")
                store_lines, store_figures = run_store(
                    "PostgreSQL",
                    url,
                    args.customers,
                    args.rounds,
                    args.feed_records,
                    lambda phone: conn.execute(sql, (phone,)).fetchall(),
                )
                lines += store_lines
                figures += store_figures
                conn.close()
            finally:
                server.stop()
    print("\n".join(lines))
    parameters = {
        "customers": args.customers,
        "rounds": args.rounds,
        "feed_records": args.feed_records,
        "stores": args.stores,
    }
    record("backend", figures, parameters)


if __name__ == "__main__":
    main()
