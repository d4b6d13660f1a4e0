"""Agents required per interval: Erlang C at the queue's target on the forecast calls, then
grossed up for shrinkage (breaks, training, absence: the agents rostered who are not on the
phones), ``required = ceil(on_phones / (1 - shrinkage))``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from server_stub.wfm.erlang import agents_required, service_level
from server_stub.wfm.forecast import DayForecast
from sync.contract.wfm import INTERVAL_MIN, DayKind, StaffingTarget

INTERVAL_S = INTERVAL_MIN * 60


@dataclass(frozen=True, slots=True)
class DayStaffing:
    day: date
    kind: DayKind
    calls: tuple[float, ...]
    on_phones: tuple[int, ...]
    required: tuple[int, ...]
    expected_service_level: tuple[float, ...]  # 0..1, with ``on_phones``


def gross_up(on_phones: int, shrinkage_pct: float) -> int:
    """Agents to roster so that ``on_phones`` are taking calls after shrinkage."""
    if on_phones <= 0:
        return 0
    return math.ceil(on_phones / (1 - shrinkage_pct / 100) - 1e-9)


def staff_day(day: DayForecast, target: StaffingTarget) -> DayStaffing:
    on_phones: list[int] = []
    levels: list[float] = []
    for calls in day.intervals:
        agents = agents_required(
            calls,
            INTERVAL_S,
            target.aht_s,
            target.service_level_pct / 100,
            target.answer_within_s,
            target.max_occupancy_pct / 100,
        )
        on_phones.append(agents)
        traffic = calls * target.aht_s / INTERVAL_S
        levels.append(service_level(traffic, agents, target.aht_s, target.answer_within_s))
    return DayStaffing(
        day=day.day,
        kind=day.kind,
        calls=day.intervals,
        on_phones=tuple(on_phones),
        required=tuple(gross_up(n, target.shrinkage_pct) for n in on_phones),
        expected_service_level=tuple(levels),
    )


def staffing(days: Sequence[DayForecast], target: StaffingTarget) -> list[DayStaffing]:
    return [staff_day(day, target) for day in days]
