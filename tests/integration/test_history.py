"""The generated history (server_stub.history): its shape, and that the database holds
exactly the offered calls the pure function promises."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from server_stub.core.db import make_engine
from server_stub.history import LINES, calendar_day, generate, offered_counts, offered_series
from server_stub.models import AgentStateRow, InteractionRow, TaskRow, TicketRow
from sync.contract.wallboard import centre_zone, interval_of


def _week(line: int, first: date) -> list[int]:
    return [sum(offered_counts(line, first + timedelta(days=n), seed=1)) for n in range(7)]


def test_offered_counts_are_deterministic_by_seed() -> None:
    day = date(2026, 3, 11)
    assert offered_counts(0, day, seed=1) == offered_counts(0, day, seed=1)
    assert offered_counts(0, day, seed=1) != offered_counts(0, day, seed=2)
    assert len(offered_counts(1, day, seed=1)) == 96


def test_weekday_holiday_and_intraday_shape() -> None:
    plain = _week(0, date(2026, 3, 9))  # a Monday, no holiday near
    assert min(plain[:5]) > 1.3 * max(plain[5:])  # weekdays busier than the weekend
    festival = sum(offered_counts(0, date(2026, 2, 18), seed=1))  # 春节 2026
    assert festival < 0.4 * plain[2]
    # The Saturday worked before Spring Festival (调休) is a working day's volume.
    assert calendar_day(date(2026, 2, 14)).adjusted_workday
    assert sum(offered_counts(0, date(2026, 2, 14), seed=1)) > 1.3 * plain[5]
    # The first working day after the festival brings the calls that waited.
    assert sum(offered_counts(0, date(2026, 2, 24), seed=1)) > 1.1 * plain[1]
    daytime = offered_counts(1, date(2026, 3, 11), seed=1)
    assert sum(daytime[:32]) == 0
    assert sum(daytime[80:]) == 0
    night = offered_counts(0, date(2026, 3, 11), seed=1)
    assert 0 < sum(night[8:20]) < sum(night[36:48]) / 5  # 02:00-05:00 against 09:00-12:00


def test_a_year_without_calendar_data_is_said_so() -> None:
    assert not calendar_day(date(2031, 1, 1)).known
    assert sum(offered_counts(0, date(2031, 1, 1), seed=1)) > 0


def test_series_names_each_line_by_queue() -> None:
    series = offered_series(date(2026, 3, 1), date(2026, 3, 3), seed=1)
    assert set(series) == {line.queue for line in LINES}
    assert len(series[LINES[0].queue]) == 3


def test_database_holds_the_offered_calls_and_a_realistic_mix(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'history.sqlite'}")
    end = date(2026, 3, 12)
    counts = generate(engine, teams=2, days=3, end=end, seed=1, customers_per_team=3000)
    zone = centre_zone()
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                InteractionRow.queue,
                InteractionRow.kind,
                InteractionRow.started_at,
                InteractionRow.ended_at,
                InteractionRow.answered_at,
                InteractionRow.customer_id,
            )
        ).all()
        tickets = conn.scalar(select(func.count()).select_from(TicketRow))
        rated = conn.scalar(
            select(func.count()).select_from(TaskRow).where(TaskRow.satisfaction.is_not(None))
        )
    assert len(rows) == counts.interactions
    assert tickets == counts.tickets
    assert rated
    offered: Counter[tuple[str, date, int]] = Counter()
    for row in rows:
        if row.kind == "call_in":
            local = row.started_at.astimezone(zone)
            offered[row.queue, local.date(), interval_of(row.started_at, zone)] += 1
    for index, line in enumerate(LINES):
        for day in (end - timedelta(days=n) for n in range(3)):
            counted = [offered[line.queue, day, i] for i in range(96)]
            assert counted == list(offered_counts(index, day, seed=1))
    inbound = [row for row in rows if row.kind == "call_in"]
    abandoned = sum(row.answered_at is None for row in inbound)
    assert 0.02 < abandoned / len(inbound) < 0.25
    assert any(row.kind == "call_out" for row in rows)
    crossing = [
        row
        for row in rows
        if row.ended_at.astimezone(zone).date() != row.started_at.astimezone(zone).date()
    ]
    assert crossing  # the 24x7 line's late calls end after midnight
    by_customer = Counter(row.customer_id for row in inbound)
    assert sum(1 for n in by_customer.values() if n > 1) > 50  # callers who rang again
    assert all(isinstance(row.started_at, datetime) for row in rows[:5])
    engine.dispose()


def test_agent_states_follow_the_calls_without_overlapping(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'states.sqlite'}")
    counts = generate(
        engine, teams=1, days=2, end=date(2026, 3, 12), seed=3, customers_per_team=500
    )
    with engine.connect() as conn:
        spans = conn.execute(
            select(
                AgentStateRow.user_id,
                AgentStateRow.state,
                AgentStateRow.started_at,
                AgentStateRow.ended_at,
            ).order_by(AgentStateRow.user_id, AgentStateRow.started_at, AgentStateRow.id)
        ).all()
        answered = conn.scalar(
            select(func.count())
            .select_from(InteractionRow)
            .where(InteractionRow.answered_at.is_not(None))
        )
    engine.dispose()
    assert counts.agent_states == len(spans)
    assert sum(1 for s in spans if s.state == "on_call") == answered
    busy: Counter[str] = Counter()
    for before, after in itertools.pairwise(spans):
        assert before.ended_at >= before.started_at
        if before.user_id == after.user_id:
            assert after.started_at >= before.ended_at  # one state at a time
    for span in spans:
        busy[span.state] += int((span.ended_at - span.started_at).total_seconds())
    occupancy = (busy["on_call"] + busy["wrap_up"]) / (
        busy["on_call"] + busy["wrap_up"] + busy["ready"]
    )
    assert 0.2 < occupancy < 0.95
