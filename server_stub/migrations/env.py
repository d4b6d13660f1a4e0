"""Alembic's environment: run by ``server_stub.core.schema`` (the connection is handed in) and
by the ``alembic`` command of a developer writing a revision (``-x url=…``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from server_stub.core.db import make_engine
from server_stub.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: later revisions rebuild tables in batch mode.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("alembic: give the database with -x url=sqlite:///path or postgresql…")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("alembic: offline (SQL script) mode is not supported; give -x url=…")
_online()
