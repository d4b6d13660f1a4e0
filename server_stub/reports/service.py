"""Service: the tickets opened in the range (by period, category, model and region), their
SLA, complaints and escalations; the dispatches and callbacks of those tickets; knowledge-base
coverage. Two grouped passes over tickets, one over their dispatches, one over callbacks."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from server_stub.models import DispatchRow, TaskRow
from server_stub.reports.scope import A, ReportScope, T
from sync.contract.reports import KB_CATEGORY, ServicePeriod, ServiceReport, TicketCounts

D = DispatchRow.__table__.c
K = TaskRow.__table__.c
_COUNTS = ("opened", "resolved", "overdue", "resolved_in_time", "complaints", "escalated")


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _measures(scope: ReportScope) -> list[Any]:
    resolved = T.closed_at.is_not(None)
    late = or_(
        and_(resolved, T.closed_at > T.resolve_due_at),
        and_(T.closed_at.is_(None), T.resolve_due_at < scope.now),
    )
    return [
        func.count().label("opened"),
        _count(resolved).label("resolved"),
        _count(and_(T.resolve_due_at.is_not(None), late)).label("overdue"),
        _count(
            and_(resolved, or_(T.resolve_due_at.is_(None), T.closed_at <= T.resolve_due_at))
        ).label("resolved_in_time"),
        _count(T.complaint.is_(True)).label("complaints"),
        _count(T.escalation_level > 0).label("escalated"),
    ]


def by_kind_statement(scope: ReportScope) -> Any:
    d = scope.dialect
    consult = T.category == KB_CATEGORY
    statement = select(
        T.category,
        A.model,
        T.region,
        *_measures(scope),
        _count(consult).label("kb_questions"),
        _count(and_(consult, d.json_length(T.article_ids) > 0)).label("kb_answered"),
    )
    return (
        scope.tickets_from(statement)
        .where(*scope.ticket_clauses())
        .group_by(T.category, A.model, T.region)
    )


def by_period_statement(scope: ReportScope) -> Any:
    key = (scope.dialect.local_seconds(T.opened_at) // scope.periods.step_s).label("k")
    statement = select(key, *_measures(scope))
    return scope.tickets_from(statement).where(*scope.ticket_clauses()).group_by(key)


def _ticket_ids(scope: ReportScope) -> Any:
    return scope.tickets_from(select(T.id)).where(*scope.ticket_clauses())


def dispatch_statement(scope: ReportScope) -> Any:
    first = D.previous_dispatch_id.is_(None)
    return select(
        func.count().label("dispatches"),
        _count(and_(first, D.result.is_not(None))).label("first_visits"),
        _count(and_(first, D.result == "resolved")).label("first_visit_fixed"),
    ).where(D.ticket_id.in_(_ticket_ids(scope)))


def callback_statement(scope: ReportScope) -> Any:
    return select(
        func.count().label("callbacks"),
        _count(K.outcome_code == "reached").label("callbacks_reached"),
        func.count(K.satisfaction).label("satisfaction_count"),
        func.coalesce(func.sum(K.satisfaction), 0).label("satisfaction_sum"),
    ).where(
        K.kind == "callback",
        K.status.in_(("done", "unreachable")),
        K.ticket_id.in_(_ticket_ids(scope)),
    )


def service_report(connection: Connection, scope: ReportScope) -> ServiceReport:
    periods = scope.periods
    by: dict[str, dict[str, dict[str, int]]] = {
        "category": defaultdict(_zero),
        "model": defaultdict(_zero),
        "region": defaultdict(_zero),
    }
    total = _zero()
    kb_questions = kb_answered = 0
    for row in connection.execute(by_kind_statement(scope)):
        for name, key in (
            ("category", row.category),
            ("model", row.model or ""),
            ("region", row.region),
        ):
            target = by[name][key or ""]
            for measure in _COUNTS:
                target[measure] += int(getattr(row, measure))
        for measure in _COUNTS:
            total[measure] += int(getattr(row, measure))
        kb_questions += int(row.kb_questions)
        kb_answered += int(row.kb_answered)
    sums: dict[datetime, dict[str, int]] = {start: _period_zero() for start in periods.starts()}
    for row in connection.execute(by_period_statement(scope)):
        target = sums.setdefault(periods.slot(row.k).period, _period_zero())
        for measure in target:
            target[measure] += int(getattr(row, measure))
    visits = connection.execute(dispatch_statement(scope)).one()
    calls = connection.execute(callback_statement(scope)).one()
    return ServiceReport(
        filter=scope.filter,
        zone=scope.zone.key,
        totals=TicketCounts(key="", **total),
        periods=[ServicePeriod(start=start, **values) for start, values in sorted(sums.items())],
        by_category=_listed(by["category"]),
        by_model=_listed(by["model"]),
        by_region=_listed(by["region"]),
        dispatches=int(visits.dispatches),
        first_visits=int(visits.first_visits),
        first_visit_fixed=int(visits.first_visit_fixed),
        callbacks=int(calls.callbacks),
        callbacks_reached=int(calls.callbacks_reached),
        satisfaction_count=int(calls.satisfaction_count),
        satisfaction_sum=int(calls.satisfaction_sum),
        kb_questions=kb_questions,
        kb_answered=kb_answered,
    )


def _listed(groups: dict[str, dict[str, int]]) -> list[TicketCounts]:
    """Largest first, then by name (a stable order for charts and exports)."""
    return [
        TicketCounts(key=key, **values)
        for key, values in sorted(groups.items(), key=lambda kv: (-kv[1]["opened"], kv[0]))
    ]


def _zero() -> dict[str, int]:
    return dict.fromkeys(_COUNTS, 0)


def _period_zero() -> dict[str, int]:
    return dict.fromkeys(("opened", "resolved", "overdue", "complaints", "escalated"), 0)
