"""Event fan-out: every server process wakes its open event streams when any process (or host)
raises an event.

Events are rows in the shared database, so nothing lives only in one process's memory. Each
process runs one ``EventHub`` that notices new rows: by PostgreSQL ``LISTEN/NOTIFY`` (the
writer's ``pg_notify`` is delivered at commit to every listening process) with a slow poll as
a safety net, or by a short poll of ``max(id)`` on SQLite. Streams then read their own rows
(scoped to the caller) from the database, resuming after the last id they sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from server_stub.core.db import Database
from server_stub.feed import NOTIFY_CHANNEL
from server_stub.models import EventRow

log = logging.getLogger(__name__)


class EventHub:
    def __init__(self, database: Database, poll_s: float) -> None:
        self._database = database
        self._poll_s = poll_s
        self._changed = asyncio.Event()
        self._last_id = 0
        self._tasks: list[asyncio.Task[None]] = []
        self.closing = False  # the server is shutting down: streams finish

    def close_streams(self) -> None:
        """Ask every open stream to finish (call on the event loop's thread)."""
        self.closing = True
        self.wake()

    def _max_id(self) -> int:
        with self._database.session() as session:
            return int(session.scalar(select(func.max(EventRow.id))) or 0)

    def wake(self) -> None:
        """Wake every waiting stream (they re-read the database)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, timeout_s: float) -> None:
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout_s)

    async def start(self) -> None:
        self._last_id = await run_in_threadpool(self._max_id)
        self._tasks.append(asyncio.create_task(self._poll(), name="event-poll"))
        if self._database.engine.dialect.name == "postgresql":
            self._tasks.append(asyncio.create_task(self._listen(), name="event-listen"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self.wake()

    async def _poll(self) -> None:
        while True:
            try:
                latest = await run_in_threadpool(self._max_id)
            except Exception:  # the database is briefly unreachable: try again, do not die
                log.warning("event poll failed", exc_info=True)
                latest = self._last_id
            if latest != self._last_id:
                self._last_id = latest
                self.wake()
            await asyncio.sleep(self._poll_s)

    async def _listen(self) -> None:
        url = self._database.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    async for _notify in conn.notifies():
                        self.wake()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection lost; reconnecting", exc_info=True)
                await asyncio.sleep(1)
