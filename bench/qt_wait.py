"""Waiting in a benchmark that runs a Qt event loop by hand: the loop turns until a condition
holds, or the run stops with what it waited for. ``poll_s`` sets the resolution of the times a
benchmark reads after the wait (1 ms where a latency is measured)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def wait(
    app: QCoreApplication,
    done: Callable[[], bool],
    what: str,
    timeout_s: float = 10.0,
    poll_s: float = 0.002,
) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        app.processEvents()
        time.sleep(poll_s)
