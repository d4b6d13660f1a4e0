"""The event broker: one reader of the events table per server process, fanning each event out
in memory to the open streams that may see it. Streams hold no database connection.

- **One source.** Events are rows in the shared database (so nothing lives only in one
  process's memory, and a restarted or second process misses nothing). The broker reads the
  rows after the last id it has seen, in one batch per wake-up, on its own thread: woken at
  once by a commit in this process that raised an event, on PostgreSQL by ``NOTIFY`` on one
  ``LISTEN`` connection per process (events raised by other processes), and by a bounded poll
  (short on SQLite, where another process has no other way to tell us; a slow safety net on
  PostgreSQL). After a lost ``LISTEN`` connection it reconnects and reads from its last id.
- **Serialised once.** Each row becomes its SSE frame (bytes) once, shared by every stream.
- **Filtered in memory** by ``Scope.admits``: the one rule of who receives an event, used by
  the live path here and by a stream's catch-up from the database.
- **A slow reader never blocks the others.** Delivery is ``deque.append`` and never waits;
  each stream's queue is bounded. A stream that falls ``max_pending`` frames behind is dropped
  from the broker and told to resync: it ends with a resync frame, and the desk reconnects
  with its ``Last-Event-ID`` and catches up from the database once.

Ordering: event ids commit in id order (SQLite has one writer; on PostgreSQL rows are numbered
at COMMIT, migration 0004), so "rows after the last id" never skips a row.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import psycopg
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub import metrics
from server_stub.clock import utc
from server_stub.core.db import Database
from server_stub.feed import EVENTS_RAISED, NOTIFY_CHANNEL
from server_stub.models import EventRow
from server_stub.visibility import Scope
from sync.contract.wire import EventOut

log = logging.getLogger(__name__)
T = TypeVar("T")

READ_BATCH = 500  # rows per read: the catch-up's page and the broker's batch
# Frames a stream may fall behind before it is told to resync. Well above READ_BATCH, so a
# burst read in one batch never overflows a stream that keeps up.
MAX_PENDING = 2048
SAFETY_POLL_S = 5.0  # PostgreSQL: NOTIFY wakes the broker; this only bounds a lost notify
LISTEN_RETRY_S = 1.0
LISTENER_NAME = "agent-workstation-events"  # application_name of the LISTEN connection


@dataclass(frozen=True, slots=True)
class Frame:
    """One event, serialised once as its SSE frame, with what ``Scope.admits`` needs."""

    id: int
    team_id: int | None
    user_id: int | None
    data: bytes


def frame_of(row: EventRow) -> Frame:
    event = EventOut(id=row.id, kind=row.kind, at=utc(row.at), data=row.data)
    payload = json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
    text = f"id: {row.id}\nevent: {row.kind}\ndata: {payload}\n\n"
    return Frame(row.id, row.team_id, row.user_id, text.encode())


@dataclass(frozen=True, slots=True)
class Page:
    frames: list[Frame]
    scanned_to: int  # the last id looked at (seen or not): where the next page starts
    full: bool  # READ_BATCH rows were read: there may be more


def read_page(
    database: Database, after: int, *, upto: int | None = None, audience: Scope | None = None
) -> Page:
    """Events after ``after`` (up to ``upto``), framed; only those ``audience`` may receive
    when given. One short session: blocking, call it off the event loop."""
    query = select(EventRow).where(EventRow.id > after)
    if upto is not None:
        query = query.where(EventRow.id <= upto)
    with database.session() as session:
        rows = list(session.scalars(query.order_by(EventRow.id).limit(READ_BATCH)))
    frames = [
        frame_of(r) for r in rows if audience is None or audience.admits(r.team_id, r.user_id)
    ]
    return Page(frames, rows[-1].id if rows else after, len(rows) == READ_BATCH)


def latest_event_id(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.max(EventRow.id))) or 0)


class Subscription:
    """One stream's bounded queue. The broker offers frames (never waiting); the stream takes
    whatever has gathered, in one write."""

    def __init__(self, audience: Scope, limit: int) -> None:
        self.audience = audience
        self._limit = limit
        self._pending: deque[Frame] = deque()
        self._ready = asyncio.Event()
        self.overflowed = False  # fell behind: the stream must end with a resync
        self.closed = False  # the server is shutting down: the stream ends

    def offer(self, frame: Frame) -> bool:
        """Queue ``frame``; False when the queue was full (the subscription is now dead)."""
        if len(self._pending) >= self._limit:
            self.overflowed = True
            self._pending.clear()  # the desk catches up from the database instead
            self._ready.set()
            return False
        self._pending.append(frame)
        if not self._ready.is_set():
            self._ready.set()
        return True

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def take(self, timeout_s: float) -> list[Frame]:
        """What has gathered, waiting up to ``timeout_s`` for something; [] after a quiet
        ``timeout_s`` (or when overflowed or closed: look at those flags)."""
        if not self._pending and not self.overflowed and not self.closed:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout_s):
                    await self._ready.wait()
        self._ready.clear()
        frames = list(self._pending)
        self._pending.clear()
        return frames


class EventBroker:
    def __init__(
        self, database: Database, poll_s: float, *, max_pending: int = MAX_PENDING
    ) -> None:
        self._database = database
        self._postgres = database.engine.dialect.name == "postgresql"
        # SQLite: the poll is how events raised by another process arrive; PostgreSQL: NOTIFY.
        self.poll_s = max(poll_s, SAFETY_POLL_S) if self._postgres else poll_s
        self.max_pending = max_pending
        self._subscriptions: set[Subscription] = set()
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._executor: ThreadPoolExecutor | None = None
        self._forget_hook: Callable[[], None] | None = None
        self._started = False
        self.loop: asyncio.AbstractEventLoop | None = None  # the one it runs on, once started
        self.last_id = 0  # every event up to here has been offered to the subscriptions
        self.closing = False  # the server is shutting down: streams finish
        # Counters for tests and the bench.
        self.resyncs = 0
        self.reads = 0
        self.listens = 0  # LISTEN connections made (more than one: it reconnected)

    # -- streams --------------------------------------------------------------------------

    def subscribe(self, audience: Scope) -> Subscription:
        """A stream's queue, offered every event after ``last_id`` (as read now) it may see."""
        subscription = Subscription(audience, self.max_pending)
        if self.closing:
            subscription.close()
        else:
            self._subscriptions.add(subscription)
            metrics.STREAMS.set(len(self._subscriptions))
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)
        metrics.STREAMS.set(len(self._subscriptions))

    @property
    def streams(self) -> int:
        return len(self._subscriptions)

    def close_streams(self) -> None:
        """Ask every open stream to finish (call on the event loop's thread)."""
        self.closing = True
        for subscription in self._subscriptions:
            subscription.close()
        self._subscriptions.clear()
        metrics.STREAMS.set(0)

    def publish(self, frames: list[Frame]) -> None:
        """Offer ``frames`` (in id order, after ``last_id``) to the streams that may see them."""
        if not frames:
            return
        self.last_id = frames[-1].id
        subscriptions = self._subscriptions
        dropped: list[Subscription] = []
        for frame in frames:
            for subscription in subscriptions:
                if subscription.overflowed or not subscription.audience.admits(
                    frame.team_id, frame.user_id
                ):
                    continue
                if not subscription.offer(frame):
                    dropped.append(subscription)
        for subscription in dropped:
            subscriptions.discard(subscription)
        if dropped:
            metrics.STREAMS.set(len(subscriptions))
        self.resyncs += len(dropped)

    # -- the reader -----------------------------------------------------------------------

    async def _in_thread(self, fn: Callable[..., T], *args: object) -> T:
        assert self._executor is not None
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def wake(self) -> None:
        """Read the events table now (call on the event loop's thread)."""
        self._wakeup.set()

    async def start(self) -> None:
        """Start reading; after a ``stop()``, go on from ``last_id``: nothing written
        meanwhile is lost."""
        loop = self.loop = asyncio.get_running_loop()
        # Its own thread: the reads never queue behind request handlers in the thread pool.
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="event-broker")
        if not self._started:
            self.last_id = await self._in_thread(latest_event_id, self._database)
            self._started = True

        def committed(session: Session) -> None:
            # On the committing thread: a write in this process raised an event.
            if session.info.pop(EVENTS_RAISED, False):
                with contextlib.suppress(RuntimeError):  # the loop has closed: nobody listens
                    loop.call_soon_threadsafe(self._wakeup.set)

        self._forget_hook = self._database.on_commit(committed)
        self._tasks.append(asyncio.create_task(self._read_loop(), name="event-broker"))
        if self._postgres:
            self._tasks.append(asyncio.create_task(self._listen_loop(), name="event-listen"))

    async def stop(self) -> None:
        """Stop reading (streams stay subscribed; ``close_streams`` ends them)."""
        if self._forget_hook is not None:
            self._forget_hook()
            self._forget_hook = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    async def _read_loop(self) -> None:
        self._wakeup.set()  # first, whatever was written while not reading
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_s):
                    await self._wakeup.wait()
            self._wakeup.clear()  # wake-ups from here on ask for another read
            try:
                while True:
                    page = await self._in_thread(read_page, self._database, self.last_id)
                    self.reads += 1
                    self.publish(page.frames)
                    if not page.full:
                        break
            except Exception:  # the database is briefly unreachable: try again, do not die
                log.warning("event broker: reading events failed", exc_info=True)
                await asyncio.sleep(self.poll_s)

    async def _listen_loop(self) -> None:
        url = self._database.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    dsn, autocommit=True, application_name=LISTENER_NAME
                ) as conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.listens += 1
                    self._wakeup.set()  # catch up on what committed while not listening
                    async for _notify in conn.notifies():
                        self._wakeup.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("event broker: LISTEN connection lost; reconnecting", exc_info=True)
            await asyncio.sleep(LISTEN_RETRY_S)
