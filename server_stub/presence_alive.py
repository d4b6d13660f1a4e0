"""Presence liveness: the server notices a desk that vanished (crash, power, network).

A signed-in desk of contract 1.4 or later sends ``POST /presence/heartbeat`` every quarter of
``ServerSettings.presence_timeout_s`` (``sync.contract.alive``). Three parts, none of which
writes the database per heartbeat (issue 16: 400 desks per instance, a write budget of about
100 a second):

- ``SeenBook``: the route notes the heartbeat in this process's memory (who, when, and the
  state the desk last reported), after authenticating from the token cache.
- ``flush_seen``: every ``presence_flush_s`` each process writes the desks it heard from in one
  batched UPDATE of ``presence.last_seen`` (only ever forward: a process flushing late never
  moves it back). In the same round a desk that was marked lost and is heard from again is
  restored to the state its heartbeat carries, with the usual presence event.
- ``mark_lost``: every ``presence_sweep_s`` an agent whose ``last_seen`` is older than the
  timeout and who is not Logged out is set to Logged out with the reason ``LOST_CONTACT``, a
  conditional UPDATE per agent (on its version and its ``last_seen``, so a desk's own presence
  write or a heartbeat flushed meanwhile wins), with the change-feed row and presence event a
  desk's own change has, and its monitor grants ended. On PostgreSQL one process sweeps at a
  time (``pg_try_advisory_xact_lock``; the others skip the round).

A process sweeps only once it has run for a whole timeout itself (by the injected clock): after
a server restart (or an outage of every instance) ``last_seen`` is old for every desk, and the
desks need one interval to reach it again before any is judged.

Mixed versions: ``last_seen`` is NULL for a desk that sends no heartbeat (before 1.4; its
``PUT /presence/me`` clears it), and such an agent is never marked lost, as before. An old
desk's open event stream does not count as alive: a half-open TCP connection after a power
loss keeps a stream "open" for many minutes, and the safe error for a centre mixing versions is
"not noticed" (today's behaviour) rather than "marked lost while working".
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, text, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub import metrics
from server_stub.agent_states import note_state
from server_stub.api.routes.monitor import end_grants
from server_stub.clock import Clock
from server_stub.core.db import Database
from server_stub.feed import audit, raise_event, record_change
from server_stub.models import PRESENCE_TABLE, PresenceRow
from server_stub.periodic import Periodic
from server_stub.serialize import presence_out
from sync.contract.alive import LOST_CONTACT
from sync.contract.records import AgentState

log = logging.getLogger(__name__)

_SWEEP_LOCK_ID = 7_243_026  # one sweeping process per round (PostgreSQL)
_LOGGED_OUT = AgentState.LOGGED_OUT.value


@dataclass(frozen=True, slots=True)
class Beat:
    """One heartbeat as the route noted it."""

    at: datetime
    state: AgentState | None  # what the desk last reported (restores a lost agent)
    reason: str = ""
    sip_uri: str = ""


class SeenBook:
    """Who this process heard from since its last flush: user id → latest heartbeat.
    Thread-safe (the route runs on the event loop, the flush on the thread pool)."""

    def __init__(self) -> None:
        self._beats: dict[int, Beat] = {}
        self._lock = threading.Lock()

    def note(self, user_id: int, beat: Beat) -> None:
        with self._lock:
            self._beats[user_id] = beat

    def take(self) -> dict[int, Beat]:
        with self._lock:
            beats, self._beats = self._beats, {}
        return beats

    def give_back(self, beats: dict[int, Beat]) -> None:
        """A flush that failed: keep what it took, unless a newer heartbeat came meanwhile."""
        with self._lock:
            for user_id, beat in beats.items():
                self._beats.setdefault(user_id, beat)


def flush_seen(session: Session, beats: dict[int, Beat], now: datetime) -> list[int]:
    """Write ``beats`` as ``last_seen`` (one executemany; forward only) and restore every agent
    among them who was marked lost to the state their desk reports. Returns the restored ids."""
    if not beats:
        return []
    table = PRESENCE_TABLE
    session.execute(
        update(table)
        .where(
            table.c.user_id == bindparam("uid"),
            or_(table.c.last_seen.is_(None), table.c.last_seen < bindparam("at")),
        )
        .values(last_seen=bindparam("at")),
        [{"uid": user_id, "at": beat.at} for user_id, beat in beats.items()],
    )
    session.commit()
    lost = session.scalars(
        select(PresenceRow.user_id).where(
            PresenceRow.user_id.in_(list(beats)),
            PresenceRow.state == _LOGGED_OUT,
            PresenceRow.reason == LOST_CONTACT,
        )
    ).all()
    restored = []
    for user_id in lost:
        beat = beats[user_id]
        if beat.state is None or beat.state is AgentState.LOGGED_OUT:
            continue  # nothing to go back to: it stays Logged out until the desk says more
        if _restore(session, user_id, beat, now):
            restored.append(user_id)
    return restored


def _restore(session: Session, user_id: int, beat: Beat, now: datetime) -> bool:
    assert beat.state is not None
    row = session.get(PresenceRow, user_id)
    if row is None or row.state != _LOGGED_OUT or row.reason != LOST_CONTACT:
        return False
    claimed = session.execute(
        update(PresenceRow)
        .where(
            PresenceRow.user_id == user_id,
            PresenceRow.version == row.version,
            PresenceRow.reason == LOST_CONTACT,
        )
        .values(
            state=beat.state.value,
            reason=beat.reason,
            sip_uri=beat.sip_uri or row.sip_uri,
            since=now,
            updated_at=now,
            version=row.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()  # the desk's own presence write (or another process) came first
        return False
    session.refresh(row)
    _announce(session, row, now)
    session.commit()
    log.info("presence: user %d is back (%s)", user_id, row.state)
    return True


def mark_lost(session: Session, now: datetime, timeout: timedelta) -> list[int]:
    """Set every agent whose desk went silent for longer than ``timeout`` to Logged out,
    reason ``LOST_CONTACT``; returns their ids. Safe with several processes sweeping."""
    if session.get_bind().dialect.name == "postgresql" and not session.scalar(
        text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": _SWEEP_LOCK_ID}
    ):
        session.rollback()
        return []  # another process sweeps this round
    cutoff = now - timeout
    stale = session.execute(
        select(PresenceRow.user_id, PresenceRow.version).where(
            PresenceRow.state != _LOGGED_OUT,
            PresenceRow.last_seen.is_not(None),
            PresenceRow.last_seen < cutoff,
        )
    ).all()
    lost = []
    for user_id, version in stale:
        claimed = session.execute(
            update(PresenceRow)
            .where(
                PresenceRow.user_id == user_id,
                PresenceRow.version == version,
                PresenceRow.last_seen < cutoff,
            )
            .values(
                state=_LOGGED_OUT,
                reason=LOST_CONTACT,
                since=now,
                updated_at=now,
                version=version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # the desk spoke (or changed state) meanwhile: not lost
        row = session.get(PresenceRow, user_id)
        assert row is not None
        session.refresh(row)
        end_grants(session, user_id, "the agent's desk lost contact", now)
        _announce(session, row, now)
        audit(
            session,
            user_id=None,
            action="presence.lost",
            target=f"user {user_id}",
            allowed=True,
            now=now,
            detail=f"no heartbeat since {row.last_seen}",
        )
        lost.append(user_id)
    session.commit()
    for user_id in lost:
        log.info("presence: user %d lost contact; marked logged out", user_id)
    return lost


def _announce(session: Session, row: PresenceRow, now: datetime) -> None:
    """What a desk's own presence change writes: the feed row, the event (the board) and the
    state's history (reports, adherence)."""
    note_state(
        session,
        user_id=row.user_id,
        team_id=row.team_id,
        state=row.state,
        reason=row.reason,
        now=now,
    )
    out = presence_out(row)
    record_change(session, "presence", out, team_id=row.team_id, now=now)
    raise_event(session, out, now=now, team_id=row.team_id)


class PresenceWatch:
    """The book, its flush and the sweeper of one server process."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        timeout_s: float,
        flush_s: float,
        sweep_s: float,
    ) -> None:
        self._database = database
        self._clock = clock
        self.timeout = timedelta(seconds=timeout_s)
        self.book = SeenBook()
        self._started: datetime | None = None
        self._flushes = Periodic(
            "presence-flush",
            flush_s,
            lambda: run_in_threadpool(self.flush),
            failed="writing the desks heard from failed",
        )
        self._sweeps = Periodic(
            "presence-sweep",
            sweep_s,
            lambda: run_in_threadpool(self.sweep),
            failed="looking for lost desks failed",
        )

    @property
    def enabled(self) -> bool:
        return self.timeout > timedelta(0)

    @property
    def interval_s(self) -> float:
        """How often a desk should send a heartbeat: four chances before the timeout."""
        return self.timeout.total_seconds() / 4

    def note(self, user_id: int, beat: Beat) -> None:
        self.book.note(user_id, beat)
        metrics.HEARTBEATS.inc()

    def flush(self) -> list[int]:
        beats = self.book.take()
        try:
            with self._database.session() as session:
                return flush_seen(session, beats, self._clock.now())
        except Exception:
            self.book.give_back(beats)
            raise

    def sweep(self) -> list[int]:
        now = self._clock.now()
        if self._started is None:
            self._started = now
        if now - self._started < self.timeout:
            return []  # desks have not had one timeout to reach this process yet
        with self._database.session() as session:
            lost = mark_lost(session, now, self.timeout)
        metrics.LOST.inc(len(lost))
        return lost

    async def start(self) -> None:
        if self.enabled:
            self._started = self._clock.now()
            self._flushes.start()
            self._sweeps.start()

    async def stop(self) -> None:
        flushing = self._flushes.running
        await self._sweeps.stop()
        await self._flushes.stop()
        if flushing:  # what this process heard last is not lost at a restart
            try:
                await run_in_threadpool(self.flush)
            except Exception:
                log.warning("writing the desks heard from at stop failed", exc_info=True)
