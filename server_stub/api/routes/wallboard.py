"""Supervisor mode on the server: a team's day (per agent, per queue, per interval), the
forecast with its error on past days, and a lead's orders to agents' desks.

The arithmetic lives in ``sync.contract.wallboard`` so the desk, folding later calls in live, counts
exactly as this does. Every route is for the team's lead: the role must grant
``wallboard.view`` (agents never), and orders go only to the teams the caller leads; a
refusal is a 403 written to the audit log.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.alerts import team_leads
from server_stub.api.deps import Caller, DbSession, Now, deny, require
from server_stub.api.routes.common import IdPath, IdQuery, bad_field, get_or_404
from server_stub.api.writes import write
from server_stub.feed import raise_event
from server_stub.models import (
    PresenceRow,
    QueueRow,
    RecurringIssueRow,
    TeamRow,
    UserRow,
)
from server_stub.serialize import presence_out, queue_out, recurring_out
from server_stub.wallboard_figures import MAX_CALLS_A_DAY, day_calls
from sync.contract.records import AgentState, Role
from sync.contract.wallboard import (
    COMMAND_STATES,
    DEFAULT_ANSWER_WITHIN_S,
    FORECAST_WEEKS,
    INTERVALS_PER_DAY,
    AgentCommandIn,
    AgentCommandOut,
    AgentTodayOut,
    CallOut,
    DayStats,
    ForecastOut,
    PastDayErrorOut,
    QueueTally,
    QueueTodayOut,
    TeamMessageIn,
    TeamMessageOut,
    WallboardToday,
    backtest,
    centre_zone,
    daily_counts,
    day_bounds,
    forecast_for,
    interval_of,
)

router = APIRouter(tags=["wallboard"])
Lead = Annotated[Caller, Depends(require("wallboard.view"))]
ZoneQuery = Annotated[
    str | None, Query(max_length=64, description="IANA zone of the day (default: the centre's)")
]
MAX_DAYS_AWAY = 3660  # a day further from today than this is a typo, not a question
RECURRING_SHOWN = timedelta(days=7)
METHOD = (
    "Calls offered per 15-minute interval: the mean, interval by interval, of the same "
    "weekday in the previous {weeks} weeks; a week with no call that day is left out. "
    "Error on past days: MAPE over intervals with calls, and WAPE."
)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return centre_zone(name)
    except ValueError as exc:
        raise bad_field("zone", str(exc)) from None


def _day(day: date | None, now: datetime, zone: ZoneInfo) -> date:
    today = now.astimezone(zone).date()
    if day is None:
        return today
    if abs((day - today).days) > MAX_DAYS_AWAY:
        raise bad_field("day", f"ask for a day within {MAX_DAYS_AWAY} days of today")
    return day


def _teams(session: Session, caller: Caller, team_id: int | None) -> list[int]:
    """The teams on the board: the one asked for (if the caller may see it) or all theirs."""
    if team_id is not None:
        if not caller.may_see_team(team_id):
            raise bad_field("team_id", "not one of your teams")
        return [team_id]
    if caller.team_ids is not None:
        return sorted(caller.team_ids)
    return list(session.scalars(select(TeamRow.id).order_by(TeamRow.id)))


def _queue_out(name: str, tally: QueueTally) -> QueueTodayOut:
    return QueueTodayOut(
        name=name,
        offered=tally.offered,
        answered=tally.answered,
        answered_within=tally.answered_within,
        abandoned=tally.abandoned,
        service_level=tally.service_level,
        answer_rate=tally.answer_rate,
    )


@router.get("/wallboard/today", response_model=WallboardToday)
def wallboard_today(
    caller: Lead,
    session: DbSession,
    clock: Now,
    day: date | None = None,
    zone: ZoneQuery = None,
    answer_within_s: Annotated[int, Query(ge=1, le=600)] = DEFAULT_ANSWER_WITHIN_S,
    team_id: IdQuery = None,
) -> WallboardToday:
    """The team's day so far: calls handled and AHT per agent, service level (answered
    within ``answer_within_s``) and answer rate per queue, calls per 15-minute interval, who
    is in which state, the queues' live counters, and this week's recurring-issue flags."""
    tz = _zone(zone)
    now = clock.now()
    day = _day(day, now, tz)
    teams = _teams(session, caller, team_id)
    start, end = day_bounds(day, tz)
    stats = DayStats(day, tz, answer_within_s, queue_service_levels(session))
    calls = day_calls(session, teams, start, end, MAX_CALLS_A_DAY)
    for fact in calls:
        stats.upsert(fact)
    agents = session.scalars(
        select(UserRow)
        .where(UserRow.team_id.in_(teams), UserRow.role == Role.AGENT.value, UserRow.active)
        .order_by(UserRow.display_name)
    )
    upto = interval_of(now, tz) if day == now.astimezone(tz).date() else INTERVALS_PER_DAY - 1
    if now < start:
        upto = -1
    agent_rows = []
    for user in agents:
        tally = stats.agents.get(user.id)
        agent_rows.append(
            AgentTodayOut(
                user_id=user.id,
                username=user.username,
                name=user.display_name,
                team_id=user.team_id,
                handled=tally.handled if tally else 0,
                handle_s=tally.handle_s if tally else 0,
                aht_s=tally.aht_s if tally else None,
            )
        )
    counters = session.scalars(
        select(QueueRow).where(QueueRow.team_id.in_(teams)).order_by(QueueRow.id)
    )
    presence = session.scalars(
        select(PresenceRow).where(PresenceRow.team_id.in_(teams)).order_by(PresenceRow.user_id)
    )
    recurring = session.scalars(
        select(RecurringIssueRow)
        .where(
            RecurringIssueRow.team_id.in_(teams),
            RecurringIssueRow.flagged_at >= now - RECURRING_SHOWN,
        )
        .order_by(RecurringIssueRow.id.desc())
    )
    return WallboardToday(
        day=day,
        zone=tz.key,
        answer_within_s=answer_within_s,
        generated_at=now,
        agents=agent_rows,
        queues=[_queue_out(name, tally) for name, tally in sorted(stats.queues.items())],
        total=_queue_out("", stats.total),
        queue_counters=[queue_out(q) for q in counters],
        presence=[presence_out(p) for p in presence],
        offered_by_interval=stats.offered_by_interval,
        service_level_by_interval=stats.service_level_series(upto),
        calls=[
            CallOut(
                id=c.id,
                agent_id=c.agent_id,
                kind=c.kind,
                queue=c.queue,
                started_at=c.started_at,
                answered_at=c.answered_at,
                ended_at=c.ended_at,
                talk_s=c.talk_s,
                hold_s=c.hold_s,
            )
            for c in calls
        ],
        recurring=[recurring_out(r) for r in recurring],
    )


@router.get("/wallboard/forecast", response_model=ForecastOut)
def wallboard_forecast(
    caller: Lead,
    session: DbSession,
    clock: Now,
    day: date | None = None,
    zone: ZoneQuery = None,
    weeks: Annotated[int, Query(ge=1, le=12)] = FORECAST_WEEKS,
    error_days: Annotated[int, Query(ge=0, le=28, description="past days to measure")] = 7,
    team_id: IdQuery = None,
) -> ForecastOut:
    """Calls offered per 15-minute interval forecast for ``day`` (default: tomorrow) from the
    same weekday of the previous weeks, with the method's error on the ``error_days`` whole
    days before it (or before today): each forecast the same way from its own history."""
    tz = _zone(zone)
    now = clock.now()
    day = _day(day, now, tz) if day is not None else now.astimezone(tz).date() + timedelta(1)
    teams = _teams(session, caller, team_id)
    # The error is measured on whole days: the ones before ``day``, and before today.
    last = min(day, now.astimezone(tz).date())
    start, _ = day_bounds(last - timedelta(days=error_days, weeks=weeks), tz)
    end, _ = day_bounds(day, tz)
    # Only what has happened counts: a forecast for today must not peek at today's calls.
    history = daily_counts(day_calls(session, teams, start, min(end, now), 2_000_000), tz)
    forecast = forecast_for(day, history, weeks)
    past = backtest(history, (last - timedelta(days=n) for n in range(error_days, 0, -1)), weeks)
    mapes = [p.mape for p in past if p.mape is not None]
    wapes = [p.wape for p in past if p.wape is not None]
    return ForecastOut(
        day=day,
        zone=tz.key,
        weeks=weeks,
        method=METHOD.format(weeks=weeks),
        available=forecast is not None,
        intervals=list(forecast.values) if forecast else [],
        based_on=list(forecast.based_on) if forecast else [],
        past=[
            PastDayErrorOut(
                day=p.day,
                mape=p.mape,
                wape=p.wape,
                actual_total=p.actual_total,
                forecast_total=p.forecast_total,
            )
            for p in past
        ],
        mape=sum(mapes) / len(mapes) if mapes else None,
        wape=sum(wapes) / len(wapes) if wapes else None,
    )


def _check_lead(
    session: Session, caller: Caller, team_id: int | None, action: str, target: str, now: datetime
) -> TeamRow:
    """The caller leads this team — its lead or one of its supervisors (``alerts.team_leads``:
    a team may have deputies) — or is an administrator; else 403, audited."""
    team = session.get(TeamRow, team_id) if team_id is not None else None
    if team is None:
        raise deny(session, caller, action, target, "This agent has no team to lead.", now)
    if caller.role is not Role.ADMIN and caller.user.id not in team_leads(session, team.id):
        raise deny(session, caller, action, target, "Only the team's lead may do this.", now)
    return team


@router.post("/presence/{user_id}/command", status_code=202, response_model=AgentCommandOut)
def command_agent(
    user_id: IdPath,
    body: AgentCommandIn,
    request: Request,
    caller: Lead,
    session: DbSession,
    clock: Now,
) -> Response:
    """Put an agent Ready, Not Ready (with a reason) or logged out. Their desk applies Ready
    and Not Ready at once, or after the current call and its wrap-up; logged out at once (it
    signs out: the call ended and written); the desk then reports the new state."""
    agent = get_or_404(session, UserRow, user_id, "user")
    path = request.url.path
    _check_lead(session, caller, agent.team_id, "presence.command", path, clock.now())
    if body.state not in COMMAND_STATES:
        raise bad_field("state", "a lead may set ready, not_ready or logged_out")
    if body.state is AgentState.NOT_READY and not body.reason:
        raise bad_field("reason", "'not ready' needs a reason code")

    def perform(now):  # type: ignore[no-untyped-def]
        out = AgentCommandOut(
            user_id=agent.id,
            team_id=agent.team_id,
            state=body.state,
            reason=body.reason,
            by_user_id=caller.user.id,
            by_name=caller.user.display_name,
            at=now,
        )
        raise_event(
            session,
            out,
            now=now,
            team_id=agent.team_id,
            user_id=agent.id,
        )
        return 202, out

    return write(request, session, caller, clock, body, perform)


@router.post("/team-messages", status_code=202, response_model=TeamMessageOut)
def team_message(
    body: TeamMessageIn, request: Request, caller: Lead, session: DbSession, clock: Now
) -> Response:
    """A short message from the lead, shown on every desk of the team."""
    team_id = body.team_id if body.team_id is not None else caller.user.team_id
    team = _check_lead(session, caller, team_id, "team.message", request.url.path, clock.now())

    def perform(now):  # type: ignore[no-untyped-def]
        out = TeamMessageOut(
            team_id=team.id,
            text=body.text,
            by_user_id=caller.user.id,
            by_name=caller.user.display_name,
            at=now,
        )
        raise_event(session, out, now=now, team_id=team.id)
        return 202, out

    return write(request, session, caller, clock, body, perform)


def queue_service_levels(session: Session) -> dict[str, int]:
    """Each queue's own service-level T where its admins set one (contract 1.6)."""
    rows = session.scalars(select(QueueRow).where(QueueRow.service_level_s.is_not(None)))
    return {q.name: int(q.service_level_s) for q in rows if q.service_level_s is not None}
