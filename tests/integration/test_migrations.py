"""The backend's schema migrations on SQLite and PostgreSQL: the migrated schema is the models'
(a model change without a revision fails here), a database made before migrations is adopted,
and a start on a database of another revision is refused with what to run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from server_stub.__main__ import main
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import (
    BASELINE,
    SchemaError,
    _config,
    check,
    code_revision,
    database_revision,
    migrate,
    prepare,
)
from server_stub.models import Base


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


def made_before_migrations(db: Database) -> None:
    """What the release before migrations (8ec4242) left: the baseline's tables, made by
    ``create_all``, and no revision stamped (not today's models: they have moved on since)."""
    with db.engine.begin() as conn:
        command.upgrade(_config(conn), BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))


def differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_migrated_schema_is_the_models(database: Database) -> None:
    prepare(database.engine)  # empty: created by the migrations
    with database.engine.connect() as conn:
        assert database_revision(conn) == code_revision()
    # A model changed without a revision shows here, by table and column.
    assert differences(database) == []
    check(database.engine)


def test_the_baseline_goes_down_and_up_again(database: Database) -> None:
    migrate(database.engine)
    with database.engine.begin() as conn:
        command.downgrade(_config(conn), "base")
    with database.engine.connect() as conn:
        assert database_revision(conn) is None
    migrate(database.engine)
    assert differences(database) == []


def test_a_database_made_before_migrations_is_adopted(database: Database) -> None:
    # tests/integration/test_upgrade.py runs that release's own code for the same.
    made_before_migrations(database)
    with pytest.raises(SchemaError) as refused:
        prepare(database.engine)
    assert "no schema revision" in str(refused.value)
    assert code_revision() in str(refused.value)
    assert "agent-server --migrate" in str(refused.value)
    assert migrate(database.engine) == code_revision()
    check(database.engine)
    assert differences(database) == []


def test_a_database_whose_tables_are_not_the_baselines_is_not_adopted(database: Database) -> None:
    made_before_migrations(database)
    with database.engine.begin() as conn:
        conn.execute(text("CREATE TABLE something_else (id INTEGER PRIMARY KEY)"))
        conn.execute(text("DROP INDEX ix_tickets_status"))
    with pytest.raises(SchemaError) as refused:
        migrate(database.engine)
    message = str(refused.value)
    assert "something_else" in message
    assert "tickets" in message
    assert "ix_tickets_status" in message
    with database.engine.connect() as conn:
        assert database_revision(conn) is None  # nothing stamped


def test_a_newer_revision_is_refused_at_start_and_by_migrate(database: Database) -> None:
    migrate(database.engine)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    for attempt in (prepare, migrate):
        with pytest.raises(SchemaError) as refused:
            attempt(database.engine)
        message = str(refused.value)
        assert "9999_from_the_future" in message
        assert code_revision() in message
        assert "newer release" in message


def test_an_older_revision_is_refused_at_start_until_migrated(database: Database) -> None:
    migrate(database.engine)
    with database.engine.begin() as conn:  # as if this code had a revision after it
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0000_older')"))
    with pytest.raises(SchemaError) as refused:
        check(database.engine)
    assert "0000_older" in str(refused.value)
    assert code_revision() in str(refused.value)


def test_agent_server_migrate_and_the_refusal_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "made-before.sqlite"
    before = Database(ServerSettings.sqlite_file(path))
    made_before_migrations(before)
    before.dispose()
    # A start without --migrate exits before serving, saying what to run.
    assert main(["--database", str(path), "--port", "1"]) == 2
    said = capsys.readouterr().err
    assert "agent-server --migrate" in said
    assert code_revision() in said
    assert main(["--database", str(path), "--migrate"]) == 0
    after = Database(ServerSettings.sqlite_file(path))
    with after.engine.connect() as conn:
        assert database_revision(conn) == code_revision()
    after.dispose()
