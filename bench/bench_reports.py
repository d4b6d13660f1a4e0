"""Reports over a generated year (issue 21): each report's aggregation, p95 over rounds, on
SQLite and on PostgreSQL, beside the floor: the bare ``GROUP BY`` that reads the same rows
(the same WHERE, one count per team or agent), measured in the same run.

The year comes from ``server_stub.history`` (two lines, about 1.2 M calls). SQLite's file is
kept (``--sqlite``, under /tmp) and made only when missing; PostgreSQL's is a throwaway
server from Debian's package, loaded each run (``--stores`` chooses).

    python -m bench.bench_reports --rounds 10 --sqlite /tmp/reports_year.sqlite
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from bench.results import Figure, record
from server_stub.core.db import make_engine
from server_stub.core.schema import migrate
from server_stub.history import generate
from server_stub.models import InteractionRow
from server_stub.reports import rollup
from server_stub.reports.dialect import Dialect
from server_stub.reports.drill import drill
from server_stub.reports.handling import handling_report
from server_stub.reports.people import people_report
from server_stub.reports.scope import A, I, ReportScope, T, queue_thresholds
from server_stub.reports.service import service_report
from server_stub.reports.traffic import traffic_report
from sync.clock import system_clock
from sync.contract.reports import DrillMeasure, DrillQuery, Granularity, ReportFilter
from sync.contract.wallboard import centre_zone

END = date(2026, 11, 30)
AIM = "p95 < 1 s"


@dataclass(frozen=True)
class Case:
    what: str
    run: Callable[[Connection, ReportScope], Any]
    floor: Callable[[ReportScope], Any]  # the bare GROUP BY over the same rows


def _calls_floor(scope: ReportScope) -> Any:
    return select(I.team_id, func.count()).where(*scope.interaction_clauses()).group_by(I.team_id)


def _agents_floor(scope: ReportScope) -> Any:
    return select(I.agent_id, func.count()).where(*scope.interaction_clauses()).group_by(I.agent_id)


def _tickets_floor(scope: ReportScope) -> Any:
    return (
        scope.tickets_from(select(T.team_id, func.count(A.id)))
        .where(*scope.ticket_clauses())
        .group_by(T.team_id)
    )


CASES = (
    Case("traffic, by day", traffic_report, _calls_floor),
    Case("handling + FCR, by day", handling_report, _calls_floor),
    Case("service, by day", service_report, _tickets_floor),
    Case("people", people_report, _agents_floor),
    Case(
        "drill-down, abandoned (first page)",
        lambda c, s: drill(c, s, DrillQuery(measure=DrillMeasure.ABANDONED)),
        _calls_floor,
    ),
)


def _scope(connection: Connection, days: int, granularity: Granularity) -> ReportScope:
    zone = centre_zone()
    wanted = ReportFilter(
        date_from=END - timedelta(days=days - 1), date_to=END, granularity=granularity
    )
    probe = ReportScope(wanted, None, None, zone, Dialect("", zone.key, 0), system_clock().now())
    offset = probe.start.utcoffset()
    return ReportScope(
        filter=wanted,
        teams=None,  # an admin: every team
        agent_id=None,
        zone=zone,
        dialect=Dialect(
            connection.dialect.name, zone.key, int(offset.total_seconds()) if offset else 0
        ),
        now=system_clock().now(),
        thresholds=queue_thresholds(connection),
    )


def _time(work: Callable[[], Any], rounds: int) -> dict[str, float]:
    work()  # a warm cache, as a server that has been up a while
    seconds = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - began)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {
        "p50_ms": statistics.median(seconds) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": seconds[-1] * 1000,
    }


def run_store(label: str, engine: Engine, rounds: int) -> list[Figure]:
    figures = []
    with engine.connect() as connection:
        rows = connection.scalar(select(func.count()).select_from(InteractionRow))
        print(f"{label}: {rows:,} interactions")
        year = _scope(connection, 365, Granularity.DAY)
        month = _scope(connection, 31, Granularity.INTERVAL)
        cases = [(case, year) for case in CASES]
        cases.insert(1, (Case("traffic, 15-min, 31 days", traffic_report, _calls_floor), month))
        cases.insert(3, (Case("handling, 15-min, 31 days", handling_report, _calls_floor), month))
        # The bare read of the summary rows a year's report sums (no grouping, no Python).
        cases.append((Case("summary rows, bare read", _summary_rows, _calls_floor), year))
        # One changed call, then the report: the quarter hour's recompute included.
        cases.append(
            (Case("traffic, by day, after one write", _after_write(engine), _calls_floor), year)
        )
        for case, scope in cases:
            value = _time(partial(case.run, connection, scope), rounds)
            floor = _time(partial(_bare, connection, case.floor(scope)), rounds)
            figures.append(
                Figure(
                    what=f"{label}: {case.what}",
                    value=value["p95_ms"],
                    unit="ms",
                    floor=floor["p95_ms"],
                    floor_what="bare GROUP BY, same rows",
                    aim=AIM,
                    detail={**value, **{f"floor_{k}": v for k, v in floor.items()}},
                )
            )
            print(f"  {case.what}: p95 {value['p95_ms']:.0f} ms, floor {floor['p95_ms']:.0f} ms")
    return figures


def _summary_rows(connection: Connection, scope: ReportScope) -> None:
    connection.execute(select(rollup.BUCKETS).where(*rollup.bucket_clauses(scope))).all()


def _after_write(engine: Engine) -> Callable[[Connection, ReportScope], Any]:
    """A report after one call of its range changed (its quarter hour recomputed first)."""

    def run(connection: Connection, scope: ReportScope) -> Any:
        with engine.begin() as writer:
            first = writer.scalar(
                select(func.min(I.id)).where(I.started_at >= scope.start + timedelta(days=100))
            )
            writer.execute(
                InteractionRow.__table__.update()
                .where(I.id == first)
                .values(talk_s=InteractionRow.__table__.c.talk_s + 1)
            )
        rollup.refresh(engine)
        connection.commit()  # SQLite: a new snapshot, with the recompute
        return traffic_report(connection, scope)

    return run


def _bare(connection: Connection, statement: Any) -> None:
    connection.execute(statement).all()


def _load(engine: Engine, seed: int) -> float:
    began = time.perf_counter()
    counts = generate(engine, teams=2, days=365, end=END, seed=seed)
    took = time.perf_counter() - began
    print(f"generated {counts.interactions:,} interactions in {took:.0f} s")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sqlite", type=Path, default=Path("/tmp/reports_year.sqlite"))
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    figures: list[Figure] = []
    parameters: dict[str, object] = {"rounds": args.rounds, "seed": args.seed, "end": str(END)}
    if "sqlite" in args.stores:
        fresh = not args.sqlite.exists()
        engine = make_engine(f"sqlite:///{args.sqlite}")
        try:
            if fresh:
                parameters["sqlite_load_s"] = round(_load(engine, args.seed), 1)
            else:  # a year made by an older release: its summaries backfilled (timed)
                began = time.perf_counter()
                migrate(engine)
                rollup.refresh(engine)
                parameters["sqlite_summaries_backfill_s"] = round(time.perf_counter() - began, 1)
            figures += run_store("SQLite", engine, args.rounds)
        finally:
            engine.dispose()
    if "postgresql" in args.stores:
        from tests.fakes.postgres import PostgresServer  # noqa: PLC0415 (only for this store)

        server = PostgresServer()
        try:
            engine = make_engine(server.create_database("reports"))
            parameters["postgresql_load_s"] = round(_load(engine, args.seed), 1)
            figures += run_store("PostgreSQL", engine, args.rounds)
            engine.dispose()
        finally:
            server.stop()
    record("reports", figures, parameters)


if __name__ == "__main__":
    main()
