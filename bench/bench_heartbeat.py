"""Presence heartbeat cost on the server (issue 26): CPU per ``POST /presence/heartbeat`` from
N signed-in desks, beside the floor of a bare authenticated GET (``GET /presence/me``: the
token from the cache, one row by key) and ``GET /health`` (HTTP alone), measured in the same
run against the same server process. The heartbeats' CPU includes the flushes that ran
meanwhile (one batched UPDATE per 5 s, whatever the number of desks).

The backend runs as its own process (``agent-server``, SQLite, ``--seed centre``); its CPU is
read from ``/proc/<pid>/stat`` before and after each kind of request, so the client's CPU is
not counted. Requests go round-robin over the desks' tokens from a few keep-alive sessions in
threads (the 400 desks' pace is one heartbeat each 15 s: ~27 a second; this sends as fast as
the server answers, so the figure is the server's cost, not a rate).

Usage: ``python -m bench.bench_heartbeat --desks 400 --requests 4000`` (full size; ``--desks
40 --requests 600`` while developing).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.results import Figure, record
from server_stub.seed import DEMO_PASSWORD
from server_stub.seed_centre import desk_name
from tests.fakes.waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 4  # client connections in parallel
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def hammer(send: Callable[[requests.Session, int], None], total: int) -> float:
    """``total`` requests from SESSIONS threads; returns the wall seconds."""
    counter = iter(range(total))
    lock = threading.Lock()

    def worker() -> None:
        with requests.Session() as http:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                send(http, n)

    threads = [threading.Thread(target=worker) for _ in range(SESSIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desks", type=int, default=400)
    parser.add_argument("--requests", type=int, default=4000, help="of each kind")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-heartbeat-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server_stub",
            "--database",
            str(folder / "server.sqlite"),
            "--seed",
            "centre",
            "--agents",
            str(args.desks),
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:

        def up() -> bool:
            try:
                return requests.get(f"{url}/api/v1/health", timeout=1).ok
            except requests.RequestException:
                return False

        wait_until(up, 120, "the backend to answer")
        tokens = []
        with requests.Session() as http:
            for index in range(args.desks):
                answer = http.post(
                    f"{url}/api/v1/auth/login",
                    json={"username": desk_name(index), "password": DEMO_PASSWORD},
                    # A sign-in hashes at production cost; the server builds its snapshots
                    # meanwhile on a shared machine.
                    timeout=300,
                )
                answer.raise_for_status()
                token = answer.json()["token"]
                tokens.append(token)
                http.put(
                    f"{url}/api/v1/presence/me",
                    json={"state": "ready"},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                ).raise_for_status()

        def auth(n: int) -> dict[str, str]:
            return {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}

        def health(http: requests.Session, _n: int) -> None:
            http.get(f"{url}/api/v1/health", timeout=30).raise_for_status()

        def presence_me(http: requests.Session, n: int) -> None:
            http.get(f"{url}/api/v1/presence/me", headers=auth(n), timeout=30).raise_for_status()

        def heartbeat(http: requests.Session, n: int) -> None:
            http.post(
                f"{url}/api/v1/presence/heartbeat",
                json={"state": "ready"},
                headers=auth(n),
                timeout=30,
            ).raise_for_status()

        # Warm every token into the auth cache, and the routes' code paths.
        for kind in (presence_me, heartbeat, health):
            hammer(kind, len(tokens))
        measured: dict[str, tuple[float, float]] = {}
        for name, kind in (
            ("health", health),
            ("presence_me", presence_me),
            ("heartbeat", heartbeat),
        ):
            before = cpu_s(server.pid)
            wall = hammer(kind, args.requests)
            measured[name] = ((cpu_s(server.pid) - before) / args.requests * 1e3, wall)
    finally:
        server.terminate()
        server.wait(timeout=30)
    health_ms, presence_ms, beat_ms = (
        measured[k][0] for k in ("health", "presence_me", "heartbeat")
    )
    figures = [
        Figure(
            "server CPU per heartbeat",
            beat_ms,
            "ms",
            floor=presence_ms,
            floor_what="GET /presence/me: authenticated, one row",
            aim="≤ 1× the floor",
        ),
        Figure(
            "server CPU per heartbeat, against HTTP alone",
            beat_ms,
            "ms",
            floor=health_ms,
            floor_what="GET /health",
        ),
        Figure(
            f"server CPU for {args.desks} desks' heartbeats (one each 15 s)",
            beat_ms * args.desks / 15 / 1e3 * 100,
            "% of a core",
            floor=presence_ms * args.desks / 15 / 1e3 * 100,
            floor_what="the same rate of GET /presence/me",
        ),
    ]
    record(
        "heartbeat",
        figures,
        {"desks": args.desks, "requests": args.requests, "sessions": SESSIONS, "store": "sqlite"},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
