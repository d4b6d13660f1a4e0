"""Clocks that tests pin: the centre's hour a test cares about, running on from there."""

from __future__ import annotations

from datetime import datetime

from sync.clock import SystemClock
from sync.contract.wallboard import centre_zone


def running_from(instant: datetime) -> SystemClock:
    """A clock that reads ``instant`` now and runs on at the real rate (timers, tokens and
    streams behave as in life; only the hour is chosen)."""
    return SystemClock(instant - SystemClock().now())


def centre_time(text: str) -> datetime:
    """``"2026-12-31 23:59:59"`` in the centre's zone (Asia/Shanghai) as an aware instant."""
    return datetime.fromisoformat(text).replace(tzinfo=centre_zone())
