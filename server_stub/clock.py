"""The server's time comes from ``sync.clock`` (one clock for both halves, pinned in tests)."""

from __future__ import annotations

from sync.clock import Clock, ManualClock, SystemClock, system_clock, utc

__all__ = ["Clock", "ManualClock", "SystemClock", "system_clock", "utc"]
