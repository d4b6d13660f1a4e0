"""Erlang C against published figures and the queueing textbook's closed forms; staffing from a
forecast with shrinkage."""

from __future__ import annotations

from datetime import date

import pytest

from server_stub.wfm.erlang import (
    agents_required,
    average_speed_of_answer,
    erlang_c,
    service_level,
)
from server_stub.wfm.forecast import DayForecast
from server_stub.wfm.staffing import gross_up, staff_day
from sync.contract.wfm import INTERVALS_PER_DAY, DayKind, StaffingTarget


def test_the_worked_example_of_100_calls_in_30_minutes_matches_its_published_figures() -> None:
    """The classic worked example: 100 calls in 30 minutes, 180 s handle time (10 erlangs),
    80 % answered within 20 s, 30 % shrinkage. Published: CRAN package ErlangC 0.1.0 README
    (rdocumentation.org/packages/ErlangC/versions/0.1.0: wait probability 0.6821182 with 11
    agents; with 14: 0.1741319, service level 0.88835, ASA 7.836 s, occupancy 0.7142857;
    14 agents required) and pyworkforce 0.1.0 (pypi.org/project/pyworkforce/0.1.0:
    raw_positions 14, positions 20 after 30 % shrinkage, service_level 0.8883500191794669,
    waiting_probability 0.1741319335950498)."""
    assert erlang_c(10, 11) == pytest.approx(0.6821182, abs=1e-7)
    assert erlang_c(10, 14) == pytest.approx(0.1741319335950498, abs=1e-12)
    assert service_level(10, 14, 180, 20) == pytest.approx(0.8883500191794669, abs=1e-12)
    assert average_speed_of_answer(10, 14, 180) == pytest.approx(7.83593701177724, abs=1e-9)
    assert agents_required(100, 1800, 180, 0.80, 20) == 14
    assert gross_up(14, 30) == 20


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9, 0.99])
def test_one_and_two_agents_match_the_closed_forms(rho: float) -> None:
    """M/M/1: P(wait) = rho; M/M/2: P(wait) = 2 rho^2 / (1 + rho) with rho = A / 2
    (Kleinrock, Queueing Systems vol. 1, §3.4)."""
    assert erlang_c(rho, 1) == pytest.approx(rho)
    assert erlang_c(2 * rho, 2) == pytest.approx(2 * rho**2 / (1 + rho))


def test_a_large_centre_is_computed_without_overflow() -> None:
    """Hundreds of agents: the recursion needs no factorials (A^N / N! would overflow)."""
    needed = agents_required(6_000, 1800, 240, 0.8, 20)  # 800 erlangs
    assert 800 < needed < 840
    assert service_level(800, needed, 240, 20) >= 0.8 > service_level(800, needed - 1, 240, 20)


def test_overload_and_empty_intervals() -> None:
    assert erlang_c(10, 10) == 1.0
    assert service_level(10, 9, 180, 20) == 0.0
    assert agents_required(0, 900, 300, 0.8, 20) == 0
    assert agents_required(0.2, 900, 300, 0.8, 20) == 1  # a trickle still needs someone
    assert agents_required(100, 1800, 180, 0.8, 20, max_occupancy=0.6) == 17  # 10 / 17 <= 0.6
    with pytest.raises(ValueError, match="between 0 and 1"):
        agents_required(10, 900, 300, 80, 20)


def test_staffing_of_a_day_follows_its_forecast_and_the_shrinkage() -> None:
    calls = [0.0] * INTERVALS_PER_DAY
    calls[40] = 50.0  # 10:00: 50 calls in 15 minutes at 180 s = 10 erlangs
    day = DayForecast(date(2026, 12, 7), DayKind.WORKDAY, "", tuple(calls))
    target = StaffingTarget(service_level_pct=80, answer_within_s=20, aht_s=180, shrinkage_pct=30)
    staffed = staff_day(day, target)
    assert staffed.on_phones[40] == 14
    assert staffed.required[40] == 20
    assert staffed.expected_service_level[40] == pytest.approx(0.88835, abs=1e-5)
    assert staffed.required[0] == 0
