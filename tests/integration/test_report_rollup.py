"""The reports' quarter-hour summaries (``server_stub.reports.rollup``) against the raw calls:
every traffic and handling report read from the summaries equals the same report computed from
the raw rows, on the hand-counted day (written through the API) and on a generated month with
random inserts, updates (the next-call relinking among them), moves and deletes interleaved
with the reports; SQLite and PostgreSQL. Also: a report never reads a stale quarter hour.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, delete, func, insert, select, update

from server_stub.core.db import Database
from server_stub.history import generate
from server_stub.models import DirtySlotRow, InteractionRow, QueueRow
from server_stub.next_calls import relink_all
from server_stub.reports import rollup
from server_stub.reports.dialect import Dialect
from server_stub.reports.handling import handling_report
from server_stub.reports.keeper import SummaryKeeper
from server_stub.reports.scope import ReportScope, queue_thresholds
from server_stub.reports.traffic import traffic_report
from sync.contract.records import Channel
from sync.contract.reports import Granularity, HandlingReport, ReportFilter
from sync.contract.wallboard import centre_zone, day_bounds
from tests.integration.conftest import Api
from tests.integration.test_api_reports import DAY, Day, _call, _get, at, day

__all__ = ["day"]  # the hand-counted day, a fixture of the reports' tests

ZONE = centre_zone()
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def scope_of(
    connection: Connection,
    wanted: ReportFilter,
    *,
    teams: frozenset[int] | None = None,
    agent_id: int | None = None,
) -> ReportScope:
    """As the route builds it (``server_stub.api.routes.reports._scope``)."""
    offset = day_bounds(wanted.date_from, ZONE)[0].utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return ReportScope(
        filter=wanted,
        teams=teams,
        agent_id=agent_id,
        zone=ZONE,
        dialect=Dialect(connection.dialect.name, ZONE.key, seconds),
        now=NOW,
        thresholds=queue_thresholds(connection),
    )


def _rounded(value: Any) -> Any:
    """Waits are summed in another order from the summaries: equal to the millisecond."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def assert_same(connection: Connection, scope: ReportScope) -> None:
    """Both reports from the summaries equal the raw ones (and the summaries were read)."""
    for report in (traffic_report, handling_report):
        summed = report(connection, scope)
        raw = report(connection, scope, summaries=False)
        assert _rounded(summed.model_dump()) == _rounded(raw.model_dump()), (
            report.__name__,
            scope.filter,
        )


def filters(first: date, last: date, teams: list[int], queues: list[str]) -> list[ReportFilter]:
    week = min(last, first + timedelta(days=6))
    shapes: list[dict[str, Any]] = [
        {"date_from": first, "date_to": last},
        {"date_from": first, "date_to": last, "granularity": Granularity.WEEK},
        {"date_from": first, "date_to": last, "granularity": Granularity.MONTH},
        {"date_from": first, "date_to": week, "granularity": Granularity.INTERVAL},
        {"date_from": first, "date_to": last, "team_id": teams[0]},
        {"date_from": first, "date_to": last, "channel": Channel.PHONE},
        {"date_from": first, "date_to": last, "answer_within_s": 30},
        {"date_from": first, "date_to": week, "answer_within_s": 25},  # raw: not summarised
    ]
    if queues:
        shapes.append({"date_from": first, "date_to": last, "queue": queues[0]})
    return [ReportFilter(**shape) for shape in shapes]


# --- the hand-counted day, written through the API ------------------------------------------


def test_the_hand_counted_day_from_the_summaries_equals_the_raw_rows(api: Api, day: Day) -> None:
    _get(api, "/reports/traffic", "zhangwei", **DAY)  # recomputes what the writes marked
    with api.database.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(DirtySlotRow)) == 0
        for wanted in filters(date(2026, 6, 10), date(2026, 6, 11), [day.team0], []):
            scope = scope_of(connection, wanted)
            if wanted.answer_within_s != 25:
                assert rollup.usable(scope)
            assert_same(connection, scope)
            assert_same(connection, scope_of(connection, wanted, teams=frozenset({day.team1})))


def test_a_report_never_reads_a_stale_quarter_hour(api: Api, day: Day) -> None:
    """Each write (a new call, an update through the API) is in the very next report."""

    def handled() -> int:
        report = HandlingReport.read(_get(api, "/reports/handling", "zhangwei", **DAY))
        return report.totals.handled

    assert handled() == 7
    _call(api, "wangfang", at(date(2026, 6, 10), 15, 0), customer=None, wait=5, talk=30)
    assert handled() == 8
    with api.database.session() as session:  # a row changed below the API (as a relink does)
        session.execute(
            update(InteractionRow)
            .where(InteractionRow.started_at == at(date(2026, 6, 10), 15, 0))
            .values(answered_at=None)
        )
        session.commit()
    assert handled() == 7


# --- a generated month, random writes interleaved -------------------------------------------


@pytest.fixture
def month(database_url: str) -> Database:
    database = Database(database_url)
    generate(
        database.engine,
        teams=2,
        days=31,
        end=date(2026, 6, 30),
        seed=3,
        customers_per_team=3_000,
    )
    return database


def _random_writes(connection: Connection, rng: random.Random, rounds: int) -> None:
    """Inserts, answer / time / transfer changes, moves to another quarter hour, deletes and
    the next-call relinking, as the write paths make them (the triggers see each)."""
    rows = connection.execute(
        select(
            InteractionRow.id,
            InteractionRow.team_id,
            InteractionRow.agent_id,
            InteractionRow.customer_id,
            InteractionRow.started_at,
            InteractionRow.queue,
        ).order_by(InteractionRow.id)
    ).all()
    picks = rng.sample(rows, rounds)
    for n, row in enumerate(picks):
        started = row.started_at.astimezone(UTC)
        action = n % 5
        if action == 0:  # a late write from an offline desk: a new answered call
            connection.execute(
                insert(InteractionRow).values(
                    team_id=row.team_id,
                    agent_id=row.agent_id,
                    customer_id=row.customer_id,
                    kind="call_in",
                    started_at=started - timedelta(minutes=7),
                    answered_at=started - timedelta(minutes=7) + timedelta(seconds=17),
                    ended_at=started - timedelta(minutes=3),
                    talk_s=200,
                    hold_s=3,
                    wrap_up_s=11,
                    transfers=1,
                    queue=row.queue,
                    product_line="",
                    version=1,
                    updated_at=NOW,
                )
            )
        elif action == 1:  # abandoned after all
            connection.execute(
                update(InteractionRow)
                .where(InteractionRow.id == row.id)
                .values(answered_at=None, ended_at=started + timedelta(seconds=rng.randint(1, 200)))
            )
        elif action == 2:  # moved to another quarter hour (and day)
            connection.execute(
                update(InteractionRow)
                .where(InteractionRow.id == row.id)
                .values(started_at=started + timedelta(hours=rng.randint(1, 30)))
            )
        elif action == 3:
            connection.execute(delete(InteractionRow).where(InteractionRow.id == row.id))
        else:  # talk, wrap-up and a transfer changed
            connection.execute(
                update(InteractionRow)
                .where(InteractionRow.id == row.id)
                .values(talk_s=rng.randint(0, 900), wrap_up_s=rng.randint(0, 90), transfers=2)
            )
    relink_all(connection)  # every customer's next call again, as FCR's relinking does


@pytest.mark.slow
def test_a_generated_month_with_random_writes_equals_the_raw_rows(month: Database) -> None:
    rng = random.Random(21)
    engine = month.engine
    with engine.connect() as connection:
        teams = sorted(
            {t for (t,) in connection.execute(select(InteractionRow.team_id).distinct())}
        )
        queues = sorted({q for (q,) in connection.execute(select(QueueRow.name)) if q})
        assert connection.scalar(select(func.count()).select_from(DirtySlotRow)) == 0
    first, last = date(2026, 5, 31), date(2026, 6, 30)
    for _ in range(2):
        with engine.begin() as connection:
            _random_writes(connection, rng, 40)
        with engine.connect() as connection:
            assert (connection.scalar(select(func.count()).select_from(DirtySlotRow)) or 0) > 0
        assert rollup.refresh(engine) > 0
        with engine.connect() as connection:
            for wanted in filters(first, last, teams, queues):
                scope = scope_of(connection, wanted)
                assert rollup.usable(scope) == (wanted.answer_within_s != 25)
                assert_same(connection, scope)
            assert_same(
                connection,
                scope_of(
                    connection,
                    ReportFilter(date_from=first, date_to=last),
                    teams=frozenset(teams[1:]),
                ),
            )
    # The CLI's rebuild (the backfill) gives the same summaries as the refreshes kept.
    with engine.connect() as connection:
        kept = sorted(
            tuple(r)
            for r in connection.execute(
                select(rollup.BUCKETS).with_only_columns(
                    *[c for c in rollup.BUCKETS.c if c.name not in ("id", "wait_s")]
                )
            )
        )
    assert rollup.main(["--database-url", engine.url.render_as_string(hide_password=False)]) == 0
    with engine.connect() as connection:
        rebuilt = sorted(
            tuple(r)
            for r in connection.execute(
                select(rollup.BUCKETS).with_only_columns(
                    *[c for c in rollup.BUCKETS.c if c.name not in ("id", "wait_s")]
                )
            )
        )
    assert kept == rebuilt
    month.dispose()


def test_the_background_round_recomputes_the_marks_without_a_report(api: Api) -> None:
    """A centre where nobody opens a report keeps few marks: the server's round recomputes
    the marked quarter hours on its own (server_stub.reports.keeper)."""
    _call(api, "wangfang", at(date(2026, 6, 10), 15, 0), customer=None, wait=5, talk=30)
    with api.database.engine.connect() as connection:
        marks = connection.execute(select(func.count()).select_from(DirtySlotRow)).scalar_one()
    assert marks >= 1
    assert SummaryKeeper(api.database, every_s=0).round() >= 1
    with api.database.engine.connect() as connection:
        left = connection.execute(select(func.count()).select_from(DirtySlotRow)).scalar_one()
    assert left == 0
