"""A queue's own service-level target (issue 27, contract 1.6): its calls count as answered in
time against its T, the other queues' against the board's; the day's totals add the rows."""

from __future__ import annotations

from datetime import timedelta

from sync.contract.wallboard import AlertThresholds, DayStats, QueueLive, evaluate_alerts
from tests.unit.test_wallboard import DAY, T0, UTC_ZONE, fact


def test_each_queue_is_counted_against_its_own_target() -> None:
    stats = DayStats(DAY, UTC_ZONE, answer_within_s=20, queue_within={"VIP": 10})
    stats.upsert(fact(1, T0, 15, queue="VIP"))  # late for VIP's 10 s
    stats.upsert(fact(2, T0 + timedelta(minutes=1), 8, queue="VIP"))
    stats.upsert(fact(3, T0 + timedelta(minutes=2), 15, queue="Q"))  # in time for 20 s
    assert stats.queues["VIP"].answered_within == 1
    assert stats.queues["Q"].answered_within == 1
    assert stats.total.answered_within == 2  # the rows add up to the header
    assert stats.queues["VIP"].service_level == 0.5


def test_without_queue_targets_the_board_counts_as_before() -> None:
    stats = DayStats(DAY, UTC_ZONE, answer_within_s=20)
    stats.upsert(fact(1, T0, 15, queue="VIP"))
    assert stats.queues["VIP"].answered_within == 1


def test_a_queues_own_target_decides_its_service_level_alert() -> None:
    limits = AlertThresholds(service_level=0.8)
    at_85 = ([QueueLive("VIP", 0, 0, 20, 0.85)], [], [])
    assert evaluate_alerts(*at_85, limits, T0) == {}
    alerts = evaluate_alerts(*at_85, limits, T0, queue_targets={"VIP": 0.9})
    assert set(alerts) == {"service_level:VIP"}
    assert alerts["service_level:VIP"].limit == 0.9
    # A lead who turned the service-level alert off gets none, whatever the queue's target.
    off = AlertThresholds(None, None, None, None, None)
    assert evaluate_alerts(*at_85, off, T0, queue_targets={"VIP": 0.9}) == {}
