"""Drill-down: the calls or tickets behind one number of a report, one page at a time, in
the same scope and with the same conditions the number was counted with."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from server_stub.models import UserRow
from server_stub.reports.handling import repeated
from server_stub.reports.scope import INTERACTIONS, TICKETS, A, I, ReportScope, T
from sync.clock import utc
from sync.contract.reports import (
    TICKET_MEASURES,
    DrillInteraction,
    DrillMeasure,
    DrillPage,
    DrillQuery,
    DrillTicket,
)

U = UserRow.__table__.c


def _bounds(scope: ReportScope, period: datetime | None) -> tuple[datetime, datetime]:
    if period is None:
        return scope.start, scope.end
    start, end = scope.periods.bounds_of(period)
    return max(start, scope.start), min(end, scope.end)


def _call_condition(scope: ReportScope, measure: DrillMeasure) -> list[Any]:
    inbound = I.kind == "call_in"
    answered = I.answered_at.is_not(None)
    if measure is DrillMeasure.OFFERED:
        return [inbound]
    if measure is DrillMeasure.ANSWERED:
        return [inbound, answered]
    if measure is DrillMeasure.ABANDONED:
        return [inbound, I.answered_at.is_(None)]
    if measure is DrillMeasure.TRANSFERRED:
        return [answered, I.transfers > 0]
    if measure is DrillMeasure.REPEAT:  # as the handling report counts them
        return [inbound, answered, I.customer_id.is_not(None), repeated(scope)]
    return [answered]  # handled


def _ticket_condition(scope: ReportScope, measure: DrillMeasure) -> list[Any]:
    if measure is DrillMeasure.TICKETS_OVERDUE:
        return [
            T.resolve_due_at.is_not(None),
            or_(
                and_(T.closed_at.is_not(None), T.closed_at > T.resolve_due_at),
                and_(T.closed_at.is_(None), T.resolve_due_at < scope.now),
            ),
        ]
    if measure is DrillMeasure.COMPLAINTS:
        return [T.complaint.is_(True)]
    if measure is DrillMeasure.ESCALATED:
        return [T.escalation_level > 0]
    return []


def drill(connection: Connection, scope: ReportScope, query: DrillQuery) -> DrillPage:
    start, end = _bounds(scope, query.period)
    if query.measure in TICKET_MEASURES:
        return _tickets(connection, scope, query, start, end)
    where = [*scope.interaction_clauses(start, end), *_call_condition(scope, query.measure)]
    total = int(
        connection.scalar(select(func.count()).select_from(INTERACTIONS).where(*where)) or 0
    )
    rows = connection.execute(
        select(INTERACTIONS, U.display_name.label("agent_name"))
        .select_from(INTERACTIONS.join(UserRow.__table__, U.id == I.agent_id))
        .where(*where)
        .order_by(I.started_at, I.id)
        .offset(query.offset)
        .limit(query.limit)
    )
    calls = []
    for row in rows:
        answered = None if row.answered_at is None else utc(row.answered_at)
        started = utc(row.started_at)
        calls.append(
            DrillInteraction(
                id=row.id,
                team_id=row.team_id,
                agent_id=row.agent_id,
                agent_name=row.agent_name,
                customer_id=row.customer_id,
                kind=row.kind,
                queue=row.queue,
                started_at=started,
                answered_at=answered,
                ended_at=None if row.ended_at is None else utc(row.ended_at),
                wait_s=None if answered is None else int((answered - started).total_seconds()),
                talk_s=row.talk_s or 0,
                hold_s=row.hold_s or 0,
                wrap_up_s=row.wrap_up_s or 0,
                transfers=row.transfers or 0,
                disposition=row.disposition,
                ticket_ids=list(_json_list(row.ticket_ids)),
            )
        )
    return DrillPage(measure=query.measure, total=total, offset=query.offset, interactions=calls)


def _tickets(
    connection: Connection,
    scope: ReportScope,
    query: DrillQuery,
    start: datetime,
    end: datetime,
) -> DrillPage:
    where = [*scope.ticket_clauses(start, end), *_ticket_condition(scope, query.measure)]
    if query.key:
        where.append(or_(T.category == query.key, A.model == query.key, T.region == query.key))
    total = int(connection.scalar(scope.tickets_from(select(func.count())).where(*where)) or 0)
    rows = connection.execute(
        scope.tickets_from(select(TICKETS, func.coalesce(A.model, "").label("model")))
        .where(*where)
        .order_by(T.opened_at, T.id)
        .offset(query.offset)
        .limit(query.limit)
    )
    tickets = [
        DrillTicket(
            id=row.id,
            number=row.number,
            team_id=row.team_id,
            handler_id=row.handler_id,
            category=row.category,
            status=row.status,
            complaint=bool(row.complaint),
            escalation_level=row.escalation_level,
            opened_at=utc(row.opened_at),
            closed_at=None if row.closed_at is None else utc(row.closed_at),
            resolve_due_at=None if row.resolve_due_at is None else utc(row.resolve_due_at),
            model=row.model,
            region=row.region or "",
        )
        for row in rows
    ]
    return DrillPage(measure=query.measure, total=total, offset=query.offset, tickets=tickets)


def _json_list(value: Any) -> list[int]:
    if isinstance(value, str):
        value = json.loads(value)
    return [int(v) for v in value or []]
