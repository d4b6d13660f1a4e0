"""The reports' filter and periods (sync.contract.reports, server_stub.reports.periods):
pure rules both ends rely on."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from pydantic import ValidationError

from server_stub.reports.periods import Periods
from sync.contract.reports import (
    Granularity,
    ReportFilter,
    TrafficPeriod,
    period_of,
    period_starts,
)
from sync.contract.wallboard import centre_zone

ZONE = centre_zone()


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    assert period_starts(date(2026, 6, 10), date(2026, 6, 22), Granularity.WEEK) == [
        date(2026, 6, 8),
        date(2026, 6, 15),
        date(2026, 6, 22),
    ]
    assert period_starts(date(2025, 12, 20), date(2026, 2, 1), Granularity.MONTH) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert period_of(date(2026, 6, 14), Granularity.WEEK) == date(2026, 6, 8)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"date_from": date(2026, 6, 2), "date_to": date(2026, 6, 1)}, "before"),
        ({"date_from": date(2000, 1, 1), "date_to": date(2049, 12, 31)}, "at most 400"),
        (
            {
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 1),
                "granularity": Granularity.INTERVAL,
            },
            "at most 31",
        ),
        ({"date_from": date(1800, 1, 1), "date_to": date(1800, 1, 1)}, "between the years"),
    ],
)
def test_a_filter_that_cannot_be_a_report_says_why(kwargs: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        ReportFilter(**kwargs)  # type: ignore[arg-type]


def test_the_filter_travels_as_query_parameters() -> None:
    wanted = ReportFilter(
        date_from=date(2026, 6, 1), date_to=date(2026, 6, 30), team_id=3, queue="热线"
    )
    assert wanted.query() == {
        "date_from": "2026-06-01",
        "date_to": "2026-06-30",
        "granularity": "day",
        "team_id": "3",
        "queue": "热线",
    }


def test_no_calls_is_no_ratio_not_zero() -> None:
    empty = TrafficPeriod(start=datetime(2026, 6, 1, tzinfo=ZONE))
    assert empty.service_level is None
    assert empty.answer_rate is None


def test_sql_keys_fall_into_their_periods() -> None:
    wanted = ReportFilter(
        date_from=date(2026, 6, 1), date_to=date(2026, 6, 30), granularity=Granularity.WEEK
    )
    periods = Periods(wanted, ZONE)
    local = datetime.combine(date(2026, 6, 10), time(23, 0))  # a Wednesday, 23:00 local
    key = int((local - datetime(1970, 1, 1)).total_seconds()) // 3600
    slot = periods.slot(key)
    assert slot.period == datetime.combine(date(2026, 6, 8), time(0), ZONE)
    assert (slot.weekday, slot.hour) == (2, 23)
    start, end = periods.bounds_of(slot.period)
    assert (end - start).days == 7
