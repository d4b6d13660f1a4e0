"""Report routes (contract 1.8, ``sync.contract.reports``; the SQL is ``server_stub.reports``).

Every route is a GET with the filter as query parameters. ``report.view`` sees the teams the
caller's role sees (a lead: their teams; admin and QA: every team); an agent with only
``report.view_own`` is forced to their own figures, whatever team or agent they name. A team
or agent outside the caller's scope is refused (403, audited); one that does not exist is a
404; a filter that cannot be a report (an inverted or 50-year range, 15-minute periods over a
quarter, control characters) a 422 naming the field. Traffic and handling read the
quarter-hour summaries, recomputed first where calls changed (``server_stub.reports.rollup``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session

from server_stub.api.deps import Caller, CurrentCaller, DbSession, Now, check_team, deny
from server_stub.api.errors import ApiProblem
from server_stub.api.routes.common import bad_field
from server_stub.clock import Clock
from server_stub.core.db import Database
from server_stub.models import TeamRow, UserRow
from server_stub.reports.dialect import Dialect
from server_stub.reports.dimensions import dimensions
from server_stub.reports.drill import drill
from server_stub.reports.handling import handling_report
from server_stub.reports.people import people_report
from server_stub.reports.rollup import refresh
from server_stub.reports.scope import ReportScope, queue_thresholds
from server_stub.reports.service import service_report
from server_stub.reports.traffic import traffic_report
from sync.contract.errors import ErrorCode
from sync.contract.records import Channel
from sync.contract.reports import (
    DIMENSIONS_ROUTE,
    DRILL_ROUTE,
    HANDLING_ROUTE,
    MAX_PAGE,
    PEOPLE_ROUTE,
    SERVICE_ROUTE,
    TRAFFIC_ROUTE,
    VIEW,
    VIEW_OWN,
    DrillMeasure,
    DrillPage,
    DrillQuery,
    Granularity,
    HandlingReport,
    PeopleReport,
    ReportDimensions,
    ReportFilter,
    ServiceReport,
    TrafficReport,
)
from sync.contract.wallboard import centre_zone

router = APIRouter(tags=["reports"])

DayQuery = Annotated[date, Query()]
IdQuery = Annotated[int | None, Query(ge=1, le=2_147_483_647)]
TextQuery = Annotated[str | None, Query(max_length=200)]


def _filter(
    date_from: DayQuery,
    date_to: DayQuery,
    team_id: IdQuery = None,
    queue: TextQuery = None,
    agent_id: IdQuery = None,
    channel: Annotated[Channel | None, Query()] = None,
    product_line: TextQuery = None,
    granularity: Annotated[Granularity, Query()] = Granularity.DAY,
    answer_within_s: Annotated[int | None, Query(ge=1, le=3600)] = None,
) -> ReportFilter:
    try:
        return ReportFilter(
            date_from=date_from,
            date_to=date_to,
            team_id=team_id,
            queue=queue or None,
            agent_id=agent_id,
            channel=channel,
            product_line=product_line or None,
            granularity=granularity,
            answer_within_s=answer_within_s,
        )
    except ValidationError as error:
        raise _invalid(error, "date_to") from None


def _invalid(error: ValidationError, default: str) -> ApiProblem:
    """The first problem of a filter as a 422 naming its field (a range: ``date_to``)."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or default
    return bad_field(where, str(first.get("msg", "invalid")).removeprefix("Value error, "))


def _permission(request: Request, caller: Caller, session: Session, clock: Clock) -> bool:
    """True: the caller sees their teams; False: only their own figures; else 403."""
    if VIEW in caller.permissions:
        return True
    if VIEW_OWN in caller.permissions:
        return False
    raise deny(
        session,
        caller,
        VIEW,
        f"{request.method} {request.url.path}",
        f"Your role ({caller.user.role}) may not read reports.",
        clock.now(),
    )


def _fresh_summaries(request: Request, session: Session) -> None:
    """Recompute the quarter hours whose calls changed since (``server_stub.reports.rollup``),
    then end the session's transaction so its next read sees them (SQLite keeps a read
    transaction's snapshot)."""
    database: Database = request.app.state.database
    refresh(database.engine)
    session.commit()


def _scope(
    request: Request, caller: Caller, session: Session, clock: Clock, wanted: ReportFilter
) -> ReportScope:
    now = clock.now()
    target = f"{request.method} {request.url.path}"
    if _permission(request, caller, session, clock):
        if wanted.team_id is not None:
            if session.get(TeamRow, wanted.team_id) is None:
                raise ApiProblem(404, ErrorCode.NOT_FOUND, f"No team with id {wanted.team_id}.")
            check_team(session, caller, wanted.team_id, VIEW, target, now)
        if wanted.agent_id is not None:
            agent = session.get(UserRow, wanted.agent_id)
            if agent is None:
                raise ApiProblem(404, ErrorCode.NOT_FOUND, f"No user with id {wanted.agent_id}.")
            if not caller.may_see_team(agent.team_id):
                raise deny(session, caller, VIEW, target, "This agent is in another team.", now)
        teams, agent_id = caller.team_ids, wanted.agent_id
    else:
        # An agent: their own calls and tickets, whatever the filter said.
        wanted = wanted.model_copy(update={"team_id": None, "agent_id": caller.user.id})
        teams, agent_id = caller.team_ids, caller.user.id
    _fresh_summaries(request, session)  # once the caller may read it
    zone = centre_zone()
    connection = session.connection()
    scope = ReportScope(
        filter=wanted,
        teams=teams,
        agent_id=agent_id,
        zone=zone,
        dialect=Dialect(connection.dialect.name, zone.key, 0),
        now=now,
        thresholds=queue_thresholds(connection),
    )
    # SQLite buckets by the zone's offset at the range's start (scope.start needs the scope).
    offset = scope.start.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return replace(scope, dialect=Dialect(connection.dialect.name, zone.key, seconds))


Wanted = Annotated[ReportFilter, Depends(_filter)]


@router.get(DIMENSIONS_ROUTE, response_model=ReportDimensions)
def report_dimensions(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> ReportDimensions:
    sees_team = _permission(request, caller, session, clock)
    return dimensions(
        session.connection(),
        teams=caller.team_ids,
        own_agent=None if sees_team else caller.user.id,
        zone=centre_zone(),
    )


@router.get(TRAFFIC_ROUTE, response_model=TrafficReport)
def traffic(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now, wanted: Wanted
) -> TrafficReport:
    scope = _scope(request, caller, session, clock, wanted)
    return traffic_report(session.connection(), scope)


@router.get(HANDLING_ROUTE, response_model=HandlingReport)
def handling(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now, wanted: Wanted
) -> HandlingReport:
    scope = _scope(request, caller, session, clock, wanted)
    return handling_report(session.connection(), scope)


@router.get(SERVICE_ROUTE, response_model=ServiceReport)
def service(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now, wanted: Wanted
) -> ServiceReport:
    scope = _scope(request, caller, session, clock, wanted)
    return service_report(session.connection(), scope)


@router.get(PEOPLE_ROUTE, response_model=PeopleReport)
def people(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now, wanted: Wanted
) -> PeopleReport:
    scope = _scope(request, caller, session, clock, wanted)
    return people_report(session.connection(), scope)


@router.get(DRILL_ROUTE, response_model=DrillPage)
def drill_down(
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
    wanted: Wanted,
    measure: Annotated[DrillMeasure, Query()],
    period: Annotated[datetime | None, Query()] = None,
    key: TextQuery = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> DrillPage:
    try:
        asked = DrillQuery(measure=measure, period=period, key=key, offset=offset, limit=limit)
    except ValidationError as error:
        raise _invalid(error, "period") from None
    scope = _scope(request, caller, session, clock, wanted)
    return drill(session.connection(), scope, asked)
