"""Workforce planning in the database: a team's shift patterns, its rosters and their
assignments (migration 0019_wfm), the offered calls its forecast learns from, and the agents'
state spans adherence is measured on (``agent_states``).

Times: a shift starts at its pattern's wall-clock minute on its day in the centre's zone; the
assignment keeps the instant (and the pattern as it was), so a later edit of the patterns never
moves a shift already rostered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, cast, delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from server_stub.models import (
    AgentStateRow,
    InteractionRow,
    UserRow,
    WfmAssignmentRow,
    WfmRosterRow,
    WfmShiftPatternsRow,
)
from server_stub.wfm import adherence
from server_stub.wfm.optimiser import WEEK_INTERVALS, Placed, coverage, staffing_gaps
from sync.contract.records import AgentState
from sync.contract.wfm import (
    INTERVAL_MIN,
    INTERVALS_PER_DAY,
    WEEK_DAYS,
    AdherenceOut,
    AgentAdherence,
    AssignmentOut,
    CoverageDay,
    MyShift,
    RosterOut,
    RosterStatus,
    ShiftPattern,
    ShiftPatternsIn,
    ShiftPatternsOut,
    SolveStatus,
)

SLOT_S = INTERVAL_MIN * 60


class StaleVersionError(Exception):
    """The editor read an older version than the one stored; carries the current record."""

    def __init__(self, current: ShiftPatternsOut | RosterOut) -> None:
        super().__init__("Someone else changed this since you read it; here is the current one.")
        self.current = current


# -- shift patterns ----------------------------------------------------------------------------


def patterns_of(session: Session, team_id: int) -> ShiftPatternsOut:
    row = session.get(WfmShiftPatternsRow, team_id)
    if row is None:
        return ShiftPatternsOut(team_id=team_id, patterns=[], version=0)
    return ShiftPatternsOut(
        team_id=team_id,
        patterns=[ShiftPattern.model_validate(p) for p in row.patterns],
        version=row.version,
        updated_at=row.updated_at,
    )


def replace_patterns(
    session: Session, team_id: int, body: ShiftPatternsIn, user_id: int, now: datetime
) -> tuple[ShiftPatternsOut, ShiftPatternsOut]:
    before = patterns_of(session, team_id)
    if body.version != before.version:
        raise StaleVersionError(before)
    row = session.get(WfmShiftPatternsRow, team_id)
    stored = [p.model_dump(mode="json") for p in body.patterns]
    if row is None:
        session.add(
            WfmShiftPatternsRow(
                team_id=team_id, patterns=stored, version=1, updated_at=now, updated_by=user_id
            )
        )
    else:
        row.patterns, row.version = stored, row.version + 1
        row.updated_at, row.updated_by = now, user_id
    session.flush()
    return before, patterns_of(session, team_id)


# -- history -----------------------------------------------------------------------------------


def offered_history(
    session: Session, team_id: int, first: date, last: date, zone: ZoneInfo
) -> dict[date, list[int]]:
    """Inbound calls offered to the team per interval of each local day in [first, last],
    counted per 15-minute UTC slot in SQL (SQLite and PostgreSQL), placed on the local day in
    Python (any zone whose offset is a whole number of quarter hours)."""
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone)
    slot: ColumnElement[int]
    if session.get_bind().dialect.name == "postgresql":
        epoch = func.extract("epoch", InteractionRow.started_at)
        slot = cast(func.floor(epoch / SLOT_S), Integer)
    else:  # integer division of the Unix time, which strftime('%s') reads from the stored UTC
        slot = cast(func.strftime("%s", InteractionRow.started_at), Integer) // SLOT_S
    rows = session.execute(
        select(slot.label("slot"), func.count())
        .where(
            InteractionRow.team_id == team_id,
            InteractionRow.kind == "call_in",
            InteractionRow.started_at >= start,
            InteractionRow.started_at < end,
        )
        .group_by(slot)
    ).all()
    days: dict[date, list[int]] = {
        first + timedelta(days=n): [0] * INTERVALS_PER_DAY for n in range((last - first).days + 1)
    }
    for number, count in rows:
        local = datetime.fromtimestamp(int(number) * SLOT_S, UTC).astimezone(zone)
        counts = days.get(local.date())
        if counts is not None:
            counts[(local.hour * 60 + local.minute) // INTERVAL_MIN] += int(count)
    return days


# -- agents ------------------------------------------------------------------------------------


def team_agents(session: Session, team_id: int) -> dict[int, str]:
    """The team's active agents, id -> display name."""
    rows = session.execute(
        select(UserRow.id, UserRow.display_name)
        .where(UserRow.team_id == team_id, UserRow.active.is_(True), UserRow.role == "agent")
        .order_by(UserRow.id)
    ).all()
    return {row.id: row.display_name for row in rows}


# -- rosters -----------------------------------------------------------------------------------


def shift_start(day: date, pattern: ShiftPattern, zone: ZoneInfo) -> datetime:
    """The shift's first instant: its wall-clock start on ``day`` in the centre's zone."""
    wall = datetime.combine(day, time(0)) + timedelta(minutes=pattern.start_min)
    return wall.replace(tzinfo=zone)


def roster_row(session: Session, team_id: int, week: date) -> WfmRosterRow | None:
    return session.scalars(
        select(WfmRosterRow).where(WfmRosterRow.team_id == team_id, WfmRosterRow.week == week)
    ).first()


def placed_of(session: Session, row: WfmRosterRow) -> list[Placed]:
    assignments = session.scalars(
        select(WfmAssignmentRow)
        .where(WfmAssignmentRow.roster_id == row.id)
        .order_by(WfmAssignmentRow.day, WfmAssignmentRow.agent_id)
    )
    return [
        Placed(
            agent_id=a.agent_id,
            day=(a.day - row.week).days,
            pattern=ShiftPattern.model_validate(a.pattern),
            break_starts_min=tuple(int(m) for m in a.break_starts_min),
            lunch_start_min=a.lunch_start_min,
        )
        for a in assignments
    ]


def roster_out(
    team_id: int,
    week: date,
    placed: Sequence[Placed],
    required: Sequence[int],
    names: dict[int, str],
    zone: ZoneInfo,
    *,
    row: WfmRosterRow | None = None,
    status: RosterStatus = RosterStatus.PROPOSED,
    solve_status: SolveStatus = SolveStatus.MANUAL,
    solve_seconds: float = 0.0,
    objective: float | None = None,
) -> RosterOut:
    scheduled = coverage(placed)
    under, over = staffing_gaps(scheduled, required)
    assignments = []
    for shift in placed:
        day = week + timedelta(days=shift.day)
        start = shift_start(day, shift.pattern, zone)
        assignments.append(
            AssignmentOut(
                agent_id=shift.agent_id,
                agent_name=names.get(shift.agent_id, ""),
                day=day,
                pattern_key=shift.pattern.key,
                pattern_name=shift.pattern.name,
                kind=shift.pattern.kind,
                start=start,
                end=start + timedelta(minutes=shift.pattern.length_min),
                break_starts_min=list(shift.break_starts_min),
                lunch_start_min=shift.lunch_start_min,
            )
        )
    days = [
        CoverageDay(
            day=week + timedelta(days=d),
            required=list(required[d * INTERVALS_PER_DAY : (d + 1) * INTERVALS_PER_DAY]),
            scheduled=scheduled[d * INTERVALS_PER_DAY : (d + 1) * INTERVALS_PER_DAY],
        )
        for d in range(WEEK_DAYS)
    ]
    if row is not None:
        status, solve_status = RosterStatus(row.status), SolveStatus(row.solve_status)
        solve_seconds, objective = row.solve_seconds, row.objective
    return RosterOut(
        team_id=team_id,
        week=week,
        status=status,
        version=row.version if row is not None else 0,
        assignments=assignments,
        coverage=days,
        under_intervals=under,
        over_intervals=over,
        solve_status=solve_status,
        solve_seconds=solve_seconds,
        objective=objective,
        updated_at=row.updated_at if row is not None else None,
        published_at=row.published_at if row is not None else None,
    )


def stored_roster(session: Session, team_id: int, week: date, zone: ZoneInfo) -> RosterOut | None:
    row = roster_row(session, team_id, week)
    if row is None:
        return None
    required = [int(n) for n in row.required]
    return roster_out(
        team_id,
        week,
        placed_of(session, row),
        required,
        team_agents(session, team_id),
        zone,
        row=row,
    )


def save_roster(
    session: Session,
    team_id: int,
    week: date,
    placed: Sequence[Placed],
    required: Sequence[int],
    *,
    status: RosterStatus,
    solve_status: SolveStatus,
    solve_seconds: float,
    objective: float | None,
    user_id: int,
    now: datetime,
    zone: ZoneInfo,
) -> WfmRosterRow:
    """Store the week's roster, replacing its assignments (the version goes up by one)."""
    if len(required) != WEEK_INTERVALS:
        raise ValueError(f"required holds {WEEK_INTERVALS} intervals")
    row = roster_row(session, team_id, week)
    if row is None:
        row = WfmRosterRow(team_id=team_id, week=week, version=0)
        session.add(row)
    row.status, row.version = status.value, row.version + 1
    row.required = [int(n) for n in required]
    row.solve_status, row.solve_seconds, row.objective = (
        solve_status.value,
        solve_seconds,
        objective,
    )
    row.updated_at, row.updated_by = now, user_id
    row.published_at = now if status is RosterStatus.PUBLISHED else None
    session.flush()
    session.execute(delete(WfmAssignmentRow).where(WfmAssignmentRow.roster_id == row.id))
    for shift in placed:
        day = week + timedelta(days=shift.day)
        start = shift_start(day, shift.pattern, zone)
        session.add(
            WfmAssignmentRow(
                roster_id=row.id,
                agent_id=shift.agent_id,
                day=day,
                pattern=shift.pattern.model_dump(mode="json"),
                start_at=start,
                end_at=start + timedelta(minutes=shift.pattern.length_min),
                break_starts_min=list(shift.break_starts_min),
                lunch_start_min=shift.lunch_start_min,
            )
        )
    session.flush()
    return row


# -- published shifts: an agent's own, and adherence -------------------------------------------


def _published_shifts(
    session: Session, start: datetime, end: datetime, *, user_id: int | None, team_id: int | None
) -> list[tuple[WfmAssignmentRow, WfmRosterRow]]:
    query = (
        select(WfmAssignmentRow, WfmRosterRow)
        .join(WfmRosterRow, WfmRosterRow.id == WfmAssignmentRow.roster_id)
        .where(
            WfmRosterRow.status == RosterStatus.PUBLISHED.value,
            WfmAssignmentRow.start_at < end,
            WfmAssignmentRow.end_at > start,
        )
        .order_by(WfmAssignmentRow.start_at)
    )
    if user_id is not None:
        query = query.where(WfmAssignmentRow.agent_id == user_id)
    if team_id is not None:
        query = query.where(WfmRosterRow.team_id == team_id)
    return [(row[0], row[1]) for row in session.execute(query)]


def _shift_of(row: WfmAssignmentRow) -> adherence.Shift:
    pattern = ShiftPattern.model_validate(row.pattern)
    breaks = tuple(
        (row.start_at + timedelta(minutes=int(m)), timedelta(minutes=w.length_min))
        for m, w in zip(row.break_starts_min, pattern.breaks, strict=False)
    )
    lunch = None
    if row.lunch_start_min is not None and pattern.lunch is not None:
        lunch = (
            row.start_at + timedelta(minutes=row.lunch_start_min),
            timedelta(minutes=pattern.lunch.length_min),
        )
    return adherence.Shift(row.start_at, row.end_at, breaks, lunch)


def my_shifts(
    session: Session, user_id: int, first: date, days: int, zone: ZoneInfo
) -> list[MyShift]:
    start = datetime.combine(first, time(0), zone)
    end = start + timedelta(days=days)
    found = []
    for assignment, roster in _published_shifts(session, start, end, user_id=user_id, team_id=None):
        shift = _shift_of(assignment)
        pattern = ShiftPattern.model_validate(assignment.pattern)
        found.append(
            MyShift(
                team_id=roster.team_id,
                day=assignment.day,
                pattern_name=pattern.name,
                kind=pattern.kind,
                start=shift.start,
                end=shift.end,
                breaks=[(at, at + length) for at, length in shift.breaks],
                lunch=(shift.lunch[0], shift.lunch[0] + shift.lunch[1]) if shift.lunch else None,
            )
        )
    return found


def team_adherence(session: Session, team_id: int, now: datetime, zone: ZoneInfo) -> AdherenceOut:
    """Each agent of the team: scheduled activity and state now, since when, % of the day."""
    day_start = datetime.combine(now.astimezone(zone).date(), time(0), zone)
    names = team_agents(session, team_id)
    shifts: dict[int, list[adherence.Shift]] = {}
    published = _published_shifts(
        session,
        day_start - timedelta(days=1),
        now + timedelta(days=1),
        user_id=None,
        team_id=team_id,
    )
    for assignment, _roster in published:
        shifts.setdefault(assignment.agent_id, []).append(_shift_of(assignment))
    spans: dict[int, list[adherence.Actual]] = {}
    for row in session.scalars(
        select(AgentStateRow)
        .where(
            AgentStateRow.user_id.in_(list(names)),
            AgentStateRow.started_at < now,
            (AgentStateRow.ended_at.is_(None)) | (AgentStateRow.ended_at > day_start),
        )
        .order_by(AgentStateRow.started_at, AgentStateRow.id)
    ):
        try:
            state = AgentState(row.state)
        except ValueError:  # a state this release does not know: not taking calls
            state = AgentState.NOT_READY
        spans.setdefault(row.user_id, []).append(
            adherence.Actual(row.started_at, row.ended_at, state)
        )
    agents = []
    for agent_id, name in names.items():
        schedule = adherence.schedule_of(shifts.get(agent_id, []))
        found = adherence.figures(schedule, spans.get(agent_id, []), day_start, now)
        agents.append(
            AgentAdherence(
                agent_id=agent_id,
                agent_name=name,
                scheduled=found.scheduled,
                actual=found.actual,
                in_adherence=found.in_adherence,
                since=found.since,
                adherence_pct_today=found.pct_today,
            )
        )
    today = day_start.date()
    week = roster_row(session, team_id, today - timedelta(days=today.weekday()))
    published_today = week is not None and week.status == RosterStatus.PUBLISHED.value
    return AdherenceOut(team_id=team_id, at=now, roster_published=published_today, agents=agents)
