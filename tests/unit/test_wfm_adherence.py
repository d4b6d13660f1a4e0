"""Adherence over a day: the roster's activities beside the agent's state spans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server_stub.wfm.adherence import Actual, Shift, figures, schedule_of
from sync.contract.records import AgentState
from sync.contract.wfm import Activity, is_in_adherence

DAY = datetime(2026, 11, 9, tzinfo=UTC)


def at(hour: float) -> datetime:
    return DAY + timedelta(hours=hour)


SHIFT = Shift(
    start=at(8),
    end=at(17),
    breaks=((at(10), timedelta(minutes=15)),),
    lunch=(at(12), timedelta(hours=1)),
)


def test_the_rule() -> None:
    assert is_in_adherence(Activity.WORK, AgentState.ON_CALL)
    assert is_in_adherence(Activity.WORK, AgentState.WRAP_UP)
    assert not is_in_adherence(Activity.WORK, AgentState.NOT_READY)
    assert is_in_adherence(Activity.LUNCH, AgentState.NOT_READY)
    assert not is_in_adherence(Activity.BREAK, AgentState.READY)
    assert is_in_adherence(Activity.OFF, AgentState.LOGGED_OUT)


def test_a_shift_becomes_work_broken_by_its_break_and_lunch() -> None:
    spans = schedule_of([SHIFT])
    assert [(s.start, s.end, s.activity) for s in spans] == [
        (at(8), at(10), Activity.WORK),
        (at(10), at(10.25), Activity.BREAK),
        (at(10.25), at(12), Activity.WORK),
        (at(12), at(13), Activity.LUNCH),
        (at(13), at(17), Activity.WORK),
    ]


def test_an_agent_who_keeps_to_the_roster_adheres_fully() -> None:
    states = [
        Actual(at(8), at(10), AgentState.READY),
        Actual(at(10), at(10.25), AgentState.NOT_READY),
        Actual(at(10.25), at(12), AgentState.ON_CALL),
        Actual(at(12), at(13), AgentState.NOT_READY),
        Actual(at(13), None, AgentState.READY),
    ]
    found = figures(schedule_of([SHIFT]), states, DAY, at(14))
    assert found.in_adherence
    assert found.scheduled is Activity.WORK
    assert found.pct_today == 100.0
    assert found.since == DAY  # in adherence all day (off before the shift, signed out)


def test_a_late_start_and_a_long_lunch_count_against_the_day() -> None:
    states = [
        Actual(at(8.5), at(12), AgentState.READY),  # 30 min late; works through the break
        Actual(at(12), None, AgentState.NOT_READY),  # lunch runs on past 13:00
    ]
    found = figures(schedule_of([SHIFT]), states, DAY, at(13.5))
    assert not found.in_adherence
    assert found.actual is AgentState.NOT_READY
    assert found.since == at(13)
    # Scheduled 08:00-13:30 = 330 min; out: 08:00-08:30, the break, 13:00-13:30 = 75 min.
    assert found.pct_today == round(100 * 255 / 330, 1)


def test_nothing_scheduled_yet_has_no_share() -> None:
    found = figures([], [Actual(at(7), None, AgentState.READY)], DAY, at(7.5))
    assert found.scheduled is Activity.OFF
    assert not found.in_adherence  # ready while off shift
    assert found.pct_today is None
    assert found.since == at(7)
