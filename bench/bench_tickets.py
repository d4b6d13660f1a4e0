"""The ticket lists at scale: N tickets (default 50,000) in a local cache.

Reports, each beside its floor measured in the same run:
- the longest UI-thread stall (a 5 ms heartbeat timer's longest gap) while one synced change a
  second is written into the cache as the engine writes a pulled page and announced as the app
  announces it, with the real Tickets panel on a real WorkService following it; floor: a bare
  window's heartbeat while the same changes are written;
- a view switch (my tickets, team, overdue, …) in the real panel, painted, against a plain
  table model swapping in rows of text worked out beforehand;
- a search pass; scrolling the table a page at a time, each frame painted (floor: a
  ``QStandardItemModel`` table); the first fill after sign-in; the list's first read on the
  work thread (floor: ``SELECT data`` + ``json.loads``).

    QT_QPA_PLATFORM=offscreen python -m bench.bench_tickets --tickets 50000 --seconds 30
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QWidget

from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.ticket_index import TicketDiff
from agent_desktop.services.work import WorkService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.models.tickets_model import COLUMNS, TicketTableModel, View
from agent_desktop.ui.panels.tickets_panel import TicketsPanel
from bench.results import Figure, record
from sync.cache import LocalCache, open_cache
from sync.contract.wire import ChangeOut
from sync.work_views import TicketLine, WorkViews
from tests.fakes.work import DeskSync

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STATUSES = ("new", "in_progress", "waiting_customer", "resolved", "closed")
HEARTBEAT_MS = 5
FILL_WINDOW_S = 6.0  # the first fill's heartbeat window (the fill takes 1-3 s of it)
RENAME_WINDOW_S = 4.0
Json = dict[str, Any]


def ticket_data(n: int, rng: random.Random, customers: int) -> Json:
    opened_at = NOW - timedelta(hours=rng.randint(0, 24 * 30))
    return {
        "number": f"SR-202611-{n:06d}", "customer_id": rng.randint(1, customers),
        "asset_id": rng.randint(1, customers), "summary": f"输液泵 E-{n % 90} 报警 {n}",
        "status": rng.choice(STATUSES), "priority": rng.choice("1234").join(["P", ""]),
        "category": "fault.alarm", "complaint": n % 17 == 0,
        "handler_id": 1 if n % 3 == 0 else 2, "opened_at": opened_at.isoformat(),
        "sla_due_at": (opened_at + timedelta(hours=24)).isoformat() if n % 17 == 0 else None,
        "resolve_due_at": (opened_at + timedelta(hours=72)).isoformat(),
        "escalation_level": 0, "content": "客户来电说明情况。" * 5,
    }  # fmt: skip


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
        data = ticket_data(n, rng, customers)
        rows.append(("ticket", n, 1, json.dumps(data, ensure_ascii=False), "synced"))
    db.executemany(
        "INSERT INTO records (entity, id, version, data, state, server_deleted, error) "
        "VALUES (?, ?, ?, ?, ?, 0, '')",
        rows,
    )
    db.commit()
    db.close()


class Heartbeat(QObject):
    """A timer every few ms on the UI thread: the gaps between its ticks are how long the
    event loop could not run (what an agent feels as a freeze)."""

    def __init__(self, interval_ms: int = HEARTBEAT_MS) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)
        self._last = 0.0
        self._last_cpu = 0.0
        self.gaps: list[float] = []
        # The UI thread's own CPU time in each gap: on a loaded machine a gap is mostly
        # waiting for a core; this is the part the desk spent working.
        self.busy: list[float] = []

    def start(self) -> None:
        self.gaps, self.busy = [], []
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.gaps

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.gaps.append((now - self._last) * 1000)
        self.busy.append((cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu


class Changes(threading.Thread):
    """One synced change a second, written as the engine writes a pulled page (``apply_changes``
    on the cache's writer, which then announces the records it changed): mostly tickets, some
    customers and products, now and then a new ticket or one deleted on the server."""

    def __init__(self, cache: LocalCache, tickets: int, seconds: float, seed: int = 16) -> None:
        super().__init__(daemon=True)
        self._cache = cache
        self._tickets = tickets
        self._seconds = seconds
        self._rng = random.Random(seed)
        self._halt = threading.Event()
        self.written = 0

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def run(self) -> None:
        started = time.perf_counter()
        while not self._halt.wait(1.0) and time.perf_counter() - started < self._seconds:
            self._cache.apply_changes([self._change()], self._cache.cursor() + 1).result()
            self.written += 1

    def _change(self) -> ChangeOut:
        rng, n = self._rng, self.written
        customers = max(1, self._tickets // 5)
        seq = self._cache.cursor() + 1
        if n % 10 == 9:  # a ticket opened at another desk
            tid = self._tickets + 1 + n
            data = ticket_data(tid, rng, customers)
            return ChangeOut(seq=seq, entity="ticket", id=tid, op="upsert", version=1, data=data)
        if n % 15 == 14:  # one closed and removed on the server
            tid = rng.randint(1, self._tickets)
            return ChangeOut(seq=seq, entity="ticket", id=tid, op="delete", version=99, data=None)
        entity, record_id, change = {
            6: ("customer", rng.randint(1, customers), {"name": f"客户 {n} 更名"}),
            7: ("customer", rng.randint(1, customers), {"name": f"客户 {n} 更名"}),
            8: ("asset", rng.randint(1, customers), {"model": f"IP-{n}"}),
        }.get(
            n % 10,
            ("ticket", rng.randint(1, self._tickets), {"status": rng.choice(STATUSES)}),
        )
        record = self._cache.get(entity, record_id)
        if record is None:  # deleted meanwhile: another one
            return self._change_of_a_ticket(seq)
        version = record.version + 1
        data = {**record.data, **change}
        return ChangeOut(
            seq=seq, entity=entity, id=record_id, op="upsert", version=version, data=data
        )

    def _change_of_a_ticket(self, seq: int) -> ChangeOut:
        tid = self._tickets + 1 + self.written  # (a new one: never deleted)
        data = ticket_data(tid, self._rng, max(1, self._tickets // 5))
        return ChangeOut(seq=seq, entity="ticket", id=tid, op="upsert", version=1, data=data)


class PlainModel(QAbstractTableModel):
    """The floor for a view switch: a table model over rows worked out beforehand, one list
    per view, swapped in with a reset."""

    def __init__(self, views: dict[View, list[tuple[str, ...]]]) -> None:
        super().__init__()
        self._views = views
        self._rows: list[tuple[str, ...]] = []

    def show_view(self, view: View) -> None:
        self.beginResetModel()
        self._rows = self._views[view]
        self.endResetModel()

    def rowCount(self, _parent: Any = None) -> int:
        return len(self._rows)

    def columnCount(self, _parent: Any = None) -> int:
        return len(COLUMNS)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._rows[index.row()][index.column()]


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


def settle(app: QApplication, until: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.perf_counter() + seconds
    while not until():
        if time.perf_counter() > deadline:
            raise TimeoutError("the desk did not get there in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def heartbeat_floor(app: QApplication, path: Path, tickets: int, seconds: float) -> Json:
    """A bare window's event loop while the same changes are written to the cache: the stalls
    the machine and the engine's writer cause anyway. Run in a process of its own at the same
    time as the desk's run (``--floor``), so both see the same load on the machine."""
    opened = open_cache(path, "bench|agent")
    bare = QWidget()
    bare.resize(900, 700)
    bare.show()
    beat = Heartbeat()
    writer = Changes(opened.cache, tickets, seconds, seed=61)
    beat.start()
    writer.start()
    settle(app, lambda: not writer.is_alive(), seconds + 60)
    gaps = beat.stop()
    writer.stop()
    bare.close()
    opened.cache.close()
    return {"gaps": gaps, "busy": beat.busy}


def idle_floor(app: QApplication, seconds: float) -> Json:
    """A bare window's heartbeat for ``seconds``, nothing else (``--idle``): the floor beside
    the first fill and the handler's rename, run in its own process at the same time."""
    bare = QWidget()
    bare.resize(900, 700)
    bare.show()
    beat = Heartbeat()
    beat.start()
    print("ready", flush=True)  # the desk starts its phase now
    end = time.perf_counter() + seconds
    settle(app, lambda: time.perf_counter() > end, seconds + 5)
    gaps = beat.stop()
    bare.close()
    return {"gaps": gaps, "busy": beat.busy}


class BareBeside:
    """A bare window's heartbeat in a process of its own for a fixed window of time, started
    before a phase of the desk's run (which then beats for the same window): both see the same
    load on the machine."""

    def __init__(self, scratch: Path, name: str, seconds: float) -> None:
        self.seconds = seconds
        self._out = scratch / f"{name}.json"
        command = [sys.executable, "-m", "bench.bench_tickets", "--idle", str(seconds)]
        self._process = subprocess.Popen(
            [*command, "--out", str(self._out)], stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        self._process.stdout.readline()  # "ready": its heartbeat runs
        self.started = time.perf_counter()

    def beats(self) -> Json:
        self._process.wait()
        found: Json = json.loads(self._out.read_text())
        return found


def first_fill(
    app: QApplication,
    panel: TicketsPanel,
    beat: Heartbeat,
    loaded: Callable[[], bool],
    tickets: int,
    scratch: Path,
) -> Json:
    """Sign-in's first fill under the heartbeat, a bare window's beside it."""
    pause(app, 0.5)  # the panel painted
    bare = BareBeside(scratch, "first_floor", FILL_WINDOW_S)
    beat.start()
    t0 = time.perf_counter()
    panel.start()
    settle(app, lambda: loaded() and panel.model.rowCount() == tickets)
    took = time.perf_counter() - t0
    pause(app, bare.started + bare.seconds - time.perf_counter())
    gaps = beat.stop()
    return {
        "first": took,
        "first_gaps": gaps,
        "first_busy": beat.busy,
        "first_floor": bare.beats(),
    }


def desk_figures(
    app: QApplication,
    path: Path,
    tickets: int,
    seconds: float,
    pages: int,
    scratch: Path,
    beside: Callable[[], object] = lambda: None,
) -> Json:
    """The real Tickets panel on a real WorkService, told of the cache's commits as the app
    tells it (SyncService posts them to the GUI thread): first fill, a run of synced changes
    under a heartbeat, view switches and searches, scrolling."""
    opened = open_cache(path, "bench|agent")
    cache = opened.cache
    tasks = TaskRunner()
    work = WorkService(cast(SyncService, DeskSync(cache)), tasks, now=lambda: NOW)
    cache.on_records_changed(lambda touched: tasks.post(work.records_changed, touched))
    panel = TicketsPanel(work)
    panel.resize(900, 700)
    panel.show()
    figures: Json = {}
    resets = [0]
    panel.proxy.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    loaded: list[list[TicketLine]] = []
    work.tickets_loaded.connect(loaded.append)
    beat = Heartbeat()
    figures |= first_fill(app, panel, beat, lambda: bool(loaded), tickets, scratch)
    lines = loaded[-1]
    panel.set_view(View.ALL)
    app.processEvents()
    changed: list[int] = []
    work.tickets_changed.connect(lambda diff: changed.append(len(diff)))
    applying = timed(panel.model)
    resets[0] = 0
    writer = Changes(cache, tickets, seconds)
    beside()  # the floor's run starts now too
    beat.start()
    writer.start()
    settle(app, lambda: not writer.is_alive(), seconds + 60)
    writer.stop()
    pause(app, 1.5)  # the last change's rows arrive
    figures["gaps"] = beat.stop()
    figures["busy"] = beat.busy
    figures["written"] = writer.written
    figures["rows_changed"] = sum(changed)
    figures["applies"] = list(applying)
    figures["resets"] = resets[0]
    figures |= renamed(app, cache, beat, changed, applying, scratch)
    figures["resets"] = resets[0]
    figures |= clicks(app, panel)
    figures["ours"] = frames(app, panel.table, pages)
    figures["floor"] = plain_frames(app, lines, pages)
    panel.close()
    work.close()
    tasks.shutdown()
    cache.close()
    return figures


def timed(model: TicketTableModel) -> list[float]:
    """The UI thread's time in each ``apply`` (the diff, its row signals, the views' model)."""
    times: list[float] = []
    apply = model.apply

    def timed_apply(diff: TicketDiff) -> None:
        t0 = time.perf_counter()
        apply(diff)
        times.append((time.perf_counter() - t0) * 1000)

    model.apply = timed_apply  # type: ignore[method-assign]
    return times


def pause(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    settle(app, lambda: time.perf_counter() > end, seconds + 5)


def renamed(
    app: QApplication,
    cache: LocalCache,
    beat: Heartbeat,
    changed: list[int],
    applying: list[float],
    scratch: Path,
) -> Json:
    """The rare big one: the handler of a third of the tickets renamed (every row of theirs),
    beside a bare window's heartbeat over the same window of time."""
    applying.clear()
    before = len(changed)
    pause(app, 1.5)  # the last synced change's rows arrived
    bare = BareBeside(scratch, "rename_floor", RENAME_WINDOW_S)
    beat.start()
    t0 = time.perf_counter()
    rename(cache, 1)
    settle(app, lambda: len(changed) > before, 30)
    took = time.perf_counter() - t0
    pause(app, bare.started + bare.seconds - time.perf_counter())
    return {
        "rename_gaps": beat.stop(),
        "rename_busy": beat.busy,
        "rename_rows": changed[-1],
        "rename_apply": list(applying),
        "rename_s": took,
        "rename_floor": bare.beats(),
    }


def rename(cache: LocalCache, user_id: int) -> None:
    record = cache.get("user", user_id)
    assert record is not None
    seq = cache.cursor() + 1
    data = {**record.data, "display_name": "王芳（二组）"}
    change = ChangeOut(
        seq=seq, entity="user", id=user_id, op="upsert", version=record.version + 1, data=data
    )
    cache.apply_changes([change], seq).result()


def clicks(app: QApplication, panel: TicketsPanel) -> Json:
    """View switches in the panel and in the floor's plain table, taken in turns (the same
    load on the machine for both), each painted; then searches."""
    plain, table = plain_table(panel)
    ours: list[float] = []
    floor: list[float] = []
    ours_cpu: list[float] = []
    floor_cpu: list[float] = []

    def timed_switch(switch: Callable[[], None], wall: list[float], cpu: list[float]) -> None:
        t0, c0 = time.perf_counter(), time.thread_time()
        switch()
        app.processEvents()  # and painted
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)

    for view in (View.TEAM, View.OVERDUE, View.COMPLAINTS, View.ALL, View.MINE) * 6:
        timed_switch(partial(panel.set_view, view), ours, ours_cpu)
        timed_switch(partial(plain.show_view, view), floor, floor_cpu)
    table.close()
    searches = []
    for text in ("SN-00012", "客户 7", "E-17", "SR-202611-0499"):
        t0 = time.perf_counter()
        panel.proxy.set_search(text)  # one pass, run once the agent pauses typing
        app.processEvents()
        searches.append((time.perf_counter() - t0) * 1000)
    panel.proxy.set_search("")
    panel.set_view(View.ALL)
    return {
        "switches": ours,
        "plain_switches": floor,
        "switches_cpu": ours_cpu,
        "plain_switches_cpu": floor_cpu,
        "searches": searches,
    }


def plain_frames(app: QApplication, lines: list[TicketLine], pages: int) -> list[float]:
    plain = QStandardItemModel(len(lines), len(COLUMNS))
    for row, line in enumerate(lines):
        for column, text in enumerate((line.number, line.summary, line.customer)):
            plain.setItem(row, column, QStandardItem(text))
    bare = QTableView()
    bare.setModel(plain)
    bare.resize(900, 700)
    bare.show()
    times = frames(app, bare, pages)
    bare.close()
    return times


def plain_table(panel: TicketsPanel) -> tuple[PlainModel, QTableView]:
    """The same views as rows of text worked out beforehand, in a plain table of the same
    size: what a switch costs when nothing is computed (the floor)."""
    views: dict[View, list[tuple[str, ...]]] = {}
    for view in View:
        panel.set_view(view)
        proxy = panel.proxy
        views[view] = [
            tuple(str(proxy.data(proxy.index(r, c)) or "") for c in range(len(COLUMNS)))
            for r in range(proxy.rowCount())
        ]
    model = PlainModel(views)
    table = QTableView()
    table.setModel(model)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.resize(900, 700)
    table.show()
    return model, table


def longest(gaps: list[float]) -> float:
    return max(gaps, default=0.0)


def floor_process(args: argparse.Namespace) -> None:
    """The floor's own process: a bare window beside the desk's run."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    if args.idle is not None:
        beats = idle_floor(app, args.idle)
    else:
        beats = heartbeat_floor(app, args.floor, args.tickets, args.seconds)
    args.out.write_text(json.dumps(beats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=30, help="of one synced change a second")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # the floor's process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--idle", type=float, help=argparse.SUPPRESS)  # a bare window's beats
    args = parser.parse_args()
    if args.idle is not None or args.floor is not None:
        floor_process(args)
        return
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "cache.sqlite"
        started = time.perf_counter()
        build(path, args.tickets)
        print(f"built {args.tickets:,} tickets in {time.perf_counter() - started:.1f} s")
        views = WorkViews(path)
        read_runs, naive_runs = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            views.tickets()
            read_runs.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            naive_read(path)
            naive_runs.append((time.perf_counter() - t0) * 1000)
        views.close()
        spare = Path(scratch) / "floor.sqlite"  # the floor's writes leave the desk's file alone
        shutil.copyfile(path, spare)
        out = Path(scratch) / "floor.json"
        floor: list[subprocess.Popen[bytes]] = []
        command = [sys.executable, "-m", "bench.bench_tickets", "--floor", str(spare)]
        command += ["--out", str(out), "--tickets", str(args.tickets)]
        command += ["--seconds", str(args.seconds)]
        f = desk_figures(
            app,
            path,
            args.tickets,
            args.seconds,
            args.pages,
            Path(scratch),
            beside=lambda: floor.append(subprocess.Popen(command)),
        )
        floor[0].wait()
        floor_beats = json.loads(out.read_text())
    floor_gaps, floor_busy = floor_beats["gaps"], floor_beats["busy"]
    first_floor, rename_floor = f["first_floor"], f["rename_floor"]
    n = f"{args.tickets:,}"
    med = statistics.median
    floor_frames = statistics.quantiles(f["floor"], n=20)
    our_frames = statistics.quantiles(f["ours"], n=20)
    figures = [
        Figure(
            f"longest UI stall, {n} tickets, one synced change a second for {args.seconds:.0f} s",
            longest(f["gaps"]), "ms", longest(floor_gaps),
            "a bare window's, at the same time, the same changes written", "≤ 50 ms",
            detail={"p99_gap_ms": statistics.quantiles(f["gaps"], n=100)[98],
                    "floor_p99_gap_ms": statistics.quantiles(floor_gaps, n=100)[98],
                    "gaps_over_50_ms": sum(g > 50 for g in f["gaps"]),
                    "floor_gaps_over_50_ms": sum(g > 50 for g in floor_gaps),
                    "changes": f["written"], "rows_changed": f["rows_changed"],
                    "model_resets": f["resets"], "load_average": os.getloadavg()[0]},
        ),
        Figure(
            "longest UI-thread CPU time between two heartbeats, same run",
            longest(f["busy"]), "ms", longest(floor_busy), "the bare window's", "",
        ),
        Figure(
            "UI-thread time to apply one synced change (max over the run)",
            max(f["applies"], default=0.0), "ms", None, "", "",
            detail={"p50_ms": med(f["applies"]) if f["applies"] else 0.0,
                    "applied": len(f["applies"])},
        ),
        Figure(
            f"a handler renamed: {f['rename_rows']:,} rows change at once, longest UI stall",
            longest(f["rename_gaps"]), "ms", longest(rename_floor["gaps"]),
            f"a bare window's over the same {RENAME_WINDOW_S:.0f} s", "≤ 50 ms",
            detail={"apply_ms": max(f["rename_apply"], default=0.0),
                    "cpu_ms": longest(f["rename_busy"]),
                    "floor_cpu_ms": longest(rename_floor["busy"]),
                    "to_shown_s": f["rename_s"]},
        ),
        Figure(
            "the rename: longest UI-thread CPU time between two heartbeats",
            longest(f["rename_busy"]), "ms", longest(rename_floor["busy"]), "the bare window's",
            "",
        ),
        Figure(
            "switch view (my tickets, team, overdue, …), painted", med(f["switches"]), "ms",
            med(f["plain_switches"]), "plain table model over rows made beforehand",
            "≤ 2× floor", detail={"max_ms": max(f["switches"]),
                                  "floor_max_ms": max(f["plain_switches"]),
                                  "cpu_p50_ms": med(f["switches_cpu"]),
                                  "floor_cpu_p50_ms": med(f["plain_switches_cpu"])},
        ),
        Figure(
            "one search pass (number, customer, serial, …), painted", med(f["searches"]), "ms",
            med(f["plain_switches"]), "plain switch", "",
        ),
        Figure(
            f"scroll a page (p50), the tickets table ({n} rows)", our_frames[9], "ms",
            floor_frames[9], "QStandardItemModel table", "",
            detail={"p95_ms": our_frames[18], "floor_p95_ms": floor_frames[18]},
        ),
        Figure(
            f"first fill after sign-in: longest UI stall ({n} tickets)",
            longest(f["first_gaps"]), "ms", longest(first_floor["gaps"]),
            f"a bare window's over the same {FILL_WINDOW_S:.0f} s", "≤ 50 ms",
            detail={"to_shown_s": f["first"], "cpu_ms": longest(f["first_busy"]),
                    "floor_cpu_ms": longest(first_floor["busy"]),
                    "gaps_over_50_ms": sum(g > 50 for g in f["first_gaps"]),
                    "floor_gaps_over_50_ms": sum(g > 50 for g in first_floor["gaps"])},
        ),
        Figure(
            "the first fill: longest UI-thread CPU time between two heartbeats",
            longest(f["first_busy"]), "ms", longest(first_floor["busy"]), "the bare window's",
            "",
        ),
        Figure(
            f"read {n} ticket rows on the work thread (joined)", med(read_runs), "ms",
            med(naive_runs), "SELECT data + json.loads", "",
        ),
    ]  # fmt: skip
    record("tickets", figures, vars(args))


if __name__ == "__main__":
    main()
