"""The cache file's schema, built and upgraded in place by numbered steps.

``PRAGMA user_version`` is the file's version; step N turns version N-1 into N, and each runs
in one transaction with the new version, so a crash leaves the file at N-1 or N, never between.
A new file is built by the same steps from 0. No step drops the outbox: a desk upgraded while
it holds unsent writes sends them after the upgrade.

Files of the releases before these steps kept the version in ``meta.schema_version`` (1 to 3)
and left ``user_version`` at 0; they continue from that number.

The DDL is written out here, frozen, not taken from ``sync.cache_schema``: a step must build
what its version was, whatever the tables look like later (a test compares the result of all
the steps with ``cache_schema.metadata``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from sync.cache_schema import SCHEMA_VERSION
from sync.contract.errors import ErrorCode
from sync.routes import RECORD_OPS, call_from_route


class CacheVersionError(Exception):
    """The file was written by a newer release (or is none of ours); ``str()`` says which."""


def outbox_table(name: str, routing: str) -> str:
    """The outbox's DDL under ``name``: every version's columns but those that say where a
    write goes (``routing``): method and path in version 1, the operation from version 4.
    Frozen like the rest: files of both were built by it, so a later change of a shared column
    is a new function for the new step, never an edit here."""
    return f"""CREATE TABLE {name} (
            seq INTEGER NOT NULL,
            entity VARCHAR(16) NOT NULL,
            record_id INTEGER,
            {routing},
            "key" VARCHAR(64) NOT NULL,
            base_version INTEGER,
            payload TEXT,
            state VARCHAR(10) NOT NULL,
            error TEXT NOT NULL,
            error_field VARCHAR(100),
            error_code VARCHAR(40) NOT NULL,
            attempts INTEGER NOT NULL,
            created_at VARCHAR(40) NOT NULL,
            PRIMARY KEY (seq),
            UNIQUE ("key")
        )"""


V1_ROUTING = "op VARCHAR(8) NOT NULL, method VARCHAR(8) NOT NULL, path VARCHAR(200) NOT NULL"
V4_ROUTING = "op VARCHAR(24) NOT NULL, target_id INTEGER"


def _step1(db: sqlite3.Connection) -> None:
    """The first cache: records, phones, the outbox of method and path, meta."""
    # Statement by statement: executescript would commit the step's transaction first.
    for statement in _V1.format(outbox=outbox_table("outbox", V1_ROUTING)).split(";"):
        if statement.strip():
            db.execute(statement)


_V1 = """
        CREATE TABLE records (
            entity VARCHAR(16) NOT NULL,
            id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            state VARCHAR(10) NOT NULL,
            server_version INTEGER,
            server_data TEXT,
            server_deleted INTEGER NOT NULL,
            error TEXT NOT NULL,
            PRIMARY KEY (entity, id)
        );
        CREATE INDEX records_state ON records (state);
        CREATE TABLE phones (
            e164 VARCHAR(20) NOT NULL,
            customer_id INTEGER NOT NULL
        );
        CREATE INDEX phones_e164 ON phones (e164);
        CREATE INDEX phones_customer ON phones (customer_id);
        {outbox};
        CREATE INDEX outbox_record ON outbox (entity, record_id);
        CREATE TABLE meta (
            "key" VARCHAR(40) NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY ("key")
        );
"""


def _step2(db: sqlite3.Connection) -> None:
    """The customer 360's indexes on the JSON itself (and the server's refusal code, which
    some version-1 files lack)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(outbox)")}
    if "error_code" not in columns:
        db.execute("ALTER TABLE outbox ADD COLUMN error_code VARCHAR(40) NOT NULL DEFAULT ''")
    db.execute(
        "CREATE INDEX IF NOT EXISTS records_customer "
        "ON records (entity, json_extract(data, '$.customer_id'))"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS records_ticket "
        "ON records (entity, json_extract(data, '$.ticket_id'))"
    )


def _step3(db: sqlite3.Connection) -> None:
    """Ticket numbers continue the agent's count of the day: an index on them."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS records_number "
        "ON records (entity, json_extract(data, '$.number'))"
    )


OUTBOX_V4_COLUMNS = (
    "seq",
    "entity",
    "record_id",
    "op",
    "target_id",
    "key",
    "base_version",
    "payload",
    "state",
    "error",
    "error_field",
    "error_code",
    "attempts",
    "created_at",
)


def legacy_operation(row: dict[str, Any]) -> dict[str, Any]:
    """An outbox row of method and path as a row of operations. Record writes keep their
    entity, record and op; a call is recognised by its route of that release. A call that is
    none of ours is kept as a failed write, saying what it was, never dropped."""
    converted = {k: row.get(k) for k in OUTBOX_V4_COLUMNS if k != "target_id"}
    converted["target_id"] = None
    converted.setdefault("error_code", "")
    if converted.get("error_code") is None:
        converted["error_code"] = ""
    op = str(row.get("op") or "")
    if op in RECORD_OPS:
        return converted
    operation = call_from_route(str(row.get("method") or ""), str(row.get("path") or ""))
    if operation is None:
        converted.update(
            op="unknown",
            state="failed",
            error=f"This version cannot send this change ({row.get('method')} {row.get('path')}).",
            error_code=ErrorCode.UNKNOWN_OPERATION,
        )
        return converted
    converted.update(entity=operation.entity, op=operation.op, target_id=operation.target_id)
    return converted


def _step4(db: sqlite3.Connection) -> None:
    """The outbox stores operations, not method and path: every row converted in place."""
    db.row_factory = sqlite3.Row
    try:
        rows = [dict(row) for row in db.execute("SELECT * FROM outbox ORDER BY seq")]
    finally:
        db.row_factory = None
    db.execute(outbox_table("outbox_v4", V4_ROUTING))
    marks = ", ".join("?" for _ in OUTBOX_V4_COLUMNS)
    names = ", ".join(f'"{c}"' for c in OUTBOX_V4_COLUMNS)
    db.executemany(
        f"INSERT INTO outbox_v4 ({names}) VALUES ({marks})",
        [tuple(legacy_operation(row)[c] for c in OUTBOX_V4_COLUMNS) for row in rows],
    )
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_v4 RENAME TO outbox")
    db.execute("CREATE INDEX outbox_record ON outbox (entity, record_id)")


def _step5(db: sqlite3.Connection) -> None:
    """The expression indexes hold only the records that have the field, and parse the JSON
    only of a record, not a customer, whose text names the field: the same queries use them
    (their expressions are ``cache_schema.CUSTOMER_OF`` …; a comparison implies not null), a
    first sync builds them far faster. The state index holds only the records not synced."""
    for name, field in (
        ("records_customer", "customer_id"),
        ("records_ticket", "ticket_id"),
        ("records_number", "number"),
    ):
        of = (
            f"CASE WHEN entity <> 'customer' AND instr(data, '\"{field}\"') > 0 "
            f"THEN json_extract(data, '$.{field}') END"
        )
        db.execute(f"DROP INDEX IF EXISTS {name}")
        db.execute(f"CREATE INDEX {name} ON records (entity, {of}) WHERE {of} IS NOT NULL")
    db.execute("DROP INDEX IF EXISTS records_state")  # the synced (most) need no entry
    db.execute("CREATE INDEX records_state ON records (state) WHERE state <> 'synced'")


STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _step1,
    2: _step2,
    3: _step3,
    4: _step4,
    5: _step5,
}
assert max(STEPS) == SCHEMA_VERSION, "a new cache schema needs its step"


def file_version(db: sqlite3.Connection) -> int:
    """The version of an open file: ``user_version``, or ``meta.schema_version`` of a file
    from before the steps, or 0 for an empty file."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return 0
    if "meta" not in tables:
        raise CacheVersionError("The file is not one of our caches (it has no meta table).")
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit() or int(row[0]) < 1:
        raise CacheVersionError(f"The cache has no version we know ({row[0] if row else None}).")
    return int(row[0])


def upgrade(db: sqlite3.Connection) -> tuple[int, int]:
    """Run the steps the file lacks, each in its own transaction; (from, to). Raises
    ``CacheVersionError`` for a file of a newer release. ``db`` is in autocommit mode
    (``isolation_level = None``): the steps' transactions are spelled out here."""
    found = file_version(db)
    if found > SCHEMA_VERSION:
        raise CacheVersionError(
            f"The cache is at version {found}, newer than this release's {SCHEMA_VERSION}."
        )
    for number in range(found + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            STEPS[number](db)
            db.execute(f"PRAGMA user_version = {number}")
            db.execute("DELETE FROM meta WHERE key = 'schema_version'")  # user_version now
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return found, SCHEMA_VERSION


def readable_outbox(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """The outbox rows that can still be read from a damaged file, in order, as operations
    (a file of the release before operations is converted row by row). Stops at the first
    row SQLite cannot read."""
    db.row_factory = sqlite3.Row
    rows: list[dict[str, Any]] = []
    try:
        cursor = db.execute("SELECT * FROM outbox ORDER BY seq")
        while True:
            try:
                row = cursor.fetchone()
            except sqlite3.DatabaseError:
                break
            if row is None:
                break
            item = dict(row)
            rows.append(item if "target_id" in item else legacy_operation(item))
    except sqlite3.DatabaseError:
        pass
    finally:
        db.row_factory = None
    return rows


def readable_server_ids(db: sqlite3.Connection) -> dict[str, str]:
    """``server_id:<local id>`` of a damaged file: writes that refer to a record created here
    and already sent need the server's id."""
    try:
        return {
            str(k): str(v)
            for k, v in db.execute("SELECT key, value FROM meta WHERE key LIKE 'server_id:%'")
        }
    except sqlite3.DatabaseError:
        return {}


def dumps(rows: list[dict[str, Any]], server_ids: dict[str, str]) -> str:
    return json.dumps(
        {"outbox": rows, "server_ids": server_ids}, ensure_ascii=False, indent=1, default=str
    )
