"""What Prometheus metrics add to a request (issue 18): the same requests through the same app
with the metrics middleware (``RequestMetrics``: a counter and a histogram a request, the
request id the JSON logs carry) and without it (the floor), in alternating rounds of one run.

The app is driven as ASGI in this process (no sockets, no client), so the difference is the
server's own: two requests, the cheapest (``GET /health/live``, where the middleware's share is
largest) and a typical one of a desk (``GET /api/v1/customers/{id}`` with a bearer token: the
token from the cache, one record by key from SQLite). The process's CPU per request (not wall
time: the machine is shared); the median of the rounds, on and off alternating.

Usage: ``python -m bench.bench_metrics --requests 1000 --rounds 15`` (full size; ``--requests
300 --rounds 3`` while developing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from bench.results import Figure, record
from server_stub.clock import system_clock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.main import create_app
from server_stub.seed import DEMO_PASSWORD, seed_demo
from sync.contract import version as contract

Headers = list[tuple[bytes, bytes]]


async def call(
    app: FastAPI, method: str, path: str, headers: Headers, body: bytes = b""
) -> tuple[int, bytes]:
    """One request through the ASGI app; its status and body."""
    status = 0
    answer: list[bytes] = []
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)  # a disconnect that never comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]
        elif message["type"] == "http.response.body":
            answer.append(message.get("body", b""))  # type: ignore[arg-type]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8640),
    }
    await app(scope, receive, send)  # type: ignore[arg-type]
    return status, b"".join(answer)


async def per_request_us(app: FastAPI, path: str, headers: Headers, count: int) -> float:
    """CPU of this process (every thread: sync routes run in the pool) per request: other
    programs on the machine do not count, as they would in wall time."""
    started = time.process_time()
    for _ in range(count):
        status, _ = await call(app, "GET", path, headers)
        assert status == 200, (path, status)
    return (time.process_time() - started) / count * 1e6


async def run(requests: int, rounds: int) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
    url = ServerSettings.sqlite_file(folder / "bench.sqlite")
    database = Database(url)
    migrate(database.engine)
    clock = system_clock()
    with database.session() as session:
        seed_demo(session, now=clock.now())
    settings = ServerSettings(database_url=url, token_lifetime=timedelta(hours=1))
    on = create_app(settings, database, clock, background=False)
    off = create_app(replace(settings, metrics=False), database, clock, background=False)
    # Signed in through the app itself, for a real token.
    login = json.dumps({"username": "wangfang", "password": DEMO_PASSWORD}).encode()
    json_type = [(b"content-type", b"application/json")]
    status, answer = await call(on, "POST", "/api/v1/auth/login", json_type, login)
    assert status == 200, answer
    token = json.loads(answer)["token"]
    speaks = (contract.HEADER.lower().encode(), str(contract.CONTRACT).encode())
    desk: Headers = [(b"authorization", f"Bearer {token}".encode()), speaks]
    cases = [
        ("GET /health/live", "/health/live", []),
        ("GET /api/v1/customers/{id} (signed in)", "/api/v1/customers/1", desk),
    ]
    figures = []
    for what, path, headers in cases:
        await per_request_us(on, path, headers, requests // 5)  # warm both
        await per_request_us(off, path, headers, requests // 5)
        with_metrics, without = [], []
        for _ in range(rounds):
            with_metrics.append(await per_request_us(on, path, headers, requests))
            without.append(await per_request_us(off, path, headers, requests))
        value, floor = statistics.median(with_metrics), statistics.median(without)
        figures.append(
            Figure(
                what=f"{what} with metrics",
                value=value,
                unit="µs",
                floor=floor,
                floor_what="the same app without the metrics middleware",
                aim="≤ 1.10× (a few µs a request)",
                detail={"added_us": value - floor},
            )
        )
    database.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000, help="requests a round")
    parser.add_argument("--rounds", type=int, default=15, help="rounds with and without")
    args = parser.parse_args()
    figures = asyncio.run(run(args.requests, args.rounds))
    record("metrics", figures, {"requests": args.requests, "rounds": args.rounds})


if __name__ == "__main__":
    main()
