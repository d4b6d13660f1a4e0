"""The forecast of calls offered per 15-minute interval and per day, and its error.

Two parts, each fitted on the history (calls offered per interval, per local day):

- **The day's total**: a weighted log-linear regression. Each day has one class — its weekday,
  or *public holiday*, or *adjusted working day* (调休, a weekend day worked) — plus a linear
  trend, the first working day after a holiday and the last before one, and a term per named
  holiday (Spring Festival, National Day …) that is pulled towards the common holiday class
  (ridge) so that a holiday never seen in the history is forecast as an average holiday, and
  one seen is forecast as itself. Recent days weigh more (half-life ``HALF_LIFE_WEEKS``);
  holidays keep at least half their weight, as a year holds few of them.
- **The day's shape**: the share of the day's calls in each interval, from the latest days of
  the same class (pulled towards the shape of all working days or all weekend days, one
  pseudo-day strong, so a class with few days is not all noise).

The forecast of an interval is the day's total times its share. The naive baseline is the one
the wallboard used (``sync.contract.wallboard.forecast_for``): each interval the mean of the
same weekday in the last 4 weeks before the forecast is made.

Errors: per interval WAPE (sum |actual - forecast| / sum actual) and per day the mean and the
worst |actual - forecast| / actual of the day's total (days with calls). numpy is loaded only
here, on the server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from server_stub.wfm.calendar import CalendarDay, calendar_day
from sync.contract.wfm import INTERVALS_PER_DAY, DayKind

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float64]

HALF_LIFE_WEEKS = 12.0
SPECIAL_WEIGHT_FLOOR = 0.5  # a holiday's (or 调休's) weight never falls below this
SHAPE_DAYS = 8  # the latest days of a class that make its intraday shape
NAIVE_WEEKS = 4
MIN_TRAINING_DAYS = 28
HOLIDAY_CLASS = 7
ADJUSTED_CLASS = 8
# 春节 empties a Chinese centre far more than any other holiday (factories and offices close
# for the week, people travel home): a class of its own, so that it does not drag the common
# holiday class down and National Day is forecast from the holidays that resemble it.
SPRING_FESTIVAL_CLASS = 9
SPRING_FESTIVAL = "Spring Festival"
CLASSES = 10
EDGES = 3  # the first and second working days after a holiday, the last before one
NAME_PENALTY = 0.5  # ridge pull of a named holiday towards the common holiday class
PRIOR_PENALTY = 0.01  # pull of a class with no days towards its fallback (holiday -> Sunday)


@dataclass(frozen=True, slots=True)
class DayForecast:
    day: date
    kind: DayKind
    holiday_name: str
    intervals: tuple[float, ...]

    @property
    def total(self) -> float:
        return sum(self.intervals)


@dataclass(frozen=True, slots=True)
class Errors:
    interval_wape_pct: float
    daily_mape_pct: float
    daily_worst_pct: float


@dataclass(frozen=True, slots=True)
class Accuracy:
    held_out_from: date
    held_out_to: date
    method: Errors
    naive: Errors


History = Mapping[date, Sequence[int]]


def span(history: History) -> list[date]:
    """Every day from the history's first to its last (a day with no row had no calls)."""
    if not history:
        return []
    first, last = min(history), max(history)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _class_of(info: CalendarDay) -> int:
    if info.kind is DayKind.HOLIDAY:
        return SPRING_FESTIVAL_CLASS if info.holiday_name == SPRING_FESTIVAL else HOLIDAY_CLASS
    if info.kind is DayKind.ADJUSTED_WORKDAY:
        return ADJUSTED_CLASS
    return info.weekday


def _is_working(info: CalendarDay) -> bool:
    if info.kind is DayKind.UNKNOWN:
        return info.weekday < 5
    return info.kind in {DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY}


def _neighbours_holiday(day: date, step: int, skip: int = 0) -> bool:
    """Whether the run of days off next to ``day`` (after it for step 1, before it for -1),
    past ``skip`` working days, holds a public holiday: the first (skip 0) or second (skip 1)
    working day after a holiday, the last before one."""
    if not _is_working(calendar_day(day)):
        return False
    probe = day + timedelta(days=step)
    for _ in range(skip):
        if not _is_working(calendar_day(probe)):
            return False
        probe += timedelta(days=step)
    if _is_working(calendar_day(probe)):
        return False
    for _ in range(14):
        info = calendar_day(probe)
        if info.kind is DayKind.HOLIDAY:
            return True
        if _is_working(info):
            return False
        probe += timedelta(days=step)
    return False


@dataclass(frozen=True, slots=True)
class _Design:
    names: tuple[str, ...]  # named holidays with a term of their own

    @property
    def width(self) -> int:
        return CLASSES + EDGES + 1 + len(self.names)  # classes, trend, edges, names

    def row(self, day: date, origin: date) -> list[float]:
        info = calendar_day(day)
        row = [0.0] * self.width
        row[_class_of(info)] = 1.0
        row[CLASSES] = (day - origin).days / 365.0
        row[CLASSES + 1] = float(_neighbours_holiday(day, -1))  # first working day after
        row[CLASSES + 2] = float(_neighbours_holiday(day, -1, skip=1))  # the second
        row[CLASSES + 3] = float(_neighbours_holiday(day, +1))  # the last before
        if info.kind is DayKind.HOLIDAY and info.holiday_name in self.names:
            row[CLASSES + EDGES + 1 + self.names.index(info.holiday_name)] = 1.0
        return row


class DailyModel:
    """The fitted model of a day's total."""

    def __init__(self, history: History) -> None:
        import numpy as np  # noqa: PLC0415 (the desk never loads numpy)

        days = span(history)
        if len(days) < MIN_TRAINING_DAYS:
            raise ValueError(f"a forecast needs {MIN_TRAINING_DAYS} days of history")
        self.origin = days[-1]
        names = sorted(
            {
                info.holiday_name
                for info in map(calendar_day, days)
                if info.kind is DayKind.HOLIDAY
                and info.holiday_name
                and info.holiday_name != SPRING_FESTIVAL
            }
        )
        self.design = _Design(tuple(names))
        rows = np.array([self.design.row(d, self.origin) for d in days])
        totals = np.array([float(sum(history.get(d, ()))) for d in days])
        ages = np.array([(self.origin - d).days for d in days], dtype=float)
        weights = 0.5 ** (ages / (7 * HALF_LIFE_WEEKS))
        special = rows[:, HOLIDAY_CLASS:CLASSES].sum(axis=1) > 0
        weights = np.where(special, np.maximum(weights, SPECIAL_WEIGHT_FLOOR), weights)
        target = np.log1p(totals)
        root = np.sqrt(weights)
        a = rows * root[:, None]
        b = target * root
        penalties: list[tuple[list[float], float]] = []
        for index in range(len(names)):  # a named holiday: towards the common class
            line = [0.0] * self.design.width
            line[CLASSES + 1 + EDGES + index] = NAME_PENALTY**0.5
            penalties.append((line, 0.0))
        holiday_prior = [0.0] * self.design.width  # no holiday seen: a Sunday
        holiday_prior[HOLIDAY_CLASS] = PRIOR_PENALTY**0.5
        holiday_prior[6] = -(PRIOR_PENALTY**0.5)
        adjusted_prior = [0.0] * self.design.width  # no 调休 seen: an average working day
        adjusted_prior[ADJUSTED_CLASS] = PRIOR_PENALTY**0.5
        for weekday in range(5):
            adjusted_prior[weekday] = -(PRIOR_PENALTY**0.5) / 5
        for column in range(7):  # a weekday never seen (a short history): near the others
            line = [0.0] * self.design.width
            line[column] = 1e-3
            penalties.append((line, 1e-3 * float(np.average(target, weights=weights))))
        spring_prior = [0.0] * self.design.width  # no 春节 seen: an ordinary holiday
        spring_prior[SPRING_FESTIVAL_CLASS] = PRIOR_PENALTY**0.5
        spring_prior[HOLIDAY_CLASS] = -(PRIOR_PENALTY**0.5)
        penalties += [(holiday_prior, 0.0), (adjusted_prior, 0.0), (spring_prior, 0.0)]
        for edge in range(
            CLASSES + 1, CLASSES + 1 + EDGES
        ):  # after / before a holiday: small ridge
            line = [0.0] * self.design.width
            line[edge] = 0.3
            penalties.append((line, 0.0))
        a = np.vstack([a, np.array([p for p, _ in penalties])])
        b = np.concatenate([b, np.array([t for _, t in penalties])])
        self.coefficients: Floats = np.linalg.lstsq(a, b, rcond=None)[0]

    def total(self, day: date) -> float:
        import numpy as np  # noqa: PLC0415

        value = float(np.dot(self.design.row(day, self.origin), self.coefficients))
        return max(0.0, float(np.expm1(value)))


def _shape_group(cls: int) -> int:
    """Which pooled shape a class falls back on: working days (0) or days off (1)."""
    return 0 if cls < 5 or cls == ADJUSTED_CLASS else 1


def intraday_shapes(history: History) -> dict[int, tuple[float, ...]]:
    """Each class's share of the day's calls per interval (classes never seen: their group's)."""
    days = [d for d in sorted(history, reverse=True) if sum(history[d]) > 0]
    by_class: dict[int, list[date]] = {}
    for day in days:
        chosen = by_class.setdefault(_class_of(calendar_day(day)), [])
        limit = SHAPE_DAYS * 3 if _class_of(calendar_day(day)) >= HOLIDAY_CLASS else SHAPE_DAYS
        if len(chosen) < limit:
            chosen.append(day)
    groups: dict[int, list[float]] = {0: [0.0] * INTERVALS_PER_DAY, 1: [0.0] * INTERVALS_PER_DAY}
    group_days = {0: 0, 1: 0}
    for cls, chosen in by_class.items():
        group = _shape_group(cls)
        for day in chosen:
            for index, count in enumerate(history[day]):
                groups[group][index] += count
            group_days[group] += 1
    if not group_days[1]:  # a centre closed at weekends: its holidays look like working days
        groups[1], group_days[1] = groups[0], group_days[0]
    if not group_days[0]:
        groups[0], group_days[0] = groups[1], group_days[1]
    shapes: dict[int, tuple[float, ...]] = {}
    for cls in range(CLASSES):
        pooled = groups[_shape_group(cls)]
        pooled_total = sum(pooled) or 1.0
        pooled_share = [c / pooled_total for c in pooled]
        own = [0.0] * INTERVALS_PER_DAY
        for day in by_class.get(cls, []):
            for index, count in enumerate(history[day]):
                own[index] += count
        own_total = sum(own)
        pseudo = pooled_total / max(1, group_days[_shape_group(cls)])  # one average day
        mixed = [
            (o + pseudo * p) / (own_total + pseudo) for o, p in zip(own, pooled_share, strict=True)
        ]
        scale = sum(mixed) or 1.0
        shapes[cls] = tuple(m / scale for m in mixed)
    return shapes


def forecast(history: History, start: date, days: int) -> list[DayForecast]:
    """Calls offered per interval for ``days`` days from ``start``, from ``history`` (each
    local day's calls per interval; days it lacks within its span had none)."""
    model = DailyModel(history)
    shapes = intraday_shapes(history)
    out: list[DayForecast] = []
    for n in range(days):
        day = start + timedelta(days=n)
        info = calendar_day(day)
        total = model.total(day)
        shape = shapes[_class_of(info)]
        out.append(DayForecast(day, info.kind, info.holiday_name, tuple(total * s for s in shape)))
    return out


def naive_forecast(history: History, start: date, days: int) -> list[DayForecast]:
    """The baseline: each interval the mean of the same weekday in the last ``NAIVE_WEEKS``
    weeks of the history (days it lacks had no calls)."""
    last = max(history) if history else start - timedelta(days=1)
    out: list[DayForecast] = []
    for n in range(days):
        day = start + timedelta(days=n)
        back = (last - day).days % 7  # the latest same weekday in the history
        latest = last - timedelta(days=back)
        weeks = [latest - timedelta(weeks=k) for k in range(NAIVE_WEEKS)]
        sums = [0.0] * INTERVALS_PER_DAY
        for past in weeks:
            for index, count in enumerate(history.get(past, ())):
                sums[index] += count
        info = calendar_day(day)
        out.append(
            DayForecast(day, info.kind, info.holiday_name, tuple(s / NAIVE_WEEKS for s in sums))
        )
    return out


def errors(actual: History, predicted: Sequence[DayForecast]) -> Errors:
    """WAPE per interval and the daily error of ``predicted`` against ``actual``."""
    absolute = total = 0.0
    daily: list[float] = []
    for day in predicted:
        counts = list(actual.get(day.day, [0] * INTERVALS_PER_DAY))
        absolute += sum(abs(a - f) for a, f in zip(counts, day.intervals, strict=True))
        total += sum(counts)
        if sum(counts) > 0:
            daily.append(abs(sum(counts) - day.total) / sum(counts))
    return Errors(
        interval_wape_pct=round(100 * absolute / total, 2) if total else 0.0,
        daily_mape_pct=round(100 * sum(daily) / len(daily), 2) if daily else 0.0,
        daily_worst_pct=round(100 * max(daily), 2) if daily else 0.0,
    )


def held_out_accuracy(history: History, held_out_days: int) -> Accuracy | None:
    """Both methods made as if on the day before the last ``held_out_days`` days of the
    history, scored on those days; None when too little history is left to train on."""
    days = span(history)
    if held_out_days < 1 or len(days) - held_out_days < MIN_TRAINING_DAYS:
        return None
    cut = days[-held_out_days]
    training = {d: c for d, c in history.items() if d < cut}
    actual = {d: c for d, c in history.items() if d >= cut}
    return Accuracy(
        held_out_from=cut,
        held_out_to=days[-1],
        method=errors(actual, forecast(training, cut, held_out_days)),
        naive=errors(actual, naive_forecast(training, cut, held_out_days)),
    )
