"""The centre load test's desks over several client processes, as real desks are PCs of their own.

With all 400 simulated desks on one event loop, that loop ran 76–315 ms late (p95) in the
seconds after an outage, and every latency the desks measured included it (the probe, one desk
in a process of its own, saw a fraction of it). Here the desks are shared out over ``procs``
processes (``--client-procs``), each running its share on its own event loop:

- **Whole teams per process.** A presence change is owed to the live streams of its team, so
  a process that holds whole teams knows what its desks are owed and can wait for it before it
  stops, without asking the others.
- **The same phases at the same moments.** Every process, and the parent (which drives the
  probe), meets the others at each phase's start (``PhaseMeeting.meet``) on one
  ``multiprocessing.Barrier``; one of them stamps the time and all take it, so the steady
  phase and the outage end at the same instant everywhere (``time.monotonic`` is one clock for
  every process of the machine, as the probe's figures already rely on).
- **Raw samples back to the parent.** Each process sends its ``Tally`` (every latency, marker
  and loop-lag sample) with its CPU time; the parent merges them and computes the same figures
  and the same count on the server as the single-process run does. The loop lag stays per
  process as well.

``--client-procs 1`` is the single-process run, in the parent (``LocalPhases``), for comparison.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.synchronize
import queue
import resource
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench import centre_probe
from bench.centre_desk import Tally
from bench.centre_probe import Probe

# How long the parent waits for a process's result once the phases are over (its drain and
# grace for events are bounded well within it).
RESULT_TIMEOUT_S = 600.0


class PhaseMeeting(Protocol):
    async def meet(self, phase: int) -> float:
        """Wait until every client process reaches ``phase``; the phase's start (monotonic)."""
        ...


class LocalPhases:
    """One client process: nobody to wait for; the probe follows the phases directly."""

    def __init__(self, probe: Probe | None) -> None:
        self._probe = probe

    async def meet(self, phase: int) -> float:
        if self._probe is not None:
            self._probe.set(phase)
        return time.monotonic()


def _meet(barrier: multiprocessing.synchronize.Barrier, start: Any, timeout_s: float) -> float:
    """Blocking: all parties at the barrier, one stamps the start, all read it. A party later
    than ``timeout_s`` breaks the barrier: the run ends with an error rather than hanging."""
    if barrier.wait(timeout_s) == 0:
        start.value = time.monotonic()
    barrier.wait(timeout_s)
    return float(start.value)


class SharedPhases:
    """A client process among several: meets the others (and the parent) at each phase, on a
    worker thread so its event loop runs on meanwhile."""

    def __init__(
        self, barrier: multiprocessing.synchronize.Barrier, start: Any, timeout_s: float
    ) -> None:
        self._barrier = barrier
        self._start = start
        self._timeout_s = timeout_s

    async def meet(self, phase: int) -> float:
        del phase  # the same sequence in every process; the parent tells the probe
        return await asyncio.to_thread(_meet, self._barrier, self._start, self._timeout_s)


@dataclass
class ShardResult:
    """What one client process measured (picklable: it crosses back to the parent)."""

    tally: Tally
    phases: dict[str, float]
    members: dict[int, set[int]]  # team -> its desks (whole teams per process)
    cpu_s: float = 0.0
    wall_s: float = 0.0
    failure: str = ""  # the exception that ended this process's run early, if any
    index: int = 0


@dataclass
class ShardedRun:
    """Every process's result, and what the parent makes of them together."""

    shards: list[ShardResult] = field(default_factory=list)

    @property
    def tally(self) -> Tally:
        return merged_tally([s.tally for s in self.shards])

    @property
    def members(self) -> dict[int, set[int]]:
        members: dict[int, set[int]] = {}
        for shard in self.shards:
            for team, desks in shard.members.items():
                members.setdefault(team, set()).update(desks)
        return members

    @property
    def phases(self) -> dict[str, float]:
        """One run's phases: the earliest start, the latest end, the backlog summed."""
        if not self.shards:
            return {}
        phases = [s.phases for s in self.shards]
        merged = {
            "ramp_s": max(p.get("ramp_s", 0.0) for p in phases),
            "drain_s": max(p.get("drain_s", 0.0) for p in phases),
        }
        if any("back_monotonic" in p for p in phases):
            back = min(p["back_monotonic"] for p in phases if "back_monotonic" in p)
            flushed = max(p["back_monotonic"] + p.get("backlog_flush_s", 0.0) for p in phases)
            merged |= {
                "back_monotonic": back,
                "backlog_writes": sum(p.get("backlog_writes", 0.0) for p in phases),
                "desks_back_within_s": max(p.get("desks_back_within_s", 0.0) for p in phases),
                "streams_back_within_s": max(p.get("streams_back_within_s", 0.0) for p in phases),
                "backlog_flush_s": flushed - back,
            }
        return merged


def merged_tally(tallies: Sequence[Tally]) -> Tally:
    """One tally of several processes' (desks, and so markers, are each in one process)."""
    merged = Tally()
    for t in tallies:
        merged.writes_ms += t.writes_ms
        merged.burst_writes_ms += t.burst_writes_ms
        merged.presence_ms += t.presence_ms
        merged.pulls_ms += t.pulls_ms
        merged.signins_ms += t.signins_ms
        merged.errors.update(t.errors)
        merged.acknowledged |= t.acknowledged
        merged.generated |= t.generated
        merged.presence.update(t.presence)
        for marker, seen in t.seen.items():
            merged.seen.setdefault(marker, {}).update(seen)
        merged.live.update(t.live)
        merged.reconnects += t.reconnects
        merged.pulled_changes += t.pulled_changes
        merged.loop_lag_ms += t.loop_lag_ms
        merged.loop_lag_at += t.loop_lag_at
    return merged


def teams_over(teams: dict[int, list[int]], procs: int) -> list[list[int]]:
    """Whole teams over at most ``procs`` processes, the largest first onto the emptiest."""
    shares: list[list[int]] = [[] for _ in range(max(1, min(procs, len(teams))))]
    for _team, desks in sorted(teams.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        min(shares, key=len).extend(desks)
    return [sorted(share) for share in shares if share]


def _process(
    index: int,
    main: Callable[..., Coroutine[Any, Any, ShardResult]],
    args: tuple[Any, ...],
    desks: list[int],
    sign_in_at_once: int,
    barrier: multiprocessing.synchronize.Barrier,
    start: Any,
    meet_timeout_s: float,
    answers: multiprocessing.Queue[ShardResult],
) -> None:
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic()
    try:
        result = asyncio.run(
            main(*args, SharedPhases(barrier, start, meet_timeout_s), desks, sign_in_at_once)
        )
    except BaseException as exc:
        barrier.abort()  # the others (and the parent) stop waiting for this one
        result = ShardResult(Tally(), {}, {}, failure=f"{type(exc).__name__}: {exc}")
    used = resource.getrusage(resource.RUSAGE_SELF)
    result.cpu_s = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    result.wall_s = time.monotonic() - wall
    result.index = index
    answers.put(result)


def run_sharded(
    main: Callable[..., Coroutine[Any, Any, ShardResult]],
    args: tuple[Any, ...],
    shares: list[list[int]],
    sign_in_at_once: int,
    phases: Sequence[int],
    probe: Probe | None,
    meet_timeout_s: float,
) -> ShardedRun:
    """``main(*args, meeting, desks, sign_in_at_once)`` in one process per share; the parent
    meets them at each of ``phases`` (in order) and moves the probe along. ``meet_timeout_s``:
    the longest a phase may last (the ramp, the steady phase, …)."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(shares) + 1)
    start = context.Value("d", 0.0)
    answers: multiprocessing.Queue[ShardResult] = context.Queue()
    processes = [
        context.Process(
            target=_process,
            args=(i, main, args, share, sign_in_at_once, barrier, start, meet_timeout_s, answers),
            daemon=True,
        )
        for i, share in enumerate(shares)
    ]
    for process in processes:
        process.start()
    broken = ""
    try:
        for phase in phases:
            _meet(barrier, start, meet_timeout_s)
            if probe is not None:
                probe.set(phase)
    except threading.BrokenBarrierError:
        broken = "a client process did not reach a phase (see its failure)"
    if probe is not None:
        probe.set(centre_probe.WAIT)
    result = ShardedRun()
    for _ in processes:
        try:  # before join: a large result must leave the pipe before its process can end
            result.shards.append(answers.get(timeout=RESULT_TIMEOUT_S))
        except queue.Empty:
            broken = broken or "a client process never answered"
            break
    for process in processes:
        process.join(30)
        if process.is_alive():
            process.kill()
    result.shards.sort(key=lambda s: s.index)
    for shard in result.shards:
        if shard.failure:
            shard.tally.error(f"client process {shard.index}: {shard.failure}")
    if broken and result.shards:
        result.shards[0].tally.error(broken)
    return result
