"""``run_blocking(op, success, failure)``: the one shape of long work (STYLE habit 5).

``op`` runs in a worker thread and never touches the UI; ``success`` or ``failure`` runs on the
GUI thread afterwards. Tests pass a synchronous executor to keep unit tests deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskRunner(QObject):
    # Emitted from worker threads; the receiver lives on the GUI thread, so Qt queues the call.
    _finished = Signal(object)

    def __init__(self, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor or ThreadPoolExecutor(max_workers=4, thread_name_prefix="work")
        self._finished.connect(self._deliver)
        self._closed = False

    def run_blocking(
        self,
        op: Callable[[], T],
        success: Callable[[T], None],
        failure: Callable[[BaseException], None],
    ) -> Future[T]:
        if self._closed:  # a timer firing while the app winds down: nothing to run it for
            cancelled: Future[T] = Future()
            cancelled.cancel()
            return cancelled
        future = self._executor.submit(op)

        def done(f: Future[T]) -> None:
            if self._closed or f.cancelled():
                return
            error = f.exception()
            if error is not None:
                self._finished.emit((failure, error))
            else:
                self._finished.emit((success, f.result()))

        future.add_done_callback(done)
        return future

    @Slot(object)
    def _deliver(self, item: tuple[Callable[[Any], None], Any]) -> None:
        callback, value = item
        callback(value)

    def shutdown(self) -> None:
        """Drop queued work and stop delivering: the window that would show it is closing."""
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
