"""Bearer tokens resolved once per process for a short time, and forgotten on every process when
they are revoked.

Looking a token and its user up (two queries, three for a supervisor's teams) was 17 % of a
write's server CPU. A process keeps what a token resolved to for ``ttl_s`` seconds (30 by
default); the expiry of the token itself is still checked on every request against the clock.
A desk sends a request every few seconds (a call record every ~4 s at a peak, presence and
pulls every ~30 s): with 5 s, most of a 400-desk centre's requests still missed the cache.

Revocation reaches every process, not only the one that revoked:

- A sign-out (``auth.revoke_token``) or a disabled user (``auth.disable_user``) is forgotten
  here at once, and announced in the revoking transaction with ``pg_notify`` on
  ``AUTH_CHANNEL``: each server process on the same PostgreSQL runs a ``RevocationListener``
  that forgets the token (or every token of the user) when the revocation commits. A listener
  that lost its connection forgets everything when it is back (it may have missed some).
- SQLite is one server process: the local forgetting is the whole story there.
- Anything else that changes what a token means (a user disabled or moved to another team by
  hand in SQL, a team's lead changed) is seen within ``ttl_s``: that is the cache's bound.

A process-wide event broker (one LISTEN connection per process for the event streams) could
carry the revocations as one more kind instead of this listener's own connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from server_stub.core.db import Database

log = logging.getLogger(__name__)

AUTH_CHANNEL = "agent_workstation_auth"
DEFAULT_TTL_S = 30.0
_MAX_ENTRIES = 20_000  # a centre's signed-in desks, many times over; beyond it: start afresh


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token speaks for, as a request needs it: not a row of any session, so one object
    serves every request (and thread) of the process."""

    id: int
    username: str
    display_name: str
    role: str
    team_id: int | None


@dataclass(frozen=True, slots=True)
class Resolved:
    user: Principal
    expires_at: datetime
    team_ids: frozenset[int] | None  # None: every team (admin)
    fetched_s: float  # monotonic


class AuthCache:
    """Token digest → what it resolved to, for ``ttl_s``. Thread-safe (routes run on the
    thread pool; the listener on the event loop)."""

    def __init__(
        self, ttl_s: float = DEFAULT_TTL_S, monotonic: Callable[[], float] = time.monotonic
    ):
        self.ttl_s = ttl_s
        self._monotonic = monotonic
        self._entries: dict[str, Resolved] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Resolved | None:
        if self.ttl_s <= 0:
            return None
        with self._lock:
            found = self._entries.get(digest)
            if found is None:
                return None
            if self._monotonic() - found.fetched_s > self.ttl_s:
                del self._entries[digest]
                return None
            return found

    def put(
        self,
        digest: str,
        user: Principal,
        expires_at: datetime,
        team_ids: frozenset[int] | None,
    ) -> Resolved:
        resolved = Resolved(user, expires_at, team_ids, self._monotonic())
        if self.ttl_s > 0:
            with self._lock:
                if len(self._entries) >= _MAX_ENTRIES:
                    self._entries.clear()
                self._entries[digest] = resolved
        return resolved

    def forget_token(self, digest: str) -> None:
        with self._lock:
            self._entries.pop(digest, None)

    def forget_user(self, user_id: int) -> None:
        with self._lock:
            for digest in [d for d, r in self._entries.items() if r.user.id == user_id]:
                del self._entries[digest]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def forget(self, announcement: str) -> None:
        """Apply one announcement: ``token:<sha256>`` or ``user:<id>`` (anything else: all)."""
        kind, _, value = announcement.partition(":")
        if kind == "token" and value:
            self.forget_token(value)
        elif kind == "user" and value.isdigit():
            self.forget_user(int(value))
        else:
            self.clear()


def announce(session: Session, announcement: str) -> None:
    """Tell every server process on this database, when ``session`` commits (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": AUTH_CHANNEL, "payload": announcement},
        )


class RevocationListener:
    """Forgets revoked tokens announced by any process (PostgreSQL; nothing to do on SQLite)."""

    def __init__(self, database: Database, cache: AuthCache) -> None:
        self._database = database
        self.cache = cache
        self._task: asyncio.Task[None] | None = None
        # Set while LISTEN is in place (a threading event: tests look from their own thread).
        self.listening = threading.Event()

    async def start(self) -> None:
        if self._database.engine.dialect.name == "postgresql":
            self._task = asyncio.create_task(self._listen(), name="auth-revocations")
        else:
            self.listening.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _listen(self) -> None:
        url = self._database.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {AUTH_CHANNEL}")
                    # Revocations sent while we were not listening are lost: start afresh.
                    self.cache.clear()
                    self.listening.set()
                    async for notify in conn.notifies():
                        self.cache.forget(notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("auth LISTEN connection lost; reconnecting", exc_info=True)
                self.listening.clear()
                await asyncio.sleep(1)
