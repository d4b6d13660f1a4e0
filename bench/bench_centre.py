"""Centre load test: N desks on one server (with its workers) or two behind HAProxy.

Each desk signs in, holds its event stream, changes presence, logs a call about every 4 s
(jittered) through an outbox with idempotency keys, and pulls the change feed (``centre_desk``).
After the steady phase an outage: streams drop, desks keep logging calls offline while their
sync engines and streams retry on their own jittered backoff (as the real desk's do); when the
server is back each desk reconnects and flushes its backlog at its next try (``--together``:
all in the same instant, a harsher herd than real desks make). Afterwards every call record
is counted in the server's database (lost: acknowledged or queued but absent; doubled:
present twice). The desks run over ``--client-procs`` processes, whole teams each
(``centre_shards``), as real desks are PCs of their own; 1 keeps them on one event loop.

Figures beside floors of the same run (``centre_floors``): write latency beside the same rows
inserted by bare SQL; event delivery beside a bare asyncio broadcast to the same desks.
Event delivery is measured from the moment the presence change was *sent* to the moment each
stream of its team had it, so it bounds "commit to seen" from above.

Usage (the README's Scale section has the full-size runs)::

    python -m bench.bench_centre --backend postgres --workers 4 --desks 400 --duration 120
    python -m bench.bench_centre --backend postgres --workers 2 --instances 2 --desks 400
    python -m bench.bench_centre --backend sqlite --desks 100
    python -m bench.bench_centre --backend postgres --workers 4 --desks 400 --client-procs 1
    python -m bench.bench_centre --url http://lb:8640 --database-url postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from sqlalchemy import create_engine, func, select

from bench import centre_probe
from bench.centre_desk import PASSWORD, Desk, Pace, Tally, cancel, watch_loop
from bench.centre_floors import bare_sql_writes, broadcast_floor
from bench.centre_probe import Probe, ProbeResult
from bench.centre_servers import Centre
from bench.centre_shards import (
    LocalPhases,
    PhaseMeeting,
    ShardedRun,
    ShardResult,
    run_sharded,
    teams_over,
)
from bench.results import Figure, record
from server_stub.models import ChangeRow, InteractionRow, UserRow
from server_stub.seed_centre import desk_name
from sync.clock import Clock, system_clock

SIGN_IN_AT_ONCE = 16  # sign-ins in flight at once (argon2 is slow on purpose)
DESK_CONNECTIONS = 4  # a desk's stream and its requests, as the desk's own HTTP clients hold
RAMP_S = 120.0  # every desk signed in and streaming by then, or it is counted as an error
DRAIN_S = 120.0  # after the run, outboxes may take this long to empty
# Load client processes by default: enough that no one event loop holds 400 desks (one ran
# 76–315 ms late in the flush and put it in every latency), few enough for a 2-core machine.
CLIENT_PROCS = 4


def pct(samples: Sequence[float], p: int) -> float:
    if not samples:
        return float("nan")
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def spread(samples: Sequence[float]) -> dict[str, float]:
    return {
        "p50": pct(samples, 50),
        "p95": pct(samples, 95),
        "p99": pct(samples, 99),
        "max": max(samples, default=float("nan")),
        "n": float(len(samples)),
    }


@dataclass(frozen=True, slots=True)
class Plan:
    desks: int
    duration_s: float
    outage_s: float
    burst_s: float
    pace: Pace
    together: bool = False  # every desk back in the same instant (stress), not by its backoff


@dataclass
class ServerCount:
    found: int
    doubled: int
    lost_acknowledged: int
    lost_queued: int


def users_and_teams(database_url: str, desks: int) -> tuple[dict[str, int], int]:
    """Each desk's team id, and the feed's cursor now (desks start with their cache synced)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            names = [desk_name(i) for i in range(desks)]
            teams = {
                name: int(team or 0)
                for name, team in conn.execute(
                    select(UserRow.username, UserRow.team_id).where(UserRow.username.in_(names))
                )
            }
            cursor = int(conn.scalar(select(func.max(ChangeRow.seq))) or 0)
    finally:
        engine.dispose()
    missing = [n for n in names if n not in teams]
    if missing:
        raise SystemExit(f"{len(missing)} desks are not seeded (agent-server --seed centre)")
    return teams, cursor


def count_on_server(database_url: str, run: str, tally: Tally) -> ServerCount:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(InteractionRow.notes, func.count())
                .where(InteractionRow.notes.like(f"{run}-%"))
                .group_by(InteractionRow.notes)
            ).all()
    finally:
        engine.dispose()
    counts = {str(notes): int(n) for notes, n in rows}
    return ServerCount(
        found=len(counts),
        doubled=sum(1 for n in counts.values() if n > 1),
        lost_acknowledged=len(tally.acknowledged - counts.keys()),
        lost_queued=len(tally.generated - counts.keys()),
    )


async def run_desks(
    urls: list[str],
    teams: dict[str, int],
    cursor: int,
    plan: Plan,
    run: str,
    meeting: PhaseMeeting,
    indices: Sequence[int] | None = None,
    sign_in_at_once: int = SIGN_IN_AT_ONCE,
) -> ShardResult:
    """The desks ``indices`` (default: all) through the run's phases, on this event loop.

    ``meeting`` marks each phase's start: with several client processes every one meets the
    others there (``bench.centre_shards``) and all take the phase's start time from it."""
    tally = Tally()
    clock = system_clock()
    phases: dict[str, float] = {}
    chosen = list(range(plan.desks)) if indices is None else list(indices)
    # One client per desk, as each desk is a PC of its own with its own connections: one
    # client shared by 400 desks spent ~80 % of the load generator's CPU in httpcore's pool,
    # which scans every open connection (400 streams among them) for every request, and its
    # queue, not the server's, set the latencies.
    async with contextlib.AsyncExitStack() as stack:
        desks = [
            Desk(
                i,
                desk_name(i),
                teams[desk_name(i)],
                urls,
                await stack.enter_async_context(
                    httpx.AsyncClient(limits=httpx.Limits(max_connections=DESK_CONNECTIONS))
                ),
                tally,
                clock,
                run,
                plan.pace,
                cursor,
            )
            for i in chosen
        ]
        gate = asyncio.Semaphore(sign_in_at_once)
        lag = asyncio.create_task(watch_loop(tally))

        started = time.monotonic()

        async def sign_in(desk: Desk) -> None:
            async with gate:
                await desk.sign_in(until=started + RAMP_S)

        await asyncio.gather(*(sign_in(d) for d in desks))
        streams = [asyncio.create_task(d.hold_stream()) for d in desks]
        try:
            await asyncio.wait_for(
                asyncio.gather(*(d.stream_live.wait() for d in desks if d.online.is_set())),
                timeout=max(1.0, started + RAMP_S - time.monotonic()),
            )
        except TimeoutError:
            tally.error("streams not all live at the end of the ramp")
        phases["ramp_s"] = time.monotonic() - started

        until = await meeting.meet(centre_probe.STEADY) + plan.duration_s
        await asyncio.gather(*(d.work(until) for d in desks))
        if plan.outage_s > 0:
            await cancel(streams)
            streams = await _outage_and_back(desks, plan, phases, meeting)
        await meeting.meet(centre_probe.WAIT)
        # Drain: every outbox empty (the desk retries until the server answers), bounded.
        drained = time.monotonic()
        until = time.monotonic() + DRAIN_S
        await asyncio.gather(*(d.push_outbox(burst=True, until=until) for d in desks))
        if any(d.outbox for d in desks):
            tally.error("outbox not drained after the run")
        # Grace for the last events to reach their streams: a stream still on its backoff
        # after the outage gets what it is owed by its Last-Event-ID when it comes back.
        # (A process holds whole teams, so what its desks are owed is known here.)
        members = _members(desks)
        streams_back = max((d.stream_back_at for d in desks), default=0.0)
        deadline = max(time.monotonic(), streams_back) + 10
        while time.monotonic() < deadline and _undelivered(tally, members):
            await asyncio.sleep(0.1)
        phases["drain_s"] = time.monotonic() - drained
        for desk in desks:
            desk.stop()
        await cancel([*streams, lag])
    return ShardResult(tally=tally, phases=phases, members=members)


async def _outage_and_back(
    desks: list[Desk], plan: Plan, phases: dict[str, float], meeting: PhaseMeeting
) -> list[asyncio.Task[None]]:
    """The outage (streams dropped, calls logged offline), then each desk back at its own
    next try, flushing its backlog and working on; the desks' new streams."""
    for desk in desks:
        desk.online.clear()
    until = await meeting.meet(centre_probe.OUTAGE) + plan.outage_s
    await asyncio.gather(*(d.offline(until, together=plan.together) for d in desks))
    # The probe is back at once: it measures the seconds after the outage.
    back = await meeting.meet(centre_probe.AFTER)
    phases["back_monotonic"] = back  # (for the probe's samples; dropped from the results)
    phases["backlog_writes"] = sum(len(d.outbox) for d in desks)
    phases["desks_back_within_s"] = max(0.0, *(d.back_at - back for d in desks))
    phases["streams_back_within_s"] = max(0.0, *(d.stream_back_at - back for d in desks))
    for desk in desks:
        desk.online.set()
    streams = [asyncio.create_task(d.hold_stream()) for d in desks]
    flushed: list[float] = []

    async def come_back(desk: Desk) -> None:
        # Each desk flushes when its own engine finds the server, then works on.
        await desk.reconnect(until=back + DRAIN_S)
        flushed.append(desk.flushed_at)
        await desk.work(back + plan.burst_s, burst=True)

    await asyncio.gather(*(come_back(d) for d in desks))
    phases["backlog_flush_s"] = max(flushed, default=back) - back
    return streams


def _members(desks: list[Desk]) -> dict[int, set[int]]:
    teams: dict[int, set[int]] = {}
    for desk in desks:
        teams.setdefault(desk.team, set()).add(desk.index)
    return teams


def _undelivered(tally: Tally, members: dict[int, set[int]]) -> int:
    missing = 0
    for marker, sent in tally.presence.items():
        if not sent.answered:
            continue  # never committed as far as the desk knows: nothing owed
        expected = members[sent.team] & sent.expected
        missing += len(expected - tally.seen.get(marker, {}).keys())
    return missing


def deliveries(
    tally: Tally, members: dict[int, set[int]]
) -> tuple[list[float], list[float], list[float]]:
    """Per (event, subscriber): ms from sent and from answered; per event: ms until all had it."""
    from_sent, from_answer, all_had = [], [], []
    for marker, sent in tally.presence.items():
        seen = tally.seen.get(marker, {})
        expected = members[sent.team] & sent.expected
        if not sent.answered or not expected:
            continue
        times = [seen[d] for d in expected if d in seen]
        from_sent += [(t - sent.sent) * 1e3 for t in times]
        from_answer += [max(0.0, t - sent.answered) * 1e3 for t in times]
        if len(times) == len(expected):
            all_had.append((max(times) - sent.sent) * 1e3)
    return from_sent, from_answer, all_had


def figures_of(
    mode: str,
    plan: Plan,
    tally: Tally,
    members: dict[int, set[int]],
    phases: dict[str, float],
    count: ServerCount,
    floor_writes: list[float],
    floor_fanout: list[float],
    probe: ProbeResult,
) -> list[Figure]:
    from_sent, from_answer, all_had = deliveries(tally, members)
    back = phases.pop("back_monotonic", 0.0)
    in_flush = Probe.within(probe, back, back + phases.get("backlog_flush_s", 0.0))
    missed = _undelivered(tally, members)
    writes = tally.writes_ms
    floor = spread(floor_writes)
    fan = spread(floor_fanout)
    figures = [
        Figure(
            f"call-record write p95, steady ({mode})",
            pct(writes, 95),
            "ms",
            floor["p95"],
            "same rows, bare SQL",
            "≤ 200 ms",
            spread(writes),
        ),
        Figure(
            "call-record write p95, from the outage's end (backlog flush, then work; "
            + (
                "every desk back in the same instant)"
                if plan.together
                else "desks back by their backoff)"
            ),
            pct(tally.burst_writes_ms, 95),
            "ms",
            floor["p95"],
            "same rows, bare SQL",
            "≤ 200 ms",
            spread(tally.burst_writes_ms),
        ),
        Figure(
            "call-record write p95, steady, one desk in a process of its own (probe)",
            pct(probe.steady_ms, 95),
            "ms",
            floor["p95"],
            "same rows, bare SQL",
            "≤ 200 ms",
            {**spread(probe.steady_ms), "errors": float(probe.errors)},
        ),
        Figure(
            "call-record write p95, from the outage's end, one desk in a process of its own"
            " (probe)",
            pct(probe.after_ms, 95),
            "ms",
            floor["p95"],
            "same rows, bare SQL",
            "≤ 200 ms",
            spread(probe.after_ms),
        ),
        Figure(
            "call-record write p95, during the backlog flush (the outage's end → the last"
            " desk's backlog acknowledged), one desk in a process of its own (probe)",
            pct(in_flush, 95),
            "ms",
            floor["p95"],
            "same rows, bare SQL",
            "≤ 200 ms",
            spread(in_flush),
        ),
        Figure(
            "event delivery p95, presence change sent → each team stream",
            pct(from_sent, 95),
            "ms",
            fan["p95"],
            "bare asyncio broadcast",
            "≤ 500 ms",
            {**spread(from_sent), "from_answer_p95": pct(from_answer, 95)},
        ),
        Figure(
            "event delivery p95, until every team stream had it",
            pct(all_had, 95),
            "ms",
            fan["max"],
            "bare broadcast, slowest",
            "≤ 500 ms",
            spread(all_had),
        ),
        Figure(
            "call records written per second, steady",
            len(writes) / plan.duration_s,
            "/s",
            plan.desks / plan.pace.write_s,
            "offered: desks ÷ 4 s",
            "= offered",
        ),
        Figure(
            "backlog flush after the outage (until the last desk's backlog is acknowledged)",
            phases.get("backlog_flush_s", 0.0),
            "s",
            *(
                (
                    phases.get("backlog_writes", 0.0) * floor["p50"] / 1e3,
                    "same rows, bare SQL, one connection",
                )
                if plan.together
                else (phases.get("desks_back_within_s", 0.0), "the last desk's engine tries again")
            ),
            "",
            {
                "writes": phases.get("backlog_writes", 0.0),
                "desks_back_within_s": phases.get("desks_back_within_s", 0.0),
                "streams_back_within_s": phases.get("streams_back_within_s", 0.0),
            },
        ),
        Figure(
            "errors (all kinds, retried ones included)", sum(tally.errors.values()), "", aim="0"
        ),
        Figure("events owed to a stream and not delivered", missed, "", aim="0"),
        Figure(
            "call records lost (acknowledged, or queued and never acknowledged)",
            count.lost_queued,
            "",
            aim="0",
        ),
        Figure("call records doubled on the server", count.doubled, "", aim="0"),
        Figure(
            "sign-in p95 during the ramp",
            pct(tally.signins_ms, 95),
            "ms",
            detail=spread(tally.signins_ms),
        ),
        Figure("feed pull p95", pct(tally.pulls_ms, 95), "ms", detail=spread(tally.pulls_ms)),
        Figure(
            "presence change p95",
            pct(tally.presence_ms, 95),
            "ms",
            detail=spread(tally.presence_ms),
        ),
    ]
    return figures


def client_figures(sharded: ShardedRun, flush_window: tuple[float, float]) -> list[Figure]:
    """The load client's own CPU and event-loop lag: in every latency it measures (the probe's
    excepted), so they are reported beside them, for the whole run and for the flush; with
    several client processes, for each of them as well."""

    def in_flush(tally: Tally) -> list[float]:
        return [
            lag
            for lag, at in zip(tally.loop_lag_ms, tally.loop_lag_at, strict=True)
            if flush_window[0] <= at <= flush_window[1]
        ]

    wall = max((s.wall_s for s in sharded.shards), default=0.0)
    cpu = sum(s.cpu_s for s in sharded.shards)
    everyone = sharded.tally
    procs = len(sharded.shards)
    figures = [
        Figure(
            "load client CPU (share of one core, all its processes)",
            100 * cpu / wall if wall else float("nan"),
            "%",
            detail={"processes": float(procs)},
        ),
        Figure(
            "load client event-loop lag p95 (in every latency above; all its processes)",
            pct(everyone.loop_lag_ms, 95),
            "ms",
            detail=spread(everyone.loop_lag_ms),
        ),
        Figure(
            "load client event-loop lag p95, during the backlog flush (all its processes)",
            pct(in_flush(everyone), 95),
            "ms",
            detail=spread(in_flush(everyone)),
        ),
    ]
    if procs > 1:
        for shard in sharded.shards:
            lag = in_flush(shard.tally)
            figures.append(
                Figure(
                    f"load client process {shard.index + 1} of {procs}"
                    f" ({sum(len(m) for m in shard.members.values())} desks):"
                    " event-loop lag p95 during the backlog flush",
                    pct(lag, 95),
                    "ms",
                    detail={
                        **spread(lag),
                        "whole_run_p95": pct(shard.tally.loop_lag_ms, 95),
                        "cpu_percent": 100 * shard.cpu_s / shard.wall_s if shard.wall_s else 0,
                    },
                )
            )
    return figures


def run_clients(
    urls: list[str],
    teams: dict[str, int],
    cursor: int,
    plan: Plan,
    run: str,
    probe: Probe | None,
    procs: int,
) -> ShardedRun:
    """The desks in this process (``procs`` 1) or over ``procs`` processes, whole teams each."""
    if procs <= 1:
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.monotonic()
        result = asyncio.run(run_desks(urls, teams, cursor, plan, run, LocalPhases(probe)))
        used = resource.getrusage(resource.RUSAGE_SELF)
        result.cpu_s = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
        result.wall_s = time.monotonic() - wall
        return ShardedRun([result])
    by_team: dict[int, list[int]] = {}
    for i in range(plan.desks):
        by_team.setdefault(teams[desk_name(i)], []).append(i)
    shares = teams_over(by_team, procs)
    phases = (
        [centre_probe.STEADY, centre_probe.OUTAGE, centre_probe.AFTER, centre_probe.WAIT]
        if plan.outage_s > 0
        else [centre_probe.STEADY, centre_probe.WAIT]
    )
    # The server sees as many sign-ins at once as with one process (argon2 is slow on purpose).
    at_once = max(1, SIGN_IN_AT_ONCE // len(shares))
    # No phase lasts longer than this (a bound on a broken run, not a wait).
    longest = max(plan.duration_s, plan.outage_s, plan.burst_s) + RAMP_S + DRAIN_S
    sharded = run_sharded(
        run_desks, (urls, teams, cursor, plan, run), shares, at_once, phases, probe, longest
    )
    if not sharded.shards:
        raise SystemExit("no client process answered")
    return sharded


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--desks", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1, help="per instance (PostgreSQL)")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--balancer", choices=["haproxy", "client"], default="haproxy")
    parser.add_argument("--duration", type=float, default=120.0, help="steady phase, seconds")
    parser.add_argument("--outage", type=float, default=20.0, help="offline seconds (0: none)")
    parser.add_argument("--burst", type=float, default=15.0, help="work after the outage, s")
    parser.add_argument(
        "--together",
        action="store_true",
        help="after the outage every desk comes back in the same instant (a stress figure;"
        " real desks come back when their own jittered backoff next tries)",
    )
    parser.add_argument("--write-every", type=float, default=4.0, help="seconds per desk")
    parser.add_argument("--presence-every", type=float, default=30.0)
    parser.add_argument("--pull-every", type=float, default=30.0)
    parser.add_argument("--url", help="run against this server instead of starting one")
    parser.add_argument("--database-url", help="with --url: its database, to count writes")
    parser.add_argument("--name", help="results file name (default from the mode)")
    parser.add_argument(
        "--client-procs",
        type=int,
        default=CLIENT_PROCS,
        help="load client processes, whole teams each (1: every desk on one event loop, as"
        " before; real desks are PCs of their own)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.backend == "sqlite" and (args.workers > 1 or args.instances > 1):
        parser.error("SQLite runs one server process: no --workers or --instances")
    if args.url and not args.database_url:
        parser.error("--url needs --database-url (to read the desks' teams and count writes)")
    plan = Plan(
        desks=args.desks,
        duration_s=args.duration,
        outage_s=args.outage,
        burst_s=args.burst,
        together=args.together,
        pace=Pace(args.write_every, args.presence_every, args.pull_every),
    )
    centre = None
    if args.url:
        urls, database_url, balancer = [args.url.rstrip("/")], args.database_url, "given"
    else:
        centre = Centre(
            args.backend,
            args.desks + 1,  # and the probe's user (``desk_name(desks)``)
            workers=args.workers,
            instances=args.instances,
            balancer=args.balancer,
        )
        urls, database_url, balancer = centre.urls, centre.database_url, centre.balancer
    run = f"lt{uuid.uuid4().hex[:8]}"
    try:
        teams, cursor = users_and_teams(database_url, args.desks)
        # The probe's user is the one after the desks' (not in a --url centre seeded for
        # exactly --desks: then it cannot sign in and its figures are empty).
        probe = Probe(urls[0], desk_name(args.desks), PASSWORD, run)
        try:
            sharded = run_clients(urls, teams, cursor, plan, run, probe, args.client_procs)
        finally:
            probed = probe.finish()
        tally, members, phases = sharded.tally, sharded.members, sharded.phases
        back = phases.get("back_monotonic", 0.0)
        flush_window = (back, back + phases.get("backlog_flush_s", 0.0))
        count = count_on_server(database_url, run, tally)
        if centre is not None:
            centre.stop_servers()
            phases["server_tracebacks"] = centre.log_lines(
                "Traceback"
            )  # the floors run on a quiet machine, as the figures did not
        sample = max(200, min(2000, len(tally.writes_ms)))
        floor_writes = bare_sql_writes(database_url, sample, *_floor_user(database_url))
        member_lists = {team: sorted(m) for team, m in members.items()}
        presence_rate = args.desks / args.presence_every
        floor_fanout = asyncio.run(
            broadcast_floor(member_lists, min(300, max(30, len(tally.presence))), presence_rate)
        )
    finally:
        if centre is not None:
            centre.close()
    procs = len(sharded.shards)
    mode = (
        f"{args.backend}, {args.instances} instance(s) × {args.workers} worker(s), {balancer},"
        f" {procs} client process{'es' if procs > 1 else ''}"
    )
    figures = figures_of(
        mode, plan, tally, members, phases, count, floor_writes, floor_fanout, probed
    )
    figures += client_figures(sharded, flush_window)
    name = args.name or (
        f"centre_{args.backend}_{args.instances}x{args.workers}_{args.desks}"
        + ("_together" if args.together else "")
        + ("_oneproc" if procs == 1 else "")
        if not args.url
        else "centre_given"
    )
    errors = dict(Counter(tally.errors).most_common())
    record(
        name,
        figures,
        {
            "desks": args.desks,
            "backend": args.backend,
            "instances": args.instances,
            "workers": args.workers,
            "balancer": balancer,
            "duration_s": plan.duration_s,
            "outage_s": plan.outage_s,
            "burst_s": plan.burst_s,
            "together": plan.together,
            "client_procs": procs,
            "client_desks": [sum(len(m) for m in s.members.values()) for s in sharded.shards],
            "write_every_s": plan.pace.write_s,
            "presence_every_s": plan.pace.presence_s,
            "pull_every_s": plan.pace.pull_s,
            "errors": errors,
            "phases": phases,
            "server_count": count.__dict__,
            "reconnects": tally.reconnects,
            "pulled_changes": tally.pulled_changes,
        },
    )
    print(f"errors by kind: {errors or 'none'}", file=sys.stderr)
    print(f"server count: {count}; phases: {phases}", file=sys.stderr)
    return 0


def _floor_user(database_url: str) -> tuple[int, int, Clock]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            user_id, team_id = conn.execute(
                select(UserRow.id, UserRow.team_id).where(UserRow.username == desk_name(0))
            ).one()
    finally:
        engine.dispose()
    return int(user_id), int(team_id or 0), system_clock()


if __name__ == "__main__":
    sys.exit(main())
