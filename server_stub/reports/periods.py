"""Periods: SQL groups rows by an integer of local time (the hour, or the 15-minute interval,
since 1970-01-01 local); this module names those integers' days, weeks, months and heat-map
cells, and lists every period of a range (empty ones too)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sync.contract.reports import Granularity, ReportFilter, period_of, period_starts

EPOCH_DAY = date(1970, 1, 1)
HOUR_S = 3600
INTERVAL_S = 900
INTERVALS_PER_DAY = 96


@dataclass(frozen=True)
class Slot:
    """What one SQL group key stands for."""

    period: datetime  # the start of its report period, in the centre's zone
    weekday: int  # Monday 0
    hour: int


class Periods:
    """The report's periods and how SQL's keys fall into them."""

    def __init__(self, report: ReportFilter, zone: ZoneInfo) -> None:
        self.filter = report
        self.zone = zone
        self.interval = report.granularity is Granularity.INTERVAL
        # SQL groups by this many seconds of local time.
        self.step_s = INTERVAL_S if self.interval else HOUR_S

    def starts(self) -> list[datetime]:
        """Every period's start, in order (also those without a row)."""
        if self.interval:
            return [
                self._interval_start(day, n)
                for day in _days(self.filter.date_from, self.filter.date_to)
                for n in range(INTERVALS_PER_DAY)
            ]
        days = period_starts(self.filter.date_from, self.filter.date_to, self.filter.granularity)
        return [datetime.combine(day, time(0), self.zone) for day in days]

    def slot(self, key: int) -> Slot:
        seconds = int(key) * self.step_s
        day = EPOCH_DAY + timedelta(days=seconds // 86_400)
        hour = seconds % 86_400 // HOUR_S
        if self.interval:
            period = self._interval_start(day, seconds % 86_400 // INTERVAL_S)
        else:
            period = datetime.combine(period_of(day, self.filter.granularity), time(0), self.zone)
        return Slot(period, day.weekday(), hour)

    def _interval_start(self, day: date, n: int) -> datetime:
        return datetime.combine(day, time(0), self.zone) + timedelta(minutes=15 * n)

    def bounds_of(self, period: datetime) -> tuple[datetime, datetime]:
        """The instants [start, end) of the period that starts at ``period`` (drill-down)."""
        local = period.astimezone(self.zone)
        if self.interval:
            return local, local + timedelta(minutes=15)
        day = local.date()
        granularity = self.filter.granularity
        if granularity is Granularity.WEEK:
            end = day + timedelta(days=7)
        elif granularity is Granularity.MONTH:
            end = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            end = day + timedelta(days=1)
        return local, datetime.combine(end, time(0), self.zone)


def _days(start: date, end: date) -> Iterator[date]:
    for n in range((end - start).days + 1):
        yield start + timedelta(days=n)
