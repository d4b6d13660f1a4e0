"""The wallboard's arithmetic (sync.contract.wallboard), headless: counts, forecast, alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sync.contract.records import AgentState
from sync.contract.wallboard import (
    INTERVALS_PER_DAY,
    AgentLive,
    AlertKind,
    AlertThresholds,
    AlertTracker,
    CallFact,
    ComplaintDue,
    DayStats,
    QueueLive,
    backtest,
    centre_zone,
    daily_counts,
    evaluate_alerts,
    forecast_error,
    forecast_for,
    interval_of,
)

UTC_ZONE = ZoneInfo("UTC")
DAY = date(2026, 11, 2)
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def fact(
    n: int,
    started: datetime,
    wait_s: float | None,
    talk: int = 100,
    agent: int = 1,
    kind: str = "call_in",
    queue: str = "Q",
) -> CallFact:
    answered = started + timedelta(seconds=wait_s) if wait_s is not None else None
    ended = (answered or started) + timedelta(seconds=talk if answered else 5)
    return CallFact(n, agent, kind, queue, started, answered, ended, talk if answered else 0, 0)


def test_a_day_counts_service_level_handle_time_and_intervals() -> None:
    stats = DayStats(DAY, UTC_ZONE, answer_within_s=20)
    stats.upsert(fact(1, T0, 5, talk=120))
    stats.upsert(fact(2, T0 + timedelta(minutes=16), 20, talk=60))  # exactly T: within
    stats.upsert(fact(3, T0 + timedelta(minutes=17), 21, talk=30, agent=2))
    stats.upsert(fact(4, T0 + timedelta(minutes=18), None))  # abandoned
    stats.upsert(fact(5, T0 + timedelta(minutes=19), 0, talk=90, kind="call_out"))
    stats.upsert(fact(6, T0 - timedelta(days=1), 1))  # yesterday: not today's
    assert stats.total.offered == 4
    assert stats.total.answered == 3
    assert stats.total.answered_within == 2
    assert stats.total.abandoned == 1
    assert stats.total.service_level == 0.5
    assert stats.total.answer_rate == 0.75
    assert stats.agents[1].handled == 3
    assert stats.agents[1].aht_s == (120 + 60 + 90) / 3
    assert stats.agents[2].aht_s == 30
    assert stats.offered_by_interval[36] == 1
    assert stats.offered_by_interval[37] == 3
    series = stats.service_level_series(upto=37)
    assert series[35] is None
    assert series[36] == 1.0
    assert series[37] == 0.5
    assert series[38] is None  # the future has no service level yet


def test_a_record_seen_again_replaces_itself() -> None:
    stats = DayStats(DAY, UTC_ZONE)
    first = fact(1, T0, None)
    assert stats.upsert(first)
    assert not stats.upsert(first)  # the same record again: nothing changes
    assert stats.upsert(fact(1, T0, 3))  # patched: now answered
    assert stats.total.offered == 1
    assert stats.total.abandoned == 0
    assert stats.total.service_level == 1.0
    moved = fact(1, T0 + timedelta(days=1), 3)  # moved out of the day: uncounted
    assert stats.upsert(moved)
    assert stats.total.offered == 0
    assert not stats.calls


def test_the_centre_day_is_counted_in_its_zone() -> None:
    shanghai = centre_zone()
    assert shanghai.key == "Asia/Shanghai"
    late = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)  # 07:30 on the 2nd in Shanghai
    assert interval_of(late, shanghai) == 30
    assert DayStats(DAY, shanghai).covers(fact(1, late, 1))
    for bad in ("Mars/Base", "../../etc/passwd", "", "Asia"):
        with pytest.raises(ValueError, match="time zone"):
            centre_zone(bad or " ")


def test_call_fact_reads_records_as_the_wire_and_cache_hold_them() -> None:
    record = {
        "id": 7,
        "agent_id": 3,
        "kind": "call_in",
        "queue": "Q",
        "started_at": "2026-11-02T09:00:00Z",
        "answered_at": "2026-11-02T09:00:12+00:00",
        "ended_at": "2026-11-02T09:03:00Z",
        "talk_s": 160,
        "hold_s": 8,
    }
    call = CallFact.from_record(record)
    assert call is not None
    assert call.wait_s == 12
    assert call.answered
    assert not call.abandoned
    assert CallFact.from_record(record | {"kind": "email"}) is None
    assert CallFact.from_record(record | {"started_at": "not a time"}) is None


# -- forecast -----------------------------------------------------------------------------------


def history_of(days: dict[date, dict[int, int]]) -> dict[date, list[int]]:
    out = {}
    for day, counts in days.items():
        row = [0] * INTERVALS_PER_DAY
        for index, count in counts.items():
            row[index] = count
        out[day] = row
    return out


def test_the_forecast_is_the_mean_of_the_same_weekday_on_a_fixed_history() -> None:
    monday = date(2026, 11, 9)
    history = history_of(
        {
            monday - timedelta(weeks=1): {36: 4, 37: 2},
            monday - timedelta(weeks=2): {36: 6, 37: 4},
            # three weeks back: a public holiday, no call at all: left out, not a zero
            monday - timedelta(weeks=4): {36: 2, 37: 0},
            monday - timedelta(days=1): {36: 50},  # a Sunday: another weekday, ignored
        }
    )
    forecast = forecast_for(monday, history, weeks=4)
    assert forecast is not None
    assert forecast.based_on == (date(2026, 11, 2), date(2026, 10, 26), date(2026, 10, 12))
    assert forecast.values[36] == 4.0
    assert forecast.values[37] == 2.0
    assert forecast.total == 6.0
    assert forecast_for(monday, history, weeks=1) is not None
    assert forecast_for(date(2026, 11, 10), history) is None  # no Tuesday on record


def test_the_forecast_error_on_past_days() -> None:
    actual = [0] * INTERVALS_PER_DAY
    actual[36], actual[37] = 4, 2
    predicted = [0.0] * INTERVALS_PER_DAY
    predicted[36], predicted[37], predicted[38] = 3.0, 3.0, 1.0
    error = forecast_error(actual, predicted)
    assert error.mape == pytest.approx((1 / 4 + 1 / 2) / 2)  # intervals with calls only
    assert error.wape == pytest.approx((1 + 1 + 1) / 6)
    assert forecast_error([0] * 3, [1.0] * 3).mape is None
    monday = date(2026, 11, 9)
    history = history_of(
        {
            monday: {36: 4},
            monday - timedelta(weeks=1): {36: 2},
            monday - timedelta(weeks=2): {36: 6},
        }
    )
    (measured,) = backtest(history, [monday, monday + timedelta(days=1)], weeks=2)
    assert measured.day == monday
    assert measured.actual_total == 4
    assert measured.forecast_total == 4.0
    assert measured.mape == 0.0


def test_daily_counts_bin_inbound_calls_by_local_day() -> None:
    calls = [
        fact(1, T0, 1),
        fact(2, T0 + timedelta(minutes=1), 1),
        fact(3, T0, 1, kind="call_out"),
        fact(4, T0 + timedelta(days=1), None),
    ]
    days = daily_counts(calls, UTC_ZONE)
    assert days[DAY][36] == 2
    assert sum(days[DAY]) == 2
    assert sum(days[DAY + timedelta(days=1)]) == 1


# -- alerts -------------------------------------------------------------------------------------


def board(
    waiting: int = 0, longest: int = 0, level: float | None = 0.9, not_ready_for: float = 0
) -> tuple[list[QueueLive], list[AgentLive], list[ComplaintDue]]:
    queues = [QueueLive("Q", waiting, longest, 40, level)]
    agents = [
        AgentLive(5, "王芳", AgentState.NOT_READY, "break", T0 - timedelta(seconds=not_ready_for)),
        AgentLive(6, "Alice", AgentState.READY, "", T0 - timedelta(hours=2)),
    ]
    complaints = [ComplaintDue(9, "SR-1", T0 + timedelta(hours=3))]
    return queues, agents, complaints


def test_alerts_fire_past_each_threshold_and_clear_below() -> None:
    limits = AlertThresholds(
        queue_waiting=5,
        longest_wait_s=60,
        service_level=0.8,
        not_ready_s=600,
        complaint_breach_s=4 * 3600,
    )
    calm = evaluate_alerts(*board(waiting=5, longest=60, not_ready_for=600), limits, T0)
    assert set(calm) == {"complaint_breach:9"}  # 3 h left, warned from 4 h
    busy = evaluate_alerts(*board(waiting=6, longest=61, level=0.79, not_ready_for=601), limits, T0)
    assert set(busy) == {
        "queue_waiting:Q",
        "longest_wait:Q",
        "service_level:Q",
        "not_ready:5",
        "complaint_breach:9",
    }
    assert busy["not_ready:5"].kind is AlertKind.NOT_READY
    assert busy["not_ready:5"].subject == "王芳"
    off = AlertThresholds(None, None, None, None, None)
    assert evaluate_alerts(*board(waiting=99, longest=999, level=0.1), off, T0) == {}
    few = board(level=0.1)
    few[0][0] = QueueLive("Q", 0, 0, 3, 0.1)  # three calls in: too early to judge
    assert "service_level:Q" not in evaluate_alerts(*few, limits, T0)

    tracker = AlertTracker()
    fired, cleared = tracker.update(busy)
    assert len(fired) == 5
    assert cleared == []
    again = evaluate_alerts(*board(waiting=8, longest=90, level=0.7, not_ready_for=900), limits, T0)
    assert tracker.update(again) == ([], [])  # still holding: neither fires nor clears
    fired, cleared = tracker.update(calm)
    assert fired == []
    assert {a.key for a in cleared} == set(busy) - {"complaint_breach:9"}


def test_thresholds_round_trip_and_tolerate_a_damaged_setting() -> None:
    mine = AlertThresholds(queue_waiting=3, service_level=None, answer_within_s=30)
    assert AlertThresholds.from_json(mine.to_json()) == mine
    assert AlertThresholds.from_json("not json") == AlertThresholds()
    damaged = AlertThresholds.from_json('{"queue_waiting": "many", "answer_within_s": 0}')
    assert damaged == AlertThresholds()
    assert AlertThresholds.from_json('{"not_ready_s": 120.7}').not_ready_s == 120
