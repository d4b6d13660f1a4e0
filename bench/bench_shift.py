"""The shift soak: the real desk through a shift of answered calls, sampled every 100 calls.

The desk is the real ``Workstation`` (``agent_desktop/app.py``) in this process, offscreen, in
demo mode: its demo backend (``server_stub`` in a child process, on loopback, over HTTP) and the
backend's demo caller, which rings the desk's real phone (pjsua2 in its engine process) from
the seeded customers' numbers whenever the agent is Ready, one call at a time. Auto-answer is
on; each call is answered, talks for ``--talk`` seconds and the caller hangs up. In each
wrap-up the soak does what an agent does, through the widgets: chooses a disposition, types
notes, searches the knowledge base (the Knowledge tab's search box, waiting for the answer) and
clicks Done. The interaction goes to the server; the agent goes Ready; the next call comes.

Every ``--sample-every`` calls (100) it samples this process: RSS, Python objects by type
(``gc.get_objects()``; no collection is forced: what the app's own collector leaves is what
lives), open descriptors, threads, QObjects under the main window and under the workstation
(the services), live top-level widgets, the cache's SQLite files, and the longest UI stall
since the last sample (a 20 ms QTimer heartbeat on the UI thread: how late it fired). The
phone engine's RSS is sampled too (its own process). The floor for the stall is the same
heartbeat in this process before the desk is built.

Writes ``bench/results/shift.json`` (the figures and every sample), prints the README tables
and draws ``bench/results/shift_rss.svg`` (RSS against calls). ``--tracemalloc`` traces
allocations and prints the biggest growers between the first sample after warm-up and the last
(file:line): how the per-call leaks were found.

Usage: ``QT_QPA_PLATFORM=offscreen python -m bench.bench_shift --calls 1000`` (the shift; about
an hour on a 2-core machine), ``--calls 200`` while developing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import io
import logging
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.results import RESULTS, Figure, record
from bench.shift_plot import rss_svg

TALK_S = 0.5  # the caller hangs up this long after the answer
EVERY_S = 0.2  # from one demo call's end to the next (the caller polls presence every 0.5 s)
HEARTBEAT_MS = 20
WARM_UP_SAMPLES = 1  # the first sample (call 100) is the warm-up's end: caches filled
KB_QUERIES = ("电池", "password reset", "打印机 卡纸", "refund", "路由器 重启", "invoice", "保修")
NOTES = "客户来电询问第 {n} 号工单的进度；已告知预计明天上门。Call {n}: the visit is tomorrow."
CALL_TIMEOUT_S = 120.0  # one call and its wrap-up; a stuck soak fails, never hangs

log = logging.getLogger("bench.shift")


def rss_kib(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def native_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


class Heartbeat:
    """A QTimer on the UI thread; how late it fires is how long the UI thread was busy."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer  # noqa: PLC0415

        self.worst_ms = 0.0
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._timer.start()

    def _beat(self) -> None:
        now = time.monotonic()
        late = (now - self._last) * 1000 - HEARTBEAT_MS
        self._last = now
        self.worst_ms = max(self.worst_ms, late)

    def take(self) -> float:
        """The longest stall since the last take."""
        worst, self.worst_ms = self.worst_ms, 0.0
        return worst

    def restart(self) -> None:
        self._last = time.monotonic()

    def stop(self) -> None:
        self._timer.stop()


@dataclass
class Sample:
    calls: int
    at_s: float
    rss_mib: float
    engine_rss_mib: float
    python_objects: int
    descriptors: int
    threads: int  # native threads of this process
    python_threads: int
    qobjects_window: int
    qobjects_workstation: int
    top_level_widgets: int
    all_widgets: int
    cache_kib: float  # the cache's database file
    cache_wal_kib: float  # its write-ahead log (SQLite reuses it: flat once it has its size)
    longest_stall_ms: float
    interactions_written: int
    by_type: dict[str, int] = field(default_factory=dict)  # the top types only (see _counts)


def type_counts() -> Counter[str]:
    counts: Counter[str] = Counter()
    for obj in gc.get_objects():
        kind = type(obj)
        counts[f"{kind.__module__}.{kind.__qualname__}"] += 1
    return counts


class Shift:
    """Drives the desk through the calls, as an agent: wrap-up, KB search, Done."""

    def __init__(self, ws: Any, args: argparse.Namespace, heartbeat: Heartbeat) -> None:
        self.ws = ws
        self.args = args
        self.heartbeat = heartbeat
        self.samples: list[Sample] = []
        self.counts: list[Counter[str]] = []
        self.snapshots: list[tracemalloc.Snapshot] = []
        self.written = 0
        self.started = time.monotonic()
        self.wrap_ups: asyncio.Queue[object] = asyncio.Queue()
        self.call_seconds: list[float] = []
        self.after_sample: Callable[[], None] = lambda: None

    def _cache_kib(self, suffix: str = "") -> float:
        cache = self.ws.sync.cache
        if cache is None:
            return 0.0
        path = Path(cache.path)
        part = path.with_name(path.name + suffix)
        return part.stat().st_size / 1024 if part.exists() else 0.0

    def sample(self, calls: int) -> Sample:
        from PySide6.QtCore import QObject  # noqa: PLC0415
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

        rss = rss_kib() / 1024  # first: the counting below allocates
        engine = rss_kib(self.ws.phone.engine_pid) / 1024 if self.ws.phone.engine_pid else 0.0
        counts = type_counts()
        self.counts.append(counts)
        if self.args.tracemalloc:
            self.snapshots.append(tracemalloc.take_snapshot())
        sample = Sample(
            calls=calls,
            at_s=round(time.monotonic() - self.started, 1),
            rss_mib=round(rss, 2),
            engine_rss_mib=round(engine, 2),
            python_objects=sum(counts.values()),
            descriptors=descriptors(),
            threads=native_threads(),
            python_threads=threading.active_count(),
            qobjects_window=len(self.ws.main_window.findChildren(QObject)),
            qobjects_workstation=len(self.ws.findChildren(QObject)),
            top_level_widgets=len(QApplication.topLevelWidgets()),
            all_widgets=len(QApplication.allWidgets()),
            cache_kib=round(self._cache_kib(), 1),
            cache_wal_kib=round(self._cache_kib("-wal"), 1),
            longest_stall_ms=round(self.heartbeat.take(), 1),
            interactions_written=self.written,
        )
        self.heartbeat.restart()  # the sampling's own stall is not the desk's
        self.samples.append(sample)
        print(row(sample), flush=True)
        return sample

    async def run(self) -> None:
        from agent_desktop.tour import wait_signal  # noqa: PLC0415
        from sync.contract.records import AgentState  # noqa: PLC0415

        ws = self.ws
        # Signed in, synced, Ready: the demo agent goes Ready at sign-in (app.py).
        deadline = time.monotonic() + 90
        while ws.agent_state.status.state != AgentState.READY:
            if time.monotonic() > deadline:
                raise SystemExit("the desk never went Ready")
            await asyncio.sleep(0.1)
        ws.agent_state.wrap_up_started.connect(self.wrap_ups.put_nowait)
        ws.agent_state.wrap_up_ended.connect(self._ended)
        knowledge = ws.work_desk.knowledge
        assert knowledge is not None, "the desk has no Knowledge tab"
        panel = ws.main_window.customer_panel
        self.sample(0)
        for n in range(1, self.args.calls + 1):
            began = time.monotonic()
            await asyncio.wait_for(self.wrap_ups.get(), CALL_TIMEOUT_S)
            # The wrap-up, as the agent does it: disposition, notes, a KB search, Done.
            combo = panel.disposition_combo
            codes = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
            combo.setCurrentIndex(combo.findData(codes[n % len(codes)]))
            panel.wrap_notes.setPlainText(NOTES.format(n=n))
            query = KB_QUERIES[n % len(KB_QUERIES)]
            searched = asyncio.ensure_future(wait_signal(ws.kb.searched, CALL_TIMEOUT_S))
            knowledge.search_edit.setText(query)
            answer = await searched
            if answer.query.text != query:
                raise SystemExit(f"call {n}: the KB answered {answer.query.text!r}")
            knowledge.search_edit.clear()
            written = self.written
            panel.done_button.click()  # the interaction is queued at once (wrap_up_ended)
            if self.written != written + 1:
                raise SystemExit(f"call {n}: Done refused: {panel.wrap_error.text()}")
            self.call_seconds.append(time.monotonic() - began)
            if n % self.args.sample_every == 0 or n == self.args.calls:
                self.sample(n)
                self.after_sample()  # the results so far: a soak cut short still leaves them

    def _ended(self, _record: object) -> None:
        self.written += 1


def row(s: Sample) -> str:
    return (
        f"| {s.calls:,} | {s.rss_mib:.1f} | {s.engine_rss_mib:.1f} | {s.python_objects:,} | "
        f"{s.descriptors} | {s.threads} | {s.qobjects_window:,} | {s.qobjects_workstation:,} | "
        f"{s.all_widgets:,} | {s.cache_kib:,.0f} | {s.cache_wal_kib:,.0f} | "
        f"{s.longest_stall_ms:.0f} |"
    )


HEADER = (
    "| calls | RSS MiB | engine RSS MiB | Python objects | fds | threads | QObjects (window) | "
    "QObjects (services) | widgets | cache KiB | cache WAL KiB | longest stall ms |\n"
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def slope_per_100(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of value against calls, per 100 calls."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    if var == 0:
        return 0.0
    return 100 * sum((x - mx) * (y - my) for x, y in points) / var


def growers(first: Counter[str], last: Counter[str], top: int = 15) -> list[tuple[str, int]]:
    diff = Counter({k: last[k] - first.get(k, 0) for k in last})
    return [(k, v) for k, v in diff.most_common(top) if v > 0]


def bare_stall_ms(seconds: float) -> float:
    """The floor: the heartbeat's longest stall in this process, Qt up, no desk yet."""
    from PySide6.QtCore import QEventLoop, QTimer  # noqa: PLC0415

    heartbeat = Heartbeat()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    heartbeat.stop()
    return heartbeat.take()


def main() -> None:  # noqa: PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--sample-every", type=int, default=100)
    parser.add_argument("--talk", type=float, default=TALK_S, help="seconds on each call")
    parser.add_argument(
        "--tracemalloc", type=int, default=0, metavar="FRAMES", help="trace allocations (slow)"
    )
    parser.add_argument("--name", default="shift", help="bench/results/<name>.json")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.tracemalloc:
        tracemalloc.start(args.tracemalloc)

    import qasync  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from agent_desktop import demo_backend  # noqa: PLC0415
    from agent_desktop.app import LaunchOptions, Workstation  # noqa: PLC0415
    from agent_desktop.config import Settings  # noqa: PLC0415
    from agent_desktop.logs import setup_logging  # noqa: PLC0415

    talk_s = args.talk

    class ShiftBackend(demo_backend.DemoBackend):
        """The demo backend, its callers brief: a shift compressed."""

        def __init__(self, calls_to: str = "", call_every_s: float = EVERY_S) -> None:
            super().__init__(calls_to, call_every_s, call_talk_s=talk_s)

    # app.py imports DemoBackend from its module when the demo starts: this one is found.
    demo_backend.DemoBackend = ShiftBackend  # type: ignore[misc]

    work = Path(tempfile.mkdtemp(prefix="bench-shift-"))
    setup_logging("warning", work / "logs")
    qapp = QApplication([sys.argv[0]])
    floor_stall = bare_stall_ms(3.0)
    settings = Settings(auto_answer=True, language="en", remember_sign_in=False)
    options = LaunchOptions(
        profile_dir=work / "profile",
        demo=True,
        demo_calls=True,
        demo_call_every_s=EVERY_S,
        headless=True,
        config_file=work / "user.toml",
    )
    ws = Workstation(qapp, settings, options)
    heartbeat = Heartbeat()
    shift = Shift(ws, args, heartbeat)
    shift.after_sample = lambda: report(shift, args, floor_stall, work, quiet=True)
    failure: list[BaseException] = []

    async def drive() -> None:
        try:
            await shift.run()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # reported after the desk has shut down
            failure.append(exc)
        finally:
            ws.finish(0)

    async def both() -> int:
        task = asyncio.ensure_future(drive())
        code = await ws.run()
        if not task.done():  # the desk quit first (SIGTERM, a closed window): stop driving it
            task.cancel()
            failure.append(SystemExit(f"the desk quit after {shift.written} calls"))
        return code

    print(HEADER, flush=True)
    qasync.run(both())
    heartbeat.stop()
    if failure:
        raise failure[0]
    report(shift, args, floor_stall, work)


def report(
    shift: Shift, args: argparse.Namespace, floor_stall: float, work: Path, *, quiet: bool = False
) -> None:
    """The figures, the JSON and the plot; ``quiet``: after a sample, written but not printed."""
    samples = shift.samples
    warm = [s for s in samples if s.calls >= args.sample_every * WARM_UP_SAMPLES]
    first, last = warm[0], warm[-1]
    rss_slope = slope_per_100([(s.calls, s.rss_mib) for s in warm])
    objects_slope = slope_per_100([(s.calls, float(s.python_objects)) for s in warm])
    first_counts = shift.counts[samples.index(first)]
    grown = growers(first_counts, shift.counts[-1])
    stalls = [s.longest_stall_ms for s in samples[1:]]
    call_s = sorted(shift.call_seconds)
    figures = [
        Figure(
            f"RSS growth per 100 calls after warm-up (calls {first.calls}-{last.calls})",
            rss_slope,
            "MiB",
            None,
            "",
            "≤ 0.5 MiB",
            {"rss_first_mib": first.rss_mib, "rss_last_mib": last.rss_mib},
        ),
        Figure(
            f"RSS after {last.calls:,} calls",
            last.rss_mib,
            "MiB",
            first.rss_mib,
            f"RSS after {first.calls} calls (warm)",
            "flat",
        ),
        Figure(
            "Python objects growth per 100 calls after warm-up",
            objects_slope,
            "",
            None,
            "",
            "flat",
            {"first": first.python_objects, "last": last.python_objects},
        ),
        Figure(
            f"QObjects under the main window after {last.calls:,} calls",
            last.qobjects_window,
            "",
            first.qobjects_window,
            f"after {first.calls} calls",
            "flat",
        ),
        Figure(
            f"QObjects under the workstation (services) after {last.calls:,} calls",
            last.qobjects_workstation,
            "",
            first.qobjects_workstation,
            f"after {first.calls} calls",
            "flat",
        ),
        Figure(
            f"open descriptors after {last.calls:,} calls",
            last.descriptors,
            "",
            first.descriptors,
            f"after {first.calls} calls",
            "flat",
        ),
        Figure(
            f"threads after {last.calls:,} calls",
            last.threads,
            "",
            first.threads,
            f"after {first.calls} calls",
            "flat",
        ),
        Figure(
            "longest UI stall in the shift",
            max(stalls) if stalls else 0.0,
            "ms",
            floor_stall,
            "same heartbeat, no desk (3 s)",
            "",
            {"median_of_samples": sorted(stalls)[len(stalls) // 2] if stalls else 0.0},
        ),
        Figure(
            "one call and its wrap-up (ring, answer, talk, hang-up, wrap-up, Done)",
            call_s[len(call_s) // 2],
            "s",
            args.talk,
            "talk time",
            "",
            {"p95": call_s[int(len(call_s) * 0.95)], "max": call_s[-1]},
        ),
    ]
    parameters: dict[str, object] = {
        "calls": args.calls,
        "sample_every": args.sample_every,
        "talk_s": args.talk,
        "tracemalloc": args.tracemalloc,
        "calls_done": samples[-1].calls,
        "complete": samples[-1].calls == args.calls,
        "interactions_written": shift.written,
        "growers_after_warm_up": dict(grown),
        "samples": [asdict(s) for s in samples],
    }
    if quiet:
        with contextlib.redirect_stdout(io.StringIO()):
            record(args.name, figures, parameters)
        svg = RESULTS / f"{args.name}_rss.svg"
        svg.write_text(rss_svg([(s.calls, s.rss_mib) for s in samples], rss_slope), "utf-8")
        return
    print()
    print(HEADER)
    for s in samples:
        print(row(s))
    print()
    print(f"Python object types that grew from call {first.calls} to call {last.calls}:")
    for name, delta in grown:
        print(f"  {name}: +{delta}")
    if shift.snapshots:
        print_tracemalloc(shift.snapshots[samples.index(first)], shift.snapshots[-1])
    print()
    record(args.name, figures, parameters)
    svg = RESULTS / f"{args.name}_rss.svg"
    svg.write_text(rss_svg([(s.calls, s.rss_mib) for s in samples], rss_slope), encoding="utf-8")
    print(f"plot: {svg}; logs: {work / 'logs'}")


def print_tracemalloc(first: tracemalloc.Snapshot, last: tracemalloc.Snapshot) -> None:
    filters = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    ]
    diff = last.filter_traces(filters).compare_to(first.filter_traces(filters), "traceback")
    print("tracemalloc: the biggest growers (traceback, innermost last):")
    for stat in diff[:12]:
        if stat.size_diff <= 0:
            continue
        print(f"  +{stat.size_diff / 1024:.1f} KiB in +{stat.count_diff} blocks:")
        for line in stat.traceback.format()[-12:]:
            print(f"      {line}")


if __name__ == "__main__":
    main()
