"""Writing to the change feed, the event stream and the audit log, inside the caller's
transaction, so a record, its change-feed row and its event commit together or not at all.

Ordering: a change-feed cursor (an event id) must never skip a row that commits later with a
smaller number. SQLite has one writer at a time, so insert order is commit order. On
PostgreSQL a row is inserted with a provisional negative number and numbered at COMMIT by a
deferred trigger under one advisory lock (migration 0004): writers run in parallel and only
their commits are serialised, inside the database, for microseconds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Insert, func, insert, text
from sqlalchemy.orm import Session

from server_stub.models import AuditRow, ChangeRow, EventRow
from sync.contract.events import EventPayload, kind_of

NOTIFY_CHANNEL = "agent_workstation_events"
# Set on a session that raised an event: at its commit, this process's event broker reads at
# once (``server_stub.broker``) instead of at its next poll.
EVENTS_RAISED = "events_raised"


def bulk_feed_insert(session: Session) -> Insert:
    """An executemany of change-feed rows numbered as they are inserted, for a seed that is the
    database's only writer: on PostgreSQL it skips the numbering at commit (one trigger call
    per row, which would double a million-row seed's feed time)."""
    if session.get_bind().dialect.name != "postgresql":
        return insert(ChangeRow)
    return insert(ChangeRow).values(seq=func.nextval("changes_seq_seq"))


def change_values(
    entity: str,
    data: dict[str, Any],
    *,
    team_id: int | None,
    now: datetime,
    user_id: int | None = None,
) -> dict[str, Any]:
    """The columns of an upsert's change-feed row, for an executemany (``record_change`` for
    one row through the session)."""
    return {
        "entity": entity,
        "entity_id": data.get("id", data.get("user_id")),
        "team_id": team_id,
        "user_id": user_id,
        "op": "upsert",
        "version": data["version"],
        "data": data,
        "at": now,
    }


def record_change(
    session: Session,
    entity: str,
    record: BaseModel,
    *,
    team_id: int | None,
    now: datetime,
    user_id: int | None = None,
) -> None:
    data = record.model_dump(mode="json")
    session.add(ChangeRow(**change_values(entity, data, team_id=team_id, now=now, user_id=user_id)))


def record_deletion(
    session: Session,
    entity: str,
    entity_id: int,
    version: int,
    *,
    team_id: int | None,
    now: datetime,
) -> None:
    """A tombstone: desktops that cached the record drop it."""
    session.add(
        ChangeRow(
            entity=entity,
            entity_id=entity_id,
            team_id=team_id,
            user_id=None,
            op="delete",
            version=version,
            data=None,
            at=now,
        )
    )


def raise_event(
    session: Session,
    payload: EventPayload,
    *,
    now: datetime,
    team_id: int | None = None,
    user_id: int | None = None,
) -> None:
    """An event for the stream; ``team_id``/``user_id`` limit who receives it (None: all).
    Its kind follows from the payload's type (``sync.contract.events.KINDS``)."""
    kind, data = kind_of(payload), payload.model_dump(mode="json")
    session.add(EventRow(kind=kind, team_id=team_id, user_id=user_id, data=data, at=now))
    session.info[EVENTS_RAISED] = True
    if session.get_bind().dialect.name == "postgresql":
        # Delivered at commit, to every server process listening: their brokers read the rows.
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})


def audit(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    target: str,
    allowed: bool,
    now: datetime,
    detail: str = "",
) -> None:
    session.add(
        AuditRow(
            at=now,
            user_id=user_id,
            action=action,
            target=target[:200],
            allowed=allowed,
            detail=detail[:2000],
        )
    )
