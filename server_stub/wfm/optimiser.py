"""The roster optimiser: which agent works which shift pattern on each day of a week, and where
the breaks and lunches go, so that the agents on the phones match the requirement per
15-minute interval as closely as it can (a mixed-integer programme, PuLP with its bundled CBC).

Variables: ``work[a, d, p]`` (agent a works pattern p on day d, binary); per day and pattern the
number of its agents starting each break (or lunch) at each allowed offset (integers, which
sum to the agents on it — agents on the same shift are interchangeable for a break, so the
model places breaks per shift, not per agent, and the answer hands them out in turn); per
interval the agents short (in tiers) and the agents too many. Rules per agent: one shift a day,
at most ``max_days`` shifts and ``max_minutes`` paid minutes a week, ``min_rest_min`` between
the end of one shift and the start of the next. Minimised, summed over the week's intervals:
``under_weight`` × (the first agent short + 2 × the second + 3 × each further one) +
``over_weight`` × agents too many.

The solve is bounded (``time_limit_s``); a solution the solver could not prove optimal in time
says so (``SolveStatus.FEASIBLE``). A night shift's hours after midnight count on the next
day; those after the week's last midnight fall outside this week's coverage.
"""

from __future__ import annotations

import itertools
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from server_stub.wfm.calendar import calendar_day
from sync.contract.wfm import (
    INTERVAL_MIN,
    INTERVALS_PER_DAY,
    WEEK_DAYS,
    AgentRules,
    BreakWindow,
    DayKind,
    ShiftKind,
    ShiftPattern,
    SolveStatus,
)

WEEK_INTERVALS = WEEK_DAYS * INTERVALS_PER_DAY
UNDER_TIERS = 3


@dataclass(frozen=True, slots=True)
class Placed:
    """One agent's shift on one day of the week (``day`` 0 is the Monday)."""

    agent_id: int
    day: int
    pattern: ShiftPattern
    break_starts_min: tuple[int, ...]
    lunch_start_min: int | None


@dataclass(frozen=True, slots=True)
class Solution:
    placed: tuple[Placed, ...]
    scheduled: tuple[int, ...]  # WEEK_INTERVALS: agents rostered and not on a break or lunch
    under_intervals: int
    over_intervals: int
    status: SolveStatus
    seconds: float
    objective: float | None


def pattern_fits(pattern: ShiftPattern, day: date) -> bool:
    """Whether ``pattern`` may be worked on ``day`` (its weekdays; holiday patterns only on
    public holidays, others on them only when ``on_holidays``)."""
    holiday = calendar_day(day).kind is DayKind.HOLIDAY
    if pattern.kind is ShiftKind.HOLIDAY:
        return holiday
    if holiday and not pattern.on_holidays:
        return False
    return day.weekday() in pattern.days


def _pauses(pattern: ShiftPattern) -> list[tuple[BreakWindow, bool]]:
    """The pattern's breaks and lunch, each with whether it is the lunch."""
    found = [(b, False) for b in pattern.breaks]
    if pattern.lunch is not None:
        found.append((pattern.lunch, True))
    return found


def _offsets(window: BreakWindow) -> list[int]:
    return list(range(window.earliest_min, window.latest_min + 1, INTERVAL_MIN))


def _span(start_min: int, length_min: int) -> range:
    return range(start_min // INTERVAL_MIN, (start_min + length_min) // INTERVAL_MIN)


def shift_intervals(day: int, pattern: ShiftPattern) -> list[int]:
    """The week's intervals the shift spans (a night shift runs into the next day)."""
    first = day * INTERVALS_PER_DAY
    return [
        first + i
        for i in _span(pattern.start_min, pattern.length_min)
        if first + i < WEEK_INTERVALS
    ]


def pause_intervals(day: int, pattern: ShiftPattern, offset_min: int, length_min: int) -> list[int]:
    first = day * INTERVALS_PER_DAY
    return [
        first + i
        for i in _span(pattern.start_min + offset_min, length_min)
        if first + i < WEEK_INTERVALS
    ]


def default_pauses(pattern: ShiftPattern) -> tuple[tuple[int, ...], int | None]:
    """Break and lunch starts in the middle of their windows (a lead's roster that names none)."""

    def middle(window: BreakWindow) -> int:
        offsets = _offsets(window)
        return offsets[len(offsets) // 2]

    return tuple(middle(b) for b in pattern.breaks), (
        middle(pattern.lunch) if pattern.lunch else None
    )


def coverage(placed: Sequence[Placed]) -> list[int]:
    """Agents rostered and not on a break or lunch, per interval of the week."""
    scheduled = [0] * WEEK_INTERVALS
    for shift in placed:
        for index in shift_intervals(shift.day, shift.pattern):
            scheduled[index] += 1
        pauses = list(zip(shift.break_starts_min, shift.pattern.breaks, strict=False))
        if shift.lunch_start_min is not None and shift.pattern.lunch is not None:
            pauses.append((shift.lunch_start_min, shift.pattern.lunch))
        for offset, window in pauses:
            for index in pause_intervals(shift.day, shift.pattern, offset, window.length_min):
                scheduled[index] -= 1
    return scheduled


def staffing_gaps(scheduled: Sequence[int], required: Sequence[int]) -> tuple[int, int]:
    """Intervals with fewer agents than required, and with more."""
    under = sum(1 for s, r in zip(scheduled, required, strict=True) if s < r)
    over = sum(1 for s, r in zip(scheduled, required, strict=True) if s > r)
    return under, over


def _end_min(day: int, pattern: ShiftPattern) -> int:
    return day * 24 * 60 + pattern.start_min + pattern.length_min


def _start_min(day: int, pattern: ShiftPattern) -> int:
    return day * 24 * 60 + pattern.start_min


def propose(  # noqa: PLR0912 (one model, built in one place)
    week: date,
    required: Sequence[int],
    patterns: Sequence[ShiftPattern],
    agent_ids: Sequence[int],
    rules: AgentRules,
    *,
    under_weight: float = 3.0,
    over_weight: float = 1.0,
    time_limit_s: float = 20.0,
    clock: Callable[[], float] = time.monotonic,
) -> Solution:
    """The roster for ``week`` (a Monday) covering ``required`` (WEEK_INTERVALS agents)."""
    import pulp  # noqa: PLC0415 (the desk never loads the solver)

    if len(required) != WEEK_INTERVALS:
        raise ValueError(f"required holds {WEEK_INTERVALS} intervals, not {len(required)}")
    started = clock()
    days = [week + timedelta(days=n) for n in range(WEEK_DAYS)]
    usable = {(d, p.key): p for d in range(WEEK_DAYS) for p in patterns if pattern_fits(p, days[d])}
    model = pulp.LpProblem("roster", pulp.LpMinimize)
    work = {
        (a, d, key): model.add_variable(f"w_{a}_{d}_{key}", cat=pulp.LpBinary)
        for a in agent_ids
        for (d, key) in usable
    }
    on_shift = {(d, key): pulp.lpSum(work[a, d, key] for a in agent_ids) for (d, key) in usable}
    # Pause starts: (day, pattern, pause index, offset) -> agents starting it there.
    pause_vars: dict[tuple[int, str, int, int], pulp.LpVariable] = {}
    for (d, key), pattern in usable.items():
        for index, (window, _lunch) in enumerate(_pauses(pattern)):
            starts = []
            for offset in _offsets(window):
                var = model.add_variable(f"b_{d}_{key}_{index}_{offset}", 0, cat=pulp.LpInteger)
                pause_vars[d, key, index, offset] = var
                starts.append(var)
            model += pulp.lpSum(starts) == on_shift[d, key]
    covering: list[list[pulp.LpAffineExpression | pulp.LpVariable]] = [
        [] for _ in range(WEEK_INTERVALS)
    ]
    for (d, key), pattern in usable.items():
        for index in shift_intervals(d, pattern):
            covering[index].append(on_shift[d, key])
    for (d, key, index, offset), var in pause_vars.items():
        window = _pauses(usable[d, key])[index][0]
        for interval in pause_intervals(d, usable[d, key], offset, window.length_min):
            covering[interval].append(-1 * var)
    # Short-staffing costs more with each agent missing: the first agent short in an interval
    # weighs ``under_weight``, the second twice that, the third and beyond three times. Linear
    # costs would be indifferent between one agent short on each of three days and three short
    # on one (each shift removes the same count of agent-intervals short); service collapses
    # faster than linearly as agents go missing (Erlang C), so the tiers spread a shortage.
    tiers = [[model.add_variable(f"u{k}_{t}", 0, 1 if k < UNDER_TIERS else None)
              for t in range(WEEK_INTERVALS)] for k in range(1, UNDER_TIERS + 1)]  # fmt: skip
    over = [model.add_variable(f"o_{t}", 0) for t in range(WEEK_INTERVALS)]
    for t in range(WEEK_INTERVALS):
        staffed = pulp.lpSum(covering[t])
        short = pulp.lpSum(tier[t] for tier in tiers)
        model += staffed + short - over[t] == required[t]
    model += pulp.lpSum(
        k * under_weight * u for k, tier in enumerate(tiers, start=1) for u in tier
    ) + pulp.lpSum(over_weight * o for o in over)
    for a in agent_ids:
        mine = {(d, key): work[a, d, key] for (d, key) in usable}
        for d in range(WEEK_DAYS):
            today = [v for (day, _), v in mine.items() if day == d]
            if today:
                model += pulp.lpSum(today) <= 1
        model += pulp.lpSum(mine.values()) <= rules.max_days
        model += pulp.lpSum(usable[k].paid_min * v for k, v in mine.items()) <= rules.max_minutes
        for (d, key), var in mine.items():  # rest: a shift and a too-early one the next day
            clash = [
                other
                for (d2, key2), other in mine.items()
                if d2 == d + 1
                and _start_min(d2, usable[d2, key2]) - _end_min(d, usable[d, key])
                < rules.min_rest_min
            ]
            if clash:
                model += var + pulp.lpSum(clash) <= 1
    for first, second in itertools.pairwise(agent_ids):
        # Interchangeable agents: the first works at least as many shifts as the next (cuts
        # the solver's search among rosters that only swap two agents).
        model += pulp.lpSum(work[first, d, k] for (d, k) in usable) >= pulp.lpSum(
            work[second, d, k] for (d, k) in usable
        )
    left = max(1.0, time_limit_s - (clock() - started))
    with warnings.catch_warnings():
        # PuLP 3.3 marks its bundled CBC deprecated for 4.0 (it wants pulp[cbc]); the bundled
        # binary is what the lock installs, so the notice is not ours to act on yet.
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=left, threads=1)
    model.solve(solver)
    seconds = clock() - started
    if model.sol_status not in {pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible}:
        empty = [0] * WEEK_INTERVALS
        gaps = staffing_gaps(empty, required)
        failed = (
            SolveStatus.INFEASIBLE
            if model.sol_status == pulp.LpSolutionInfeasible
            else SolveStatus.NO_SOLUTION
        )
        return Solution((), tuple(empty), *gaps, failed, round(seconds, 3), None)
    status = (
        SolveStatus.OPTIMAL if model.sol_status == pulp.LpSolutionOptimal else SolveStatus.FEASIBLE
    )
    placed = _hand_out(usable, work, pause_vars, agent_ids)
    scheduled = coverage(placed)
    return Solution(
        placed=tuple(placed),
        scheduled=tuple(scheduled),
        under_intervals=staffing_gaps(scheduled, required)[0],
        over_intervals=staffing_gaps(scheduled, required)[1],
        status=status,
        seconds=round(seconds, 3),
        objective=float(pulp.value(model.objective) or 0.0),
    )


def _hand_out(
    usable: Mapping[tuple[int, str], ShiftPattern],
    work: Mapping[tuple[int, int, str], object],
    pause_vars: Mapping[tuple[int, str, int, int], object],
    agent_ids: Sequence[int],
) -> list[Placed]:
    """The solver's counts turned into shifts: each agent on a (day, pattern) takes the next
    break start still to hand out."""
    import pulp  # noqa: PLC0415

    placed: list[Placed] = []
    for (d, key), pattern in sorted(usable.items()):
        agents = [a for a in agent_ids if (pulp.value(work[a, d, key]) or 0) > 0.5]
        queues: list[list[int]] = []
        for index, (window, _lunch) in enumerate(_pauses(pattern)):
            queue: list[int] = []
            for offset in _offsets(window):
                count = round(pulp.value(pause_vars[d, key, index, offset]) or 0)
                queue += [offset] * count
            queues.append(queue)
        pauses = _pauses(pattern)
        for n, agent in enumerate(agents):
            starts = [
                q[n] if n < len(q) else _offsets(w)[0]
                for q, (w, _) in zip(queues, pauses, strict=True)
            ]
            marked = list(zip(starts, pauses, strict=True))
            breaks = tuple(s for s, (_, is_lunch) in marked if not is_lunch)
            lunch = next((s for s, (_, is_lunch) in marked if is_lunch), None)
            placed.append(Placed(agent, d, pattern, breaks, lunch))
    return placed
