"""The roster optimiser (PuLP + CBC) on small weeks: it covers the requirement, keeps each
agent's rules, follows a changed forecast, uses holiday patterns only on holidays and says
when its answer is not proven optimal."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from server_stub.history import offered_series
from server_stub.wfm.forecast import forecast
from server_stub.wfm.optimiser import WEEK_INTERVALS, coverage, propose
from server_stub.wfm.staffing import staffing
from sync.contract.wfm import (
    INTERVALS_PER_DAY,
    AgentRules,
    BreakWindow,
    ShiftKind,
    ShiftPattern,
    SolveStatus,
    StaffingTarget,
)

WEEK = date(2026, 12, 7)  # a Monday with no holiday
DAY = ShiftPattern(
    key="day",
    name="Day",
    start_min=8 * 60,
    length_min=10 * 60,
    breaks=[BreakWindow(length_min=15, earliest_min=60, latest_min=180)],
    lunch=BreakWindow(length_min=60, earliest_min=180, latest_min=360),
)
NIGHT = ShiftPattern(
    key="night", name="Night", kind=ShiftKind.NIGHT, start_min=22 * 60, length_min=8 * 60
)


def requirement(weekday: int = 2, weekend: int = 1, wednesday: int | None = None) -> list[int]:
    """``weekday`` agents 09:00–17:00 Monday to Friday, ``weekend`` 10:00–16:00 at weekends."""
    need = [0] * WEEK_INTERVALS
    for day in range(7):
        count = weekday if day < 5 else weekend
        if day == 2 and wednesday is not None:
            count = wednesday
        first, last = (36, 68) if day < 5 else (40, 64)
        for index in range(first, last):
            need[day * INTERVALS_PER_DAY + index] = count
    return need


def shifts_per_day(solution_placed: tuple[object, ...]) -> Counter[int]:
    return Counter(p.day for p in solution_placed)  # type: ignore[attr-defined]


def test_a_week_roster_covers_the_requirement() -> None:
    need = requirement()
    # A lead who will not run short: an agent short weighs ten times an agent too many.
    solution = propose(
        WEEK, need, [DAY], list(range(1, 11)), AgentRules(), under_weight=10, time_limit_s=60
    )
    assert solution.status is SolveStatus.OPTIMAL
    assert solution.under_intervals == 0
    assert all(s >= r for s, r in zip(solution.scheduled, need, strict=True))
    assert list(solution.scheduled) == coverage(solution.placed)
    for shift in solution.placed:  # the pauses lie in their windows
        assert 60 <= shift.break_starts_min[0] <= 180
        assert shift.lunch_start_min is not None
        assert 180 <= shift.lunch_start_min <= 360


def test_a_changed_forecast_changes_the_roster() -> None:
    agents = list(range(1, 13))
    before = propose(WEEK, requirement(), [DAY], agents, AgentRules(), under_weight=10)
    busier = requirement(wednesday=5)
    after = propose(WEEK, busier, [DAY], agents, AgentRules(), under_weight=10)
    assert shifts_per_day(after.placed)[2] > shifts_per_day(before.placed)[2]
    assert after.under_intervals == 0
    assert all(s >= r for s, r in zip(after.scheduled, busier, strict=True))


def test_each_agent_keeps_the_rules() -> None:
    need = [3] * WEEK_INTERVALS  # round the clock: days and nights
    rules = AgentRules(max_days=4, max_minutes=36 * 60, min_rest_min=11 * 60)
    # Bounded: only the rules are checked here, not how good the roster is.
    solution = propose(WEEK, need, [DAY, NIGHT], list(range(1, 9)), rules, time_limit_s=3)
    assert solution.status in {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE}
    by_agent: dict[int, list[tuple[int, str]]] = {}
    for shift in solution.placed:
        by_agent.setdefault(shift.agent_id, []).append((shift.day, shift.pattern.key))
    assert by_agent
    for shifts in by_agent.values():
        days = [d for d, _ in shifts]
        assert len(days) == len(set(days)) <= 4  # one shift a day, at most 4 days
        assert sum(DAY.paid_min if k == "day" else NIGHT.paid_min for _, k in shifts) <= 36 * 60
        worked = dict(shifts)
        for day, key in shifts:  # a night (ends 06:00) is never followed by a day (08:00)
            assert not (key == "night" and worked.get(day + 1) == "day")


def test_holiday_patterns_only_on_public_holidays() -> None:
    holiday_shift = ShiftPattern(
        key="holiday", name="Holiday", kind=ShiftKind.HOLIDAY, start_min=9 * 60, length_min=6 * 60
    )
    weekdays_only = DAY.model_copy(update={"on_holidays": False})
    national_day_week = date(2026, 9, 28)  # 10-01 (Thursday) .. 10-04 are holidays
    need = requirement()
    solution = propose(
        national_day_week, need, [weekdays_only, holiday_shift], list(range(1, 8)), AgentRules()
    )
    for shift in solution.placed:
        on_holiday = shift.day in {3, 4, 5, 6}
        assert (shift.pattern.key == "holiday") == on_holiday


def test_a_solve_cut_short_says_it_is_not_proven_optimal() -> None:
    """The generated 24x7 hotline's forecast week, 60 agents and six patterns: far more than a
    second's search (measured: about 20 s on the bench machine without proof of optimality)."""
    end = date(2026, 11, 29)
    history = next(iter(offered_series(end - timedelta(days=364), end, seed=1).values()))
    days = staffing(forecast(history, WEEK - timedelta(days=7), 7), StaffingTarget(aht_s=230))
    need = [r for day in days for r in day.required]
    patterns = [
        DAY,
        DAY.model_copy(update={"key": "mid", "start_min": 10 * 60}),
        DAY.model_copy(update={"key": "late", "start_min": 13 * 60}),
        DAY.model_copy(update={"key": "eve", "start_min": 16 * 60, "length_min": 8 * 60}),
        NIGHT,
        NIGHT.model_copy(update={"key": "small", "start_min": 2 * 60}),
    ]
    solution = propose(WEEK, need, patterns, list(range(1, 61)), AgentRules(), time_limit_s=1)
    assert solution.status in {SolveStatus.FEASIBLE, SolveStatus.NO_SOLUTION}
    if solution.status is SolveStatus.FEASIBLE:
        assert solution.objective is not None
        assert solution.placed


def test_a_requirement_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ValueError, match="672"):
        propose(WEEK, [1] * 10, [DAY], [1], AgentRules())
