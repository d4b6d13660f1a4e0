"""Event fan-out: N open event streams on one server process while presence writes go on.

The server runs in its own process (``agent-server``, SQLite by default, ``--postgres`` for
Debian's PostgreSQL on a loopback port); the client is one asyncio process holding N raw SSE
streams and writing presence changes over keep-alive connections. Reported:

- event delivery (write sent → event read on each stream) p50/p95 at a steady write rate,
  beside the floor: a bare asyncio server in its own process that answers the same writes and
  fans the same frame to the same N sockets (no database, no auth, no framework);
- the write rate one process sustains (closed loop) with the N streams open, beside the same
  server with no streams open (the floor: what the streams cost the writes);
- deliveries missing (every stream must get every write's event once).

Usage: ``python -m bench.bench_fanout --streams 400 --rate 25 --seconds 10`` (``make bench``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.results import Figure, record
from server_stub.seed import DEMO_PASSWORD
from tests.fakes.postgres import PostgresServer

REASON = re.compile(rb'"reason": ?"w(\d+)"')
WRITERS = ("alice", "wangfang", "chenjie", "zhangwei")  # team 0's desks
CONNECT_BATCH = 50  # streams opened at once (a burst of 400 would be a reconnect storm)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pct(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100)[q - 1]


# -- the floor: a bare asyncio broadcast server ----------------------------------------------


async def bare_server(port: int) -> None:
    """GET: an SSE stream; PUT: answered at once, its frame written to every stream."""
    streams: set[asyncio.StreamWriter] = set()
    next_id = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal next_id
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if head.startswith(b"GET"):
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nretry: 2000\n\n"
                    )
                    streams.add(writer)
                    await reader.read()  # until the client goes
                    return
                length = int(re.search(rb"Content-Length: (\d+)", head, re.I)[1])  # type: ignore[index]
                body = await reader.readexactly(length)
                next_id += 1
                frame = b'id: %d\nevent: presence\ndata: {"data": %s}\n\n' % (next_id, body)
                for stream in streams:
                    stream.write(frame)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            streams.discard(writer)
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


# -- the client ------------------------------------------------------------------------------


@dataclass
class Run:
    sent: dict[int, float] = field(default_factory=dict)  # write number → perf_counter sent
    delivery_ms: list[float] = field(default_factory=list)
    write_ms: list[float] = field(default_factory=list)
    received: int = 0


async def hold_stream(port: int, token: str, run: Run, ready: asyncio.Event) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(
        f"GET /api/v1/events?timeout_s=3600 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    try:
        while line := await reader.readline():
            if line.startswith(b"retry:"):
                ready.set()
            elif line.startswith(b"data:"):
                found = REASON.search(line)
                if found is not None:
                    sent = run.sent.get(int(found[1]))
                    if sent is not None:
                        run.delivery_ms.append((time.perf_counter() - sent) * 1e3)
                        run.received += 1
    finally:
        writer.close()


async def open_streams(
    port: int, tokens: list[str], count: int, run: Run
) -> list[asyncio.Task[None]]:
    tasks = []
    for first in range(0, count, CONNECT_BATCH):
        batch = []
        for n in range(first, min(count, first + CONNECT_BATCH)):
            ready = asyncio.Event()
            tasks.append(
                asyncio.create_task(hold_stream(port, tokens[n % len(tokens)], run, ready))
            )
            batch.append(ready)
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in batch)), 60)
    return tasks


class Writer:
    """One keep-alive connection writing presence changes."""

    def __init__(self, port: int, token: str) -> None:
        self._port, self._token = port, token
        self._conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def put(self, number: int, run: Run) -> None:
        if self._conn is None:
            self._conn = await asyncio.open_connection("127.0.0.1", self._port)
        reader, writer = self._conn
        body = json.dumps({"state": "not_ready", "reason": f"w{number}"}).encode()
        started = time.perf_counter()
        run.sent[number] = started
        writer.write(
            b"PUT /api/v1/presence/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (self._token.encode(), len(body), body)
        )
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"content-length: (\d+)", head, re.I)[1])  # type: ignore[index]
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"write refused: {head[:40]!r}")
        run.write_ms.append((time.perf_counter() - started) * 1e3)

    def close(self) -> None:
        if self._conn is not None:
            self._conn[1].close()


async def steady_writes(writers: list[Writer], rate: float, seconds: float, run: Run) -> None:
    """One write every 1/rate s (each on a free connection), for ``seconds``."""
    free: asyncio.Queue[Writer] = asyncio.Queue()
    for w in writers:
        free.put_nowait(w)
    pending = []
    start = time.perf_counter()
    total = int(rate * seconds)

    async def one(number: int) -> None:
        writer = await free.get()
        try:
            await writer.put(number, run)
        finally:
            free.put_nowait(writer)

    for number in range(total):
        await asyncio.sleep(max(0.0, start + number / rate - time.perf_counter()))
        pending.append(asyncio.create_task(one(number)))
    await asyncio.gather(*pending)


async def closed_loop_writes(writers: list[Writer], seconds: float, run: Run, base: int) -> float:
    """Writes as fast as the server answers them, one at a time per connection: writes/s."""
    deadline = time.perf_counter() + seconds
    counter = iter(range(base, base + 10_000_000))

    async def loop(writer: Writer) -> int:
        done = 0
        while time.perf_counter() < deadline:
            await writer.put(next(counter), run)
            done += 1
        return done

    started = time.perf_counter()
    done = sum(await asyncio.gather(*(loop(w) for w in writers)))
    return done / (time.perf_counter() - started)


async def settle(run: Run, expected: int, timeout_s: float) -> None:
    """Wait (bounded) for the deliveries still on their way."""
    deadline = time.perf_counter() + timeout_s
    while run.received < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)


@dataclass
class Phase:
    delivery_p50: float
    delivery_p95: float
    write_p50: float
    write_p95: float
    missing: int


async def fan_out_phase(
    port: int, stream_tokens: list[str], writer_tokens: list[str], args: argparse.Namespace
) -> tuple[Phase, list[asyncio.Task[None]], list[Writer], Run]:
    run = Run()
    tasks = await open_streams(port, stream_tokens, args.streams, run)
    writers = [Writer(port, token) for token in writer_tokens]
    await steady_writes(writers, args.rate, args.seconds, run)
    expected = args.streams * len(run.sent)
    await settle(run, expected, 30)
    phase = Phase(
        pct(run.delivery_ms, 50),
        pct(run.delivery_ms, 95),
        pct(run.write_ms, 50),
        pct(run.write_ms, 95),
        expected - run.received,
    )
    return phase, tasks, writers, run


async def stop(tasks: list[asyncio.Task[None]], writers: list[Writer]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    for w in writers:
        w.close()


# -- processes -------------------------------------------------------------------------------


@contextlib.contextmanager
def process(command: list[str], port: int) -> Iterator[None]:
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[:3]} did not start")
            time.sleep(0.05)
        yield
    finally:
        proc.terminate()
        proc.wait(30)


def login(port: int, user: str) -> str:
    answer = requests.post(
        f"http://127.0.0.1:{port}/api/v1/auth/login",
        json={"username": user, "password": DEMO_PASSWORD},
        timeout=30,
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def server_run(url: str, args: argparse.Namespace) -> tuple[Phase, float, float]:
    port = free_port()
    command = [sys.executable, "-m", "server_stub", "--database-url", url, "--seed", "demo"]
    with process([*command, "--port", str(port), "--log-level", "warning"], port):
        # Team 0's agents and lead: every stream may see every presence event. Each write
        # connection is its own user (one agent's desk writes its own presence).
        tokens = [login(port, u) for u in WRITERS[: args.writers]]

        async def main() -> tuple[Phase, float, float]:
            alone_writers = [Writer(port, t) for t in tokens]
            alone = await closed_loop_writes(alone_writers, args.seconds, Run(), 1_000_000)
            for w in alone_writers:
                w.close()
            phase, tasks, writers, run = await fan_out_phase(port, tokens, tokens, args)
            loaded = await closed_loop_writes(writers, args.seconds, run, 2_000_000)
            await stop(tasks, writers)
            return phase, alone, loaded

        return asyncio.run(main())


def bare_run(args: argparse.Namespace) -> Phase:
    port = free_port()
    code = f"import asyncio, bench.bench_fanout as b; asyncio.run(b.bare_server({port}))"
    with process([sys.executable, "-c", code], port):

        async def main() -> Phase:
            tokens = ["bare"] * args.writers
            phase, tasks, writers, _run = await fan_out_phase(port, tokens, tokens, args)
            await stop(tasks, writers)
            return phase

        return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=400)
    parser.add_argument("--rate", type=float, default=25.0, help="presence writes per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="each phase's length")
    parser.add_argument(
        "--writers",
        type=int,
        default=4,
        choices=range(1, len(WRITERS) + 1),
        help="write connections",
    )
    parser.add_argument("--postgres", action="store_true", help="Debian's PostgreSQL, not SQLite")
    args = parser.parse_args()
    bare = bare_run(args)
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            pg = PostgresServer()
            try:
                phase, alone, loaded = server_run(pg.create_database("fanout"), args)
            finally:
                pg.stop()
        else:
            phase, alone, loaded = server_run(f"sqlite:///{Path(tmp) / 'fanout.sqlite'}", args)
    store = "PostgreSQL" if args.postgres else "SQLite"
    n = args.streams
    floor = f"bare asyncio broadcast, {n} sockets"
    figures = [
        Figure(
            f"event delivery p50, {n} streams, {args.rate:g} writes/s ({store})",
            phase.delivery_p50,
            "ms",
            bare.delivery_p50,
            floor,
        ),
        Figure(
            f"event delivery p95, {n} streams, {args.rate:g} writes/s ({store})",
            phase.delivery_p95,
            "ms",
            bare.delivery_p95,
            floor,
            aim="≤ 500 ms",
        ),
        Figure(
            f"write p95 at {args.rate:g} writes/s with {n} streams ({store})",
            phase.write_p95,
            "ms",
            bare.write_p95,
            floor,
            aim="≤ 200 ms",
        ),
        Figure(
            f"writes/s one process sustains with {n} streams open ({store})",
            loaded,
            "/s",
            alone,
            "the same server, no streams open",
        ),
        Figure(
            f"deliveries missing ({n} streams × {args.rate * args.seconds:g} writes)",
            float(phase.missing),
            "",
            float(bare.missing),
            floor,
            aim="0",
        ),
    ]
    record(
        f"fanout_{store.lower()}",
        figures,
        {"streams": n, "rate": args.rate, "seconds": args.seconds, "writers": args.writers},
    )


if __name__ == "__main__":
    main()
