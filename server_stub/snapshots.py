"""First-sync snapshots: every record a scope of desks may see, as one compressed file.

A new desk would otherwise page through the whole change feed (minutes for a million
customers, and as many of the server's CPU-minutes per desk). Instead the server builds, per
visibility scope (``server_stub.visibility.Scope``: the teams a desk sees), a SQLite file of
the records the feed would leave in that desk's cache and the feed cursor they are consistent
with, compresses it with zstd, and keeps it on disk; every new desk of that scope downloads
the same file (``sync.contract.snapshot`` has the format).

- **Consistent**: the cursor is the feed's highest ``seq`` read first, and the records are the
  latest visible row of each (entity, id) up to it (in one transaction; on PostgreSQL at
  REPEATABLE READ). Feed rows commit in ``seq`` order (``server_stub.feed``), so no row at or
  below the cursor can appear later: the desk loses nothing by going on from it.
- **Built once**: requests for a scope whose snapshot is missing or stale share one build (an
  asyncio future per scope); the build runs in a worker thread, never on the event loop.
- **Fresh enough**: a snapshot older than ``snapshot_max_age`` or more than
  ``snapshot_max_changes`` feed rows behind is rebuilt; one that is not is served as it is, and
  the desk pulls the few changes after its cursor from the feed.
- **Shared**: rows meant for one user (``user_id``) are not in a team's shared snapshot; a
  caller who has such rows at or below its cursor gets a snapshot of their own scope.

Files are named by scope, cursor and hash, each with a JSON sidecar, so processes of one host
and a restarted server reuse them; the two newest of a scope are kept (one may be downloading).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import sqlite3
import tempfile
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

import zstandard
from sqlalchemy import Text, cast, func, select, text
from starlette.concurrency import run_in_threadpool

from server_stub.api.deps import principal_of, team_scope
from server_stub.clock import Clock
from server_stub.core.db import Database
from server_stub.models import ChangeRow, TeamRow, UserRow
from server_stub.periodic import Periodic
from server_stub.visibility import Scope
from sync.contract import snapshot as contract
from sync.contract.phone import lookup_key

log = logging.getLogger(__name__)

_BATCH = 20_000  # rows per fetch and insert: memory stays flat for millions of records
_LEVEL = 3  # zstd's default: ~6:1 on these JSON records at hundreds of MB/s
_KEEP = 2  # files kept per scope: the newest, and the one before (a desk may be downloading it)


@dataclass(frozen=True, slots=True)
class Snapshot:
    path: Path
    scope: str  # Scope.key
    cursor: int
    records: int
    sha256: str  # of the compressed file
    size: int  # bytes, compressed
    built_at: datetime
    own_rows_for: tuple[int, ...]  # users with rows of their own at or below the cursor
    format: int = contract.FORMAT  # of the file: one of an older format is not served

    def sidecar(self) -> Path:
        return self.path.with_suffix(".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def build(database: Database, scope: Scope, directory: Path, now: datetime) -> Snapshot:
    """Read the scope's records and cursor in one go and write the compressed file (blocking:
    call it in a worker thread)."""
    directory.mkdir(parents=True, exist_ok=True)
    raw = directory / f"{scope.key}-{uuid.uuid4().hex}.building"
    try:
        cursor, records, own = _write_sqlite(database, scope, raw, now)
        packed = raw.with_suffix(".packing")
        with raw.open("rb") as source, packed.open("wb") as target:
            zstandard.ZstdCompressor(level=_LEVEL).copy_stream(source, target)
        sha = _sha256(packed)  # a re-read of the small compressed file, from the page cache
        final = directory / f"{scope.key}-{cursor:012d}-{sha[:16]}.zst"
        size = packed.stat().st_size
        snapshot = Snapshot(final, scope.key, cursor, records, sha, size, now, own)
        packed.replace(final)
        sidecar = {**asdict(snapshot), "path": final.name, "built_at": now.isoformat()}
        temporary = final.with_suffix(".json-part")
        temporary.write_text(json.dumps(sidecar), encoding="utf-8")
        temporary.replace(snapshot.sidecar())  # last: a sidecar always has its file
        return snapshot
    finally:
        for leftover in (raw, raw.with_suffix(".packing")):
            leftover.unlink(missing_ok=True)


def _write_sqlite(
    database: Database, scope: Scope, path: Path, now: datetime
) -> tuple[int, int, tuple[int, ...]]:
    visible = scope.clauses(ChangeRow.team_id, ChangeRow.user_id)
    out = sqlite3.connect(path)
    try:
        out.execute("PRAGMA journal_mode=OFF")  # a scratch file: rebuilt if anything fails
        out.execute("PRAGMA synchronous=OFF")
        out.execute(contract.RECORDS_DDL)
        out.execute(contract.PHONES_DDL)
        out.execute(contract.META_DDL)
        bind = database.engine
        options = (
            {"isolation_level": "REPEATABLE READ"} if bind.dialect.name == "postgresql" else {}
        )
        with bind.connect().execution_options(**options) as conn, conn.begin():
            cursor = int(conn.scalar(select(func.max(ChangeRow.seq))) or 0)
            # The feed leaves, per record, its last visible row: an upsert is the record, a
            # tombstone leaves nothing (``sync.cache.LocalCache.apply_changes``).
            latest = (
                select(func.max(ChangeRow.seq))
                .where(ChangeRow.seq <= cursor, *visible)
                .group_by(ChangeRow.entity, ChangeRow.entity_id)
            )
            rows = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(
                select(
                    ChangeRow.entity,
                    ChangeRow.entity_id,
                    ChangeRow.version,
                    cast(ChangeRow.data, Text),  # the stored JSON text: no parse, no dump
                )
                .where(ChangeRow.seq.in_(latest.scalar_subquery()), ChangeRow.op == "upsert")
                .order_by(ChangeRow.entity, ChangeRow.entity_id)
            )
            count = 0
            for part in rows.partitions(_BATCH):
                # json() in SQLite's C: the compact form the desk stores, whatever the
                # database printed (PostgreSQL's jsonb text has spaces).
                out.executemany(
                    f"INSERT INTO {contract.RECORDS_TABLE} VALUES (?, ?, ?, json(?))",
                    [tuple(row) for row in part],
                )
                count += len(part)
            own = tuple(
                sorted(
                    user
                    for user in conn.scalars(
                        select(ChangeRow.user_id)
                        .where(
                            ChangeRow.seq <= cursor,
                            ChangeRow.user_id.is_not(None),
                            *scope.team_clauses(ChangeRow.team_id),
                        )
                        .distinct()
                    )
                    if user is not None
                )
            )
        _derive_phones(out)  # from the file: the database's transaction is over
        meta = {
            "format": str(contract.FORMAT),
            "cursor": str(cursor),
            "records": str(count),
            "scope": scope.key,
            "built_at": now.isoformat(),
        }
        out.executemany(f"INSERT INTO {contract.META_TABLE} VALUES (?, ?)", list(meta.items()))
        out.commit()
        return cursor, count, own
    finally:
        out.close()


def _derive_phones(out: sqlite3.Connection) -> None:
    """The screen-pop index of the file's customers (``contract.PHONES_TABLE``), by the desk's
    own rule, once per build instead of once per desk (JSON parsing of every customer is the
    larger part of a desk's load otherwise)."""
    records = contract.RECORDS_TABLE
    # A contact's E.164, as the server normalised it ...
    out.execute(
        f"INSERT INTO {contract.PHONES_TABLE} (e164, customer_id) "
        "SELECT DISTINCT json_extract(c.value, '$.phone_e164'), r.id "
        f"FROM {records} AS r, json_each(r.data, '$.contacts') AS c "
        "WHERE r.entity = 'customer' AND coalesce(json_extract(c.value, '$.phone_e164'), '') <> ''"
    )
    # ... or, where it gave none, the lookup key of the number as typed (few: Python is fine).
    typed = out.execute(
        f"SELECT r.id, json_extract(c.value, '$.phone') "
        f"FROM {records} AS r, json_each(r.data, '$.contacts') AS c "
        # A text search first (the server writes every contact's phone_e164, compact): only
        # customers with a contact without one are parsed again.
        "WHERE r.entity = 'customer' AND (r.data LIKE '%\"phone_e164\":\"\"%' "
        "OR r.data LIKE '%\"phone_e164\":null%' OR r.data NOT LIKE '%\"phone_e164\":%') "
        "AND coalesce(json_extract(c.value, '$.phone_e164'), '') = '' "
        "AND coalesce(json_extract(c.value, '$.phone'), '') <> ''"
    ).fetchall()
    for customer_id, phone in typed:
        key = lookup_key(str(phone))
        if (
            key
            and not out.execute(
                f"SELECT 1 FROM {contract.PHONES_TABLE} WHERE e164 = ? AND customer_id = ?",
                (key, customer_id),
            ).fetchone()
        ):
            out.execute(
                f"INSERT INTO {contract.PHONES_TABLE} (e164, customer_id) VALUES (?, ?)",
                (key, customer_id),
            )


def _from_sidecar(path: Path) -> Snapshot | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        snapshot = Snapshot(
            path=path.with_name(str(data["path"])),
            scope=str(data["scope"]),
            cursor=int(data["cursor"]),
            records=int(data["records"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            built_at=datetime.fromisoformat(str(data["built_at"])),
            own_rows_for=tuple(int(u) for u in data["own_rows_for"]),
            format=int(data.get("format", 1)),  # sidecars before format 2 had no format
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if snapshot.format != contract.FORMAT:  # left by an older server: rebuilt in this one's
        return None
    if not snapshot.path.is_file() or snapshot.path.stat().st_size != snapshot.size:
        return None
    return snapshot


def default_directory(database_url: str) -> Path:
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / "agent-workstation-snapshots" / digest


class SnapshotStore:
    """The snapshots of one database: found on disk, built when missing or stale, once."""

    def __init__(
        self,
        database: Database,
        directory: Path,
        clock: Clock,
        *,
        max_age: timedelta,
        max_changes: int,
    ) -> None:
        self._database = database
        self.directory = directory
        self._clock = clock
        self._max_age = max_age
        self._max_changes = max_changes
        self._latest: dict[str, Snapshot] = {}
        self._building: dict[str, asyncio.Future[Snapshot]] = {}
        self.builds = 0  # how many this process built (the build-once test counts them)

    async def for_scope(self, scope: Scope) -> Snapshot:
        """A fresh-enough snapshot of what ``scope`` may see (built now if need be)."""
        shared = await self._get(scope.shared)
        if scope.user_id is not None and scope.user_id in shared.own_rows_for:
            return await self._get(scope)  # rows for this user alone: not in the shared file
        return shared

    async def _get(self, scope: Scope) -> Snapshot:
        key = scope.key
        current = self._latest.get(key) or await run_in_threadpool(self._on_disk, key)
        if current is not None and await run_in_threadpool(self._fresh, current):
            self._latest[key] = current
            return current
        future = self._building.get(key)
        if future is None:
            future = asyncio.ensure_future(self._build(scope))
            self._building[key] = future
            future.add_done_callback(lambda _f: self._building.pop(key, None))
        # A desk that gives up waiting must not cancel the build the others wait for.
        return await asyncio.shield(future)

    async def _build(self, scope: Scope) -> Snapshot:
        self.builds += 1
        now = self._clock.now()
        snapshot = await run_in_threadpool(build, self._database, scope, self.directory, now)
        log.info(
            "snapshot %s: %d records at cursor %d, %.1f MB",
            scope.key,
            snapshot.records,
            snapshot.cursor,
            snapshot.size / 1e6,
        )
        self._latest[scope.key] = snapshot
        await run_in_threadpool(self._prune, scope.key)
        return snapshot

    def _fresh(self, snapshot: Snapshot) -> bool:
        if not snapshot.path.is_file():
            return False
        if self._clock.now() - snapshot.built_at > self._max_age:
            return False
        with self._database.session() as session:
            high = int(session.scalar(select(func.max(ChangeRow.seq))) or 0)
        # Every row counts, visible or not: cheap (the key's maximum) and on the safe side.
        return high - snapshot.cursor <= self._max_changes

    def _sidecars(self, key: str) -> list[Snapshot]:
        if not self.directory.is_dir():
            return []
        found = [_from_sidecar(path) for path in self.directory.glob(f"{key}-*.json")]
        return sorted((s for s in found if s is not None), key=lambda s: (s.cursor, s.built_at))

    def _on_disk(self, key: str) -> Snapshot | None:
        found = self._sidecars(key)
        return found[-1] if found else None

    def _prune(self, key: str) -> None:
        for old in self._sidecars(key)[:-_KEEP]:
            with contextlib.suppress(OSError):
                old.sidecar().unlink()
                old.path.unlink()


# Held (session-level, on PostgreSQL) by the one process of the host's workers and instances
# that runs a keeping pass; the others skip theirs rather than build the same files again.
_KEEPER_LOCK_ID = 7_243_017


class SnapshotKeeper:
    """Keeps every scope's snapshot ready before a new desk of the scope asks for it.

    A million customers take the server ~20 s of CPU to put in a snapshot: built on request,
    the first new desk of a scope (after a start, or when the last one went stale) waited that
    long before its download began. Every ``interval_s`` this builds, one at a time in a worker
    thread, the snapshot that is missing or stale (``SnapshotStore``'s own rule) of each scope
    an active user signs in with: each team's (its agents), each lead's several teams, and
    every team (an admin), smallest first, so the many agents' scopes are ready soonest. Only a
    desk whose user has rows of their own at or below the cursor (``Scope.user_id``) still
    waits for a build of its own. One process of a PostgreSQL database does the pass (an
    advisory lock); the files are shared by the processes of a host.
    """

    def __init__(self, store: SnapshotStore, database: Database, interval_s: float) -> None:
        self._store = store
        self._database = database
        # A failed pass is tried again at the next; desks still get theirs on request.
        self._rounds = Periodic(
            "snapshot-keeper", interval_s, self.keep_ready, failed="keeping snapshots ready failed"
        )
        self.passes = 0  # passes this process ran (tests wait for one)

    async def start(self) -> None:
        self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()

    async def keep_ready(self) -> bool:
        """One pass over every scope; False if another process holds the pass."""
        engine = self._database.engine
        if engine.dialect.name != "postgresql":
            await self._each_scope()
            return True
        connection = await run_in_threadpool(engine.connect)
        try:
            locked = await run_in_threadpool(
                lambda: bool(
                    connection.scalar(
                        text("SELECT pg_try_advisory_lock(:id)"), {"id": _KEEPER_LOCK_ID}
                    )
                )
            )
            if not locked:
                return False
            try:
                await self._each_scope()
            finally:
                await run_in_threadpool(
                    connection.execute,
                    text("SELECT pg_advisory_unlock(:id)"),
                    {"id": _KEEPER_LOCK_ID},
                )
        finally:
            await run_in_threadpool(connection.close)
        return True

    async def _each_scope(self) -> None:
        for scope in await run_in_threadpool(self.scopes):
            await self._store.for_scope(scope)
        self.passes += 1

    def scopes(self) -> list[Scope]:
        """The shared scopes desks sign in with: each team's, even before its first agent
        exists, and the distinct scope of every active user (``team_scope``, the rule sign-in
        applies), teams first, every team (an admin's) last."""
        with self._database.session() as session:
            found = {frozenset({team}) for team in session.scalars(select(TeamRow.id))}
            admins = False
            for user in session.scalars(select(UserRow).where(UserRow.active.is_(True))):
                teams = team_scope(session, principal_of(user))
                if teams is None:
                    admins = True
                elif teams:
                    found.add(teams)
        ordered = [Scope(teams, None) for teams in sorted(found, key=lambda t: (len(t), sorted(t)))]
        return [*ordered, Scope(None, None)] if admins else ordered
