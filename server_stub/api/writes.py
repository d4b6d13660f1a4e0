"""The one shape of every write: idempotency, optimistic versions, audit, one commit.

A write sent with an ``Idempotency-Key`` header stores its answer in the same transaction as
the change; a retry with the same key and body gets that answer again and creates nothing.
The same key with a different body is refused (422), never silently replayed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from server_stub.api.deps import Caller
from server_stub.api.errors import ApiProblem, VersionConflictError
from server_stub.clock import Clock
from server_stub.feed import audit, release_feed_lock_marker
from server_stub.models import IdempotencyRow
from sync.records import Role

Perform = Callable[[datetime], tuple[int, BaseModel | None]]
_KEY = re.compile(r"^[A-Za-z0-9._:\-]{1,200}$")
_UNIQUE_FIELDS = ("serial_number", "code", "number", "name", "username")


def _fingerprint(request: Request, body: BaseModel | None) -> str:
    payload = body.model_dump_json() if body is not None else ""
    return hashlib.sha256(f"{request.method} {request.url.path} {payload}".encode()).hexdigest()


def _replay(row: IdempotencyRow) -> Response:
    if row.status_code == 204:
        return Response(status_code=204, headers={"Idempotent-Replayed": "true"})
    return JSONResponse(
        row.body, status_code=row.status_code, headers={"Idempotent-Replayed": "true"}
    )


def _stored(session: Session, user_id: int, key: str) -> IdempotencyRow | None:
    return session.scalar(
        select(IdempotencyRow).where(IdempotencyRow.user_id == user_id, IdempotencyRow.key == key)
    )


def write(
    request: Request,
    session: Session,
    caller: Caller,
    clock: Clock,
    body: BaseModel | None,
    perform: Perform,
    current: Callable[[], BaseModel] | None = None,
) -> Response:
    """Run ``perform(now)`` (which changes rows and returns status and record) as one write."""
    key = request.headers.get("Idempotency-Key")
    fingerprint = _fingerprint(request, body)
    if key is not None:
        if not _KEY.match(key):
            raise ApiProblem(
                422,
                "invalid_request",
                "Idempotency-Key must be 1-200 letters, digits or . _ : -",
                "Idempotency-Key",
            )
        existing = _stored(session, caller.user.id, key)
        if existing is not None:
            if existing.request_hash != fingerprint:
                raise ApiProblem(
                    422,
                    "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request.",
                    "Idempotency-Key",
                )
            return _replay(existing)
    now = clock.now()
    try:
        status, record = perform(now)
        data: dict[str, Any] = record.model_dump(mode="json") if record is not None else {}
        if key is not None:
            session.add(
                IdempotencyRow(
                    user_id=caller.user.id,
                    key=key,
                    request_hash=fingerprint,
                    status_code=status,
                    body=data,
                    created_at=now,
                )
            )
        if caller.role in (Role.SUPERVISOR, Role.ADMIN):
            audit(
                session,
                user_id=caller.user.id,
                action=f"{request.method} {request.url.path}",
                target=str(data.get("id", "")),
                allowed=True,
                now=now,
            )
        session.commit()
    except StaleDataError:
        # Someone committed between our read and our write: the same answer as a stale version.
        session.rollback()
        if current is None:
            raise ApiProblem(409, "version_conflict", "The record changed; reload it.") from None
        raise VersionConflictError(current()) from None
    except IntegrityError as exc:
        session.rollback()
        if key is not None and (replay := _stored(session, caller.user.id, key)) is not None:
            return _replay(replay)  # the same key raced itself: the first one won
        message = str(exc.orig)
        field = next((f for f in _UNIQUE_FIELDS if f in message), None)
        raise ApiProblem(
            409, "duplicate", f"A record with this {field or 'value'} already exists.", field
        ) from None
    finally:
        release_feed_lock_marker(session)
    if status == 204:
        return Response(status_code=204)
    return JSONResponse(data, status_code=status)


def apply_patch(
    row: Any, patch: BaseModel, fields: tuple[str, ...] | None = None
) -> list[tuple[str, Any, Any]]:
    """Copy the fields the client sent (except ``version``) onto ``row``.

    Returns (field, old, new) for each field that really changed, for history and events.
    """
    sent = patch.model_fields_set - {"version"}
    columns = row.__table__.columns
    for name in sent:
        if getattr(patch, name) is None and name in columns and not columns[name].nullable:
            raise ApiProblem(422, "invalid_request", f"{name}: may not be null", name)
    changed = []
    for name in sent:
        if fields is not None and name not in fields:
            continue
        new = getattr(patch, name)
        if isinstance(new, BaseModel):
            new = new.model_dump(mode="json")
        elif isinstance(new, list):
            new = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in new]
        old = getattr(row, name)
        if hasattr(new, "value"):
            new = new.value
        if old != new:
            setattr(row, name, new)
            changed.append((name, old, new))
    return changed


def check_version(row: Any, version: int, current: Callable[[], BaseModel]) -> None:
    if row.version != version:
        raise VersionConflictError(current())
