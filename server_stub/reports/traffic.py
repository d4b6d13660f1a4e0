"""Traffic: offered, answered, abandoned (by how long the caller waited), service level,
answer rate, outbound calls; per period and as a weekday × hour heat map. One grouped pass
over the range's calls (by local hour, or 15-minute interval), folded into periods here."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from server_stub.reports import rollup
from server_stub.reports.rollup import B
from server_stub.reports.scope import I, ReportScope
from sync.contract.reports import ABANDON_BOUNDS_S, HeatCell, TrafficPeriod, TrafficReport

_FIELDS = ("offered", "answered", "abandoned", "answered_within", "outbound")


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def traffic_statement(scope: ReportScope) -> Any:
    d = scope.dialect
    key = (d.local_seconds(I.started_at) // scope.periods.step_s).label("k")
    inbound = I.kind == "call_in"
    answered = and_(inbound, I.answered_at.is_not(None))
    abandoned = and_(inbound, I.answered_at.is_(None))
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
    return (
        select(
            key,
            _count(inbound).label("offered"),
            _count(answered).label("answered"),
            _count(abandoned).label("abandoned"),
            _count(and_(answered, wait <= scope.threshold())).label("answered_within"),
            _count(I.kind == "call_out").label("outbound"),
            func.coalesce(func.sum(case((answered, wait), else_=0.0)), 0.0).label("wait"),
            *buckets,
        )
        .where(*scope.interaction_clauses())
        .group_by(key)
    )


def summary_statement(scope: ReportScope) -> Any:
    """The same sums as ``traffic_statement``, from the quarter-hour summaries."""
    key = rollup.period_key(scope)
    return (
        select(
            key,
            func.sum(B.offered).label("offered"),
            func.sum(B.answered).label("answered"),
            func.sum(B.abandoned).label("abandoned"),
            func.sum(rollup.within_column(scope)).label("answered_within"),
            func.sum(B.outbound).label("outbound"),
            func.sum(B.wait_s).label("wait"),
            *(func.sum(B[f"ab{n}"]).label(f"ab{n}") for n in range(len(ABANDON_BOUNDS_S) + 1)),
        )
        .where(*rollup.bucket_clauses(scope))
        .group_by(key)
    )


def traffic_report(
    connection: Connection, scope: ReportScope, *, summaries: bool = True
) -> TrafficReport:
    """``summaries``: read the quarter-hour summaries where they answer the report (False:
    always the raw calls, what the differential tests compare them with)."""
    periods = scope.periods
    sums: dict[datetime, dict[str, Any]] = {start: _zero() for start in periods.starts()}
    heat: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    total = _zero()
    use = summaries and rollup.usable(scope)
    statement = summary_statement(scope) if use else traffic_statement(scope)
    for row in connection.execute(statement):
        slot = periods.slot(row.k)
        target = sums.setdefault(slot.period, _zero())
        for into in (target, total):
            for name in _FIELDS:
                into[name] += int(getattr(row, name))
            into["total_wait_s"] += float(row.wait)
            for n in range(len(ABANDON_BOUNDS_S) + 1):
                into["abandoned_after"][n] += int(getattr(row, f"ab{n}"))
        cell = heat[slot.weekday, slot.hour]
        cell[0] += int(row.offered)
        cell[1] += int(row.answered)
    return TrafficReport(
        filter=scope.filter,
        zone=scope.zone.key,
        answer_within_s=scope.answer_within_s,
        totals=TrafficPeriod(start=scope.start.astimezone(scope.zone), **total),
        periods=[TrafficPeriod(start=start, **values) for start, values in sorted(sums.items())],
        heatmap=[
            HeatCell(weekday=w, hour=h, offered=heat[w, h][0], answered=heat[w, h][1])
            for w in range(7)
            for h in range(24)
        ],
    )


def _zero() -> dict[str, Any]:
    return {
        **dict.fromkeys(_FIELDS, 0),
        "total_wait_s": 0.0,
        "abandoned_after": [0] * (len(ABANDON_BOUNDS_S) + 1),
    }
