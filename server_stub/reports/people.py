"""People: per agent, the calls they handled and their times; occupancy from the server's
agent-state history; the mean QA score of their evaluations; the satisfaction of the
callbacks on the tickets they handled. Adherence is workforce planning's (left None here).

Occupancy = (on call + wrap-up) / (ready + on call + wrap-up), each state span clipped to the
range (a span still open counts until now): not-ready time (breaks, lunch, training) is
neither worked nor available.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from server_stub.models import AgentStateRow, AssetRow, QaEvaluationRow, TaskRow, TicketRow, UserRow
from server_stub.reports.scope import A, I, ReportScope, T
from sync.contract.reports import AgentFigures, PeopleReport

S = AgentStateRow.__table__.c
Q = QaEvaluationRow.__table__.c
K = TaskRow.__table__.c
U = UserRow.__table__.c
_BUSY = ("on_call", "wrap_up")
_AVAILABLE = ("ready", "on_call", "wrap_up")


def _sum(value: Any) -> Any:
    return func.coalesce(func.sum(value), 0)


def calls_statement(scope: ReportScope) -> Any:
    answered = I.answered_at.is_not(None)
    return (
        select(
            I.agent_id,
            _sum(case((answered, 1), else_=0)).label("handled"),
            _sum(case((and_(answered, I.kind == "call_in"), 1), else_=0)).label("inbound"),
            _sum(case((and_(answered, I.kind == "call_out"), 1), else_=0)).label("outbound"),
            _sum(case((answered, I.talk_s), else_=0)).label("talk_s"),
            _sum(case((answered, I.hold_s), else_=0)).label("hold_s"),
            _sum(case((answered, I.wrap_up_s), else_=0)).label("wrap_up_s"),
        )
        .where(*scope.interaction_clauses())
        .group_by(I.agent_id)
    )


def states_statement(scope: ReportScope) -> Any:
    d = scope.dialect
    start = d.greatest(S.started_at, scope.start)
    end = d.least(func.coalesce(S.ended_at, scope.now), scope.end)
    seconds = d.seconds_between(start, end)
    clauses = [
        S.started_at < scope.end,
        func.coalesce(S.ended_at, scope.now) > scope.start,
        S.state.in_(_AVAILABLE),
    ]
    if scope.teams is not None:
        clauses.append(S.team_id.in_(sorted(scope.teams)))
    if scope.filter.team_id is not None:
        clauses.append(S.team_id == scope.filter.team_id)
    if scope.agent_id is not None:
        clauses.append(S.user_id == scope.agent_id)
    return (
        select(
            S.user_id,
            _sum(case((S.state.in_(_BUSY), seconds), else_=0.0)).label("busy"),
            _sum(seconds).label("available"),
        )
        .where(*clauses)
        .group_by(S.user_id)
    )


def qa_statement(scope: ReportScope) -> Any:
    clauses = [Q.created_at >= scope.start, Q.created_at < scope.end, Q.status != "draft"]
    if scope.teams is not None:
        clauses.append(Q.team_id.in_(sorted(scope.teams)))
    if scope.filter.team_id is not None:
        clauses.append(Q.team_id == scope.filter.team_id)
    if scope.agent_id is not None:
        clauses.append(Q.agent_id == scope.agent_id)
    return (
        select(Q.agent_id, func.count().label("n"), func.avg(Q.score_pct).label("average"))
        .where(*clauses)
        .group_by(Q.agent_id)
    )


def satisfaction_statement(scope: ReportScope) -> Any:
    joined = TicketRow.__table__.outerjoin(AssetRow.__table__, T.asset_id == A.id).join(
        TaskRow.__table__, K.ticket_id == T.id
    )
    return (
        select(
            T.handler_id, func.count(K.satisfaction).label("n"), _sum(K.satisfaction).label("total")
        )
        .select_from(joined)
        .where(*scope.ticket_clauses(), K.kind == "callback", K.satisfaction.is_not(None))
        .group_by(T.handler_id)
    )


def people_report(connection: Connection, scope: ReportScope) -> PeopleReport:
    figures: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in connection.execute(calls_statement(scope)):
        figures[row.agent_id].update(
            handled=int(row.handled),
            inbound=int(row.inbound),
            outbound=int(row.outbound),
            talk_s=int(row.talk_s),
            hold_s=int(row.hold_s),
            wrap_up_s=int(row.wrap_up_s),
        )
    for row in connection.execute(states_statement(scope)):
        if float(row.available) > 0:
            figures[row.user_id]["occupancy"] = float(row.busy) / float(row.available)
    for row in connection.execute(qa_statement(scope)):
        figures[row.agent_id].update(qa_evaluations=int(row.n), qa_average_pct=float(row.average))
    for row in connection.execute(satisfaction_statement(scope)):
        if row.handler_id is not None:
            figures[row.handler_id].update(
                satisfaction_count=int(row.n), satisfaction_sum=int(row.total)
            )
    names = {
        row.id: (row.display_name, row.team_id)
        for row in connection.execute(
            select(U.id, U.display_name, U.team_id).where(U.id.in_(sorted(figures)))
        )
    }
    agents = [
        AgentFigures(
            agent_id=agent_id,
            name=names.get(agent_id, ("", None))[0],
            team_id=names.get(agent_id, ("", None))[1],
            **values,
        )
        for agent_id, values in figures.items()
    ]
    agents.sort(key=lambda a: (-a.handled, a.name, a.agent_id))
    return PeopleReport(filter=scope.filter, zone=scope.zone.key, agents=agents)
