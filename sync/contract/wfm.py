"""Workforce planning (contract 1.8, issue 21): shift patterns, the forecast and the staffing it
asks for, rosters, an agent's own shifts and live adherence — the shapes both ends speak under
``/api/v1/teams/{team}/...`` and ``/api/v1/me/shifts``.

- A **shift pattern** is a team's kind of shift: when it starts (local wall clock, on a quarter
  hour), how long it lasts, the windows its break and lunch may start in (minutes after the
  shift's start), and the weekdays it may be worked (``on_holidays``: on public holidays too;
  a ``holiday`` pattern is worked only on them).
- The **forecast** gives calls offered per 15-minute interval and per day for the coming days,
  with the method's own error on a held-out period beside the naive baseline (the same weekday
  of the last 4 weeks), so a lead can judge it. Public holidays and adjusted working days (调休)
  come from the centre's calendar; beyond the years it knows, ``holidays_unknown_from`` says so.
- **Staffing** turns the forecast into agents required per interval (Erlang C at the target,
  e.g. 80 % answered within 20 s, then grossed up for shrinkage).
- A **roster** is one team's 7-day week (Monday first): which agent works which pattern each
  day, with the break and lunch placed. The server proposes one (an optimiser: fewest under-
  and over-staffed intervals), the lead adjusts and publishes it; agents see their own shifts
  only once published.
- **Adherence**: per agent, what the published roster says they should be doing now beside the
  state they are in, since when, and the share of the day's scheduled time they adhered.

Routes (all team-scoped; ``wfm.plan`` to write and to read a team's plans, ``wfm.view_own`` for
one's own shifts). A 1.7 server answers 404 to every one: the desk says the server has no
workforce planning.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from sync.contract.records import AgentState
from sync.contract.wire import Day, Id, Name, Plain, WireModel

# Permissions (stored roles; granted by migration 0019_wfm).
PLAN = "wfm.plan"  # a team's shift patterns, forecast, staffing, rosters, adherence
VIEW_OWN = "wfm.view_own"  # one's own published shifts
WFM_PERMISSIONS = frozenset({PLAN, VIEW_OWN})

# Routes, under the API prefix ("{team}" is a team id, "{week}" the week's Monday, ISO).
SHIFT_PATTERNS_ROUTE = "/teams/{team}/shift-patterns"  # GET, PUT (the whole set)
FORECAST_ROUTE = "/teams/{team}/forecast"  # GET ?start=YYYY-MM-DD&days=N
# GET ?start=&days=, and StaffingTarget's fields as query parameters
STAFFING_ROUTE = "/teams/{team}/staffing"
PROPOSE_ROUTE = "/teams/{team}/rosters/propose"  # POST RosterProposal -> RosterOut (proposed)
ROSTER_ROUTE = "/teams/{team}/rosters/{week}"  # GET, PUT RosterIn (adjust; publish)
MY_SHIFTS_ROUTE = "/me/shifts"  # GET ?start=&days= (published shifts only)
ADHERENCE_ROUTE = "/teams/{team}/adherence"  # GET (now, by the server's clock)
# The event kind sent to the team (its leads and agents) when a roster is published.
ROSTER_PUBLISHED = "wfm.roster"

INTERVAL_MIN = 15
INTERVALS_PER_DAY = 24 * 60 // INTERVAL_MIN
WEEK_DAYS = 7
MAX_PATTERNS = 40
MAX_FORECAST_DAYS = 56
MAX_AGENTS = 200  # on one roster
MAX_SOLVE_S = 120
DAY_MIN = 24 * 60

Key = Annotated[
    str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9_.-]+$"), Plain
]
# Minutes after local midnight; on a quarter hour.
MinuteOfDay = Annotated[int, Field(ge=0, lt=DAY_MIN, multiple_of=INTERVAL_MIN)]
Minutes = Annotated[int, Field(ge=0, le=DAY_MIN, multiple_of=INTERVAL_MIN)]
Pct = Annotated[float, Field(ge=0, le=100)]


class Weekday(IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class ShiftKind(StrEnum):
    DAY = "day"
    EVENING = "evening"
    NIGHT = "night"  # may run past midnight into the next day
    HOLIDAY = "holiday"  # worked only on public holidays


class DayKind(StrEnum):
    """What the centre's calendar says a day is."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # a public holiday (春节, 国庆节 …)
    ADJUSTED_WORKDAY = "adjusted_workday"  # 调休: a weekend day worked in exchange
    UNKNOWN = "unknown"  # a year the calendar has no data for


# -- shift patterns ----------------------------------------------------------------------------


class BreakWindow(WireModel):
    """A break (or lunch) of ``length_min`` starting between ``earliest_min`` and
    ``latest_min`` minutes after the shift's start."""

    length_min: Annotated[int, Field(ge=INTERVAL_MIN, le=120, multiple_of=INTERVAL_MIN)]
    earliest_min: Minutes
    latest_min: Minutes

    @model_validator(mode="after")
    def _window_is_ordered(self) -> BreakWindow:
        if self.latest_min < self.earliest_min:
            raise ValueError("a break window's latest start is before its earliest")
        return self


class ShiftPattern(WireModel):
    key: Key  # unique in the team; what roster assignments name
    name: Name
    kind: ShiftKind = ShiftKind.DAY
    start_min: MinuteOfDay  # local wall clock
    length_min: Annotated[int, Field(ge=60, le=720, multiple_of=INTERVAL_MIN)]
    breaks: list[BreakWindow] = Field(default_factory=list, max_length=3)
    lunch: BreakWindow | None = None
    days: list[Weekday] = Field(default_factory=lambda: list(Weekday), max_length=WEEK_DAYS)
    on_holidays: bool = True  # may be worked on a public holiday that falls on one of ``days``

    @model_validator(mode="after")
    def _pauses_fit(self) -> ShiftPattern:
        for pause in [*self.breaks, *([self.lunch] if self.lunch else [])]:
            if pause.latest_min + pause.length_min > self.length_min:
                raise ValueError(
                    f"shift '{self.key}': a break of {pause.length_min} min starting "
                    f"{pause.latest_min} min in ends after the shift's {self.length_min} min"
                )
        if len(set(self.days)) != len(self.days):
            raise ValueError(f"shift '{self.key}': a weekday is listed twice")
        return self

    @property
    def paid_min(self) -> int:
        """Minutes worked: the shift less its lunch (breaks are paid)."""
        return self.length_min - (self.lunch.length_min if self.lunch else 0)


class ShiftPatternsIn(WireModel):
    """A team's whole set of patterns (PUT); ``version`` is the one the editor read (0 for a
    team with none yet): another's save since is a 409."""

    patterns: list[ShiftPattern] = Field(max_length=MAX_PATTERNS)
    version: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0

    @model_validator(mode="after")
    def _keys_are_unique(self) -> ShiftPatternsIn:
        keys = [p.key for p in self.patterns]
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        if doubled:
            raise ValueError(f"pattern keys must be unique; used twice: {', '.join(doubled)}")
        return self


class ShiftPatternsOut(WireModel):
    team_id: int
    patterns: list[ShiftPattern]
    version: int  # 0: the team has none yet
    updated_at: datetime | None = None


# -- forecast ----------------------------------------------------------------------------------


class ForecastDay(WireModel):
    day: date
    kind: DayKind
    holiday_name: str = ""  # e.g. "National Day" (the calendar's English name)
    calls: float  # the day's total
    intervals: list[float]  # INTERVALS_PER_DAY values, local wall-clock quarter hours


class ForecastError(WireModel):
    """A method's error on the held-out days: WAPE per interval (sum |actual - forecast| over
    sum actual, in %) and per day (mean and worst |actual - forecast| / actual of the day's
    total, in %)."""

    interval_wape_pct: float
    daily_mape_pct: float
    daily_worst_pct: float


class ForecastAccuracy(WireModel):
    held_out_from: date
    held_out_to: date  # inclusive
    method: ForecastError
    naive: ForecastError  # the same weekday of the last 4 weeks, averaged


class ForecastOut(WireModel):
    team_id: int
    start: date
    days: list[ForecastDay]
    history_days: int  # days of history the forecast was made from
    accuracy: ForecastAccuracy | None = None  # None: too little history to hold any out
    holidays_unknown_from: date | None = None  # the calendar knows no holidays from this day


# -- staffing ----------------------------------------------------------------------------------


class StaffingTarget(WireModel):
    service_level_pct: Annotated[float, Field(ge=1, le=99.9)] = 80.0
    answer_within_s: Annotated[int, Field(ge=1, le=3_600)] = 20
    aht_s: Annotated[int, Field(ge=10, le=7_200)] = 300  # average handle time
    shrinkage_pct: Annotated[float, Field(ge=0, le=80)] = 30.0  # breaks, training, absence
    max_occupancy_pct: Annotated[float, Field(ge=1, le=100)] = 100.0


class StaffingDay(WireModel):
    day: date
    kind: DayKind
    calls: list[float]  # forecast per interval
    agents_on_phones: list[int]  # Erlang C at the target: agents taking calls
    agents_required: list[int]  # grossed up for shrinkage: agents to schedule
    expected_service_level_pct: list[float]  # with ``agents_on_phones``


class StaffingOut(WireModel):
    team_id: int
    target: StaffingTarget
    days: list[StaffingDay]
    holidays_unknown_from: date | None = None


# -- rosters -----------------------------------------------------------------------------------


class RosterStatus(StrEnum):
    PROPOSED = "proposed"
    PUBLISHED = "published"


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # proven optimal
    FEASIBLE = "feasible"  # the best found within the time limit, not proven optimal
    INFEASIBLE = "infeasible"  # no roster keeps the rules (e.g. no pattern fits a day)
    NO_SOLUTION = "no_solution"  # none found within the time limit
    MANUAL = "manual"  # the lead's own (adjusted) roster


class AgentRules(WireModel):
    """What one agent may be rostered for in the week."""

    max_days: Annotated[int, Field(ge=0, le=WEEK_DAYS)] = 5
    max_minutes: Annotated[int, Field(ge=0, le=WEEK_DAYS * DAY_MIN)] = 40 * 60  # paid minutes
    min_rest_min: Annotated[int, Field(ge=0, le=DAY_MIN)] = 11 * 60  # between two shifts


class RosterProposal(WireModel):
    """POST propose: a roster for the team's week from its forecast (or ``required``, per
    day of the week × interval, when the lead gives the requirement), its patterns and its
    agents (``agent_ids``: a subset; default every agent of the team)."""

    week: Day  # a Monday
    target: StaffingTarget = Field(default_factory=StaffingTarget)
    rules: AgentRules = Field(default_factory=AgentRules)
    agent_ids: list[Id] = Field(default_factory=list, max_length=MAX_AGENTS)
    required: list[list[Annotated[int, Field(ge=0, le=10_000)]]] | None = None
    # The first agent short in an interval; the second costs twice that, further ones 3×.
    under_weight: Annotated[float, Field(ge=0, le=1_000)] = 3.0
    over_weight: Annotated[float, Field(ge=0, le=1_000)] = 1.0  # an agent too many
    time_limit_s: Annotated[int, Field(ge=1, le=MAX_SOLVE_S)] = 20

    @model_validator(mode="after")
    def _is_a_week(self) -> RosterProposal:
        if self.week.weekday() != 0:
            raise ValueError(f"week must be a Monday, not {self.week:%A} {self.week}")
        if self.required is not None and (
            len(self.required) != WEEK_DAYS
            or any(len(day) != INTERVALS_PER_DAY for day in self.required)
        ):
            raise ValueError(
                f"required holds {WEEK_DAYS} days of {INTERVALS_PER_DAY} intervals each"
            )
        return self


class AssignmentIn(WireModel):
    """One agent's shift on one day; break and lunch starts are minutes after the shift's
    start (omitted: the server places them in their windows)."""

    agent_id: Id
    day: Day
    pattern_key: Key
    break_starts_min: list[Minutes] | None = None
    lunch_start_min: Minutes | None = None


class AssignmentOut(WireModel):
    agent_id: int
    agent_name: str = ""
    day: date
    pattern_key: str
    pattern_name: str = ""
    kind: ShiftKind = ShiftKind.DAY
    start: datetime  # aware; the shift's first instant
    end: datetime
    break_starts_min: list[int] = Field(default_factory=list)
    lunch_start_min: int | None = None


class CoverageDay(WireModel):
    day: date
    required: list[int]  # agents to schedule per interval
    scheduled: list[int]  # agents rostered and not on a break or lunch


class RosterIn(WireModel):
    """PUT: the lead's roster for the week (it replaces the stored one) and whether to publish
    it; ``version`` is the one the lead read (0: none stored yet)."""

    assignments: list[AssignmentIn] = Field(max_length=MAX_AGENTS * WEEK_DAYS)
    publish: bool = False
    version: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0


class RosterOut(WireModel):
    team_id: int
    week: date
    status: RosterStatus
    version: int  # 0: not stored (a proposal not yet saved is stored as version 1)
    assignments: list[AssignmentOut]
    coverage: list[CoverageDay]
    under_intervals: int  # intervals with fewer agents than required
    over_intervals: int  # intervals with more agents than required
    solve_status: SolveStatus = SolveStatus.MANUAL
    solve_seconds: float = 0.0
    objective: float | None = None  # the weighted under + over staffing the optimiser reached
    updated_at: datetime | None = None
    published_at: datetime | None = None


# -- an agent's own shifts ---------------------------------------------------------------------


class MyShift(WireModel):
    team_id: int
    day: date
    pattern_name: str
    kind: ShiftKind
    start: datetime
    end: datetime
    breaks: list[tuple[datetime, datetime]] = Field(default_factory=list)
    lunch: tuple[datetime, datetime] | None = None


class MyShiftsOut(WireModel):
    shifts: list[MyShift]


# -- adherence ---------------------------------------------------------------------------------


class Activity(StrEnum):
    """What the published roster says an agent should be doing."""

    OFF = "off"  # not rostered now
    WORK = "work"  # on the phones: ready, on a call or in wrap-up
    BREAK = "break"
    LUNCH = "lunch"


class AgentAdherence(WireModel):
    agent_id: int
    agent_name: str = ""
    scheduled: Activity
    actual: AgentState
    in_adherence: bool
    since: datetime | None = None  # when the agent came in (or out) of adherence
    adherence_pct_today: float | None = None  # None: nothing scheduled yet today


class AdherenceOut(WireModel):
    """The team's adherence now. The board asks again on each presence event it receives (the
    server sends no adherence event of its own)."""

    team_id: int
    at: datetime
    roster_published: bool  # False: no published roster covers today; all are "off"
    agents: list[AgentAdherence]


class RosterPublishedData(WireModel):
    """Event ``wfm.roster``: a team's week was published (again)."""

    team_id: int
    week: date
    version: int


def is_in_adherence(scheduled: Activity, actual: AgentState) -> bool:
    """The one adherence rule: working means ready, on a call or in wrap-up; a break, lunch or
    time off means not taking calls (not ready or signed out)."""
    working = actual in {AgentState.READY, AgentState.ON_CALL, AgentState.WRAP_UP}
    return working if scheduled is Activity.WORK else not working
