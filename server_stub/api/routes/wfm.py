"""Workforce planning routes (contract 1.8, ``sync.contract.wfm``; ``server_stub.wfm`` plans).

- shift patterns, forecast, staffing, rosters and adherence: ``wfm.plan``, for the teams the
  caller sees (a lead: their team; an administrator: every team);
- an agent's own published shifts: ``wfm.view_own``.

Every refusal is audited (``deps.deny``), and so is every change, with what changed. The
roster's solve runs without holding a database connection (the read transaction ends first).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.errors import ApiProblem, VersionConflictError, conflict_response
from server_stub.api.routes.common import IdPath, bad_field, get_or_404
from server_stub.api.writes import write
from server_stub.feed import audit, raise_event
from server_stub.models import TeamRow
from server_stub.wfm import store
from server_stub.wfm.calendar import first_unknown
from server_stub.wfm.forecast import Accuracy, DayForecast, Errors, held_out_accuracy, span
from server_stub.wfm.forecast import forecast as make_forecast
from server_stub.wfm.optimiser import (
    WEEK_INTERVALS,
    Placed,
    default_pauses,
    pattern_fits,
    propose,
)
from server_stub.wfm.staffing import staffing
from sync.contract.errors import ErrorCode
from sync.contract.wallboard import centre_zone
from sync.contract.wfm import (
    MAX_FORECAST_DAYS,
    PLAN,
    VIEW_OWN,
    WEEK_DAYS,
    AdherenceOut,
    ForecastAccuracy,
    ForecastDay,
    ForecastError,
    ForecastOut,
    MyShiftsOut,
    RosterIn,
    RosterOut,
    RosterProposal,
    RosterPublishedData,
    RosterStatus,
    ShiftPattern,
    ShiftPatternsIn,
    ShiftPatternsOut,
    SolveStatus,
    StaffingDay,
    StaffingOut,
    StaffingTarget,
)
from sync.contract.wire import ConflictBody

router = APIRouter(tags=["workforce"])
Planner = Annotated[Caller, Depends(require(PLAN))]
Own = Annotated[Caller, Depends(require(VIEW_OWN))]
HISTORY_DAYS = 364  # a year: every holiday once
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # beyond: a typo, not a plan
DayQuery = Annotated[date | None, Query()]
DaysQuery = Annotated[int, Query(ge=1, le=MAX_FORECAST_DAYS)]


def _team(session: Session, caller: Caller, team_id: int, action: str, now: datetime) -> None:
    get_or_404(session, TeamRow, team_id, "team")
    check_team(session, caller, team_id, action, f"team {team_id}", now)


def _day(name: str, value: date | None, default: date) -> date:
    if value is None:
        return default
    if not FIRST_DAY <= value <= LAST_DAY:
        raise bad_field(name, f"must be between {FIRST_DAY} and {LAST_DAY}, not {value}")
    return value


def _week(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise bad_field("week", f"must be between {FIRST_DAY} and {LAST_DAY}, not {value}")
    if value.weekday() != 0:
        raise bad_field("week", f"must be a Monday, not {value:%A} {value}")
    return value


# -- shift patterns ----------------------------------------------------------------------------


@router.get("/teams/{team_id}/shift-patterns", response_model=ShiftPatternsOut)
def get_patterns(
    team_id: IdPath, caller: Planner, session: DbSession, clock: Now
) -> ShiftPatternsOut:
    """The team's shift patterns (version 0: none yet)."""
    _team(session, caller, team_id, "wfm.patterns.read", clock.now())
    return store.patterns_of(session, team_id)


@router.put(
    "/teams/{team_id}/shift-patterns",
    response_model=ShiftPatternsOut,
    responses={409: {"model": ConflictBody}},
)
def put_patterns(
    team_id: IdPath,
    body: ShiftPatternsIn,
    request: Request,
    caller: Planner,
    session: DbSession,
    clock: Now,
) -> Response:
    """Replace the team's patterns; ``version`` is the one the lead read (409 if stale)."""
    _team(session, caller, team_id, "wfm.patterns", clock.now())

    def perform(now):  # type: ignore[no-untyped-def]
        before, after = store.replace_patterns(session, team_id, body, caller.user.id, now)
        audit(
            session,
            user_id=caller.user.id,
            action="wfm.patterns",
            target=f"team {team_id}",
            allowed=True,
            now=now,
            detail=f"{[p.key for p in before.patterns]} -> {[p.key for p in after.patterns]}"
            f" (version {after.version})",
        )
        return 200, after

    try:
        return write(request, session, caller, clock, body, perform)
    except store.StaleVersionError as exc:
        session.rollback()
        return conflict_response(VersionConflictError(exc.current, str(exc)))


# -- forecast and staffing ---------------------------------------------------------------------


def _history(session: Session, team_id: int, today: date) -> dict[date, list[int]]:
    zone = centre_zone()
    return store.offered_history(
        session, team_id, today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1), zone
    )


def _forecast(
    session: Session, team_id: int, today: date, start: date, days: int
) -> tuple[list[ForecastDay], int, ForecastAccuracy | None]:
    history = _history(session, team_id, today)
    trimmed = _from_first_call(history)
    try:
        made = make_forecast(trimmed, start, days)
    except ValueError:
        raise ApiProblem(
            409,
            ErrorCode.INVALID_REQUEST,
            f"The team has too little call history to forecast ({len(span(trimmed))} days; "
            "28 are needed).",
        ) from None
    # Hold out the latest 4 weeks of a long history, fewer of a short one (the rest trains).
    known = len(span(trimmed))
    held_out = next((n for n in (28, 14) if known >= 3 * n), 7)
    accuracy = held_out_accuracy(trimmed, held_out)
    out = [
        ForecastDay(
            day=d.day,
            kind=d.kind,
            holiday_name=d.holiday_name,
            calls=round(d.total, 1),
            intervals=[round(v, 2) for v in d.intervals],
        )
        for d in made
    ]
    return out, len(span(trimmed)), _accuracy_out(accuracy)


def _from_first_call(history: dict[date, list[int]]) -> dict[date, list[int]]:
    """The history from the first day with calls (a team younger than a year has no zeros
    before it began)."""
    busy = [d for d, counts in history.items() if sum(counts)]
    if not busy:
        return {}
    first = min(busy)
    return {d: c for d, c in history.items() if d >= first}


def _accuracy_out(found: Accuracy | None) -> ForecastAccuracy | None:
    if found is None:
        return None

    def error(e: Errors) -> ForecastError:
        return ForecastError(
            interval_wape_pct=e.interval_wape_pct,
            daily_mape_pct=e.daily_mape_pct,
            daily_worst_pct=e.daily_worst_pct,
        )

    return ForecastAccuracy(
        held_out_from=found.held_out_from,
        held_out_to=found.held_out_to,
        method=error(found.method),
        naive=error(found.naive),
    )


@router.get("/teams/{team_id}/forecast", response_model=ForecastOut)
def get_forecast(
    team_id: IdPath,
    caller: Planner,
    session: DbSession,
    clock: Now,
    start: DayQuery = None,
    days: DaysQuery = 14,
) -> ForecastOut:
    """Calls offered per interval and per day from ``start`` (default tomorrow) for ``days``
    days, from the team's last year of calls, with its error on the latest weeks held out
    beside the naive baseline's."""
    now = clock.now()
    _team(session, caller, team_id, "wfm.forecast", now)
    today = now.astimezone(centre_zone()).date()
    first = _day("start", start, today + timedelta(days=1))
    made, history_days, accuracy = _forecast(session, team_id, today, first, days)
    return ForecastOut(
        team_id=team_id,
        start=first,
        days=made,
        history_days=history_days,
        accuracy=accuracy,
        holidays_unknown_from=first_unknown(d.day for d in made),
    )


def _target(
    service_level_pct: float, answer_within_s: int, aht_s: int, shrinkage_pct: float
) -> StaffingTarget:
    try:
        return StaffingTarget(
            service_level_pct=service_level_pct,
            answer_within_s=answer_within_s,
            aht_s=aht_s,
            shrinkage_pct=shrinkage_pct,
        )
    except ValueError as exc:
        raise bad_field("target", str(exc).splitlines()[-1]) from None


@router.get("/teams/{team_id}/staffing", response_model=StaffingOut)
def get_staffing(
    team_id: IdPath,
    caller: Planner,
    session: DbSession,
    clock: Now,
    start: DayQuery = None,
    days: DaysQuery = 7,
    service_level_pct: Annotated[float, Query(ge=1, le=99.9)] = 80.0,
    answer_within_s: Annotated[int, Query(ge=1, le=3_600)] = 20,
    aht_s: Annotated[int, Query(ge=10, le=7_200)] = 300,
    shrinkage_pct: Annotated[float, Query(ge=0, le=80)] = 30.0,
) -> StaffingOut:
    """Agents required per interval (Erlang C at the target, grossed up for shrinkage)."""
    now = clock.now()
    _team(session, caller, team_id, "wfm.staffing", now)
    today = now.astimezone(centre_zone()).date()
    first = _day("start", start, today + timedelta(days=1))
    target = _target(service_level_pct, answer_within_s, aht_s, shrinkage_pct)
    staffed = _staffing(session, team_id, today, first, days, target)
    return StaffingOut(
        team_id=team_id,
        target=target,
        days=staffed,
        holidays_unknown_from=first_unknown(d.day for d in staffed),
    )


def _staffing(
    session: Session, team_id: int, today: date, first: date, days: int, target: StaffingTarget
) -> list[StaffingDay]:
    made, _, _ = _forecast(session, team_id, today, first, days)
    forecasts = [DayForecast(d.day, d.kind, d.holiday_name, tuple(d.intervals)) for d in made]
    try:
        staffed = staffing(forecasts, target)
    except ValueError as exc:  # e.g. more agents than any centre has: the AHT is a typo
        raise bad_field("target", str(exc)) from None
    return [
        StaffingDay(
            day=s.day,
            kind=s.kind,
            calls=list(s.calls),
            agents_on_phones=list(s.on_phones),
            agents_required=list(s.required),
            expected_service_level_pct=[round(100 * v, 1) for v in s.expected_service_level],
        )
        for s in staffed
    ]


# -- rosters -----------------------------------------------------------------------------------


@router.post(
    "/teams/{team_id}/rosters/propose",
    response_model=RosterOut,
    responses={409: {"model": ConflictBody}},
)
def propose_roster(
    team_id: IdPath,
    body: RosterProposal,
    request: Request,
    caller: Planner,
    session: DbSession,
    clock: Now,
) -> Response:
    """Propose the week's roster (the optimiser, bounded by ``time_limit_s``) and store it as
    proposed. A week already published is changed only by PUT (409)."""
    now = clock.now()
    _team(session, caller, team_id, "wfm.roster.propose", now)
    zone = centre_zone()
    existing = store.stored_roster(session, team_id, body.week, zone)
    if existing is not None and existing.status is RosterStatus.PUBLISHED:
        return conflict_response(
            VersionConflictError(existing, "This week is published; change it with PUT.")
        )
    patterns = store.patterns_of(session, team_id).patterns
    if not patterns:
        raise bad_field("patterns", "the team has no shift patterns yet")
    names = store.team_agents(session, team_id)
    agent_ids = list(body.agent_ids) or list(names)
    strangers = sorted(set(agent_ids) - set(names))
    if strangers:
        raise bad_field("agent_ids", f"not active agents of team {team_id}: {strangers}")
    if body.required is not None:
        required = [n for day in body.required for n in day]
    else:
        today = now.astimezone(zone).date()
        staffed = _staffing(session, team_id, today, body.week, WEEK_DAYS, body.target)
        required = [n for day in staffed for n in day.agents_required]
    session.commit()  # the read transaction ends: no connection held while the solver runs
    solution = propose(
        body.week,
        required,
        patterns,
        agent_ids,
        body.rules,
        under_weight=body.under_weight,
        over_weight=body.over_weight,
        time_limit_s=body.time_limit_s,
    )

    def perform(at):  # type: ignore[no-untyped-def]
        row = store.save_roster(
            session,
            team_id,
            body.week,
            solution.placed,
            required,
            status=RosterStatus.PROPOSED,
            solve_status=solution.status,
            solve_seconds=solution.seconds,
            objective=solution.objective,
            user_id=caller.user.id,
            now=at,
            zone=zone,
        )
        audit(
            session,
            user_id=caller.user.id,
            action="wfm.roster.propose",
            target=f"team {team_id} week {body.week}",
            allowed=True,
            now=at,
            detail=f"{len(solution.placed)} shifts, {solution.status.value} in "
            f"{solution.seconds:.1f} s; under {solution.under_intervals}, over "
            f"{solution.over_intervals} intervals (version {row.version})",
        )
        out = store.stored_roster(session, team_id, body.week, zone)
        return 200, out

    return write(request, session, caller, clock, body, perform)


@router.get("/teams/{team_id}/rosters/{week}", response_model=RosterOut)
def get_roster(
    team_id: IdPath, week: date, caller: Planner, session: DbSession, clock: Now
) -> RosterOut:
    _team(session, caller, team_id, "wfm.roster.read", clock.now())
    found = store.stored_roster(session, team_id, _week(week), centre_zone())
    if found is None:
        raise ApiProblem(404, ErrorCode.NOT_FOUND, f"No roster for team {team_id}, week {week}.")
    return found


def _placed(
    body: RosterIn, week: date, patterns: dict[str, ShiftPattern], agents: dict[int, str]
) -> list[Placed]:
    """The lead's assignments checked: the team's agents, known patterns that fit the day,
    pauses in their windows, one shift a day."""
    placed: list[Placed] = []
    seen: set[tuple[int, date]] = set()
    for n, item in enumerate(body.assignments):
        where = f"assignments[{n}]"
        if item.agent_id not in agents:
            raise bad_field(where, f"agent {item.agent_id} is not an active agent of the team")
        offset = (item.day - week).days
        if not 0 <= offset < WEEK_DAYS:
            raise bad_field(where, f"{item.day} is not in the week of {week}")
        if (item.agent_id, item.day) in seen:
            raise bad_field(where, f"agent {item.agent_id} has two shifts on {item.day}")
        seen.add((item.agent_id, item.day))
        pattern = patterns.get(item.pattern_key)
        if pattern is None:
            raise bad_field(where, f"the team has no shift pattern '{item.pattern_key}'")
        if not pattern_fits(pattern, item.day):
            raise bad_field(where, f"pattern '{item.pattern_key}' is not worked on {item.day}")
        breaks, lunch = default_pauses(pattern)
        if item.break_starts_min is not None:
            windows = pattern.breaks
            if len(item.break_starts_min) != len(windows):
                raise bad_field(where, f"pattern '{item.pattern_key}' has {len(windows)} breaks")
            for at, window in zip(item.break_starts_min, windows, strict=True):
                if not window.earliest_min <= at <= window.latest_min:
                    raise bad_field(where, f"a break at {at} min is outside its window")
            breaks = tuple(item.break_starts_min)
        if item.lunch_start_min is not None:
            lunch_window = pattern.lunch
            if lunch_window is None or not (
                lunch_window.earliest_min <= item.lunch_start_min <= lunch_window.latest_min
            ):
                raise bad_field(where, "the lunch is outside its window (or the shift has none)")
            lunch = item.lunch_start_min
        placed.append(Placed(item.agent_id, offset, pattern, breaks, lunch))
    return placed


@router.put(
    "/teams/{team_id}/rosters/{week}",
    response_model=RosterOut,
    responses={409: {"model": ConflictBody}},
)
def put_roster(
    team_id: IdPath,
    week: date,
    body: RosterIn,
    request: Request,
    caller: Planner,
    session: DbSession,
    clock: Now,
) -> Response:
    """The lead's roster for the week (replacing the stored one) and, with ``publish``, shown
    to the agents (event ``wfm.roster`` to the team)."""
    now = clock.now()
    _team(session, caller, team_id, "wfm.roster", now)
    monday = _week(week)
    zone = centre_zone()
    current = store.stored_roster(session, team_id, monday, zone)
    if body.version != (current.version if current else 0):
        if current is None:
            raise ApiProblem(404, ErrorCode.NOT_FOUND, f"No roster for week {monday} to change.")
        return conflict_response(VersionConflictError(current))
    patterns = {p.key: p for p in store.patterns_of(session, team_id).patterns}
    placed = _placed(body, monday, patterns, store.team_agents(session, team_id))
    if current is not None:
        required = [n for day in current.coverage for n in day.required]
    else:
        required = [0] * WEEK_INTERVALS
    status = RosterStatus.PUBLISHED if body.publish else RosterStatus.PROPOSED

    def perform(at):  # type: ignore[no-untyped-def]
        row = store.save_roster(
            session,
            team_id,
            monday,
            placed,
            required,
            status=status,
            solve_status=SolveStatus.MANUAL,
            solve_seconds=0.0,
            objective=None,
            user_id=caller.user.id,
            now=at,
            zone=zone,
        )
        audit(
            session,
            user_id=caller.user.id,
            action="wfm.roster.publish" if body.publish else "wfm.roster",
            target=f"team {team_id} week {monday}",
            allowed=True,
            now=at,
            detail=f"{len(placed)} shifts, {status.value} (version {row.version})",
        )
        if body.publish:
            raise_event(
                session,
                RosterPublishedData(team_id=team_id, week=monday, version=row.version),
                now=at,
                team_id=team_id,
            )
        return 200, store.stored_roster(session, team_id, monday, zone)

    return write(request, session, caller, clock, body, perform)


# -- an agent's own shifts; adherence ----------------------------------------------------------


@router.get("/me/shifts", response_model=MyShiftsOut)
def get_my_shifts(
    caller: Own, session: DbSession, clock: Now, start: DayQuery = None, days: DaysQuery = 14
) -> MyShiftsOut:
    """The caller's published shifts from ``start`` (default today) for ``days`` days."""
    zone = centre_zone()
    today = clock.now().astimezone(zone).date()
    first = _day("start", start, today)
    return MyShiftsOut(shifts=store.my_shifts(session, caller.user.id, first, days, zone))


@router.get("/teams/{team_id}/adherence", response_model=AdherenceOut)
def get_adherence(team_id: IdPath, caller: Planner, session: DbSession, clock: Now) -> AdherenceOut:
    """Each agent of the team now: scheduled activity beside their state, since when, and the
    share of the day's scheduled time they adhered to."""
    now = clock.now()
    _team(session, caller, team_id, "wfm.adherence", now)
    return store.team_adherence(session, team_id, now, centre_zone())
