"""The one way back onto the GUI thread: ``TaskRunner.post``, ``when_done`` and ``run_blocking``
deliver on the GUI thread whatever thread the value came from; errors go to ``failure``;
nothing is delivered after ``shutdown()`` or to an owner that was deleted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from PySide6.QtCore import QCoreApplication, QObject
from pytestqt.qtbot import QtBot

from agent_desktop.tasks import TaskRunner, on_gui_thread

TIMEOUT = 5000


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def worker() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="elsewhere")
    yield pool
    pool.shutdown(wait=True)


def test_a_value_posted_from_a_worker_arrives_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner, worker: ThreadPoolExecutor
) -> None:
    got: list[tuple[int, str, bool]] = []
    worker.submit(lambda: runner.post(lambda a, b: got.append((a, b, on_gui_thread())), 1, "x"))
    qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    assert got == [(1, "x", True)]


def test_posts_from_one_thread_arrive_in_their_order(
    qtbot: QtBot, runner: TaskRunner, worker: ThreadPoolExecutor
) -> None:
    got: list[int] = []

    def many() -> None:
        for n in range(200):
            runner.post(got.append, n)

    worker.submit(many)
    qtbot.waitUntil(lambda: len(got) == 200, timeout=TIMEOUT)
    assert got == list(range(200))


def test_a_post_on_the_gui_thread_is_delivered_at_once(runner: TaskRunner) -> None:
    got: list[str] = []
    runner.post(got.append, "now")
    assert got == ["now"]


def test_a_future_of_another_executor_answers_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner, worker: ThreadPoolExecutor
) -> None:
    started = threading.Event()
    results: list[tuple[object, bool]] = []
    errors: list[tuple[str, bool]] = []

    def slow() -> int:
        started.wait(5)
        return 42

    def boom() -> int:
        raise ValueError("refused")

    runner.when_done(
        worker.submit(slow),
        lambda v: results.append((v, on_gui_thread())),
        lambda e: errors.append((str(e), on_gui_thread())),
    )
    runner.when_done(
        worker.submit(boom),
        lambda v: results.append((v, on_gui_thread())),
        lambda e: errors.append((str(e), on_gui_thread())),
    )
    started.set()
    qtbot.waitUntil(lambda: bool(results) and bool(errors), timeout=TIMEOUT)
    assert results == [(42, True)]
    assert errors == [("refused", True)]


def test_run_blocking_runs_off_the_gui_thread_and_answers_on_it(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    ran_on: list[bool] = []
    answered: list[tuple[str, bool]] = []

    def op() -> str:
        ran_on.append(on_gui_thread())
        return "done"

    runner.run_blocking(
        op, lambda v: answered.append((v, on_gui_thread())), lambda _e: answered.append(("", False))
    )
    runner.run_blocking(
        lambda: 1 / 0,
        lambda _v: answered.append(("no", False)),
        lambda e: answered.append((type(e).__name__, on_gui_thread())),
    )
    qtbot.waitUntil(lambda: len(answered) == 2, timeout=TIMEOUT)
    assert ran_on == [False]
    assert sorted(answered) == [("ZeroDivisionError", True), ("done", True)]


def test_a_cancelled_future_answers_nothing(qtbot: QtBot, runner: TaskRunner) -> None:
    future: Future[int] = Future()
    got: list[object] = []
    runner.when_done(future, got.append, got.append)
    future.cancel()
    flush_queued_calls()
    assert got == []


def test_nothing_is_delivered_after_shutdown(
    qtbot: QtBot, runner: TaskRunner, worker: ThreadPoolExecutor
) -> None:
    got: list[object] = []
    release = threading.Event()
    queued = threading.Event()

    def late() -> None:
        release.wait(5)
        runner.post(got.append, "queued before shutdown")  # waits in the event queue
        queued.set()

    worker.submit(late)
    future: Future[int] = Future()
    runner.when_done(future, got.append, got.append)
    release.set()
    assert queued.wait(5)
    runner.shutdown()
    future.set_result(1)
    runner.post(got.append, "after")
    worker.submit(lambda: runner.post(got.append, "after, from a worker")).result(5)
    flush_queued_calls()
    assert got == []
    assert runner.run_blocking(lambda: 1, got.append, got.append).cancelled()


def test_nothing_is_delivered_to_an_owner_deleted_meanwhile(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    owner = QObject()
    got: list[object] = []
    future: Future[int] = Future()
    runner.when_done(future, got.append, got.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=TIMEOUT)
    future.set_result(7)
    flush_queued_calls()
    assert got == []


def flush_queued_calls() -> None:
    """Deliver every call already queued to the GUI thread (the posts above are done by the
    time their calls return): what was going to arrive has arrived, with no sleep."""
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()


def _alive(obj: QObject) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))
