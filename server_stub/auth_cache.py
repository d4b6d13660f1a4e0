"""Bearer tokens resolved once per process for a short time, and forgotten on every process when
they are revoked.

Looking a token and its user up (two queries, three for a supervisor's teams) was 17 % of a
write's server CPU. A process keeps what a token resolved to while it is in use: an entry not
used for ``ttl_s`` seconds (30 by default) is dropped, and each use keeps it another ``ttl_s``;
whatever the use, it is looked up again ``max_age_s`` (300 by default) after it was read from
the database. The expiry of the token itself is still checked on every request against the
clock. A desk sends a request every few seconds (a call record every ~4 s at a peak, presence
and pulls every ~30 s): with 5 s, most of a 400-desk centre's requests still missed the cache.

Why kept on use and not 30 s from the lookup: after an outage every desk comes back within
seconds and its first request is its backlog. With the lifetime counted from the lookup, a
20 s outage left about three quarters of the tokens expired (their lookups were up to 30 s old
when it began), and the flush's writes paid the lookup again on a database busy with that very
flush (22–128 ms at p95; README, Scale). Counted from the last use, a desk's token outlives an
outage shorter than ``ttl_s``, and re-reads are spread over ``max_age_s``.

Revocation reaches every process, not only the one that revoked:

- A sign-out (``auth.revoke_token``) or a disabled user (``auth.disable_user``) is forgotten
  here at once, and announced in the revoking transaction with ``pg_notify`` on
  ``AUTH_CHANNEL``: each server process on the same PostgreSQL runs a ``RevocationListener``
  that forgets the token (or every token of the user) when the revocation commits. A listener
  that lost its connection forgets everything when it is back (it may have missed some).
- SQLite is one server process: the local forgetting is the whole story there.
- A role changed by an admin (``server_stub.roles``) is announced as ``roles``: every process
  forgets every token (the next request reads the role again). A user disabled, moved or given
  another role by the admin routes (``api.routes.admin``) is announced as ``user:<id>``.
- Anything else that changes what a token means (a user changed by hand in SQL, a team's lead
  changed) is seen within
  ``max_age_s``: that is the cache's bound (it was ``ttl_s``, 30 s, before entries were kept
  on use). Whoever makes such a change by hand and needs it at once announces it as
  ``auth.disable_user`` does: ``SELECT pg_notify('agent_workstation_auth', 'user:<id>')``.

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
DEFAULT_TTL_S = 30.0  # unused this long: dropped
DEFAULT_MAX_AGE_S = 300.0  # read from the database this long ago: read again, however used
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
    role_name: str | None = None  # the stored role (server_stub.roles); None: named like role


@dataclass(frozen=True, slots=True)
class Resolved:
    user: Principal
    expires_at: datetime
    team_ids: frozenset[int] | None  # None: every team (admin)
    fetched_s: float  # monotonic: when it was read from the database
    # What the user's stored role grants, as read with the token (None: the shipped set of
    # the user's kind). A role change clears the cache on every process (server_stub.roles).
    permissions: frozenset[str] | None = None


@dataclass(slots=True)
class _Entry:
    resolved: Resolved
    used_s: float  # monotonic: its last use (or its lookup)


class AuthCache:
    """Token digest → what it resolved to, while used within ``ttl_s`` and for at most
    ``max_age_s`` after its lookup. Thread-safe (routes run on the thread pool; the listener
    on the event loop)."""

    def __init__(
        self,
        ttl_s: float = DEFAULT_TTL_S,
        monotonic: Callable[[], float] = time.monotonic,
        max_age_s: float = DEFAULT_MAX_AGE_S,
    ):
        self.ttl_s = ttl_s
        self.max_age_s = max(ttl_s, max_age_s)
        self._monotonic = monotonic
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Resolved | None:
        if self.ttl_s <= 0:
            return None
        with self._lock:
            found = self._entries.get(digest)
            if found is None:
                return None
            now = self._monotonic()
            if now - found.used_s > self.ttl_s or now - found.resolved.fetched_s > self.max_age_s:
                del self._entries[digest]
                return None
            found.used_s = now  # kept on use (the module's docstring says why)
            return found.resolved

    def put(
        self,
        digest: str,
        user: Principal,
        expires_at: datetime,
        team_ids: frozenset[int] | None,
        permissions: frozenset[str] | None = None,
    ) -> Resolved:
        resolved = Resolved(user, expires_at, team_ids, self._monotonic(), permissions)
        if self.ttl_s > 0:
            with self._lock:
                if len(self._entries) >= _MAX_ENTRIES:
                    self._entries.clear()
                self._entries[digest] = _Entry(resolved, resolved.fetched_s)
        return resolved

    def forget_token(self, digest: str) -> None:
        with self._lock:
            self._entries.pop(digest, None)

    def forget_user(self, user_id: int) -> None:
        with self._lock:
            for digest in [d for d, e in self._entries.items() if e.resolved.user.id == user_id]:
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
