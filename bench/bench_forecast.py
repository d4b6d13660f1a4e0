"""The forecast's error on the last 8 weeks of the generated year, beside the naive baseline
(issue 21). The history is ``server_stub.history.offered_series`` (the reports' generator: the
same calls per 15-minute interval its database holds, without loading a year).

For each line and each year end: both methods are made on the day before the last 8 weeks from
the weeks before, then scored on those 8 weeks (and on the National Day week alone when they
hold it): WAPE per interval and the mean daily error. The floor of each figure is the error of
a *perfect* forecast — the generator's own expected calls — measured on the same weeks: the
noise no method can beat. The naive baseline (same weekday, last 4 weeks) is in the aim column.

Two year ends by default: the generator's (2026-11-30: the 8 weeks start 10-06, the end of the
National Day week) and 2026-11-22 (the 8 weeks start 09-28 and hold the whole holiday week and
its 调休 Saturday). Then the daytime line's next week rostered: the optimiser's time, its
status (optimal or only feasible at the limit) and the intervals under and over the requirement.
Usage: ``python -m bench.bench_forecast --seed 1 --agents 45 --time-limit 60``.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

from bench.results import Figure, record
from server_stub.history import LINES, expected_offered, offered_series
from server_stub.wfm.calendar import calendar_day
from server_stub.wfm.forecast import DayForecast, Errors, errors, forecast, naive_forecast
from server_stub.wfm.optimiser import propose
from server_stub.wfm.staffing import staffing
from sync.contract.wfm import (
    AgentRules,
    BreakWindow,
    DayKind,
    ShiftKind,
    ShiftPattern,
    StaffingTarget,
)

HELD_OUT_DAYS = 56


def _holiday_week(days: list[date]) -> list[date]:
    """The held-out days from the first public holiday for 7 days (empty: none held out)."""
    first = next((d for d in days if calendar_day(d).kind is DayKind.HOLIDAY), None)
    return [] if first is None else [d for d in days if first <= d < first + timedelta(days=7)]


def _pick(made: list[DayForecast], wanted: list[date]) -> list[DayForecast]:
    keep = set(wanted)
    return [d for d in made if d.day in keep]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ends", default="2026-11-30,2026-11-22")
    parser.add_argument("--agents", type=int, default=45)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    figures: list[Figure] = []
    timings: list[float] = []
    for end in [date.fromisoformat(text) for text in args.ends.split(",")]:
        series = offered_series(end - timedelta(days=364), end, seed=args.seed)
        cut = end - timedelta(days=HELD_OUT_DAYS - 1)
        held = [cut + timedelta(days=n) for n in range(HELD_OUT_DAYS)]
        for index, (queue, history) in enumerate(series.items()):
            training = {d: c for d, c in history.items() if d < cut}
            actual = {d: c for d, c in history.items() if d >= cut}
            started = time.perf_counter()
            ours = forecast(training, cut, HELD_OUT_DAYS)
            timings.append(time.perf_counter() - started)
            naive = naive_forecast(training, cut, HELD_OUT_DAYS)
            perfect = [
                DayForecast(d, calendar_day(d).kind, "", expected_offered(LINES[index], d))
                for d in held
            ]
            periods = [(f"{cut}..{end}", held)]
            week = _holiday_week(held)
            if week:
                periods.append((f"7 days from its first holiday, {week[0]}..{week[-1]}", week))
            for label, days in periods:
                mine = errors(actual, _pick(ours, days))
                base = errors(actual, _pick(naive, days))
                best = errors(actual, _pick(perfect, days))
                figures += _figures(f"{queue}, {label}", mine, base, best)
    figures.append(
        Figure(
            what="forecast of 56 days from a year of history (median, one line)",
            value=1000 * sorted(timings)[len(timings) // 2],
            unit="ms",
            aim="interactive (< 1 s)",
            detail={"max_ms": 1000 * max(timings)},
        )
    )
    figures += _roster(args.seed, args.agents, args.time_limit)
    record(
        "forecast",
        figures,
        {
            "seed": args.seed,
            "ends": args.ends,
            "days": HELD_OUT_DAYS,
            "agents": args.agents,
            "time_limit_s": args.time_limit,
        },
    )


PATTERNS = (
    ShiftPattern(
        key="early",
        name="Early",
        start_min=8 * 60,
        length_min=9 * 60,
        breaks=[BreakWindow(length_min=15, earliest_min=90, latest_min=150)],
        lunch=BreakWindow(length_min=60, earliest_min=180, latest_min=300),
    ),
    ShiftPattern(
        key="mid",
        name="Mid",
        start_min=10 * 60,
        length_min=9 * 60,
        breaks=[BreakWindow(length_min=15, earliest_min=90, latest_min=150)],
        lunch=BreakWindow(length_min=60, earliest_min=180, latest_min=300),
    ),
    ShiftPattern(
        key="late",
        name="Late",
        kind=ShiftKind.EVENING,
        start_min=12 * 60,
        length_min=8 * 60,
        breaks=[BreakWindow(length_min=15, earliest_min=90, latest_min=150)],
        lunch=BreakWindow(length_min=30, earliest_min=180, latest_min=300),
    ),
    ShiftPattern(key="short", name="Short", start_min=9 * 60, length_min=4 * 60),
)


def _roster(seed: int, agents: int, time_limit: float) -> list[Figure]:
    """The daytime line's next week: forecast, Erlang C staffing (AHT 330 s, 80 % in 20 s,
    10 % shrinkage beyond the rostered breaks), then the optimiser's roster for ``agents``."""
    end = date(2026, 11, 29)
    history = offered_series(end - timedelta(days=364), end, seed=seed)[LINES[1].queue]
    week = end + timedelta(days=1)
    target = StaffingTarget(aht_s=330, shrinkage_pct=10)
    required = [n for d in staffing(forecast(history, week, 7), target) for n in d.required]
    started = time.perf_counter()
    solution = propose(
        week, required, PATTERNS, list(range(1, agents + 1)), AgentRules(), time_limit_s=time_limit
    )
    seconds = time.perf_counter() - started
    return [
        Figure(
            what=f"roster of a week, {agents} agents, {len(PATTERNS)} patterns "
            f"({solution.status.value})",
            value=seconds,
            unit="s",
            aim=f"within its time limit of {time_limit:.0f} s",
            detail={
                "under_intervals": solution.under_intervals,
                "over_intervals": solution.over_intervals,
                "required_intervals": sum(1 for n in required if n),
                "objective": solution.objective or 0.0,
                "shifts": len(solution.placed),
            },
        )
    ]


def _figures(label: str, mine: Errors, base: Errors, best: Errors) -> list[Figure]:
    floor_what = "a perfect forecast: the generator's own means"
    return [
        Figure(
            what=f"{label}: WAPE per 15-min interval",
            value=mine.interval_wape_pct,
            unit="%",
            floor=best.interval_wape_pct,
            floor_what=floor_what,
            aim=f"a clear win over naive {base.interval_wape_pct:.1f} %",
            detail={"naive": base.interval_wape_pct},
        ),
        Figure(
            what=f"{label}: mean daily error",
            value=mine.daily_mape_pct,
            unit="%",
            floor=best.daily_mape_pct,
            floor_what=floor_what,
            aim=f"≤ 10 % (naive {base.daily_mape_pct:.1f} %)",
            detail={
                "naive": base.daily_mape_pct,
                "worst_day": mine.daily_worst_pct,
                "naive_worst_day": base.daily_worst_pct,
            },
        ),
    ]


if __name__ == "__main__":
    main()
