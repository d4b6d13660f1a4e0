"""``agent-server backup`` and ``agent-server restore``: IT's copy of the server's database.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``), safe while servers run
  and write: all pages in one step, inside one read transaction, so the copy is the database
  as one commit left it; the server's WAL mode lets writers go on meanwhile (in steps, a
  writer's commit between two would restart the copy, for ever under steady writes). Restore
  copies the file back the same way into a file that does not exist yet.
- PostgreSQL: ``pg_dump -Fc`` (one consistent snapshot of the database, taken without
  stopping writers) and ``pg_restore`` into a fresh, empty database. The password of the URL
  is handed to the child in a ``PGPASSFILE`` readable by this user only, never on its command
  line (which ``ps`` shows to every user of the host).

A target that exists is refused (a backup never overwrites one; a restore never lands on data).
First-sync snapshots (``ServerSettings.snapshot_dir``) are not backed up: servers rebuild them.

A restore moves the numbering on by ``--skip-ids`` (``skip_numbers``): desks that pulled after
the backup was taken hold feed cursors, event ids and records the restored database never
reached; what is written after the restore is numbered above them, so no desk skips a row or
an event, and (PostgreSQL) no new record takes the number of one a desk holds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from server_stub.clock import system_clock
from server_stub.core.db import Database
from server_stub.core.schema import SchemaError, check
from server_stub.models import ChangeRow, EventRow

BACKUP = "backup"
RESTORE = "restore"
COMMANDS = (BACKUP, RESTORE)
URL_VARIABLE = "AGENT_SERVER_DATABASE_URL"
# How far a restore moves the feed's and the events' numbering on: more rows than a centre
# writes between a backup and a failure (a 400-desk centre: about 100,000 a day). The columns
# are 32-bit: two hundred restores fit.
SKIP_IDS = 10_000_000
# Marks the numbering moved on by a restore (SQLite); for no user (ids start at 1): no desk
# ever receives it (``visibility.Scope``).
NOBODY = 0


class BackupError(RuntimeError):
    """What went wrong, worded for IT; the command prints it and exits 2."""


def build_parser(command: str) -> argparse.ArgumentParser:
    backing_up = command == BACKUP
    parser = argparse.ArgumentParser(
        prog=f"agent-server {command}",
        description=(
            "Copy the server's database to a file, while servers run (SQLite: the online "
            "backup API; PostgreSQL: pg_dump -Fc)."
            if backing_up
            else "Restore a backup into a new SQLite file or an empty PostgreSQL database "
            "(pg_restore); then start the servers on it."
        ),
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database", type=Path, help="the SQLite file")
    where.add_argument(
        "--database-url",
        default=os.environ.get(URL_VARIABLE) or None,
        help="SQLAlchemy URL of the database, e.g. postgresql+psycopg://USER@HOST/NAME "
        f"(default: ${URL_VARIABLE}). Leave the password out of a command line, which every "
        "user of the host sees: libpq's ~/.pgpass, PGPASSFILE or PGPASSWORD, or the URL in "
        f"${URL_VARIABLE}",
    )
    if backing_up:
        parser.add_argument("--to", type=Path, required=True, help="the backup file to write")
    else:
        parser.add_argument("--from", dest="source", type=Path, required=True, help="a backup")
        parser.add_argument(
            "--skip-ids",
            type=int,
            default=SKIP_IDS,
            help="number what is written after the restore this much above the highest in "
            "the backup (PostgreSQL: records, the change feed and events; SQLite: the feed "
            "and events), above what desks saw after the backup was taken (default "
            "%(default)s)",
        )
    return parser


def run(argv: list[str], command: str, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    parser = build_parser(command)
    args = parser.parse_args(argv)
    if args.database is not None:
        args.database_url = None  # given on the command line: it wins over the variable
    elif args.database_url is None:
        parser.error(f"name the database: --database FILE, --database-url URL or ${URL_VARIABLE}")
    try:
        if command == BACKUP:
            if args.database is not None:
                backup_sqlite(args.database, args.to)
            else:
                backup_postgres(_postgres_url(args.database_url), args.to)
            print(f"backup written to {args.to}", file=out)
        else:
            if args.database is not None:
                restore_sqlite(args.source, args.database)
                url = make_url(f"sqlite:///{args.database.resolve()}")
            else:
                url = _postgres_url(args.database_url)
                restore_postgres(args.source, url)
            where = url.render_as_string(hide_password=True)
            skip_numbers(url, args.skip_ids)
            print(f"{args.source} restored into {where}", file=out)
            _say_revision(url, out)
    except BackupError as exc:
        print(f"agent-server {command}: {exc}", file=err)
        return 2
    return 0


# --- SQLite ---------------------------------------------------------------------------------


def backup_sqlite(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"{database}: no such SQLite file")
    _refuse_existing(target)
    # Read-only: a mistyped name is never created, and the live file is never written to.
    source = _open_sqlite(f"file:{database.resolve()}?mode=ro")
    try:
        _check_sqlite(source, database)
        _copy_sqlite(source, target)
    finally:
        source.close()


def restore_sqlite(backup: Path, database: Path) -> None:
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    if database.exists():
        raise BackupError(
            f"{database} exists: restore into a new file (stop the servers, move the old file "
            "aside, then restore to its name)"
        )
    source = _open_sqlite(f"file:{backup.resolve()}?mode=ro")
    try:
        _check_sqlite(source, backup)
        _copy_sqlite(source, database)
    finally:
        source.close()


def _open_sqlite(uri: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"{uri}: {exc}") from exc


def _check_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:  # not a database at all
        raise BackupError(f"{path}: not a SQLite database ({exc})") from exc
    if "alembic_version" not in tables:
        raise BackupError(f"{path}: not an Agent Workstation server database (no schema revision)")


def _copy_sqlite(source: sqlite3.Connection, target: Path) -> None:
    """The backup API into a temporary file beside ``target``, checked, then renamed: a copy
    that failed half-way never stands under the target's name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # pages=-1: all in one step
            # A single file (no -wal beside it) that opens anywhere, the same as the source.
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        if verdict != "ok":
            raise BackupError(f"the copy failed its integrity check: {verdict}")
        _refuse_existing(target)  # it may have appeared meanwhile
        partial.rename(target)
    except sqlite3.Error as exc:
        raise BackupError(f"copying to {target}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


# --- PostgreSQL -----------------------------------------------------------------------------


def backup_postgres(url: URL, target: Path) -> None:
    _refuse_existing(target)
    tool = _tool("pg_dump")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    partial.unlink(missing_ok=True)
    try:
        with _libpq_env(url) as env:
            _run([tool, "--format=custom", "--file", str(partial)], env, "pg_dump")
        _refuse_existing(target)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)


def restore_postgres(backup: Path, url: URL) -> None:
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    tool = _tool("pg_restore")
    where = url.render_as_string(hide_password=True)
    database = Database(url.render_as_string(hide_password=False))
    try:
        with database.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    except SQLAlchemyError as exc:
        raise BackupError(
            f"cannot open {where}: {exc.__class__.__name__}: {str(exc).splitlines()[0]} "
            "(create the database first: createdb NAME)"
        ) from exc
    finally:
        database.dispose()
    if tables:
        raise BackupError(
            f"{where} is not empty ({len(tables)} tables): restore into a new database "
            "(createdb NAME), then point the servers at it"
        )
    with _libpq_env(url) as env:
        # One transaction: a restore that fails leaves the database empty, not half-filled.
        # No owners or grants of the source: the URL's user owns what it restores.
        _run(
            [
                tool,
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                str(url.database),
                str(backup),
            ],
            env,
            "pg_restore",
        )


def _postgres_url(text: str) -> URL:
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise BackupError(f"{text!r} is not a database URL ({exc})") from exc
    if url.get_backend_name() != "postgresql":
        raise BackupError(
            f"{url.render_as_string(hide_password=True)}: --database-url is for PostgreSQL "
            "(postgresql+psycopg://USER@HOST:PORT/NAME); use --database FILE for SQLite"
        )
    if not url.database:
        raise BackupError(f"{url.render_as_string(hide_password=True)} names no database")
    return url


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed (Debian: apt install postgresql-client; use the version "
            "of the server or newer)"
        )
    return found


@contextmanager
def _libpq_env(url: URL) -> Iterator[dict[str, str]]:
    """The child's connection settings as libpq's variables. A password in the URL goes in a
    pass file of this user's only (mode 0600), deleted afterwards, and PGPASSWORD is dropped
    (libpq would prefer it); without one, libpq finds it as usual (PGPASSWORD, PGPASSFILE,
    ~/.pgpass)."""
    env = dict(os.environ)
    env["PGDATABASE"] = str(url.database)
    env["PGCONNECT_TIMEOUT"] = "10"
    if url.host:
        env["PGHOST"] = url.host
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password is None:
        yield env
        return
    env.pop("PGPASSWORD", None)
    fd, name = tempfile.mkstemp(prefix="agent-server-", suffix=".pgpass")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:  # mkstemp made it 0600
            secret = str(url.password).replace("\\", "\\\\").replace(":", "\\:")
            file.write(f"*:*:*:*:{secret}\n")
        env["PGPASSFILE"] = name
        yield env
    finally:
        Path(name).unlink(missing_ok=True)


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{what} failed: {detail}")


# --- both -----------------------------------------------------------------------------------


def skip_numbers(url: URL, by: int) -> None:
    """Number what the restored database writes next ``by`` above the highest it holds.

    PostgreSQL: every table's id sequence, so the change feed and the events are numbered
    above what desks saw, and a new record never takes the number of one a desk holds but
    the backup lost (the desk would keep its own as "the same version"). SQLite numbers a
    row one above the highest there is, so only the feed and the events can be moved on (one
    row for nobody at the new height in each); record numbers are reused (``installer/
    README.md`` says what IT does about it)."""
    if by <= 0:
        return
    database = Database(url.render_as_string(hide_password=False))
    try:
        with database.session() as session:
            if session.get_bind().dialect.name == "postgresql":
                _skip_sequences(session, by)
            else:
                now = system_clock().now()
                seq = int(session.scalar(select(func.max(ChangeRow.seq))) or 0) + by
                event = int(session.scalar(select(func.max(EventRow.id))) or 0) + by
                session.add(
                    ChangeRow(
                        seq=seq,
                        entity="restore",
                        entity_id=0,
                        team_id=None,
                        user_id=NOBODY,
                        op="restore",
                        version=0,
                        data=None,
                        at=now,
                    )
                )
                session.add(
                    EventRow(
                        id=event, kind="restore", team_id=None, user_id=NOBODY, data={}, at=now
                    )
                )
            session.commit()
    except SQLAlchemyError as exc:
        raise BackupError(f"moving the numbering on: {exc}") from exc
    finally:
        database.dispose()


def _skip_sequences(session: Session, by: int) -> None:
    inspector = inspect(session.connection())
    for table in inspector.get_table_names():
        keys = inspector.get_pk_constraint(table)["constrained_columns"]
        if len(keys) != 1:
            continue
        sequence = session.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table, "column": keys[0]},
        )
        if sequence is None:
            continue
        # The names come from the catalogue, quoted by PostgreSQL itself.
        column = session.scalar(text("SELECT quote_ident(:c)"), {"c": keys[0]})
        quoted = session.scalar(text("SELECT quote_ident(:t)"), {"t": table})
        session.execute(
            text(
                f"SELECT setval(:sequence, GREATEST("
                f"(SELECT coalesce(max({column}), 0) FROM {quoted}), "
                f"(SELECT last_value FROM {sequence})) + :by)"
            ),
            {"sequence": sequence, "by": by},
        )


def _refuse_existing(target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} exists: a backup never overwrites a file; name a new one")


def _say_revision(url: URL, out: TextIO) -> None:
    """After a restore: is the database at this release's schema, or does it need --migrate?"""
    database = Database(url.render_as_string(hide_password=False))
    try:
        check(database.engine)
        print("its schema is this release's: start the servers on it", file=out)
    except SchemaError as exc:
        print(str(exc), file=out)
    finally:
        database.dispose()
