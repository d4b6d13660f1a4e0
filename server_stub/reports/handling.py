"""Handling: talk, hold, wrap-up and handle times, transfers, first-contact resolution and
repeat callers.

First-contact resolution needs each answered inbound call's *next* inbound call from the same
customer: a window function (``LEAD`` over the customer's calls by start), over the range and
the ``REPEAT_WINDOW_DAYS`` after it (a call on the last day may be repeated after the range),
in the caller's teams; the report's other filters (agent, queue, product) apply to the
answered call, not to the one that followed it, whoever took that.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from server_stub.reports.scope import I, ReportScope
from sync.contract.reports import REPEAT_WINDOW_DAYS, HandlingPeriod, HandlingReport

_SUMS = ("handled", "talk_s", "hold_s", "wrap_up_s", "transferred", "transfers")
_FCR = ("contacts", "first_contact_resolved", "repeat_callers")


def _sum(value: Any) -> Any:
    return func.coalesce(func.sum(value), 0)


def handling_statement(scope: ReportScope) -> Any:
    key = (scope.dialect.local_seconds(I.started_at) // scope.periods.step_s).label("k")
    return (
        select(
            key,
            func.count().label("handled"),
            _sum(I.talk_s).label("talk_s"),
            _sum(I.hold_s).label("hold_s"),
            _sum(I.wrap_up_s).label("wrap_up_s"),
            _sum(case((I.transfers > 0, 1), else_=0)).label("transferred"),
            _sum(I.transfers).label("transfers"),
        )
        .where(*scope.interaction_clauses(), I.answered_at.is_not(None))
        .group_by(key)
    )


def _contacts(scope: ReportScope) -> Any:
    """Answered inbound calls of known customers in the range, each with whether the same
    customer called again within the window."""
    d = scope.dialect
    window = timedelta(days=REPEAT_WINDOW_DAYS)
    calls = [
        I.kind == "call_in",
        I.customer_id.is_not(None),
        I.started_at >= scope.start,
        I.started_at < scope.end + window,
    ]
    if scope.teams is not None:
        calls.append(I.team_id.in_(sorted(scope.teams)))
    if scope.filter.team_id is not None:
        calls.append(I.team_id == scope.filter.team_id)
    following = (
        func.lead(I.started_at).over(partition_by=I.customer_id, order_by=I.started_at)
    ).label("next_at")
    inner = select(
        I.id,
        I.customer_id,
        I.started_at,
        I.answered_at,
        I.team_id,
        I.agent_id,
        I.queue,
        I.kind,
        I.product_line,
        following,
    ).where(*calls)
    sub = inner.subquery("c")
    gap = d.seconds_between(sub.c.started_at, sub.c.next_at)
    repeated = and_(sub.c.next_at.is_not(None), gap <= window.total_seconds())
    # The report's own filters, now on the answered call.
    own = scope.interaction_clauses(columns=sub.c, teams=False)
    return sub, repeated, [sub.c.answered_at.is_not(None), *own]


def fcr_statement(scope: ReportScope, *, by_period: bool) -> Any:
    sub, repeated, where = _contacts(scope)
    columns = [
        func.count().label("contacts"),
        _sum(case((repeated, 0), else_=1)).label("first_contact_resolved"),
        func.count(func.distinct(case((repeated, sub.c.customer_id), else_=None))).label(
            "repeat_callers"
        ),
    ]
    if not by_period:
        return select(*columns).where(*where)
    key = (scope.dialect.local_seconds(sub.c.started_at) // scope.periods.step_s).label("k")
    return select(key, *columns).where(*where).group_by(key)


def handling_report(connection: Connection, scope: ReportScope) -> HandlingReport:
    periods = scope.periods
    sums: dict[datetime, dict[str, int]] = {start: _zero() for start in periods.starts()}
    total = _zero()
    for row in connection.execute(handling_statement(scope)):
        target = sums.setdefault(periods.slot(row.k).period, _zero())
        for into in (target, total):
            for name in _SUMS:
                into[name] += int(getattr(row, name))
    for row in connection.execute(fcr_statement(scope, by_period=True)):
        target = sums.setdefault(periods.slot(row.k).period, _zero())
        for name in _FCR:
            # Repeat callers per period: a customer may repeat in two periods (counted in
            # each); the totals count them once (below).
            target[name] += int(getattr(row, name))
    whole = connection.execute(fcr_statement(scope, by_period=False)).one()
    for name in _FCR:
        total[name] = int(getattr(whole, name))
    return HandlingReport(
        filter=scope.filter,
        zone=scope.zone.key,
        totals=HandlingPeriod(start=scope.start.astimezone(scope.zone), **total),
        periods=[HandlingPeriod(start=start, **values) for start, values in sorted(sums.items())],
    )


def _zero() -> dict[str, int]:
    return dict.fromkeys((*_SUMS, *_FCR), 0)
