"""The ticket lists at scale: N tickets (default 50,000) in a local cache.

Reports, beside naive baselines on the same file:
- the read of every ticket row for the lists (``WorkViews.tickets``: fields extracted by SQLite,
  joined to customer, product and handler) against ``SELECT data`` + ``json.loads`` per row;
- filling the model and switching views / searching in the proxy (in memory);
- scrolling the real ``TicketsPanel`` table offscreen, a page at a time, painting each frame:
  the time per frame against the same table over a model with the same rows and no logic.

    QT_QPA_PLATFORM=offscreen python -m bench.bench_tickets --tickets 50000
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.work import WorkService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.models.tickets_model import COLUMNS, View
from agent_desktop.ui.panels.tickets_panel import TicketsPanel
from sync.cache import open_cache
from sync.work_views import WorkViews
from tests.fakes.work import DeskSync

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STATUSES = ("new", "in_progress", "waiting_customer", "resolved", "closed")


def build(path: Path, tickets: int) -> None:
    opened = open_cache(path, "bench|agent")
    opened.cache.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    rows: list[tuple[Any, ...]] = []
    customers = max(1, tickets // 5)
    for n in range(1, customers + 1):
        rows.append(
            (
                "customer",
                n,
                1,
                json.dumps(
                    {"code": f"C-{n:06d}", "name": f"客户 {n}", "contacts": []}, ensure_ascii=False
                ),
                "synced",
            )
        )
        rows.append(
            (
                "asset",
                n,
                1,
                json.dumps(
                    {"customer_id": n, "model": f"IP-{n % 40}", "serial_number": f"SN-{n:07d}"}
                ),
                "synced",
            )
        )
    rows.append(("user", 1, 1, json.dumps({"display_name": "王芳", "role": "agent"}), "synced"))
    rng = random.Random(7)
    for n in range(1, tickets + 1):
        opened_at = NOW - timedelta(hours=rng.randint(0, 24 * 30))
        data = {
            "number": f"SR-202611-{n:06d}", "customer_id": rng.randint(1, customers),
            "asset_id": rng.randint(1, customers), "summary": f"输液泵 E-{n % 90} 报警 {n}",
            "status": rng.choice(STATUSES), "priority": rng.choice("1234").join(["P", ""]),
            "category": "fault.alarm", "complaint": n % 17 == 0,
            "handler_id": 1 if n % 3 == 0 else 2, "opened_at": opened_at.isoformat(),
            "sla_due_at": (opened_at + timedelta(hours=24)).isoformat() if n % 17 == 0 else None,
            "resolve_due_at": (opened_at + timedelta(hours=72)).isoformat(),
            "escalation_level": 0, "content": "客户来电说明情况。" * 5,
        }  # fmt: skip
        rows.append(("ticket", n, 1, json.dumps(data, ensure_ascii=False), "synced"))
    db.executemany(
        "INSERT INTO records (entity, id, version, data, state, server_deleted, error) "
        "VALUES (?, ?, ?, ?, ?, 0, '')",
        rows,
    )
    db.commit()
    db.close()


def best(runs: list[float]) -> tuple[float, float]:
    return statistics.median(runs), max(runs)


def naive_read(path: Path) -> list[dict[str, Any]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [
            json.loads(data)
            for (data,) in db.execute("SELECT data FROM records WHERE entity = 'ticket'")
        ]
    finally:
        db.close()


def frames(app: QApplication, table: QTableView, pages: int) -> list[float]:
    """Scroll a page at a time, painting each frame (what the agent's wheel does)."""
    bar = table.verticalScrollBar()
    step = max(1, bar.pageStep())
    times = []
    table.grab()  # the first paint lays everything out; not a scrolling frame
    for page in range(pages):
        start = time.perf_counter()
        bar.setValue((page * step) % max(1, bar.maximum()))
        table.viewport().repaint()
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return times


def panel_figures(app: QApplication, path: Path, lines: list[Any], pages: int) -> dict[str, Any]:
    """Fill the real panel, switch views, search, scroll; and the plain table to scroll."""
    opened = open_cache(path, "bench|agent")
    work = WorkService(cast(SyncService, DeskSync(opened.cache)), TaskRunner(), now=lambda: NOW)
    panel = TicketsPanel(work)
    panel.resize(900, 700)
    panel.show()
    figures: dict[str, Any] = {}
    t0 = time.perf_counter()
    panel.show_tickets(lines)
    figures["fill"] = time.perf_counter() - t0
    figures["switches"] = []
    for view in (View.TEAM, View.OVERDUE, View.COMPLAINTS, View.ALL, View.MINE) * 2:
        t0 = time.perf_counter()
        panel.set_view(view)
        figures["switches"].append(time.perf_counter() - t0)
    figures["searches"] = []
    for text in ("SN-00012", "客户 7", "E-17", "SR-202611-0499"):
        t0 = time.perf_counter()
        panel.proxy.set_search(text)  # one pass, run once the agent pauses typing
        figures["searches"].append(time.perf_counter() - t0)
    panel.proxy.set_search("")
    panel.set_view(View.ALL)
    figures["ours"] = frames(app, panel.table, pages)
    plain = QStandardItemModel(len(lines), len(COLUMNS))
    for row, line in enumerate(lines):
        for column, text in enumerate((line.number, line.summary, line.customer)):
            plain.setItem(row, column, QStandardItem(text))
    bare = QTableView()
    bare.setModel(plain)
    bare.resize(900, 700)
    bare.show()
    figures["floor"] = frames(app, bare, pages)
    work.close()
    opened.cache.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "cache.sqlite"
        started = time.perf_counter()
        build(path, args.tickets)
        print(f"built {args.tickets:,} tickets in {time.perf_counter() - started:.1f} s")
        views = WorkViews(path)
        read_runs, naive_runs = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            lines = views.tickets()
            read_runs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            naive_read(path)
            naive_runs.append(time.perf_counter() - t0)
        views.close()
        figures = panel_figures(app, path, lines, args.pages)
    nm, nx = best(naive_runs)
    rm, rx = best(read_runs)
    sm, sx = best(figures["switches"])
    qm, qx = best(figures["searches"])
    floor = statistics.quantiles(figures["floor"], n=20)
    ours = statistics.quantiles(figures["ours"], n=20)
    n = f"{len(lines):,}"
    table = [
        ("what", "p50", "p95 / max", "ratio to baseline p50"),
        ("---", "---", "---", "---"),
        (f"read {n} tickets, SELECT data + json.loads (baseline)",
         f"{nm * 1000:.0f} ms", f"{nx * 1000:.0f} ms", "1.00"),
        (f"read {n} ticket rows, WorkViews.tickets (joined)",
         f"{rm * 1000:.0f} ms", f"{rx * 1000:.0f} ms", f"{rm / nm:.2f}"),
        ("fill the model (sorted) and the proxy", f"{figures['fill'] * 1000:.0f} ms", "", ""),
        ("switch view (my tickets, team, overdue, …)",
         f"{sm * 1000:.1f} ms", f"{sx * 1000:.1f} ms", ""),
        ("one search pass (number, customer, serial), after a pause",
         f"{qm * 1000:.1f} ms", f"{qx * 1000:.1f} ms", ""),
        ("scroll a page, plain QStandardItemModel table (baseline)",
         f"{floor[9]:.2f} ms", f"{floor[18]:.2f} ms", "1.00"),
        ("scroll a page, the tickets table",
         f"{ours[9]:.2f} ms", f"{ours[18]:.2f} ms", f"{ours[9] / floor[9]:.2f}"),
    ]  # fmt: skip
    for row in table:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
