"""The local cache: records the agent may see, their sync state, and the outbox (STYLE habit 4).

Every write to the file goes through one writer thread and comes back as a ``Future``; reads
use their own pooled connections (WAL lets them run beside the writer). A local edit and its
outbox entry commit in one transaction; a pulled batch and the cursor that covers it commit in
one transaction; a push result, the outbox entry it settles and any id remapping commit in one
transaction. So a crash at any instant leaves a file that is consistent with itself, and the
worst a restart does is resend a write under the same Idempotency-Key (the server replays its
first answer).
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DatabaseError

from sync import cache_steps, routes, snapshot_load
from sync.cache_schema import (
    NUMBER_OF,
    SCHEMA_VERSION,
    UNSYNCED,
    meta,
    outbox,
    phones,
    records,
)
from sync.clock import system_clock
from sync.contract.phone import lookup_key
from sync.contract.wire import ChangeOut
from sync.entities import (
    WRITABLE,
    local_ids_in,
    not_editable,
    refusal,
    remap_ids,
    writable,
)
from sync.routes import Operation

log = logging.getLogger(__name__)
T = TypeVar("T")
_NOTIFY_PIECE = 5_000  # records per change notice after a snapshot: short listener calls
Json = dict[str, Any]


class CacheError(Exception):
    """A local edit that cannot be accepted; ``str()`` names the problem, ``field`` the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class CachedRecord:
    entity: str
    id: int
    version: int
    data: Json
    state: str  # synced | pending | conflict | failed
    error: str = ""

    @property
    def pending(self) -> bool:
        return self.state != "synced"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    entity: str
    record_id: int | None
    op: str  # create | update | delete | a call of sync.routes.CALLS
    key: str
    base_version: int | None
    payload: Json | None
    state: str
    error: str
    error_field: str | None
    attempts: int
    error_code: str = ""
    target_id: int | None = None  # a call's: the id its route names

    @property
    def operation(self) -> Operation:
        """What to send (``sync.routes`` maps it to the server's route when it is sent)."""
        return Operation(self.entity, self.op, self.record_id, self.target_id)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Both versions of a record the server refused as stale."""

    entity: str
    id: int
    mine: Json
    theirs: Json | None  # None: deleted on the server
    fields: tuple[str, ...]  # the fields this desk changed (the ones to choose between)
    server_version: int


@dataclass(frozen=True, slots=True)
class Counts:
    waiting: int  # queued outbox entries
    failed: int
    conflicts: int


@dataclass(slots=True)
class OpenResult:
    cache: LocalCache
    notice: str | None = None  # why the old file was moved aside, for the user
    moved_to: Path | None = None
    lost_writes: int = field(default=0)  # unsent writes left in the moved-aside file
    replayed_writes: int = 0  # unsent writes read from a damaged file and queued again


def _base_key(entity: str, record_id: int) -> str:
    """The meta key of the base of a record's pending edits, once the server moved on."""
    return f"base:{entity}:{record_id}"


def _now() -> str:
    return system_clock().now().isoformat()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


_HOLDING = ("conflict", "failed")  # a record in these states holds its queued writes


def _waits_for_local(entry: OutboxEntry) -> bool:
    """Whether an entry refers to a record created here that the server has not confirmed."""
    return (
        any(local_ids_in(entry.payload))
        or ((entry.record_id or 0) < 0 and entry.op != "create")
        or (entry.target_id or 0) < 0
    )


def local_refs(payload: Json | None) -> list[int]:
    """The local (negative) ids a write refers to."""
    return list(local_ids_in(payload))


def _many_in(conn: Connection, sql: str, values: Sequence[Any]) -> list[Any]:
    """``sql`` with its ``IN ({})`` filled, run over ``values`` in pieces under SQLite's
    bound-parameter limit; the rows it returned (if any)."""
    found: list[Any] = []
    for start in range(0, len(values), 500):
        chunk = list(values[start : start + 500])
        result = conn.exec_driver_sql(sql.format(",".join("?" * len(chunk))), tuple(chunk))
        if result.returns_rows:
            found += [tuple(row) for row in result]
    return found


@dataclass(slots=True)
class _CreatedGroup:
    """Accepted creates that ``LocalCache._created_many`` may record together: consecutive,
    each a record's create answered with a record, none naming a record another in the group
    creates (by its local id or the server's), so their order among themselves changes
    nothing. Anything else ends the group and is recorded on its own, in its turn."""

    answered: list[tuple[OutboxEntry, Json]] = field(default_factory=list)
    ids: set[int] = field(default_factory=set)  # local and server ids of the group's records

    def takes(self, entry: OutboxEntry, answer: Json | None) -> bool:
        if (
            entry.op != "create"
            or entry.record_id is None
            or not isinstance(answer, dict)
            or not isinstance(answer.get("id"), int)
            or len(self.answered) >= 400
        ):
            return False
        new = int(answer["id"])
        named = {entry.record_id, new, *local_ids_in(entry.payload)}
        if entry.target_id is not None:
            named.add(entry.target_id)
        if named & self.ids:
            return False
        self.answered.append((entry, answer))
        self.ids |= {entry.record_id, new}
        return True


def _phone_keys(customer: Json) -> set[str]:
    keys = set()
    for contact in customer.get("contacts") or []:
        e164 = contact.get("phone_e164") or lookup_key(str(contact.get("phone", "")))
        if e164:
            keys.add(e164)
    return keys


class _Writer:
    """The one thread that writes the file; callers get futures."""

    _STOP = object()

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._gate = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="cache-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[Connection], T]) -> Future[T]:
        """``job`` runs in one transaction (committed when it returns, rolled back if it
        raises)."""
        return self._put(job, False)

    def submit_raw(self, job: Callable[[sqlite3.Connection], T]) -> Future[T]:
        """``job`` gets the bare sqlite3 connection outside any transaction and manages its
        own (ATTACH, which a transaction may not do)."""
        return self._put(job, True)

    def _put(self, job: Callable[[Any], T], raw: bool) -> Future[T]:
        future: Future[T] = Future()
        with self._gate:
            if self._closed:
                future.set_exception(CacheError("The local cache is closed."))
            else:
                self._jobs.put((job, future, raw))
        return future

    def stop(self) -> None:
        with self._gate:  # nothing is queued after the stop mark
            if self._closed:
                return
            self._closed = True
            self._jobs.put(self._STOP)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is self._STOP:
                return
            job, future, raw = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if raw:
                    with self._engine.connect() as bare:
                        result = job(bare.connection.driver_connection)
                else:
                    with self._engine.execution_options(writer=True).begin() as conn:
                        result = job(conn)
            except BaseException as exc:  # delivered to the caller, who decides
                future.set_exception(exc)
            else:
                future.set_result(result)


class LocalCache:
    """One user's cache file. Create with ``open_cache``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = create_engine(f"sqlite:///{path}", pool_size=4, max_overflow=4)
        event.listen(self.engine, "connect", self._on_connect)
        event.listen(self.engine, "begin", self._on_begin)
        self._writer = _Writer(self.engine)
        self._listeners: list[Callable[[list[tuple[str, int]]], None]] = []
        self._checkpoints: list[threading.Thread] = []  # after a snapshot load, see there

    @staticmethod
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy issue BEGIN (pysqlite's own transaction handling defers it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a power cut may lose the last commits, never corrupt the file;
        # the outbox survives a process kill either way.
        cur.execute("PRAGMA synchronous=NORMAL")
        # Long enough to wait out the knowledge-base index's longest write (its first build).
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @staticmethod
    def _on_begin(conn: Connection) -> None:
        # The writer takes the write lock when it begins, waiting for it (busy_timeout): a
        # deferred BEGIN that reads first and then writes fails at once with "database is
        # locked" when another connection (the knowledge-base index during the first sync)
        # committed in between, and no timeout helps. Reads stay deferred: they never block.
        writer = conn.get_execution_options().get("writer")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    def close(self) -> None:
        self._writer.stop()
        for checkpoint in self._checkpoints:  # no thread of ours writes the file after close
            checkpoint.join()
        self.engine.dispose()

    def on_records_changed(self, listener: Callable[[list[tuple[str, int]]], None]) -> None:
        """``listener([(entity, id), …])`` once per commit that changed records (called on the
        writer thread): a pulled page of 1,000 records is one call, not 1,000."""
        self._listeners.append(listener)

    def _notify(self, conn: Connection, touched: Iterable[tuple[str, int]]) -> None:
        items = list(dict.fromkeys(touched))
        if items and self._listeners:

            def fire() -> None:
                for listener in self._listeners:
                    listener(items)

            # At SQLAlchemy's "commit" event, which comes just before SQLite commits: a reader
            # woken by it may, rarely, still read the old state (a known limit: telling
            # listeners after the commit made late notices race the teardown of the desk's
            # objects in the suite; to be done with that teardown made safe).
            event.listen(conn, "commit", lambda _c: fire(), once=True)

    # -- meta -------------------------------------------------------------------------------

    def _meta(self, conn: Connection, key: str) -> str | None:
        return conn.scalar(select(meta.c.value).where(meta.c.key == key))

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        conn.execute(delete(meta).where(meta.c.key == key))
        conn.execute(insert(meta).values(key=key, value=value))

    def meta_value(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return self._meta(conn, key)

    def set_meta_value(self, key: str, value: str) -> Future[None]:
        return self._writer.submit(lambda conn: self._set_meta(conn, key, value))

    def cursor(self) -> int:
        return int(self.meta_value("cursor") or 0)

    # -- reads ------------------------------------------------------------------------------

    @staticmethod
    def _record(row: Any) -> CachedRecord:
        return CachedRecord(row.entity, row.id, row.version, _loads(row.data), row.state, row.error)

    def get(self, entity: str, record_id: int) -> CachedRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(records).where(records.c.entity == entity, records.c.id == record_id)
            ).first()
        return self._record(row) if row else None

    def all(self, entity: str) -> list[CachedRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(records).where(records.c.entity == entity).order_by(records.c.id)
            )
            return [self._record(row) for row in rows]

    def numbers_like(self, entity: str, prefix: str) -> list[str]:
        """The ``number`` of records that start with ``prefix`` (an indexed range read)."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {NUMBER_OF} FROM records WHERE entity = ? "
                f"AND {NUMBER_OF} >= ? AND {NUMBER_OF} < ?",
                (entity, prefix, prefix + "\uffff"),
            )
            return [str(r[0]) for r in rows]

    def count(self, entity: str | None = None) -> int:
        query = select(func.count()).select_from(records)
        if entity:
            query = query.where(records.c.entity == entity)
        with self.engine.connect() as conn:
            return int(conn.scalar(query) or 0)

    @staticmethod
    def _entry(row: Any) -> OutboxEntry:
        return OutboxEntry(
            row.seq,
            row.entity,
            row.record_id,
            row.op,
            row.key,
            row.base_version,
            _loads(row.payload),
            row.state,
            row.error,
            row.error_field,
            row.attempts,
            row.error_code,
            row.target_id,
        )

    def outbox(self, state: str | None = None) -> list[OutboxEntry]:
        query = select(outbox).order_by(outbox.c.seq)
        if state:
            query = query.where(outbox.c.state == state)
        with self.engine.connect() as conn:
            return [self._entry(row) for row in conn.execute(query)]

    def entry(self, seq: int) -> OutboxEntry | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(outbox).where(outbox.c.seq == seq)).first()
        return self._entry(row) if row else None

    def counts(self) -> Counts:
        with self.engine.connect() as conn:
            by_state = {
                state: int(n)
                for state, n in conn.execute(
                    select(outbox.c.state, func.count()).group_by(outbox.c.state)
                )
            }
            conflicts = conn.scalar(
                select(func.count())
                .select_from(records)
                .where(records.c.state == "conflict", text(UNSYNCED))
            )
        return Counts(by_state.get("queued", 0), by_state.get("failed", 0), int(conflicts or 0))

    def blocked(self, entry: OutboxEntry) -> bool:
        """An entry waits while its record is in conflict or failed, or while it refers to a
        record created here that the server has not confirmed yet."""
        if _waits_for_local(entry):
            return True
        if entry.record_id is None:
            return False
        with self.engine.connect() as conn:
            state = conn.scalar(
                select(records.c.state).where(
                    records.c.entity == entry.entity, records.c.id == entry.record_id
                )
            )
        return state in _HOLDING

    def entries(self, seqs: list[int]) -> dict[int, tuple[OutboxEntry, bool]]:
        """``entry`` and ``blocked`` of many entries at once (the engine gathering a batch):
        each one still in the outbox, with whether it waits."""
        found: dict[int, tuple[OutboxEntry, bool]] = {}
        with self.engine.connect() as conn:
            rows = [
                self._entry(r) for r in conn.execute(select(outbox).where(outbox.c.seq.in_(seqs)))
            ]
            ids = {e.record_id for e in rows if e.record_id is not None}
            held = (
                {
                    (str(entity), int(record_id))
                    for entity, record_id in conn.execute(
                        select(records.c.entity, records.c.id).where(
                            records.c.id.in_(ids), records.c.state.in_(_HOLDING)
                        )
                    )
                }
                if ids
                else set()
            )
        for entry in rows:
            waits = _waits_for_local(entry) or (entry.entity, entry.record_id) in held
            found[entry.seq] = (entry, waits)
        return found

    def conflicts(self) -> list[Conflict]:
        with self.engine.connect() as conn:
            rows = list(
                conn.execute(select(records).where(records.c.state == "conflict", text(UNSYNCED)))
            )
            return [self._conflict(conn, row) for row in rows]

    def conflict(self, entity: str, record_id: int) -> Conflict | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(records).where(
                    records.c.entity == entity,
                    records.c.id == record_id,
                    records.c.state == "conflict",
                )
            ).first()
            return self._conflict(conn, row) if row else None

    def _conflict(self, conn: Connection, row: Any) -> Conflict:
        theirs = None if row.server_deleted else _loads(row.server_data)
        mine = _loads(row.data)
        if theirs is None:  # deleted there: every change of ours is lost unless kept
            fields = self._our_fields(conn, row.entity, row.id)
        else:
            fields = self._three_way(conn, row, theirs)[0]
        return Conflict(
            row.entity,
            row.id,
            mine,
            theirs,
            tuple(fields),
            row.server_version or row.version,
        )

    @staticmethod
    def _our_edits(conn: Connection, entity: str, record_id: int) -> list[Any]:
        """This desk's unconfirmed writes of one record, oldest first."""
        return list(
            conn.execute(
                select(outbox)
                .where(outbox.c.entity == entity, outbox.c.record_id == record_id)
                .order_by(outbox.c.seq)
            )
        )

    def _our_fields(self, conn: Connection, entity: str, record_id: int) -> list[str]:
        fields: list[str] = []
        for edit in self._our_edits(conn, entity, record_id):
            for name in _loads(edit.payload) or {}:
                if name != "version" and name not in fields:
                    fields.append(name)
        return fields

    def _three_way(self, conn: Connection, row: Any, theirs: Json) -> tuple[list[str], Json]:
        """(fields both sides changed since the common base, to different values; the changes
        only this desk made, as it sent them). A field only the server changed is theirs."""
        mine = _loads(row.data)
        base = self._base(conn, row)
        sent: Json = {}
        for edit in self._our_edits(conn, row.entity, row.id):
            sent.update({k: v for k, v in (_loads(edit.payload) or {}).items() if k != "version"})
        both: list[str] = []
        ours: Json = {}
        for name, value in sent.items():
            if mine.get(name) == theirs.get(name):
                continue  # the same on both sides: nothing to choose, nothing to send
            if base is None:
                both.append(name)  # the base is not known (an older cache): ask
            elif base.get(name) == theirs.get(name):
                ours[name] = value  # only we changed it: sent again on their version
            elif base.get(name) != mine.get(name):
                both.append(name)  # both changed it, differently
            # else: only they changed it (ours came back to the base): theirs stands
        return both, ours

    def _base(self, conn: Connection, row: Any) -> Json | None:
        """The server's copy this desk's pending edits were made on (``version``), if known:
        ``server_data`` until the server shows a newer copy, then the one kept in meta."""
        if row.server_data is not None and row.server_version == row.version:
            return dict(_loads(row.server_data))
        kept = self._meta(conn, _base_key(row.entity, row.id))
        value = _loads(kept) if kept else None
        if isinstance(value, dict) and value.get("version") == row.version:
            return dict(value["data"])
        return None

    def _keep_base(self, conn: Connection, row: Any) -> None:
        """Before a newer server copy replaces ``server_data``: keep the base of the pending
        edits for the three-way merge (in meta: no column to add to every cache)."""
        if row.server_data is not None and row.server_version == row.version:
            kept = {"version": row.version, "data": _loads(row.server_data)}
            self._set_meta(conn, _base_key(row.entity, row.id), _dumps(kept))

    def _forget_base(self, conn: Connection, entity: str, record_id: int) -> None:
        conn.execute(delete(meta).where(meta.c.key == _base_key(entity, record_id)))

    # -- local edits (any form) -------------------------------------------------------------

    def create(self, entity: str, data: Json) -> Future[int]:
        """A new record: a local (negative) id now, the server's id once pushed."""
        kind = writable(entity)
        _validate(kind.create, data)

        def job(conn: Connection) -> int:
            data_now = self._known_ids(conn, data)
            local_id = int(self._meta(conn, "next_local_id") or -1)
            self._set_meta(conn, "next_local_id", str(local_id - 1))
            shown = {**kind.as_stored(kind.as_created(data_now)), "id": local_id, "version": 0}
            conn.execute(
                insert(records).values(
                    entity=entity,
                    id=local_id,
                    version=0,
                    data=_dumps(shown),
                    state="pending",
                    server_deleted=0,
                    error="",
                )
            )
            self._index(conn, entity, local_id, shown)
            self._queue(conn, entity, local_id, "create", None, data_now)
            self._notify(conn, [(entity, local_id)])
            return local_id

        return self._writer.submit(job)

    def update(self, entity: str, record_id: int, changes: Json) -> Future[None]:
        return self.update_together([(entity, record_id, changes)])

    def update_together(self, edits: Sequence[tuple[str, int, Json]]) -> Future[None]:
        """Edits of several records that belong together (a survey's outcome and the ticket it
        closes): every one is checked before anything is written, then all of them and their
        outbox entries commit in one transaction, so no one ever sees half of them."""
        checked: list[tuple[str, int, Json]] = []
        for entity, record_id, changes in edits:
            kind = writable(entity)
            wanted = {k: v for k, v in changes.items() if k != "version"}
            refused = not_editable(entity, wanted)
            if refused is not None:
                raise CacheError(refused[1], refused[0])
            _validate(kind.patch, {**wanted, "version": 1})
            checked.append((entity, record_id, wanted))

        def job(conn: Connection) -> None:
            for entity, record_id, changes in checked:
                self._update_one(conn, entity, record_id, changes)

        return self._writer.submit(job)

    def _update_one(self, conn: Connection, entity: str, record_id: int, changes: Json) -> None:
        kind = writable(entity)
        record_id = self._current_id(conn, record_id)
        sent = self._known_ids(conn, changes)
        row = self._row(conn, entity, record_id)
        if row is None:
            raise CacheError(f"The {entity} {record_id} is not in the local cache.")
        data = kind.applied(_loads(row.data), sent)
        values: Json = {"data": _dumps(data)}
        if row.state == "synced":
            # Keep the server's copy to compare with and to fall back to.
            values.update(state="pending", server_data=row.data, server_version=row.version)
        conn.execute(
            update(records)
            .where(records.c.entity == entity, records.c.id == record_id)
            .values(**values)
        )
        self._index(conn, entity, record_id, data)
        self._queue(conn, entity, record_id, "update", row.version, sent)
        self._notify(conn, [(entity, record_id)])

    def delete(self, entity: str, record_id: int) -> Future[None]:
        kind = writable(entity)
        if not kind.deletable:
            raise CacheError(f"A {entity} cannot be deleted.")

        def job(conn: Connection) -> None:
            nonlocal record_id
            record_id = self._current_id(conn, record_id)
            row = self._row(conn, entity, record_id)
            if row is None:
                raise CacheError(f"The {entity} {record_id} is not in the local cache.")
            if record_id < 0:  # never left this desk: forget it and its queued create
                self._drop(conn, entity, record_id)
                conn.execute(
                    delete(outbox).where(outbox.c.entity == entity, outbox.c.record_id == record_id)
                )
            else:
                if row.state == "synced":
                    conn.execute(
                        update(records)
                        .where(records.c.entity == entity, records.c.id == record_id)
                        .values(state="pending", server_data=row.data, server_version=row.version)
                    )
                self._queue(conn, entity, record_id, "delete", row.version, None)
            self._notify(conn, [(entity, record_id)])

        return self._writer.submit(job)

    def call(self, op: str, payload: Json | None, target_id: int | None = None) -> Future[None]:
        """A write that is not an edit of a cached record, queued: a call of
        ``sync.routes.CALLS`` by name ("presence.set", "kb.view", …) and the id its route
        names, if any."""
        operation = routes.call(op, target_id)  # an unknown name is refused here, not on send

        def job(conn: Connection) -> None:
            self._queue(conn, operation.entity, None, op, None, payload, target_id)

        return self._writer.submit(job)

    def _queue(
        self,
        conn: Connection,
        entity: str,
        record_id: int | None,
        op: str,
        base_version: int | None,
        payload: Json | None,
        target_id: int | None = None,
    ) -> None:
        conn.execute(
            insert(outbox).values(
                entity=entity,
                record_id=record_id,
                op=op,
                target_id=target_id,
                key=uuid.uuid4().hex,
                base_version=base_version,
                payload=None if payload is None else _dumps(payload),
                state="queued",
                error="",
                error_code="",
                attempts=0,
                created_at=_now(),
            )
        )

    # -- push results -----------------------------------------------------------------------

    def body_for(self, entry: OutboxEntry) -> Json | None:
        """What to send: an update or a delete carries the version it is based on, which
        moves on as this desk's own earlier edits of the record are confirmed."""
        if entry.op not in ("update", "delete"):
            return entry.payload
        record = self.get(entry.entity, entry.record_id or 0)
        version = record.version if record else entry.base_version
        return {**(entry.payload or {}), "version": version}

    def mark_attempt(self, seq: int) -> Future[int]:
        """One more try the server failed (5xx); the number of tries so far."""

        def job(conn: Connection) -> int:
            conn.execute(
                update(outbox).where(outbox.c.seq == seq).values(attempts=outbox.c.attempts + 1)
            )
            return int(conn.scalar(select(outbox.c.attempts).where(outbox.c.seq == seq)) or 0)

        return self._writer.submit(job)

    def push_succeeded(self, entry: OutboxEntry, answer: Json | None) -> Future[None]:
        return self.push_succeeded_many([(entry, answer)])

    def push_succeeded_many(self, answered: list[tuple[OutboxEntry, Json | None]]) -> Future[None]:
        """Record the server's answers to writes it accepted, in order, in one transaction
        (a batch's answers: one commit and one change notice, not one per write)."""

        def job(conn: Connection) -> None:
            touched: list[tuple[str, int]] = []
            group = _CreatedGroup()  # consecutive creates that can be recorded together
            for entry, answer in answered:
                if group.takes(entry, answer):
                    continue
                touched += self._created_many(conn, group.answered)
                group = _CreatedGroup()
                if not group.takes(entry, answer):
                    touched += self._succeeded(conn, entry, answer)
            touched += self._created_many(conn, group.answered)
            self._notify(conn, touched)

        return self._writer.submit(job)

    def _created_many(
        self, conn: Connection, group: list[tuple[OutboxEntry, Json]]
    ) -> list[tuple[str, int]]:
        """Accepted creates recorded together, as ``_succeeded`` records each in turn: a few
        set-wise statements for the whole group, not a dozen (and two scans) per record. The
        group is independent (``_CreatedGroup``), so doing each step for all of them at once
        leaves the file as doing them one by one would; the records they touched, in order."""
        if not group:
            return []
        wanted = {(e.entity, e.record_id or 0) for e, _a in group}
        wanted |= {(e.entity, int(a["id"])) for e, a in group}
        rows = self._rows(conn, wanted)
        touched: list[tuple[str, int]] = []
        moves: list[tuple[str, int, int, Json]] = []  # entity, local id, server id, answer
        done: list[int] = []  # outbox entries answered, deleted before anything is queued
        for entry, answer in group:
            done.append(entry.seq)
            old, new = entry.record_id or 0, int(answer["id"])
            if (entry.entity, old) not in rows:
                # Deleted here while its creation was on the way: delete it there too.
                if writable(entry.entity).deletable:
                    _many_in(conn, "DELETE FROM outbox WHERE seq IN ({})", done)
                    done = []
                    self._queue(conn, entry.entity, new, "delete", answer.get("version"), None)
                continue
            touched += [(entry.entity, old), (entry.entity, new)]
            moves.append((entry.entity, old, new, answer))
        _many_in(conn, "DELETE FROM outbox WHERE seq IN ({})", done)
        if not moves:
            return touched
        # Local ids are never reused (one counter), so the mapping may stay for later writes.
        _many_in(
            conn,
            "DELETE FROM meta WHERE key IN ({})",
            [f"server_id:{o}" for _e, o, _n, _a in moves],
        )
        conn.exec_driver_sql(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [(f"server_id:{o}", str(n)) for _e, o, n, _a in moves],
        )
        # The feed may have brought a record first (its answer lost on the way): ours replaces it.
        brought = [(e, n) for e, _o, n, _a in moves if (e, n) in rows]
        if brought:
            conn.exec_driver_sql("DELETE FROM records WHERE entity = ? AND id = ?", brought)
        conn.exec_driver_sql(
            "UPDATE records SET id = ? WHERE entity = ? AND id = ?",
            [(n, e, o) for e, o, n, _a in moves],
        )
        conn.exec_driver_sql(
            "UPDATE outbox SET record_id = ? WHERE entity = ? AND record_id = ?",
            [(n, e, o) for e, o, n, _a in moves],
        )
        mapping = {o: n for _e, o, n, _a in moves}  # in the order the answers came
        self._remap_refs(conn, "outbox", mapping)
        self._settle_many(conn, moves, rows)
        self._remap_refs(conn, "records", mapping)
        return touched

    @staticmethod
    def _settle_many(
        conn: Connection, moves: list[tuple[str, int, int, Json]], rows: dict[Any, Any]
    ) -> None:
        """Each created record: the server's answer (or the newer copy the feed brought), this
        desk's later edits of it laid over, as ``_settle`` does; customers' phones indexed."""
        later: dict[tuple[str, int], Json] = {}
        for entity in {e for e, _o, _n, _a in moves}:
            ids = [n for e, _o, n, _a in moves if e == entity]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for record_id, payload in conn.exec_driver_sql(
                    f"SELECT record_id, payload FROM outbox WHERE entity = ? "
                    f"AND record_id IN ({marks}) ORDER BY seq",
                    (entity, *chunk),
                ):
                    later.setdefault((entity, record_id), {}).update(_loads(payload) or {})
        settled: list[tuple[Any, ...]] = []
        indexed: list[tuple[int, int, Json]] = []  # customers: local id, server id, shown
        for entity, old, new, answer in moves:
            server = _newer(answer, _server_copy(rows.get((entity, new))))
            version = int(server.get("version", 0))
            pending = (entity, new) in later
            data = {**server, **later.get((entity, new), {})}
            settled.append(
                (
                    _dumps(data),
                    version,
                    "pending" if pending else "synced",
                    _dumps(server) if pending else None,
                    version if pending else None,
                    entity,
                    new,
                )
            )
            if entity == "customer":
                indexed.append((old, new, data))
        conn.exec_driver_sql(
            "UPDATE records SET data = ?, version = ?, state = ?, server_data = ?, "
            "server_version = ?, server_deleted = 0, error = '' WHERE entity = ? AND id = ?",
            settled,
        )
        if indexed:
            gone = [i for old, new, _d in indexed for i in (old, new)]
            _many_in(conn, "DELETE FROM phones WHERE customer_id IN ({})", gone)
            phone_rows = [
                (key, new) for _o, new, data in indexed for key in sorted(_phone_keys(data))
            ]
            if phone_rows:
                conn.exec_driver_sql(
                    "INSERT INTO phones (e164, customer_id) VALUES (?, ?)", phone_rows
                )

    @staticmethod
    def _rows(conn: Connection, keys: set[tuple[str, int]]) -> dict[tuple[str, int], Any]:
        """Whole record rows by (entity, id)."""
        found: dict[tuple[str, int], Any] = {}
        for entity in {e for e, _i in keys}:
            ids = sorted(i for e, i in keys if e == entity)
            for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
                for row in conn.execute(
                    select(records).where(
                        records.c.entity == entity, records.c.id.in_(ids[start : start + 500])
                    )
                ):
                    found[(row.entity, row.id)] = row
        return found

    @staticmethod
    def _remap_refs(conn: Connection, table: str, mapping: dict[int, int]) -> None:
        """Local ids replaced by the server's (``mapping``, applied in its order) wherever a
        queued write (``outbox``: its target and payload) or a record not yet synced
        (``records``: what the agent sees) refers to them. SQLite's JSON reader finds the few
        documents holding one of those numbers as a value; each is then checked field by
        field (``remap_ids``: only ``*_id`` fields and ``*_ids`` lists)."""
        olds = list(mapping)
        if table == "outbox":
            key, column = "seq", "payload"
            found = _many_in(
                conn, "SELECT seq, target_id FROM outbox WHERE target_id IN ({})", olds
            )
            if found:
                conn.exec_driver_sql(
                    "UPDATE outbox SET target_id = ? WHERE seq = ?",
                    [(mapping[target], seq) for seq, target in found],
                )
            rows = "SELECT seq AS k, payload AS doc FROM outbox WHERE"
        else:
            key, column = "rowid", "data"
            rows = (
                # UNSYNCED as written in the partial index, so SQLite uses it.
                f"SELECT rowid AS k, data AS doc FROM records WHERE {UNSYNCED} AND"
            )
        # One write's answer (the fallback): a cheap text filter first. The ids are bound, not
        # written into the SQL: a new text per call filled the connection's statement cache
        # with one-off statements (issue 26's shift soak).
        likes = [f"%{int(o)}%" for o in olds] if len(olds) <= 4 else []
        if likes:
            rows += " (" + " OR ".join(f"{column} LIKE ?" for _ in likes) + ") AND"
        rows += f" json_valid({column})"
        mentions: dict[int, tuple[str, set[int]]] = {}
        for start in range(0, len(olds), 500):
            chunk = olds[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for k, doc, atom in conn.exec_driver_sql(
                f"SELECT d.k, d.doc, t.atom FROM ({rows}) AS d, json_tree(d.doc) AS t "
                f"WHERE t.atom IN ({marks})",
                (*likes, *chunk),
            ):
                mentions.setdefault(k, (doc, set()))[1].add(atom)
        changed: list[tuple[str, int]] = []
        for k, (doc, atoms) in mentions.items():
            value = _loads(doc)
            remapped = value
            for old, new in mapping.items():
                if old in atoms:
                    remapped = remap_ids(remapped, old, new)
            if remapped != value:
                changed.append((_dumps(remapped), k))
        if changed:
            conn.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", changed)

    def _succeeded(
        self, conn: Connection, entry: OutboxEntry, answer: Json | None
    ) -> list[tuple[str, int]]:
        """One accepted write recorded; the records it touched."""
        if entry.op in ("create", "update") and not (
            isinstance(answer, dict) and isinstance(answer.get("id"), int)
        ):
            # Accepted, but the answer is not a record: keep the write for the agent
            # rather than guess (and never block the rest of the queue on it).
            conn.execute(
                update(outbox)
                .where(outbox.c.seq == entry.seq)
                .values(
                    state="failed",
                    error="The server accepted the change but did not return the record.",
                    error_code="bad_answer",
                )
            )
            return []
        if entry.op == "create" and entry.record_id is not None and answer is not None:
            return self._created_many(conn, [(entry, answer)])
        conn.execute(delete(outbox).where(outbox.c.seq == entry.seq))
        if entry.record_id is None:
            return []
        touched = [(entry.entity, entry.record_id)]
        if entry.op == "delete":
            self._drop(conn, entry.entity, entry.record_id)
            conn.execute(
                delete(outbox).where(
                    outbox.c.entity == entry.entity, outbox.c.record_id == entry.record_id
                )
            )
        elif answer is not None:
            known = _server_copy(self._row(conn, entry.entity, entry.record_id))
            self._settle(conn, entry.entity, entry.record_id, _newer(answer, known))
        return touched

    def _settle(self, conn: Connection, entity: str, record_id: int, answer: Json) -> None:
        """The server's answer, with this desk's later edits of the record laid over it."""
        later = [
            _loads(p) or {}
            for (p,) in conn.execute(
                select(outbox.c.payload)
                .where(outbox.c.entity == entity, outbox.c.record_id == record_id)
                .order_by(outbox.c.seq)
            )
        ]
        mine: Json = {}
        for payload in later:
            mine.update(payload)
        version = int(answer.get("version", 0))
        data = self._lay_over(conn, entity, record_id, answer, version, mine, bool(later))
        self._index(conn, entity, record_id, data)

    @staticmethod
    def _lay_over(
        conn: Connection,
        entity: str,
        record_id: int,
        server: Json,
        version: int,
        mine: Json,
        pending: bool,
    ) -> Json:
        """Store the server's copy with this desk's waiting edits laid over it; while edits
        wait (``pending``) the server's copy is kept as their base. Returns what is shown."""
        data = {**server, **mine}
        conn.execute(
            update(records)
            .where(records.c.entity == entity, records.c.id == record_id)
            .values(
                data=_dumps(data),
                version=version,
                state="pending" if pending else "synced",
                server_data=_dumps(server) if pending else None,
                server_version=version if pending else None,
                server_deleted=0,
                error="",
            )
        )
        return data

    def _current_id(self, conn: Connection, record_id: int) -> int:
        """A local id the server has since replaced: the server's id (the caller held on to
        the local one, e.g. a form opened before the push)."""
        if record_id >= 0:
            return record_id
        known = self._meta(conn, f"server_id:{record_id}")
        return int(known) if known else record_id

    def _known_ids(self, conn: Connection, payload: Json) -> Json:
        """References to local records already sent: the server's ids instead (a call's
        record written after its ticket was pushed still lists the ticket's local id)."""
        for ref in set(local_refs(payload)):
            known = self._meta(conn, f"server_id:{ref}")
            if known:
                payload = remap_ids(payload, ref, int(known))
        return payload

    def push_failed(
        self, entry: OutboxEntry, message: str, field: str | None, code: str = ""
    ) -> Future[None]:
        """The server refused the write as it is (4xx): the agent fixes it or discards it."""

        def job(conn: Connection) -> None:
            conn.execute(
                update(outbox)
                .where(outbox.c.seq == entry.seq)
                .values(state="failed", error=message, error_field=field, error_code=code)
            )
            if entry.record_id is not None:
                conn.execute(
                    update(records)
                    .where(records.c.entity == entry.entity, records.c.id == entry.record_id)
                    .values(state="failed", error=message)
                )
                self._notify(conn, [(entry.entity, entry.record_id)])

        return self._writer.submit(job)

    def push_conflicted(self, entry: OutboxEntry, current: Json) -> Future[None]:
        """409: the server has a newer version. Not a conflict when it is our own write
        already there (its answer lost, the desk killed) or when only one side changed each
        field (three-way: ours are sent again on the new version, theirs taken); otherwise
        both are kept and the agent chooses, field by field, among those both changed."""

        def job(conn: Connection) -> None:
            conn.execute(update(outbox).where(outbox.c.seq == entry.seq).values(state="conflict"))
            if entry.record_id is None:
                return
            row = self._row(conn, entry.entity, entry.record_id)
            if row is None:
                return
            done = self._own_writes_there(conn, row, current)
            if done:
                log.info(
                    "sync: %s %s: the server has our own %d write(s) already, not a conflict",
                    entry.entity,
                    entry.record_id,
                    len(done),
                )
                conn.execute(delete(outbox).where(outbox.c.seq.in_(done)))
                self._forget_base(conn, entry.entity, entry.record_id)
                self._settle(conn, entry.entity, entry.record_id, current)
                self._notify(conn, [(entry.entity, entry.record_id)])
                return
            self._keep_base(conn, row)
            both, ours = self._three_way(conn, row, current)
            if not both:
                log.info(
                    "sync: %s %s changed there too, other fields: %s sent again on version %s",
                    entry.entity,
                    entry.record_id,
                    sorted(ours),
                    current.get("version"),
                )
                self._rebase(conn, row, current, ours)
                return
            conn.execute(
                update(records)
                .where(records.c.entity == entry.entity, records.c.id == entry.record_id)
                .values(
                    state="conflict",
                    server_data=_dumps(current),
                    server_version=int(current.get("version", 0)),
                    server_deleted=0,
                    error="",
                )
            )
            self._notify(conn, [(entry.entity, entry.record_id)])

        return self._writer.submit(job)

    def _own_writes_there(self, conn: Connection, row: Any, current: Json) -> list[int]:
        """The outbox entries (oldest first) the server's record already holds: the longest
        run of this record's writes whose fields all have the values they set, and whose
        number fits the versions the record moved on by. A retry of a committed write must
        never become a conflict with ourselves."""
        kind = WRITABLE.get(row.entity)
        edits = [e for e in self._our_edits(conn, row.entity, row.id) if e.op == "update"]
        expected: Json = {}
        matched: list[int] = []
        best: list[int] = []
        for edit in edits:
            changes = _loads(edit.payload) or {}
            shown = kind.as_stored(changes) if kind is not None else changes
            expected.update({k: v for k, v in shown.items() if k != "version"})
            matched.append(edit.seq)
            moved = int(current.get("version", 0)) - int(row.version)
            if moved >= len(matched) and all(current.get(k) == v for k, v in expected.items()):
                best = list(matched)
        return best

    def _rebase(self, conn: Connection, row: Any, theirs: Json, changes: Json) -> None:
        """Drop the record's queued writes; show the server's version with ``changes`` over it
        and send them as one new edit on that version (nothing, if they are theirs)."""
        entity, record_id = row.entity, row.id
        conn.execute(
            delete(outbox).where(outbox.c.entity == entity, outbox.c.record_id == record_id)
        )
        diff = {k: v for k, v in changes.items() if k != "version" and theirs.get(k) != v}
        version = int(theirs.get("version") or row.server_version or row.version)
        data = self._lay_over(conn, entity, record_id, theirs, version, diff, bool(diff))
        self._forget_base(conn, entity, record_id)
        self._index(conn, entity, record_id, data)
        if diff:
            self._queue(conn, entity, record_id, "update", version, diff)
        self._notify(conn, [(entity, record_id)])

    # -- the agent settles conflicts and failures -------------------------------------------

    def resolve(self, entity: str, record_id: int, chosen: Json) -> Future[None]:
        """The conflict dialog's choices for the fields both sides changed, with this desk's
        changes of the other fields, laid over the server's version and sent as a new edit on
        it (nothing sent if it equals theirs)."""

        def job(conn: Connection) -> None:
            row = self._row(conn, entity, record_id)
            if row is None or row.state != "conflict":
                raise CacheError(f"The {entity} {record_id} has no conflict to resolve.")
            if row.server_deleted:
                conn.execute(
                    delete(outbox).where(outbox.c.entity == entity, outbox.c.record_id == record_id)
                )
                self._forget_base(conn, entity, record_id)
                self._drop(conn, entity, record_id)
                self._notify(conn, [(entity, record_id)])
                return
            theirs = _loads(row.server_data)
            ours = self._three_way(conn, row, theirs)[1]
            self._rebase(conn, row, theirs, {**ours, **chosen})

        return self._writer.submit(job)

    def resend(self, seq: int, payload: Json | None) -> Future[None]:
        """A failed write, corrected by the agent, goes back into the queue in its place."""

        def job(conn: Connection) -> None:
            row = conn.execute(select(outbox).where(outbox.c.seq == seq)).first()
            if row is None or row.state != "failed":
                raise CacheError("That change is no longer waiting to be corrected.")
            if payload is not None and row.op in ("create", "update"):
                kind = writable(row.entity)
                if row.op == "create":
                    _validate(kind.create, payload)
                else:
                    _validate(kind.patch, {**payload, "version": 1})
            changed = payload is not None and (payload or None) != (_loads(row.payload) or None)
            log.info(
                "outbox: resent %s %s %s (key %s%s), refused before: %s",
                row.op,
                row.entity,
                row.record_id,
                row.key,
                ", corrected" if changed else "",
                row.error,
            )
            conn.execute(
                update(outbox)
                .where(outbox.c.seq == seq)
                .values(
                    payload=row.payload if payload is None else _dumps(payload),
                    state="queued",
                    error="",
                    error_field=None,
                    error_code="",
                    attempts=0,
                    # A corrected write is another request: the server would refuse the old
                    # key for it. Unchanged, it keeps its key: if the server did commit it
                    # after all, it answers as it did the first time.
                    key=uuid.uuid4().hex if changed else row.key,
                )
            )
            if row.record_id is not None:
                self._relayer(conn, row.entity, row.record_id)

        return self._writer.submit(job)

    def discard(self, seq: int) -> Future[None]:
        """Drop a failed write; the record goes back to what the server has."""

        def job(conn: Connection) -> None:
            row = conn.execute(select(outbox).where(outbox.c.seq == seq)).first()
            if row is None:
                return
            # The audit line: what the agent chose to throw away, and why it had not gone.
            log.warning(
                "outbox: the agent discarded %s %s %s (key %s, target %s, %d tries), refused: %s; "
                "payload %s",
                row.op,
                row.entity,
                row.record_id,
                row.key,
                row.target_id,
                row.attempts,
                row.error,
                row.payload,
            )
            conn.execute(delete(outbox).where(outbox.c.seq == seq))
            if row.record_id is None:
                return
            if row.op == "create":
                self._drop(conn, row.entity, row.record_id)
                conn.execute(
                    delete(outbox).where(
                        outbox.c.entity == row.entity, outbox.c.record_id == row.record_id
                    )
                )
                # Writes that needed the discarded record can never be sent: say so.
                for other in list(conn.execute(select(outbox))):
                    if row.record_id in set(local_ids_in(_loads(other.payload))):
                        conn.execute(
                            update(outbox)
                            .where(outbox.c.seq == other.seq)
                            .values(
                                state="failed",
                                error="It refers to a new record whose creation was discarded.",
                            )
                        )
            else:
                self._relayer(conn, row.entity, row.record_id)
            self._notify(conn, [(row.entity, row.record_id)])

        return self._writer.submit(job)

    def _relayer(self, conn: Connection, entity: str, record_id: int) -> None:
        """Recompute a record from the server's copy and the edits still queued for it."""
        row = self._row(conn, entity, record_id)
        if row is None:
            return
        if (
            row.server_deleted
            and not conn.execute(
                select(outbox.c.seq).where(
                    outbox.c.entity == entity, outbox.c.record_id == record_id
                )
            ).first()
        ):
            self._drop(conn, entity, record_id)  # gone on the server, nothing left to send
            return
        entries = list(
            conn.execute(
                select(outbox.c.payload, outbox.c.state, outbox.c.op)
                .where(outbox.c.entity == entity, outbox.c.record_id == record_id)
                .order_by(outbox.c.seq)
            )
        )
        kind = WRITABLE.get(entity)
        edits = entries
        if row.server_data:
            data = dict(_loads(row.server_data))
        elif kind is not None and entries and entries[0].op == "create":
            # Never on the server: rebuilt from its create, not from ``data`` (which already
            # holds the queued edits: applying them again counted a call's attempt twice).
            created = _loads(entries[0].payload) or {}
            data = {**kind.as_stored(kind.as_created(created)), "id": record_id, "version": 0}
            edits = entries[1:]
        else:
            data = dict(_loads(row.data))
        for payload, _state, _op in edits:
            changes = _loads(payload) or {}
            data = kind.applied(data, changes) if kind is not None else data | changes
        states = {state for _p, state, _o in entries}
        state = (
            "conflict"
            if "conflict" in states
            else "failed"
            if "failed" in states
            else "pending"
            if entries
            else "synced"
        )
        conn.execute(
            update(records)
            .where(records.c.entity == entity, records.c.id == record_id)
            .values(
                data=_dumps(data),
                state=state,
                # The base of the edits stays: a resend over someone else's newer change must
                # still meet a 409, not overwrite it.
                version=row.version,
                server_data=row.server_data if entries else None,
                server_version=row.server_version if entries else None,
                error="" if state in ("synced", "pending") else row.error,
            )
        )
        self._index(conn, entity, record_id, data)

    # -- pull -------------------------------------------------------------------------------

    def apply_changes(self, changes: list[ChangeOut], cursor: int) -> Future[int]:
        """A page of the change feed and the cursor that covers it, in one transaction.

        Set-based: one read of the rows the page touches, then bulk inserts, updates and
        deletes, so the writer holds the GIL (and the UI thread waits) as little as possible.
        """

        def job(conn: Connection) -> int:
            # The last change of a record in the page decides its state (the feed is ordered).
            latest = {(c.entity, c.id): c for c in changes}
            existing = self._existing(conn, list(latest))
            inserts: list[Json] = []
            updates: list[Json] = []
            drops: list[tuple[str, int]] = []
            indexed: dict[int, Json | None] = {}  # customer id -> its data (None: gone)
            for key, change in latest.items():
                row = existing.get(key)
                if change.op == "delete":
                    if row is None:
                        continue
                    if row.state == "synced":
                        drops.append(key)
                        if change.entity == "customer":
                            indexed[change.id] = None
                    else:  # edited here, deleted there: a conflict the agent settles
                        conn.execute(
                            update(records)
                            .where(records.c.entity == key[0], records.c.id == key[1])
                            .values(
                                server_deleted=1, server_version=change.version, state="conflict"
                            )
                        )
                    continue
                data = _dumps(change.data)
                if row is None or (row.state == "synced" and change.version > row.version):
                    values = {"e": key[0], "i": key[1], "v": change.version, "d": data}
                    (inserts if row is None else updates).append(values)
                    if change.entity == "customer":
                        indexed[change.id] = change.data or {}
                elif row.state != "synced" and (
                    row.server_version is None or change.version > row.server_version
                ):
                    # Pending edits stay on top; remember what the server has now (and
                    # the base of the edits, for a three-way merge).
                    if row.server_version == row.version:
                        self._keep_base(conn, self._row(conn, *key))
                    conn.execute(
                        update(records)
                        .where(records.c.entity == key[0], records.c.id == key[1])
                        .values(server_data=data, server_version=change.version, server_deleted=0)
                    )
                # else: older or equal to what we have (our own write coming back)
            self._write_batch(conn, inserts, updates, drops, indexed)
            self._set_meta(conn, "cursor", str(cursor))
            self._notify(conn, latest)
            return len(changes)

        return self._writer.submit(job)

    def load_snapshot(self, path: Path, cursor: int, records: int) -> Future[int]:
        """A verified, unpacked first-sync snapshot (``sync.snapshot_load``) and its cursor,
        in one transaction; the outbox is not touched. Listeners hear of every record loaded,
        in pieces (a page of the feed is 1,000 records; this may be millions). Raises
        ``SnapshotRefused`` (nothing changed) when the file or the cache does not fit."""

        def job(db: sqlite3.Connection) -> int:
            touched = snapshot_load.load(db, path, cursor, records, keys=bool(self._listeners))
            self._checkpoint_aside()
            for start in range(0, len(touched), _NOTIFY_PIECE):
                piece = touched[start : start + _NOTIFY_PIECE]
                for listener in self._listeners:
                    listener(piece)
            return records

        return self._writer.submit_raw(job)

    def _checkpoint_aside(self) -> None:
        """Copy the WAL a snapshot load left (a gigabyte at two million records) into the main
        file on a thread and connection of its own: the cache is usable meanwhile (readers
        read the WAL), and a passive checkpoint never blocks the writer or a reader. Until it
        is done a commit's own automatic checkpoint finds it busy and skips; ``close`` waits
        for it. A kill meanwhile loses nothing: the WAL is checkpointed on the next open."""

        def run() -> None:
            try:
                with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:  # a later commit's automatic checkpoint does it
                log.warning("cache: the checkpoint after the snapshot failed: %s", exc)

        thread = threading.Thread(target=run, name="cache-checkpoint", daemon=True)
        self._checkpoints.append(thread)
        thread.start()

    @staticmethod
    def _write_batch(
        conn: Connection,
        inserts: list[Json],
        updates: list[Json],
        drops: list[tuple[str, int]],
        indexed: dict[int, Json | None],
    ) -> None:
        if inserts:
            conn.execute(
                insert(records).values(
                    entity=bindparam("e"),
                    id=bindparam("i"),
                    version=bindparam("v"),
                    data=bindparam("d"),
                    state="synced",
                    server_deleted=0,
                    error="",
                ),
                inserts,
            )
        if updates:
            conn.execute(
                update(records)
                .where(records.c.entity == bindparam("e"), records.c.id == bindparam("i"))
                .values(version=bindparam("v"), data=bindparam("d")),
                updates,
            )
        for entity in {e for e, _ in drops}:
            ids = [i for e, i in drops if e == entity]
            conn.execute(delete(records).where(records.c.entity == entity, records.c.id.in_(ids)))
        if indexed:
            conn.execute(delete(phones).where(phones.c.customer_id.in_(list(indexed))))
            rows = [
                {"e164": key, "customer_id": cid}
                for cid, data in indexed.items()
                if data is not None
                for key in sorted(_phone_keys(data))
            ]
            if rows:
                conn.execute(insert(phones), rows)

    @staticmethod
    def _existing(conn: Connection, keys: list[tuple[str, int]]) -> dict[tuple[str, int], Any]:
        found: dict[tuple[str, int], Any] = {}
        for entity in {e for e, _ in keys}:
            ids = [i for e, i in keys if e == entity]
            for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
                for row in conn.execute(
                    select(
                        records.c.entity,
                        records.c.id,
                        records.c.version,
                        records.c.state,
                        records.c.server_version,
                    ).where(records.c.entity == entity, records.c.id.in_(ids[start : start + 500]))
                ):
                    found[(row.entity, row.id)] = row
        return found

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _row(conn: Connection, entity: str, record_id: int) -> Any:
        return conn.execute(
            select(records).where(records.c.entity == entity, records.c.id == record_id)
        ).first()

    def _drop(self, conn: Connection, entity: str, record_id: int) -> None:
        conn.execute(delete(records).where(records.c.entity == entity, records.c.id == record_id))
        if entity == "customer":
            conn.execute(delete(phones).where(phones.c.customer_id == record_id))

    @staticmethod
    def _index(conn: Connection, entity: str, record_id: int, data: Json) -> None:
        if entity != "customer":
            return
        conn.execute(delete(phones).where(phones.c.customer_id == record_id))
        keys = _phone_keys(data)
        if keys:
            conn.execute(
                insert(phones), [{"e164": key, "customer_id": record_id} for key in sorted(keys)]
            )


def _server_copy(row: Any) -> Json | None:
    """The newest copy of a record the server is known to have, from its cache row: the one
    kept beside pending edits, or the record itself when nothing waits. None: none known."""
    if row is None:
        return None
    if row.server_data and not row.server_deleted:
        return dict(_loads(row.server_data), version=row.server_version)
    if row.state == "synced":
        return dict(_loads(row.data), version=row.version)
    return None


def _newer(answer: Json, known: Json | None) -> Json:
    """The newer of a push's answer and the server's copy already in the cache. An answer can
    be older than what the cache holds: an idempotent replay of an earlier write, or one that
    arrives after the feed brought someone's later edit; laying it down would undo that edit
    here until the record changed again."""
    if known is None:
        return answer
    if int(known.get("version") or 0) > int(answer.get("version") or 0):
        return known
    return answer


def _validate(model: Any, data: Json) -> None:
    # A local (negative) id stands for a record the server will number: valid here.
    for local in set(local_ids_in(data)):
        data = remap_ids(data, local, 1)
    try:
        model.model_validate(data)
    except ValidationError as exc:
        where, message = refusal(exc)
        raise CacheError(message, where) from None


# -- opening, checking, moving aside ----------------------------------------------------------


def _open_raw(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    mode = "?mode=ro" if read_only else ""
    conn = sqlite3.connect(f"file:{path}{mode}", uri=True, timeout=5)
    conn.isolation_level = None  # the steps spell out their own transactions
    return conn


def _upgrade_in_place(path: Path, owner: str) -> tuple[str | None, str]:
    """Check the file and bring it to this release's schema in place, outbox and all.
    (why it cannot be used, or None; what was done, for the log)."""
    try:
        conn = _open_raw(path)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return "damaged", ""
            try:
                found = cache_steps.file_version(conn)
            except cache_steps.CacheVersionError:
                return "unknown", ""
            if found > SCHEMA_VERSION:
                return "newer_schema", ""
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            owned = (
                conn.execute("SELECT value FROM meta WHERE key = 'owner'").fetchone()
                if "meta" in tables
                else None
            )
            if found and (owned is None or owned[0] != owner):
                return "other_owner", ""  # not upgraded: it is moved aside as it is
            before, after = cache_steps.upgrade(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:  # not a database, or a step met a damaged page
        log.warning("cache: %s cannot be read or upgraded: %s", path, exc)
        return "damaged", ""
    return None, f"upgraded from version {before} to {after}" if before != after else ""


def _unsent_in(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return 0


def _rescue(path: Path) -> tuple[list[Json], dict[str, str]]:
    """The unsent writes that can still be read from a damaged file (and the server ids of
    records created here that they may refer to)."""
    try:
        conn = _open_raw(path, read_only=True)
    except sqlite3.DatabaseError:
        return [], {}
    try:
        return cache_steps.readable_outbox(conn), cache_steps.readable_server_ids(conn)
    finally:
        conn.close()


REASONS = {
    "damaged": "The local cache file was damaged",
    "unknown": "The local cache file was not one of ours",
    "newer_schema": "The local cache was written by a newer version of the app",
    "other_owner": "The local cache belonged to another user or server",
}


def open_cache(path: Path, owner: str) -> OpenResult:
    """Open the user's cache, upgrading an older file in place (its unsent writes are kept and
    sent); move a file that cannot be used aside and start empty.

    A damaged file's unsent writes that can still be read are written to a JSON file beside
    it and queued again in the new cache, with their Idempotency-Keys (a write the server
    already has is not done twice). Never raises for a bad file (no crash loop): the caller
    shows ``notice`` and pulls everything again from the server.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    reason, done = _upgrade_in_place(path, owner) if path.exists() else (None, "")
    if done:
        log.info("cache: %s %s", path.name, done)
    result_notice = None
    moved_to = None
    lost = 0
    rescued: list[Json] = []
    server_ids: dict[str, str] = {}
    if reason is not None:
        if reason == "damaged":
            rescued, server_ids = _rescue(path)
        else:
            lost = _unsent_in(path)
        stamp = system_clock().now().strftime("%Y%m%d-%H%M%S")
        moved_to = path.with_name(f"{path.name}.{reason}-{stamp}")
        shutil.move(path, moved_to)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                shutil.move(side, moved_to.with_name(moved_to.name + suffix))
        result_notice = f"{REASONS[reason]}; it was moved to {moved_to} and will be rebuilt."
        if rescued:
            exported = moved_to.with_name(moved_to.name + ".outbox.json")
            exported.write_text(cache_steps.dumps(rescued, server_ids), encoding="utf-8")
            result_notice += (
                f" {len(rescued)} unsent changes could be read from it (saved in {exported});"
                " they will be sent."
            )
        if lost:
            result_notice += f" It held {lost} unsent changes, kept in that file."
        log.warning("cache: %s", result_notice)
    try:
        conn = _open_raw(path)
        try:
            cache_steps.upgrade(conn)  # a new file is built by the same steps
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CacheError(f"The local cache {path} cannot be created: {exc}") from exc
    cache = LocalCache(path)
    try:

        def stamp_meta(conn: Connection) -> None:
            if cache._meta(conn, "owner") is None:
                cache._set_meta(conn, "owner", owner)
                cache._set_meta(conn, "cursor", "0")
            if rescued:
                _replay(cache, conn, rescued, server_ids)

        cache._writer.submit(stamp_meta).result()
    except DatabaseError:
        cache.close()
        raise
    return OpenResult(cache, result_notice, moved_to, lost, len(rescued))


def _replay(
    cache: LocalCache, conn: Connection, rows: list[Json], server_ids: dict[str, str]
) -> None:
    """Queue a damaged file's unsent writes again, in their order and with their keys. A
    record created here is shown again (rebuilt from its create and later edits); the others
    come back with the next pull."""
    for key, value in server_ids.items():
        cache._set_meta(conn, key, value)
    local: set[int] = set()
    for row in rows:
        payload = _loads(row.get("payload"))
        ids = [row.get("record_id"), row.get("target_id"), *local_ids_in(payload)]
        local.update(i for i in ids if isinstance(i, int) and i < 0)
    if local:  # new local ids must not collide with the rescued ones
        next_id = min(int(cache._meta(conn, "next_local_id") or -1), min(local) - 1)
        cache._set_meta(conn, "next_local_id", str(next_id))
    created: list[tuple[str, int]] = []
    for row in rows:
        if conn.scalar(select(outbox.c.seq).where(outbox.c.key == row["key"])) is not None:
            continue
        values = {name: row.get(name) for name in cache_steps.OUTBOX_V4_COLUMNS if name != "seq"}
        # A conflict is met again (and shown) once the record is back; a failed write stays
        # failed, with the server's reason, for the agent to correct or discard.
        if values.get("state") == "conflict":
            values["state"] = "queued"
        for name, default in (("error", ""), ("error_code", ""), ("attempts", 0)):
            if values.get(name) is None:
                values[name] = default
        values["created_at"] = values.get("created_at") or _now()
        conn.execute(insert(outbox).values(**values))
        record_id = values.get("record_id")
        kind = WRITABLE.get(str(values["entity"]))
        if values["op"] == "create" and kind is not None and isinstance(record_id, int):
            sent = _loads(values.get("payload")) or {}
            shown = {**kind.as_stored(kind.as_created(sent)), "id": record_id, "version": 0}
            conn.execute(
                insert(records).values(
                    entity=values["entity"],
                    id=record_id,
                    version=0,
                    data=_dumps(shown),
                    state="pending",
                    server_deleted=0,
                    error="",
                )
            )
            created.append((str(values["entity"]), record_id))
    for entity, record_id in created:
        cache._relayer(conn, entity, record_id)  # its later edits laid over it
    cache._notify(conn, created)
