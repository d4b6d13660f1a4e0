"""A stand-in for the server's workforce routes, for the desk's workforce layer's own tests
(services and widgets; the real backend is ``tests/ui/test_workforce_e2e.py``). It answers
with real contract records (``sync.contract.wfm``): a team of three agents, two patterns, a
small forecast and a roster it "proposes" by giving each agent the day pattern Monday to
Friday. ``OlderPlanningServer`` answers as a 1.7 server does: FastAPI's own 404."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sync.client import ProtocolError
from sync.contract.directory import ColleagueOut, DirectoryOut
from sync.contract.records import AgentState, Role, SessionGrant, Team, UserProfile
from sync.contract.version import ContractVersion
from sync.contract.wallboard import centre_zone
from sync.contract.wfm import (
    INTERVALS_PER_DAY,
    Activity,
    AdherenceOut,
    AgentAdherence,
    AssignmentOut,
    BreakWindow,
    CoverageDay,
    DayKind,
    ForecastAccuracy,
    ForecastDay,
    ForecastError,
    ForecastOut,
    MyShift,
    MyShiftsOut,
    RosterIn,
    RosterOut,
    RosterProposal,
    RosterStatus,
    ShiftKind,
    ShiftPattern,
    ShiftPatternsIn,
    ShiftPatternsOut,
    SolveStatus,
    StaffingDay,
    StaffingOut,
    StaffingTarget,
    Weekday,
)

TEAM = 1
AGENTS = {11: "王芳", 12: "Alice", 13: "李娜"}
DAY = ShiftPattern(
    key="day",
    name="早班 Day",
    kind=ShiftKind.DAY,
    start_min=8 * 60,
    length_min=9 * 60,
    breaks=[BreakWindow(length_min=15, earliest_min=90, latest_min=150)],
    lunch=BreakWindow(length_min=60, earliest_min=210, latest_min=270),
    days=[Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY],
)
EVENING = ShiftPattern(
    key="evening", name="晚班 Evening", kind=ShiftKind.EVENING, start_min=14 * 60, length_min=8 * 60
)


def grant(permissions: frozenset[str], user_id: int = 11) -> SessionGrant:
    return SessionGrant(
        token="t",
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        user=UserProfile(
            id=user_id,
            username="zhangwei",
            display_name="张伟",
            role=Role.SUPERVISOR,
            team=Team(id=TEAM, name="医疗设备热线"),
        ),
        permissions=permissions,
    )


def _day_curve(total: float) -> list[float]:
    """Calls per interval: nothing at night, a hump from 08:00 to 20:00."""
    open_ = [i for i in range(INTERVALS_PER_DAY) if 32 <= i < 80]
    return [total / len(open_) if i in open_ else 0.0 for i in range(INTERVALS_PER_DAY)]


class PlanningServer:
    """``ApiClient``'s workforce methods, answered from memory (a 1.8 server)."""

    server_contract = ContractVersion(1, 8)

    def __init__(self) -> None:
        self.patterns = ShiftPatternsOut(team_id=TEAM, patterns=[DAY, EVENING], version=1)
        self.saved: list[RosterIn] = []
        self.proposals: list[RosterProposal] = []
        self.roster: RosterOut | None = None
        self.adherence_asked = 0
        self.adherence_ids = (11, 12)  # the agents adherence names (the board's ids in its tests)
        self.out_since = datetime(2026, 12, 7, 9, 55, tzinfo=UTC)

    def directory(self) -> DirectoryOut:
        """The team's agents, and one (汤姆, 14) no proposal gives a shift."""
        people = [*AGENTS.items(), (14, "汤姆 Tom")]
        return DirectoryOut(
            colleagues=[
                ColleagueOut(
                    user_id=uid,
                    username=f"u{uid}",
                    display_name=name,
                    role=Role.AGENT,
                    team_id=TEAM,
                )
                for uid, name in people
            ],
            queues=[],
        )

    def wfm_shift_patterns(self, team_id: int) -> ShiftPatternsOut:
        return self.patterns

    def wfm_save_shift_patterns(
        self, team_id: int, patterns: ShiftPatternsIn, key: str
    ) -> ShiftPatternsOut:
        self.patterns = ShiftPatternsOut(
            team_id=team_id, patterns=patterns.patterns, version=patterns.version + 1
        )
        return self.patterns

    def wfm_forecast(self, team_id: int, start: date, days: int) -> ForecastOut:
        out = []
        for n in range(days):
            day = start + timedelta(days=n)
            total = 300.0 if day.weekday() < 5 else 120.0
            kind = DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND
            out.append(ForecastDay(day=day, kind=kind, calls=total, intervals=_day_curve(total)))
        accuracy = ForecastAccuracy(
            held_out_from=start - timedelta(days=56),
            held_out_to=start - timedelta(days=1),
            method=ForecastError(interval_wape_pct=14.2, daily_mape_pct=4.1, daily_worst_pct=9.0),
            naive=ForecastError(interval_wape_pct=21.5, daily_mape_pct=8.3, daily_worst_pct=31.0),
        )
        return ForecastOut(
            team_id=team_id, start=start, days=out, history_days=365, accuracy=accuracy
        )

    def wfm_staffing(
        self, team_id: int, start: date, days: int, target: StaffingTarget
    ) -> StaffingOut:
        forecast = self.wfm_forecast(team_id, start, days)
        out = []
        for day in forecast.days:
            agents = [2 if c > 0 else 0 for c in day.intervals]
            out.append(
                StaffingDay(
                    day=day.day,
                    kind=day.kind,
                    calls=day.intervals,
                    agents_on_phones=agents,
                    agents_required=agents,
                    expected_service_level_pct=[85.0 if a else 100.0 for a in agents],
                )
            )
        return StaffingOut(team_id=team_id, target=target, days=out)

    def wfm_propose(self, team_id: int, proposal: RosterProposal, key: str) -> RosterOut:
        """Stored as proposed (a new version), as the server does."""
        self.proposals.append(proposal)
        assignments = [
            (agent, proposal.week + timedelta(days=d), "day") for agent in AGENTS for d in range(5)
        ]
        version = self.roster.version + 1 if self.roster is not None else 1
        self.roster = self._roster(
            team_id,
            proposal.week,
            assignments,
            RosterStatus.PROPOSED,
            version,
            SolveStatus.OPTIMAL,
        )
        return self.roster

    def wfm_roster(self, team_id: int, week: date) -> RosterOut:
        if self.roster is None or self.roster.week != week:
            from sync.client import ServerError

            raise ServerError("No roster for that week.", 404, "not_found")
        return self.roster

    def wfm_save_roster(self, team_id: int, week: date, roster: RosterIn, key: str) -> RosterOut:
        self.saved.append(roster)
        status = RosterStatus.PUBLISHED if roster.publish else RosterStatus.PROPOSED
        assignments = [(a.agent_id, a.day, a.pattern_key) for a in roster.assignments]
        self.roster = self._roster(team_id, week, assignments, status, roster.version + 1)
        return self.roster

    def _roster(
        self,
        team_id: int,
        week: date,
        assignments: list[tuple[int, date, str]],
        status: RosterStatus,
        version: int,
        solved: SolveStatus = SolveStatus.MANUAL,
    ) -> RosterOut:
        patterns = {p.key: p for p in self.patterns.patterns}
        out = []
        for agent, day, key in assignments:
            pattern = patterns[key]
            start = datetime.combine(day, time(), tzinfo=centre_zone()) + timedelta(
                minutes=pattern.start_min
            )
            out.append(
                AssignmentOut(
                    agent_id=agent,
                    agent_name=AGENTS[agent],
                    day=day,
                    pattern_key=key,
                    pattern_name=pattern.name,
                    kind=pattern.kind,
                    start=start,
                    end=start + timedelta(minutes=pattern.length_min),
                    break_starts_min=[120] if pattern.breaks else [],
                    lunch_start_min=240 if pattern.lunch else None,
                )
            )
        coverage = []
        under = 0
        for n in range(7):
            day = week + timedelta(days=n)
            working = sum(1 for a in out if a.day == day)
            required = [2 if 32 <= i < 80 else 0 for i in range(INTERVALS_PER_DAY)]
            scheduled = [working if 32 <= i < 68 else 0 for i in range(INTERVALS_PER_DAY)]
            under += sum(1 for r, s in zip(required, scheduled, strict=True) if s < r)
            coverage.append(CoverageDay(day=day, required=required, scheduled=scheduled))
        return RosterOut(
            team_id=team_id,
            week=week,
            status=status,
            version=version,
            assignments=out,
            coverage=coverage,
            under_intervals=under,
            over_intervals=0,
            solve_status=solved,
            solve_seconds=0.4,
        )

    def wfm_my_shifts(self, start: date, days: int) -> MyShiftsOut:
        roster = self.roster
        if roster is None or roster.status is not RosterStatus.PUBLISHED:
            return MyShiftsOut(shifts=[])
        shifts = []
        for a in roster.assignments:
            if a.agent_id != 11:
                continue
            brk = a.start + timedelta(minutes=120)
            lunch = a.start + timedelta(minutes=240)
            shifts.append(
                MyShift(
                    team_id=TEAM,
                    day=a.day,
                    pattern_name=a.pattern_name,
                    kind=a.kind,
                    start=a.start,
                    end=a.end,
                    breaks=[(brk, brk + timedelta(minutes=15))],
                    lunch=(lunch, lunch + timedelta(minutes=60)),
                )
            )
        return MyShiftsOut(shifts=shifts)

    def wfm_adherence(self, team_id: int) -> AdherenceOut:
        self.adherence_asked += 1
        return AdherenceOut(
            team_id=team_id,
            at=datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
            roster_published=True,
            agents=[
                AgentAdherence(
                    agent_id=self.adherence_ids[0],
                    agent_name="王芳",
                    scheduled=Activity.WORK,
                    actual=AgentState.NOT_READY,
                    in_adherence=False,
                    since=self.out_since,
                    adherence_pct_today=87.5,
                ),
                AgentAdherence(
                    agent_id=self.adherence_ids[1],
                    agent_name="Alice",
                    scheduled=Activity.BREAK,
                    actual=AgentState.NOT_READY,
                    in_adherence=True,
                    since=datetime(2026, 12, 7, 9, 45, tzinfo=UTC),
                    adherence_pct_today=100.0,
                ),
            ],
        )


class OlderPlanningServer:
    """What a 1.7 server answers on every workforce route: FastAPI's own 404."""

    server_contract = ContractVersion(1, 7)

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def refuse(*_args: object, **_kw: object) -> None:
            self.asked.append(name)
            error = ProtocolError("The server answered HTTP 404", "bad_status")
            error.status = 404
            raise error

        return refuse


class PlanningSource:
    """The signed-in session, as the workforce service reads it."""

    def __init__(self, server: object, permissions: frozenset[str]) -> None:
        self.server = server
        self.grant: SessionGrant | None = grant(permissions)

    @property
    def client_factory(self) -> Callable[[], Any]:
        @contextmanager
        def client() -> Iterator[object]:
            yield self.server

        return client
