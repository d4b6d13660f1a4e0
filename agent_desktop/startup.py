"""Start-up: run something when a window is first painted; marks for ``bench/bench_startup.py``.

With ``AGENT_WORKSTATION_STARTUP_PROBE=1`` in the environment the desk prints one line per
mark on stdout (``aw-startup <mark> rss_kb=<n>``) the moment it happens; the benchmark times
the line's arrival from the process's launch, so the app and a bare PySide6 window are timed
the same way. Without the variable nothing is installed. Kept tiny: it is imported before the
login dialog, which must not wait for anything it does not show.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject

ENV = "AGENT_WORKSTATION_STARTUP_PROBE"


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def rss_kb() -> int:
    """This process's resident set (Linux); 0 where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def mark(name: str) -> None:
    """Print a mark for the benchmark (when enabled)."""
    if enabled():
        sys.stdout.write(f"aw-startup {name} rss_kb={rss_kb()}\n")
        sys.stdout.flush()


class _FirstPaint(QObject):
    def __init__(self, watched: QObject, callback: Callable[[], object]) -> None:
        super().__init__(watched)  # lives as long as the widget it watches
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.deleteLater()
            self._callback()
        return False


def on_first_paint(widget: QObject, callback: Callable[[], object]) -> None:
    """Call ``callback`` once, when ``widget`` is first painted (on X11 that is after the
    display server exposed it, later than any zero-timer after ``show()``)."""
    widget.installEventFilter(_FirstPaint(widget, callback))


def mark_first_paint(widget: QObject, name: str) -> None:
    """Print ``name``'s mark when ``widget`` is painted the first time (when enabled)."""
    if enabled():
        on_first_paint(widget, lambda: mark(name))
