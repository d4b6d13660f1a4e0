"""Adherence: what the published roster says an agent should be doing, beside the states the
agent was in (``agent_states`` spans), over the day so far.

Both are timelines of spans; between every two moments where either changes the agent is in
or out of adherence (``sync.contract.wfm.is_in_adherence``). The figures: in or out now, since
when (the start of the current run, at most the day's start), and the share of the day's
scheduled time (working, break or lunch; not time off) so far that the agent adhered to.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sync.contract.records import AgentState
from sync.contract.wfm import Activity, is_in_adherence


@dataclass(frozen=True, slots=True)
class Span:
    start: datetime
    end: datetime | None  # None: still lasting


@dataclass(frozen=True, slots=True)
class Scheduled(Span):
    activity: Activity


@dataclass(frozen=True, slots=True)
class Actual(Span):
    state: AgentState


@dataclass(frozen=True, slots=True)
class Figures:
    scheduled: Activity
    actual: AgentState
    in_adherence: bool
    since: datetime
    pct_today: float | None


@dataclass(frozen=True, slots=True)
class Shift:
    """A rostered shift with its pauses (each start and length), in aware datetimes."""

    start: datetime
    end: datetime
    breaks: tuple[tuple[datetime, timedelta], ...]
    lunch: tuple[datetime, timedelta] | None


def schedule_of(shifts: Sequence[Shift]) -> list[Scheduled]:
    """The shifts as activity spans: working, broken by the breaks and the lunch."""
    spans: list[Scheduled] = []
    for shift in sorted(shifts, key=lambda s: s.start):
        pauses = [(at, length, Activity.BREAK) for at, length in shift.breaks]
        if shift.lunch is not None:
            pauses.append((*shift.lunch, Activity.LUNCH))
        cursor = shift.start
        for at, length, activity in sorted(pauses, key=lambda p: p[0]):
            if at > cursor:
                spans.append(Scheduled(cursor, at, Activity.WORK))
            spans.append(Scheduled(at, at + length, activity))
            cursor = at + length
        if shift.end > cursor:
            spans.append(Scheduled(cursor, shift.end, Activity.WORK))
    return spans


def _activity_at(schedule: Sequence[Scheduled], moment: datetime) -> Activity:
    for span in schedule:
        if span.start <= moment and (span.end is None or moment < span.end):
            return span.activity
    return Activity.OFF


def _state_at(states: Sequence[Actual], moment: datetime) -> AgentState:
    found = AgentState.LOGGED_OUT
    for span in states:  # the latest span that began by then and had not ended
        if span.start <= moment and (span.end is None or moment < span.end):
            found = span.state
    return found


def figures(
    schedule: Sequence[Scheduled],
    states: Sequence[Actual],
    day_start: datetime,
    now: datetime,
) -> Figures:
    """The agent's adherence from ``day_start`` until ``now``."""
    cuts = {day_start, now}
    for span in [*schedule, *states]:
        for moment in (span.start, span.end):
            if moment is not None and day_start < moment < now:
                cuts.add(moment)
    moments = sorted(cuts)
    runs: list[tuple[datetime, bool]] = []  # (start, in adherence) of each piece
    adhered = scheduled_time = timedelta()
    for start, end in itertools.pairwise(moments):
        activity = _activity_at(schedule, start)
        inside = is_in_adherence(activity, _state_at(states, start))
        runs.append((start, inside))
        if activity is not Activity.OFF:
            scheduled_time += end - start
            if inside:
                adhered += end - start
    activity_now = _activity_at(schedule, now)
    state_now = _state_at(states, now)
    inside_now = is_in_adherence(activity_now, state_now)
    since = now
    for start, inside in reversed(runs):
        if inside != inside_now:
            break
        since = start
    pct = round(100 * adhered / scheduled_time, 1) if scheduled_time else None
    return Figures(activity_now, state_now, inside_now, since, pct)
