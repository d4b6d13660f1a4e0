"""The one way off the GUI thread and back onto it (STYLE habit 5).

- ``run_blocking(op, success, failure)``: ``op`` runs in a worker thread and never touches the
  UI; ``success(result)`` or ``failure(error)`` runs on the GUI thread afterwards.
- ``when_done(future, success, failure)``: the same for a ``Future`` from any other executor
  (the cache's writer thread, a service's own single worker kept for ordering).
- ``post(fn, *args)``: callable from any thread (a ``sync`` thread's callback, a worker's
  job); ``fn(*args)`` runs on the GUI thread.

The rule: a value made on another thread reaches the GUI thread only through these three, and
no Qt signal the GUI observes is emitted anywhere but on the GUI thread. A slot connected to a
public signal (a lambda, a test's ``waitSignal``) therefore always runs on the GUI thread, at
once. All three travel on one private queued signal; called on the GUI thread itself they
deliver at once (a direct call), which keeps tests with a synchronous executor deterministic.
After ``shutdown()`` nothing more is delivered.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import TypeVar, TypeVarTuple

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")
Ts = TypeVarTuple("Ts")


def on_gui_thread() -> bool:
    """Whether the caller runs on the GUI (main) thread."""
    return threading.current_thread() is threading.main_thread()


class TaskRunner(QObject):
    # Emitted from any thread; the receiver lives on the GUI thread, so Qt queues the call
    # (or calls at once when emitted there). Carries a call with its arguments bound.
    _posted = Signal(object)

    def __init__(self, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor or ThreadPoolExecutor(max_workers=4, thread_name_prefix="work")
        self._posted.connect(self._deliver)
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def post(self, fn: Callable[[*Ts], object], *args: *Ts) -> None:
        """Run ``fn(*args)`` on the GUI thread (at once when called there). From any thread."""
        if self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the runner itself is gone: the app has quit
            self._posted.emit(lambda: fn(*args))

    def when_done(
        self,
        future: Future[T],
        success: Callable[[T], object],
        failure: Callable[[BaseException], object],
        *,
        owner: QObject | None = None,
    ) -> None:
        """``success(result)`` or ``failure(error)`` on the GUI thread once ``future`` is done
        (nothing when it was cancelled). With ``owner`` (a dialog, a panel), nothing either
        when that object was deleted meanwhile: nobody is waiting any more."""

        def done(f: Future[T]) -> None:
            if f.cancelled():
                return
            error = f.exception()
            if error is not None:
                self.post(self._call_for, owner, failure, error)
            else:
                self.post(self._call_for, owner, success, f.result())

        future.add_done_callback(done)

    def run_blocking(
        self,
        op: Callable[[], T],
        success: Callable[[T], object],
        failure: Callable[[BaseException], object],
    ) -> Future[T]:
        if self._closed:  # a timer firing while the app winds down: nothing to run it for
            cancelled: Future[T] = Future()
            cancelled.cancel()
            return cancelled
        future = self._executor.submit(op)
        self.when_done(future, success, failure)
        return future

    @staticmethod
    def _call_for(owner: QObject | None, callback: Callable[[T], object], value: T) -> None:
        if owner is None or shiboken6.isValid(owner):
            callback(value)

    @Slot(object)
    def _deliver(self, call: Callable[[], object]) -> None:
        if self._closed:
            return
        try:
            call()
        except RuntimeError as exc:
            # A notice posted by a worker for an object deleted since (a desk signed out, a
            # window closed): nobody is waiting any more. Any other error is a bug: raised.
            if "deleted" not in str(exc):
                raise
            log.debug("a posted call for a deleted object was dropped: %s", exc)

    def shutdown(self) -> None:
        """Drop queued work and stop delivering: the window that would show it is closing."""
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
