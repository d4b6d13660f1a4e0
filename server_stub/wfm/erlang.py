"""Erlang C: the probability a call waits, the service level and the agents a target needs.

The M/M/N queue's waiting probability, computed from Erlang B's recursion
(B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)); C = N·B / (N - A·(1 - B))), which stays exact
without factorials or powers for the hundreds of agents a large centre has. Service level:
P(wait <= T) = 1 - C·exp(-(N - A)·T / AHT).
"""

from __future__ import annotations

import math

MAX_AGENTS = 5_000  # beyond: an input error, not a centre


def erlang_b(traffic: float, agents: int) -> float:
    """The blocking probability of ``agents`` servers offered ``traffic`` erlangs."""
    if traffic < 0 or agents < 0:
        raise ValueError("traffic and agents must not be negative")
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


def erlang_c(traffic: float, agents: int) -> float:
    """The probability that a call waits (1.0 when the agents cannot keep up)."""
    if agents <= traffic:
        return 1.0
    blocking = erlang_b(traffic, agents)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(traffic: float, agents: int, aht_s: float, within_s: float) -> float:
    """The share of calls answered within ``within_s`` seconds, 0..1."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waits = erlang_c(traffic, agents)
    return max(0.0, 1.0 - waits * math.exp(-(agents - traffic) * within_s / aht_s))


def average_speed_of_answer(traffic: float, agents: int, aht_s: float) -> float:
    """The mean wait in seconds (infinite when the agents cannot keep up)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return erlang_c(traffic, agents) * aht_s / (agents - traffic)


def agents_required(
    calls: float,
    interval_s: float,
    aht_s: float,
    service_level_target: float,
    within_s: float,
    max_occupancy: float = 1.0,
) -> int:
    """The fewest agents on the phones that answer ``service_level_target`` (0..1) of
    ``calls`` offered in ``interval_s`` within ``within_s`` seconds, with occupancy (traffic
    over agents) at most ``max_occupancy``. No calls: no agents."""
    if calls < 0 or interval_s <= 0 or aht_s <= 0:
        raise ValueError("calls must not be negative; the interval and AHT must be positive")
    if not 0 < service_level_target < 1 or not 0 < max_occupancy <= 1:
        raise ValueError("the target and the occupancy cap are shares between 0 and 1")
    traffic = calls * aht_s / interval_s
    if traffic == 0:
        return 0
    agents = max(1, math.floor(traffic) + 1, math.ceil(traffic / max_occupancy))
    while service_level(traffic, agents, aht_s, within_s) < service_level_target:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError(f"more than {MAX_AGENTS} agents: check the calls and the AHT")
    return agents
