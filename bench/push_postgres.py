"""The push benchmark's PostgreSQL parts: the database's own CPU, the floor without the
commit-order trigger, and the same SQL in bare psycopg.

On PostgreSQL a write's server cost is split between the ``agent-server`` process and the
database's processes (the backend serving its connection, the WAL writer, autovacuum), so the
server CPU per write here is both: the app's from ``/proc/<pid>/stat`` and the whole cluster's
(the postmaster, every live child, and the children it already reaped, whose time the kernel
adds to its ``cutime``/``cstime``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _ticks(fields: list[str], reaped: bool) -> int:
    own = int(fields[11]) + int(fields[12])
    return own + (int(fields[13]) + int(fields[14]) if reaped else 0)


def cluster_cpu_s(postmaster: int) -> float:
    """CPU seconds of the whole PostgreSQL cluster so far (every process it ever ran)."""
    total = _ticks(_stat(postmaster), reaped=True)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended meanwhile: its time is in the postmaster's cutime now
        if int(fields[1]) == postmaster:  # the parent pid
            total += _ticks(fields, reaped=True)
    return total / _TICK


def _dsn(url: str) -> str:
    """psycopg's DSN of a SQLAlchemy ``postgresql+psycopg://`` URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


NUMBERED = (("changes", "seq"), ("events", "id"))
FEED_LOCK_ID = 7_243_001  # migration 0004's


def number_at_insert(url: str) -> None:
    """THE FLOOR, never a shipping option: drop the commit-order trigger (migration 0004 and
    anything later that replaced its function) so rows are numbered by the sequence's default
    at insert, as before 0004. Feed readers could then skip a row that commits late; this is
    done only to the benchmark's throw-away database, to measure what numbering at commit
    costs."""
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        for table, column in NUMBERED:
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_numbered_at_commit ON {table}")
            conn.execute(
                f"ALTER TABLE {table} ALTER COLUMN {column} "
                f"SET DEFAULT nextval('{table}_{column}_seq')"
            )


def number_per_row(url: str) -> None:
    """Migration 0004's numbering (one advisory lock and one UPDATE per row, in a trigger call
    per row) in place of the shipped one, for a side-by-side in the same run: the function's
    text as 0004 (and 0005's downgrade) writes it; the tables are today's."""
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        for table, column in NUMBERED:
            conn.execute(
                f"""
                CREATE OR REPLACE FUNCTION aw_number_{table}() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock({FEED_LOCK_ID});
                    UPDATE {table} SET {column} = nextval('{table}_{column}_seq')
                        WHERE {column} = NEW.{column};
                    RETURN NULL;
                END $$
                """
            )


def trigger_function(url: str) -> str:
    """The numbering function's source as the database has it (which migration is in)."""
    with psycopg.connect(_dsn(url)) as conn:
        row = conn.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = 'aw_number_changes'"
        ).fetchone()
    return "" if row is None else str(row[0])


def bare_sql_cpu_s(url: str, postmaster: int, writes: int) -> float:
    """CPU seconds (this client's and the cluster's) for the SQL of ``writes`` keyed creates in
    bare psycopg, one transaction each (the record, its feed row numbered at insert, its
    idempotency row): the server's floor on PostgreSQL."""
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE customers (id BIGSERIAL PRIMARY KEY, code TEXT UNIQUE, name TEXT, "
            "team_id INT, version INT, updated_at TIMESTAMPTZ)"
        )
        conn.execute(
            "CREATE TABLE changes (seq BIGSERIAL PRIMARY KEY, entity TEXT, entity_id BIGINT, "
            "team_id INT, version INT, data JSONB, at TIMESTAMPTZ)"
        )
        conn.execute(
            "CREATE TABLE keys (user_id INT, key TEXT, hash TEXT, status INT, body JSONB, "
            "PRIMARY KEY (user_id, key))"
        )
        conn.autocommit = False
        cluster, client = cluster_cpu_s(postmaster), time.process_time()
        for n in range(writes):
            conn.execute("INSERT INTO keys VALUES (1, %s, 'h', 0, '{}')", (f"k{n}",))
            row = conn.execute(
                "INSERT INTO customers (code, name, team_id, version, updated_at) "
                "VALUES (%s, %s, 1, 1, '2026-01-01T00:00:00Z') RETURNING id",
                (f"B-{n}", f"bare {n}"),
            ).fetchone()
            assert row is not None
            conn.execute(
                "INSERT INTO changes (entity, entity_id, team_id, version, data, at) "
                "VALUES ('customer', %s, 1, 1, %s, '2026-01-01T00:00:00Z')",
                (row[0], f'{{"id": {row[0]}}}'),
            )
            conn.execute(
                "UPDATE keys SET status = 201, body = '{}' WHERE user_id = 1 AND key = %s",
                (f"k{n}",),
            )
            conn.commit()
        return (time.process_time() - client) + (cluster_cpu_s(postmaster) - cluster)
