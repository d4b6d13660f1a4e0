"""The centre's calendar: which days are public holidays (春节, 国庆节 …) and which weekend
days are worked in exchange (调休), from ``chinese_calendar``.

That package knows the State Council's notices for 2004–2026 only; a later (or earlier) day is
``DayKind.UNKNOWN`` and the forecast says holidays are unknown from then on, rather than
forecasting a Spring Festival week as an ordinary one without saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sync.contract.wfm import DayKind


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    kind: DayKind
    holiday_name: str = ""  # the calendar's English name ("Spring Festival"), for holidays

    @property
    def weekday(self) -> int:
        return self.day.weekday()


@lru_cache(maxsize=4096)
def calendar_day(day: date) -> CalendarDay:
    """What the calendar says ``day`` is."""
    import chinese_calendar  # noqa: PLC0415 (the desk never loads it at start-up)

    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # "no available data for year …"
        return CalendarDay(day, DayKind.UNKNOWN)
    weekend = day.weekday() >= 5
    if is_holiday and name:
        return CalendarDay(day, DayKind.HOLIDAY, str(name))
    if is_holiday:
        return CalendarDay(day, DayKind.WEEKEND)
    if weekend:  # a weekend day that is a working day: 调休
        return CalendarDay(day, DayKind.ADJUSTED_WORKDAY, str(name or ""))
    return CalendarDay(day, DayKind.WORKDAY)


def first_unknown(days: Iterable[date]) -> date | None:
    """The first of ``days`` the calendar has no data for (None: it knows them all)."""
    unknown = [d for d in days if calendar_day(d).kind is DayKind.UNKNOWN]
    return min(unknown) if unknown else None
