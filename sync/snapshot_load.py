"""Loading a verified first-sync snapshot into the cache: one transaction, all in SQLite's C.

The unpacked file (``sync.contract.snapshot``) is ATTACHed to the cache's writer connection and
its rows copied with ``INSERT … SELECT``: two million records never pass through Python. The
indexes of ``records`` and ``phones`` are dropped inside the transaction and built again after
the copy (a sorted build instead of millions of index updates; the JSON expression indexes are
partial, ``sync.cache_schema``, so they hold only the few records with the field); the
screen-pop index comes in the file, derived by the server. The cursor is set in the same
transaction: a desk killed while loading finds its cache as it was (empty, cursor 0) and
tries again. The outbox is not touched, and nothing is loaded into a cache that holds any
record of the server already.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sync.contract import snapshot as contract

_ALIAS = "snapshot"
_INDEXED = ("records", "phones")  # whose indexes are rebuilt after the copy


class SnapshotRefused(Exception):  # noqa: N818 - a refusal, handled by using the feed
    """This snapshot cannot be loaded here (not a format we read, not what the server said,
    or the cache is not new); the feed can."""


def load(
    db: sqlite3.Connection, path: Path, cursor: int, records: int, *, keys: bool = True
) -> list[tuple[str, int]]:
    """Copy the snapshot at ``path`` into the cache behind ``db`` (a connection outside any
    transaction); returns the (entity, id) of every record loaded (read after the commit, and
    only when ``keys``: someone listens). Raises ``SnapshotRefused`` (nothing changed) when
    the file is not the one announced or the cache is not new.

    The commit leaves the whole load in the WAL, not checkpointed into the file: readers see it
    at once (that is the WAL's job), and copying a gigabyte into the main file is left to the
    caller, off the desk's path (``LocalCache.load_snapshot`` checkpoints on a thread of its
    own). Otherwise the commit itself would run that checkpoint (SQLite's automatic one),
    a fifth of the whole load."""
    db.execute(f"ATTACH DATABASE ? AS {_ALIAS}", (str(path),))
    automatic = int(db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    db.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        _check(db, cursor, records)
        db.execute("BEGIN IMMEDIATE")
        try:
            _load(db, cursor, records)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if not keys:
            return []
        return db.execute(f"SELECT entity, id FROM {_ALIAS}.{contract.RECORDS_TABLE}").fetchall()
    finally:
        db.execute(f"PRAGMA wal_autocheckpoint = {automatic}")
        db.execute(f"DETACH DATABASE {_ALIAS}")


def _check(db: sqlite3.Connection, cursor: int, records: int) -> None:
    try:
        meta = dict(db.execute(f"SELECT key, value FROM {_ALIAS}.{contract.META_TABLE}"))
    except sqlite3.DatabaseError as exc:
        raise SnapshotRefused(f"not a snapshot file: {exc}") from None
    if meta.get("format") != str(contract.FORMAT):
        raise SnapshotRefused(f"snapshot format {meta.get('format')!r}, not {contract.FORMAT}")
    if meta.get("cursor") != str(cursor) or meta.get("records") != str(records):
        raise SnapshotRefused(
            f"the file holds cursor {meta.get('cursor')} and {meta.get('records')} records, "
            f"the server announced {cursor} and {records}"
        )


def _load(db: sqlite3.Connection, cursor: int, records: int) -> None:
    have = db.execute("SELECT value FROM meta WHERE key = 'cursor'").fetchone()
    if (have is not None and have[0] not in ("", "0")) or db.execute(
        "SELECT 1 FROM records WHERE id > 0 LIMIT 1"
    ).fetchone():
        raise SnapshotRefused("the cache holds the server's records already")
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(_INDEXED))})",
        _INDEXED,
    ).fetchall()
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')
    copied = db.execute(
        "INSERT INTO records (entity, id, version, data, state, server_deleted, error) "
        f"SELECT entity, id, version, data, 'synced', 0, '' FROM {_ALIAS}.{contract.RECORDS_TABLE}"
    ).rowcount
    if copied != records:
        raise SnapshotRefused(f"{copied} records copied of {records}")
    # The screen-pop index (``sync.cache._phone_keys``), derived by the server: copied, never
    # parsed out of two million JSON documents here.
    db.execute(
        "INSERT INTO phones (e164, customer_id) "
        f"SELECT e164, customer_id FROM {_ALIAS}.{contract.PHONES_TABLE}"
    )
    for _name, sql in indexes:
        db.execute(sql)
    db.execute("DELETE FROM meta WHERE key = 'cursor'")
    db.execute("INSERT INTO meta (key, value) VALUES ('cursor', ?)", (str(cursor),))
