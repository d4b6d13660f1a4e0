"""Handling: talk, hold, wrap-up and handle times, transfers, first-contact resolution and
repeat callers.

An answered inbound call from a known customer is *repeated* when the same customer called in
again within ``REPEAT_WINDOW_DAYS`` (whichever agent or day took it, also after the report's
range), in the caller's teams: an ``EXISTS`` probe of the index on (customer_id, started_at)
per call, inside the one grouped pass. (A window function, ``LEAD`` over each customer's calls,
sorted the whole year first: 22 s against about 1 s for the probes, on SQLite.) The distinct
repeat callers of the whole range take a second pass: a customer repeating in two periods is
counted in each period but once in the total.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    exists,
    func,
    literal,
    null,
    select,
    union_all,
)

from server_stub.reports.scope import INTERACTIONS, I, ReportScope
from sync.contract.reports import REPEAT_WINDOW_DAYS, HandlingPeriod, HandlingReport

_SUMS = ("handled", "talk_s", "hold_s", "wrap_up_s", "transferred", "transfers")
_FCR = ("contacts", "first_contact_resolved", "repeat_callers")


def _sum(value: Any) -> Any:
    return func.coalesce(func.sum(value), 0)


def repeated(scope: ReportScope) -> ColumnElement[bool]:
    """The call (``interactions`` row in the outer statement) was followed by another inbound
    call from the same customer within the window."""
    nxt = INTERACTIONS.alias("nxt").c
    same = [
        nxt.customer_id == I.customer_id,
        nxt.started_at > I.started_at,
        nxt.started_at <= scope.dialect.plus_days(I.started_at, REPEAT_WINDOW_DAYS),
        nxt.kind == "call_in",
    ]
    if scope.teams is not None:
        same.append(nxt.team_id.in_(sorted(scope.teams)))
    if scope.filter.team_id is not None:
        same.append(nxt.team_id == scope.filter.team_id)
    return exists(select(nxt.id).where(*same))


def handling_statement(scope: ReportScope) -> Any:
    """One statement: each answered call once (the probe evaluated once per call, in a
    materialised CTE), summed per period, and a last row (key NULL) with the distinct repeat
    callers of the whole range."""
    key = (scope.dialect.local_seconds(I.started_at) // scope.periods.step_s).label("k")
    contact = and_(I.kind == "call_in", I.customer_id.is_not(None))
    calls = (
        select(
            key,
            I.customer_id,
            I.talk_s,
            I.hold_s,
            I.wrap_up_s,
            I.transfers,
            case((contact, 1), else_=0).label("contact"),
            case((and_(contact, repeated(scope)), 1), else_=0).label("again"),
        )
        .where(*scope.interaction_clauses(), I.answered_at.is_not(None))
        .cte("answered")
        .prefix_with("MATERIALIZED")
    )
    c = calls.c
    distinct_repeats = func.count(func.distinct(case((c.again == 1, c.customer_id), else_=None)))
    per_period = select(
        c.k,
        func.count().label("handled"),
        _sum(c.talk_s).label("talk_s"),
        _sum(c.hold_s).label("hold_s"),
        _sum(c.wrap_up_s).label("wrap_up_s"),
        _sum(case((c.transfers > 0, 1), else_=0)).label("transferred"),
        _sum(c.transfers).label("transfers"),
        _sum(c.contact).label("contacts"),
        _sum(c.contact - c.again).label("first_contact_resolved"),
        distinct_repeats.label("repeat_callers"),
    ).group_by(c.k)
    whole = select(
        null().label("k"),
        *(literal(0).label(name) for name in (*_SUMS, "contacts", "first_contact_resolved")),
        distinct_repeats.label("repeat_callers"),
    )
    return union_all(per_period, whole)


def handling_report(connection: Connection, scope: ReportScope) -> HandlingReport:
    periods = scope.periods
    sums: dict[datetime, dict[str, int]] = {start: _zero() for start in periods.starts()}
    total = _zero()
    for row in connection.execute(handling_statement(scope)):
        if row.k is None:  # the whole range's distinct repeat callers
            total["repeat_callers"] = int(row.repeat_callers)
            continue
        target = sums.setdefault(periods.slot(row.k).period, _zero())
        for name in (*_SUMS, *_FCR):
            target[name] += int(getattr(row, name))
            if name != "repeat_callers":
                total[name] += int(getattr(row, name))
    return HandlingReport(
        filter=scope.filter,
        zone=scope.zone.key,
        totals=HandlingPeriod(start=scope.start.astimezone(scope.zone), **total),
        periods=[HandlingPeriod(start=start, **values) for start, values in sorted(sums.items())],
    )


def _zero() -> dict[str, int]:
    return dict.fromkeys((*_SUMS, *_FCR), 0)
