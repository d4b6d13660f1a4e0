"""A GUI-thread responsiveness probe: a 10 ms Qt timer that remembers its longest gap."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class GapProbe(QObject):
    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.longest_ms = 0.0
        self._last = self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> GapProbe:
        self._last = self._started = time.monotonic()
        self.longest_ms = 0.0
        self._timer.start()
        return self

    def started_s(self) -> float:
        """Seconds since ``start``."""
        return time.monotonic() - self._started

    def stop(self) -> float:
        self._timer.stop()
        return self.longest_ms

    def _tick(self) -> None:
        now = time.monotonic()
        # The gap beyond the timer's own interval: how long the thread could not run it.
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000 - self.interval_ms)
        self._last = now
