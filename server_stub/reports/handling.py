"""Handling: talk, hold, wrap-up and handle times, transfers, first-contact resolution and
repeat callers.

An answered inbound call from a known customer is *repeated* when the same customer called in
again within ``REPEAT_WINDOW_DAYS`` (whichever agent, team or day took it, also after the
report's range): its ``next_call_at``, kept at write time (``server_stub.next_calls``), is a
test on the row itself, inside the one grouped pass. (A window function, ``LEAD`` over each
customer's calls, sorted the whole year first, 22 s on SQLite; an ``EXISTS`` probe per call,
11–28 s.) The distinct repeat callers of the whole range are a second, plain pass: a customer
repeating in two periods is counted in each period but once in the total.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, not_, select

from server_stub.reports import rollup
from server_stub.reports.rollup import B, R
from server_stub.reports.scope import I, ReportScope, repeated_within
from sync.contract.reports import HandlingPeriod, HandlingReport

_SUMS = ("handled", "talk_s", "hold_s", "wrap_up_s", "transferred", "transfers")
_FCR = ("contacts", "first_contact_resolved", "repeat_callers")


def _sum(value: Any) -> Any:
    return func.coalesce(func.sum(value), 0)


def repeated(scope: ReportScope) -> ColumnElement[bool]:
    """The call was followed by another inbound call from the same customer in the window."""
    return repeated_within(scope.dialect)


def handling_statement(scope: ReportScope) -> Any:
    key = (scope.dialect.local_seconds(I.started_at) // scope.periods.step_s).label("k")
    contact = and_(I.kind == "call_in", I.customer_id.is_not(None))
    again = repeated(scope)
    return (
        select(
            key,
            func.count().label("handled"),
            _sum(I.talk_s).label("talk_s"),
            _sum(I.hold_s).label("hold_s"),
            _sum(I.wrap_up_s).label("wrap_up_s"),
            _sum(case((I.transfers > 0, 1), else_=0)).label("transferred"),
            _sum(I.transfers).label("transfers"),
            _sum(case((contact, 1), else_=0)).label("contacts"),
            _sum(case((and_(contact, not_(again)), 1), else_=0)).label("first_contact_resolved"),
            func.count(
                func.distinct(case((and_(contact, again), I.customer_id), else_=None))
            ).label("repeat_callers"),
        )
        .where(*scope.interaction_clauses(), I.answered_at.is_not(None))
        .group_by(key)
    )


def repeat_callers_statement(scope: ReportScope) -> Any:
    """The distinct customers who called again, over the whole range."""
    return select(func.count(func.distinct(I.customer_id))).where(
        *scope.interaction_clauses(),
        I.answered_at.is_not(None),
        I.kind == "call_in",
        I.customer_id.is_not(None),
        repeated(scope),
    )


def summary_statements(scope: ReportScope) -> tuple[Any, Any, Any]:
    """``handling_statement``'s sums, its repeat callers by period, and the distinct repeat
    callers of the whole range, from the quarter-hour summaries."""
    key = rollup.period_key(scope)
    sums = (
        select(key, *(func.sum(B[name]).label(name) for name in (*_SUMS, *_FCR[:2])))
        .where(*rollup.bucket_clauses(scope))
        .group_by(key)
    )
    repeat_key = rollup.period_key(scope, R)
    callers = (
        select(repeat_key, func.count(func.distinct(R.customer_id)).label("repeat_callers"))
        .where(*rollup.bucket_clauses(scope, R))
        .group_by(repeat_key)
    )
    overall = select(func.count(func.distinct(R.customer_id))).where(
        *rollup.bucket_clauses(scope, R)
    )
    return sums, callers, overall


def handling_report(
    connection: Connection, scope: ReportScope, *, summaries: bool = True
) -> HandlingReport:
    """``summaries``: as ``traffic_report``'s."""
    periods = scope.periods
    sums: dict[datetime, dict[str, int]] = {start: _zero() for start in periods.starts()}
    total = _zero()
    if summaries and rollup.usable(scope):
        statement, callers, overall = summary_statements(scope)
        for row in connection.execute(statement):
            target = sums.setdefault(periods.slot(row.k).period, _zero())
            for name in (*_SUMS, *_FCR[:2]):
                target[name] += int(getattr(row, name))
                total[name] += int(getattr(row, name))
        for row in connection.execute(callers):
            target = sums.setdefault(periods.slot(row.k).period, _zero())
            target["repeat_callers"] += int(row.repeat_callers)
    else:
        for row in connection.execute(handling_statement(scope)):
            target = sums.setdefault(periods.slot(row.k).period, _zero())
            for name in (*_SUMS, *_FCR):
                target[name] += int(getattr(row, name))
                total[name] += int(getattr(row, name))
        overall = repeat_callers_statement(scope)
    total["repeat_callers"] = int(connection.scalar(overall) or 0)
    return HandlingReport(
        filter=scope.filter,
        zone=scope.zone.key,
        totals=HandlingPeriod(start=scope.start.astimezone(scope.zone), **total),
        periods=[HandlingPeriod(start=start, **values) for start, values in sorted(sums.items())],
    )


def _zero() -> dict[str, int]:
    return dict.fromkeys((*_SUMS, *_FCR), 0)
