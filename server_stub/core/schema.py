"""The database's schema revision against the code's (Alembic, ``server_stub/migrations``).

- ``prepare``: what every start does. An empty database is created by running the migrations
  (tests, ``--seed`` on a new file); a database at this code's revision is used as it is;
  anything else is refused with a ``SchemaError`` that names both revisions and what to run.
- ``migrate``: ``agent-server --migrate``. Upgrades to this code's revision; a database made
  by ``create_all`` of the release before migrations (no revision) is adopted first: its
  tables are checked against the baseline revision, then it is stamped with it.

The code never upgrades a database that has data on its own at start: an operator runs the
migration (after a backup), so a server started by mistake with a newer build of the code
does not change a database that older servers are still using.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool

import server_stub.migrations

BASELINE = "0001"  # the schema of release 0.1 and, table for table, of the release before it
MIGRATE_HINT = "agent-server --migrate (with the same --database or --database-url)"
VERSION_TABLE = "alembic_version"
MIGRATION_LOCK_ID = 7_243_002  # a PostgreSQL advisory lock (the feed's is 7_243_001)


class SchemaError(RuntimeError):
    """The database's schema is not the one this code was written for; ``str()`` says which
    revisions and what to run."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    # The directory itself, not "server_stub:migrations": the package this code was imported
    # from, even where another checkout is installed in the same environment.
    config.set_main_option("script_location", str(Path(server_stub.migrations.__file__).parent))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def code_revision() -> str:
    """The revision this code's models are at (the head of ``versions/``)."""
    head = _script().get_current_head()
    if head is None:  # a packaging mistake: the versions were not shipped
        raise SchemaError("This build has no schema migrations (server_stub/migrations/versions).")
    return head


def database_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, or None (empty, or made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {VERSION_TABLE}


def prepare(engine: Engine) -> None:
    """At start: create an empty database by the migrations; otherwise check its revision."""
    with engine.connect() as conn:
        empty = database_revision(conn) is None and not _tables(conn)
    if empty:
        migrate(engine)
    else:
        check(engine)


def check(engine: Engine) -> None:
    """Raise ``SchemaError`` unless the database is at this code's revision."""
    head = code_revision()
    with engine.connect() as conn:
        found = database_revision(conn)
        tables = _tables(conn) if found is None else set()
    if found == head:
        return
    where = engine.url.render_as_string(hide_password=True)
    if found is None and not tables:
        raise SchemaError(
            f"The database {where} is empty (no schema revision); this code's revision is "
            f"{head}. Run {MIGRATE_HINT} to create it."
        )
    if found is None:
        raise SchemaError(
            f"The database {where} has tables but no schema revision (it was made by a release "
            f"before migrations); this code's revision is {head}. Back it up, then run "
            f"{MIGRATE_HINT} to adopt and upgrade it."
        )
    if _known(found):
        raise SchemaError(
            f"The database {where} is at schema revision {found}; this code's revision is "
            f"{head}. Back it up, then run {MIGRATE_HINT} to upgrade it."
        )
    raise SchemaError(
        f"The database {where} is at schema revision {found}, which this code (revision "
        f"{head}) does not know: it was written by a newer release. Run that release, or "
        "restore a backup made before it was upgraded."
    )


def _known(revision: str) -> bool:
    return any(script.revision == revision for script in _script().walk_revisions())


def migrate(engine: Engine) -> str:
    """Upgrade the database to this code's revision (adopting a database made before
    migrations first); the revision it is at now. Raises ``SchemaError`` for a database of a
    newer release, or one without a revision whose tables are not the baseline's."""
    head = code_revision()
    with _atomic(engine) as conn:
        found = database_revision(conn)
        if found is not None and not _known(found):
            check(engine)  # raises, naming both revisions
        if found is None and _tables(conn):
            _adopt(conn)
        command.upgrade(_config(conn), "head")
    return head


@contextmanager
def _atomic(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration. pysqlite commits before each CREATE on its
    own (a failed migration would leave half a schema, and each statement pays a sync to
    disk), so on SQLite a connection of its own issues BEGIN itself."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                # Instances (or workers) started together on one database: one migrates, the
                # others wait here, then find it at this revision and do nothing.
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            yield conn
        return
    own = create_engine(engine.url, poolclass=NullPool)

    @event.listens_for(own, "connect")
    def _no_implicit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        # Foreign keys stay off (SQLite's default): batch mode rebuilds a table by copying it.
        dbapi_conn.execute("PRAGMA busy_timeout=5000")

    @event.listens_for(own, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with own.begin() as conn:
            yield conn
    finally:
        own.dispose()


def _adopt(connection: Connection) -> None:
    """A database that ``create_all`` of the release before migrations made: stamp it with
    the baseline once its tables, columns and indexes are the baseline's."""
    theirs = _shape(connection)
    ours = _baseline_shape()
    problems = []
    for table in sorted(ours.keys() | theirs.keys()):
        if table not in theirs:
            problems.append(f"table {table} is missing")
        elif table not in ours:
            problems.append(f"table {table} is not in the baseline")
        elif theirs[table] != ours[table]:
            problems.append(f"table {table} differs: {_difference(theirs[table], ours[table])}")
    if problems:
        where = connection.engine.url.render_as_string(hide_password=True)
        raise SchemaError(
            f"The database {where} has no schema revision and its tables are not those of "
            f"revision {BASELINE} ({'; '.join(problems)}), so it cannot be adopted. Restore "
            "it from the release that made it, or start with an empty database."
        )
    command.stamp(_config(connection), BASELINE)


Shape = dict[str, dict[str, Any]]


def _shape(connection: Connection) -> Shape:
    """Tables, their columns (name, nullable) and named indexes: what any dialect reports
    alike (types are spelled differently by SQLite and PostgreSQL)."""
    inspector = inspect(connection)
    shape: Shape = {}
    for table in _tables(connection):
        columns = {(c["name"], bool(c["nullable"])) for c in inspector.get_columns(table)}
        indexes = {
            (str(i["name"]), tuple(i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
            if str(i["name"]).startswith("ix_")  # ours; unique constraints' are named by dialect
        }
        shape[table] = {"columns": columns, "indexes": indexes}
    return shape


def _difference(theirs: dict[str, Any], ours: dict[str, Any]) -> str:
    parts = []
    for part in ("columns", "indexes"):
        extra = sorted(str(x[0]) for x in theirs[part] - ours[part])
        missing = sorted(str(x[0]) for x in ours[part] - theirs[part])
        if extra:
            parts.append(f"{part} not in the baseline or different: {', '.join(extra)}")
        if missing:
            parts.append(f"{part} missing or different: {', '.join(missing)}")
    return ", ".join(parts)


@lru_cache(maxsize=1)
def _baseline_shape() -> Shape:
    """The baseline revision run on an empty in-memory SQLite database, as ``_shape``."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            module = _script().get_revision(BASELINE).module
            with Operations.context(MigrationContext.configure(conn)):
                module.upgrade()
            return _shape(conn)
    finally:
        engine.dispose()
