"""The forecast on the generated history (``server_stub.history.offered_series``, the
reports-server's pure generator: the same calls its database holds), beside the naive baseline;
the calendar's holidays, 调休 and the years it does not know."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server_stub.history import offered_series
from server_stub.wfm.calendar import calendar_day, first_unknown
from server_stub.wfm.forecast import (
    errors,
    forecast,
    held_out_accuracy,
    naive_forecast,
)
from sync.contract.wfm import INTERVALS_PER_DAY, DayKind

# The generated year ends on a Sunday so that its last 8 weeks hold the whole National Day
# week (2026-10-01..07) and the 调休 Saturday after it.
END = date(2026, 11, 22)
HELD_OUT = 56


@pytest.fixture(scope="module")
def hotline() -> dict[date, tuple[int, ...]]:
    series = offered_series(END - timedelta(days=364), END, seed=1)
    return next(iter(series.values()))


def test_the_calendar_knows_national_day_and_its_adjusted_working_day() -> None:
    assert calendar_day(date(2026, 10, 1)).kind is DayKind.HOLIDAY
    assert calendar_day(date(2026, 10, 1)).holiday_name == "National Day"
    assert calendar_day(date(2026, 10, 10)).kind is DayKind.ADJUSTED_WORKDAY  # a Saturday
    assert calendar_day(date(2026, 10, 11)).kind is DayKind.WEEKEND
    assert calendar_day(date(2026, 10, 12)).kind is DayKind.WORKDAY


def test_a_year_the_calendar_does_not_know_is_said_to_be_unknown(
    hotline: dict[date, tuple[int, ...]],
) -> None:
    days = forecast(hotline, date(2026, 12, 28), 14)
    kinds = {d.day: d.kind for d in days}
    assert kinds[date(2026, 12, 31)] is DayKind.WORKDAY
    assert kinds[date(2027, 1, 1)] is DayKind.UNKNOWN  # New Year's Day, unknown to it
    assert first_unknown(d.day for d in days) == date(2027, 1, 1)
    assert all(d.total > 0 for d in days)  # still forecast, by weekday


def test_the_held_out_8_weeks_beat_the_naive_baseline(
    hotline: dict[date, tuple[int, ...]],
) -> None:
    accuracy = held_out_accuracy(hotline, HELD_OUT)
    assert accuracy is not None
    assert accuracy.held_out_from == date(2026, 9, 28)
    assert accuracy.method.daily_mape_pct <= 10
    assert accuracy.method.interval_wape_pct < accuracy.naive.interval_wape_pct - 3
    assert accuracy.method.daily_mape_pct < accuracy.naive.daily_mape_pct / 2


def test_the_national_day_week_is_not_forecast_as_an_ordinary_week(
    hotline: dict[date, tuple[int, ...]],
) -> None:
    cut = date(2026, 9, 28)
    training = {d: c for d, c in hotline.items() if d < cut}
    actual = {d: c for d, c in hotline.items() if d >= cut}
    ours = forecast(training, cut, 21)
    naive = naive_forecast(training, cut, 21)
    by_day = {d.day: d for d in ours}
    holiday = by_day[date(2026, 10, 2)].total  # a Friday of the holiday
    ordinary = by_day[date(2026, 9, 29)].total
    assert holiday < 0.7 * ordinary
    week = ours[3:10]  # 10-01..10-07
    assert errors(actual, week).interval_wape_pct < errors(actual, naive[3:10]).interval_wape_pct
    assert errors(actual, week).daily_mape_pct < 10
    # The first working day after it brings the calls that waited.
    assert by_day[date(2026, 10, 8)].total > 1.2 * by_day[date(2026, 10, 15)].total


def test_intervals_follow_the_day_shape(hotline: dict[date, tuple[int, ...]]) -> None:
    day = forecast(hotline, END + timedelta(days=1), 1)[0]
    assert len(day.intervals) == INTERVALS_PER_DAY
    assert day.intervals[40] > 5 * day.intervals[16]  # 10:00 busier than 04:00


def test_too_little_history_is_said_so() -> None:
    short = {date(2026, 1, 1) + timedelta(days=n): (1,) * INTERVALS_PER_DAY for n in range(20)}
    assert held_out_accuracy(short, 7) is None
    with pytest.raises(ValueError, match="28 days"):
        forecast(short, date(2026, 2, 1), 1)
