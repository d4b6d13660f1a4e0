"""A centre-wide document kept in one row (the desk settings, the SLA policies), versioned so
two admins never overwrite each other: the row is created with the shipped defaults on its
first write, then locked until the commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server_stub.models import Base

ROW_ID = 1
FIRST_VERSION = 1  # the shipped defaults, before any change

R = TypeVar("R", bound=Base)


def locked_row(session: Session, model: type[R], defaults: dict[str, Any], now: datetime) -> R:
    """The document's row, created from ``defaults`` if there is none yet, locked until the
    commit (on PostgreSQL a concurrent writer waits, then sees the new version; SQLite has one
    writer). Two first writers at once both insert-or-nothing, so neither fails."""
    values = {
        "id": ROW_ID,
        "data": defaults,
        "version": FIRST_VERSION,
        "updated_at": now,
        "updated_by": None,
    }
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(model).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(model).values(values).on_conflict_do_nothing())
    elif session.get(model, ROW_ID) is None:  # pragma: no cover (other databases)
        session.execute(insert(model).values(values))
    row = session.get(model, ROW_ID, with_for_update=True, populate_existing=True)
    assert row is not None
    return row
