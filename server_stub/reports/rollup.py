"""Report summaries (issue 21): the calls of each UTC quarter hour per team, queue, kind and
product line (``report_call_buckets``) and the repeat callers of each (``report_repeat_buckets``),
kept exact by recomputing the quarter hours whose calls changed.

How they stay exact: triggers on ``interactions`` (migration 0023_report_rollup) write the
quarter hour of every inserted, updated or deleted row into ``report_dirty_slots`` in the
writer's own transaction, whichever path wrote it (one call, the batch fast lane, the next-call
relinking of first-contact resolution, an offline desk's late write, the history generator).
Before a report reads the summaries, ``refresh`` recomputes those quarter hours from the raw
rows and clears the marks it read (by id: a mark committed meanwhile stays for the next
refresh), one refresh at a time (an advisory lock on PostgreSQL; SQLite has one writer at a
time); writers are never held back. So a report never sums a stale quarter hour.

Why quarter hours in UTC: every zone's offset is a whole number of quarter hours, so a slot
falls in exactly one local 15-minute interval, hour and day, and reports in the centre's zone
group slots the way they group raw calls (``Dialect.local_seconds_of_slot``).

What stays raw: an agent's own figures (the agent's index is fast), a service-level threshold
not in ``ROLLUP_THRESHOLDS_S``, the people and service reports, the drill-down.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    text,
)

from server_stub.models import (
    ROLLUP_THRESHOLDS_S,
    CallBucketRow,
    DirtySlotRow,
    RepeatBucketRow,
)
from server_stub.reports.dialect import Dialect
from server_stub.reports.scope import CHANNEL_KINDS, I, ReportScope, repeated_within
from sync.contract.reports import ABANDON_BOUNDS_S
from sync.contract.wallboard import DEFAULT_ANSWER_WITHIN_S

SLOT_S = 900
BUCKETS = cast(Table, CallBucketRow.__table__)
REPEATS = cast(Table, RepeatBucketRow.__table__)
DIRTY = cast(Table, DirtySlotRow.__table__)
B = BUCKETS.c
R = REPEATS.c
_KEYS = ("team_id", "queue", "kind", "product_line")
# Quarter hours this close together are recomputed in one pass (empty ones cost nothing).
_MERGE_GAP = 96
_DELETE_CHUNK = 10_000
REFRESH_LOCK_ID = 7_243_031  # a PostgreSQL advisory lock (7_243_001..026 are taken)


def slot_instant(slot: int) -> datetime:
    return datetime.fromtimestamp(slot * SLOT_S, UTC)


def slot_of(d: Dialect, column: Any) -> Any:
    """The UTC quarter hour of an instant column, in SQL."""
    return d.utc_seconds(column) // SLOT_S


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum(value: Any) -> Any:
    return func.coalesce(func.sum(value), 0)


def _bucket_select(d: Dialect, start: datetime, end: datetime) -> Any:
    """The summary rows of the calls that started in [start, end), from the raw rows."""
    slot = slot_of(d, I.started_at).label("slot")
    inbound = I.kind == "call_in"
    answered = and_(inbound, I.answered_at.is_not(None))
    abandoned = and_(inbound, I.answered_at.is_(None))
    handled = I.answered_at.is_not(None)
    wait = d.seconds_between(I.started_at, I.answered_at)
    gave_up_after = func.coalesce(d.seconds_between(I.started_at, I.ended_at), 0.0)
    buckets: list[Any] = []
    low: float | None = None
    for bound in (*ABANDON_BOUNDS_S, None):
        condition = [abandoned]
        if low is not None:
            condition.append(gave_up_after >= low)
        if bound is not None:
            condition.append(gave_up_after < bound)
        buckets.append(_count(and_(*condition)).label(f"ab{len(buckets)}"))
        low = bound
    contact = and_(handled, inbound, I.customer_id.is_not(None))
    again = repeated_within(d)
    within = [
        _count(and_(answered, wait <= seconds)).label(f"within_{seconds}")
        for seconds in ROLLUP_THRESHOLDS_S
    ]
    return (
        select(
            slot,
            I.team_id,
            I.queue,
            I.kind,
            I.product_line,
            func.count().label("calls"),
            _count(inbound).label("offered"),
            _count(answered).label("answered"),
            _count(abandoned).label("abandoned"),
            *buckets,
            _count(I.kind == "call_out").label("outbound"),
            func.coalesce(func.sum(case((answered, wait), else_=0.0)), 0.0).label("wait_s"),
            *within,
            _count(handled).label("handled"),
            _sum(case((handled, I.talk_s), else_=0)).label("talk_s"),
            _sum(case((handled, I.hold_s), else_=0)).label("hold_s"),
            _sum(case((handled, I.wrap_up_s), else_=0)).label("wrap_up_s"),
            _count(and_(handled, I.transfers > 0)).label("transferred"),
            _sum(case((handled, I.transfers), else_=0)).label("transfers"),
            _count(contact).label("contacts"),
            _count(and_(contact, ~again)).label("first_contact_resolved"),
        )
        .where(I.started_at >= start, I.started_at < end)
        .group_by(slot, I.team_id, I.queue, I.kind, I.product_line)
    )


def _repeat_select(d: Dialect, start: datetime, end: datetime) -> Any:
    slot = slot_of(d, I.started_at).label("slot")
    return (
        select(slot, I.team_id, I.queue, I.kind, I.product_line, I.customer_id)
        .where(
            I.started_at >= start,
            I.started_at < end,
            I.answered_at.is_not(None),
            I.kind == "call_in",
            I.customer_id.is_not(None),
            repeated_within(d),
        )
        .distinct()
    )


def recompute(connection: Connection, slots: Iterable[int]) -> int:
    """Recompute the summaries of these quarter hours from the raw rows; how many passes."""
    d = Dialect(connection.dialect.name, "UTC", 0)
    passes = 0
    for first, last in _ranges(sorted(set(slots))):
        start, end = slot_instant(first), slot_instant(last + 1)
        for table in (BUCKETS, REPEATS):
            connection.execute(delete(table).where(table.c.slot >= first, table.c.slot <= last))
        bucket_columns = [c.name for c in BUCKETS.c if c.name != "id"]
        connection.execute(
            insert(BUCKETS).from_select(bucket_columns, _bucket_select(d, start, end))
        )
        repeat_columns = [c.name for c in REPEATS.c if c.name != "id"]
        connection.execute(
            insert(REPEATS).from_select(repeat_columns, _repeat_select(d, start, end))
        )
        passes += 1
    return passes


def _ranges(slots: Sequence[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for slot in slots:
        if ranges and slot - ranges[-1][1] <= _MERGE_GAP:
            ranges[-1] = (ranges[-1][0], slot)
        else:
            ranges.append((slot, slot))
    return ranges


def refresh(engine: Engine) -> int:
    """Recompute every dirty quarter hour (before a report reads the summaries); how many
    were dirty. Nothing to do costs one indexed probe."""
    with engine.connect() as probe:
        if probe.execute(select(DIRTY.c.id).limit(1)).first() is None:
            return 0
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Refreshes one at a time (two would insert the same quarter hour twice); writers
            # are never held back.
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": REFRESH_LOCK_ID})
        else:
            # Take SQLite's write lock first: a read before the first write could not be
            # upgraded once another writer committed (SQLITE_BUSY_SNAPSHOT).
            connection.execute(delete(DIRTY).where(DIRTY.c.id < 0))
        # Only the marks read here are cleared, by id: a writer's mark not yet committed is
        # not among them and stays for the next refresh; one that is was committed with its
        # calls, which the recompute's statements (each a fresh snapshot) then see.
        marks = connection.execute(select(DIRTY.c.id, DIRTY.c.slot)).all()
        slots = {int(slot) for _, slot in marks}
        recompute(connection, slots)
        ids = [int(mark_id) for mark_id, _ in marks]
        for n in range(0, len(ids), _DELETE_CHUNK):
            connection.execute(delete(DIRTY).where(DIRTY.c.id.in_(ids[n : n + _DELETE_CHUNK])))
    return len(slots)


def rebuild(engine: Engine) -> None:
    """Recompute every summary from the raw rows (the backfill; the history generator)."""
    with engine.begin() as connection:
        d = Dialect(connection.dialect.name, "UTC", 0)
        first, last = connection.execute(
            select(func.min(slot_of(d, I.started_at)), func.max(slot_of(d, I.started_at)))
        ).one()
        connection.execute(delete(DIRTY))
        connection.execute(delete(BUCKETS))
        connection.execute(delete(REPEATS))
        if first is not None:
            recompute(connection, range(int(first), int(last) + 1))


# --- reading -------------------------------------------------------------------------------


def usable(scope: ReportScope) -> bool:
    """The summaries answer this report: not one agent's figures (no agent in the summaries)
    and every threshold the report needs is one they count."""
    if scope.agent_id is not None:
        return False
    if scope.filter.answer_within_s is not None:
        return scope.filter.answer_within_s in ROLLUP_THRESHOLDS_S
    return all(seconds in ROLLUP_THRESHOLDS_S for seconds in _queue_thresholds(scope))


def _queue_thresholds(scope: ReportScope) -> set[int]:
    return {*scope.thresholds.values(), DEFAULT_ANSWER_WITHIN_S}


def bucket_clauses(scope: ReportScope, columns: Any = B) -> list[Any]:
    """The report's filter on a summary table (no agent: ``usable`` sent those to raw)."""
    c = columns
    first = int(scope.start.timestamp()) // SLOT_S
    end = int(scope.end.timestamp()) // SLOT_S
    clauses: list[Any] = [c.slot >= first, c.slot < end]
    if scope.teams is not None:
        clauses.append(c.team_id.in_(sorted(scope.teams)))
    if scope.filter.team_id is not None:
        clauses.append(c.team_id == scope.filter.team_id)
    if scope.filter.queue:
        clauses.append(c.queue == scope.filter.queue)
    if scope.filter.channel is not None:
        clauses.append(c.kind.in_(CHANNEL_KINDS[scope.filter.channel]))
    if scope.filter.product_line:
        clauses.append(c.product_line == scope.filter.product_line)
    return clauses


def period_key(scope: ReportScope, columns: Any = B) -> Any:
    local = scope.dialect.local_seconds_of_slot(columns.slot, SLOT_S)
    return (local // scope.periods.step_s).label("k")


def within_column(scope: ReportScope) -> Any:
    """Each row's calls answered within its queue's threshold (or the filter's)."""
    if scope.filter.answer_within_s is not None:
        return B[f"within_{scope.filter.answer_within_s}"]
    if not scope.thresholds:
        return B[f"within_{DEFAULT_ANSWER_WITHIN_S}"]
    return case(
        {queue: B[f"within_{seconds}"] for queue, seconds in scope.thresholds.items()},
        value=B.queue,
        else_=B[f"within_{DEFAULT_ANSWER_WITHIN_S}"],
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m server_stub.reports.rollup --database-url URL``: recompute every summary
    (after the migration on a database with calls, or to check them)."""
    from server_stub.core.db import make_engine  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    try:
        rebuild(engine)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
