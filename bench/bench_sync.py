"""Sync benchmark: a desktop's first pull, pushing a queue of offline writes, and how long the UI
thread is blocked while a sync runs.

The backend runs as its own process (``agent-server`` on SQLite, loopback), seeded with
``--seed scale``; this process is the desktop. Each figure comes with its floor measured in the
same run: the bare feed download (requests + JSON, no cache), one bare ``requests`` POST per
record, and the GUI thread's timer with nothing syncing.

Usage: ``python -m bench.bench_sync --customers 100000 --interactions-per-customer 3``.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from agent_desktop.messages import MessageBridge
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from bench.results import Figure, record
from sync.cache import open_cache
from sync.client import ApiClient
from sync.engine import SyncEngine

PASSWORD = "demo1234"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_server(db: Path, customers: int, per_customer: int) -> tuple[subprocess.Popen[str], str]:
    server = [sys.executable, "-m", "server_stub", "--database", str(db)]
    started = time.perf_counter()
    subprocess.run(
        [
            *server,
            "--seed",
            "scale",
            "--customers",
            str(customers),
            "--interactions-per-customer",
            str(per_customer),
            "--seed-only",
            "--log-level",
            "warning",
        ],
        check=True,
    )
    print(f"seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    port = free_port()
    process = subprocess.Popen(
        [*server, "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{url}/api/v1/health", timeout=1)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not start")


def bare_feed(url: str, token: str) -> tuple[int, float]:
    """The floor: download and decode every page, store nothing."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    after, count = 0, 0
    while True:
        page = http.get(
            f"{url}/api/v1/changes", params={"after": after, "limit": 1000}, timeout=60
        ).json()
        count += len(page["changes"])
        after = page["cursor"]
        if not page["has_more"]:
            return count, time.perf_counter() - started


def bench_pull(url: str, tmp: Path, page_size: int, figures: list[Figure]) -> list[str]:
    with ApiClient(url) as client:
        grant = client.login("admin", PASSWORD)
    floor_count, floor_s = bare_feed(url, grant.token)
    before = rss_mb()
    cache = open_cache(tmp / "pull.sqlite", f"{url}|admin").cache
    engine = SyncEngine(
        cache, lambda: ApiClient(url, token=grant.token), page_size=page_size, snapshots=False
    )
    client = ApiClient(url, token=grant.token)
    started = time.perf_counter()
    applied = engine.pull(client)
    took = time.perf_counter() - started
    peak = rss_mb()
    customers, interactions = cache.count("customer"), cache.count("interaction")
    cache.close()
    size_mb = (tmp / "pull.sqlite").stat().st_size / 1e6
    figures += [
        Figure(
            f"first pull into the cache ({applied:,} changes)",
            applied / took,
            "records/s",
            floor_count / floor_s,
            "bare feed download, no cache",
            detail={"seconds": took, "floor_seconds": floor_s},
        ),
        Figure(
            "peak RSS of the desktop process during the pull",
            peak,
            "MB",
            detail={"before_mb": before, "cache_file_mb": size_mb},
        ),
    ]
    return [
        f"| first pull: bare feed download, no cache (floor) | {floor_count:,} changes | "
        f"{floor_s:.1f} s | {floor_count / floor_s:,.0f} | 1.00 |",
        f"| first pull into the cache ({customers:,} customers, {interactions:,} interactions) | "
        f"{applied:,} changes | {took:.1f} s | {applied / took:,.0f} | "
        f"{(applied / took) / (floor_count / floor_s):.2f} |",
        f"| peak RSS of the desktop process during the pull | {peak:,.0f} MB "
        f"(before: {before:,.0f} MB) | cache file {size_mb:,.0f} MB | | |",
    ]


def bench_push(url: str, tmp: Path, writes: int, figures: list[Figure]) -> list[str]:
    with ApiClient(url) as client:
        grant = client.login("wangfang", PASSWORD)
    team = grant.user.team.id if grant.user.team else 1
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {grant.token}"
    started = time.perf_counter()
    for n in range(writes):  # the baseline: one bare request per record
        answer = http.post(
            f"{url}/api/v1/customers",
            json={"code": f"BARE-{n:05d}", "name": f"基线 {n}", "team_id": team},
            headers={"Idempotency-Key": uuid.uuid4().hex},
            timeout=30,
        )
        answer.raise_for_status()
    bare_s = time.perf_counter() - started

    cache = open_cache(tmp / "push.sqlite", f"{url}|wangfang").cache
    started = time.perf_counter()
    futures = [
        cache.create("customer", {"code": f"PUSH-{n:05d}", "name": f"离线 {n}", "team_id": team})
        for n in range(writes)
    ]
    for future in futures:
        future.result()
    queue_s = time.perf_counter() - started
    engine = SyncEngine(cache, lambda: ApiClient(url, token=grant.token))
    client = ApiClient(url, token=grant.token)
    started = time.perf_counter()
    sent = engine.push(client)
    push_s = time.perf_counter() - started
    if sent != writes or cache.counts().waiting:
        raise RuntimeError(f"pushed {sent} of {writes}")
    cache.close()
    figures += [
        Figure(f"queue {writes:,} writes offline", writes / queue_s, "writes/s"),
        Figure(
            "push of the queued writes by the sync engine",
            sent / push_s,
            "records/s",
            writes / bare_s,
            "one bare requests POST per record",
        ),
    ]
    return [
        f"| queue {writes:,} writes offline (local transaction each) | {writes:,} | "
        f"{queue_s:.2f} s | {writes / queue_s:,.0f} | |",
        f"| push: one bare `requests` POST per record (baseline) | {writes:,} | {bare_s:.1f} s | "
        f"{writes / bare_s:,.0f} | 1.00 |",
        f"| push of the queued writes by the sync engine | {sent:,} | {push_s:.1f} s | "
        f"{sent / push_s:,.0f} | {(sent / push_s) / (writes / bare_s):.2f} |",
    ]


def gaps_while(app: QApplication, done: Callable[[], bool], limit_s: float) -> list[float]:
    """Intervals (ms) between ticks of a 5 ms timer on the GUI thread until ``done()``."""
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    deadline = time.monotonic() + limit_s
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return gaps


def bench_ui_stall(url: str, tmp: Path, page_size: int, figures: list[Figure]) -> list[str]:
    app = QApplication.instance() or QApplication([])
    gc.freeze()  # as Workstation.run() does once the app is built
    idle = gaps_while(app, lambda: False, 3.0)
    tasks = TaskRunner()
    sync = SyncService(tasks, MessageBridge(), tmp / "profile", page_size=page_size)
    with ApiClient(url) as client:
        grant = client.login("admin", PASSWORD)
    sync.start(url, grant)
    started = time.monotonic()
    busy = gaps_while(
        app,
        lambda: sync.status.state == "online" and sync.status.last_synced is not None,
        600,
    )
    took = time.monotonic() - started
    records = sync.cache.count() if sync.cache else 0
    sync.close_now()
    tasks.shutdown()
    QCoreApplication.processEvents()

    def p99(values: list[float]) -> float:
        return statistics.quantiles(values, n=100)[98]

    figures.append(
        Figure(
            f"GUI thread's longest gap (5 ms timer) during a first sync of {records:,} records",
            max(busy),
            "ms",
            max(idle),
            "the same timer, idle",
            detail={"p99": p99(busy), "floor_p99": p99(idle), "sync_seconds": took},
        )
    )
    return [
        f"| GUI thread, 5 ms timer, idle (baseline) | longest gap {max(idle):.1f} ms | "
        f"p99 {p99(idle):.1f} ms | | 1.00 |",
        f"| GUI thread during a first sync of {records:,} records ({took:.0f} s) | "
        f"longest gap {max(busy):.1f} ms | p99 {p99(busy):.1f} ms | | "
        f"{max(busy) / max(idle):.2f} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--interactions-per-customer", type=int, default=3)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        server, url = start_server(
            tmp / "server.sqlite", args.customers, args.interactions_per_customer
        )
        figures: list[Figure] = []
        try:
            lines = [
                "| what | amount | time | records/s | ratio to baseline |",
                "| --- | --- | --- | --- | --- |",
                *bench_pull(url, tmp, args.page_size, figures),
                *bench_push(url, tmp, args.writes, figures),
                *bench_ui_stall(url, tmp, args.page_size, figures),
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("\n".join(lines))
    record("sync", figures, vars(args))


if __name__ == "__main__":
    main()
