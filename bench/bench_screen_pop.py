"""Screen pop at scale: a local cache with N customers (default 1,000,000).

Reports the lookup through ``CustomerViews`` (number -> customer -> 360) beside a bare
``sqlite3`` query on the same index (the floor), and the time from the INVITE reaching the
softphone (its ``incoming_call`` signal) to the customer panel painted with the caller, over
real SIP calls from SIPp on loopback (each caller gives up after 0.5 s ringing).

    python -m bench.bench_screen_pop --customers 1000000 --calls 200
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from agent_desktop.services.screen_pop import ScreenPop, ScreenPopService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from bench.results import Figure, record
from softphone import Phone, PhoneConfig
from sync.cache import open_cache
from sync.clock import system_clock
from sync.customer_view import CustomerViews
from tests.fakes.sipp import Sipp


def number(n: int) -> str:
    return f"+86139{n:08d}"


def build(path: Path, customers: int) -> None:
    opened = open_cache(path, "bench|agent")
    opened.cache.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    batch: list[tuple[Any, ...]] = []
    phones: list[tuple[str, int]] = []
    for n in range(1, customers + 1):
        data = {
            "code": f"C-{n:07d}", "name": f"客户 {n}", "team_id": 1, "vip": n % 50 == 0,
            "language": "zh", "segment": "standard", "address": "", "notes": "",
            "contacts": [{"id": n, "name": f"王{n % 97}", "phone_e164": number(n), "extension": "",
                          "email": "", "kind": "mobile", "salutation": "mr"}],
        }  # fmt: skip
        batch.append(("customer", n, 1, json.dumps(data, ensure_ascii=False), "synced"))
        phones.append((number(n), n))
        if n % 2 == 0:  # every other customer has a product and a ticket
            asset = {"customer_id": n, "model": "IP-300", "serial_number": f"SN-{n:07d}",
                     "warranty_end": "2027-01-01", "purchase_date": "2024-01-01",
                     "consumables": []}  # fmt: skip
            batch.append(("asset", n, 1, json.dumps(asset), "synced"))
            ticket = {"customer_id": n, "number": f"SR-{n:07d}", "status": "in_progress",
                      "summary": "报警", "opened_at": "2026-11-20T08:00:00+00:00"}  # fmt: skip
            batch.append(("ticket", n, 1, json.dumps(ticket, ensure_ascii=False), "synced"))
        if len(batch) >= 50_000:
            flush(db, batch, phones)
    flush(db, batch, phones)
    db.close()


def flush(
    db: sqlite3.Connection, batch: list[tuple[Any, ...]], phones: list[tuple[str, int]]
) -> None:
    db.executemany(
        "INSERT INTO records (entity, id, version, data, state, server_deleted, error) "
        "VALUES (?, ?, ?, ?, ?, 0, '')",
        batch,
    )
    db.executemany("INSERT INTO phones (e164, customer_id) VALUES (?, ?)", phones)
    db.commit()
    batch.clear()
    phones.clear()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def lookups(path: Path, customers: int, rounds: int) -> tuple[list[float], list[float]]:
    views = CustomerViews(path)
    bare = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rng = random.Random(7)
    ours: list[float] = []
    floor: list[float] = []
    now = system_clock().now()
    for _ in range(rounds):
        n = rng.randint(1, customers)
        t0 = time.perf_counter()
        found = views.lookup(number(n))
        view = views.view(found.customers[0].id, found.key, now)
        ours.append((time.perf_counter() - t0) * 1000)
        assert view is not None
        t0 = time.perf_counter()
        bare.execute("SELECT customer_id FROM phones WHERE e164 = ?", (number(n),)).fetchall()
        floor.append((time.perf_counter() - t0) * 1000)
    views.close()
    return ours, floor


class PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted_at = 0.0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted_at = time.perf_counter()
        return False


def calls(path: Path, customers: int, count: int, tmp: Path) -> list[float]:
    app = QApplication.instance() or QApplication([])
    cache = open_cache(path, "bench|agent").cache

    class Desk:
        def __init__(self) -> None:
            self.cache = cache
            self.client_factory = None

    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1"))
    phone.wait_ready()  # the engine's process is up
    service = ScreenPopService(cast(SyncService, Desk()), TaskRunner())
    service.attach(phone)
    panel = CustomerPanel(system_clock().now)
    panel.resize(420, 700)
    panel.show()
    watch = PaintWatch()
    panel.greeting_label.installEventFilter(watch)
    delays: list[float] = []

    def popped(pop: ScreenPop) -> None:
        watch.painted_at = 0.0
        panel.show_pop(pop)
        panel.greeting_label.repaint()  # what the screen gets on the next frame
        if watch.painted_at and pop.view is not None:
            delays.append((watch.painted_at - pop.started) * 1000)

    service.popped.connect(popped)
    rng = random.Random(11)
    csv = tmp / "callers.csv"
    csv.write_text(
        "SEQUENTIAL\n" + "".join(f"{number(rng.randint(1, customers))};\n" for _ in range(count)),
        encoding="utf-8",
    )
    sipp = Sipp("uac_cancel_from", tmp, remote=phone.local_address, calls=count,
                timeout_s=count, extra=["-inf", str(csv), "-r", "4", "-l", "3"])  # fmt: skip
    deadline = time.monotonic() + count + 30
    while not sipp.finished and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    sipp.stop()
    phone.stop()
    service.close()
    cache.close()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "cache.sqlite"
        t0 = time.perf_counter()
        build(path, args.customers)
        print(f"built {args.customers:,} customers in {time.perf_counter() - t0:.0f} s")
        ours, floor = lookups(path, args.customers, args.rounds)
        delays = calls(path, args.customers, args.calls, tmp)
    print("| what | p50 ms | p95 ms | ratio to floor p50 |")
    print("| --- | --- | --- | --- |")
    f50 = statistics.median(floor)
    f95 = pct(floor, 0.95)
    print(f"| phone -> customer id, bare sqlite3 (floor) | {f50:.3f} | {f95:.3f} | 1.00 |")
    print(f"| phone -> customer 360 (`CustomerViews`) | {statistics.median(ours):.3f} | "
          f"{pct(ours, 0.95):.3f} | {statistics.median(ours) / f50:.1f} |")  # fmt: skip
    if delays:
        print(f"| INVITE at the softphone -> panel painted ({len(delays)} calls) | "
              f"{statistics.median(delays):.1f} | {pct(delays, 0.95):.1f} | |")  # fmt: skip
    figures = [
        Figure(
            "phone -> customer 360 (CustomerViews), p50",
            statistics.median(ours),
            "ms",
            f50,
            "phone -> customer id, bare sqlite3",
            detail={"p95": pct(ours, 0.95), "floor_p95": f95},
        )
    ]
    if delays:
        figures.append(
            Figure(
                f"INVITE at the softphone -> panel painted ({len(delays)} calls), p50",
                statistics.median(delays),
                "ms",
                detail={"p95": pct(delays, 0.95)},
            )
        )
    record("screen_pop", figures, vars(args))


if __name__ == "__main__":
    main()
